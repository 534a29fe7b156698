from mod_python import apache


def typehandler(req):
    req.notes["seen"] = "%s %s" % (req.content_type, req.handler)
    if req.args == "force":
        req.content_type = "application/x-forced"
        return apache.OK
    if req.args == "handler":
        req.handler = "mod_python"
        return apache.DECLINED
    return apache.DECLINED


def handler(req):
    req.write("type handler saw: %s\n" % req.notes.get("seen"))
    req.write("content_type=%s handler=%s\n" % (req.content_type, req.handler))
    return apache.OK
