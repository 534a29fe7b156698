from mod_python import apache


def postreadrequesthandler(req):
    req.notes["postread"] = "ran: phase=%s interpreter=%s" % (req.phase, req.interpreter)
    if req.args == "postread_done":
        req.content_type = "text/plain"
        req.write("answered by the post-read-request handler\n")
        return apache.DONE
    return apache.OK


def transhandler(req):
    req.notes["trans"] = "ran: phase=%s filename=%r" % (req.phase, req.filename)
    if req.uri.endswith("/virtual"):
        req.filename = __file__
        return apache.OK
    return apache.DECLINED


def handler(req):
    req.content_type = "text/plain"
    req.write("postread=%s\ntrans=%s\n" % (req.notes.get("postread"), req.notes.get("trans")))
    req.write("uri=%s filename=%s path_info=%r\n" % (req.uri, req.filename, req.path_info))
    req.write("server=%s interpreter=%s\n" % (req.server.server_hostname, req.interpreter))
    return apache.OK
