from mod_python import apache

SEEN = []


def handler(req):
    req.content_type = "text/plain"
    req.write("before: %s\n" % (" ".join(SEEN) or "-"))
    del SEEN[:]
    req.register_cleanup(SEEN.append, "first-registered")
    req.register_cleanup(SEEN.append, "second-registered")
    req.register_cleanup(lambda data: 1 / 0)
    try:
        req.register_cleanup("not callable")
    except Exception as exc:
        req.write("%s: %s\n" % (type(exc).__name__, exc))
    return apache.OK


def cleanuphandler(req):
    SEEN.append("cleanuphandler")
    return apache.OK
