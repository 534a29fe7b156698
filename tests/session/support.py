"""A private ``redis-server`` for session tests, and a tiny HTTP client that keeps one connection.

:class:`RedisServer` runs ``redis-server`` in the foreground on a free port of
127.0.0.1 with persistence off, so it never touches a system Redis or writes
files.  Tests ask for it through a fixture that calls
``require(redis_available(), "redis-server")``: skipped with a visible reason
locally, a failure under CI=true.
"""
from __future__ import annotations

import http.client
import shutil
import socket
import subprocess
import time

from tests.support.apache import free_port


def redis_available() -> bool:
    return shutil.which("redis-server") is not None


class RedisServer:
    """``redis-server`` as a child process; ``url`` is where to reach it."""

    def __init__(self, workdir):
        self.port = free_port()
        self.url = "redis://127.0.0.1:%d/0" % self.port
        self.proc = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--daemonize", "no", "--dir", str(workdir)],
            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        deadline = time.time() + 10
        while not self.ping():
            if self.proc.poll() is not None or time.time() > deadline:
                self.stop()
                raise RuntimeError("redis-server did not start on port %d" % self.port)
            time.sleep(0.02)

    def command(self, *args):
        """Send one command, return the raw reply bytes (enough for the tests' checks)."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=2) as sock:
            sock.sendall(b"*%d\r\n" % len(args) + b"".join(
                b"$%d\r\n%s\r\n" % (len(a.encode()), a.encode()) for a in args))
            return sock.recv(65536)

    def ping(self) -> bool:
        try:
            return self.command("PING") == b"+PONG\r\n"
        except OSError:
            return False

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


class Browser:
    """One keep-alive HTTP connection that sends back the session cookie it was given."""

    def __init__(self, port, cookie=None):
        self.port = port
        self.cookie = cookie
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def get(self, path):
        headers = {"Cookie": self.cookie} if self.cookie else {}
        self.conn.request("GET", path, headers=headers)
        response = self.conn.getresponse()
        body = response.read().decode()
        set_cookie = response.getheader("Set-Cookie")
        if set_cookie:
            self.cookie = set_cookie.split(";")[0]
        return response.status, body

    def close(self):
        self.conn.close()
