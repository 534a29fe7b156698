from mod_python import apache


def handler(req):
    req.content_type = "text/plain"
    req.write("uri=%s\nfilename=%r\npath_info=%r\n" % (req.uri, req.filename, req.path_info))
    req.write("hlist.directory=%r\n" % req.hlist.directory)
    return apache.OK
