"""mod_python.util through HTTP: FieldStorage on every kind of request, uploads, and redirect.

A handler (``dump.py``) writes the ``repr`` of what FieldStorage gave it; the
tests read it back with ``ast.literal_eval`` and compare whole values.  The
path info picks the options: ``/dump.py/kbv`` keeps blank values.  The last
test runs a few of the same requests on real Apache + mod_python.
"""
from __future__ import annotations

import ast
import hashlib
import http.client
import logging
import tracemalloc

import pytest
import webob

from tests.conftest import require
from tests.support.apache import ApacheServer, mod_python_available

CONF = """
    DocumentRoot htdocs
    <Directory htdocs>
        SetHandler mod_python
        PythonHandler dump
    </Directory>
    <Directory htdocs/small>
        LimitRequestBody 100
    </Directory>
    <Directory htdocs/redir>
        PythonHandler redir
    </Directory>
    <Directory htdocs/fixup>
        PythonFixupHandler redir::fixup
        PythonHandler redir
    </Directory>
"""

# Runs on modpy_compat and on mod_python 3.5 alike: bytes (3.5) are decoded so
# that both describe a form the same way.
DUMP = r'''
from mod_python import apache, util


def text(value):
    return value.decode("utf-8", "surrogateescape") if isinstance(value, bytes) else value


def describe(field):
    seen = {"class": type(field).__name__, "name": text(field.name)}
    seen["value"] = field.value if type(field).__name__ == "Field" else text(field.value)
    for attr in ("filename", "type", "type_options", "disposition", "disposition_options"):
        value = getattr(field, attr, "<missing>")
        if isinstance(value, dict):
            value = {text(k): text(v) for k, v in value.items()}
        seen[attr] = text(value)
    seen["headers"] = [(k, v) for k, v in field.headers.items()]
    return seen


def handler(req):
    req.content_type = "text/plain"
    options = {}
    if req.path_info == "/kbv":
        options["keep_blank_values"] = 1
    fs = util.FieldStorage(req, **options)
    seen = {"fields": [describe(f) for f in fs.list], "keys": [text(k) for k in fs.keys()],
            "rest": req.read()}
    req.write(repr(seen))
    return apache.OK
'''

REDIR = r'''
from mod_python import apache, util


def fixup(req):
    util.redirect(req, location="/dummy", text="test ok")


def handler(req):
    what = req.path_info.strip("/")
    if what == "plain":
        util.redirect(req, "/dest")
    elif what == "permanent":
        util.redirect(req, "/dest", permanent=1)
    elif what == "text":
        util.redirect(req, "http://example.com/x?a=1&b=<2>", text="gone")
    elif what == "headers":
        req.content_type = "text/plain"
        req.headers_out["X-Out"] = "o"
        req.err_headers_out["X-Err"] = "e"
        util.redirect(req, "/dest")
    elif what == "buffered":
        req.write("buffered", 0)
        util.redirect(req, "/dest")
    elif what == "flushed":
        req.content_type = "text/plain"
        req.write("flushed")
        req.flush()
        try:
            util.redirect(req, "/dest")
        except IOError as exc:
            req.write(" | %s: %s" % (type(exc).__name__, exc))
        return apache.OK
    elif what == "bytes":
        try:
            util.redirect(req, b"/dest")
        except TypeError as exc:
            req.content_type = "text/plain"
            req.write("%s: %s" % (type(exc).__name__, exc))
            return apache.OK
    elif what == "caught":
        try:
            util.redirect(req, "/dest", text="moved")
        except apache.SERVER_RETURN as exc:
            req.write(" | args=%r status=%r" % (exc.args, req.status))
            return apache.OK
    req.write("not reached")
    return apache.OK
'''

FILES = {"htdocs/dump.py": DUMP, "htdocs/small/dump.py": DUMP, "htdocs/redir/redir.py": REDIR,
         "htdocs/fixup/redir.py": REDIR}

