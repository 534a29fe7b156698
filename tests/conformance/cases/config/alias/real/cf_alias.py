from mod_python import apache


def handler(req):
    req.content_type = "text/plain"
    req.write("uri=%s filename=%s path_info=%r\n" % (req.uri, req.filename, req.path_info))
    return apache.OK
