from mod_python import apache


def handler(req):
    req.content_type = "text/plain"
    how = req.args or "all"
    if how == "all":
        data = [req.read()]
    elif how == "parts":
        data = [req.read(3), req.read(0), req.read(4), req.read()]
    elif how == "lines":
        data = [req.readline(), req.readline(2), req.readline(), req.readline()]
    elif how == "readlines":
        data = req.readlines()
    elif how == "discard":
        data = [req.discard_request_body(), req.read()]
    req.write("%r\n" % (data,))
    req.write("remaining=%r read_length=%r\n" % (req.remaining, req.read_length))
    req.write("ctype=%r clen=%r\n" % (req.headers_in.get("Content-Type"), req.headers_in.get("Content-Length")))
    return apache.OK
