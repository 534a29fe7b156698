from mod_python import apache


def first(req):
    req.headers_out["X-First"] = "ran"
    req.err_headers_out["X-First-Err"] = "ran"
    if req.args == "done":
        req.content_type = "text/plain"
        req.write("first said DONE\n")
        return apache.DONE
    return apache.HTTP_NOT_FOUND


def second(req):
    req.content_type = "text/plain"
    req.write("second should not run\n")
    return apache.OK
