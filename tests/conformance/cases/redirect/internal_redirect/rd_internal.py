from mod_python import apache


def handler(req):
    req.content_type = "text/plain"
    if req.uri.endswith("/target"):
        req.write("target: uri=%s args=%r method=%s\n" % (req.uri, req.args, req.method))
        req.write("prev: uri=%s args=%r notes=%r\n" % (req.prev.uri, req.prev.args, req.prev.notes.get("mark")))
        req.write("prev.next is req: %r main=%r\n" % (req.prev.next is req, req.main))
        env = req.subprocess_env
        req.write("REDIRECT_URL=%r REDIRECT_QUERY_STRING=%r REDIRECT_STATUS=%r\n"
                  % (env.get("REDIRECT_URL"), env.get("REDIRECT_QUERY_STRING"), env.get("REDIRECT_STATUS")))
        return apache.OK
    req.notes["mark"] = "set before redirecting"
    req.headers_out["X-Original"] = "dropped?"
    if req.args == "query":
        req.internal_redirect(req.uri.rsplit("/", 1)[0] + "/target?a=b")
    elif req.args == "missing":
        req.internal_redirect(req.uri.rsplit("/", 1)[0] + "/nope.txt")
    else:
        req.internal_redirect(req.uri.rsplit("/", 1)[0] + "/target")
    return apache.OK
