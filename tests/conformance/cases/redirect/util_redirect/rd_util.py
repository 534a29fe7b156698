from mod_python import apache, util


def handler(req):
    what = req.args
    if what == "temp":
        util.redirect(req, "/somewhere?x=1")
    elif what == "perm":
        util.redirect(req, "relative/path", permanent=1)
    elif what == "text":
        util.redirect(req, "http://example.org/", text="custom redirect text")
    elif what == "headers":
        req.headers_out["X-Before"] = "kept?"
        req.err_headers_out["X-Err-Before"] = "kept"
        util.redirect(req, "/with-headers")
    elif what == "after_write":
        req.content_type = "text/plain"
        req.write("already sent\n")
        try:
            util.redirect(req, "/too-late")
        except IOError as exc:
            req.write("IOError: %s\n" % exc)
    return apache.OK
