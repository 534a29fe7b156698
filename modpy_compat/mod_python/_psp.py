"""``mod_python._psp``: the PSP parser (mod_python's C extension), in Python.

``parse(filename, dir=None)`` and ``parsestring(text)`` return the Python
program mod_python generates for a page; see :mod:`modpy_compat.psp.codegen`.
"""
from modpy_compat.psp import parse, parsestring  # noqa: F401

__all__ = ["parse", "parsestring"]
