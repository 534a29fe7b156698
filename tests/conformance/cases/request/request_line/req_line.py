from mod_python import apache

NAMES = ("the_request", "method", "method_number", "header_only", "protocol", "proto_num",
         "hostname", "assbackwards", "proxyreq", "expecting_100", "request_time")


def handler(req):
    req.content_type = "text/plain"
    for name in NAMES:
        req.write("%s=%r\n" % (name, getattr(req, name)))
    return apache.OK
