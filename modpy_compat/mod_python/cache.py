"""``mod_python.cache``: thread-safe caches that rebuild stale entries (mod_python 3.x).

:class:`Cache` maps a name to a value built on first use and rebuilt when
:meth:`Cache.check` says the entry is stale; with ``max_size`` the least
recently used entry goes when the cache is full.  Subclasses: files by mtime
(:class:`FileCache`), modules executed from files (:class:`ModuleCache`) or
URLs (:class:`HttpModuleCache`), HTTP entities revalidated with their
validators (:class:`HTTPCache`), weakly held values (:class:`WeakCache`) and
memoized functions (:class:`FunctionCache`).  The HTTP classes work here;
mod_python 3.5 on Python 3 refers to an undefined ``urllib`` in them.
"""
from __future__ import annotations

import collections
import re
import threading
import types
import urllib.error
import urllib.request
import weakref
from calendar import timegm
from email.utils import parsedate
from os import stat
from time import time

__all__ = ["NOT_INITIALIZED", "Entry", "Cache", "WeakCache", "FileCache", "ModuleCache",
           "HTTPCache", "HttpModuleCache", "FunctionCache", "HTTPEntity", "parseRFC822Time"]

NOT_INITIALIZED = object()  # the value of an entry that was never built

re_max_age = re.compile(r"max-age\s*=\s*(\d+)", re.I)
re_not_word = re.compile(r"\W+")


class Entry:
    """One cached value, with a lock so that only one thread builds it."""

    def __init__(self, key):
        self._key = key
        self._value = NOT_INITIALIZED
        self._lock = threading.Lock()


class Cache:
    """A thread-safe cache of values built by :meth:`build`, optionally LRU-bounded.

    :param max_size: how many entries to keep (0: no limit); beyond it the
        least recently used entry is dropped.
    """

    def __init__(self, max_size=0):
        self._maxsize = max_size
        self._dict = collections.OrderedDict()   # key -> Entry, least recently used first
        self._lock = threading.Lock()

    # -- what subclasses override ---------------------------------------------------

    def key(self, name):
        """The dictionary key for ``name`` (the name itself)."""
        return name

    def check(self, key, name, entry):
        """None when the entry is fresh, else an opened resource :meth:`build` reads."""
        return None

    def build(self, key, name, opened, entry):
        """Build the value for ``name`` from ``opened``."""
        raise NotImplementedError("a Cache subclass must define build()")

    def commit(self):
        """Called after every change (a hook to make the cache persistent)."""

    # -- mapping interface ---------------------------------------------------------

    def __getitem__(self, name):
        return self._checkitem(name)[2]

    def __setitem__(self, name, value):
        entry = self._get_entry(self.key(name))
        with entry._lock:
            self._pack(entry, value)
            self.commit()

    def __delitem__(self, name):
        with self._lock:
            del self._dict[self.key(name)]

    def clear(self):
        """Drop every entry."""
        with self._lock:
            self._dict.clear()

    def mru(self):
        """The most recently used key (None without ``max_size``)."""
        with self._lock:
            return next(reversed(self._dict), None) if self._maxsize else None

    def lru(self):
        """The least recently used key (None without ``max_size``)."""
        with self._lock:
            return next(iter(self._dict), None) if self._maxsize else None

    # -- internals -------------------------------------------------------------------

    def _get_entry(self, key):
        with self._lock:
            entry = self._dict.get(key)
            if entry is None:
                entry = self._dict[key] = Entry(key)
                if self._maxsize and len(self._dict) > self._maxsize:
                    self._dict.popitem(last=False)
            elif self._maxsize:
                self._dict.move_to_end(key)
            return entry

    def _checkitem(self, name):
        """``(is_new, key, value, entry)``; ``is_new`` when the value was (re)built."""
        key = self.key(name)
        entry = self._get_entry(key)
        with entry._lock:
            value = self._unpack(entry)
            opened = self.check(key, name, entry)
            if value is NOT_INITIALIZED or opened is not None:
                value = self.build(key, name, opened, entry)
                self._pack(entry, value)
                self.commit()
                return True, key, value, entry
            return False, key, value, entry

    def _pack(self, entry, value):
        entry._value = value

    def _unpack(self, entry):
        return entry._value


