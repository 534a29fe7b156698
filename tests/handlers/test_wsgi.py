"""mod_python.wsgi and modpython_gateway: the environ an application gets, and how its answer is sent.

MOD_WSGI holds what mod_wsgi gives ``dump`` mounted at /app (recorded with mod_wsgi-express 5 and 6;
``test_mod_wsgi_gives_what_the_table_says`` re-checks it against a live mod_wsgi when there is one).
Both handlers, with the plain and the WebOb application, must give the same fields.
"""
from __future__ import annotations

import atexit
import http.client
import io
import json
import logging
import os
import shutil
import signal
import subprocess
import sys
import time

import pytest
from webob import Request

from tests.conftest import require
from tests.handlers import wsgiapps
from tests.support.apache import _open_up, _run_user, find_apache, free_port

APPS = "tests.handlers.wsgiapps::%s"

# Requests to the application mounted at /app, and the fields mod_wsgi gives it.
REQUESTS = {
    "get": dict(method="GET", path="/app/some/p%20q", query="x=1&y=%20&z=%C3%A9",
                headers={"X-Custom": "c", "X-Other": "o"}, body=b""),
    "post": dict(method="POST", path="/app/", query="",
                 headers={"Content-Type": "application/x-www-form-urlencoded"}, body=b"a=1&b=two"),
}
MOD_WSGI = {
    "get": {"REQUEST_METHOD": "GET", "SCRIPT_NAME": "/app", "PATH_INFO": "/some/p q",
            "QUERY_STRING": "x=1&y=%20&z=%C3%A9", "CONTENT_TYPE": None, "CONTENT_LENGTH": None,
            "wsgi.url_scheme": "http", "HTTP_X_CUSTOM": "c", "HTTP_X_OTHER": "o", "body": ""},
    "post": {"REQUEST_METHOD": "POST", "SCRIPT_NAME": "/app", "PATH_INFO": "/", "QUERY_STRING": "",
             "CONTENT_TYPE": "application/x-www-form-urlencoded", "CONTENT_LENGTH": "9",
             "wsgi.url_scheme": "http", "body": "a=1&b=two"},
}
WEBOB = {
    "get": {"script_name": "/app", "path_info": "/some/p q", "GET": [["x", "1"], ["y", " "], ["z", "é"]],
            "POST": [], "url": "http://localhost/app/some/p%20q"},
    "post": {"script_name": "/app", "path_info": "/", "GET": [], "POST": [["a", "1"], ["b", "two"]],
             "url": "http://localhost/app/"},
}

MOD_PYTHON_WSGI = """
DocumentRoot htdocs
<Location /app>
    SetHandler mod_python
    PythonHandler mod_python.wsgi
    PythonOption mod_python.wsgi.application %s
    PythonDebug On
</Location>
"""
GATEWAY = """
DocumentRoot htdocs
<Location /app>
    SetHandler python-program
    PythonHandler modpython_gateway::handler
    PythonOption wsgi.application %s
    PythonOption SCRIPT_NAME /app
</Location>
"""
CONFIGS = {"mod_python.wsgi": MOD_PYTHON_WSGI, "modpython_gateway": GATEWAY}


def _site(make_site, which, app, extra=""):
    conf = CONFIGS[which] % (APPS % app)
    return make_site(conf.replace("</Location>", extra + "</Location>"), {"htdocs/.keep": ""})


def _send(client, name):
    spec = REQUESTS[name]
    url = spec["path"] + ("?" + spec["query"] if spec["query"] else "")
    if spec["method"] == "POST":
        return client.post(url, spec["body"], headers=spec["headers"])
    return client.get(url, headers=spec["headers"])


@pytest.mark.parametrize("which", sorted(CONFIGS))
@pytest.mark.parametrize("name", sorted(REQUESTS))
def test_plain_application_gets_the_environ_mod_wsgi_gives(make_site, which, name):
    answer = _send(_site(make_site, which, "dump"), name)
    assert (answer.status, answer.headers["Content-Type"]) == ("200 OK", "application/json")
    assert json.loads(answer.text) == MOD_WSGI[name]


@pytest.mark.parametrize("which", sorted(CONFIGS))
@pytest.mark.parametrize("name", sorted(REQUESTS))
def test_webob_application_sees_the_same_request(make_site, which, name):
    answer = _send(_site(make_site, which, "webob_dump"), name)
    assert answer.status == "200 OK"
    got = json.loads(answer.text)
    assert got.pop("webob") == WEBOB[name]
    assert got == MOD_WSGI[name]


# -- how the answer is sent ------------------------------------------------------------------

def _call(app, path, method="GET"):
    """Call the gateway as a WSGI server would; what it sent, and when."""
    received, started = wsgiapps.RECEIVED, []
    del received[:]

    def start_response(status, headers, exc_info=None):
        started.append((status, headers))
        return received.append
    body = app(Request.blank(path, method=method).environ, start_response)
    try:
        received.extend(body)
    finally:
        getattr(body, "close", lambda: None)()
    return started[0][0], dict(started[0][1]), b"".join(received)


