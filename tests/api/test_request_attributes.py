"""Every ``req`` attribute: its value for a real request, and whether assignment works.

Values recorded from Apache 2.4 + mod_python 3.5 where they do not depend on
the server (``extension`` ``''`` without a dot in the file name, ``remaining``
kept at the body length until the body is read whole, the messages refusing
assignment); the rest follows docs/compatibility.md.
"""
from __future__ import annotations

import time

import pytest

# (expression, request keywords, expected repr) -- each pinned through one request.
VALUES = [
    ("req.the_request", {"path": "/app/x?a=1"}, "'GET /app/x?a=1 HTTP/1.0'"),
    ("req.method", {"method": "POST", "body": b""}, "'POST'"),
    ("req.method_number", {"method": "POST", "body": b""}, "2"),
    ("req.method_number", {"method": "BREW"}, "26"),
    ("req.header_only", {}, "0"),
    ("req.protocol", {"environ": {"SERVER_PROTOCOL": "HTTP/1.1"}}, "'HTTP/1.1'"),
    ("req.proto_num", {"environ": {"SERVER_PROTOCOL": "HTTP/1.1"}}, "1001"),
    ("req.proto_num", {}, "1000"),
    ("req.hostname", {"headers": {"Host": "Test_Internal:8080"}}, "'test_internal'"),
    ("req.status", {}, "200"),
    ("req.status_line", {}, "None"),
    ("req.assbackwards", {}, "0"),
    ("req.proxyreq", {}, "0"),
    ("req.allowed", {}, "0"),
    ("req.allowed_xmethods", {}, "()"),
    ("req.allowed_methods", {}, "()"),
    ("req.sent_bodyct", {}, "0"),
    ("req.bytes_sent", {}, "0"),
    ("req.mtime", {}, "0.0"),
    ("req.chunked", {}, "0"),
    ("req.range", {}, "None"),
    ("req.range", {"headers": {"Range": "bytes=0-3"}}, "'bytes=0-3'"),
    ("req.clength", {}, "0"),
    ("req.remaining", {"method": "POST", "body": b"abc"}, "0"),
    ("req.read_length", {"method": "POST", "body": b"abc"}, "0"),
    ("req.read_body", {"method": "POST", "body": b"abc"}, "0"),
    ("req.read_chunked", {}, "0"),
    ("req.expecting_100", {}, "0"),
    ("req.expecting_100", {"headers": {"Expect": "100-continue"}}, "1"),
    ("type(req.headers_in).__name__", {}, "'mp_table'"),
    ("req.headers_in['X-Custom']", {"headers": {"X-Custom": "hello"}}, "'hello'"),
    ("type(req.headers_out).__name__", {}, "'mp_table'"),
    ("type(req.err_headers_out).__name__", {}, "'mp_table'"),
    ("type(req.subprocess_env).__name__", {}, "'mp_table'"),
    ("req.subprocess_env['REQUEST_METHOD']", {}, "'GET'"),   # 3.3.1 fills the CGI variables in
    ("dict(req.notes)", {}, "{'python_init_ran': '1'}"),
    ("req.content_type", {}, "None"),
    ("req.content_type", {"path": "/app/data.txt"}, "'text/plain'"),
    ("req.content_type", {"path": "/app/"}, "'httpd/unix-directory'"),
    ("req._content_type_set", {}, "0"),
    ("req.content_encoding", {}, "None"),
    ("req.content_languages", {}, "()"),
    ("req.vlist_validator", {}, "None"),
    ("req.handler", {}, "'mod_python'"),
    ("req.user", {}, "None"),
    ("req.ap_auth_type", {}, "None"),
    ("req.no_cache", {}, "0"),
    ("req.no_local_copy", {}, "0"),
    ("req.unparsed_uri", {"path": "/app/x%20y?a=1"}, "'/app/x%20y?a=1'"),
    ("req.uri", {"path": "/app/x%20y?a=1"}, "'/app/x y'"),
    ("req.uri", {"path": "/app//sub/../x"}, "'/app/x'"),
    ("req.parsed_uri", {"path": "/app/x?a=1"}, "(None, None, None, None, None, 80, '/app/x', 'a=1', None)"),
    ("req.parsed_uri[apache.URI_PATH]", {"path": "/app//sub/../x%20y"}, "'/app/x y'"),
    ("req.args", {"path": "/app/x?a=1&b=%41"}, "'a=1&b=%41'"),
    ("req.args", {}, "None"),
    ("req.args", {"path": "/app/x?", "environ": {"REQUEST_URI": "/app/x?"}}, "''"),
    ("req.filename.endswith('/htdocs/app/x')", {}, "True"),
    ("req.canonical_filename == req.filename", {}, "True"),
    ("req.path_info", {}, "''"),
    ("(req.filename.rsplit('/', 1)[1], req.path_info)", {"path": "/app/data.txt/a/b"}, "('data.txt', '/a/b')"),
    ("req.used_path_info", {}, "2"),
    ("req.finfo.filetype", {}, "0"),
    ("req.finfo.filetype", {"path": "/app/data.txt"}, "1"),
    ("req.eos_sent", {}, "0"),
    ("req.useragent_addr", {}, "('127.0.0.1', 40000)"),
    ("req.useragent_ip", {}, "'127.0.0.1'"),
    ("req.connection is req.connection", {}, "True"),
    ("type(req.connection).__name__", {}, "'mp_conn'"),
    ("type(req.server).__name__", {}, "'mp_server'"),
    ("(req.next, req.prev, req.main)", {}, "(None, None, None)"),
    ("req.interpreter", {}, "'www.example.com'"),
    ("req.phase", {}, "'PythonHandler'"),
    ("(type(req.hlist).__name__, req.hlist.handler)", {}, "('mp_hlist', 'probe')"),
    ("req.extension", {}, "''"),
    ("req.extension", {"path": "/app/x.py"}, "None"),
    ("req._bytes_queued", {}, "0"),
    ("req._request_rec", {}, "None"),
    ("type(req).__name__", {}, "'mp_request'"),
]


