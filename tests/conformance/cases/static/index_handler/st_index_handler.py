from mod_python import apache


def handler(req):
    req.content_type = "text/plain"
    req.write("handler for uri=%s filename=%s prev=%r\n"
              % (req.uri, req.filename.rsplit("/", 1)[-1], req.prev and req.prev.uri))
    return apache.OK
