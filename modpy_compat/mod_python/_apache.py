"""``_apache``: mod_python's low-level module, for code that imports it directly.

Most names are those of :mod:`modpy_compat.mod_python.apache`.  The global
mutexes (``_global_lock``, ``_global_trylock``, ``_global_unlock``, which
``Session`` and PSP's DBM cache use in mod_python) are a fixed pool of locks
shared by the threads of a process (``threading``) and by the processes of
an application (``fcntl`` locks on one byte each of a file in
``PythonOption mod_python.mutex_directory``, default ``/tmp``).  As in
mod_python there are ``mod_python.mutex_locks`` of them (default 8), index 0
is kept for DBM files, a key picks one of the others, and they are not
re-entrant: unrelated keys may share a lock.
"""
from __future__ import annotations

import fcntl
import hashlib
import os
import threading
import zlib

from modpy_compat.constants import (  # noqa: F401 - the constants _apache has
    AP_CONN_CLOSE, AP_CONN_KEEPALIVE, AP_CONN_UNKNOWN, APR_BLK, APR_CHR, APR_DIR, APR_LNK,
    APR_NOFILE, APR_PIPE, APR_REG, APR_SOCK, APR_UNKFILE, MODULE_MAGIC_NUMBER_MAJOR,
    MODULE_MAGIC_NUMBER_MINOR, SERVER_RETURN)
from modpy_compat.forms import parse_qs, parse_qsl  # noqa: F401
from modpy_compat.mod_python.apache import (  # noqa: F401
    config_tree, exists_config_define, log_error, mpm_query, server_root, stat, table)

DEFAULT_LOCKS = 8


def register_cleanup(interpreter, server, handler, data=None):
    """Run ``handler(data)`` when the process exits (``apache.register_cleanup`` calls this)."""
    import atexit
    from modpy_compat.server import run_cleanup
    if not callable(handler):
        raise ValueError("third argument must be a callable object")
    atexit.register(run_cleanup, handler, data)


class _Mutexes:
    """The process's pool of global mutexes for one application."""

    def __init__(self, path, count):
        self.path, self.count = path, count
        self.locks = [threading.Lock() for _ in range(count)]
        self.fd = None
        self.pid = os.getpid()
        self.guard = threading.Lock()

    def _fileno(self):
        with self.guard:
            if self.pid != os.getpid():
                # A forked child must not share its parent's thread locks or descriptor.
                self.locks = [threading.Lock() for _ in range(self.count)]
                self.fd, self.pid = None, os.getpid()
            if self.fd is None:
                self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o660)
            return self.fd

    def acquire(self, index, blocking=True):
        fd = self._fileno()
        lock = self.locks[index]
        if not lock.acquire(blocking):
            return False
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX if blocking else fcntl.LOCK_EX | fcntl.LOCK_NB, 1, index)
        except OSError:
            lock.release()
            if blocking:
                raise
            return False
        return True

    def release(self, index):
        fd = self._fileno()
        lock = self.locks[index]
        fcntl.lockf(fd, fcntl.LOCK_UN, 1, index)
        if lock.locked():
            lock.release()


_pools = {}
_pools_guard = threading.Lock()


def _pool(server):
    if type(server).__name__ != "mp_server":
        raise TypeError("First argument must be a server object")
    from modpy_compat.mod_python import apache
    gateway = apache._gateway
    main = apache.main_server or server
    options = main.get_options()
    directory = options.get("mod_python.mutex_directory") or "/tmp"
    try:
        count = max(2, int(options.get("mod_python.mutex_locks") or DEFAULT_LOCKS))
    except ValueError:
        count = DEFAULT_LOCKS
    # Every process of one application (one configuration) shares the lock file.
    site = (gateway.site.config_file or gateway.site.server_root) if gateway is not None else ""
    name = "mod_python_mutex_%s" % hashlib.md5(str(site).encode("utf-8", "surrogateescape"),
                                                usedforsecurity=False).hexdigest()[:16]
    path = os.path.join(directory, name)
    with _pools_guard:
        pool = _pools.get(path)
        if pool is None or pool.count != count:
            pool = _pools[path] = _Mutexes(path, count)
        return pool


def _index(pool, key, index):
    if index is None or index == -1:
        # A stable hash, so that every process maps a key to the same lock.
        data = str(key).encode("utf-8", "surrogateescape")
        return zlib.crc32(data) % (pool.count - 1) + 1
    if not isinstance(index, int) or not 0 <= index < pool.count:
        raise ValueError("Lock index is out of range for number of global mutex locks")
    return index


def _global_lock(server, key, index=-1):
    """Wait for and take the global mutex for ``key`` (or number ``index``)."""
    pool = _pool(server)
    pool.acquire(_index(pool, key, index))


def _global_trylock(server, key, index=-1):
    """Take the global mutex for ``key`` if it is free; True when taken."""
    pool = _pool(server)
    return pool.acquire(_index(pool, key, index), blocking=False)


def _global_unlock(server, key, index=-1):
    """Release the global mutex for ``key`` (or number ``index``)."""
    pool = _pool(server)
    pool.release(_index(pool, key, index))
