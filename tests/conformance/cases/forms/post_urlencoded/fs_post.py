from mod_python import apache, util


def handler(req):
    req.content_type = "text/plain"
    fs = util.FieldStorage(req)
    for name in sorted(fs.keys()):
        req.write("%r: %r (%s)\n" % (name, fs.getlist(name), type(fs[name]).__name__))
    return apache.OK
