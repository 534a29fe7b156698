from mod_python import apache


def handler(req):
    req.content_type = "text/plain"
    req.update_mtime(1000000000.0)
    req.update_mtime(900000000.0)
    req.set_last_modified()
    req.headers_out["ETag"] = '"fixed-etag"'
    status = req.meets_conditions()
    if status != apache.OK:
        return status
    req.write("mtime=%r\n" % req.mtime)
    return apache.OK
