from mod_python import apache, util


def handler(req):
    req.content_type = "text/plain"
    qs = "a=1&b=2&a=3&c=&d"
    req.write("parse_qs=%r\n" % sorted(util.parse_qs(qs).items()))
    req.write("parse_qs blank=%r\n" % sorted(util.parse_qs(qs, 1).items()))
    req.write("parse_qsl=%r\n" % (util.parse_qsl(qs),))
    req.write("parse_qsl blank=%r\n" % (util.parse_qsl(qs, 1),))
    req.write("parse_header=%r\n" % (util.parse_header('form-data; name="x"; filename="a b.txt"'),))
    return apache.OK
