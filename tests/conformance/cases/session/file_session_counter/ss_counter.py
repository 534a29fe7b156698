from mod_python import apache, Session


def handler(req):
    req.content_type = "text/plain"
    s = Session.Session(req)
    s["count"] = s.get("count", 0) + 1
    s.save()
    req.write("new=%r count=%d id_len=%d timeout=%r\n" % (s.is_new(), s["count"], len(s.id()), s.timeout()))
    return apache.OK
