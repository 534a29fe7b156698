"""A handler whose output the GZIP filter compresses."""
from mod_python import apache


def handler(req):
    req.content_type = "text/plain"
    for number in range(1, 101):
        req.write("line %d of a response worth compressing\n" % number, 0)
    return apache.OK
