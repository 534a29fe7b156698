"""``mod_python.Session``: ``Session()`` and the session classes.

The behaviour lives in :mod:`modpy_compat.session`; this module gives it
mod_python's names, plus ``RedisSession`` for sites on several machines.
The constants are copies: changing them here does not change the engine.
Differences from mod_python are listed in docs/compatibility.md.
"""
from modpy_compat.session import make_session as Session  # noqa: F401
from modpy_compat.session.base import (  # noqa: F401
    CLEANUP_CHANCE, COOKIE_NAME, DFT_LOCK, DFT_TIMEOUT, BaseSession, _check_sid, _new_sid,
    md5_hash, tempdir, true_or_false, unlock_session_cleanup, validate_sid_re)
from modpy_compat.session.dbm import DbmSession, dbm_cleanup  # noqa: F401
from modpy_compat.session.file import (  # noqa: F401
    DFT_CLEANUP_TIME_LIMIT, DFT_FAST_CLEANUP, DFT_GRACE_PERIOD, DFT_VERIFY_CLEANUP, FS_STAT_VERSION,
    FileSession, filesession_cleanup, make_filesession_dirs)
from modpy_compat.session.memory import MemorySession, mem_cleanup  # noqa: F401
from modpy_compat.session.redis import RedisSession  # noqa: F401

__all__ = ["Session", "BaseSession", "MemorySession", "FileSession", "DbmSession", "RedisSession",
           "COOKIE_NAME", "DFT_TIMEOUT", "DFT_LOCK", "CLEANUP_CHANCE", "tempdir", "validate_sid_re",
           "true_or_false", "unlock_session_cleanup", "md5_hash", "mem_cleanup", "dbm_cleanup",
           "filesession_cleanup", "make_filesession_dirs", "DFT_FAST_CLEANUP", "DFT_VERIFY_CLEANUP",
           "DFT_GRACE_PERIOD", "DFT_CLEANUP_TIME_LIMIT", "FS_STAT_VERSION"]
