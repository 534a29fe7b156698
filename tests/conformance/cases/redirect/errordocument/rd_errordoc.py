from mod_python import apache


def handler(req):
    if req.uri.endswith("/handler404"):
        req.content_type = "text/plain"
        env = req.subprocess_env
        req.write("error page for %s (status %r, REDIRECT_STATUS=%r, REDIRECT_URL=%r, REDIRECT_QUERY_STRING=%r)\n"
                  % (req.prev.uri, req.status, env.get("REDIRECT_STATUS"), env.get("REDIRECT_URL"),
                     env.get("REDIRECT_QUERY_STRING")))
        return apache.OK
    if req.uri.endswith("/broken_error_page"):
        return apache.HTTP_NOT_IMPLEMENTED
    req.err_headers_out["X-Err"] = "kept on error pages"
    return {"404": apache.HTTP_NOT_FOUND, "403": apache.HTTP_FORBIDDEN, "410": apache.HTTP_GONE,
            "500": apache.HTTP_INTERNAL_SERVER_ERROR}[req.args.split("&")[0]]
