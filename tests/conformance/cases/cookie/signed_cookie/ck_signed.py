from mod_python import apache, Cookie


def handler(req):
    req.content_type = "text/plain"
    if req.args == "set":
        Cookie.add_cookie(req, Cookie.SignedCookie("sig", "payload", "s3cret"))
        req.write("set\n")
    else:
        cookies = Cookie.get_cookies(req, Cookie.SignedCookie, secret="s3cret")
        c = cookies.get("sig")
        req.write("%s %r\n" % (type(c).__name__, c and c.value))
    return apache.OK
