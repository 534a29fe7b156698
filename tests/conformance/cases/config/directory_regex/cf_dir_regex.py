from mod_python import apache


def handler(req):
    req.content_type = "text/plain"
    req.write("%r\n" % sorted(req.get_options().items()))
    return apache.OK
