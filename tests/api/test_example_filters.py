"""examples/filters/: the gzip output filter written in Python, and DEFLATE."""
from __future__ import annotations

import gzip
import os

import pytest

from modpy_compat import make_app
from tests.api.conftest import call_wsgi

EXAMPLE = os.path.join(os.path.dirname(__file__), "..", "..", "examples", "filters", "site.conf")


class _Client:
    def __init__(self, app):
        self.app = app


@pytest.fixture(scope="module")
def example():
    return _Client(make_app(EXAMPLE))


@pytest.mark.parametrize("path, start", [
    ("/hello.py", b"line 1 of a response worth compressing\n"),
    ("/readme.txt", b"Served by the default handler"),
    ("/native/page.html", b"Compressed by DEFLATE"),
])
def test_example_responses_are_gzipped_for_clients_that_accept_it(example, path, start):
    status, headers, body = call_wsgi(example, path, headers={"Accept-Encoding": "gzip"})
    headers = dict(headers)
    assert (status, headers["Content-Encoding"], headers["Vary"]) == ("200 OK", "gzip", "Accept-Encoding")
    assert headers["Content-Length"] == str(len(body))
    assert gzip.decompress(body).startswith(start)


def test_example_sends_plain_text_to_other_clients(example):
    status, headers, body = call_wsgi(example, "/hello.py")
    assert "Content-Encoding" not in dict(headers)
    assert body.count(b"\n") == 100 and body.endswith(b"line 100 of a response worth compressing\n")
