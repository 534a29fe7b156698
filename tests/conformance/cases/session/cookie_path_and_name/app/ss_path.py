from mod_python import apache, Session


def handler(req):
    req.content_type = "text/plain"
    s = Session.Session(req)
    s.save()
    req.write("saved\n")
    return apache.OK
