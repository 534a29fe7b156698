"""How what a handler does becomes the HTTP response: status, headers, body, streaming."""
from __future__ import annotations

import pytest

CONF = """
    DocumentRoot htdocs
    <Directory htdocs>
        SetHandler mod_python
        PythonHandler h
    </Directory>
"""


def site_with(make_site, body, **options):
    return make_site(CONF, {"htdocs/h.py": "from mod_python import apache\n" + body,
                            "htdocs/data.bin": bytes(range(256)) * 4}, **options)


def test_str_is_encoded_utf8_and_bytes_pass_through(make_site):
    app = site_with(make_site, """
def handler(req):
    req.content_type = "text/plain; charset=utf-8"
    req.write("caf\\u00e9 ")
    req.write(b"\\xff\\x00")
    return apache.OK
""")
    r = app.get("/h.py")
    assert r.status == "200 OK"
    assert r.body == b"caf\xc3\xa9 \xff\x00"
    assert r.headers["Content-Length"] == "8"
    assert r.headers["Content-Type"] == "text/plain; charset=utf-8"


def test_write_of_a_non_string_is_a_500(make_site):
    app = site_with(make_site, "def handler(req):\n    req.write(42)\n    return apache.OK\n")
    r = app.get("/h.py", extra_environ={"wsgi.errors": __import__("io").StringIO()})
    assert r.status_int == 500
    assert b"<title>500 Internal Server Error</title>" in r.body


def test_status_set_before_writing_is_sent_with_the_handler_body(make_site):
    app = site_with(make_site, """
def handler(req):
    req.status = apache.HTTP_NOT_FOUND
    req.content_type = "text/plain"
    req.write("my own 404")
    return apache.OK
""")
    r = app.get("/h.py")
    assert r.status == "404 Not Found"
    assert r.body == b"my own 404"


def test_headers_are_frozen_by_the_first_flushing_write(make_site):
    app = site_with(make_site, """
def handler(req):
    req.content_type = "text/plain"
    req.write("x")
    req.status = 404
    req.content_type = "text/html"
    req.headers_out["X-Late"] = "1"
    return apache.OK
""")
    r = app.get("/h.py")
    assert r.status == "200 OK"
    assert r.headers["Content-Type"] == "text/plain"
    assert "X-Late" not in r.headers
    assert r.body == b"x"


def test_unflushed_writes_leave_headers_open(make_site):
    app = site_with(make_site, """
def handler(req):
    req.write("x", 0)
    req.status = 202
    req.content_type = "text/csv"
    return apache.OK
""")
    r = app.get("/h.py")
    assert r.status == "202 Accepted"
    assert r.headers["Content-Type"] == "text/csv"
    assert r.headers["Content-Length"] == "1"


def test_err_headers_out_come_first_and_both_tables_are_sent(make_site):
    app = site_with(make_site, """
def handler(req):
    req.headers_out.add("Set-Cookie", "a=1")
    req.err_headers_out.add("Set-Cookie", "b=2")
    req.headers_out["X-Normal"] = "n"
    req.write("ok")
    return apache.OK
""")
    r = app.get("/h.py")
    assert r.headers.getall("Set-Cookie") == ["b=2", "a=1"]
    assert r.headers["X-Normal"] == "n"


def test_error_page_keeps_err_headers_out_and_drops_headers_out(make_site):
    app = site_with(make_site, """
def handler(req):
    req.headers_out["X-Normal"] = "n"
    req.err_headers_out["X-Always"] = "a"
    return apache.HTTP_FORBIDDEN
""")
    r = app.get("/h.py")
    assert r.status == "403 Forbidden"
    assert r.headers["X-Always"] == "a"
    assert "X-Normal" not in r.headers
    assert r.headers["Content-Type"] == "text/html; charset=iso-8859-1"
    assert r.headers["Content-Length"] == "239"


def test_no_output_gives_an_empty_200_with_content_length_zero(make_site):
    app = site_with(make_site, "def handler(req):\n    return apache.OK\n")
    r = app.get("/h.py")
    assert r.status == "200 OK"
    assert r.headers["Content-Length"] == "0"
    assert r.body == b""


def test_head_sends_headers_with_length_and_no_body(make_site):
    app = site_with(make_site, """
def handler(req):
    req.content_type = "text/plain"
    req.write("hello %d" % req.header_only)
    return apache.OK
""")
    r = app.head("/h.py")
    assert r.status == "200 OK"
    assert r.headers["Content-Length"] == "7"
    assert r.body == b""


def test_sendfile_whole_file_and_a_range(make_site):
    app = site_with(make_site, """
import os
def handler(req):
    path = os.path.join(os.path.dirname(__file__), "data.bin")
    if req.args == "part":
        sent = req.sendfile(path, 10, 5)
        req.write(" %d" % sent)
    else:
        req.sendfile(path)
    return apache.OK
""")
    whole = app.get("/h.py")
    assert whole.status_int == 200
    assert whole.body == bytes(range(256)) * 4
    assert whole.headers["Content-Length"] == "1024"
    part = app.get("/h.py?part")
    assert part.body == bytes(range(10, 15)) + b" 5"


