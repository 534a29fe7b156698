"""What every session class shares: :class:`BaseSession`, session ids, options and locks.

Emulates mod_python's ``Session.BaseSession``: a ``dict`` of the user's data
plus its id, creation and access times and timeout, identified by a cookie
(``pysid`` unless ``PythonOption mod_python.session.cookie_name`` says
otherwise).  Storage classes implement ``do_load``, ``do_save``, ``do_delete``
and ``do_cleanup`` and say which lock table guards their sessions.

Locking is mod_python's: a session is locked from its construction until the
end of the request (a ``req.register_cleanup``) or an explicit ``unlock()``,
so concurrent requests for one session run one after the other.  mod_python
uses Apache's global mutexes; here a lock table does it, per store:
:class:`ThreadLocks` within one process, :class:`FileLocks` (a thread lock,
then an ``fcntl`` lock on one byte of a lock file) across the processes that
share a file or dbm store.  A process that dies releases its ``fcntl`` locks
with it.

Deliberate differences: new ids come from :mod:`secrets` (mod_python hashes
the time, pid, client address and two ``random`` numbers with MD5; the form,
32 lower-case hex digits, is the same); each session id has its own lock
(mod_python hashes ids onto a few shared mutexes); and locking a session the
request already holds raises :class:`SessionError` where mod_python hangs.
"""
from __future__ import annotations

import errno
import fcntl
import hashlib
import os
import random
import re
import secrets
import tempfile
import threading
import time

from modpy_compat.constants import APLOG_NOTICE
from modpy_compat.cookie import Cookie, SignedCookie, add_cookie, get_cookie
from modpy_compat.errors import ModPyCompatError

COOKIE_NAME = "pysid"
DFT_TIMEOUT = 30 * 60          # seconds
DFT_LOCK = True
CLEANUP_CHANCE = 1000          # a request cleans up expired sessions once in this many
tempdir = tempfile.gettempdir()

# Session ids are 32 lower-case hex digits; anything else could name a file
# outside a FileSession directory.
validate_sid_re = re.compile("[0-9a-f]{32}$")


class SessionError(ModPyCompatError):
    """A session cannot be set up: unknown session type, bad option, lock misuse, store down."""


def md5_hash(text) -> str:
    """The MD5 hex digest of ``text`` (``str`` is taken as latin-1), as mod_python 3.5 has it."""
    if isinstance(text, str):
        text = text.encode("latin-1")
    return hashlib.md5(text).hexdigest()


def _new_sid(req) -> str:
    """A fresh session id: 32 random lower-case hex digits."""
    return secrets.token_hex(16)


def _check_sid(sid) -> bool:
    """True when ``sid`` has the form of a session id (and so is safe in a file name)."""
    return isinstance(sid, str) and validate_sid_re.fullmatch(sid) is not None


def true_or_false(item) -> bool:
    """A boolean PythonOption value: yes/true/1 or no/false/0, in any case.

    :raises SessionError: for anything else (mod_python raises a bare ``Exception``).
    """
    folded = item.lower() if isinstance(item, str) else item
    if folded in ("yes", "true", "1", 1, True):
        return True
    if folded in ("no", "false", "0", 0, None, False):
        return False
    raise SessionError("not a boolean PythonOption value: %r" % (item,))


def option(options, *names, default=None):
    """The value of the first of ``names`` present in ``options`` (aliases, newest first)."""
    for name in names:
        if name in options:
            return options[name]
    return default


def unlock_session_cleanup(sess):
    """The request cleanup that releases a session's lock."""
    sess.unlock()


# -- lock tables -----------------------------------------------------------------------

class ThreadLocks:
    """Mutexes by key (a session id), shared by the threads of one process.

    A lock is not re-entrant: a request that asks again for a key it holds
    gets :class:`SessionError` instead of waiting for itself forever.
    Entries exist only while someone holds or waits for the key.
    """

    def __init__(self):
        self._guard = threading.Lock()
        self._entries = {}      # key -> [lock, holders and waiters, owning request]
        self._pid = os.getpid()

    def _entry(self, key, owner):
        with self._guard:
            if self._pid != os.getpid():
                # a forked child inherits copies of its parent's locks: start afresh
                self._entries, self._pid = {}, os.getpid()
            entry = self._entries.get(key)
            if entry is None:
                entry = self._entries[key] = [threading.Lock(), 0, None]
            elif owner is not None and entry[2] is owner:
                raise SessionError("session %s is already locked by this request "
                                   "(a second Session object for it would wait forever)" % key)
            entry[1] += 1
            return entry

    def _forget(self, key, entry):
        with self._guard:
            entry[1] -= 1
            if entry[1] == 0 and self._entries.get(key) is entry:
                del self._entries[key]

    def acquire(self, key, owner=None):
        """Wait for ``key`` and take it; ``owner`` (the request) detects re-entry."""
        entry = self._entry(key, owner)
        lock = entry[0]
        lock.acquire()
        try:
            self._acquire_shared(key)
        except BaseException:
            lock.release()
            self._forget(key, entry)
            raise
        entry[2] = owner

    def release(self, key):
        """Give ``key`` back (from any thread of the process)."""
        with self._guard:
            entry = self._entries.get(key)
        if entry is None:
            return
        entry[2] = None
        try:
            self._release_shared(key)
        finally:
            entry[0].release()
            self._forget(key, entry)

    def _acquire_shared(self, key):
        """Hook: take the lock other processes see, once this process's thread lock is held."""

    def _release_shared(self, key):
        """Hook: release what :meth:`_acquire_shared` took."""


