from mod_python import apache


def _log(req, text):
    req.notes["log"] = req.notes.get("log", "") + text + " "


def fix_a(req):
    _log(req, "fix_a")
    return apache.DECLINED


def fix_b(req):
    _log(req, "fix_b")
    return apache.OK


def fix_c(req):
    _log(req, "fix_c")
    return apache.OK


def one(req):
    req.content_type = "text/plain"
    req.write("fixups: %s\none\n" % req.notes["log"])
    return apache.OK


def two(req):
    req.write("two\n")
    return apache.OK
