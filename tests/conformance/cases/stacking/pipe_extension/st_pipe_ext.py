from mod_python import apache


def _say(req, name):
    req.content_type = "text/plain"
    req.write("%s extension=%r filename=%s\n" % (name, req.extension, req.filename.rsplit("/", 1)[-1]))
    return apache.OK


def for_py(req):
    return _say(req, "for_py")


def for_txt(req):
    return _say(req, "for_txt")


def for_rest(req):
    return _say(req, "for_rest")
