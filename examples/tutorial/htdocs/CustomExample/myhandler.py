from mod_python import apache


def handler(req):
    req.content_type = "text/plain"
    req.write("Hello from mod_python!")
    return apache.OK
