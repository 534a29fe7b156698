"""Apache's combined access log format, one line per request."""
from __future__ import annotations

import functools
import time


def combined_line(req, status, size) -> str:
    """``%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-agent}i"`` for ``req``."""
    environ = req._environ
    stamp = _stamp(int(req.request_time))
    request_line = "%s %s %s" % (environ.get("REQUEST_METHOD", "-"),
                                 environ.get("REQUEST_URI") or req.unparsed_uri,
                                 environ.get("SERVER_PROTOCOL", "-"))
    return '%s - %s [%s] "%s" %d %s "%s" "%s"\n' % (
        environ.get("REMOTE_ADDR", "-"), _field(req.user), stamp, _escape(request_line), status,
        size or "-", _escape(environ.get("HTTP_REFERER", "-")),
        _escape(environ.get("HTTP_USER_AGENT", "-")))


@functools.lru_cache(maxsize=4)
def _stamp(second):
    # Formatted once per second: every request of that second shares it.
    return time.strftime("%d/%b/%Y:%H:%M:%S %z", time.localtime(second))


def _field(value):
    return _escape(value) if value else "-"


def _escape(text):
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
