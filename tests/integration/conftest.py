"""Start ``modpy-compat serve`` for real, as a subprocess on 127.0.0.1."""
from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time

import pytest


class Served:
    """A running ``modpy-compat serve`` process and what it printed."""

    def __init__(self, args, cwd=None):
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "modpy_compat", "serve", "--port", "0"] + list(args),
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=cwd, text=True)
        self.banner = []
        deadline = time.time() + 20
        self.port = None
        while time.time() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                break
            self.banner.append(line)
            m = re.search(r"serving http://127\.0\.0\.1:(\d+)/", line)
            if m:
                self.port = int(m.group(1))
            if line.startswith("  errors:"):
                break
        # Drain both pipes in the background so the server never blocks on them.
        self.out, self.err = [], []
        self._drains = [threading.Thread(target=_drain, args=(pipe, sink), daemon=True)
                        for pipe, sink in ((self.proc.stdout, self.out), (self.proc.stderr, self.err))]
        for thread in self._drains:
            thread.start()
        if self.port is None:
            self.stop()
            raise RuntimeError("server did not start:\n%s%s" % ("".join(self.banner), "".join(self.err)))

    def url(self, path):
        return "http://127.0.0.1:%d%s" % (self.port, path)

    def stop(self, sig=signal.SIGTERM):
        """Stop the server; returns (exit code, rest of stdout, stderr)."""
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        for thread in self._drains:
            thread.join(5)
        return self.proc.returncode, "".join(self.out), "".join(self.err)


def _drain(pipe, sink):
    for line in pipe:
        sink.append(line)


@pytest.fixture
def serve():
    started = []

    def start(*args, cwd=None):
        served = Served(args, cwd=cwd)
        started.append(served)
        return served
    yield start
    for served in started:
        served.stop()
