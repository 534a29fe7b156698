from mod_python import apache


def _ran(req, n):
    req.notes["ran"] = req.notes.get("ran", "") + n


def one(req):
    _ran(req, "1")
    return apache.DECLINED


def two(req):
    _ran(req, "2")
    req.user = "stacked"
    return apache.OK


def three(req):
    _ran(req, "3")
    return apache.OK


def authz(req):
    _ran(req, "4")
    return apache.OK


def fix_declined(req):
    _ran(req, "5")
    return apache.DECLINED


def fix_ok(req):
    _ran(req, "6")
    return apache.OK


def fix_ok2(req):
    _ran(req, "7")
    return apache.OK


def content(req):
    req.content_type = "text/plain"
    req.write("ran=%s user=%s\n" % (req.notes["ran"], req.user))
    return apache.OK
