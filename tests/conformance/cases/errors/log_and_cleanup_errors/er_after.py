from mod_python import apache


def handler(req):
    req.content_type = "text/plain"
    req.write("the response is complete\n")
    return apache.OK


def loghandler(req):
    raise RuntimeError("log phase failure")


def cleanuphandler(req):
    raise RuntimeError("cleanup failure")
