"""``req.connection`` (``mp_conn``) and ``req.server`` (``mp_server``), attribute by attribute.

Recorded from Apache 2.4 + mod_python 3.5: the connection's read-only
members answer "readonly attribute", ``keepalive`` takes ints only, the
server's attributes are "not writable" while handlers may add their own,
``register_cleanup`` checks its arguments in that order.  The raw-socket
methods cannot exist over WSGI (docs/compatibility.md).
"""
from __future__ import annotations

import pytest

from tests.api.conftest import PROBE, Probe

CONN = [
    ("req.connection.local_addr", {}, "('127.0.0.1', 80)"),
    ("req.connection.local_ip", {"environ": {"SERVER_ADDR": "10.0.0.5"}}, "'10.0.0.5'"),
    ("req.connection.local_ip", {"headers": {"Host": "192.0.2.7:8080"}}, "'192.0.2.7'"),
    ("req.connection.local_host", {}, "None"),
    ("req.connection.client_addr", {}, "('127.0.0.1', 40000)"),
    ("req.connection.client_ip", {}, "'127.0.0.1'"),
    ("req.connection.remote_addr", {}, "('127.0.0.1', 40000)"),
    ("req.connection.remote_ip", {}, "'127.0.0.1'"),
    ("req.connection.remote_host", {}, "None"),
    ("req.connection.remote_host", {"environ": {"REMOTE_HOST": "127.0.0.1"}}, "None"),
    ("req.connection.remote_host", {"environ": {"REMOTE_HOST": "client.example"}}, "'client.example'"),
    ("req.connection.remote_logname", {}, "None"),
    ("req.connection.aborted", {}, "0"),
    ("req.connection.keepalive", {}, "0"),
    ("req.connection.double_reverse", {}, "0"),
    ("req.connection.keepalives", {}, "0"),
    ("type(req.connection.id).__name__", {}, "'int'"),
    ("type(req.connection.notes).__name__", {}, "'mp_table'"),
    ("req.connection.base_server is req.server", {}, "True"),
    ("req.connection.hlist", {}, "None"),
    ("req.connection._conn_rec", {}, "None"),
]


@pytest.mark.parametrize("expr, request_kw, expected", CONN, ids=["%s-%d" % (c[0][15:], i)
                                                                  for i, c in enumerate(CONN)])
def test_connection_attribute(probe, expr, request_kw, expected):
    assert probe.eval(expr, **request_kw) == expected


@pytest.mark.parametrize("name", ["local_addr", "local_ip", "client_ip", "remote_ip", "aborted",
                                  "double_reverse", "id", "notes", "base_server", "hlist"])
def test_connection_attribute_is_read_only(probe, name):
    assert probe.run("try:\n    req.connection.%s = 1\nexcept AttributeError as e:\n    out = str(e)"
                     % name) == "'readonly attribute'"


def test_connection_keepalive_takes_ints_only(probe):
    assert probe.run("req.connection.keepalive = 1\nout = [req.connection.keepalive]\ntry:\n"
                     "    req.connection.keepalive = 'x'\nexcept TypeError as e:\n    out.append(str(e))"
                     ) == "[1, 'keepalive must be a integer']"


def test_connection_has_no_room_for_other_attributes(probe):
    assert probe.run("try:\n    req.connection.foo = 1\nexcept AttributeError as e:\n    out = str(e)") \
        == "'foo'"
    assert probe.run("try:\n    del req.connection.aborted\nexcept AttributeError as e:\n    out = str(e)") \
        == '"can\'t delete connection attributes"'


def test_connection_notes_last_for_the_request(probe):
    assert probe.eval("[req.connection.notes.__setitem__('k', 'v'), dict(req.connection.notes)][1]") == \
        "{'k': 'v'}"


@pytest.mark.parametrize("call", ["read()", "readline()", "write(b'x')"])
def test_connection_socket_methods_are_unsupported_ioerrors(probe, call):
    out = probe.run("from modpy_compat.errors import UnsupportedFeature\ntry:\n"
                    "    req.connection.%s\nexcept IOError as e:\n"
                    "    out = (isinstance(e, UnsupportedFeature), str(e).split(':')[0])" % call)
    assert out == "(True, 'conn.%s()')" % call.split("(")[0]


def test_connection_log_error(probe, caplog):
    with caplog.at_level("WARNING", logger="mod_python"):
        probe.run("req.connection.log_error('conn says', apache.APLOG_WARNING)\nout = 1")
    assert "conn says" in [r.getMessage() for r in caplog.records]


