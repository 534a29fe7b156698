"""Sessions stored one file each (mod_python's ``FileSession``).

Layout, as mod_python has it: ``<directory>/mp_sess/<first two hex digits of
the id>/<id>``, one pickle (protocol 2) per session, the 256 sub-directories
created on the first save.  The directory comes from the first of
``PythonOption mod_python.file_session.database_directory``,
``mod_python.session.database_directory``, ``session_directory``, else the
temporary directory.  Every process given the same directory shares the
sessions, and their locks: a thread lock plus an ``fcntl`` lock in
``mp_sess/.mp_sess.mutex``.

Deliberate differences: a session file is written to a temporary name and
renamed into place, so a process killed while saving leaves the previous
version rather than a truncated file; and a missing session file is not
logged as an error (mod_python logs a traceback for every expired cookie).
"""
from __future__ import annotations

import contextlib
import os
import pickle
import secrets
import stat
import time
import traceback

from modpy_compat.constants import APLOG_NOTICE
from modpy_compat.session.base import (
    DFT_TIMEOUT, BaseSession, file_locks, option, tempdir, true_or_false)

DFT_FAST_CLEANUP = True
DFT_VERIFY_CLEANUP = True
DFT_GRACE_PERIOD = 240         # seconds a session outlives its timeout before cleanup takes it
DFT_CLEANUP_TIME_LIMIT = 2     # seconds one cleanup may take (0: no limit)
FS_STAT_VERSION = "MPFS_3.2"

# What reading or writing a pickle can raise when a file is damaged, half
# written by another version, or holds objects that cannot be pickled.
_PICKLE_ERRORS = (OSError, EOFError, pickle.PickleError, AttributeError, ImportError, IndexError,
                  KeyError, TypeError, ValueError, RecursionError)


def make_filesession_dirs(sess_dir):
    """Create the 256 sub-directories ``00`` ... ``ff`` of a FileSession store."""
    for i in range(256):
        path = os.path.join(sess_dir, "%02x" % i)
        if not os.path.exists(path):
            os.makedirs(path, stat.S_IRWXU | stat.S_IRGRP | stat.S_IXGRP, exist_ok=True)


class FileSession(BaseSession):
    """A session stored in its own file, shared by every process using the directory.

    :param fast_cleanup: judge expiry by file modification time first
        (default from ``mod_python.file_session.enable_fast_cleanup``, else True).
    :param verify_cleanup: read a file before deleting it to check its own
        timeout (default from ``mod_python.file_session.verify_session_timeout``, else True).
    """

    def __init__(self, req, sid=0, secret=None, timeout=0, lock=1, fast_cleanup=-1, verify_cleanup=-1):
        options = req.get_options()
        if fast_cleanup == -1:
            fast_cleanup = true_or_false(option(
                options, "mod_python.file_session.enable_fast_cleanup", "session_fast_cleanup",
                default=DFT_FAST_CLEANUP))
        if verify_cleanup == -1:
            verify_cleanup = true_or_false(option(
                options, "mod_python.file_session.verify_session_timeout", "session_verify_cleanup",
                default=DFT_VERIFY_CLEANUP))
        self._fast_cleanup = fast_cleanup
        self._verify_cleanup = verify_cleanup
        self._grace_period = int(option(
            options, "mod_python.file_session.cleanup_grace_period", "session_grace_period",
            default=DFT_GRACE_PERIOD))
        self._cleanup_time_limit = int(option(
            options, "mod_python.file_session.cleanup_time_limit", "session_cleanup_time_limit",
            default=DFT_CLEANUP_TIME_LIMIT))
        directory = option(options, "mod_python.file_session.database_directory",
                           "mod_python.session.database_directory", "session_directory", default=tempdir)
        self._sessdir = os.path.join(directory, "mp_sess")
        self._cleanup_timeout = timeout or DFT_TIMEOUT
        BaseSession.__init__(self, req, sid=sid, secret=secret, timeout=timeout, lock=lock)

    def lock_table(self):
        return file_locks(os.path.join(self._sessdir, ".mp_sess.mutex"))

    @contextlib.contextmanager
    def _file_lock(self):
        # With locking off (lock=0) each file operation still takes the lock
        # for its own duration, as mod_python's lock_file() does.
        if self._locked:
            yield
            return
        locks = self.lock_table()
        locks.acquire(self._sid)
        try:
            yield
        finally:
            locks.release(self._sid)

    def _filename(self):
        return os.path.join(self._sessdir, self._sid[:2], self._sid)

    def do_load(self):
        filename = self._filename()
        with self._file_lock():
            try:
                with open(filename, "rb") as fh:
                    record = pickle.load(fh)
                if time.time() - record["_accessed"] <= record["_timeout"]:
                    # Tell the cleanup (which goes by modification time) it is in use.
                    os.utime(filename, None)
                return record
            except FileNotFoundError:
                return None
            except _PICKLE_ERRORS:
                self._req.log_error("Error while loading a session : %s" % traceback.format_exc())
                return None

    def do_save(self, record):
        directory = os.path.join(self._sessdir, self._sid[:2])
        with self._file_lock():
            try:
                if not os.path.exists(directory):
                    make_filesession_dirs(self._sessdir)
                _write_atomically(self._filename(), pickle.dumps(record, 2))
            except _PICKLE_ERRORS:
                self._req.log_error("Error while saving a session : %s" % traceback.format_exc())

    def do_delete(self):
        with self._file_lock():
            try:
                os.unlink(self._filename())
            except OSError:
                pass

    def do_cleanup(self):
        self._req.register_cleanup(filesession_cleanup, {
            "req": self._req,
            "sessdir": self._sessdir,
            "fast_cleanup": self._fast_cleanup,
            "verify_cleanup": self._verify_cleanup,
            "timeout": self._cleanup_timeout,
            "grace_period": self._grace_period,
            "cleanup_time_limit": self._cleanup_time_limit,
        })
        self._log_notice("FileSession: registered filesession cleanup.")


