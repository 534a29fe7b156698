def application(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    keys = ("REQUEST_METHOD", "SCRIPT_NAME", "PATH_INFO", "QUERY_STRING", "SERVER_PROTOCOL", "wsgi.url_scheme",
            "wsgi.multithread", "wsgi.run_once", "HTTP_X_CUSTOM")
    return [("%s=%r\n" % (k, environ.get(k))).encode() for k in keys]