class FileLocks(ThreadLocks):
    """Mutexes by key shared by every process that uses the same lock file.

    Each key is one byte of the file, locked with ``fcntl.lockf`` after the
    process's thread lock for the key (``fcntl`` locks belong to processes,
    not threads).  The file stays open for the life of the process: closing
    any descriptor of it would drop all the process's locks on it.  Key
    ``None`` is byte 0 (a store-wide lock); a session id maps onto the bytes
    after it.
    """

    def __init__(self, path):
        super().__init__()
        self.path = path
        self._fd = None

    def _fileno(self):
        with self._guard:
            if self._fd is None:
                os.makedirs(os.path.dirname(self.path) or ".", exist_ok=True)
                self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o660)
            return self._fd

    @staticmethod
    def _offset(key):
        if key is None:
            return 0
        return int(hashlib.md5(key.encode("utf-8")).hexdigest()[:15], 16) + 1

    def _acquire_shared(self, key):
        fd, offset = self._fileno(), self._offset(key)
        while True:
            try:
                fcntl.lockf(fd, fcntl.LOCK_EX, 1, offset)
                return
            except OSError as exc:
                # The kernel's deadlock detection sees processes, not threads: a thread
                # waiting for a key held by another process whose own waiter wants a
                # key a sibling thread holds looks like a cycle, yet resolves. Retry.
                if exc.errno != errno.EDEADLK:
                    raise
                time.sleep(0.001 + random.random() * 0.01)

    def _release_shared(self, key):
        fcntl.lockf(self._fileno(), fcntl.LOCK_UN, 1, self._offset(key))


_file_locks = {}
_file_locks_guard = threading.Lock()


def file_locks(path) -> FileLocks:
    """The process's :class:`FileLocks` for the lock file ``path`` (one per file)."""
    path = os.path.abspath(path)
    with _file_locks_guard:
        locks = _file_locks.get(path)
        if locks is None:
            locks = _file_locks[path] = FileLocks(path)
        return locks


# -- sessions --------------------------------------------------------------------------

