"""Errors raised while turning a PSP page into Python code.

Every one derives from :class:`PSPError` (itself a
:class:`modpy_compat.errors.ModPyCompatError`) and names the page and the
line at fault.  Each also derives from the built-in exception mod_python
raised in the same situation, so legacy ``except IOError`` or
``except SyntaxError`` clauses keep catching them:

* :class:`PSPSyntaxError` (a ``SyntaxError``): the page's generated program
  does not compile.  Its ``filename``/``lineno``/``text`` are the *page's*,
  so a traceback shows the page line with a caret, as mod_python's does.
* :class:`PSPFileError` (an ``OSError``): the page or a file it includes
  cannot be read, or includes form a cycle.
* :class:`PSPEncodingError` (a ``UnicodeError``): the page is not in the
  configured encoding (UTF-8 by default).

Exceptions raised by the page's own code while it runs are not wrapped: they
reach the error page (``psp.set_error_page``) or mod_python's error report
unchanged.
"""
from __future__ import annotations

from modpy_compat.errors import ModPyCompatError


class PSPError(ModPyCompatError):
    """A PSP page could not be turned into a program.

    :param message: what is wrong, in a page author's words.
    :param path: the page (or included file) at fault; None for a string page.
    :param line: the 1-based line in that file; None when unknown.
    """

    def __init__(self, message: str, path: str | None = None, line: int | None = None):
        self.message = message
        self.path = path
        self.line = line
        super().__init__(message)

    def __str__(self) -> str:
        where = self.path or "<string>"
        if self.line is not None:
            where = "%s:%d" % (where, self.line)
        return "%s: %s" % (where, self.message)


class PSPSyntaxError(PSPError, SyntaxError):
    """The program generated for a page does not compile.

    ``filename``, ``lineno``, ``offset`` and ``text`` describe the page line
    (mapped back through comments and includes), so ``traceback`` prints it
    the way Python prints a syntax error in a module.
    """

    def __init__(self, message: str, path: str | None = None, line: int | None = None,
                 text: str | None = None, offset: int | None = None):
        PSPError.__init__(self, message, path, line)
        SyntaxError.__init__(self, message, (path or "<string>", line, offset, text))

    __str__ = PSPError.__str__


class PSPFileError(PSPError, OSError):
    """A page or an included file cannot be read, or includes form a cycle.

    ``errno`` and ``filename`` are those of the failed ``open()`` (None for a cycle).
    """

    def __init__(self, message: str, path: str | None = None, line: int | None = None,
                 errno: int | None = None, filename: str | None = None):
        PSPError.__init__(self, message, path, line)
        self.errno = errno
        self.strerror = message
        self.filename = filename

    __str__ = PSPError.__str__


class PSPEncodingError(PSPError, UnicodeError):
    """A page's bytes are not valid in the page encoding."""

    __str__ = PSPError.__str__
