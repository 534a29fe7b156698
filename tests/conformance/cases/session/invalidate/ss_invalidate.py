from mod_python import apache, Session


def handler(req):
    req.content_type = "text/plain"
    s = Session.Session(req)
    if req.args == "drop":
        s.invalidate()
        req.write("invalidated\n")
    else:
        s["x"] = s.get("x", 0) + 1
        s.save()
        req.write("new=%r x=%d\n" % (s.is_new(), s["x"]))
    return apache.OK
