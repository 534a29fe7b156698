from mod_python import apache


def handler(req):
    what = req.args or ""
    req.content_type = "text/plain; charset=utf-8"
    req.headers_out["X-Set"] = "one"
    req.headers_out["X-Set"] = "two"
    req.headers_out.add("X-Added", "a")
    req.headers_out.add("X-Added", "b")
    req.err_headers_out["X-Err"] = "kept"
    req.headers_out["X-Deleted"] = "gone"
    del req.headers_out["X-Deleted"]
    if what == "error":
        return apache.HTTP_NOT_FOUND
    if what == "status":
        req.status = apache.HTTP_CREATED
    req.write("out=%r\n" % sorted(req.headers_out.items()))
    req.write("err=%r\n" % sorted(req.err_headers_out.items()))
    return apache.OK
