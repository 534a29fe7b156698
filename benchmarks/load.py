"""Load generation with wrk, and the checks a server passes before it is measured.

:func:`run_wrk` runs one wrk measurement and returns its summary (the JSON
line ``lua/report.lua`` prints).  wrk runs one thread for the stateless
scenarios; for the session scenario it runs one thread per connection,
because wrk's Lua state is per thread and each connection must keep its own
session cookie.

:func:`check` sends a scenario's request with ``http.client`` and verifies
status, Content-Type and body, so that a server answering an error page fast
is never reported as fast.
"""
from __future__ import annotations

import http.client
import json
import subprocess
import time
from dataclasses import dataclass

from sitetree import form_body

WRK_TIMEOUT = 5     # seconds before wrk counts a request as timed out


@dataclass
class Measurement:
    """One wrk run."""

    requests: int
    seconds: float
    errors: int
    p50_ms: float
    p99_ms: float
    detail: dict

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


class LoadError(RuntimeError):
    """wrk failed or printed no summary."""


def wrk_command(url, script, connections, duration, thread_per_connection=False):
    threads = connections if thread_per_connection else 1
    return ["wrk", "-t", str(threads), "-c", str(connections), "-d", "%ds" % duration,
            "--timeout", "%ds" % WRK_TIMEOUT, "-s", script, url]


def start_wrk(url, script, connections, duration, thread_per_connection=False):
    """Start wrk in the background (the soak samples memory while it runs)."""
    return subprocess.Popen(wrk_command(url, script, connections, duration, thread_per_connection),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finish_wrk(proc, duration) -> Measurement:
    try:
        out, err = proc.communicate(timeout=duration + 60)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        raise LoadError("wrk did not finish")
    for line in out.splitlines():
        if line.startswith("BENCH_JSON "):
            data = json.loads(line[len("BENCH_JSON "):])
            errors = sum(data[k] for k in ("connect", "read", "write", "status", "timeout"))
            return Measurement(data["requests"], data["duration_us"] / 1e6, errors,
                               data["p50_us"] / 1000.0, data["p99_us"] / 1000.0, data)
    raise LoadError("wrk printed no summary (exit %s):\n%s%s" % (proc.returncode, out, err))


def run_wrk(url, script, connections, duration, thread_per_connection=False) -> Measurement:
    """Run wrk against ``url`` for ``duration`` seconds with ``connections`` connections."""
    return finish_wrk(start_wrk(url, script, connections, duration, thread_per_connection),
                      duration)


def _request(port, method, path, body=None, headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        headers = dict(headers or {})
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        return response.status, response.getheader("Content-Type") or "", \
            response.getheader("Set-Cookie"), response.read()
    finally:
        conn.close()


def check(server, scenario, path=None):
    """None if ``server`` answers ``scenario`` right, else what is wrong."""
    path = path or scenario.path
    body = form_body() if scenario.method == "POST" else None
    try:
        status, ctype, cookie, got = _request(server.port, scenario.method, path, body)
        problem = _judge(scenario, status, ctype, got)
        if problem or scenario.number != 5:
            return problem
        # The counter goes on with the cookie, and starts again without it.
        if not cookie or got != b"count=1\n":
            return "the first request answered %r with Set-Cookie %r" % (got, cookie)
        cookie = cookie.split(";", 1)[0]
        for expected in (b"count=2\n", b"count=3\n"):
            status, ctype, _, got = _request(server.port, "GET", path, headers={"Cookie": cookie})
            if status != 200 or got != expected:
                return "with its cookie: %s %r, expected %r" % (status, got, expected)
        return None
    except (OSError, http.client.HTTPException) as exc:
        return "request failed: %s" % exc


def _judge(scenario, status, ctype, body):
    if status != 200:
        return "status %s: %r" % (status, body[:300])
    if not ctype.startswith(scenario.content_type):
        return "Content-Type %r, expected %s" % (ctype, scenario.content_type)
    if scenario.exact and body != scenario.expect:
        return "body %r..., expected %r..." % (body[:80], scenario.expect[:80])
    if scenario.expect not in body:
        return "body %r... lacks %r" % (body[:200], scenario.expect)
    return None


def warm_up(server, scenario, script, seconds):
    """Load the server briefly with 8 connections (imports, caches, every prefork child)."""
    if seconds > 0:
        run_wrk(server.url(scenario.path), script, 8, seconds, scenario.thread_per_connection)
        time.sleep(0.2)
