from mod_python import apache

VERSION = 1


def handler(req):
    req.content_type = "text/plain"
    req.write("version %d\n" % VERSION)
    return apache.OK
