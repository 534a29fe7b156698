from mod_python import apache


def authenhandler(req):
    req.get_basic_auth_pw()
    return apache.OK if req.user else apache.HTTP_UNAUTHORIZED


def authzhandler(req):
    if req.user == "root":
        return apache.OK
    if req.user == "mallory":
        return apache.HTTP_FORBIDDEN
    return apache.DECLINED


def handler(req):
    req.content_type = "text/plain"
    req.write("welcome %s\n" % req.user)
    return apache.OK
