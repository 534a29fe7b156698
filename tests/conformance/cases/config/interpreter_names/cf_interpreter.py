from mod_python import apache


def handler(req):
    req.content_type = "text/plain"
    req.write("interpreter=%s\n" % req.interpreter)
    return apache.OK
