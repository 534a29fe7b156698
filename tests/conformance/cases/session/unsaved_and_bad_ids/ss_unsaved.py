from mod_python import apache, Session


def handler(req):
    req.content_type = "text/plain"
    s = Session.Session(req)
    req.write("new=%r keys=%r\n" % (s.is_new(), sorted(s.keys())))
    return apache.OK
