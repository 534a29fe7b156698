from mod_python import apache


def first(req):
    req.content_type = "text/plain"
    req.write("first (%s)\n" % req.hlist.handler)
    return apache.OK


def second(req):
    req.write("second (%s)\n" % req.hlist.handler)
    return apache.OK
