"""Reading the request body for ``req.read``, ``readline`` and ``readlines``.

The body comes from ``wsgi.input``, limited to ``CONTENT_LENGTH``.  Without a
length it is read to the end only when the server says the stream is
terminated (``wsgi.input_terminated``, set by waitress and mod_wsgi for
chunked requests); otherwise a chunked body gets 411, as mod_python's
``req.read`` does.  ``LimitRequestBody`` gives 413.  Input filters
(:mod:`modpy_compat.filters`) sit between the raw body and the reader.
"""
from __future__ import annotations

from modpy_compat.constants import (
    HTTP_BAD_REQUEST, HTTP_LENGTH_REQUIRED, HTTP_REQUEST_ENTITY_TOO_LARGE, REQUEST_CHUNKED_DECHUNK,
    REQUEST_CHUNKED_ERROR, SERVER_RETURN)

_BLOCK = 65536


class RequestBody:
    """A buffered reader over ``wsgi.input`` that never reads past the body.

    :param environ: the WSGI environ.
    :param limit: ``LimitRequestBody`` (0: none).
    :param filters: called with the raw body source when the request has
        input filters; returns the chain to read from instead.
    :raises SERVER_RETURN: 400 for a bad Content-Length, 411 for a chunked
        body the server does not de-chunk, 413 over the limit.
    """

    def __init__(self, environ, limit=None, filters=None):
        self.stream = environ.get("wsgi.input")
        self.limit = limit or 0
        self.buffer = b""
        self.read_length = 0
        self.eof = False
        length = environ.get("CONTENT_LENGTH", "")
        self.mode = REQUEST_CHUNKED_ERROR
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
            self.mode = REQUEST_CHUNKED_DECHUNK
        elif "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower():
            raise SERVER_RETURN(HTTP_LENGTH_REQUIRED)
        else:
            self.remaining = 0
        self.content_length = self.remaining or 0
        # mod_python never calls the input filters for a request without a body.
        self.chain = filters(self) if filters is not None and self.remaining != 0 else None

    def pull(self, size):
        """The next piece of the raw body (at most ``size`` bytes), None at its end."""
        if self.remaining is not None:
            size = min(size if size > 0 else _BLOCK, self.remaining)
        elif size <= 0:
            size = _BLOCK
        if size <= 0 or self.stream is None:
            return None
        data = self.stream.read(size)
        if not data:
            self.remaining = 0
            return None
        if self.remaining is not None:
            self.remaining -= len(data)
        elif self.limit and self.read_length + len(data) > self.limit:
            raise SERVER_RETURN(HTTP_REQUEST_ENTITY_TOO_LARGE)
        self.read_length += len(data) if self.chain is None else 0
        return data

    def _fill(self, size):
        """Read up to ``size`` more bytes into the buffer; False at the end of the body."""
        if self.eof:
            return False
        data = (self.chain or self).pull(size)
        if not data:
            self.eof = True
            return False
        if self.chain is not None:
            self.read_length += len(data)
        self.buffer += data
        return True

    @property
    def unread(self):
        """``req.remaining``: the body's length until it has all been read (Apache 2.4)."""
        return 0 if self.eof or (self.remaining == 0 and not self.buffer) else self.content_length

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
        # mod_python reads the first line whole, the others with readline(sizehint).
        lines, total = [], 0
        line = self.readline()
        while line:
            lines.append(line)
            total += len(line)
            if 0 < sizehint <= total:
                break
            line = self.readline(sizehint)
        return lines

    def discard(self):
        """Read and drop the rest of the body (Apache does not count it in ``read_length``)."""
        counted = self.read_length
        while self._fill(_BLOCK):
            self.buffer = b""
        self.buffer = b""
        self.read_length = counted
