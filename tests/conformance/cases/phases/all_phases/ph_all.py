"""Every phase handler notes that it ran; log and cleanup are shown by the next request."""
from mod_python import apache

AFTER = []  # what the log and cleanup phases of earlier requests saw


def _ran(req, name):
    req.notes["trace"] = (req.notes.get("trace", "") + " " + name).strip()
    req.notes["phase_" + name] = req.phase or "None"


def inithandler(req):
    _ran(req, "init")
    return apache.OK


def headerparserhandler(req):
    _ran(req, "headerparser")
    return apache.OK


def accesshandler(req):
    _ran(req, "access")
    return apache.OK


def authenhandler(req):
    _ran(req, "authen")
    req.user = "phil"
    return apache.OK


def authzhandler(req):
    _ran(req, "authz")
    return apache.OK


def typehandler(req):
    _ran(req, "type")
    return apache.DECLINED


def fixuphandler(req):
    _ran(req, "fixup")
    return apache.OK


def handler(req):
    _ran(req, "content")
    req.content_type = "text/plain"
    req.write("trace=%s\n" % req.notes["trace"])
    for key, value in sorted(req.notes.items()):
        if key.startswith("phase_"):
            req.write("%s=%s\n" % (key, value))
    req.write("user=%s ap_auth_type=%r\n" % (req.user, req.ap_auth_type))
    req.write("earlier log/cleanup: %s\n" % " ".join(AFTER))
    del AFTER[:]
    return apache.OK


def loghandler(req):
    AFTER.append("log(%s,%s,%s)" % (req.args, req.phase, req.status))
    return apache.OK


def cleanuphandler(req):
    AFTER.append("cleanup(%s,%s)" % (req.args, req.phase))
    return apache.OK
