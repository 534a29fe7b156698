"""``mod_python.testhandler``: ``PythonHandler mod_python.testhandler`` shows a diagnostic page.

The behaviour lives in :mod:`modpy_compat.handlers.testhandler`; differences
from mod_python are listed in docs/handlers.md.
"""
from modpy_compat.handlers.testhandler import handler  # noqa: F401 - mod_python's name
from modpy_compat.mod_python import apache, util  # noqa: F401 - mod_python's module has them

__all__ = ["handler"]
