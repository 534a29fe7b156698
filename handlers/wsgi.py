"""WSGI applications inside a mod_python configuration: ``mod_python.wsgi`` and ``modpython_gateway``.

Two content handlers call a WSGI application for the request and send what
it answers through ``req``:

* :func:`handler` is ``mod_python.wsgi`` (``PythonHandler mod_python.wsgi``):
  ``PythonOption mod_python.wsgi.application module::callable`` (the
  callable defaults to ``application``) names the application, imported as
  ``apache.import_module`` does (reloaded when changed under
  ``PythonAutoReload``); ``req.build_wsgi_env()`` gives the environ, with
  ``SCRIPT_NAME`` the ``PythonOption mod_python.wsgi.base_uri`` or the
  enclosing ``<Location>`` (else empty) and ``PATH_INFO`` the rest of the
  URI.  A missing application, or a URI outside the base, is logged and
  DECLINED.  Errors propagate to the phase (PythonDebug report or 500).
* :func:`gateway_handler` is the classic ``modpython_gateway.py`` (Robert
  Brewer's, copied into Paste and the TurboGears and CherryPy deployment
  recipes): ``PythonHandler modpython_gateway::handler`` with
  ``PythonOption wsgi.application module::callable``, optionally
  ``PythonOption SCRIPT_NAME /mount`` (else ``SCRIPT_NAME`` is empty and
  ``PATH_INFO`` the whole URI), ``wsgi.startup module::function`` (called
  with the request, once) and ``wsgi.cleanup module::function`` (called
  without arguments when the process exits).  The environ is
  ``apache.build_cgi_env(req)`` plus the ``wsgi.*`` keys; an application
  that fails before sending anything gets a plain 500.  It is importable as
  the top-level module ``modpython_gateway`` (modpy_compat.legacy), unless a
  module of that name is on ``sys.path``.

Both give the application a PEP 3333 ``start_response``: a second call
needs ``exc_info`` and replaces the headers, unless they were sent, in which
case the exception is raised again; the ``write()`` callable sends at once.
A list or tuple is sent as one response (with a Content-Length), any other
iterable block by block, each block flushed to the client as it is produced,
and its ``close()`` is called whatever happens.

Differences from mod_python 3.5 (docs/handlers.md): the application's
status is sent (``req.wsgi_start_response`` also sets ``req.status``), its
Content-Type too (mod_python keeps Apache's type for the URI, e.g.
``httpd/unix-directory`` for a directory), ``wsgi.run_once`` is there
(False), and ``close()`` is called for lists too.  For modpython_gateway:
each distinct ``wsgi.startup``/``wsgi.cleanup`` runs once (the original ran
only the first one the process saw), ``close()`` is called on errors too.
"""
from __future__ import annotations

import importlib
import threading
import traceback

from modpy_compat.constants import (
    AP_MPMQ_IS_FORKED, AP_MPMQ_IS_THREADED, APLOG_WARNING, DECLINED, HTTP_INTERNAL_SERVER_ERROR, OK)
from modpy_compat.errors import ConfigError
from modpy_compat.loader import LOADER, resolve_object
from modpy_compat.request_helpers import build_cgi_env

__all__ = ["handler", "gateway_handler", "WSGIResponse", "GatewayHandler", "InputWrapper",
           "ErrorWrapper", "APPLICATION_OPTION"]

APPLICATION_OPTION = "mod_python.wsgi.application"
BASE_URI_OPTION = "mod_python.wsgi.base_uri"
GATEWAY_ERROR = "A server error occurred. Please contact the administrator."


# -- calling the application -----------------------------------------------------------------

