"""Turning what handlers wrote into the WSGI response.

mod_python commits the status line and headers with the first flushed write
(``req.write`` flushes by default); after that, changes to ``req.status`` or
``headers_out`` have no effect, and ``util.redirect`` refuses.  :class:`Output`
keeps those semantics (the headers are frozen at the first flush) but holds
the bytes back so that a response written in one go still gets a
Content-Length.  The body physically streams once a handler calls
``req.flush()`` or more than :data:`STREAM_THRESHOLD` bytes are waiting; from
then on every write goes straight to the client through the WSGI ``write``
callable.
"""
from __future__ import annotations

import logging
import os
import re

from modpy_compat.constants import reason_phrase

log = logging.getLogger(__name__)

STREAM_THRESHOLD = 256 * 1024
AUTO_COMMIT = 8192          # Apache sends headers once ~8 KB of output wait
_FILE_BLOCK = 256 * 1024
_NO_BODY = (204, 304)


# A header name is an RFC 7230 token.
_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+\Z")


class HeaderError(ValueError):
    """A response header that cannot be sent (CR or LF in it, not latin-1)."""


def status_line(req, status: int) -> str:
    line = req.status_line
    if line and line.split(None, 1)[0] == str(status):
        return line
    return "%d %s" % (status, reason_phrase(status))


def response_headers(req, error: bool = False) -> list:
    """The header list for ``req``'s response.

    A normal response sends ``err_headers_out`` overlaid with ``headers_out``;
    an error page keeps only ``err_headers_out`` (and ``Location`` for
    redirects), as Apache does.
    """
    headers = list(req.err_headers_out.items())
    if error:
        location = req.headers_out.get("Location")
        if location and 300 <= req.status < 400 and "Location" not in req.err_headers_out:
            headers.append(("Location", location))
    else:
        headers.extend(req.headers_out.items())
    content_type = req.content_type
    if content_type:
        charset = req._config.add_default_charset
        if charset and "charset" not in content_type and content_type.split(";")[0] in ("text/plain", "text/html"):
            content_type += "; charset=" + charset
        headers = [h for h in headers if h[0].lower() != "content-type"]
        headers.append(("Content-Type", content_type))
    if req.no_cache and not any(h[0].lower() == "expires" for h in headers):
        from email.utils import formatdate
        headers.append(("Expires", formatdate(req.request_time, usegmt=True)))
    for name, value in headers:
        if "\r" in value or "\n" in value or not _TOKEN.match(name):
            raise HeaderError("response header %r has a CR or LF in it; refusing to send it" % name)
        try:
            value.encode("latin-1")
        except UnicodeEncodeError:
            raise HeaderError("response header %r has characters outside latin-1" % name)
    return headers


class _FilePart:
    __slots__ = ("file", "offset", "length")

    def __init__(self, file, offset, length):
        self.file, self.offset, self.length = file, offset, length

    def chunks(self):
        self.file.seek(self.offset)
        left = self.length
        while left > 0:
            data = self.file.read(min(_FILE_BLOCK, left))
            if not data:
                break
            left -= len(data)
            yield data
        self.file.close()


