from mod_python import apache


def handler(req):
    req.content_type = "text/plain"
    options = req.get_options()
    req.write("%r\n" % sorted(options.items()))
    req.write("in: %r %r\n" % ("removed_empty" in options, "removed_bare" in options))
    return apache.OK
