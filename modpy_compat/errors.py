"""Errors raised by modpy_compat itself (not by the handlers it runs).

Every error derives from :class:`ModPyCompatError`.  mod_python's own control
flow (``apache.SERVER_RETURN``) is not an error in this sense and lives in
:mod:`modpy_compat.status`.
"""
from __future__ import annotations


class ModPyCompatError(Exception):
    """Base class of every error modpy_compat raises on its own account."""


class ConfigError(ModPyCompatError):
    """A configuration file could not be understood.

    :param message: what is wrong, in words a maintainer understands.
    :param filename: the configuration file the problem is in.
    :param lineno: the line number (1-based) in that file.
    """

    def __init__(self, message: str, filename: str | None = None, lineno: int | None = None):
        self.message = message
        self.filename = filename
        self.lineno = lineno
        super().__init__(str(self))

    def __str__(self) -> str:
        if self.filename is None:
            return self.message
        if self.lineno is None:
            return "%s: %s" % (self.filename, self.message)
        return "%s:%d: %s" % (self.filename, self.lineno, self.message)


class HandlerImportError(ModPyCompatError):
    """A handler module named in the configuration could not be imported."""

    def __init__(self, module: str, directive: str, cause: BaseException):
        self.module = module
        self.directive = directive
        self.cause = cause
        super().__init__("%s: cannot import %r: %s: %s"
                         % (directive, module, type(cause).__name__, cause))


class UnsupportedFeature(ModPyCompatError):
    """A mod_python feature that cannot exist over WSGI was used.

    The message names the member or directive; docs/compatibility.md says why.
    """
