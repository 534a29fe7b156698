"""Floor for scenario 6: the 50 kB static file sent with ``wsgi.file_wrapper``."""
import os

PATH = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                    "htdocs", "static", "50k.txt")


def application(environ, start_response):
    handle = open(PATH, "rb")
    size = os.fstat(handle.fileno()).st_size
    start_response("200 OK", [("Content-Type", "text/plain"),
                              ("Content-Length", str(size))])
    return environ["wsgi.file_wrapper"](handle, 65536)