class BaseSession(dict):
    """A session: the user's data as a ``dict``, kept between requests of one browser.

    Emulates ``mod_python.Session.BaseSession`` (note the positional order,
    mod_python's).  Construction reads the session cookie (signed with
    ``secret`` when given), locks and loads the session, or starts a new one
    and sends its cookie; data is stored only by :meth:`save`.

    :param req: the request.
    :param sid: use this session id instead of the cookie's.
    :param secret: sign the session cookie with this secret.
    :param lock: hold the session's lock until the request ends.
    :param timeout: seconds of inactivity after which a new session starts
        (default :data:`DFT_TIMEOUT`); kept with the session.
    :raises ValueError: for an explicit ``sid`` that is not a valid id (an
        invalid cookie only starts a new session).

    A storage subclass provides ``do_load()`` (the stored record
    ``{"_data", "_created", "_accessed", "_timeout"}`` or None),
    ``do_save(record)``, ``do_delete()``, optionally ``do_cleanup()``, and
    :meth:`lock_table` when its store needs other locks.
    """

    def __init__(self, req, sid=None, secret=None, lock=1, timeout=0):
        self._req, self._sid, self._secret = req, sid, secret
        self._lock = lock
        self._new = 1
        self._created = 0
        self._accessed = 0
        self._timeout = 0
        self._locked = 0
        self._invalid = 0
        dict.__init__(self)

        if not self._sid:
            name = self._cookie_name()
            if secret:
                cookie = get_cookie(req, name, Class=SignedCookie, secret=secret,
                                    mismatch=Cookie.IGNORE)
            else:
                cookie = get_cookie(req, name)
            if cookie:
                self._sid = cookie.value
        if self._sid and not _check_sid(self._sid):
            if sid:
                raise ValueError("Invalid Session ID: sid=%s" % sid)
            # A forged or damaged cookie: never let it near the store.
            self._sid = None

        self.init_lock()
        if self._sid:
            self.lock()
            if self.load():
                self._new = 0
        if self._new:
            if self._sid:
                self.unlock()
            self._sid = _new_sid(req)
            self.lock()
            add_cookie(req, self.make_cookie())
            self._created = time.time()
            self._timeout = timeout or DFT_TIMEOUT
        self._accessed = time.time()

        if random.randint(1, CLEANUP_CHANCE) == 1:
            self.cleanup()

    def _cookie_name(self):
        return option(self._req.get_options(), "mod_python.session.cookie_name", "session_cookie_name",
                      default=COOKIE_NAME)

    def make_cookie(self):
        """The session cookie: name, id, and the path and domain from PythonOptions.

        The path is ``mod_python.session.application_path`` (or
        ``ApplicationPath``), else the handler's directory relative to the
        document root, else ``/``.  No expiry: the cookie lasts as long as
        the browser session.
        """
        options = self._req.get_options()
        name = self._cookie_name()
        if self._secret:
            cookie = SignedCookie(name, self._sid, secret=self._secret)
        else:
            cookie = Cookie(name, self._sid)
        if "mod_python.session.application_domain" in options:
            cookie.domain = options["mod_python.session.application_domain"]
        path = option(options, "mod_python.session.application_path", "ApplicationPath")
        if path is None:
            hlist = self._req.hlist
            directory = hlist.directory if hlist is not None else None
            path = directory[len(self._req.document_root()):] if directory else "/"
            # <Location> handlers, Alias and UserDir give a directory that is not
            # a prefix of the URI: the cookie then covers the whole site.
            if not path or not self._req.uri.startswith(path):
                path = "/"
        cookie.path = path
        return cookie

    def invalidate(self):
        """End the session: expire the browser's cookie and delete the stored data."""
        cookie = self.make_cookie()
        cookie.expires = 0
        add_cookie(self._req, cookie)
        self.delete()
        self._invalid = 1

    def load(self) -> int:
        """Fill the session from the store; 0 when it is missing or has timed out."""
        record = self.do_load()
        if record is None:
            return 0
        if time.time() - record["_accessed"] > record["_timeout"]:
            return 0
        self._created = record["_created"]
        self._accessed = record["_accessed"]
        self._timeout = record["_timeout"]
        self.update(record["_data"])
        return 1

    def save(self):
        """Store the data, the times and the timeout (not after :meth:`invalidate`)."""
        if not self._invalid:
            self.do_save({"_data": self.copy(), "_created": self._created,
                          "_accessed": self._accessed, "_timeout": self._timeout})

    def delete(self):
        """Remove the session from the store and empty it."""
        self.do_delete()
        self.clear()

    def init_lock(self):
        """Hook called before the first lock; nothing to do by default."""

    def lock_table(self):
        """The lock table guarding this class's sessions.

        :class:`BaseSession` subclasses that keep their own store get
        cross-process locks in ``PythonOption mod_python.mutex_directory``
        (default: the temporary directory), like mod_python's global mutexes.
        """
        directory = self._req.get_options().get("mod_python.mutex_directory") or tempdir
        return file_locks(os.path.join(directory, "modpy_compat-session.mutex"))

    def lock(self):
        """Take the session's lock (waiting for it) until the request ends or :meth:`unlock`."""
        if self._lock:
            self.lock_table().acquire(self._sid, owner=self._req)
            self._locked = 1
            self._req.register_cleanup(unlock_session_cleanup, self)

    def unlock(self):
        """Release the session's lock if this object holds it."""
        if self._lock and self._locked:
            self._locked = 0
            self.lock_table().release(self._sid)

    def is_new(self) -> bool:
        return bool(self._new)

    def id(self) -> str:
        return self._sid

    def created(self) -> float:
        return self._created

    def last_accessed(self) -> float:
        return self._accessed

    def timeout(self):
        return self._timeout

    def set_timeout(self, secs):
        """Change the timeout; stored by the next :meth:`save`."""
        self._timeout = secs

    def cleanup(self):
        """Have expired sessions removed once the request is over."""
        self.do_cleanup()

    def do_cleanup(self):
        """Remove expired sessions (subclasses register a request cleanup)."""

    def _log_notice(self, message):
        self._req.log_error(message, APLOG_NOTICE)

    def __del__(self):
        if getattr(self, "_locked", 0):
            self.unlock()
