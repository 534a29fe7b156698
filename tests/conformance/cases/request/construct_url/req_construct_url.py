from mod_python import apache


def handler(req):
    req.content_type = "text/plain"
    req.write("%s\n" % req.construct_url("/some/path?x=1"))
    req.write("%s\n" % req.construct_url(req.uri))
    req.write("hostname=%r is_https=%r\n" % (req.hostname, req.is_https()))
    return apache.OK