def test_sendfile_of_a_missing_file_raises_ioerror(make_site):
    app = site_with(make_site, """
def handler(req):
    try:
        req.sendfile("/nonexistent/file")
    except IOError as exc:
        req.write(str(exc))
    return apache.OK
""")
    assert app.get("/h.py").body == b"Could not stat file for reading"


def test_no_cache_adds_expires(make_site):
    app = site_with(make_site, "def handler(req):\n    req.no_cache = 1\n    req.write('x')\n    return apache.OK\n")
    r = app.get("/h.py")
    assert r.headers["Expires"].endswith(" GMT")


READER = """
def handler(req):
    mode = req.args
    if mode == "all":
        out = [req.read()]
    elif mode == "sized":
        out = [req.read(3), req.read(0), req.read(100), req.read()]
    elif mode == "lines":
        out = [req.readline(), req.readline(2), req.readline(), req.readline()]
    else:
        out = req.readlines(int(mode))
    req.write(repr(out))
    return apache.OK
"""


@pytest.mark.parametrize("mode, expected", [
    ("all", [b"ab\ncd\nef"]),
    ("sized", [b"ab\n", b"", b"cd\nef", b""]),
    ("lines", [b"ab\n", b"cd", b"\n", b"ef"]),
    ("-1", [b"ab\n", b"cd\n", b"ef"]),
    ("3", [b"ab\n"]),
    ("4", [b"ab\n", b"cd\n"]),  # the first line is read whole, later ones with readline(4)
    ("2", [b"ab\n"]),
])
def test_body_reading(make_site, mode, expected):
    app = site_with(make_site, READER)
    r = app.post("/h.py?" + mode, b"ab\ncd\nef", content_type="application/octet-stream")
    assert r.text == repr(expected)


def test_reading_without_a_body_gives_empty_bytes(make_site):
    app = site_with(make_site, READER)
    assert app.get("/h.py?all").text == repr([b""])


def test_body_over_limit_request_body_is_413(make_site):
    app = make_site("""
        DocumentRoot htdocs
        <Directory htdocs>
            SetHandler mod_python
            PythonHandler h
            LimitRequestBody 4
        </Directory>
    """, {"htdocs/h.py": "from mod_python import apache\n" + READER})
    r = app.post("/h.py?all", b"12345", content_type="application/octet-stream")
    assert r.status == "413 Request Entity Too Large"
    assert app.post("/h.py?all", b"1234", content_type="text/plain").text == repr([b"1234"])


def chunked_post(app, **environ):
    from webob import Request
    req = Request.blank("/h.py?all", method="POST")
    req.environ.pop("CONTENT_LENGTH", None)
    req.environ.update(HTTP_TRANSFER_ENCODING="chunked", REMOTE_ADDR="127.0.0.1", **environ)
    return req.get_response(app.app)


def test_chunked_body_without_length_is_read_when_the_server_terminates_input(make_site):
    import io
    app = site_with(make_site, READER)
    r = chunked_post(app, **{"wsgi.input": io.BytesIO(b"streamed"), "wsgi.input_terminated": True})
    assert r.text == repr([b"streamed"])


def test_chunked_body_on_a_server_that_cannot_terminate_it_is_411(make_site):
    import io
    app = site_with(make_site, READER)
    r = chunked_post(app, **{"wsgi.input": io.BytesIO(b"streamed"), "wsgi.errors": io.StringIO()})
    assert r.status == "411 Length Required"


def test_header_name_that_is_not_a_token_is_refused_with_500(make_site):
    app = site_with(make_site, """
def handler(req):
    req.headers_out["Bad Name"] = "x"
    req.write("never sent", 0)
    return apache.OK
""")
    r = app.get("/h.py")
    assert r.status_int == 500
    assert "Bad Name" not in r.headers
    assert b"never sent" not in r.body


def test_raw_utf8_in_the_query_string_reaches_req_args_as_text(make_site):
    app = site_with(make_site, "def handler(req):\n    req.write(repr(req.args))\n    return apache.OK\n")
    from webob import Request
    request = Request.blank("/h.py")
    request.environ["QUERY_STRING"] = "n=\u00e9".encode("utf-8").decode("latin-1")
    request.environ["REMOTE_ADDR"] = "127.0.0.1"
    assert request.get_response(app.app).text == repr("n=\u00e9")


def test_directory_index_keeps_the_clients_unparsed_uri(make_site):
    app = make_site("""
        DocumentRoot htdocs
        <Directory htdocs/d>
            AddHandler mod_python .py
            PythonHandler index
            DirectoryIndex index.py
        </Directory>
    """, {"htdocs/d/index.py": "from mod_python import apache\n"
          "def handler(req):\n    req.write('%s %s %r' % (req.uri, req.unparsed_uri, req.prev))\n"
          "    return apache.OK\n"})
    assert app.get("/d/?a=1").text == "/d/index.py /d/?a=1 None"
