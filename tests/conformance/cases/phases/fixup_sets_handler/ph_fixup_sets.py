from mod_python import apache


def fixuphandler(req):
    if req.args == "python":
        req.handler = "mod_python"
        req.add_handler("PythonHandler", "ph_fixup_sets::generated")
    elif req.args == "noadd":
        req.handler = "mod_python"
    return apache.OK


def generated(req):
    req.content_type = "text/plain"
    req.write("added by the fixup for %s\n" % req.uri)
    return apache.OK
