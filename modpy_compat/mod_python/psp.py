"""``mod_python.psp``: Python Server Pages.

Names as mod_python has them; the behaviour lives in :mod:`modpy_compat.psp`.
Pages run with a copy of this module's globals, so ``apache``, ``util``,
``Session``, ``os``, ``sys``, ``escape``... are available in them without an
import, as in mod_python.  The DBM cache (``PSPDbmCache`` /
``mod_python.psp.cache_database_filename``) and precompiled ``.psc`` files
are not used: pages are cached in memory (docs/compatibility.md).
"""
import dbm  # noqa: F401 - part of the globals pages see
import marshal
import os
import sys
import tempfile
import types  # noqa: F401
from html import escape  # noqa: F401

from modpy_compat.mod_python import _apache, _psp, apache  # noqa: F401
from modpy_compat.psp import PSP, PSPInterface, handler, parse, parsestring  # noqa: F401

PY2 = False
dbm_types = {}
tempdir = tempfile.gettempdir()

__all__ = ["PSP", "PSPInterface", "parse", "parsestring", "handler"]


def __getattr__(name):
    # util and Session are imported when first used (and for the page globals).
    if name in ("util", "Session"):
        import importlib
        module = importlib.import_module("modpy_compat.mod_python." + name)
        globals()[name] = module
        return module
    raise AttributeError("module 'mod_python.psp' has no attribute %r" % name)


def path_split(filename):
    """``(directory + "/", basename)`` of ``filename``."""
    directory, name = os.path.split(filename)
    return directory + "/", name


def code2str(c):
    """A code object as bytes (``marshal``)."""
    return marshal.dumps(c)


def str2code(s):
    """The code object :func:`code2str` made."""
    return marshal.loads(s)


class HitsCache:
    """mod_python's small cache that keeps the most used entries (not used by the runtime)."""

    def __init__(self, size=512):
        self.cache = {}
        self.size = size

    def store(self, key, val):
        self.cache[key] = (1, val)
        if len(self.cache) > self.size:
            self.clean()

    def get(self, key):
        entry = self.cache.get(key)
        if entry is None:
            return None
        self.cache[key] = (entry[0] + 1, entry[1])
        return entry[1]

    def clean(self):
        by_hits = sorted(self.cache, key=lambda k: self.cache[k][0])
        for key in by_hits[:len(self.cache) - int(self.size * .75)]:
            del self.cache[key]


class FileCache(HitsCache):
    """:class:`HitsCache` of code objects by file name and mtime."""

    def store(self, filename, mtime, code):
        self.cache[filename] = (1, mtime, code)
        if len(self.cache) > self.size:
            self.clean()

    def get(self, filename, mtime):
        entry = self.cache.get(filename)
        if entry is None:
            return None
        if entry[1] != mtime:
            del self.cache[filename]
            return None
        self.cache[filename] = (entry[0] + 1, mtime, entry[2])
        return entry[2]


mem_scache = HitsCache()
mem_fcache = FileCache()