@pytest.mark.parametrize("expr, request_kw, expected", VALUES,
                         ids=["%s-%d" % (v[0], i) for i, v in enumerate(VALUES)])
def test_attribute_value(probe, expr, request_kw, expected):
    assert probe.eval(expr, **request_kw) == expected


def test_header_only_is_1_for_head_and_the_body_is_dropped(probe):
    response = probe.request("(req.header_only, req.method_number)", method="HEAD")
    assert (response.status_int, response.body) == (200, b"")
    assert response.headers["X-Out"] == "(1, 0)"
    assert response.headers["Content-Length"] == "6"


def test_request_time_is_the_start_of_the_request(probe):
    before = time.time()
    value = float(probe.eval("req.request_time"))
    assert before - 1 <= value <= time.time()


READ_ONLY = [
    "method", "the_request", "protocol", "proto_num", "method_number", "header_only", "hostname",
    "request_time", "unparsed_uri", "parsed_uri", "headers_in", "headers_out", "err_headers_out",
    "subprocess_env", "notes", "mtime", "allowed", "allowed_xmethods", "allowed_methods",
    "sent_bodyct", "bytes_sent", "range", "clength", "remaining", "read_length", "read_body",
    "read_chunked", "expecting_100", "content_encoding", "content_languages", "vlist_validator",
    "eos_sent", "useragent_addr", "useragent_ip", "connection", "server", "next", "prev", "main",
    "interpreter", "_bytes_queued", "_request_rec",
]


@pytest.mark.parametrize("name", READ_ONLY)
def test_read_only_attribute_refuses_assignment(probe, name):
    code = "try:\n    req.%s = None\n    out = 'assigned'\nexcept AttributeError as e:\n    out = str(e)" % name
    assert probe.run(code) == repr("attribute '%s' of 'mp_request' objects is not writable" % name)


@pytest.mark.parametrize("name", ["phase", "hlist", "extension", "_content_type_set"])
def test_member_attribute_refuses_assignment_as_a_readonly_attribute(probe, name):
    code = "try:\n    req.%s = 1\n    out = 'assigned'\nexcept AttributeError as e:\n    out = str(e)" % name
    assert probe.run(code) == "'readonly attribute'"


WRITABLE = [
    ("uri", "'/elsewhere'"), ("args", "'q=2'"), ("args", "None"), ("filename", "'/tmp/f'"),
    ("canonical_filename", "'/tmp/f'"), ("path_info", "'/more'"), ("handler", "'other'"),
    ("handler", "None"), ("user", "'joe'"), ("ap_auth_type", "'Digest'"),
    ("status_line", "'200 Fine'"), ("used_path_info", "0"), ("no_local_copy", "1"),
    ("assbackwards", "0"), ("proxyreq", "1"), ("chunked", "0"),
]


@pytest.mark.parametrize("name, value", WRITABLE)
def test_writable_attribute_keeps_what_was_assigned(probe, name, value):
    assert probe.run("req.%s = %s\nout = req.%s" % (name, value, name)) == value


@pytest.mark.parametrize("name, value", [
    ("uri", "5"), ("filename", "None"), ("user", "1.5"), ("status", "'200'"), ("no_cache", "'x'"),
    ("content_type", "5"), ("chunked", "'yes'"), ("finfo", "'x'")])
def test_writable_attribute_checks_the_type(probe, name, value):
    assert probe.run("try:\n    req.%s = %s\n    out = 'assigned'\nexcept TypeError:\n"
                     "    out = 'TypeError'" % (name, value)) == "'TypeError'"


def test_status_set_by_the_handler_is_the_response_status(probe):
    response = probe.response("req.status = 202\nout = 'x'")
    assert response.status == "202 Accepted"


def test_status_line_is_sent_when_its_number_is_the_status(probe):
    response = probe.response("req.status_line = '200 Fine Thanks'\nout = 1")
    assert response.status == "200 Fine Thanks"
    response = probe.response("req.status_line = '201 Made'\nout = 1")
    assert response.status == "200 OK"