SERVER_CONF = """
ServerName www.example.com
ServerAdmin admin@example.com
Timeout 30
KeepAliveTimeout 7
MaxKeepAliveRequests 50
LimitRequestLine 4000
LimitRequestFieldSize 4001
LimitRequestFields 60
LogLevel info
KeepAlive Off
PythonOption srvopt s
PythonOption removed ""
DocumentRoot htdocs
<Directory htdocs/app>
    SetHandler mod_python
    PythonHandler probe
    PythonOption diropt d
    PythonDebug Off
</Directory>
<VirtualHost *:80>
    ServerName vhost.example.com
    ServerAlias alias.example.com *.wild.example.com
    ServerPath /vpath
    PythonDebug On
    PythonOption vopt v
</VirtualHost>
"""


@pytest.fixture
def server_probe(make_site):
    client = make_site(SERVER_CONF, {"htdocs/app/probe.py": PROBE})
    return Probe(client, make_site.root)


VHOST = {"headers": {"Host": "vhost.example.com"}}
SERVER = [
    ("req.server.server_hostname", VHOST, "'vhost.example.com'"),
    ("req.server.server_admin", VHOST, "'admin@example.com'"),
    ("req.server.is_virtual", VHOST, "1"),
    ("req.server.names", VHOST, "('alias.example.com',)"),
    ("req.server.wild_names", VHOST, "('*.wild.example.com',)"),
    ("(req.server.path, req.server.pathlen)", VHOST, "('/vpath', 6)"),
    ("req.server.defn_line_number", VHOST, "21"),
    ("req.server.defn_name.endswith('site.conf')", VHOST, "True"),
    ("req.server.timeout", VHOST, "30.0"),
    ("req.server.keep_alive_timeout", VHOST, "7.0"),
    ("req.server.keep_alive_max", VHOST, "50"),
    ("req.server.keep_alive", VHOST, "0"),
    ("req.server.loglevel", VHOST, "6"),
    ("(req.server.limit_req_line, req.server.limit_req_fieldsize, req.server.limit_req_fields)",
     VHOST, "(4000, 4001, 60)"),
    ("req.server.error_fname", VHOST, "'logs/error_log'"),
    ("req.server.my_generation", VHOST, "0"),
    ("type(req.server.restart_time).__name__", VHOST, "'float'"),
    ("req.server._server_rec", VHOST, "None"),
    ("req.server.next", VHOST, "None"),
    ("sorted(req.server.get_options().items())", VHOST, "[('removed', ''), ('srvopt', 's'), ('vopt', 'v')]"),
    ("(req.server.get_config()['PythonDebug'], req.get_config()['PythonDebug'])", VHOST, "('1', '0')"),
    ("req.server.server_hostname", {}, "'vhost.example.com'"),  # the first vhost answers other names
    ("apache.main_server.server_hostname", VHOST, "'www.example.com'"),
    ("(apache.main_server.is_virtual, apache.main_server.port)", VHOST, "(0, 0)"),
    ("apache.main_server.next is req.server", VHOST, "True"),
    ("sorted(apache.main_server.get_options().items())", VHOST, "[('removed', ''), ('srvopt', 's')]"),
]


@pytest.mark.parametrize("expr, request_kw, expected", SERVER, ids=["%s-%d" % (s[0][11:40], i)
                                                                    for i, s in enumerate(SERVER)])
def test_server_attribute(server_probe, expr, request_kw, expected):
    assert server_probe.eval(expr, **request_kw) == expected


@pytest.mark.parametrize("name", ["server_hostname", "port", "timeout", "names", "next", "loglevel"])
def test_server_configuration_attributes_are_read_only(probe, name):
    assert probe.run("try:\n    req.server.%s = 1\nexcept AttributeError as e:\n    out = str(e)"
                     % name) == repr("attribute '%s' of 'mp_server' objects is not writable" % name)


def test_server_keeps_attributes_and_options_handlers_set(probe):
    probe.run("req.server.my_flag = 'set'\nreq.server.get_options()['flag'] = 'yes'\nout = 1")
    assert probe.eval("(req.server.my_flag, req.server.get_options()['flag'])") == "('set', 'yes')"


@pytest.mark.parametrize("args, error", [
    ("None, len", "first argument must be a request object"),
    ("req, 5", "second argument must be a callable object"),
])
def test_server_register_cleanup_checks_its_arguments(probe, args, error):
    assert probe.run("try:\n    req.server.register_cleanup(%s)\nexcept ValueError as e:\n    out = str(e)"
                     % args) == repr(error)


def test_server_register_cleanup_runs_at_process_exit(probe, monkeypatch):
    import atexit
    registered = []
    monkeypatch.setattr(atexit, "register", lambda *a: registered.append(a))
    probe.run("req.server.register_cleanup(req, print, 'bye')\nout = 1")
    function, callable_, data = registered[0]
    assert (callable_, data) == (print, "bye")


def test_server_log_error_has_no_client(probe, caplog):
    with caplog.at_level("WARNING", logger="mod_python"):
        probe.run("req.server.log_error('server says', apache.APLOG_WARNING)\nout = 1")
    assert "server says" in [r.getMessage() for r in caplog.records]
