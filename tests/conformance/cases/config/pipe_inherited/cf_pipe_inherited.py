from mod_python import apache


def for_py(req):
    req.content_type = "text/plain"
    req.write("inherited | .py handler\n")
    return apache.OK


def plain(req):
    req.content_type = "text/plain"
    req.write("the subdirectory's handler\n")
    return apache.OK
