from mod_python import apache


def headerparserhandler(req):
    req.log = ["headerparser"]
    req.add_handler("PythonHeaderParserHandler", "ph_add_handler::same_phase")
    req.add_handler("PythonFixupHandler", "ph_add_handler::later_phase")
    req.add_handler("PythonHandler", "ph_add_handler::after_configured")
    if req.args == "bad":
        req.add_handler("PythonFixupHandler", "ph_add_handler::does_not_exist")
    try:
        req.add_handler("PythonCleanupHandler", "ph_add_handler::handler")
    except Exception as exc:
        req.log.append("cleanup: %s %s" % (type(exc).__name__, exc))
    try:
        req.add_handler("PythonNoSuchHandler", "ph_add_handler::handler")
    except Exception as exc:
        req.log.append("bogus: %s %s" % (type(exc).__name__, exc))
    return apache.OK


def same_phase(req):
    req.log.append("same_phase %s" % req.phase)
    return apache.OK


def later_phase(req):
    req.log.append("later_phase %s" % req.phase)
    return apache.OK


def handler(req):
    req.content_type = "text/plain"
    req.log.append("configured handler")
    return apache.OK


def after_configured(req):
    req.log.append("after_configured %s" % req.phase)
    req.write("\n".join(req.log) + "\n")
    return apache.OK
