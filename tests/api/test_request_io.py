"""The request body (``read``, ``readline``, ``readlines``, ``discard_request_body``) and
the response body (``write``, ``flush``, ``sendfile``, ``set_content_length``).

Body-reading values recorded from Apache 2.4 + mod_python 3.5 (``remaining``
stays at the body length until the body is read whole; ``readlines`` reads
the lines after the first with ``readline(sizehint)``); ``sendfile`` errors
are mod_python's messages.
"""
from __future__ import annotations

import io

BODY = b"hello\nworld\nthird line\nlast"


def test_read_read0_readline_readlines_share_one_buffer(probe):
    out = probe.run(
        "out = [req.remaining, req.read_body, req.read(0), req.remaining, req.read_length]\n"
        "out.append(req.read(3)); out += [req.remaining, req.read_length, req.read_body]\n"
        "out.append(req.readline()); out.append(req.readline(2)); out.append(req.readlines())\n"
        "out.append(req.read()); out.append(req.readline()); out.append(req.remaining)",
        method="POST", body=BODY)
    assert out == ("[0, 0, b'', 0, 0, b'hel', 27, 3, 1, b'lo\\n', b'wo', "
                   "[b'rld\\n', b'third line\\n', b'last'], b'', b'', 0]")


def test_read_with_a_size_larger_than_the_body_returns_the_body(probe):
    assert probe.eval("req.read(1000)", method="POST", body=b"abc") == "b'abc'"


def test_read_without_a_body_is_empty(probe):
    assert probe.eval("(req.read(), req.readline(), req.readlines())") == "(b'', b'', [])"


def test_readline_stops_at_the_limit_and_at_newlines(probe):
    assert probe.eval("[req.readline(4), req.readline(4), req.readline(100), req.readline(4)]",
                      method="POST", body=b"abcdef\ngh\n") == "[b'abcd', b'ef\\n', b'gh\\n', b'']"


def test_readlines_reads_later_lines_with_the_size_hint(probe):
    # mod_python's test: 4 lines of 30001 bytes; hint 30000 -> 1 line, 32000 -> 2.
    body = (b"x" * 30000 + b"\n") * 4
    assert probe.eval("[len(x) for x in req.readlines(30000)]", method="POST", body=body) == "[30001]"
    assert probe.eval("[len(x) for x in req.readlines(32000)]", method="POST", body=body) == "[30001, 30001]"
    assert probe.eval("len(req.readlines())", method="POST", body=body) == "4"


def test_readlines_splits_lines_longer_than_the_hint(probe):
    assert probe.eval("req.readlines(4)", method="POST", body=b"ab\ncdefgh\n") == "[b'ab\\n', b'cdef']"


def test_chunked_body_without_length_is_refused_with_411(probe):
    response = probe.request("req.read()", method="POST",
                             environ={"HTTP_TRANSFER_ENCODING": "chunked", "CONTENT_LENGTH": ""})
    assert response.status == "411 Length Required"


def test_chunked_body_the_server_dechunked_is_read_whole(probe):
    environ = {"HTTP_TRANSFER_ENCODING": "chunked", "CONTENT_LENGTH": "",
               "wsgi.input": io.BytesIO(b"dechunked body"), "wsgi.input_terminated": True}
    assert probe.eval("(req.read(), req.read_body)", method="POST", environ=environ) == \
        "(b'dechunked body', 2)"


def test_bad_content_length_is_400(probe):
    response = probe.request("req.read()", method="POST", environ={"CONTENT_LENGTH": "abc"})
    assert response.status == "400 Bad Request"


def test_body_over_limit_request_body_is_413(make_probe):
    probe = make_probe(directory_conf="LimitRequestBody 5")
    assert probe.request("req.read()", method="POST", body=b"123456").status_int == 413
    assert probe.eval("req.read()", method="POST", body=b"12345") == "b'12345'"


def test_discard_request_body_returns_ok_and_empties_the_body(probe):
    assert probe.eval("(req.discard_request_body(), req.read(), req.read_length)",
                      method="POST", body=b"abc") == "(0, b'', 0)"


def test_discard_request_body_returns_the_reading_status(probe):
    assert probe.eval("req.discard_request_body()", method="POST",
                      environ={"HTTP_TRANSFER_ENCODING": "chunked", "CONTENT_LENGTH": ""}) == "411"


# -- writing ----------------------------------------------------------------------------------

def test_write_encodes_str_as_utf8_and_sends_bytes_as_they_are(probe):
    response = probe.response("req.write('caf\\u00e9 ')\nreq.write(b'\\xff')\n"
                              "req.write(bytearray(b'!'))\nraw = 1")
    assert response.body == b"caf\xc3\xa9 \xff!"


def test_write_of_something_else_is_a_type_error(probe):
    assert probe.run("try:\n    req.write(42)\nexcept TypeError:\n    out = 'TypeError'") == "'TypeError'"


