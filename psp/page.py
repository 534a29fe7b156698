"""The ``PSP`` class and the ``psp`` object pages see (mod_python.psp's runtime).

``PSP(req, filename=None, string=None, vars={})`` loads a page through the
compiled-page cache; ``run(vars={}, flush=0)`` executes it in fresh globals:

* a copy of ``mod_python.psp``'s module globals (``apache``, ``util``,
  ``Session``, ``os``, ``sys``, ``escape``, ... that legacy pages use without
  importing them);
* ``req``; ``psp`` (a :class:`PSPInterface`); ``form``, a
  ``util.FieldStorage`` created only when the page's top-level code names
  ``form``; ``session``, created (and locked) only when it names
  ``session``, saved after the page ran and unlocked at the end;
* the constructor's ``vars``, then ``run``'s (later wins); ``__file__`` is
  ``req.filename``.

When the page raises and called ``psp.set_error_page()``, the error page
runs with ``exception = (type, value, traceback)`` after the failed page's
output.  Otherwise the exception propagates unchanged: mod_python 3.5
re-raises a *copy* (``raise et(ev)``), which turns ``psp.redirect()``'s
``SERVER_RETURN`` into a 500; this follows 3.3.1 and lets it through.
"""
from __future__ import annotations

import builtins
import os
import stat
import sys
from html import escape
from types import FunctionType

from modpy_compat.constants import HTTP_NOT_FOUND, SERVER_RETURN
from modpy_compat.psp import codegen
from modpy_compat.psp.cache import PAGES
from modpy_compat.psp.codegen import FAST_EXTEND, FAST_STR, FAST_WRITER
from modpy_compat.psp.lexer import DEFAULT_ENCODING, read_file

ENCODING_OPTION = "modpy_compat.psp.encoding"
BUFFER_OPTION = "modpy_compat.psp.buffer"        # "Off": each piece goes to req.write at once
DBM_OPTIONS = ("mod_python.psp.cache_database_filename", "PSPDbmCache")

_base_globals = None
# Names of our legacy module that mod_python's module did not have.
_NOT_PAGE_GLOBALS = frozenset(["__path__", "__spec__", "__loader__", "__cached__", "__all__", "__getattr__"])


def _legacy(name):
    """``modpy_compat.mod_python.<name>``, or None while that module does not exist yet."""
    import importlib
    try:
        return importlib.import_module("modpy_compat.mod_python." + name)
    except ImportError as exc:
        if exc.name not in ("modpy_compat.mod_python." + name,):
            raise
        return None


def util_module():
    """``mod_python.util``, imported when first needed."""
    util = _legacy("util")
    if util is None:
        raise ImportError("mod_python.util is not available in this installation")
    return util


def session_module():
    """``mod_python.Session``, imported when first needed."""
    module = _legacy("Session")
    if module is None:
        raise ImportError("mod_python.Session is not available in this installation")
    return module


def page_globals() -> dict:
    """A fresh copy of the globals every page starts with (``mod_python.psp``'s module globals)."""
    global _base_globals
    base = _base_globals
    if base is None:
        legacy = _legacy("psp")
        base = {k: v for k, v in vars(legacy).items() if k not in _NOT_PAGE_GLOBALS}
        base["__name__"] = "mod_python.psp"
        for name in ("util", "Session"):
            module = _legacy(name)
            if module is not None:
                base[name] = module
        if "util" in base and "Session" in base:
            _base_globals = base    # complete: build it only once
    return dict(base)


class _InstanceInfo:
    """``__mp_info__`` in page globals, as mod_python's importer describes a module."""

    def __init__(self, label, file, cache):
        self.label = label
        self.file = file
        self.cache = cache
        self.children = {}


def _directory(filename):
    return filename.rpartition("/")[0] + "/"


class PSPInterface:
    """The ``psp`` object inside a page.

    :ivar req: the request.
    :ivar filename: the page's file (None for a string page).
    :ivar form: the page's ``FieldStorage`` (None until one was needed).
    :ivar error_page: the :class:`PSP` set by :meth:`set_error_page`, or None.
    """

    def __init__(self, req, filename, form):
        self.req = req
        self.filename = filename
        self.error_page = None
        self.form = form

    def _page(self, filename):
        return PSP(self.req, filename)

    def set_error_page(self, page):
        """Run ``page`` instead of failing if this page raises.

        A ``page`` starting with ``/`` is relative to the document root,
        anything else to this page's directory.  The error page is loaded
        now, so a missing one is a 404 at this call.
        """
        if page and page[0] == "/":
            self.error_page = self._page(self.req.document_root() + page)
        else:
            base = self.filename or self.req.filename or ""
            self.error_page = self._page(_directory(base) + page)

    def apply_data(self, object):
        """Call ``object`` with the form fields it takes as arguments (``util.apply_fs_data``)."""
        util = util_module()
        if not self.form:
            if not hasattr(self.req, "form"):
                # Stored on req so an error page sees the same form.
                self.form = util.FieldStorage(self.req, keep_blank_values=1)
                self.req.form = self.form
            else:
                self.form = self.req.form
        return util.apply_fs_data(object, self.form, req=self.req)

    def redirect(self, location, permanent=0):
        """Redirect the client (``util.redirect``); only before any output was flushed."""
        util_module().redirect(self.req, location, permanent)


