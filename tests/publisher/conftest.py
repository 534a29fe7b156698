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

FIXTURE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                       "fixtures", "sites", "publisher_basic")


def apache_page(status, reason, message):
    """The body of Apache 2.4's built-in error page (as recorded from 2.4.71)."""
    return ('<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01//EN" "http://www.w3.org/TR/html4/strict.dtd">\n'
            "<html><head>\n<title>%d %s</title>\n</head><body>\n<h1>%s</h1>\n%s</body></html>\n"
            % (status, reason, reason, message)).encode("ascii")


ERROR_TYPE = "text/html; charset=iso-8859-1"
PAGE_400 = apache_page(400, "Bad Request",
                       "<p>Your browser sent a request that this server could not understand.<br />\n</p>\n")
PAGE_401 = apache_page(401, "Unauthorized",
                       "<p>This server could not verify that you\nare authorized to access the document\n"
                       "requested.  Either you supplied the wrong\ncredentials (e.g., bad password), or your\n"
                       "browser doesn't understand how to supply\nthe credentials required.</p>\n")
PAGE_403 = apache_page(403, "Forbidden", "<p>You don't have permission to access this resource.</p>\n")
PAGE_404 = apache_page(404, "Not Found", "<p>The requested URL was not found on this server.</p>\n")
PAGE_500 = apache_page(500, "Internal Server Error",
                       "<p>The server encountered an internal error or\nmisconfiguration and was unable to "
                       "complete\nyour request.</p>\n<p>Please contact the server administrator at \n "
                       "[no address given] to inform them of the time this error occurred,\n and the "
                       "actions you performed just before this error.</p>\n<p>More information about "
                       "this error may be available\nin the server error log.</p>\n")


def page_405(method):
    return apache_page(405, "Method Not Allowed",
                       "<p>The requested method %s is not allowed for this URL.</p>\n" % method)


def page_301(location):
    return apache_page(301, "Moved Permanently",
                       '<p>The document has moved <a href="%s">here</a>.</p>\n' % location)


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
