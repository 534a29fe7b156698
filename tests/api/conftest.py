"""Fixtures for the API tests: a site whose handler evaluates what the test sends.

``probe`` builds a site (``htdocs/app/`` handled by ``probe.py``) and returns a
:class:`Probe`: ``probe.eval("req.method")`` sends a request whose
``X-Probe`` header carries the expression (base64) and returns the ``repr``
of its value as computed inside the handler, so every value is pinned through
a real request.  ``probe.run(code)`` executes statements and returns the
``repr`` of the variable ``out``.  Extra configuration and files can be given.
"""
from __future__ import annotations

import base64
import io

import pytest
import webob

PROBE_CONF = """
    ServerName www.example.com
    DocumentRoot htdocs
    <Directory htdocs/app>
        SetHandler mod_python
        PythonHandler probe
        PythonOption opt1 v1
    %s
    </Directory>
    %s
"""

PROBE = '''
import base64, os, sys, time
import _apache
from mod_python import apache

def handler(req):
    code = base64.b64decode(req.headers_in["X-Probe"]).decode("utf-8")
    mode = req.headers_in.get("X-Mode", "eval")
    ns = {"req": req, "apache": apache, "_apache": _apache, "os": os, "sys": sys,
          "time": time, "out": None, "here": os.path.dirname(__file__)}
    if mode == "eval":
        out = eval(code, ns)
    else:
        exec(code, ns)
        out = ns["out"]
        if ns.get("raw"):
            return ns.get("result", apache.OK)
    if not req._content_type_set:
        req.content_type = "text/plain"
    text = repr(out)
    if not req.sent_bodyct and text.isprintable() and len(text) < 200:
        req.headers_out["X-Out"] = text   # what HEAD requests are answered with
    req.write(text, 0)
    return ns.get("result", apache.OK)
'''


class Probe:
    """Send requests to the probe site; see the module docstring."""

    def __init__(self, client, root):
        self.client = client
        self.root = root
        self.errors = io.StringIO()

    def request(self, code, mode="eval", path="/app/x", method="GET", headers=None, body=None,
                environ=None):
        headers = dict(headers or {})
        headers["X-Probe"] = base64.b64encode(code.encode("utf-8")).decode("ascii")
        headers["X-Mode"] = mode
        env = {"REMOTE_ADDR": "127.0.0.1", "REMOTE_PORT": "40000", "wsgi.errors": self.errors}
        env.update(environ or {})
        req = webob.Request.blank(path, method=method, headers=headers, environ=env)
        if body is not None:
            req.body = body
        return self.client.do_request(req, status=None, expect_errors=True)

    def eval(self, expr, **kw):
        """The ``repr`` (as text) of ``expr`` evaluated in the handler."""
        return self.request(expr, **kw).text

    def run(self, code, **kw):
        """Execute ``code`` in the handler; the ``repr`` of its ``out`` variable."""
        return self.request(code, mode="exec", **kw).text

    def response(self, code, **kw):
        """Execute ``code`` in the handler and return the whole response."""
        return self.request(code, mode="exec", **kw)


@pytest.fixture
def make_probe(make_site):
    """``make_probe(directory_conf="", server_conf="", files=None)`` -> :class:`Probe`."""
    def build(directory_conf="", server_conf="", files=None):
        all_files = {"htdocs/app/probe.py": PROBE, "htdocs/app/data.txt": "0123456789\n"}
        all_files.update(files or {})
        client = make_site(PROBE_CONF % (directory_conf, server_conf), all_files)
        return Probe(client, make_site.root)
    return build


@pytest.fixture
def probe(make_probe):
    return make_probe()


def call_wsgi(client, path, method="GET", headers=None, body=b"", errors=None):
    """Call the application behind ``client`` directly: ``(status, headers, body bytes)``.

    For what a test client would rewrite (it decodes gzip bodies, for one).
    ``errors`` receives what the application writes to ``wsgi.errors``.
    """
    req = webob.Request.blank(path, method=method, headers=headers or {},
                              environ={"REMOTE_ADDR": "127.0.0.1",
                                       "wsgi.errors": errors if errors is not None else io.StringIO()})
    if body:
        req.body = body
    started, written = [], []

    def start_response(status, response_headers, exc_info=None):
        started.append((status, response_headers))
        return written.append
    result = client.app(req.environ, start_response)
    try:
        written.extend(result)
    finally:
        getattr(result, "close", lambda: None)()
    return started[0][0], started[0][1], b"".join(written)