MULTIPART = "multipart/form-data; boundary=XyZ"
NOT_SET = "<missing>"


def apache_page(title, message):
    """Apache's built-in error page (as Apache 2.4 sends it, FINDINGS g)."""
    return ('<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01//EN" "http://www.w3.org/TR/html4/strict.dtd">\n'
            "<html><head>\n<title>%s</title>\n</head><body>\n<h1>%s</h1>\n%s</body></html>\n"
            % (title, title.split(" ", 1)[1], message))


PAGE_400 = apache_page("400 Bad Request",
                       "<p>Your browser sent a request that this server could not understand.<br />\n</p>\n")
PAGE_411 = apache_page("411 Length Required",
                       "<p>A request of the requested method POST requires a valid Content-length.<br />\n</p>\n")
PAGE_501 = apache_page("501 Not Implemented", "<p>POST not supported for current URL.<br />\n</p>\n")


@pytest.fixture
def app(make_site):
    client = make_site(CONF, FILES)
    client.lint = False  # Apache sends a redirect without Content-Type
    return client


def seen(response):
    assert response.status_int == 200, response.body[:300]
    return ast.literal_eval(response.text)


def query_field(name, value):
    return {"class": "StringField", "name": name, "value": value, "filename": None, "type": NOT_SET,
            "type_options": {}, "disposition": None, "disposition_options": NOT_SET, "headers": []}


def part_field(name, value, headers, cls="StringField", filename=None, type="text/plain",
               type_options=None, disposition_options=None):
    options = {"name": name} if disposition_options is None else disposition_options
    return {"class": cls, "name": name, "value": value, "filename": filename, "type": type,
            "type_options": type_options or {}, "disposition": "form-data",
            "disposition_options": options, "headers": headers}


def multipart(*parts, end=b"--XyZ--\r\n"):
    body = b""
    for headers, data in parts:
        body += b"--XyZ\r\n" + b"".join(h + b"\r\n" for h in headers) + b"\r\n" + data + b"\r\n"
    return body + end


def post(app, path, body, content_type=MULTIPART):
    return app.request(path, method="POST", body=body, content_type=content_type)


def raw_post(app, path, body, content_type=None, drop=()):
    """A POST whose CONTENT_TYPE / CONTENT_LENGTH may be absent."""
    request = webob.Request.blank(path, method="POST", body=body)
    if content_type is not None:
        request.environ["CONTENT_TYPE"] = content_type
    for key in drop:
        request.environ.pop(key, None)
    return app.do_request(request)


# -- query string and urlencoded bodies ---------------------------------------------------

def test_query_fields_in_order_with_repeats(app):
    got = seen(app.get("/dump.py?a=1&b=2&a=3&c=&d&e=f=g;h=%41%2F%zz&i=a+b%2Bc"))
    assert got == {"fields": [query_field("a", "1"), query_field("b", "2"), query_field("a", "3"),
                              query_field("e", "f=g"), query_field("h", "A/%zz"), query_field("i", "a b+c")],
                   "keys": ["a", "b", "e", "h", "i"], "rest": b""}


def test_keep_blank_values_keeps_empty_and_valueless_fields(app):
    got = seen(app.get("/dump.py/kbv?c=&d&&;=&=x"))
    assert [(f["name"], f["value"]) for f in got["fields"]] == [("c", ""), ("d", ""), ("", ""), ("", "x")]


def test_utf8_query_names_and_values_are_str(app):
    got = seen(app.get("/dump.py?n%C3%A9=caf%C3%A9&bad=%FF"))
    assert [(f["name"], f["value"]) for f in got["fields"]] == [("n\xe9", "caf\xe9"), ("bad", "\udcff")]


def test_urlencoded_post_fields_follow_query_fields(app):
    got = seen(post(app, "/dump.py?q=1", b"a=1&b=2&a=%C3%A9&c=", "application/x-www-form-urlencoded"))
    assert got == {"fields": [query_field("q", "1"), query_field("a", "1"), query_field("b", "2"),
                              query_field("a", "\xe9")],
                   "keys": ["q", "a", "b"], "rest": b""}


