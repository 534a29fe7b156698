"""Every ``req`` method other than body I/O, pinned through real requests.

Behaviour recorded from Apache 2.4 + mod_python 3.5 where it can be (the
``Allow`` list, ``register_cleanup`` order and error logging, the CGI variable
names, ``wsgi_start_response`` errors, validators and their 304/412 answers).
"""
from __future__ import annotations

import base64
import logging
import os

import pytest

AUTH_CONF = """
    <Directory htdocs/auth>
        SetHandler mod_python
        PythonHandler probe
        AuthType Basic
        AuthName "Realm X"
        Require all granted
    </Directory>
    <Directory htdocs/none>
        SetHandler mod_python
        PythonHandler probe
        AuthType None
    </Directory>
"""


@pytest.fixture
def auth_probe(make_probe):
    from tests.api.conftest import PROBE
    return make_probe(server_conf=AUTH_CONF, files={"htdocs/auth/probe.py": PROBE,
                                                    "htdocs/none/probe.py": PROBE})


def basic(text):
    return {"Authorization": "Basic " + base64.b64encode(text.encode("latin-1")).decode()}


AUTH = "(req.get_basic_auth_pw(), req.user, req.ap_auth_type, dict(req.err_headers_out))"


@pytest.mark.parametrize("headers, expected", [
    (basic("jo:pw:x"), "('pw:x', 'jo', 'Basic', {})"),
    (basic("johnsecret"), "('', 'johnsecret', 'Basic', {})"),
    (basic("j\xf6hn:pw"), "('pw', 'j\xf6hn', 'Basic', {})"),
    ({"Authorization": "basic " + base64.b64encode(b"a:b").decode()}, "('b', 'a', 'Basic', {})"),
    ({}, "(None, None, None, {'WWW-Authenticate': 'Basic realm=\"Realm X\"'})"),
    ({"Authorization": "Bearer abc"}, "(None, None, None, {'WWW-Authenticate': 'Basic realm=\"Realm X\"'})"),
], ids=["password-with-colon", "no-colon", "latin-1", "lower-case-scheme", "no-header", "bearer"])
def test_get_basic_auth_pw(auth_probe, headers, expected):
    assert auth_probe.eval(AUTH, path="/auth/x", headers=headers) == expected


def test_get_basic_auth_pw_needs_auth_type_basic(auth_probe):
    assert auth_probe.eval(AUTH, headers=basic("jo:pw")) == "(None, None, None, {})"


def test_auth_type_and_auth_name(auth_probe):
    assert auth_probe.eval("(req.auth_type(), req.auth_name())", path="/auth/x") == "('Basic', 'Realm X')"
    assert auth_probe.eval("(req.auth_type(), req.auth_name())") == "(None, None)"
    assert auth_probe.eval("req.auth_type()", path="/none/x") == "None"


def test_requires_lists_the_require_lines_for_the_method(make_probe):
    from tests.api.conftest import PROBE
    probe = make_probe(server_conf="""
    <Directory htdocs/req>
        SetHandler mod_python
        PythonHandler probe
        PythonAuthenHandler authn
        AuthType Basic
        AuthName R
        Require valid-user
        <Limit POST>
            Require user joe
        </Limit>
    </Directory>""", files={"htdocs/req/probe.py": PROBE, "htdocs/req/authn.py": """
from mod_python import apache
def authenhandler(req):
    req.get_basic_auth_pw()
    return apache.OK
"""})
    assert probe.eval("req.requires()", path="/req/x", headers=basic("joe:pw")) == "('valid-user',)"
    assert probe.eval("req.requires()", path="/req/x", method="POST", headers=basic("joe:pw")) == \
        "('valid-user', 'user joe')"
    assert probe.eval("req.requires()") == "()"


def test_get_options_is_the_merged_live_table_without_removed_keys(make_probe):
    from tests.api.conftest import PROBE
    probe = make_probe(server_conf="""
    PythonOption top t
    PythonOption gone g
    <Directory htdocs/app/sub>
        PythonOption gone ""
    </Directory>""", files={"htdocs/app/sub/x": ""})
    assert probe.eval("sorted(req.get_options().items())") == \
        "[('gone', 'g'), ('opt1', 'v1'), ('top', 't')]"
    assert probe.eval("sorted(req.get_options().items())", path="/app/sub/x") == \
        "[('opt1', 'v1'), ('top', 't')]"
    assert probe.run("req.get_options()['new'] = 'n'\nout = req.get_options()['new']") == "'n'"
    assert probe.eval("type(req.get_options()).__name__") == "'mp_table'"


