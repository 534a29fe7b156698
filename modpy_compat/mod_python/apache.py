"""``mod_python.apache``: constants, ``SERVER_RETURN``, ``table``, logging and the importer.

Names and signatures are mod_python's; the behaviour lives in the engine
(:mod:`modpy_compat.constants`, :mod:`modpy_compat.table`,
:mod:`modpy_compat.loader`).  Differences are listed in docs/compatibility.md.
"""
from __future__ import annotations

import os
import sys
import time

from modpy_compat.constants import *  # noqa: F401,F403 - mod_python's constants, all of them
from modpy_compat.constants import (
    AP_MPMQ_DYNAMIC, AP_MPMQ_IS_FORKED, AP_MPMQ_IS_THREADED, AP_MPMQ_MAX_DAEMONS,
    AP_MPMQ_MAX_THREADS, AP_MPMQ_NOT_SUPPORTED, AP_MPMQ_STATIC, APLOG_ERR, APR_NOFILE,
    SERVER_RETURN)
from modpy_compat import constants as _constants
from modpy_compat.errorlog import log_error as _log_error
from modpy_compat.loader import LOADER as _LOADER, resolve_object  # noqa: F401
from modpy_compat.table import table

make_table = table
interpreter = "main_interpreter"
main_server = None
_gateway = None

__all__ = [name for name in dir(_constants) if name.isupper() or name == "SERVER_RETURN"] + [
    "table", "make_table", "log_error", "import_module", "resolve_object", "build_cgi_env",
    "mpm_query", "exists_config_define", "config_tree", "server_root", "register_cleanup",
    "stat", "interpreter", "main_server"]


def init(gateway):
    """Called by the gateway at start-up, as mod_python calls ``apache.init`` per interpreter."""
    global _gateway, main_server
    _gateway = gateway
    main_server = gateway.main_server
    sys.argv = ["mod_python"]


def log_error(message, level=APLOG_ERR, server=None):
    """Write ``message`` to the error log (``apache.log_error``)."""
    _log_error(message, level, server)


def import_module(module_name, autoreload=1, log=0, path=None):
    """Import a module the way mod_python's importer does, reloading it when changed."""
    return _LOADER.import_module(module_name, autoreload=bool(autoreload), log_imports=bool(log),
                                 path=path, directory=os.getcwd() if module_name.startswith(".") else None)


def build_cgi_env(req):
    """A copy of ``req.subprocess_env`` with the CGI variables (``apache.build_cgi_env``)."""
    req.add_common_vars()
    env = req.subprocess_env.copy()
    path_info = req.path_info or ""
    uri = req.uri
    env["SCRIPT_NAME"] = uri[:len(uri) - len(path_info)] if path_info and uri.endswith(path_info) else uri
    env["GATEWAY_INTERFACE"] = "Python-CGI/1.1"
    if "Authorization" in req.headers_in:
        env["HTTP_AUTHORIZATION"] = req.headers_in.get("Authorization")
    return env


def mpm_query(code):
    """Answer an MPM question from what the WSGI server says it is."""
    if not isinstance(code, int):
        raise TypeError("The argument must be an integer")
    threaded, forked, threads, daemons = _gateway.mpm_facts() if _gateway else (True, False, 8, 1)
    if code == AP_MPMQ_IS_THREADED:
        return AP_MPMQ_STATIC if threaded else AP_MPMQ_NOT_SUPPORTED
    if code == AP_MPMQ_IS_FORKED:
        return AP_MPMQ_DYNAMIC if forked else AP_MPMQ_NOT_SUPPORTED
    if code == AP_MPMQ_MAX_THREADS:
        return threads
    if code == AP_MPMQ_MAX_DAEMONS:
        return daemons
    return 0


def exists_config_define(name):
    """True when ``name`` is defined (``modpy-compat serve -D NAME``, like ``httpd -D``)."""
    return bool(_gateway and name in _gateway.site.defines)


def config_tree():
    """The parsed configuration as mod_python's nested list of (directive, args) tuples."""
    from modpy_compat.config import lexer

    def convert(nodes):
        out = []
        for node in nodes:
            if isinstance(node, lexer.Section):
                out.append(("<" + node.name, node.raw + ">"))
                out.append(convert(node.children))
            else:
                out.append((node.name, node.raw))
        return out
    return convert(_gateway.site.tree) if _gateway else []


def server_root():
    return _gateway.site.server_root if _gateway else os.getcwd()


def register_cleanup(callable_, data=None):
    """Run ``callable_(data)`` at process exit (mod_python: child shutdown)."""
    import atexit
    from modpy_compat.server import _run_cleanup
    atexit.register(_run_cleanup, callable_, data)


def stat(fname, wanted):
    """``apache.stat``: an finfo for ``fname``; a missing file is not an error."""
    from modpy_compat.finfo import finfo_for
    return finfo_for(fname)


def timestamp():
    return time.time()
