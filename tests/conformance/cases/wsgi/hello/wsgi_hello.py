def application(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain"), ("X-Wsgi", "one"), ("X-Wsgi", "two")])
    return [b"hello ", b"from WSGI\n"]
