"""``modpy-compat serve`` on waitress, tried as a user would: a real process and real sockets."""
from __future__ import annotations

import base64
import http.client
import os
import signal
import socket
import subprocess
import sys
import textwrap
import time

import pytest

pytestmark = pytest.mark.integration

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TUTORIAL = os.path.join(ROOT, "examples", "tutorial", "site.conf")


def fetch(served, path, headers=None, method="GET"):
    conn = http.client.HTTPConnection("127.0.0.1", served.port, timeout=10)
    conn.request(method, path, headers=headers or {})
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response, body


def basic(user, password):
    return {"Authorization": "Basic " + base64.b64encode(("%s:%s" % (user, password)).encode()).decode()}


def test_tutorial_custom_handler_answers_hello(serve, tmp_path):
    served = serve("--config", TUTORIAL, cwd=str(tmp_path))
    response, body = fetch(served, "/CustomExample/x.py")
    assert response.status == 200
    assert response.getheader("Content-Type") == "text/plain"
    assert response.getheader("Content-Length") == "22"
    assert body == b"Hello from mod_python!"


def test_tutorial_basic_auth_challenges_then_admits_john(serve, tmp_path):
    served = serve("--config", TUTORIAL, cwd=str(tmp_path))
    for headers in ({}, basic("john", "wrong"), basic("nobody", "secret")):
        response, body = fetch(served, "/AuthenticateExample/", headers)
        assert response.status == 401
        assert response.getheader("WWW-Authenticate") == 'Basic realm="Secure Area"'
        assert b"<title>401 Unauthorized</title>" in body
    response, body = fetch(served, "/AuthenticateExample/", basic("john", "secret"))
    assert response.status == 200
    assert body == b"Welcome, john! You are in the secure area.\n"


def test_banner_names_config_document_root_threads_and_not_emulated(serve, tmp_path):
    conf = tmp_path / "site.conf"
    conf.write_text("LoadModule python_module modules/mod_python.so\nListen 80\nDocumentRoot .\n")
    served = serve("--config", str(conf), "--threads", "3")
    banner = "".join(served.banner)
    assert "configuration: %s" % conf in banner
    assert "document root: %s" % tmp_path in banner
    assert "threads:       3" in banner
    code, out, err = served.stop()
    assert "accepted but not emulated: Listen (site.conf:2), LoadModule (site.conf:1)" in banner + out


def test_access_log_is_apache_combined_format(serve, tmp_path):
    served = serve("--config", TUTORIAL, cwd=str(tmp_path))
    fetch(served, "/CustomExample/x.py?a=1", {"User-Agent": "probe/1.0", "Referer": "http://r/"})
    code, out, err = served.stop()
    lines = [l for l in out.splitlines() if "GET /CustomExample" in l]
    assert len(lines) == 1
    assert lines[0].startswith("127.0.0.1 - - [")
    assert lines[0].endswith('] "GET /CustomExample/x.py?a=1 HTTP/1.1" 200 22 "http://r/" "probe/1.0"')


def test_sigterm_and_sigint_stop_the_server_cleanly(serve, tmp_path):
    for sig in (signal.SIGTERM, signal.SIGINT):
        served = serve("--config", TUTORIAL, cwd=str(tmp_path))
        code, out, err = served.stop(sig)
        assert code == 0, err
        assert "modpy_compat stopped" in out


def test_unbalanced_directory_exits_non_zero_naming_file_and_line(tmp_path):
    conf = tmp_path / "bad.conf"
    conf.write_text("DocumentRoot .\n<Directory .>\n  SetHandler mod_python\n")
    result = subprocess.run([sys.executable, "-m", "modpy_compat", "serve", "--config", str(conf),
                             "--port", "0"], capture_output=True, text=True, timeout=30)
    assert result.returncode == 1
    assert "%s:2:" % conf in result.stderr


def test_flush_streams_the_body_before_the_handler_returns(serve, tmp_path):
    marker = tmp_path / "go"
    (tmp_path / "htdocs").mkdir()
    (tmp_path / "htdocs" / "stream.py").write_text(textwrap.dedent("""
        import os, time
        from mod_python import apache
        def handler(req):
            req.content_type = "text/plain"
            req.write("first;")
            req.flush()
            deadline = time.time() + 10
            while not os.path.exists(%r) and time.time() < deadline:
                time.sleep(0.02)
            req.write("second")
            return apache.OK
    """ % str(marker)))
    (tmp_path / "site.conf").write_text(
        "DocumentRoot htdocs\n<Directory htdocs>\nSetHandler mod_python\nPythonHandler stream\n</Directory>\n")
    served = serve("--config", str(tmp_path / "site.conf"))
    sock = socket.create_connection(("127.0.0.1", served.port), timeout=10)
    sock.sendall(b"GET /stream.py HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
    received = b""
    while b"first;" not in received:
        chunk = sock.recv(4096)
        assert chunk, "connection closed before the flushed part arrived"
        received += chunk
    assert b"second" not in received  # the handler is still waiting for the marker
    head = received.split(b"\r\n\r\n", 1)[0].decode()
    assert head.startswith("HTTP/1.1 200 OK")
    assert "Transfer-Encoding: chunked" in head
    marker.write_text("go")
    while True:
        chunk = sock.recv(4096)
        if not chunk:
            break
        received += chunk
    sock.close()
    assert b"second" in received
