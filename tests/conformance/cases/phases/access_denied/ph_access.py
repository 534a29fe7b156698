from mod_python import apache


def accesshandler(req):
    if req.args == "deny":
        return apache.HTTP_FORBIDDEN
    if req.args == "raise":
        raise apache.SERVER_RETURN(apache.HTTP_NOT_FOUND)
    if req.args == "done":
        req.content_type = "text/plain"
        req.write("access handler said DONE\n")
        return apache.DONE
    if req.args == "custom":
        req.status = apache.HTTP_FORBIDDEN
        req.content_type = "text/plain"
        req.write("go away, politely\n")
        return apache.DONE
    return apache.OK


def handler(req):
    req.content_type = "text/plain"
    req.write("content ran\n")
    return apache.OK
