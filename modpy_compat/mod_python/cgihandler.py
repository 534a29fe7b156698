"""``mod_python.cgihandler``: ``PythonHandler mod_python.cgihandler`` runs CGI scripts in-process.

The behaviour lives in :mod:`modpy_compat.handlers.cgihandler`; differences
from mod_python are listed in docs/handlers.md.
"""
from modpy_compat.handlers.cgihandler import handler  # noqa: F401 - mod_python's name
from modpy_compat.mod_python import apache  # noqa: F401 - mod_python's module has it

__all__ = ["handler"]
