from mod_python import apache


def inithandler(req):
    req.notes["init"] = (req.notes.get("init", "") + "[%s %s]" % (req.phase, req.uri)).strip()
    return apache.OK


def handler(req):
    req.content_type = "text/plain"
    if req.args == "redirect":
        req.internal_redirect(req.uri + "target")
        return apache.OK
    req.write("init=%s prev=%s\n" % (req.notes.get("init"), req.prev and req.prev.notes.get("init")))
    return apache.OK
