from mod_python import apache, util


def target(req, a, b="dflt", **rest):
    return "a=%r b=%r rest=%r" % (a, b, sorted(rest))


def handler(req):
    req.content_type = "text/plain"
    fs = util.FieldStorage(req)
    try:
        req.write("%s\n" % util.apply_fs_data(target, fs, req=req))
    except TypeError as exc:
        req.write("TypeError\n")
    return apache.OK
