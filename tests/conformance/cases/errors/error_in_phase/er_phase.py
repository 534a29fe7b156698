from mod_python import apache


def accesshandler(req):
    if req.args == "access":
        raise RuntimeError("in the access phase")
    return apache.OK


def fixuphandler(req):
    if req.args == "fixup":
        raise RuntimeError("in the fixup phase")
    return apache.OK


def handler(req):
    req.content_type = "text/plain"
    req.write("content\n")
    return apache.OK
