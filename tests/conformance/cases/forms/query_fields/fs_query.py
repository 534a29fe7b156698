from mod_python import apache, util


def handler(req):
    req.content_type = "text/plain"
    blank = req.args and "blank=1" in req.args
    fs = util.FieldStorage(req, keep_blank_values=blank)
    req.write("keys=%r\n" % sorted(fs.keys()))
    for name in sorted(fs.keys()):
        req.write("%s: getfirst=%r getlist=%r\n" % (name, fs.getfirst(name), fs.getlist(name)))
    req.write("missing: getfirst=%r default=%r getlist=%r in=%r\n"
              % (fs.getfirst("missing"), fs.getfirst("missing", "dflt"), fs.getlist("missing"), "missing" in fs))
    req.write("len=%d\n" % len(fs))
    return apache.OK