class WSGIResponse:
    """One call of a WSGI application, answered through ``req`` (PEP 3333 semantics).

    :param req: the request the application answers.
    """

    def __init__(self, req):
        self.request = req
        self.started = False        # start_response was called
        self._saved = None          # headers_out and content_type before the first call

    @property
    def headers_sent(self):
        """True once the status and headers are frozen (the first body block went out)."""
        return bool(self.request.sent_bodyct)

    def start_response(self, status, headers, exc_info=None):
        """WSGI's ``start_response``: sets the request's status and headers; returns :meth:`write`."""
        req = self.request
        if exc_info:
            try:
                if self.headers_sent:
                    raise exc_info[1].with_traceback(exc_info[2])
            finally:
                exc_info = None     # no reference cycle through the traceback (PEP 3333)
        elif self.started:
            raise AssertionError("start_response() called again without exc_info (PEP 3333)")
        if self._saved is None:
            self._saved = (req.headers_out.copy(), req.content_type)
        else:
            # An error page replaces what the first call set.
            headers_out, content_type = self._saved
            req.headers_out.clear()
            for name, value in headers_out.items():
                req.headers_out.add(name, value)
            if content_type is not None:
                req.content_type = content_type
        self.set_status_and_headers(status, headers)
        self.started = True
        return self.write

    def set_status_and_headers(self, status, headers):
        """``req.wsgi_start_response``, and the application's Content-Type as ``req.content_type``."""
        req = self.request
        req.wsgi_start_response(status, headers)
        for name, value in headers:
            if name.lower() == "content-type":
                req.content_type = value

    def write(self, data):
        """The ``write()`` callable: the block goes to the client at once."""
        if not self.started:
            raise AssertionError("write() before start_response() (PEP 3333)")
        if data:
            self.request.write(data)
            self.request.flush()

    def send(self, result):
        """Send the application's iterable, block by block; ``close()`` it in any case."""
        streaming = not isinstance(result, (list, tuple))
        try:
            for block in result:
                if not block:
                    continue
                if not self.started:
                    raise AssertionError("a body block before start_response() (PEP 3333)")
                self.request.write(block)
                if streaming:
                    self.request.flush()
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()

    def run(self, application, environ):
        """Call ``application`` with ``environ`` and send its answer."""
        self.send(application(environ, self.start_response))


def handler(req):
    """``mod_python.wsgi``: run the application named by ``mod_python.wsgi.application``.

    :returns: ``OK``, or ``DECLINED`` (logged) when there is no application
        or the URI is outside ``mod_python.wsgi.base_uri``.
    :raises ValueError: ``mod_python.wsgi.base_uri`` ends with ``/``.
    """
    spec = req.get_options().get(APPLICATION_OPTION)
    application = _application(req, spec) if spec else None
    if application is None:
        req.log_error("WSGI handler: mod_python.wsgi.application (%r) not found, declining." % spec,
                      APLOG_WARNING)
        return DECLINED
    environ = req.build_wsgi_env()
    if environ is None:
        req.log_error("WSGI handler: req.uri (%r) does not start with mod_python.wsgi.base_uri (%r), "
                      "declining." % (req.uri, req.get_options().get(BASE_URI_OPTION)), APLOG_WARNING)
        return DECLINED
    WSGIResponse(req).run(application, environ)
    return OK


def _application(req, spec):
    # mod_python imports it with apache.import_module, reloading as PythonAutoReload says.
    module_name, _, name = spec.partition("::")
    config = req.get_config()
    module = LOADER.import_module(module_name, autoreload=config.get("PythonAutoReload", "1") == "1",
                                  log_imports=config.get("PythonDebug", "0") == "1")
    return vars(module).get(name or "application")


# -- modpython_gateway ------------------------------------------------------------------------

class InputWrapper:
    """``wsgi.input`` of modpython_gateway: the request body, read through ``req``."""

    def __init__(self, req):
        self.req = req

    def close(self):
        pass

    def read(self, size=-1):
        return self.req.read(-1 if size is None else size)

    def readline(self, size=-1):
        return self.req.readline(-1 if size is None else size)

    def readlines(self, hint=-1):
        return self.req.readlines(-1 if hint is None else hint)

    def __iter__(self):
        return iter(self.readline, b"")


class ErrorWrapper:
    """``wsgi.errors`` of modpython_gateway: each write is a line of the error log."""

    def __init__(self, req):
        self.req = req

    def flush(self):
        pass

    def write(self, msg):
        self.req.log_error(msg)

    def writelines(self, seq):
        self.write("".join(seq))


