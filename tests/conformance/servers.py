"""The two servers the cases run on: real Apache + mod_python, and ``modpy-compat serve``.

Both serve the same :class:`~tests.conformance.tree.Tree` on 127.0.0.1.  Apache runs the event
MPM with one child process (``tests.support.apache`` limits it to two and starts one): the
requests go one after the other, so they all reach the same Python interpreter, as they reach
modpy_compat's single process, and module-level state behaves the same on both.
"""
from __future__ import annotations

import http.client
import os
import subprocess
import sys
import time

from tests.support.apache import ApacheServer, free_port, mod_python_available

__all__ = ["CompatServer", "ReferenceServer", "ServerDidNotStart", "mod_python_available"]


class ServerDidNotStart(RuntimeError):
    """``modpy-compat serve`` exited or never answered; the message is its standard error."""


class ReferenceServer:
    """Real Apache 2.4 with mod_python, serving every case of ``tree``."""

    name = "mod_python"

    def __init__(self, tree):
        self.tree = tree
        self.apache = ApacheServer(tree.fragment("mod_python"), workdir=tree.root, mpm="event")

    @property
    def port(self) -> int:
        return self.apache.port

    def start(self):
        self.apache.start()
        return self

    def stop(self):
        self.apache.stop()

    def log_tail(self, lines=40) -> str:
        return "\n".join(self.apache.error_log_text().splitlines()[-lines:])

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()


class CompatServer:
    """``python -m modpy_compat serve`` on the tree's configuration, output kept in log files.

    :param cases: the cases to configure (default: every case of the tree).
    """

    name = "modpy_compat"

    def __init__(self, tree, cases=None, start_timeout: float = 30.0):
        self.tree = tree
        self.cases = cases
        self.start_timeout = start_timeout
        self.port = None
        self.proc = None
        self.stdout_path = os.path.join(tree.root, "modpy_stdout.log")
        self.stderr_path = os.path.join(tree.root, "modpy_stderr.log")

    def start(self):
        # Files a reference run changed must be back before modpy_compat imports the handlers.
        for case in self.cases if self.cases is not None else self.tree.cases:
            if any(request.write_files for request in case.requests):
                self.tree.reset(case)
        for attempt in range(3):
            self.port = free_port()
            config = self.tree.write_compat_config(self.port, self.cases)
            with open(self.stdout_path, "wb") as out, open(self.stderr_path, "wb") as err:
                self.proc = subprocess.Popen(
                    [sys.executable, "-m", "modpy_compat", "serve", "--config", config,
                     "--port", str(self.port)],
                    stdin=subprocess.DEVNULL, stdout=out, stderr=err, cwd=self.tree.root)
            if self._wait():
                return self
            self.stop()
            if "Address already in use" not in self.log_tail() or attempt == 2:
                raise ServerDidNotStart(self.log_tail())

    def _wait(self) -> bool:
        # Ready means answering HTTP: the socket may be bound before the configuration is
        # loaded (and a configuration error then ends the process).
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                return False
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
            try:
                conn.request("HEAD", "/conformance-probe")
                conn.getresponse().read()
                return self.proc.poll() is None
            except (OSError, http.client.HTTPException):
                time.sleep(0.05)
            finally:
                conn.close()
        return False

    def stop(self):
        proc, self.proc = self.proc, None
        if proc is None:
            return
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()

    def log_tail(self, lines=40) -> str:
        try:
            with open(self.stderr_path, errors="replace") as fh:
                return "\n".join(fh.read().splitlines()[-lines:])
        except FileNotFoundError:
            return ""

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()
