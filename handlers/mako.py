"""The Mako handler: ``PythonHandler modpy_compat.handlers.mako`` renders ``.mako`` pages.

Where a site moves its PSP pages to Mako (``psp2mako`` converts them), the
templates keep what PSP pages had, as template variables:

* ``req``; ``psp``, whose ``redirect()``, ``apply_data()`` and
  ``set_error_page()`` work as in a PSP page (an error page is a Mako page
  and gets ``exception = (type, value, traceback)``);
* ``form`` (a ``util.FieldStorage``) and ``session`` (locked while the page
  runs, saved after it, unlocked at the end), each created only when the
  template uses the name (Mako pulls it from the context);
* ``mod_python.psp``'s module globals (``apache``, ``util``, ``os``, ``sys``,
  ``escape``...), which PSP pages use without importing them.

Configuration::

    AddHandler mod_python .mako
    PythonHandler modpy_compat.handlers.mako
    DirectoryIndex index.mako

Templates are looked up in the document root when the page lies under it
(so ``<%include file="/header.mako"/>`` names a file from there) and in the
page's own directory otherwise; ``PythonOption modpy_compat.mako.directories
"dir1 dir2"`` adds directories.  They are compiled in memory, once per
process, and recompiled when they or the templates they use change (Mako's
``filesystem_checks``).  ``PythonOption modpy_compat.mako.encoding`` sets the
source encoding (UTF-8).

Rendering collects the output and writes it with one ``req.write(text, 0)``
when the template is done, as Mako renders: text a template writes with
``req.write`` directly comes *before* the template's own output (``psp2mako``
turns ``req.write(x)`` statements into ``context.write(x)``).  When the
template raises, what it rendered so far is written before the error page
or the error report, as a PSP page's would be.
"""
from __future__ import annotations

import os
import re
import stat
import sys
import threading

from mako.lookup import TemplateLookup
from mako.runtime import Context
from mako.util import FastEncodingBuffer

from modpy_compat.constants import HTTP_NOT_FOUND, OK, SERVER_RETURN
from modpy_compat.psp.page import PSPInterface, page_globals, session_module, util_module

ENCODING_OPTION = "modpy_compat.mako.encoding"
DIRECTORIES_OPTION = "modpy_compat.mako.directories"

_lookups = {}
_lookups_lock = threading.Lock()
_USES = re.compile(r"^\s*(form|session) = context\.get\(", re.M)


def _lookup(directories, encoding):
    """One TemplateLookup per (directories, encoding), shared by all threads (Mako locks itself)."""
    key = (directories, encoding)
    lookup = _lookups.get(key)
    if lookup is None:
        with _lookups_lock:
            lookup = _lookups.get(key)
            if lookup is None:
                lookup = _lookups[key] = TemplateLookup(
                    directories=list(directories), filesystem_checks=True, input_encoding=encoding,
                    collection_size=512)
    return lookup


_globals = None


def _template_globals():
    """A fresh copy of ``mod_python.psp``'s globals without the module's own dunder names."""
    global _globals
    if _globals is not None:
        return dict(_globals)
    data = {k: v for k, v in page_globals().items() if not k.startswith("__")}
    if "util" in data and "Session" in data:
        _globals = data     # complete: build it only once
    return dict(data)


def _template_uses(template):
    """The names among ``form`` and ``session`` the template pulls from its context."""
    uses = getattr(template, "_modpy_uses", None)
    if uses is None:
        uses = template._modpy_uses = frozenset(_USES.findall(template.code))
    return uses


class MakoInterface(PSPInterface):
    """The ``psp`` object of a Mako page: its error page is a Mako page too."""

    def _page(self, filename):
        return MakoPage(self.req, filename)


class MakoPage:
    """A Mako template bound to a request, run like a PSP page.

    :param req: the request.
    :param filename: the template file; relative names are relative to the
        directory of ``req.filename``.  Default: ``req.filename``.
    :param vars: extra template variables.
    :raises SERVER_RETURN: ``HTTP_NOT_FOUND`` when the file does not exist.
    """

    def __init__(self, req, filename=None, vars={}):
        self.req, self.vars = req, vars
        filename = filename or req.filename
        if not os.path.isabs(filename):
            filename = os.path.join(os.path.split(req.filename)[0], filename)
        self.filename = filename
        try:
            info = os.stat(filename)
        except (OSError, ValueError):
            info = None
        if info is None or not stat.S_ISREG(info.st_mode):
            raise SERVER_RETURN(HTTP_NOT_FOUND)
        self.template = self._load()

    def _load(self):
        options = self.req.get_options() or {}
        encoding = options.get(ENCODING_OPTION) or "utf-8"
        extra = tuple(os.path.abspath(d) for d in (options.get(DIRECTORIES_OPTION) or "").split())
        root = os.path.abspath(self.req.document_root() or "/")
        path = os.path.abspath(self.filename)
        if path.startswith(root.rstrip("/") + "/"):
            directories, uri = (root,) + extra, path[len(root.rstrip("/")):]
        else:
            directory, name = os.path.split(path)
            directories, uri = (directory,) + extra, "/" + name
        return _lookup(directories, encoding).get_template(uri)

    def run(self, vars={}, flush=0):
        """Render the template into the response (``req.write(text, 0)``)."""
        req = self.req
        uses = _template_uses(self.template)
        session = None
        if "session" in uses and not hasattr(req, "session"):
            req.session = session = session_module().Session(req)
        form = None
        if "form" in uses:
            if not hasattr(req, "form"):
                form = req.form = util_module().FieldStorage(req, keep_blank_values=1)
            else:
                form = req.form
        psp = MakoInterface(req, self.filename, form)
        data = _template_globals()
        data.update(req=req, form=form, psp=psp, session=getattr(req, "session", None))
        data.update(self.vars)
        data.update(vars)
        buffer = FastEncodingBuffer()
        try:
            try:
                self.template.render_context(Context(buffer, **data))
            except Exception:
                exc_info = sys.exc_info()
                req.write(buffer.getvalue(), 0)
                _annotate(exc_info[1])
                if psp.error_page is None:
                    raise
                psp.error_page.run({"exception": exc_info}, flush)
            else:
                req.write(buffer.getvalue(), 0)
                if flush:
                    req.flush()
                if hasattr(req, "session"):
                    req.session.save()
        finally:
            if session is not None:
                session.unlock()
                del req.session

    def __str__(self):
        self.req.content_type = "text/html"
        self.run()
        return ""


def _annotate(exc):
    """Add the template file and line of the failure (Mako's RichTraceback) as a note."""
    from mako.exceptions import RichTraceback
    try:
        records = RichTraceback(exc, exc.__traceback__).records
    except Exception:   # the annotation must never hide the page's own error
        return
    for record in reversed(records):
        # (filename, lineno, function, line, template file, template line, template source line, ...)
        if record[4]:
            note = "Mako: %s line %s: %s" % (record[4], record[5], (record[6] or "").strip())
            if hasattr(exc, "add_note"):
                exc.add_note(note)
            else:
                try:
                    exc.__notes__ = list(getattr(exc, "__notes__", ())) + [note]
                except AttributeError:
                    pass
            return


def handler(req):
    """Render the requested ``.mako`` page as ``text/html``."""
    req.content_type = "text/html"
    MakoPage(req).run()
    return OK
