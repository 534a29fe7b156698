"""Reading the request body for ``req.read``, ``readline`` and ``readlines``.

The body comes from ``wsgi.input``, limited to ``CONTENT_LENGTH``.  Without a
length it is read to the end only when the server says the stream is
terminated (``wsgi.input_terminated``, set by waitress and mod_wsgi for
chunked requests); otherwise a chunked body gets 411, as mod_python's
``req.read`` does.  ``LimitRequestBody`` gives 413.
"""
from __future__ import annotations

from modpy_compat.constants import (
    HTTP_BAD_REQUEST, HTTP_LENGTH_REQUIRED, HTTP_REQUEST_ENTITY_TOO_LARGE, SERVER_RETURN)

_BLOCK = 65536


class RequestBody:
    """A buffered reader over ``wsgi.input`` that never reads past the body."""

    def __init__(self, environ, limit=None):
        self.stream = environ.get("wsgi.input")
        self.limit = limit or 0
        self.buffer = b""
        self.read_length = 0
        length = environ.get("CONTENT_LENGTH", "")
        if length:
            try:
                self.remaining = int(length)
                if self.remaining < 0:
                    raise ValueError(length)
            except ValueError:
                raise SERVER_RETURN(HTTP_BAD_REQUEST)
            if self.limit and self.remaining > self.limit:
                raise SERVER_RETURN(HTTP_REQUEST_ENTITY_TOO_LARGE)
        elif environ.get("wsgi.input_terminated"):
            self.remaining = None  # read until the stream ends
        elif "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower():
            raise SERVER_RETURN(HTTP_LENGTH_REQUIRED)
        else:
            self.remaining = 0

    def _fill(self, size):
        """Read up to ``size`` more bytes from the stream; False at the end."""
        if self.remaining is not None:
            size = min(size, self.remaining)
        if size <= 0 or self.stream is None:
            return False
        data = self.stream.read(size)
        if not data:
            self.remaining = 0
            return False
        self.buffer += data
        self.read_length += len(data)
        if self.remaining is not None:
            self.remaining -= len(data)
        elif self.limit and self.read_length > self.limit:
            raise SERVER_RETURN(HTTP_REQUEST_ENTITY_TOO_LARGE)
        return True

    def read(self, size=-1):
        if size is None or size < 0:
            while self._fill(_BLOCK):
                pass
            data, self.buffer = self.buffer, b""
            return data
        while len(self.buffer) < size and self._fill(size - len(self.buffer)):
            pass
        data, self.buffer = self.buffer[:size], self.buffer[size:]
        return data

    def readline(self, size=-1):
        start = 0
        while True:
            end = self.buffer.find(b"\n", start)
            if end >= 0:
                end += 1
                break
            if 0 <= size <= len(self.buffer):
                end = size
                break
            start = len(self.buffer)
            if not self._fill(_BLOCK if size < 0 else min(_BLOCK, size - len(self.buffer))):
                end = len(self.buffer)
                break
        if 0 <= size < end:
            end = size
        line, self.buffer = self.buffer[:end], self.buffer[end:]
        return line

    def readlines(self, sizehint=-1):
        lines, total = [], 0
        line = self.readline()
        while line:
            lines.append(line)
            total += len(line)
            if 0 < sizehint <= total:
                break
            line = self.readline(sizehint)
        return lines
