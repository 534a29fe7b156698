"""Fixtures for the publisher tests: the ``publisher_basic`` site and Apache's pages.

``pub_site`` copies ``tests/fixtures/sites/publisher_basic`` into a fresh
temporary directory and returns a client for it; ``fetch`` sends a request
with its path exactly as written (``REQUEST_URI``), so encoded characters
reach the URL mapping as they would from a real server.
"""
from __future__ import annotations

import os
import shutil

import pytest

from modpy_compat import make_app
from tests.conftest import Client
from tests.support import pages

FIXTURE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                       "fixtures", "sites", "publisher_basic")


def apache_page(status, reason, message):
    """The body of Apache 2.4's built-in error page, as bytes."""
    return pages.apache_page(status, reason, message).encode("ascii")


ERROR_TYPE = pages.HTML_ERROR
PAGE_400, PAGE_401, PAGE_403, PAGE_404, PAGE_500 = (
    page.encode("ascii") for page in (pages.PAGE_400, pages.PAGE_401, pages.PAGE_403, pages.PAGE_404,
                                      pages.PAGE_500))


def page_405(method):
    return pages.page_405(method).encode("ascii")


def page_301(location):
    return pages.page_301(location).encode("ascii")


def fetch(client, path, method="GET", headers=None, body=None, content_type=None):
    """Send ``path`` as the raw request URI; returns the WebTest response."""
    if body is not None and content_type is None:
        content_type = "application/x-www-form-urlencoded"
    headers = dict(headers or {})
    if content_type:
        headers["Content-Type"] = content_type
    if isinstance(body, str):
        body = body.encode("utf-8")
    return client.request(path, method=method, headers=headers, body=body,
                          environ={"REQUEST_URI": path})


def answer(response):
    """``(status, Content-Type, body)``: what most tests compare whole."""
    return response.status_int, response.headers.get("Content-Type"), response.body


@pytest.fixture
def pub_site(tmp_path):
    """A client for a private copy of the publisher_basic fixture site (``.root`` is its path)."""
    root = tmp_path / "publisher_basic"
    shutil.copytree(FIXTURE, str(root))
    client = Client(make_app(str(root / "site.conf")), extra_environ={"REMOTE_ADDR": "127.0.0.1"},
                    lint=False)
    client.root = root
    return client
