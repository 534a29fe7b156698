"""mod_python's error log, mapped onto Python logging (logger ``mod_python``)."""
from __future__ import annotations

import logging

from modpy_compat.constants import APLOG_ERR

log = logging.getLogger("mod_python")

# syslog levels (APLOG_*) to logging levels.
LEVELS = {0: logging.CRITICAL, 1: logging.CRITICAL, 2: logging.CRITICAL, 3: logging.ERROR,
          4: logging.WARNING, 5: logging.INFO, 6: logging.INFO, 7: logging.DEBUG}


def log_error(message, level=APLOG_ERR, server=None, client=None):
    """Write ``message`` to the error log as ``apache.log_error`` does.

    Level 0 means "not given" and logs as an error (mod_python's quirk); the
    3.3.1 ``APLOG_NOERRNO`` flag is masked off.
    """
    if message is None:
        return
    if server is not None and type(server).__name__ != "mp_server":
        raise TypeError("bad argument: server must be a server object or None")
    level = (level & 7) or APLOG_ERR
    prefix = "[client %s] " % client if client else ""
    log.log(LEVELS[level], "%s%s", prefix, message)