def test_post_without_content_type_is_parsed_as_urlencoded(app):
    got = seen(raw_post(app, "/dump.py", b"a=1&b=2", drop=("CONTENT_TYPE",)))
    assert got["fields"] == [query_field("a", "1"), query_field("b", "2")]


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
def test_body_of_other_methods_is_left_unread(app, method):
    response = app.request("/dump.py?q=1", method=method, body=b"a=1",
                           content_type="application/x-www-form-urlencoded")
    assert seen(response) == {"fields": [query_field("q", "1")], "keys": ["q"], "rest": b"a=1"}


def test_post_without_content_length_is_411(app):
    response = raw_post(app, "/dump.py", b"a=1", "application/x-www-form-urlencoded",
                        drop=("CONTENT_LENGTH",))
    assert response.status == "411 Length Required"
    assert response.text == PAGE_411


@pytest.mark.parametrize("content_type", ["text/plain", "application/json",
                                          "Application/x-www-form-urlencoded"])
def test_post_of_another_content_type_is_501(app, content_type):
    response = post(app, "/dump.py", b"a=1", content_type)
    assert response.status == "501 Not Implemented"
    assert response.headers["Allow"] == "TRACE"
    assert response.text == PAGE_501


def test_urlencoded_body_over_limit_request_body_is_413(app):
    response = post(app, "/small/dump.py", b"a=" + b"x" * 200, "application/x-www-form-urlencoded")
    assert response.status_int == 413
    assert seen(post(app, "/small/dump.py", b"a=" + b"x" * 50,
                     "application/x-www-form-urlencoded"))["fields"] == [query_field("a", "x" * 50)]


# -- multipart ---------------------------------------------------------------------------------

def test_multipart_fields_and_uploads(app):
    body = multipart(([b'Content-Disposition: form-data; name="a"'], b"hello"),
                     ([b'Content-Disposition: form-data; name="f"; filename="x.txt"',
                       b"Content-Type: text/plain; charset=utf-8"], b"file\r\ndata\r\n"),
                     ([b'Content-Disposition: form-data; name="a"'], b"caf\xc3\xa9"),
                     ([b'Content-Disposition: form-data; name="empty"; filename=""',
                       b"Content-Type: application/octet-stream"], b""))
    got = seen(post(app, "/dump.py?q=1", body))
    assert got == {"fields": [
        query_field("q", "1"),
        part_field("a", "hello", [("Content-Disposition", ' form-data; name="a"\r\n')]),
        part_field("f", b"file\r\ndata\r\n",
                   [("Content-Disposition", ' form-data; name="f"; filename="x.txt"\r\n'),
                    ("Content-Type", " text/plain; charset=utf-8\r\n")],
                   cls="Field", filename="x.txt", type_options={"charset": "utf-8"},
                   disposition_options={"name": "f", "filename": "x.txt"}),
        part_field("a", "caf\xe9", [("Content-Disposition", ' form-data; name="a"\r\n')]),
        part_field("empty", b"", [("Content-Disposition", ' form-data; name="empty"; filename=""\r\n'),
                                  ("Content-Type", " application/octet-stream\r\n")],
                   cls="Field", filename="", type="application/octet-stream",
                   disposition_options={"name": "empty", "filename": ""}),
    ], "keys": ["q", "a", "f", "empty"], "rest": b""}


def test_several_files_under_one_name_and_binary_content(app):
    payloads = [bytes(range(256)), b"\r\n--XyZx\r\n--XyZ--x\n-- XyZ\r\n", b"\r", b""]
    body = multipart(*[([b'Content-Disposition: form-data; name="f"; filename="%d.bin"' % i], data)
                       for i, data in enumerate(payloads)])
    got = seen(post(app, "/dump.py", body))
    assert [(f["class"], f["name"], f["filename"], f["value"]) for f in got["fields"]] == [
        ("Field", "f", "%d.bin" % i, data) for i, data in enumerate(payloads)]
    assert got["keys"] == ["f"]


