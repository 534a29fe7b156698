from mod_python import apache


def handler(req):
    req.content_type = "text/plain"
    what = req.args
    if what == "forbidden":
        raise apache.SERVER_RETURN(apache.HTTP_FORBIDDEN)
    if what == "ok":
        req.write("written, then SERVER_RETURN(OK)\n")
        raise apache.SERVER_RETURN(apache.OK)
    if what == "done":
        req.write("written, then SERVER_RETURN(DONE)\n")
        raise apache.SERVER_RETURN(apache.DONE)
    if what == "noarg":
        raise apache.SERVER_RETURN()
    if what == "tuple":
        raise apache.SERVER_RETURN((apache.HTTP_GONE, "gone text"))
    if what == "after_write":
        req.write("partial\n")
        raise apache.SERVER_RETURN(apache.HTTP_INTERNAL_SERVER_ERROR)
    req.write("plain\n")
    return apache.OK
