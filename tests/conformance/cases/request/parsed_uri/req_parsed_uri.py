from mod_python import apache


def handler(req):
    req.content_type = "text/plain"
    req.write("parsed_uri=%r\n" % (req.parsed_uri,))
    req.write("path=%r query=%r\n" % (req.parsed_uri[apache.URI_PATH], req.parsed_uri[apache.URI_QUERY]))
    return apache.OK