@pytest.mark.parametrize("which", sorted(CONFIGS))
def test_generator_blocks_reach_the_client_as_they_are_made(make_site, which):
    client = _site(make_site, which, "streamed")
    status, headers, body = _call(client.app, "/app/")
    assert (status, body) == ("200 OK", b"first\nsecond\n")
    assert wsgiapps.SEEN["before second"] == [b"first\n"]
    assert "Content-Length" not in headers


@pytest.mark.parametrize("which", sorted(CONFIGS))
def test_write_callable_sends_at_once_and_the_iterable_follows(make_site, which):
    client = _site(make_site, which, "written")
    status, headers, body = _call(client.app, "/app/")
    assert (status, body) == ("200 OK", b"written returned\n")
    assert wsgiapps.SEEN["after write"] == [b"written "]


@pytest.mark.parametrize("which", sorted(CONFIGS))
def test_a_list_is_sent_in_one_piece_with_a_content_length(make_site, which):
    status, headers, body = _call(_site(make_site, which, "dump").app, "/app/x")
    assert (status, headers["Content-Length"]) == ("200 OK", str(len(body)))
    assert wsgiapps.RECEIVED == [body]


@pytest.mark.parametrize("which", sorted(CONFIGS))
def test_status_repeated_headers_and_close_of_an_iterable(make_site, which):
    wsgiapps.Closing.closed.clear()
    answer = _site(make_site, which, "closing").get("/app/x")
    assert (answer.status, answer.text) == ("201 Created", "made\n")
    assert answer.headers.getall("X-Multi") == ["a", "b"]
    assert answer.headers["Content-Type"] == "text/plain"
    assert wsgiapps.Closing.closed == [[b"made\n"]]


@pytest.mark.parametrize("which", sorted(CONFIGS))
def test_start_response_with_exc_info_before_the_body_replaces_the_headers(make_site, which):
    answer = _site(make_site, which, "error_page").get("/app/")
    assert (answer.status, answer.text) == ("503 Service Unavailable", "sorry\n")
    assert (answer.headers["Content-Type"], answer.headers["X-Second"]) == ("text/plain", "2")
    assert "X-First" not in answer.headers


def test_exc_info_after_the_body_started_raises_it_again(make_site):
    client = _site(make_site, "mod_python.wsgi", "late_error")
    status, headers, body = _call(client.app, "/app/")
    assert status == "200 OK"
    assert body.startswith(b"partial\n")
    assert b"KeyError: &#x27;late&#x27;" in body and b"never" not in body


def test_mod_python_wsgi_base_uri_and_location_set_script_name(make_site):
    client = make_site("""
        DocumentRoot htdocs
        <Directory htdocs>
            SetHandler mod_python
            PythonHandler mod_python.wsgi
            PythonOption mod_python.wsgi.application tests.handlers.wsgiapps::dump
        </Directory>
        <Directory htdocs/based>
            PythonOption mod_python.wsgi.base_uri /based/app
        </Directory>
    """, {"htdocs/based/.keep": ""})
    whole = json.loads(client.get("/tests.py").text)
    assert (whole["SCRIPT_NAME"], whole["PATH_INFO"]) == ("", "/tests.py")
    based = json.loads(client.get("/based/app/x").text)
    assert (based["SCRIPT_NAME"], based["PATH_INFO"]) == ("/based/app", "/x")
    # The base itself: no PATH_INFO at all (mod_python 3.5, as Apache's CGI variables).
    bare = json.loads(client.get("/based/app").text)
    assert (bare["SCRIPT_NAME"], bare["PATH_INFO"]) == ("/based/app", None)
    # Outside the base: declined, so the default handler answers.
    assert client.get("/based/other").status == "404 Not Found"


def test_mod_python_wsgi_without_an_application_declines_with_a_warning(make_site, caplog):
    client = make_site("""
        DocumentRoot htdocs
        <Location /app>
            SetHandler mod_python
            PythonHandler mod_python.wsgi
        </Location>
        <Location /missing>
            SetHandler mod_python
            PythonHandler mod_python.wsgi
            PythonOption mod_python.wsgi.application tests.handlers.wsgiapps::no_such_thing
        </Location>
    """, {"htdocs/.keep": ""})
    with caplog.at_level(logging.WARNING, logger="mod_python"):
        assert client.get("/app/x").status == "404 Not Found"
        assert client.get("/missing/x").status == "404 Not Found"
    assert "WSGI handler: mod_python.wsgi.application (None) not found, declining." in caplog.text
    assert ("WSGI handler: mod_python.wsgi.application ('tests.handlers.wsgiapps::no_such_thing') "
            "not found, declining.") in caplog.text


# -- modpython_gateway ------------------------------------------------------------------------

def test_gateway_is_importable_as_modpython_gateway_and_keeps_its_names():
    import modpython_gateway
    assert modpython_gateway.__name__ == "modpy_compat.legacy.modpython_gateway"
    assert {"handler", "Handler", "InputWrapper", "ErrorWrapper"} <= set(vars(modpython_gateway))