class Output:
    """The response being produced for one client request (shared by internal redirects)."""

    def __init__(self, environ, start_response):
        self.environ = environ
        self.start_response = start_response
        self.parts = []             # bytes, or one _FilePart
        self.pending = 0
        self.committed = False      # headers frozen: req.sent_bodyct
        self.status = None
        self.headers = None
        self.write_fn = None        # the WSGI write callable, once streaming
        self.bytes_sent = 0
        self.head = environ.get("REQUEST_METHOD") == "HEAD"

    def commit(self, req):
        """Freeze the status line and headers as they are now."""
        if not self.committed:
            self.headers = response_headers(req, error=req.__dict__.get("_error", False))
            self.status = req.status
            self.line = status_line(req, req.status)
            self.committed = True

    def write(self, req, data: bytes, flush):
        if not data:
            return
        if self.write_fn is not None:
            self._send(data)
            return
        self.parts.append(data)
        self.pending += len(data)
        if flush or self.pending >= AUTO_COMMIT:
            self.commit(req)
        if self.pending >= STREAM_THRESHOLD:
            self.start(req)

    def flush(self, req):
        self.commit(req)
        self.start(req)

    def sendfile(self, req, fh, offset, length):
        """Send ``length`` bytes of the open file ``fh`` from ``offset`` (see :func:`open_range`)."""
        self.commit(req)
        part = _FilePart(fh, offset, length)
        if self.write_fn is None and not self.parts:
            self.parts.append(part)
            self.pending += length
            return length
        self.start(req)
        for data in part.chunks():
            self._send(data)
        return length

    def start(self, req):
        """Begin streaming: send the frozen headers and what is waiting."""
        if self.write_fn is not None:
            return
        self.commit(req)
        self.write_fn = self.start_response(self.line, self.headers)
        parts, self.parts, self.pending = self.parts, [], 0
        for part in parts:
            for data in (part.chunks() if isinstance(part, _FilePart) else (part,)):
                self._send(data)

    def _send(self, data):
        if not self.head and self.status not in _NO_BODY:
            self.write_fn(data)
        self.bytes_sent += len(data)

    def discard(self):
        """Drop what was written but not committed (an error page replaces it)."""
        for part in self.parts:
            if isinstance(part, _FilePart):
                part.file.close()
        self.parts, self.pending = [], 0

    def finish(self, req, on_close):
        """Return the WSGI response body; ``on_close`` runs once it was sent."""
        if self.write_fn is not None:
            return _Body([], on_close)
        self.commit(req)
        headers, parts = self.headers, self.parts
        if self.status in _NO_BODY or (100 <= self.status < 200):
            headers = [h for h in headers if h[0].lower() not in ("content-length", "content-type")]
            self.discard()
            parts = []
        elif not any(h[0].lower() == "content-length" for h in headers):
            headers = headers + [("Content-Length", str(self.pending))]
        if self.head and req.__dict__.get("_error"):
            # Apache sends an error page's headers to HEAD without a length.
            headers = [h for h in headers if h[0].lower() != "content-length"]
        self.start_response(self.line, headers)
        self.bytes_sent = self.pending
        if self.head:
            self.discard()
            return _Body([], on_close)
        if len(parts) == 1 and isinstance(parts[0], _FilePart):
            return self._file_body(parts[0], on_close)
        return _Body([p if isinstance(p, bytes) else b"".join(p.chunks()) for p in parts], on_close)

    def _file_body(self, part, on_close):
        # The server's wsgi.file_wrapper gets the file itself when the range
        # runs to its end (servers stop at Content-Length and may use
        # sendfile(2)), else a reader limited to the range.
        wrapper = self.environ.get("wsgi.file_wrapper")
        if wrapper is not None:
            if part.offset + part.length >= os.fstat(part.file.fileno()).st_size:
                part.file.seek(part.offset)
                filelike = part.file
            else:
                filelike = FileRange(part.file, part.offset, part.length)
            body = wrapper(filelike, _FILE_BLOCK)
            original_close = getattr(body, "close", filelike.close)

            def close():
                try:
                    original_close()
                finally:
                    on_close()
            try:
                body.close = close
                return body
            except AttributeError:
                pass
        return _Body(part.chunks(), on_close)


def open_range(path, offset=0, length=-1):
    """Open ``path`` for ``req.sendfile``: ``(file, offset, length)`` clipped to the file.

    A negative ``length`` means the rest of the file from ``offset``.

    :raises IOError: mod_python's "Could not stat file for reading" (missing
        file) or "Could not open file for reading".
    """
    try:
        size = os.stat(path).st_size
    except OSError:
        raise IOError("Could not stat file for reading")
    try:
        fh = open(path, "rb")
    except OSError:
        raise IOError("Could not open file for reading")
    offset = max(0, min(int(offset), size))
    length = size - offset if length is None or length < 0 else min(int(length), size - offset)
    return fh, offset, length


class FileRange:
    """A read-only file-like view of ``length`` bytes of ``file`` from ``offset``."""

    def __init__(self, file, offset, length):
        self.file, self.start, self.length = file, offset, length
        self.position = 0
        file.seek(offset)

    def read(self, size=-1):
        left = self.length - self.position
        if size is None or size < 0 or size > left:
            size = left
        data = self.file.read(size) if size > 0 else b""
        self.position += len(data)
        return data

    def seekable(self):
        return True

    def seek(self, position, whence=0):
        base = (0, self.position, self.length)[whence]
        self.position = max(0, min(self.length, base + position))
        self.file.seek(self.start + self.position)
        return self.position

    def tell(self):
        return self.position

    def close(self):
        self.file.close()


class _Body:
    """The WSGI response iterable; its ``close()`` runs the log and cleanup phases."""

    __slots__ = ("iterable", "on_close")

    def __init__(self, iterable, on_close):
        self.iterable = iterable
        self.on_close = on_close

    def __iter__(self):
        return iter(self.iterable)

    def close(self):
        try:
            close = getattr(self.iterable, "close", None)
            if close is not None:
                close()
        finally:
            self.on_close()