def test_uploads_with_webtest_encoding(app):
    response = app.post("/dump.py", {"a": "x", "b": "\xe9"},
                        upload_files=[("f", "x.txt", b"one"), ("f", "y.bin", b"\x00\xff")])
    got = seen(response)
    assert [(f["class"], f["name"], f["filename"], f["value"]) for f in got["fields"]] == [
        ("StringField", "a", None, "x"), ("StringField", "b", None, "\xe9"),
        ("Field", "f", "x.txt", b"one"), ("Field", "f", "y.bin", b"\x00\xff")]
    assert got["keys"] == ["a", "b", "f"]


def test_multipart_mixed_is_parsed_and_a_nested_multipart_part_kept_raw(app):
    nested = b'--BbC\r\nContent-Disposition: file; filename="f1.txt"\r\n\r\none\r\n--BbC--'
    body = multipart(([b'Content-Disposition: form-data; name="files"',
                       b"Content-Type: multipart/mixed; boundary=BbC"], nested))
    got = seen(post(app, "/dump.py", body, "multipart/mixed; boundary=XyZ"))
    assert got["fields"] == [part_field(
        "files", nested.decode(), [("Content-Disposition", ' form-data; name="files"\r\n'),
                                   ("Content-Type", " multipart/mixed; boundary=BbC\r\n")],
        type="multipart/mixed", type_options={"boundary": "BbC"})]


def test_multipart_closing_delimiter_without_final_crlf_is_accepted(app):
    body = multipart(([b'Content-Disposition: form-data; name="a"'], b"hello"), end=b"--XyZ--")
    assert [f["value"] for f in seen(post(app, "/dump.py", body))["fields"]] == ["hello"]


def test_empty_multipart_body_has_no_fields(app):
    assert seen(post(app, "/dump.py", b""))["fields"] == []


@pytest.mark.parametrize("content_type,body,reason", [
    ("multipart/form-data", multipart(([b'Content-Disposition: form-data; name="a"'], b"v")),
     "no boundary parameter in Content-Type 'multipart/form-data'"),
    (MULTIPART, b'--XyZ\r\nContent-Disposition: form-data; name="a"\r\n\r\nhel',
     "the body ends inside part 'a'"),
    (MULTIPART, b'--XyZ\r\nContent-Disposition: form-data; name="a"\r\n',
     "the body ends inside the headers of a part"),
    (MULTIPART, multipart(([b'Content-Disposition: form-data; name="a"', b"Garbage"], b"v")),
     "part header line without a colon: b'Garbage\\r\\n'"),
    (MULTIPART, b"garbage", "no boundary line '--XyZ' in the body"),
], ids=["missing-boundary", "truncated-data", "truncated-headers", "bad-header", "no-delimiter"])
def test_malformed_multipart_is_400_and_logged(app, caplog, content_type, body, reason):
    with caplog.at_level(logging.WARNING, logger="mod_python"):
        response = post(app, "/dump.py", body, content_type)
    assert response.status == "400 Bad Request"
    assert response.text == PAGE_400
    assert [r.getMessage() for r in caplog.records if r.name == "mod_python"] == [
        "[client 127.0.0.1] FieldStorage: malformed multipart body: " + reason]


def test_multipart_body_over_limit_request_body_is_413(app):
    body = multipart(([b'Content-Disposition: form-data; name="f"; filename="big"'], b"x" * 200))
    assert post(app, "/small/dump.py", body).status_int == 413


