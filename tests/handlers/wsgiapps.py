"""WSGI applications the handler tests mount (imported by name: ``tests.handlers.wsgiapps::dump``).

``dump`` and ``webob_dump`` answer, as JSON, the environ fields the tests compare with what
mod_wsgi gives: the same fields whichever way the application reads them.
"""
from __future__ import annotations

import json
import sys

import webob
import webob.dec

FIELDS = ("REQUEST_METHOD", "SCRIPT_NAME", "PATH_INFO", "QUERY_STRING", "CONTENT_TYPE", "CONTENT_LENGTH",
          "wsgi.url_scheme")


def dump(environ, start_response):
    """A plain WSGI application: the compared fields, the HTTP_X_* headers and the body."""
    length = int(environ.get("CONTENT_LENGTH") or 0)
    body = environ["wsgi.input"].read(length) if length else b""
    answer = {name: environ.get(name) for name in FIELDS}
    answer.update((k, v) for k, v in environ.items() if k.startswith("HTTP_X_"))
    answer["body"] = body.decode("latin-1")
    start_response("200 OK", [("Content-Type", "application/json")])
    return [json.dumps(answer, sort_keys=True).encode("utf-8")]


@webob.dec.wsgify
def webob_dump(request):
    """The same through WebOb: script_name, path_info, the query and the body as WebOb sees them."""
    environ = request.environ
    answer = {name: environ.get(name) for name in FIELDS}
    answer.update((k, v) for k, v in environ.items() if k.startswith("HTTP_X_"))
    answer["body"] = request.body.decode("latin-1")
    answer["webob"] = {"script_name": request.script_name, "path_info": request.path_info,
                       "GET": sorted(request.GET.items()), "POST": sorted(request.POST.items()),
                       "url": request.path_url}
    response = webob.Response(body=json.dumps(answer, sort_keys=True).encode("utf-8"))
    response.headers["Content-Type"] = "application/json"
    return response


RECEIVED = []  # what the client received so far (the tests' outer server appends to it)
SEEN = {}      # RECEIVED at points the applications name


def streamed(environ, start_response):
    """Two blocks from a generator; records what the client had when the second was made."""
    start_response("200 OK", [("Content-Type", "text/plain")])
    yield b"first\n"
    SEEN["before second"] = list(RECEIVED)
    yield b"second\n"


def written(environ, start_response):
    """The write() callable, then an empty iterable."""
    write = start_response("200 OK", [("Content-Type", "text/plain")])
    write(b"written ")
    SEEN["after write"] = list(RECEIVED)
    return [b"returned\n"]


def error_page(environ, start_response):
    """start_response once, then again with exc_info before any body: the error page wins."""
    start_response("200 OK", [("Content-Type", "text/html"), ("X-First", "1")])
    try:
        raise ValueError("broken")
    except ValueError:
        start_response("503 Service Unavailable", [("Content-Type", "text/plain"), ("X-Second", "2")],
                       sys.exc_info())
    return [b"sorry\n"]


def late_error(environ, start_response):
    """exc_info after the first block was sent: the exception comes back out of start_response."""
    start_response("200 OK", [("Content-Type", "text/plain")])
    yield b"partial\n"
    try:
        raise KeyError("late")
    except KeyError:
        start_response("500 Internal Server Error", [("Content-Type", "text/plain")], sys.exc_info())
    yield b"never\n"


class Closing:
    """An iterable with close(): records that it was closed."""

    closed = []

    def __init__(self, blocks):
        self.blocks = blocks

    def __iter__(self):
        return iter(self.blocks)

    def close(self):
        Closing.closed.append(self.blocks)


def closing(environ, start_response):
    start_response("201 Created", [("Content-Type", "text/plain"), ("X-Multi", "a"), ("X-Multi", "b")])
    return Closing([b"made\n"])


def failing(environ, start_response):
    """Fails before anything is sent."""
    start_response("200 OK", [("Content-Type", "text/html")])
    raise RuntimeError("application failure")


STARTS = []
CLEANUPS = []


def startup(req):
    """wsgi.startup: called with the request."""
    STARTS.append(req.uri)


def cleanup():
    """wsgi.cleanup: called without arguments at exit."""
    CLEANUPS.append(True)
