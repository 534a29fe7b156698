from mod_python import apache, Cookie


def handler(req):
    req.content_type = "text/plain"
    cookies = Cookie.get_cookies(req)
    for name in sorted(cookies):
        c = cookies[name]
        req.write("%s=%r (%s)\n" % (name, c.value, type(c).__name__))
    b = Cookie.get_cookie(req, "b")
    req.write("one=%r\n" % (b and b.value,))
    return apache.OK