def test_empty_write_does_not_commit_the_headers(probe):
    response = probe.response("req.write('')\nreq.status = 201\nreq.write('x', 0)\nraw = 1")
    assert (response.status, response.body) == ("201 Created", b"x")


def test_flushed_write_commits_status_and_headers(probe):
    response = probe.response("req.write('x')\nreq.status = 404\nreq.headers_out['X-Late'] = '1'\n"
                              "out = req.sent_bodyct\nraw = 1")
    assert (response.status, response.body, "X-Late" in response.headers) == ("200 OK", b"x", False)


def test_unflushed_write_leaves_the_headers_open(probe):
    response = probe.response("req.write('x', 0)\nreq.status = 202\nraw = 1")
    assert (response.status, response.headers["Content-Length"]) == ("202 Accepted", "1")


def test_flush_streams_the_response_without_content_length(probe):
    import base64
    import webob
    code = "req.write('a', 0)\nreq.flush()\nreq.write('b')\nraw = 1"
    environ = webob.Request.blank("/app/x", headers={
        "X-Probe": base64.b64encode(code.encode()).decode(), "X-Mode": "exec"}).environ
    started, written = [], []

    def start_response(status, headers, exc_info=None):
        started.append((status, headers))
        return written.append
    body = probe.client.app(environ, start_response)
    written.extend(body)
    body.close()
    assert written == [b"a", b"b"]
    assert not any(name.lower() == "content-length" for name, _ in started[0][1])


def test_set_content_length_is_the_header_sent(probe):
    response = probe.response("req.set_content_length(6)\nreq.write('abcdef')\nraw = 1")
    assert (response.headers["Content-Length"], response.body) == ("6", b"abcdef")


# -- sendfile ----------------------------------------------------------------------------------

def test_sendfile_whole_file_range_and_tail(probe):
    response = probe.response(
        "a = req.sendfile(here + '/data.txt', 2, 3)\n"
        "b = req.sendfile(here + '/data.txt', 8)\n"
        "c = req.sendfile(here + '/data.txt')\n"
        "d = req.sendfile(here + '/data.txt', 0, 100)\n"
        "e = req.sendfile(here + '/data.txt', 5, 0)\n"
        "req.write(repr([a, b, c, d, e]))\nraw = 1")
    assert response.body == b"23489\n0123456789\n0123456789\n[3, 3, 11, 11, 0]"


def test_sendfile_of_a_missing_file_is_an_ioerror(probe):
    assert probe.run("try:\n    req.sendfile(here + '/nope')\nexcept IOError as e:\n    out = str(e)") \
        == "'Could not stat file for reading'"


def test_sendfile_follows_symlinks(probe):
    import os
    link = probe.root / "htdocs" / "app" / "link.txt"
    os.symlink(str(probe.root / "htdocs" / "app" / "data.txt"), str(link))
    response = probe.response("req.sendfile(here + '/link.txt', 0, 4)\nraw = 1")
    assert response.body == b"0123"


def test_sendfile_counts_in_bytes_queued_and_commits(probe):
    assert probe.run("req.sendfile(here + '/data.txt', 1, 2)\n"
                     "out = (req._bytes_queued, req.sent_bodyct)") == "12(2, 1)"


class _Wrapper:
    """A wsgi.file_wrapper that records what it was given."""

    calls = []

    def __init__(self, filelike, block_size=8192):
        self.filelike = filelike
        _Wrapper.calls.append(self)
        self.data = filelike.read()

    def __iter__(self):
        return iter([self.data])

    def close(self):
        self.filelike.close()


def test_sendfile_ranges_go_through_wsgi_file_wrapper(probe):
    _Wrapper.calls = []
    environ = {"wsgi.file_wrapper": _Wrapper}
    middle = probe.response("req.sendfile(here + '/data.txt', 2, 3)\nraw = 1", environ=environ)
    tail = probe.response("req.sendfile(here + '/data.txt', 7)\nraw = 1", environ=environ)
    assert (middle.body, middle.headers["Content-Length"]) == (b"234", "3")
    assert (tail.body, tail.headers["Content-Length"]) == (b"789\n", "4")
    # The range in the middle is a reader limited to it; the tail is the file itself.
    assert [type(w.filelike).__name__ for w in _Wrapper.calls] == ["FileRange", "BufferedReader"]


def test_sendfile_range_reader_seeks_and_tells_within_the_range(probe):
    from modpy_compat.response import FileRange
    path = probe.root / "htdocs" / "app" / "data.txt"
    reader = FileRange(open(str(path), "rb"), 2, 5)
    assert (reader.tell(), reader.seek(0, 2), reader.tell()) == (0, 5, 5)
    reader.seek(1)
    assert (reader.read(2), reader.read(), reader.read()) == (b"34", b"56", b"")
    reader.close()
