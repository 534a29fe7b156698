from mod_python import apache


def handler(req):
    req.headers_out["X-Tried"] = "yes"
    return apache.DECLINED
