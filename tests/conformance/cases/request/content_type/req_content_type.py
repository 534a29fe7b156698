from mod_python import apache


def handler(req):
    before = (req.content_type, req._content_type_set)
    if req.args == "none":
        req.content_type = None
    elif req.args == "charset":
        req.content_type = "text/html; charset=ISO-8859-1"
    elif req.args == "late":
        req.write("first, ")
        req.content_type = "application/json"
    req.write("before=%r after=%r set=%r\n" % (before, req.content_type, req._content_type_set))
    return apache.OK
