"""Shared fixtures: small legacy sites built in a temporary directory.

``make_site(conf, files)`` writes ``files`` (a dict of relative path ->
text) and ``site.conf`` into ``tmp_path`` and returns a WebTest client for the
resulting application.  Paths in ``conf`` are relative to ``tmp_path``,
as Apache's are to ServerRoot.  The client never raises on a status: tests
assert status, headers and body themselves.
"""
from __future__ import annotations

import os
import sys
import textwrap

import pytest
import webtest

from modpy_compat import make_app


class Client(webtest.TestApp):
    """A WebTest client that returns every response, whatever its status."""

    def _check_status(self, status, res):
        pass

    def _check_errors(self, res):
        pass


def write_files(root, files):
    for name, content in (files or {}).items():
        path = os.path.join(str(root), name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        mode = "wb" if isinstance(content, bytes) else "w"
        with open(path, mode) as fh:
            fh.write(content if isinstance(content, bytes) else textwrap.dedent(content))


@pytest.fixture(autouse=True)
def isolated_imports(tmp_path):
    """Undo what handlers do to sys.path and sys.modules (modules under tmp_path)."""
    saved_path = list(sys.path)
    before = set(sys.modules)
    yield
    sys.path[:] = saved_path
    root = str(tmp_path)
    for name in set(sys.modules) - before:
        if (getattr(sys.modules[name], "__file__", None) or "").startswith(root):
            del sys.modules[name]


@pytest.fixture
def make_site(tmp_path):
    def build(conf, files=None, **options):
        write_files(tmp_path, files)
        path = tmp_path / "site.conf"
        path.write_text(textwrap.dedent(conf))
        # lint off: a response without Content-Type is legal (Apache sends one for unknown types).
        return Client(make_app(str(path), **options), extra_environ={"REMOTE_ADDR": "127.0.0.1"},
                      lint=False)
    build.root = tmp_path
    return build


@pytest.fixture
def site(make_site):
    """The same as ``make_site``, under the name many tests use."""
    return make_site


def require(available: bool, what: str):
    """Skip the test when ``what`` is missing, visibly; under CI=true fail instead."""
    if available:
        return
    message = "%s is not installed (apt-get install apache2 apache2-dev libapache2-mod-python redis-server)" % what
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message + "; CI must have it", pytrace=False)
    pytest.skip(message)
