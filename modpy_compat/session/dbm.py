"""Sessions stored in one DBM database (mod_python's ``DbmSession``).

The database (``dbm.open``, whatever flavour the platform has) maps each
session id to a pickle of its record.  Its file comes from the ``dbm``
argument, else the first of ``PythonOption
mod_python.dbm_session.database_filename``, ``session_dbm``, or
``mp_sess.dbm`` in ``mod_python.dbm_session.database_directory``,
``mod_python.session.database_directory``, ``session_directory`` or the
temporary directory.

The database is opened, used and closed for each load, save or delete,
under a store-wide lock (mod_python's global lock 0): byte 0 of
``<file>.lck``, whose other bytes lock the sessions themselves, so every
process using the file shares both.

Deliberate difference: a record that cannot be unpickled (damaged by a crash)
is logged and treated as missing, where mod_python raises.
"""
from __future__ import annotations

import contextlib
import dbm as _dbm
import os
import pickle
import stat
import time
import traceback

from modpy_compat.session.base import BaseSession, file_locks, option, tempdir
from modpy_compat.session.file import _PICKLE_ERRORS

_MODE = stat.S_IRUSR | stat.S_IWUSR | stat.S_IRGRP


@contextlib.contextmanager
def _opened(filename, dbmtype=_dbm):
    """The database ``filename``, open under the store-wide lock."""
    locks = file_locks(filename + ".lck")
    locks.acquire(None)
    try:
        db = dbmtype.open(filename, "c", _MODE)
        try:
            yield db
        finally:
            db.close()
    finally:
        locks.release(None)


def dbm_cleanup(data):
    """Delete the expired (or unreadable) records of a DbmSession database.

    :param data: ``[filename, server]``, as mod_python registers it.
    """
    filename = data[0]
    now = time.time()
    with _opened(filename) as db:
        old = []
        for key in db.keys():
            try:
                record = pickle.loads(db[key])
                if now - record["_accessed"] > record["_timeout"]:
                    old.append(key)
            except _PICKLE_ERRORS:
                old.append(key)
        for key in old:
            with contextlib.suppress(KeyError):
                del db[key]


class DbmSession(BaseSession):
    """A session stored in a DBM database shared by every process that uses the file.

    :param dbm: the database file (default from PythonOptions, see the module).
    :param dbmtype: the ``dbm`` module to open it with (default: :mod:`dbm`,
        which recognises an existing file's flavour).
    """

    def __init__(self, req, dbm=None, sid=0, secret=None, dbmtype=_dbm, timeout=0, lock=1):
        if not dbm:
            options = req.get_options()
            dbm = option(options, "mod_python.dbm_session.database_filename", "session_dbm")
            if dbm is None:
                directory = option(options, "mod_python.dbm_session.database_directory",
                                   "mod_python.session.database_directory", "session_directory",
                                   default=tempdir)
                dbm = os.path.join(directory, "mp_sess.dbm")
        self._dbmfile = dbm
        self._dbmtype = dbmtype
        BaseSession.__init__(self, req, sid=sid, secret=secret, timeout=timeout, lock=lock)

    def lock_table(self):
        return file_locks(self._dbmfile + ".lck")

    def do_cleanup(self):
        self._req.register_cleanup(dbm_cleanup, [self._dbmfile, self._req.server])
        self._log_notice("DbmSession: registered database cleanup.")

    def do_load(self):
        key = self._sid.encode()
        with _opened(self._dbmfile, self._dbmtype) as db:
            data = db[key] if key in db else None
        if data is None:
            return None
        try:
            return pickle.loads(data)
        except _PICKLE_ERRORS:
            self._req.log_error("Error while loading a session : %s" % traceback.format_exc())
            return None

    def do_save(self, record):
        data = pickle.dumps(record)
        with _opened(self._dbmfile, self._dbmtype) as db:
            db[self._sid.encode()] = data

    def do_delete(self):
        with _opened(self._dbmfile, self._dbmtype) as db:
            with contextlib.suppress(KeyError):
                del db[self._sid.encode()]