def test_get_config_lists_the_mod_python_directives(make_probe):
    probe = make_probe(directory_conf="PythonDebug On\n        PythonAutoReload Off")
    assert probe.eval("sorted(req.get_config().items())") == \
        "[('PythonAutoReload', '0'), ('PythonDebug', '1')]"
    assert probe.eval("type(req.get_config()).__name__") == "'mp_table'"


def test_add_handler_appends_to_the_running_phase(make_probe):
    probe = make_probe(files={"htdocs/app/extra.py": """
from mod_python import apache
def handler(req):
    req.write("|extra ran in %s" % req.phase)
    return apache.OK
"""})
    response = probe.response("req.add_handler('PythonHandler', 'extra')\nreq.write('probe', 0)\nraw = 1")
    assert response.body == b"probe|extra ran in PythonHandler"


def test_add_handler_queues_a_later_phase(make_probe):
    probe = make_probe(files={"htdocs/app/later.py": """
from mod_python import apache
def loghandler(req):
    req.log_error("later ran in %s" % req.phase)
    return apache.OK
"""})
    with _captured() as records:
        probe.run("req.add_handler('PythonLogHandler', 'later')\nout = 1")
    assert "[client 127.0.0.1] later ran in PythonLogHandler" in records


@pytest.mark.parametrize("phase", ["PythonCleanupHandler", "PythonBogusHandler"])
def test_add_handler_refuses_other_phases(probe, phase):
    assert probe.run("try:\n    req.add_handler(%r, 'x')\nexcept IndexError as e:\n    out = str(e)"
                     % phase) == repr("Invalid phase: %s" % phase)


TARGET = {"htdocs/target/target.py": """
from mod_python import apache
def handler(req):
    req.content_type = "text/plain"
    before = "REDIRECT_URL" in req.subprocess_env
    req.add_common_vars()
    env = dict((k, v) for k, v in req.subprocess_env.items() if k.startswith("REDIRECT_"))
    env["before add_common_vars"] = before
    req.write(repr((req.status, req.uri, req.args, req.the_request, req.unparsed_uri,
                    dict(req.headers_out), dict(req.err_headers_out), env,
                    req.prev.uri, req.prev.next is req)))
    return apache.OK
"""}
TARGET_CONF = """
    <Directory htdocs/target>
        SetHandler mod_python
        PythonHandler target
    </Directory>"""


def test_internal_redirect_runs_the_new_uri_linked_to_the_first(make_probe):
    probe = make_probe(server_conf=TARGET_CONF, files=TARGET)
    response = probe.response(
        "req.subprocess_env['MYVAR'] = 'v1'\nreq.headers_out['X-Prev'] = 'p'\n"
        "req.err_headers_out['X-PrevErr'] = 'pe'\nreq.status = 201\nreq.write('dropped', 0)\n"
        "req.internal_redirect('/target/t?q=2')\nraw = 1", path="/app/x?a=1")
    status, uri, args, the_request, unparsed, hout, herr, env, prev_uri, linked = eval(response.text)
    assert (response.status, response.headers["X-PrevErr"]) == ("201 Created", "pe")
    assert (status, uri, args, unparsed) == (201, "/target/t", "q=2", "/target/t?q=2")
    assert the_request == "GET /app/x?a=1 HTTP/1.0"
    assert (hout, herr) == ({}, {"X-PrevErr": "pe"})
    assert (env["REDIRECT_MYVAR"], env["REDIRECT_STATUS"], env["REDIRECT_URL"],
            env["REDIRECT_QUERY_STRING"]) == ("v1", "201", "/app/x", "a=1")
    # Apache adds REDIRECT_URL with add_common_vars(), not with the redirect.
    assert env["before add_common_vars"] is False
    assert (prev_uri, linked) == ("/app/x", True)
    assert b"dropped" not in response.body


class _captured:
    """Collect the messages of the ``mod_python`` logger."""

    def __enter__(self):
        self.records = []
        self.handler = logging.Handler(logging.DEBUG)
        self.handler.emit = lambda record: self.records.append(record.getMessage())
        self.logger = logging.getLogger("mod_python")
        self.level = self.logger.level
        self.logger.setLevel(logging.DEBUG)
        self.logger.addHandler(self.handler)
        return self.records

    def __exit__(self, *exc):
        self.logger.removeHandler(self.handler)
        self.logger.setLevel(self.level)


