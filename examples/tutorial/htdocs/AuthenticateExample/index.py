from mod_python import apache


def handler(req):
    req.content_type = "text/plain"
    req.write("Welcome, %s! You are in the secure area.\n" % req.user)
    return apache.OK