class WeakCache(Cache):
    """A cache holding weak references: a value nobody else uses any more is dropped."""

    def _pack(self, entry, value):
        entry._value = weakref.ref(value, lambda ref, key=entry._key: self._forget(key))

    def _forget(self, key):
        with self._lock:
            self._dict.pop(key, None)

    def _unpack(self, entry):
        if entry._value is NOT_INITIALIZED:
            return NOT_INITIALIZED
        value = entry._value()
        return NOT_INITIALIZED if value is None else value


class FileCache(Cache):
    """File contents by file name, read again when the file's mtime changes.

    :param mode: how :meth:`check` opens the file for :meth:`build`.
    """

    def __init__(self, max_size=0, mode="rb"):
        super().__init__(max_size)
        self.mode = mode

    def check(self, key, name, entry):
        mtime = stat(key).st_mtime
        if entry._value is NOT_INITIALIZED or getattr(entry, "_timestamp", None) != mtime:
            entry._timestamp = mtime
            return open(key, self.mode)
        return None

    def build(self, key, name, opened, entry):
        with opened:
            return opened.read()


class ModuleCache(FileCache):
    """A module per Python file, executed afresh when the file changes (not in ``sys.modules``)."""

    def __init__(self, max_size=0):
        super().__init__(max_size, "rb")

    def build(self, key, name, opened, entry):
        with opened:
            source = opened.read()
        module = types.ModuleType(re_not_word.sub("_", key))
        module.__file__ = key
        exec(compile(source, key, "exec"), module.__dict__)
        return module


def parseRFC822Time(t):
    """Seconds since the epoch of an RFC 822 date (``Expires``, ``Date``)."""
    return timegm(parsedate(t))


class HTTPEntity:
    """What :class:`HTTPCache` keeps: the body and the response headers."""

    def __init__(self, entity, metadata):
        self.entity = entity
        self.metadata = metadata

    def __repr__(self):
        return "HTTPEntity(%r, %s)" % (self.entity, self.metadata)

    def __str__(self):
        return self.entity.decode("latin-1") if isinstance(self.entity, bytes) else str(self.entity)


class HTTPCache(Cache):
    """Entities by URL, kept while ``max-age``/``Expires`` allow, then revalidated.

    Revalidation sends ``If-None-Match`` (ETag) or ``If-Modified-Since``; a 304
    keeps the cached entity.
    """

    def check(self, key, name, entry):
        if time() < getattr(entry, "_expires", 0):
            return None
        request = urllib.request.Request(key)
        validator = getattr(entry, "_validator", None)
        if validator:
            request.add_header(*validator)
        try:
            opened = urllib.request.urlopen(request)
        except urllib.error.HTTPError as error:
            if error.code == 304:
                return None
            raise
        headers = opened.info()
        match = re_max_age.search(headers.get("Cache-Control") or "")
        if match:
            entry._expires = time() + int(match.group(1))
        elif headers.get("Date") and headers.get("Expires"):
            entry._expires = time() + parseRFC822Time(headers["Expires"]) - parseRFC822Time(headers["Date"])
        if headers.get("ETag"):
            entry._validator = ("If-None-Match", headers["ETag"])
        elif headers.get("Last-Modified"):
            entry._validator = ("If-Modified-Since", headers["Last-Modified"])
        return opened

    def build(self, key, name, opened, entry):
        with opened:
            return HTTPEntity(opened.read(), dict(opened.info()))


class HttpModuleCache(HTTPCache):
    """A module per URL of a Python script, executed afresh when the script changes."""

    def build(self, key, name, opened, entry):
        with opened:
            text = opened.read().replace(b"\r\n", b"\n")
        module = types.ModuleType(re_not_word.sub("_", key))
        module.__file__ = key
        exec(compile(text, name, "exec"), module.__dict__)
        return module


class FunctionCache(Cache):
    """A memoizer: ``FunctionCache(f)(*args, **kw)`` computes ``f`` once per arguments."""

    def __init__(self, function, max_size=0):
        super().__init__(max_size)
        self.function = function

    def __call__(self, *args, **kw):
        return self[args, tuple(kw.items())]

    def build(self, key, name, opened, entry):
        args, kw = key
        return self.function(*args, **dict(kw))
