from mod_python import apache


def headerparserhandler(req):
    if req.args == "hp":
        req.content_type = "text/plain"
        req.headers_out["X-From"] = "headerparser"
        req.write("stopped in the header parser\n")
        return apache.DONE
    if req.args == "hp404":
        return apache.HTTP_NOT_FOUND
    return apache.OK


def fixuphandler(req):
    if req.args == "fixup":
        req.status = 202
        req.content_type = "text/plain"
        req.write("stopped in the fixup\n")
        return apache.DONE
    return apache.OK


def handler(req):
    req.content_type = "text/plain"
    req.write("content phase reached\n")
    return apache.OK