def test_a_modpython_gateway_module_on_sys_path_wins(tmp_path, monkeypatch):
    (tmp_path / "modpython_gateway.py").write_text("OWN = True\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "modpython_gateway", raising=False)
    import modpython_gateway
    assert modpython_gateway.OWN is True
    monkeypatch.delitem(sys.modules, "modpython_gateway")


def test_gateway_without_script_name_option_passes_the_whole_uri(make_site):
    client = make_site(GATEWAY.replace("    PythonOption SCRIPT_NAME /app\n", "") % (APPS % "dump"),
                       {"htdocs/.keep": ""})
    got = json.loads(client.get("/app/x/y?q=1").text)
    assert (got["SCRIPT_NAME"], got["PATH_INFO"], got["QUERY_STRING"]) == ("", "/app/x/y", "q=1")


def test_gateway_runs_startup_once_with_the_request_and_registers_cleanup_once(make_site, monkeypatch):
    registered = []
    monkeypatch.setattr(atexit, "register", lambda *args: registered.append(args))
    del wsgiapps.STARTS[:], wsgiapps.CLEANUPS[:]
    extra = ("    PythonOption wsgi.startup tests.handlers.wsgiapps::startup\n"
             "    PythonOption wsgi.cleanup tests.handlers.wsgiapps::cleanup\n")
    # A fresh gateway module state: another test may have run these already.
    from modpy_compat.handlers import wsgi
    monkeypatch.setattr(wsgi, "_done", set())
    client = _site(make_site, "modpython_gateway", "dump", extra)
    for path in ("/app/one", "/app/two"):
        assert client.get(path).status == "200 OK"
    assert wsgiapps.STARTS == ["/app/one"]
    assert len(registered) == 1
    function, handler, data = registered[0]
    function(handler, data)      # what atexit will do
    assert wsgiapps.CLEANUPS == [True]


def test_gateway_answers_a_plain_500_when_the_application_fails(make_site, caplog):
    client = _site(make_site, "modpython_gateway", "failing")
    with caplog.at_level(logging.ERROR, logger="mod_python"):
        answer = client.get("/app/")
    assert (answer.status, answer.headers["Content-Type"], answer.text) == (
        "500 Internal Server Error", "text/plain",
        "A server error occurred. Please contact the administrator.")
    assert "RuntimeError: application failure" in caplog.text


def test_gateway_needs_module_and_callable(make_site):
    client = make_site(GATEWAY % "nocolons", {"htdocs/.keep": ""})
    errors = io.StringIO()
    answer = Request.blank("/app/", environ={"wsgi.errors": errors}).get_response(client.app)
    assert answer.status == "500 Internal Server Error"
    assert "ConfigError: PythonOption wsgi.application must be 'module::callable', not 'nocolons'" in \
        errors.getvalue()


# -- the table above, against a live mod_wsgi --------------------------------------------------

def _express():
    try:
        import mod_wsgi  # noqa: F401
    except ImportError:
        return None
    candidate = os.path.join(os.path.dirname(sys.executable), "mod_wsgi-express")
    return candidate if os.access(candidate, os.X_OK) else shutil.which("mod_wsgi-express")


@pytest.mark.integration
def test_mod_wsgi_gives_what_the_table_says(tmp_path):
    express = _express()
    require(find_apache() is not None and express is not None,
            "Apache httpd with mod_wsgi (pip install mod_wsgi)")
    with open(wsgiapps.__file__) as fh:
        # The plain application alone: the server's Python may lack WebOb.
        source = fh.read().split("\n\n@webob.dec.wsgify", 1)[0]
    source = source.replace("import webob\nimport webob.dec\n", "")
    (tmp_path / "dump.wsgi").write_text(source + "\n\napplication = dump\n")
    user = _run_user() if os.geteuid() == 0 else None
    if user:
        _open_up(str(tmp_path))
    port = free_port()
    args = [express, "start-server", str(tmp_path / "dump.wsgi"), "--host", "127.0.0.1", "--port", str(port),
            "--server-root", str(tmp_path / "root"), "--mount-point", "/app", "--locale", "C.UTF-8"]
    if user:
        args += ["--user", user[0], "--group", user[1]]
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONHOME", "PYTHONPATH")}
    with open(str(tmp_path / "express.log"), "wb") as log:
        proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=log, stderr=log, cwd=str(tmp_path),
                                env=env, start_new_session=True)
    try:
        answers = {}
        deadline = time.monotonic() + 30
        for name, spec in sorted(REQUESTS.items()):
            while True:
                try:
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                    url = spec["path"] + ("?" + spec["query"] if spec["query"] else "")
                    conn.request(spec["method"], url, body=spec["body"] or None, headers=spec["headers"])
                    response = conn.getresponse()
                    answers[name] = (response.status, response.read())
                    conn.close()
                    break
                except OSError:
                    if time.monotonic() > deadline or proc.poll() is not None:
                        raise
                    time.sleep(0.2)
    except OSError:
        with open(str(tmp_path / "express.log"), errors="replace") as fh:
            pytest.fail("mod_wsgi-express did not answer:\n" + fh.read()[-3000:], pytrace=False)
    finally:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(10)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    for name, (status, body) in answers.items():
        assert status == 200, body
        assert json.loads(body) == MOD_WSGI[name]
