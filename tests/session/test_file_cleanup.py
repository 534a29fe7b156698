"""FileSession's cleanup of expired session files (``filesession_cleanup``)."""
from __future__ import annotations

import os
import pickle
import time

import pytest

from modpy_compat.session.file import filesession_cleanup, make_filesession_dirs

NOW = time.time()
SID_OLD = "00" + "1" * 30
SID_FRESH = "00" + "2" * 30
SID_OLD_MTIME_FRESH_RECORD = "ff" + "3" * 30


class LogOnly:
    def __init__(self):
        self.messages = []

    def log_error(self, message, level=3):
        self.messages.append(message)


def write_session(sessdir, sid, accessed, mtime, timeout=60):
    path = sessdir / sid[:2] / sid
    path.write_bytes(pickle.dumps({"_data": {}, "_created": accessed, "_accessed": accessed,
                                   "_timeout": timeout}, 2))
    os.utime(path, (mtime, mtime))
    return path


@pytest.fixture
def sessdir(tmp_path):
    sessdir = tmp_path / "mp_sess"
    make_filesession_dirs(str(sessdir))
    write_session(sessdir, SID_OLD, NOW - 1000, NOW - 1000)
    write_session(sessdir, SID_FRESH, NOW, NOW)
    write_session(sessdir, SID_OLD_MTIME_FRESH_RECORD, NOW, NOW - 1000)
    leftover = sessdir / "00" / (".%s.abcd1234.tmp" % SID_FRESH)
    leftover.write_bytes(b"half written")
    os.utime(leftover, (NOW - 1000, NOW - 1000))
    return sessdir


def run(sessdir, fast=True, verify=True, limit=0):
    req = LogOnly()
    filesession_cleanup({"req": req, "sessdir": str(sessdir), "fast_cleanup": fast, "verify_cleanup": verify,
                         "timeout": 60, "grace_period": 10, "cleanup_time_limit": limit})
    return req.messages


def remaining(sessdir):
    return sorted(p.name for p in sessdir.glob("??/*"))


def test_cleanup_deletes_expired_sessions_and_leftover_temporary_files(sessdir):
    messages = run(sessdir)
    assert remaining(sessdir) == [SID_FRESH, SID_OLD_MTIME_FRESH_RECORD]
    assert messages[-1].startswith("FileSession cleanup: deleted 2 of 4 in ")
    assert (sessdir / "fs_status.txt").read_text().startswith("MPFS_3.2 0 0 0 ")
    assert not (sessdir / ".mp_sess.lck").exists()


def test_fast_cleanup_without_verification_trusts_modification_times(sessdir):
    run(sessdir, fast=True, verify=False)
    assert remaining(sessdir) == [SID_FRESH]


def test_a_running_cleanup_keeps_others_away_until_its_lock_is_stale(sessdir):
    lock = sessdir / ".mp_sess.lck"
    lock.write_text("")
    assert run(sessdir)[-1] == "FileSession cleanup: another process is already running"
    assert len(remaining(sessdir)) == 4
    os.utime(lock, (NOW - 7200, NOW - 7200))
    assert run(sessdir)[-1] == "FileSession cleanup: stale lockfile found - deleting it"
    assert not lock.exists()
    run(sessdir)
    assert len(remaining(sessdir)) == 2


def test_a_time_limited_cleanup_resumes_where_it_stopped(sessdir):
    (sessdir / "fs_status.txt").write_text("MPFS_3.2 128 5 7 0.5\n")
    messages = run(sessdir)
    assert SID_OLD in remaining(sessdir)              # directory 00 comes before where it resumed
    assert messages[-1].startswith("FileSession cleanup: deleted 5 of 8 in ")