def _write_atomically(filename, data):
    temporary = "%s/.%s.%s.tmp" % (os.path.dirname(filename), os.path.basename(filename),
                                   secrets.token_hex(4))
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(temporary, filename)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _read_status(sessdir):
    # fs_status.txt: "MPFS_3.2 <next dir> <expired> <total> <seconds>" of the
    # cleanup in progress, so that time-limited cleanups resume where they stopped.
    try:
        with open(os.path.join(sessdir, "fs_status.txt")) as fh:
            parts = fh.readline().split()
        if parts[0] != FS_STAT_VERSION:
            raise ValueError(parts[0])
        return int(parts[1]) % 256, int(parts[2]), int(parts[3]), float(parts[4])
    except (OSError, IndexError, ValueError):
        return 0, 0, 0, 0.0


def _expired(filename, data, now):
    """Whether the session file ``filename`` may go (None when it is not a session)."""
    name = os.path.basename(filename)
    mtime = os.stat(filename).st_mtime
    if name.startswith("."):
        # the temporary file of a save that never finished
        return now - mtime > data["grace_period"]
    if data["fast_cleanup"] and now - mtime < data["timeout"] + data["grace_period"]:
        return False
    if data["fast_cleanup"] and not data["verify_cleanup"]:
        return True
    with open(filename, "rb") as fh:
        record = pickle.load(fh)
    return now - record["_accessed"] > record["_timeout"] + data["grace_period"]


def filesession_cleanup(data):
    """Delete expired session files, at most ``cleanup_time_limit`` seconds per run.

    One cleanup runs at a time per directory (``.mp_sess.lck``; a lock file
    older than an hour is taken as stale and removed).  A run that hits the
    time limit records where it stopped in ``fs_status.txt`` and the next one
    resumes from there.
    """
    req, sessdir = data["req"], data["sessdir"]
    req.log_error("FileSession cleanup: (fast=%s, verify=%s) ..."
                  % (data["fast_cleanup"], data["verify_cleanup"]), APLOG_NOTICE)
    lockfile = os.path.join(sessdir, ".mp_sess.lck")
    try:
        lock_fd = os.open(lockfile, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o660)
    except FileExistsError:
        try:
            stale = os.stat(lockfile).st_mtime < time.time() - 3600
        except FileNotFoundError:
            return
        if stale:
            req.log_error("FileSession cleanup: stale lockfile found - deleting it", APLOG_NOTICE)
            with contextlib.suppress(OSError):
                os.remove(lockfile)
        else:
            req.log_error("FileSession cleanup: another process is already running", APLOG_NOTICE)
        return
    except FileNotFoundError:
        return      # no session was ever saved here
    try:
        next_i, expired, total, total_time = _read_status(sessdir)
        start = time.time()
        limit = data["cleanup_time_limit"]
        for i in range(next_i, 256):
            path = os.path.join(sessdir, "%02x" % i)
            names = os.listdir(path) if os.path.isdir(path) else []
            total += len(names)
            for name in names:
                filename = os.path.join(path, name)
                try:
                    if _expired(filename, data, time.time()):
                        os.unlink(filename)
                        expired += 1
                except _PICKLE_ERRORS:
                    req.log_error("FileSession cleanup error: %s" % traceback.format_exc(), APLOG_NOTICE)
            next_i = (i + 1) % 256
            if limit > 0 and time.time() - start > limit:
                break
        total_time += time.time() - start
        if next_i == 0:
            req.log_error("FileSession cleanup: deleted %d of %d in %.4f seconds"
                          % (expired, total, total_time), APLOG_NOTICE)
            expired, total, total_time = 0, 0, 0.0
        else:
            req.log_error("FileSession cleanup incomplete: next cleanup will start at index %d (%02x)"
                          % (next_i, next_i), APLOG_NOTICE)
        with open(os.path.join(sessdir, "fs_status.txt"), "w") as fh:
            fh.write("%s %d %d %d %f\n" % (FS_STAT_VERSION, next_i, expired, total, total_time))
    finally:
        os.close(lock_fd)
        with contextlib.suppress(OSError):
            os.unlink(lockfile)