class PSP:
    """A PSP page bound to a request.

    :param req: the request.
    :param filename: the page file; relative names are relative to the
        directory of ``req.filename``.  Default: ``req.filename``.
    :param string: the page text instead of a file (``str`` or ``bytes``).
    :param vars: extra globals for the page.
    :raises ValueError: when both ``filename`` and ``string`` are given.
    :raises SERVER_RETURN: ``HTTP_NOT_FOUND`` when the file does not exist.
    :raises PSPError: when the page cannot be read or does not compile.
    """

    code = None
    dbmcache = None
    interface = PSPInterface
    _buffered = True

    def __init__(self, req, filename=None, string=None, vars={}):
        if string and filename:
            raise ValueError("Must specify either filename or string")
        self.req, self.vars = req, vars
        if not filename and not string:
            filename = req.filename
        self.filename, self.string = filename, string
        if filename:
            if filename[:1] != "/" and not os.path.isabs(filename):
                self.filename = os.path.join(os.path.split(req.filename)[0], filename)
            self.load_from_file()
        else:
            self.load_from_string()

    def _encoding(self):
        options = self.req.get_options()
        if not options:
            return DEFAULT_ENCODING
        for name in DBM_OPTIONS:
            if name in options:
                # Accepted for compatibility; the in-memory cache is used instead.
                self.dbmcache = options[name]
                break
        if options.get(BUFFER_OPTION, "on").lower() in ("off", "0", "no"):
            self._buffered = False
        return options.get(ENCODING_OPTION) or DEFAULT_ENCODING

    def load_from_file(self):
        filename = self.filename
        try:
            info = os.stat(filename)
        except (OSError, ValueError):
            info = None
        if info is None or not stat.S_ISREG(info.st_mode):
            raise SERVER_RETURN(HTTP_NOT_FOUND)
        self.page = PAGES.get_file(filename, _directory(filename), self._encoding(), info)
        self.code = self.page.code

    def load_from_string(self):
        req_file = getattr(self.req, "filename", None)
        include_dir = _directory(req_file) if req_file else None
        self.page = PAGES.get_string(self.string, include_dir, self._encoding())
        self.code = self.page.code

    def run(self, vars={}, flush=0):
        """Run the page: its output goes to ``req.write(..., 0)``; ``flush`` flushes afterwards."""
        req, names = self.req, self.page.names
        session = None
        if "session" in names and not hasattr(req, "session"):
            # Kept on req so that an error page using the session does not deadlock on its lock.
            req.session = session = session_module().Session(req)
        form = None
        if "form" in names:
            if not hasattr(req, "form"):
                form = req.form = util_module().FieldStorage(req, keep_blank_values=1)
            else:
                form = req.form
        psp = self.interface(req, self.filename, form)
        page = self.page
        scope = page_globals()
        code, arguments, output = page.code, page.arguments, None
        if page.fast:
            if (self.vars and ("req" in self.vars or "str" in self.vars)) or (
                    vars and ("req" in vars or "str" in vars)):
                # The generated code must write to (and convert with) what the variables say.
                code, arguments = page.faithful_code(), None
            else:
                output = _buffer_output(req, scope, self._buffered)
        try:
            scope.update(req=req, form=form, psp=psp, session=getattr(req, "session", None))
            if self.vars:
                scope.update(self.vars)
            if vars:
                scope.update(vars)
            filename = req.filename
            scope.update(__file__=filename, __mp_info__=_InstanceInfo(None, filename, None), __mp_path__=[])
            try:
                if arguments is None:
                    exec(code, scope)
                else:
                    scope.setdefault("__builtins__", builtins)   # exec() would add it
                    FunctionType(code, scope)(*arguments(scope))
                if flush:
                    req.flush()
                # Merely loading a session changes it (its access time): always save.
                if hasattr(req, "session"):
                    req.session.save()
            except Exception:
                exc_info = sys.exc_info()
                annotate(exc_info[1], page)
                if psp.error_page is None:
                    raise
                psp.error_page.run({"exception": exc_info}, flush)
        finally:
            if output is not None:
                output.release()
            if session is not None:
                session.unlock()
                del req.session

    def __str__(self):
        self.req.content_type = "text/html"
        self.run()
        return ""

    def display_code(self):
        """Write an HTML table: the generated program next to the page, line by line."""
        req, filename = self.req, self.filename
        source = read_file(filename, self._encoding())[0].splitlines()
        program = codegen.generate_file(filename, _directory(filename), self._encoding()).source.splitlines()
        source = [s.rstrip() for s in source]
        program = [s.rstrip() for s in program]
        req.write("<table>\n<tr>")
        for cell in ("", "&nbsp;PSP-produced Python Code:", "&nbsp;%s:" % filename):
            req.write("<td><tt>%s</tt></td>" % cell)
        req.write("</tr>\n")
        for n, line in enumerate(program, 1):
            req.write("<tr>")
            left = _listing(line)
            right = _listing(source[n - 1]) if n <= len(source) else ""
            for cell in ("%d.&nbsp;" % n, "<font color=blue>%s</font>" % left,
                         "&nbsp;<font color=green>%s</font>" % right):
                req.write("<td><tt>%s</tt></td>" % cell)
            req.write("</tr>\n")
        req.write("</table>\n")


