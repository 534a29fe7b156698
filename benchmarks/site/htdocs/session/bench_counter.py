"""Scenario 5: a FileSession counter incremented on every request."""
from mod_python import apache, Session


def handler(req):
    session = Session.FileSession(req)
    session["count"] = session.get("count", 0) + 1
    session.save()
    req.content_type = "text/plain"
    req.write("count=%d\n" % session["count"])
    return apache.OK
