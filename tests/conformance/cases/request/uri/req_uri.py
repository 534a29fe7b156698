from mod_python import apache

NAMES = ("uri", "unparsed_uri", "args", "filename", "canonical_filename",
         "path_info", "used_path_info")


def handler(req):
    req.content_type = "text/plain"
    for name in NAMES:
        req.write("%s=%r\n" % (name, getattr(req, name)))
    return apache.OK
