"""``mod_python.wsgi``: ``PythonHandler mod_python.wsgi`` runs a WSGI application.

``PythonOption mod_python.wsgi.application module::callable`` names it and
``PythonOption mod_python.wsgi.base_uri`` its mount point.  The behaviour
lives in :mod:`modpy_compat.handlers.wsgi`; differences from mod_python are
listed in docs/handlers.md.
"""
from modpy_compat.handlers.wsgi import handler  # noqa: F401 - mod_python's name
from modpy_compat.mod_python import apache  # noqa: F401 - mod_python's module has it

__all__ = ["handler"]
