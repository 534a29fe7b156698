"""Python Server Pages, as mod_python runs them.

The language (``<% code %>``, ``<%= expression %>``, ``<%@ include file="..." %>``,
``<%-- comment --%>``) is turned into the same Python program mod_python's
lexer generates (:mod:`.lexer`, :mod:`.codegen`), compiled once per process
(:mod:`.cache`) and run by :class:`PSP` (:mod:`.page`).  ``PythonHandler
mod_python.psp`` (or ``modpy_compat.psp``) serves ``.psp`` files
(:mod:`.handler`).  :mod:`.psp2mako` converts pages to Mako templates for
``modpy_compat.handlers.mako``; :mod:`.scopes` holds the name analysis both
it and the page runner use.  Errors are :class:`PSPError` (:mod:`.errors`).
See docs/psp.md.
"""
from __future__ import annotations

from modpy_compat.psp.errors import (
    PSPEncodingError, PSPError, PSPFileError, PSPSyntaxError)
from modpy_compat.psp.handler import handler
from modpy_compat.psp.page import PSP, PSPInterface

__all__ = ["PSP", "PSPInterface", "PSPError", "PSPSyntaxError", "PSPFileError", "PSPEncodingError",
           "handler", "parse", "parsestring", "compile_file"]


def compile_file(path):
    """Parse and compile the PSP page at ``path``; returns the code object.

    :raises PSPError: with ``path`` and ``line`` when the page does not compile.
    """
    from modpy_compat.psp import codegen
    return codegen.generate_file(path).compile()


def parse(filename, dir=None):
    """The program for the PSP file ``dir + filename`` (mod_python's ``psp.parse``)."""
    from modpy_compat.psp import codegen
    if dir:
        return codegen.generate_file(dir + filename, dir).source
    return codegen.generate_file(filename, "").source


def parsestring(text):
    """The program for the PSP text ``text`` (``str`` or ``bytes``)."""
    from modpy_compat.psp import codegen
    return codegen.generate(text, None, None).source
