def application(environ, start_response):
    length = int(environ.get("CONTENT_LENGTH") or 0)
    data = environ["wsgi.input"].read(length)
    start_response("201 Created", [("Content-Type", "text/plain")])
    return [b"got " + data]
