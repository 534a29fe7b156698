from mod_python import apache


def first(req):
    req.content_type = "text/plain"
    req.write("first declines\n")
    return apache.DECLINED


def second(req):
    req.write("second runs\n")
    return apache.OK
