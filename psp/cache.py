"""The compiled-page cache: each PSP page is parsed and compiled once per process.

An entry is keyed by the page's path (or, for string pages, by the string)
and stays valid while the page *and every file it included* keep the
modification time and size they had when they were read.  mod_python 3.x
only checks the page's own mtime, so editing an included file went unnoticed
until the page itself changed; checking the includes too is a deliberate
improvement (docs/compatibility.md).

Thread safety: lookups read a dict without locking; compiling a page holds a
lock for *that page only*, so two threads asking for the same new page
compile it once and threads asking for other pages are not held up.  No
lock is held while a page runs.  Like mod_python's ``HitsCache`` the cache
holds at most ``size`` pages (512) and evicts the least recently used.

Nothing is ever written next to the pages (mod_python's ``PSPDbmCache`` and
``.psc`` files are not used).
"""
from __future__ import annotations

import itertools
import logging
import os
import threading

from modpy_compat.psp import codegen
from modpy_compat.psp.codegen import FAST_EXTEND, FAST_STR, FAST_WRITER
from modpy_compat.psp.lexer import DEFAULT_ENCODING

log = logging.getLogger(__name__)


class CompiledPage:
    """A page ready to run.

    :ivar code: the code object (file name = the page path, or ``"__psp__"``).
    :ivar program: the :class:`~modpy_compat.psp.codegen.Program` it came from.
    :ivar fast: True when ``code`` calls ``__psp_w__`` for the generated writes
        (:meth:`~modpy_compat.psp.codegen.Program.compile_page`).
    :ivar arguments: for a page compiled as a function, a callable giving its
        arguments from the page globals; None for module code.
    :ivar names: the global (and attribute) names the page's top-level code
        uses (``co_names`` of the page as module code); mod_python creates
        ``form`` and ``session`` only when they appear here.
    """

    __slots__ = ("code", "fast", "arguments", "program", "names", "used", "filename", "_faithful")

    def __init__(self, program, filename):
        self.program = program
        self.filename = filename
        self._faithful = None
        self.code, self.fast = program.compile_page(filename)
        # A page compiled as a function takes the fast names as arguments.
        self.arguments = _fast_arguments if self.code.co_argcount else None
        self.names = program.module_names
        self.used = 0

    def faithful_code(self):
        """mod_python's own program compiled (for runs whose variables rebind ``req`` or ``str``)."""
        if not self.fast:
            return self.code
        if self._faithful is None:
            self._faithful = self.program.compile(self.filename)
        return self._faithful

    def is_fresh(self, known=None) -> bool:
        """True while every file the page was made from is unchanged on disk.

        :param known: ``(path, os.stat_result)`` the caller already has, to save a ``stat``.
        """
        for path, stamp in self.program.stamps.items():
            if known is not None and path == known[0]:
                info = known[1]
            else:
                try:
                    info = os.stat(path)
                except OSError:
                    return False
            if (info.st_mtime_ns, info.st_size) != stamp:
                return False
        return True


def _fast_arguments(scope):
    return scope[FAST_WRITER], scope[FAST_EXTEND], scope[FAST_STR]


class PageCache:
    """Compiled pages by path (files) or by text (strings), least recently used evicted.

    :param size: how many pages of each kind to keep.
    """

    def __init__(self, size: int = 512):
        self.size = size
        self._files = {}
        self._strings = {}
        self._lock = threading.Lock()       # guards the dicts and _compiling
        self._compiling = {}                # key -> lock held while that page compiles
        self._clock = itertools.count(1)
        self.compiles = 0                   # pages compiled so far (for tests and stats)

    def get_file(self, path: str, include_dir: str | None = None,
                 encoding: str = DEFAULT_ENCODING, stat=None) -> CompiledPage:
        """The compiled page for the file ``path``, compiling it when new or changed.

        :param include_dir: where relative includes resolve (default: the
            page's directory, with a trailing slash).
        :param stat: ``os.stat(path)`` if the caller has it.
        :raises PSPError: when the page cannot be read or compiled.
        """
        key = (path, include_dir, encoding)
        page = self._files.get(key)
        if page is not None and page.is_fresh(None if stat is None else (path, stat)):
            page.used = next(self._clock)
            return page
        return self._compile(self._files, key, page,
                             lambda: codegen.generate_file(path, include_dir, encoding), path)

    def get_string(self, text, include_dir: str | None = None,
                   encoding: str = DEFAULT_ENCODING) -> CompiledPage:
        """The compiled page for the PSP text ``text`` (``str`` or ``bytes``)."""
        key = (text, include_dir, encoding)
        page = self._strings.get(key)
        if page is not None and page.is_fresh():
            page.used = next(self._clock)
            return page
        return self._compile(self._strings, key, page,
                             lambda: codegen.generate(text, None, include_dir, encoding), "__psp__")

    def _compile(self, entries, key, stale, make_program, filename):
        with self._lock:
            lock = self._compiling.get(key)
            if lock is None:
                lock = self._compiling[key] = threading.Lock()
        try:
            with lock:
                page = entries.get(key)
                if page is not None and page is not stale and page.is_fresh():
                    return page     # another thread compiled it while we waited
                program = make_program()
                page = CompiledPage(program, filename)
                _log_notes(program)
                page.used = next(self._clock)
                with self._lock:
                    self.compiles += 1
                    entries[key] = page
                    if len(entries) > self.size:
                        self._evict(entries)
                return page
        finally:
            with self._lock:
                if self._compiling.get(key) is lock and not lock.locked():
                    del self._compiling[key]

    def _evict(self, entries):
        # Drop the least recently used quarter, as HitsCache.clean() keeps 75 %.
        keep = int(self.size * 0.75)
        for key, _ in sorted(entries.items(), key=lambda item: item[1].used)[:len(entries) - keep]:
            del entries[key]

    def clear(self):
        """Forget every compiled page."""
        with self._lock:
            self._files.clear()
            self._strings.clear()


def _log_notes(program):
    for path, line, message in program.notes:
        log.warning("%s:%s: %s", path or "<string>", line, message)
    unclosed = program.unclosed
    if unclosed is not None:
        # It compiled, so it is an unclosed <% block: mod_python runs it too.
        log.warning("%s:%s: '<%%' is never closed with '%%>'; the rest of the page is run as code",
                    unclosed.path or "<string>", unclosed.line)


# One cache per process, as mod_python keeps one per interpreter.
PAGES = PageCache()
