"""Sessions kept in the memory of the process (mod_python's ``MemorySession``).

The store is one dict per process, shared by its threads and lost when the
process ends: right for a single multi-threaded server such as waitress
(what ``Session()`` picks there), wrong as soon as several processes or
machines serve one site (use :class:`~modpy_compat.session.file.FileSession`,
:class:`~modpy_compat.session.dbm.DbmSession` or
:class:`~modpy_compat.session.redis.RedisSession`).
"""
from __future__ import annotations

import time

from modpy_compat.session.base import BaseSession, ThreadLocks


def mem_cleanup(sdict):
    """Remove the expired records from a MemorySession store."""
    now = time.time()
    for sid in list(sdict):
        record = sdict.get(sid)
        try:
            if now - record["_accessed"] > record["_timeout"]:
                del sdict[sid]
        except (KeyError, TypeError):
            pass


class MemorySession(BaseSession):
    """A session stored in this process's memory.

    As in mod_python the stored record is the saved one itself (its data a
    shallow copy of the session), and locks only need to exclude the
    process's own threads.
    """

    sdict = {}
    _locks = ThreadLocks()

    def __init__(self, req, sid=0, secret=None, timeout=0, lock=1):
        BaseSession.__init__(self, req, sid=sid, secret=secret, timeout=timeout, lock=lock)

    def lock_table(self):
        return MemorySession._locks

    def do_cleanup(self):
        self._req.register_cleanup(mem_cleanup, MemorySession.sdict)
        self._log_notice("MemorySession: registered session cleanup.")

    def do_load(self):
        return MemorySession.sdict.get(self._sid)

    def do_save(self, record):
        MemorySession.sdict[self._sid] = record

    def do_delete(self):
        MemorySession.sdict.pop(self._sid, None)