def test_log_error_levels_and_client(probe):
    with _captured() as records:
        probe.run("req.log_error('plain')\nreq.log_error('warn', apache.APLOG_WARNING)\n"
                  "req.log_error('emerg', apache.APLOG_EMERG)\nreq.log_error(None)\n"
                  "req.log_error('info', apache.APLOG_NOERRNO | apache.APLOG_INFO)\nout = 1")
    assert records == ["[client 127.0.0.1] plain", "[client 127.0.0.1] warn",
                       "[client 127.0.0.1] emerg", "[client 127.0.0.1] info"]


def test_add_common_vars_adds_the_common_cgi_variables(probe):
    out = eval(probe.eval("sorted(k for k in (req.add_common_vars() or req.subprocess_env))",
                          headers={"X-Custom": "1", "Authorization": "Basic eA=="}))
    for key in ("HTTP_X_CUSTOM", "PATH", "SERVER_SIGNATURE", "SERVER_SOFTWARE", "SERVER_NAME",
                "SERVER_ADDR", "SERVER_PORT", "REMOTE_ADDR", "REMOTE_PORT", "DOCUMENT_ROOT",
                "REQUEST_SCHEME", "CONTEXT_PREFIX", "CONTEXT_DOCUMENT_ROOT", "SERVER_ADMIN",
                "SCRIPT_FILENAME"):
        assert key in out
    assert "HTTP_AUTHORIZATION" not in out


def test_add_cgi_vars_adds_the_request_variables(probe):
    assert probe.eval("[req.add_cgi_vars()] and [req.subprocess_env[k] for k in ('GATEWAY_INTERFACE', "
                      "'SERVER_PROTOCOL', 'REQUEST_METHOD', 'QUERY_STRING', 'SCRIPT_NAME', "
                      "'PATH_INFO', 'REMOTE_ADDR')]", path="/app/data.txt/more?a=1") == \
        "['CGI/1.1', 'HTTP/1.0', 'GET', 'a=1', '/app/data.txt', '/more', '127.0.0.1']"


def test_build_cgi_env_is_a_table_with_python_cgi_and_authorization(probe):
    assert probe.eval("[(type(e).__name__, e['GATEWAY_INTERFACE'], e['SCRIPT_NAME'], "
                      "e['HTTP_AUTHORIZATION']) for e in [apache.build_cgi_env(req)]][0]",
                      path="/app/data.txt/x", headers={"Authorization": "Basic eA=="}) == \
        "('mp_table', 'Python-CGI/1.1', '/app/data.txt', 'Basic eA==')"


def test_context_prefix_names_the_alias(make_probe):
    from tests.api.conftest import PROBE
    probe = make_probe(server_conf="""
    Alias /al elsewhere
    <Directory elsewhere>
        SetHandler mod_python
        PythonHandler probe
    </Directory>""", files={"elsewhere/probe.py": PROBE})
    assert probe.eval("(req.add_common_vars(), req.subprocess_env['CONTEXT_PREFIX'], "
                      "req.subprocess_env['CONTEXT_DOCUMENT_ROOT'].endswith('/elsewhere'))[1:]",
                      path="/al/x") == "('/al', True)"


def test_document_root(probe):
    assert probe.eval("req.document_root()") == repr(str(probe.root / "htdocs"))


def test_construct_url_uses_the_requested_host_and_port(probe):
    assert probe.eval("req.construct_url('/index.html')") == "'http://localhost/index.html'"
    assert probe.eval("req.construct_url('/i')", headers={"Host": "test_internal:8080"}) == \
        "'http://test_internal:8080/i'"


def test_get_remote_host_without_lookups(probe):
    assert probe.eval("[req.get_remote_host(t) for t in (apache.REMOTE_HOST, apache.REMOTE_NAME, "
                      "apache.REMOTE_NOLOOKUP)] + [req.get_remote_host(apache.REMOTE_NOLOOKUP, 1)]") == \
        "[None, '127.0.0.1', '127.0.0.1', ('127.0.0.1', 1)]"


