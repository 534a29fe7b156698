"""Apache's own filters that modpy_compat provides: DEFLATE (mod_deflate) and CONTENT_LENGTH.

``SetOutputFilter DEFLATE`` (or ``AddOutputFilter``, ``req.add_output_filter``)
compresses responses with gzip as mod_deflate 2.4 decides to; as an input
filter it inflates gzip request bodies.  ``CONTENT_LENGTH`` only passes data
on: a response written in one go gets a Content-Length anyway.  They sit in
the chains of :mod:`modpy_compat.filters`.
"""
from __future__ import annotations

import zlib

from modpy_compat.constants import HTTP_BAD_REQUEST, SERVER_RETURN
from modpy_compat.filters import CONTENT_SET, EOS, FLUSH, PROTOCOL


class ContentLength:
    """Apache's CONTENT_LENGTH filter: the response gets a length when it is buffered whole.

    The response code does that already, so this stage only passes data on.
    """

    ftype = PROTOCOL
    name = "content_length"
    is_input = False

    def __init__(self, req):
        self.next = None

    def send(self, items):
        self.next.send(items)


class Deflate:
    """mod_deflate's DEFLATE output filter: gzip for clients that accept it.

    As Apache 2.4 decides: not for sub-requests, 204 and 304 responses,
    ``no-gzip`` in the environment, ranges, an existing Content-Encoding, or
    a whole body of 68 bytes or less; ``Vary: Accept-Encoding`` is added
    before looking at ``Accept-Encoding`` (``force-gzip`` skips that look);
    compressing drops Content-Length and marks the ETag ``-gzip``.
    """

    ftype = CONTENT_SET
    name = "deflate"
    is_input = False
    SMALL = 68

    def __init__(self, req):
        self.req = req
        self.next = None
        self.compressor = None
        self.passing = False

    def send(self, items):
        if self.passing:
            self.next.send(items)
            return
        if self.compressor is None:
            if not items:
                return
            if not self._decide(items):
                self.passing = True
                self.next.send(items)
                return
        out = []
        for item in items:
            if item is FLUSH:
                out += [self.compressor.flush(zlib.Z_SYNC_FLUSH), FLUSH]
            elif item is EOS:
                out += [self.compressor.flush(zlib.Z_FINISH), EOS]
                break
            else:
                out.append(self.compressor.compress(item))
        self.next.send([item for item in out if item != b""])

    def _decide(self, items):
        req = self.req
        headers = req.headers_out
        env = req.subprocess_env
        if req.main is not None or req.status in (204, 304) or "no-gzip" in env \
                or "Content-Range" in headers:
            return False
        if items[-1] is EOS and sum(len(i) for i in items if isinstance(i, bytes)) <= self.SMALL:
            return False
        encoding = headers.get("Content-Encoding") or req.err_headers_out.get("Content-Encoding")
        if encoding and encoding.lower() != "identity":
            return False
        vary = headers.get("Vary")
        headers["Vary"] = vary + ",Accept-Encoding" if vary else "Accept-Encoding"
        if "force-gzip" not in env and not accepts_gzip(req.headers_in.get("Accept-Encoding", "")):
            return False
        del headers["Content-Length"]
        del headers["Content-MD5"]
        headers["Content-Encoding"] = "gzip"
        tag = headers.get("ETag")
        if tag and tag.endswith('"'):
            headers["ETag"] = tag[:-1] + '-gzip"'
        # Apache's defaults: level 6, 15-bit window, memLevel 9, gzip wrapper.
        self.compressor = zlib.compressobj(-1, zlib.DEFLATED, 31, 9)
        return True


class Inflate:
    """mod_deflate's DEFLATE input filter: a gzip request body is inflated for the handler."""

    ftype = CONTENT_SET
    name = "deflate"
    is_input = True

    def __init__(self, req):
        self.req = req
        self.next = None
        encoding = req.headers_in.get("Content-Encoding") or ""
        self.decompressor = zlib.decompressobj(31) if encoding.lower() == "gzip" else None
        self.done = False

    def pull(self, size):
        if self.decompressor is None:
            return self.next.pull(size)
        while not self.done:
            data = self.next.pull(size)
            try:
                if data is None:
                    self.done = True
                    out = self.decompressor.flush()
                else:
                    out = self.decompressor.decompress(data)
            except zlib.error:
                raise SERVER_RETURN(HTTP_BAD_REQUEST)
            if out:
                return out
        return None


NATIVE_OUTPUT = {"content_length": ContentLength, "deflate": Deflate}
NATIVE_INPUT = {"deflate": Inflate}


def accepts_gzip(header: str) -> bool:
    """True when an Accept-Encoding header lists ``gzip`` with a non-zero quality."""
    for token in header.split(","):
        name, _, params = token.partition(";")
        if name.strip().lower() != "gzip":
            continue
        params = params.replace(" ", "").lower()
        if params.startswith("q="):
            try:
                return float(params[2:]) > 0
            except ValueError:
                return True
        return True
    return False