class _StreamedBody:
    """A wsgi.input that produces a multipart upload block by block, never whole."""

    def __init__(self, size, block=65536):
        self.head = (b'--XyZ\r\nContent-Disposition: form-data; name="f"; filename="big.bin"\r\n'
                     b"Content-Type: application/octet-stream\r\n\r\n")
        self.tail = b"\r\n--XyZ--\r\n"
        self.size = size
        self.length = len(self.head) + size + len(self.tail)
        self.sent = 0
        self.chunk = bytes(range(256)) * (block // 256)

    def read(self, size=-1):
        out = []
        want = self.length - self.sent if size is None or size < 0 else size
        while want > 0 and self.sent < self.length:
            position = self.sent
            if position < len(self.head):
                piece = self.head[position:position + want]
            elif position < len(self.head) + self.size:
                offset = position - len(self.head)
                start = offset % len(self.chunk)
                piece = self.chunk[start:start + min(want, self.size - offset)]
            else:
                offset = position - len(self.head) - self.size
                piece = self.tail[offset:offset + want]
            out.append(piece)
            self.sent += len(piece)
            want -= len(piece)
        return b"".join(out)


UPLOAD_CHECK = r'''
import hashlib
from mod_python import apache, util


def handler(req):
    req.content_type = "text/plain"
    fs = util.FieldStorage(req)
    field = fs["f"]
    digest, size = hashlib.md5(), 0
    field.file.seek(0)
    while True:
        block = field.file.read(1 << 16)
        if not block:
            break
        size += len(block)
        digest.update(block)
    req.write("%s %s %d %s" % (type(field).__name__, field.filename, size, digest.hexdigest()))
    return apache.OK
'''


def test_20mb_upload_is_streamed_to_a_temporary_file(make_site):
    size = 20 * 1024 * 1024
    client = make_site("""
        DocumentRoot htdocs
        <Directory htdocs>
            SetHandler mod_python
            PythonHandler upload
        </Directory>
    """, {"htdocs/upload.py": UPLOAD_CHECK})
    # A small upload first, so that importing the handler is not measured.
    small = multipart(([b'Content-Disposition: form-data; name="f"; filename="small.bin"'], b"x"))
    assert post(client, "/upload.py", small).text == "Field small.bin 1 %s" % hashlib.md5(b"x").hexdigest()
    body = _StreamedBody(size)
    environ = webob.Request.blank("/upload.py", method="POST").environ
    environ.update({"CONTENT_TYPE": MULTIPART, "CONTENT_LENGTH": str(body.length), "wsgi.input": body})
    statuses = []
    tracemalloc.start()
    try:
        output = b"".join(client.app(environ, lambda status, headers, exc_info=None: statuses.append(status)))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    expected = hashlib.md5()
    for start in range(0, size, len(body.chunk)):
        expected.update(body.chunk[:min(len(body.chunk), size - start)])
    assert statuses == ["200 OK"]
    assert output == b"Field big.bin %d %s" % (size, expected.hexdigest().encode())
    assert peak < 1024 * 1024, "peak %d bytes while parsing a %d byte upload" % (peak, size)


# -- redirect ---------------------------------------------------------------------------------

MOVED = '<p>The document has moved <a href="/dest">here</a></p>\n'


@pytest.mark.parametrize("what,status,location,body", [
    ("plain", "302 Found", "/dest", MOVED),
    ("permanent", "301 Moved Permanently", "/dest", MOVED),
    ("text", "302 Found", "http://example.com/x?a=1&b=<2>", "gone"),
], ids=["temporary", "permanent", "text"])
def test_redirect(app, what, status, location, body):
    response = app.get("/redir/r/" + what)
    assert response.status == status
    assert response.headers["Location"] == location
    assert "Content-Type" not in response.headers
    assert response.text == body


def test_redirect_keeps_headers_set_before_it(app):
    response = app.get("/redir/r/headers")
    assert response.status == "302 Found"
    shown = ("X-Err", "Location", "X-Out", "Content-Type")
    assert [(k, v) for k, v in response.headerlist if k in shown] == [
        ("X-Err", "e"), ("Location", "/dest"), ("X-Out", "o"), ("Content-Type", "text/plain")]
    assert response.text == MOVED


def test_redirect_after_a_buffered_write_sends_both(app):
    response = app.get("/redir/r/buffered")
    assert response.status == "302 Found"
    assert response.text == "buffered" + MOVED


def test_redirect_after_output_started_raises_ioerror(app):
    response = app.get("/redir/r/flushed")
    assert response.status == "200 OK"
    assert "Location" not in response.headers
    assert response.text == "flushed | OSError: Cannot redirect after headers have already been sent."


def test_redirect_location_must_be_str(app):
    assert app.get("/redir/r/bytes").text == "TypeError: location must be of type str"


def test_redirect_raises_server_return_done(app):
    response = app.get("/redir/r/caught")
    assert response.status == "302 Found"
    assert response.text == "moved | args=(-2,) status=302"


def test_redirect_from_a_fixup_handler_skips_the_content_handler(app):
    response = app.get("/fixup/r")
    assert response.status == "302 Found"
    assert response.headers["Location"] == "/dummy"
    assert response.text == "test ok"


def test_redirect_answering_head_has_no_body(app):
    response = app.head("/redir/r/plain")
    assert response.status == "302 Found"
    assert response.headers["Location"] == "/dest"
    assert response.body == b""


# -- the same requests on real mod_python -------------------------------------------------------

REFERENCE_REQUESTS = [
    ("POST", "/dump.py", "application/x-www-form-urlencoded", b"a=1&b=2&a=%C3%A9&c=&d=x%2By+z"),
    ("POST", "/dump.py", MULTIPART, multipart(
        ([b'Content-Disposition: form-data; name="a"'], b"hello"),
        ([b'Content-Disposition: form-data;', b' name="f"; filename="C:\\x y.bin"', b"Content-Type: junk"],
         b"\x00\r\n\xff\r"),
        ([b'Content-Disposition: form-data; name="t"'], b"line\n"))),
    ("POST", "/dump.py", "multipart/form-data", b"--XyZ--\r\n"),
    ("POST", "/dump.py", "text/plain", b"a=1"),
    ("PUT", "/dump.py", "application/x-www-form-urlencoded", b"a=1"),
    ("GET", "/redir/r/plain", None, b""),
    ("GET", "/redir/r/permanent", None, b""),
    ("GET", "/redir/r/headers", None, b""),
    ("GET", "/redir/r/buffered", None, b""),
    ("GET", "/fixup/r", None, b""),
]


def _ask(port, method, path, content_type, body):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    headers = {"Host": "127.0.0.1"}
    if content_type:
        headers["Content-Type"] = content_type
    conn.request(method, path, body=body or None, headers=headers)
    response = conn.getresponse()
    answer = (response.status, response.getheader("Location"), response.getheader("X-Err"), response.read())
    conn.close()
    return answer


@pytest.mark.integration
def test_forms_and_redirects_match_real_mod_python(tmp_path, app):
    require(mod_python_available(), "Apache with mod_python")
    workdir = tmp_path / "apache"
    for name, source in FILES.items():
        target = workdir / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(source)
    # Same-named modules in two directories are the same source: mod_python's
    # module cache by name does not matter here.
    conf = CONF.replace("htdocs", str(workdir / "htdocs"))
    with ApacheServer(conf, workdir=str(workdir)) as apache:
        for method, path, content_type, body in REFERENCE_REQUESTS:
            status, location, err, answer = _ask(apache.port, method, path, content_type, body)
            ours = app.request(path, method=method, body=body,
                               **({"content_type": content_type} if content_type else {}))
            assert (ours.status_int, ours.headers.get("Location"), ours.headers.get("X-Err")) == (
                status, location, err), path
            if status == 200 and path == "/dump.py":
                assert ast.literal_eval(ours.text) == ast.literal_eval(answer.decode("utf-8")), body
            elif status != 200:
                assert ours.status_int == status
            else:
                assert ours.body == answer, path
