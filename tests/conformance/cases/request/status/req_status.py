from mod_python import apache


def handler(req):
    what = req.args or ""
    req.content_type = "text/plain"
    if what == "custom404":
        req.status = apache.HTTP_NOT_FOUND
        req.write("my own not found page\n")
        return apache.OK
    if what == "created":
        req.status = 201
        req.write("created\n")
        return apache.OK
    if what == "return410":
        return apache.HTTP_GONE
    if what == "return_after_write":
        req.write("partial ")
        return apache.HTTP_FORBIDDEN
    if what == "nocontent":
        req.status = 204
        return apache.OK
    if what == "status_line":
        req.status = 299
        req.status_line = "299 Fine Really"
        req.write("custom status line\n")
        return apache.OK
    req.write("status=%r status_line=%r\n" % (req.status, req.status_line))
    return apache.OK
