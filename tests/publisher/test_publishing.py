"""What a published object becomes: body, Content-Type and status.

Recorded from Apache 2.4 + mod_python 3.5 on the fixture site, except for
``bytes`` (3.5 writes their repr, ``b'...'``; written as they are here, as
3.3.1 wrote Python 2 byte strings) and the ``Allow`` header order (Apache's
varies between starts).
"""
from __future__ import annotations

import logging
import re

import pytest

from tests.publisher.conftest import ERROR_TYPE, PAGE_403, PAGE_500, answer, fetch, page_405

PUBLISHED = [
    ("html", "text/html", b"<html><body>an HTML page</body></html>\n"),
    ("html_shouting", "text/html", b"<HTML><BODY>LOUD</BODY></HTML >  \n"),
    ("html_not_last", "text/plain", b"<html></html> and some text after it"),
    ("xml", "text/xml", b"<doc>set by the code</doc>"),            # set by the code: kept
    ("text", "text/plain", "caf\u00e9 \u20ac".encode("utf-8")),    # str: UTF-8, no charset added
    ("raw_bytes", "text/plain", b"raw \xe9 bytes"),                 # bytes: as they are
    ("number", "text/plain", b"7"),                                 # anything else: str()
    ("ok", "text/plain", b"0"),                                     # apache.OK is just 0
    ("countdown", "text/plain", b"a Countdown, not iterated"),      # an iterator: its str()
    ("writes", "text/plain", b"written by the function"),           # req.write, returns None
    # Nothing published and no type set: mod_mime's type for pages.py stays.
    ("writes_untyped", "text/x-python", b"no type set"),
    ("nothing", "text/x-python", b""),
]


@pytest.mark.parametrize("name, content_type, body", PUBLISHED, ids=[p[0] for p in PUBLISHED])
def test_result_is_written(pub_site, name, content_type, body):
    assert answer(fetch(pub_site, "/pub/pages.py/" + name)) == (200, content_type, body)


def test_generator_is_written_as_its_str_not_iterated(pub_site):
    status, content_type, body = answer(fetch(pub_site, "/pub/pages.py/words"))
    assert (status, content_type) == (200, "text/plain")
    assert re.fullmatch(rb"<generator object words at 0x[0-9a-f]+>", body)


def test_html_is_recognised_in_the_last_100_characters_only(make_site):
    client = make_site(SITE, {"htdocs/index.py": """
        def short(req):
            return "<p>x</p></html>" + " " * 84
        def long(req):
            return "<p>x</p></html>" + " " * 85 + "."
    """})
    assert answer(client.get("/short")) == (200, "text/html", b"<p>x</p></html>" + b" " * 84)
    assert client.get("/long").headers["Content-Type"] == "text/plain"


SITE = """
    DocumentRoot htdocs
    <Directory htdocs>
        SetHandler mod_python
        PythonHandler mod_python.publisher
    </Directory>
"""


def test_status_set_by_the_code_is_kept(pub_site):
    assert answer(fetch(pub_site, "/pub/pages.py/status")) == (404, "text/plain", b"a 404 of its own")


def test_server_return_and_redirect_pass_through(pub_site):
    assert answer(fetch(pub_site, "/pub/pages.py/forbidden")) == (403, ERROR_TYPE, PAGE_403)
    response = fetch(pub_site, "/pub/pages.py/moved")
    assert answer(response) == (302, "text/x-python",
                                b'<p>The document has moved <a href="/pub/pages.py/hello">here</a></p>\n')
    assert response.headers["Location"] == "/pub/pages.py/hello"


def test_exception_in_the_function_is_500(pub_site):
    assert answer(fetch(pub_site, "/pub/pages.py/broken")) == (500, ERROR_TYPE, PAGE_500)


def test_head_runs_the_function_and_sends_no_body(pub_site):
    response = fetch(pub_site, "/pub/pages.py/method", method="HEAD")
    assert (response.status_int, response.headers["Content-Type"], response.headers["Content-Length"],
            response.body) == (200, "text/plain", "11", b"")


@pytest.mark.parametrize("method", ["PUT", "DELETE", "OPTIONS"])
def test_other_methods_are_405(pub_site, method):
    assert answer(fetch(pub_site, "/pub/pages.py/method", method=method)) == (
        405, ERROR_TYPE, page_405(method))


def test_405_allow_header_lists_methods_as_apache(pub_site):
    # Apache lists them in its hash-table order, which changes between starts
    # (both GET,POST,HEAD,TRACE and HEAD,GET,POST,TRACE were seen): compare the set.
    response = fetch(pub_site, "/pub/pages.py/method", method="PUT")
    assert sorted(response.headers["Allow"].split(",")) == ["GET", "HEAD", "POST", "TRACE"]


def test_debug_logs_loading_and_nothing_to_publish(make_site, caplog):
    client = make_site("""
        DocumentRoot htdocs
        <Directory htdocs>
            SetHandler mod_python
            PythonHandler mod_python.publisher
            PythonDebug On
        </Directory>
    """, {"htdocs/index.py": "def empty(req):\n    return None\n"})
    with caplog.at_level(logging.INFO, logger="mod_python"):
        assert answer(client.get("/empty")) == (200, None, b"")
        client.get("/empty")
    messages = [r.getMessage() for r in caplog.records if r.name == "mod_python"]
    loading = [m for m in messages if "Publisher loading page" in m]
    assert len(loading) == 1 and loading[0].endswith("/htdocs/index.py")
    assert sum("mod_python.publisher: nothing to publish." in m for m in messages) == 2


STREAMING = """
    DocumentRoot htdocs
    <Directory htdocs>
        SetHandler mod_python
        PythonHandler mod_python.publisher
        PythonOption modpy_compat.publisher.stream_iterators On
    </Directory>
"""


def test_stream_option_writes_iterators_item_by_item(make_site):
    client = make_site(STREAMING, {"htdocs/index.py": """
        def page(req):
            yield "<html><body>"
            yield None
            yield b"raw "
            yield 42
            yield "</body></html>"

        def lines(req):
            return open(req.filename[:-len("index.py")] + "data.txt")

        def listed(req):
            return ["a", "b"]
    """, "htdocs/data.txt": "one\ntwo\n"})
    # The first item decides the Content-Type (no </html> in it: text/plain).
    assert answer(client.get("/page")) == (200, "text/plain", b"<html><body>raw 42</body></html>")
    assert answer(client.get("/lines")) == (200, "text/plain", b"one\ntwo\n")
    assert answer(client.get("/listed")) == (200, "text/plain", b"['a', 'b']")  # not an iterator


def test_stream_option_keeps_a_type_set_by_the_code(make_site):
    client = make_site(STREAMING, {"htdocs/index.py": """
        def page(req):
            req.content_type = "text/html"
            for n in range(3):
                yield "<p>%d</p>" % n
    """})
    assert answer(client.get("/page")) == (200, "text/html", b"<p>0</p><p>1</p><p>2</p>")
