from mod_python import apache


def handler(req):
    req.content_type = "text/plain"
    req.write("python handled %s\n" % req.uri)
    return apache.OK
