from mod_python import apache


def handler(req):
    if req.args == "reset":
        req.allow_methods(["GET", "MKWORKSPACE"], 1)
    else:
        req.allow_methods(["PUT", "DELETE"])
    if req.method not in ("GET", "HEAD"):
        return apache.HTTP_METHOD_NOT_ALLOWED
    return apache.HTTP_NOT_IMPLEMENTED
