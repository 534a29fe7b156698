from mod_python import apache


def handler(req):
    req.content_type = "text/plain"
    s = req.server
    for name in ("server_hostname", "server_admin", "timeout", "keep_alive_timeout",
                 "limit_req_line", "limit_req_fieldsize", "limit_req_fields", "names", "wild_names"):
        req.write("server.%s=%r\n" % (name, getattr(s, name)))
    req.write("document_root=%r\n" % req.document_root())
    req.write("main_server is server: %r\n" % (apache.main_server.server_hostname == s.server_hostname))
    return apache.OK
