"""A gzip output filter: compresses the response for clients that accept gzip.

Apache calls an output filter once per piece of the response: ``filter.read()``
returns that piece, ``b""`` when the piece is done and ``None`` at the end of
the response, where the filter must ``close()``.  The compressor lives on the
request between calls.
"""
import zlib


def outputfilter(filter):
    req = filter.req
    compressor = getattr(req, "gzip_compressor", None)
    if compressor is None:
        accepted = "gzip" in req.headers_in.get("Accept-Encoding", "")
        if not accepted or req.status in (204, 304) or "Content-Encoding" in req.headers_out:
            # Nothing to do for this response: pass it on untouched from now on.
            filter.pass_on()
            filter.disable()
            return
        # Headers may still change: the filter sees the data before it is sent.
        compressor = req.gzip_compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
        req.headers_out["Content-Encoding"] = "gzip"
        req.headers_out.add("Vary", "Accept-Encoding")
        del req.headers_out["Content-Length"]
    data = filter.read()
    while data:
        filter.write(compressor.compress(data))
        data = filter.read()
    if data is None:
        filter.write(compressor.flush())
        filter.close()
    else:
        filter.write(compressor.flush(zlib.Z_SYNC_FLUSH))
