"""Session storage backends: memory, files, dbm and Redis, and the factory choosing one.

``make_session(req)`` (``mod_python.Session.Session``) picks the class the way mod_python does: from ``PythonOption
mod_python.session.session_type`` (or the legacy ``session``), else from the
server model (threads in one process: MemorySession, otherwise DbmSession).
Legacy code reaches all of this as ``mod_python.Session``.
"""
from __future__ import annotations

from modpy_compat.session.base import BaseSession, SessionError
from modpy_compat.session.dbm import DbmSession
from modpy_compat.session.file import FileSession
from modpy_compat.session.memory import MemorySession
from modpy_compat.session.redis import RedisSession

__all__ = ["make_session", "session_class", "BaseSession", "DbmSession", "FileSession", "MemorySession",
           "RedisSession", "SessionError"]

SESSION_TYPES = {
    "FileSession": FileSession,
    "DbmSession": DbmSession,
    "MemorySession": MemorySession,
    "RedisSession": RedisSession,
    "Redis": RedisSession,
}


def session_class(options, mpm=(True, False, 8, 1)):
    """The session class for a request's PythonOptions.

    :param options: ``req.get_options()``.
    :param mpm: (threaded, forked, threads per process, processes) of the
        server, as ``apache.mpm_query`` reports them.
    :raises SessionError: for an unknown ``session_type``.
    """
    if "mod_python.session.session_type" in options:
        name = options["mod_python.session.session_type"]
    elif "session" in options:
        name = options["session"]
    else:
        threaded, forked, _threads, daemons = mpm
        # mod_python: memory is safe only when every request runs in one process.
        name = "MemorySession" if threaded and (not forked or daemons == 1) else "DbmSession"
    try:
        return SESSION_TYPES[name]
    except KeyError:
        raise SessionError("Unknown session type %s" % name) from None


def make_session(req, sid=0, secret=None, timeout=0, lock=1):
    """The session of ``req``, of the class the configuration chooses (see :func:`session_class`).

    :param sid: use this session id instead of the cookie's.
    :param secret: sign the session cookie.
    :param timeout: seconds of inactivity before the session lapses (default 1800).
    :param lock: hold the session's lock until the request ends.
    """
    facts = req._gateway.mpm_facts() if getattr(req, "_gateway", None) is not None else None
    cls = session_class(req.get_options(), facts or (True, False, 8, 1))
    return cls(req, sid=sid, secret=secret, timeout=timeout, lock=lock)
