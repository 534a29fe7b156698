"""The test handler: a diagnostic page about the request, the configuration and Python.

Emulates ``mod_python.testhandler`` (``PythonHandler mod_python.testhandler``),
the page people point at a new installation:

* *General information*: the server software, whether the "MPM" is threaded
  or forked (what ``apache.mpm_query`` answers from the WSGI server), the
  server and document roots, the error log, ``sys.version``, ``sys.path``,
  the interpreter name and whether ``mod_python.publisher`` and
  ``mod_python.psp`` import;
* the request's attributes (method, URI, file name, path info...), which
  mod_python's page does not show;
* tables of the request's input headers, its environment
  (``subprocess_env`` after ``add_common_vars()``), configuration
  (``req.get_config()``), options, notes, the server's configuration and
  options, and the parsed configuration tree (``apache.config_tree()``).

``?view_log=1`` answers the last 100 lines of the error log file
(``ErrorLog``, relative to the server root) as text/plain.  The page is the
Mako template ``modpy_compat/templates/testhandler.mako``.

Differences from mod_python: every value is HTML-escaped (mod_python writes
them raw); the page has a *Request attributes* section; an error log file
that does not exist gets a text/plain note (mod_python fails with a 500),
since modpy_compat sends mod_python's messages to Python logging (logger
``mod_python``) unless ``serve --error-log`` writes them to a file.
"""
from __future__ import annotations

import importlib
import os
import sys
from collections import deque

import modpy_compat
from modpy_compat.constants import AP_MPMQ_IS_FORKED, AP_MPMQ_IS_THREADED, AP_MPMQ_MAX_DAEMONS, \
    AP_MPMQ_MAX_THREADS, OK
from modpy_compat.forms import FieldStorage

__all__ = ["handler"]

# Next to the engine's other templates (handlers/ is installed inside modpy_compat, but
# lives beside it in a source checkout).
TEMPLATE = os.path.join(os.path.dirname(os.path.abspath(modpy_compat.__file__)), "templates",
                        "testhandler.mako")
LOG_LINES = 100

# The request attributes the page lists, in this order.
ATTRIBUTES = ("the_request", "method", "protocol", "hostname", "unparsed_uri", "uri", "args",
              "filename", "canonical_filename", "path_info", "handler", "content_type", "user",
              "ap_auth_type", "interpreter", "phase", "request_time")

_template = None


def handler(req):
    """Write the test page (or, with ``?view_log=1``, the end of the error log); returns ``OK``."""
    from modpy_compat.mod_python import apache
    req.form = FieldStorage(req)
    log_file = os.path.join(apache.server_root(), req.server.error_fname or "")
    if req.form.getfirst("view_log"):
        _view_log(req, log_file)
        return OK
    req.add_common_vars()
    req.content_type = "text/html"
    req.write(_page(req, apache, log_file), 0)
    return OK


def _view_log(req, log_file):
    req.content_type = "text/plain"
    try:
        with open(log_file, "rb") as fh:
            lines = deque(fh, maxlen=LOG_LINES)
    except OSError as exc:
        req.write("The error log %s cannot be read (%s).\nmodpy_compat writes mod_python's "
                  "messages to Python logging (logger \"mod_python\"); `modpy-compat serve "
                  "--error-log FILE` writes them to a file.\n" % (log_file, exc.strerror or exc), 0)
        return
    req.write(b"".join(lines), 0)


def _page(req, apache, log_file):
    global _template
    if _template is None:
        from mako.template import Template
        _template = Template(filename=TEMPLATE, default_filters=["str", "h"])
    threaded = apache.mpm_query(AP_MPMQ_IS_THREADED)
    forked = apache.mpm_query(AP_MPMQ_IS_FORKED)
    general = [
        ("Apache version", req.subprocess_env.get("SERVER_SOFTWARE")),
        ("Apache threaded MPM", "Yes, maximum %i threads / process" % apache.mpm_query(AP_MPMQ_MAX_THREADS)
         if threaded else "No (single thread MPM)"),
        ("Apache forked MPM", "Yes, maximum %i processes" % apache.mpm_query(AP_MPMQ_MAX_DAEMONS)
         if forked else "No (single process MPM)"),
        ("Apache server root", apache.server_root()),
        ("Apache document root", req.document_root()),
    ]
    tables = [
        ("Request input headers", req.headers_in.items()),
        ("Request environment", req.subprocess_env.items()),
        ("Request configuration", req.get_config().items()),
        ("Request options", req.get_options().items()),
        ("Request notes", req.notes.items()),
        ("Server configuration", req.server.get_config().items()),
        ("Server options", req.server.get_options().items()),
    ]
    return _template.render(
        general=general, error_log=log_file if req.server.error_fname else "None",
        error_log_link=bool(req.server.error_fname), python_version=sys.version,
        python_path=list(sys.path), interpreter=req.interpreter,
        modules=[(name, _imports(name)) for name in ("mod_python.publisher", "mod_python.psp")],
        attributes=[(name, getattr(req, name)) for name in ATTRIBUTES],
        tables=tables, tree=list(_tree_lines(apache.config_tree(), 0)))


def _imports(name):
    try:
        importlib.import_module(name)
    except Exception:
        return False
    return True


def _tree_lines(tree, level):
    # mod_python's write_tree: four spaces per nesting level, the directive then its arguments.
    for entry in tree:
        if isinstance(entry, list):
            yield from _tree_lines(entry, level + 1)
        else:
            yield "    " * level + " ".join(entry)
