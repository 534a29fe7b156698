from mod_python import apache


def authenhandler(req):
    pw = req.get_basic_auth_pw()
    if req.user == "john" and pw == "secret":
        return apache.OK
    if req.user == "nouser":
        req.user = None
        return apache.OK
    return apache.HTTP_UNAUTHORIZED


def handler(req):
    req.content_type = "text/plain"
    req.write("hello %s (%s)\n" % (req.user, req.ap_auth_type))
    return apache.OK
