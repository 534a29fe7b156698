from mod_python import apache


def handler(req):
    req.content_type = "text/plain"
    # Apache lists the extensions in hash order, which changes from one start to the next.
    exts = req.get_addhandler_exts()
    req.write("python for %s exts=%r trailing space=%r\n" % (req.uri, sorted(exts.split()), exts.endswith(" ")))
    return apache.OK