class GatewayHandler(WSGIResponse):
    """modpython_gateway's ``Handler``: the environ for ``req``, then :meth:`run` the application.

    ``SCRIPT_NAME`` is ``PythonOption SCRIPT_NAME`` (``PATH_INFO`` the URI
    after as many characters) or empty (``PATH_INFO`` the whole URI).
    """

    def __init__(self, req):
        super().__init__(req)
        from modpy_compat.mod_python import apache
        options = req.get_options()
        env = self.environ = dict(build_cgi_env(req).items())
        script_name = options.get("SCRIPT_NAME")
        if script_name is not None:
            env["SCRIPT_NAME"] = script_name
            env["PATH_INFO"] = req.uri[len(script_name):]
        else:
            env["SCRIPT_NAME"] = ""
            env["PATH_INFO"] = req.uri
        env["wsgi.input"] = InputWrapper(req)
        env["wsgi.errors"] = ErrorWrapper(req)
        env["wsgi.version"] = (1, 0)
        env["wsgi.run_once"] = False
        env["wsgi.url_scheme"] = "https" if env.get("HTTPS") in ("yes", "on", "1") else "http"
        env["wsgi.multithread"] = bool(apache.mpm_query(AP_MPMQ_IS_THREADED))
        env["wsgi.multiprocess"] = bool(apache.mpm_query(AP_MPMQ_IS_FORKED))

    def set_status_and_headers(self, status, headers):
        # The gateway's own start_response: Content-Length and Content-Type go to their attributes.
        req = self.request
        req.status = int(status[:3])
        for name, value in headers:
            lowered = name.lower()
            if lowered == "content-length":
                req.set_content_length(int(value))
            elif lowered == "content-type":
                req.content_type = value
            else:
                req.headers_out.add(name, value)

    def run(self, application, environ=None):
        """Call ``application``; an error before anything was written becomes a plain 500."""
        req = self.request
        try:
            self.send(application(self.environ if environ is None else environ, self.start_response))
            if not req._bytes_queued:
                req.set_content_length(0)
        except Exception:
            # The gateway's own boundary: it answers for the application, as the original did.
            traceback.print_exc(None, self.environ["wsgi.errors"])
            if not req._bytes_queued:
                req.status = HTTP_INTERNAL_SERVER_ERROR
                req.content_type = "text/plain"
                req.set_content_length(len(GATEWAY_ERROR))
                req.write(GATEWAY_ERROR)


_once_lock = threading.Lock()
_done = set()           # ("startup" | "cleanup", "module::function") already run or registered


def gateway_handler(req):
    """``modpython_gateway::handler``: run ``wsgi.startup`` once, then ``wsgi.application``; ``OK``.

    :raises ConfigError: ``wsgi.application`` is missing or not ``module::callable``.
    """
    options = req.get_options()
    startup = options.get("wsgi.startup")
    if startup:
        _once("startup", startup, lambda function: function(req))
    cleanup = options.get("wsgi.cleanup")
    if cleanup:
        _once("cleanup", cleanup,
              lambda function: req.server.register_cleanup(req, lambda data: function()))
    spec = options.get("wsgi.application") or ""
    module_name, _, name = spec.partition("::")
    if not module_name or not name:
        raise ConfigError("PythonOption wsgi.application must be 'module::callable', not %r" % spec)
    application = getattr(importlib.import_module(module_name), name)
    GatewayHandler(req).run(application)
    return OK


def _once(kind, spec, action):
    # Each distinct function once per process; the original kept one global per kind.
    key = (kind, spec)
    if key in _done:
        return
    with _once_lock:
        if key in _done:
            return
        module_name, _, name = spec.partition("::")
        if not name:
            raise ConfigError("PythonOption wsgi.%s must be 'module::function', not %r" % (kind, spec))
        action(resolve_object(importlib.import_module(module_name), name))
        _done.add(key)
