from mod_python import apache


def handler(req):
    req.content_type = "text/plain"
    c = req.connection
    req.write("remote_ip=%r client_ip=%r useragent_ip=%r\n" % (c.remote_ip, c.client_ip, req.useragent_ip))
    req.write("remote_logname=%r\n" % c.remote_logname)
    req.write("client_addr=%r useragent_addr=%r\n" % (c.client_addr, req.useragent_addr))
    req.write("get_remote_host()=%r\n" % req.get_remote_host(apache.REMOTE_NOLOOKUP))
    if req.args == "lookups":
        req.write("local_ip=%r local_addr=%r\n" % (c.local_ip, c.local_addr))
        req.write("remote_host=%r get_remote_host(REMOTE_HOST)=%r\n"
                  % (c.remote_host, req.get_remote_host(apache.REMOTE_HOST)))
    return apache.OK