def test_get_remote_host_double_reverse_looks_the_name_up_once(probe, monkeypatch):
    from modpy_compat import request_helpers
    asked = []
    monkeypatch.setattr(request_helpers, "_double_reverse", lambda ip: asked.append(ip) or "client.example")
    assert probe.eval("(req.get_remote_host(apache.REMOTE_DOUBLE_REV), req.get_remote_host(), "
                      "req.get_remote_host(apache.REMOTE_DOUBLE_REV), req.connection.double_reverse)") == \
        "('client.example', 'client.example', 'client.example', 1)"
    assert asked == ["127.0.0.1"]


def test_is_https_and_ssl_var_lookup(probe):
    assert probe.eval("(req.is_https(), req.ssl_var_lookup('SSL_CIPHER'))") == "(0, None)"
    assert probe.eval("(req.is_https(), req.ssl_var_lookup('SSL_CIPHER'))",
                      environ={"wsgi.url_scheme": "https", "SSL_CIPHER": "AES"}) == "(1, 'AES')"
    assert probe.eval("req.is_https()", environ={"HTTPS": "on"}) == "1"


def test_allow_methods_fills_the_allow_header_of_a_405(probe):
    response = probe.response("req.allow_methods(['GET', 'POST', 'HEAD'])\nraw = 1\nresult = 405")
    assert (response.status_int, response.headers["Allow"]) == (405, "HEAD,GET,POST,TRACE")
    response = probe.response("req.allow_methods(['MKWORKSPACE', 'FOO'])\nraw = 1\nresult = 501")
    assert response.headers["Allow"] == "MKWORKSPACE,TRACE"


def test_allow_methods_reset_and_extension_methods(probe):
    assert probe.eval("[req.allow_methods(['GET', 'FOO']), req.allowed_methods, "
                      "req.allow_methods(['BAR'], 1), req.allowed_methods][1::2]") == "[('FOO',), ('BAR',)]"
    assert probe.run("try:\n    req.allow_methods('GET')\nexcept TypeError as e:\n    out = str(e)") == \
        "'First argument must be a sequence'"


