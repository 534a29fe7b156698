from mod_python import apache


def _w(req, name):
    req.content_type = "text/plain"
    req.write("%s where=%s directory=%s\n" % (name, req.get_options().get("where"), req.hlist.directory))
    return apache.OK


def default(req):
    return _w(req, "default")


def special(req):
    return _w(req, "special")