def test_content_type_is_the_header_and_marks_content_type_set(probe):
    response = probe.response("req.content_type = 'text/csv'\nout = req._content_type_set")
    assert (response.headers["Content-Type"], response.text) == ("text/csv", "1")


def test_no_cache_adds_an_expires_header(probe):
    response = probe.response("req.no_cache = 1\nout = 1")
    assert "GMT" in response.headers["Expires"]


def test_user_and_auth_type_become_cgi_variables(probe):
    assert probe.run("req.user = 'joe'\nreq.ap_auth_type = 'Basic'\nreq.add_common_vars()\n"
                     "out = (req.subprocess_env['REMOTE_USER'], req.subprocess_env['AUTH_TYPE'])"
                     ) == "('joe', 'Basic')"


def test_finfo_accepts_what_apache_stat_returns(probe):
    assert probe.run("req.finfo = apache.stat(here, apache.APR_FINFO_NORM)\n"
                     "out = (req.finfo.filetype, req.finfo.fname == here)") == "(2, True)"


def test_handler_set_in_a_fixup_handler_makes_python_handle_a_static_file(make_probe):
    probe = make_probe(server_conf="""
    <Directory htdocs/static>
        PythonFixupHandler fix
        PythonHandler fix
    </Directory>""", files={"htdocs/static/fix.py": """
from mod_python import apache
def fixuphandler(req):
    req.handler = "mod_python"
    return apache.OK
def handler(req):
    req.content_type = "text/plain"
    req.write("python, not the file")
    return apache.OK
""", "htdocs/static/page.txt": "the file\n"})
    assert probe.client.get("/static/page.txt").text == "python, not the file"


def test_attributes_set_in_one_phase_are_seen_in_the_next(make_probe):
    probe = make_probe(directory_conf="PythonFixupHandler fix2", files={"htdocs/app/fix2.py": """
from mod_python import apache
def fixuphandler(req):
    req.path_info = "/from-fixup"
    req.user = "fixer"
    req.my_own = "attached"
    return apache.OK
"""})
    assert probe.eval("(req.path_info, req.user, req.my_own)") == "('/from-fixup', 'fixer', 'attached')"


def test_bytes_queued_and_sent_bodyct_follow_writes(probe):
    assert probe.run("req.write('abc')\nreq.write(b'de', 0)\n"
                     "out = (req._bytes_queued, req.sent_bodyct)") == "abcde(5, 1)"


def test_update_mtime_sets_mtime(probe):
    assert probe.run("req.update_mtime(100.0)\nreq.update_mtime(50)\nout = req.mtime") == "100.0"


def test_set_content_length_sets_clength(probe):
    assert probe.run("req.set_content_length(5)\nout = (req.clength, req.headers_out['Content-Length'])"
                     "\nreq.set_content_length(len(repr(out)))") == "(5, '5')"


def test_eos_sent_once_the_response_ended(make_probe):
    probe = make_probe(directory_conf="PythonLogHandler logeos", files={"htdocs/app/logeos.py": """
from mod_python import apache
seen = []
def loghandler(req):
    seen.append(req.eos_sent)
    return apache.OK
"""})
    probe.eval("1")
    assert probe.eval("sys.modules[[n for n, m in sys.modules.items() if getattr(m, '__file__', '')"
                      " and m.__file__.endswith('logeos.py')][0]].seen[:1]") == "[0]"


def test_next_and_prev_link_an_internal_redirect(make_probe):
    probe = make_probe(server_conf="""
    <Directory htdocs/target>
        SetHandler mod_python
        PythonHandler target
    </Directory>""", files={"htdocs/target/target.py": """
from mod_python import apache
def handler(req):
    req.content_type = "text/plain"
    req.write(repr((req.prev.uri, req.prev.next is req, req.prev.prev, req.main)))
    return apache.OK
"""})
    response = probe.response("req.internal_redirect('/target/t')\nraw = 1")
    assert response.text == "('/app/x', True, None, None)"


def test_hlist_describes_the_running_handler(probe):
    assert probe.eval("(req.hlist.handler, req.hlist.directory == here + '/', req.hlist.is_location, "
                      "req.hlist.silent, req.hlist.next(), req.hlist.handler)") == \
        "('probe', True, 0, 0, None, None)"


def test_hlist_of_a_location_handler(make_probe, tmp_path):
    import sys
    from tests.api.conftest import PROBE
    # A <Location> handler is imported from sys.path, as mod_python does.
    sys.path.insert(0, str(tmp_path / "htdocs" / "locmod"))
    try:
        probe = make_probe(server_conf="""
    <Location /loc>
        SetHandler mod_python
        PythonHandler api_location_probe
    </Location>""", files={"htdocs/locmod/api_location_probe.py": PROBE})
        assert probe.eval("(req.hlist.directory, req.hlist.is_location)", path="/loc/a") == "('/loc', 1)"
    finally:
        sys.path.remove(str(tmp_path / "htdocs" / "locmod"))
        sys.modules.pop("api_location_probe", None)
