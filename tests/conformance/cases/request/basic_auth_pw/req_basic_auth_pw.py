from mod_python import apache


def handler(req):
    req.content_type = "text/plain"
    pw = req.get_basic_auth_pw()
    req.write("pw=%r user=%r ap_auth_type=%r\n" % (pw, req.user, req.ap_auth_type))
    req.write("auth_type=%r auth_name=%r\n" % (req.auth_type(), req.auth_name()))
    req.write("err_headers_out=%r\n" % sorted(req.err_headers_out.items()))
    return apache.OK