def _file_tag(probe):
    st = os.stat(str(probe.root / "htdocs" / "app" / "data.txt"))
    return '"%x-%x"' % (st.st_size, st.st_mtime_ns // 1000)


VALIDATE = ("req.update_mtime(req.finfo.mtime)\nreq.set_etag()\nreq.set_last_modified()\n"
            "result = req.meets_conditions()\nout = result\nif result: raw = 1")


def test_set_etag_and_set_last_modified_describe_the_file(probe):
    response = probe.response(VALIDATE, path="/app/data.txt")
    assert response.headers["ETag"].replace("W/", "") == _file_tag(probe)
    assert response.headers["Last-Modified"].endswith(" GMT")
    assert response.text == "0"


def test_set_etag_without_a_file_uses_the_request_time_and_is_weak(probe):
    assert probe.eval("[req.set_etag(), req.headers_out['ETag'] == 'W/\"%x\"' % "
                      "int(req.request_time * 1000000)][1]") == "True"


def test_set_last_modified_is_the_mtime(probe):
    assert probe.eval("[req.update_mtime(100.0), req.set_last_modified(), "
                      "req.headers_out['Last-Modified']][2]") == "'Thu, 01 Jan 1970 00:01:40 GMT'"


@pytest.mark.parametrize("headers, status", [
    ({"If-None-Match": "TAG"}, 304),
    ({"If-None-Match": "*"}, 304),
    ({"If-None-Match": '"other"'}, 200),
    ({"If-Modified-Since": "LM"}, 304),
    ({"If-Modified-Since": "Thu, 01 Jan 1970 00:00:00 GMT"}, 200),
    ({"If-Match": '"zzz"'}, 412),
    ({"If-Unmodified-Since": "Thu, 01 Jan 1970 00:00:00 GMT"}, 412),
], ids=["inm-match", "inm-star", "inm-other", "ims-equal", "ims-older", "im-mismatch", "ius-older"])
def test_meets_conditions_answers_304_and_412(probe, headers, status):
    first = probe.response(VALIDATE, path="/app/data.txt")
    values = {"TAG": first.headers["ETag"], "LM": first.headers["Last-Modified"]}
    headers = {k: values.get(v, v) for k, v in headers.items()}
    response = probe.response(VALIDATE, path="/app/data.txt", headers=headers)
    assert response.status_int == status
    if status == 304:
        assert response.body == b"" and response.headers["ETag"] == first.headers["ETag"]


def test_register_cleanup_runs_after_the_response_last_first_and_logs_errors(probe):
    code = ("def c1(d): req.log_error('CLEANUP c1 %r' % (d,))\n"
            "def c2(d): raise ValueError('cleanup boom')\n"
            "def c3(d): req.log_error('CLEANUP c3 %r' % (d,))\n"
            "req.register_cleanup(c1, 'one')\nreq.register_cleanup(c2)\nreq.register_cleanup(c3, 3)\n"
            "out = 'sent'")
    with _captured() as records:
        response = probe.response(code)
    assert (response.status_int, response.text) == (200, "'sent'")
    cleanup = [r for r in records if "CLEANUP" in r or "python_cleanup" in r]
    assert cleanup[0] == "[client 127.0.0.1] CLEANUP c3 3"
    assert cleanup[1].startswith("python_cleanup: Error calling cleanup object <function c2")
    assert "cleanup boom" in cleanup[1]
    assert cleanup[2] == "[client 127.0.0.1] CLEANUP c1 'one'"


def test_register_cleanup_needs_a_callable(probe):
    assert probe.run("try:\n    req.register_cleanup(5)\nexcept ValueError as e:\n    out = str(e)") == \
        "'first argument must be a callable object'"


def test_build_wsgi_env(probe):
    env = eval(probe.eval("dict((k, v if isinstance(v, (str, tuple, bool)) else type(v).__name__) "
                          "for k, v in req.build_wsgi_env().items())", path="/app/x?q=1"))
    assert (env["SCRIPT_NAME"], env["PATH_INFO"], env["QUERY_STRING"]) == ("", "/app/x", "q=1")
    assert (env["wsgi.input"], env["wsgi.version"], env["wsgi.url_scheme"]) == ("mp_request", (1, 0), "http")
    assert env["REQUEST_METHOD"] == "GET"


def test_build_wsgi_env_with_a_base_uri(make_probe):
    probe = make_probe(directory_conf='PythonOption mod_python.wsgi.base_uri /app')
    assert probe.eval("[(e['SCRIPT_NAME'], e['PATH_INFO'], req.path_info) for e in "
                      "[req.build_wsgi_env()]][0]", path="/app/x/y") == "('/app', '/x/y', '/x/y')"
    probe = make_probe(directory_conf='PythonOption mod_python.wsgi.base_uri /other')
    assert probe.eval("req.build_wsgi_env()") == "None"
    probe = make_probe(directory_conf='PythonOption mod_python.wsgi.base_uri /app/')
    assert "must not end with" in probe.run(
        "try:\n    req.build_wsgi_env()\nexcept ValueError as e:\n    out = str(e)")


def test_wsgi_start_response_adds_headers_and_returns_write(probe):
    response = probe.response(
        "w = req.wsgi_start_response('202 Accepted', [('X-A', '1'), ('X-A', '2')])\n"
        "w('body')\nraw = 1")
    assert (response.status, response.headers.getall("X-A"), response.body) == \
        ("202 Accepted", ["1", "2"], b"body")


@pytest.mark.parametrize("args, error", [
    ("('abc', [])", "ValueError('Invalid status line: abc')"),
    ("('999 X', [])", "ValueError('Invalid status line: 999 X')"),
    ("('200 OK', ())", "TypeError(\"headers argument must be a list, not a 'tuple'\")"),
    ("('200 OK', [['a', 'b']])", "TypeError(\"each header must be a tuple, not a 'list'\")"),
    ("('200 OK', [(1, 'b')])", "TypeError(\"header names must be strings, not 'int'\")"),
])
def test_wsgi_start_response_errors(probe, args, error):
    assert probe.run("try:\n    req.wsgi_start_response%s\nexcept Exception as e:\n    out = repr(e)"
                     % args) == repr(error)


def test_wsgi_start_response_reraises_exc_info(probe):
    assert probe.run("try:\n    raise KeyError('k')\nexcept KeyError:\n    exc = sys.exc_info()\n"
                     "try:\n    req.wsgi_start_response('200 OK', [], exc)\nexcept KeyError as e:\n"
                     "    out = 'reraised'") == "'reraised'"


def test_get_addhandler_exts_and_send_http_header(make_probe):
    probe = make_probe(directory_conf="AddHandler mod_python .py .psp")
    assert probe.eval("(req.get_addhandler_exts(), req.send_http_header())") == "('py psp ', None)"
