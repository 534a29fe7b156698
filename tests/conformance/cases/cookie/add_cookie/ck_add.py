from mod_python import apache, Cookie


def handler(req):
    req.content_type = "text/plain"
    Cookie.add_cookie(req, "plain", "value")
    c = Cookie.Cookie("full", "v2", path="/cookie/", domain="example.org", secure=1, max_age=10,
                      expires=0, comment="a comment", httponly=1)
    Cookie.add_cookie(req, c)
    Cookie.add_cookie(req, "expiring", "x", expires=1000000000)
    req.write("str=%s\n" % c)
    return apache.OK
