from mod_python import apache


def handler(req):
    req.content_type = "text/plain"
    how = req.args
    if how == "once":
        req.write("written in one go\n")
    elif how == "unflushed":
        req.write("first ", 0)
        req.write("second\n", 0)
    elif how == "flushed":
        req.write("part one\n")
        req.flush()
        req.write("part two\n")
    elif how == "status_after_flush":
        req.write("sent\n")
        req.status = 404
        req.headers_out["X-Late"] = "too late"
    elif how == "length":
        req.set_content_length(6)
        req.write("sized\n")
    elif how == "bytes":
        req.write(b"\xff\xfe raw bytes\n")
    elif how == "unicode":
        req.write("caf\u00e9 \u20ac\n")
    elif how == "empty":
        req.write("")
    return apache.OK