def _buffer_output(req, scope, buffered=True):
    """Bind the fast program's names in ``scope``; returns the buffer to release, or None.

    With modpy_compat's request the page's text goes to a list (a C-level
    append per piece, which is what makes a PSP page as cheap as a Mako
    template) and :class:`_BufferedOutput` hands it to ``req.write`` before
    anything else touches the response.  With any other ``req`` object (a
    stub in a test, say) each piece goes straight to ``req.write(text, 0)``.
    """
    output = getattr(req, "__dict__", {}).get("_output")
    if output is not None and buffered is False:
        output = None
    scope[FAST_STR] = str
    if output is None:
        write = req.write

        def extend(pieces):
            for piece in pieces:
                write(piece, 0)
        scope[FAST_WRITER] = lambda text: write(text, 0)
        scope[FAST_EXTEND] = extend
        return None
    buffer = []
    scope[FAST_WRITER] = buffer.append
    scope[FAST_EXTEND] = buffer.extend
    proxy = _BufferedOutput(output, req, buffer)
    req.__dict__["_output"] = proxy
    return proxy


class _BufferedOutput:
    """Stands in for the request's output object while a page runs.

    Every use of the output (``req.write``, ``req.flush``, ``req.sendfile``,
    ``req.sent_bodyct``, an internal redirect's response...) first writes the
    page text collected so far with ``req.write(text, 0)``, so the response
    gets exactly the bytes, in the order, mod_python's one ``req.write(text, 0)``
    per piece would give.  What cannot be reproduced: Apache's sending of the
    headers once ~8 KB wait, which now happens only when the text is handed
    over (docs/compatibility.md).
    """

    __slots__ = ("_real", "_req", "_buffer")

    def __init__(self, real, req, buffer):
        object.__setattr__(self, "_real", real)
        object.__setattr__(self, "_req", req)
        object.__setattr__(self, "_buffer", buffer)

    def drain(self):
        buffer = self._buffer
        if buffer:
            text = "".join(buffer)
            del buffer[:]
            self._req.write(text, 0)

    def release(self):
        """Put the real output object back and write what is left."""
        req = self._req
        if req.__dict__.get("_output") is self:
            req.__dict__["_output"] = self._real
        self.drain()

    def __getattr__(self, name):
        self.drain()
        return getattr(self._real, name)

    def __setattr__(self, name, value):
        self.drain()
        setattr(self._real, name, value)


def _listing(line):
    return escape(line).replace("\t", "    ").replace(" ", "&nbsp;")


def annotate(exc, page):
    """Add a note to ``exc`` for page frames whose program line is not the page line.

    Program line N is page line N except after a multi-line comment or an
    include; there the traceback's line number (and the source line Python
    shows) would mislead, so the note names the real file and line.
    """
    code = page.code
    tb = exc.__traceback__
    notes = []
    while tb is not None:
        frame_code = tb.tb_frame.f_code
        if frame_code.co_filename == code.co_filename:
            path, line = page.program.position(tb.tb_lineno)
            if path != page.program.path:
                notes.append("PSP: line %d of the program generated for %s is line %d of %s"
                             % (tb.tb_lineno, code.co_filename, line, path))
            elif line != tb.tb_lineno:
                notes.append("PSP: line %d of the program generated for %s is line %d of the page"
                             % (tb.tb_lineno, code.co_filename, line))
        tb = tb.tb_next
    for note in notes:
        if hasattr(exc, "add_note"):
            exc.add_note(note)
        else:
            try:
                exc.__notes__ = list(getattr(exc, "__notes__", ())) + [note]
            except AttributeError:
                pass
