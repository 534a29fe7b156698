from mod_python import apache


def _w(req, text):
    req.content_type = "text/plain"
    req.write("%s (fixup: %s)\n" % (text, req.notes.get("fixup")))
    return apache.OK


def parent_a(req):
    return _w(req, "parent_a")


def parent_b(req):
    return _w(req, "parent_b")


def child(req):
    return _w(req, "child")


def parent_fixup(req):
    req.notes["fixup"] = "parent"
    return apache.OK


def other_fixup(req):
    req.notes["fixup"] = "other"
    return apache.OK
