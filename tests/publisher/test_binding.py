"""Form fields to arguments: ``util.apply_fs_data`` as the publisher calls it.

mod_python 3.5 on Python 3 never binds a form field (its field names come out
wrong), so ``/hello?who=you`` still says "hello world" there; these tests pin
mod_python 3.3.1's documented binding, which the emulation follows.  What 3.5
does get right (``req``, defaults, a missing argument) is also compared with
it in test_reference_apache.py.
"""
from __future__ import annotations

import pytest

from tests.publisher.conftest import ERROR_TYPE, PAGE_500, answer, fetch

PLAIN = "text/plain"

BOUND = [
    ("/pub/pages.py/hello", "hello world"),                         # default kept
    ("/pub/pages.py/hello?who=you", "hello you"),
    ("/pub/pages.py/hello?who=you&other=ignored", "hello you"),     # unknown names dropped
    ("/pub/pages.py/hello?who=", "hello "),                         # blank values kept
    ("/pub/pages.py/hello?who=caf%C3%A9", "hello caf\u00e9"),
    ("/pub/pages.py/method", "method GET"),                         # req when asked for
    ("/pub/pages.py/add?a=2&b=3", "5"),                             # no req when not asked for
    ("/pub/pages.py/many?item=x", "'x'"),                           # one value: the value
    ("/pub/pages.py/many?item=x&item=y", "['x', 'y']"),             # repeated: a list
    ("/pub/pages.py/everything", ""),
    ("/pub/pages.py/everything?b=2&a=1&a=3", "a=['1', '3']; b='2'"),  # **kwargs take all
    ("/pub/pages.py/form_type", "FieldStorage"),                    # req.form is set
    ("/pub/pages.py/caller?x=9", "called with 9"),                  # __call__'s parameters
    ("/pub/pages.py/thing/show?what=this", "showing this"),         # a bound method's
    ("/pub/pages.py/thing/inner/deep?level=3", "deep 3"),
    ("/pub/pages.py/shout?text=abc", "ABC!"),
    ("/pub/pages.py/escape?s=%3Cb%3E", "&lt;b&gt;"),                # imported function
    ("/pub/pages.py/returns_callable?who=again", "hello again"),    # its result is called too
    ("/setp/other/hello?who=x", "other hello x"),
]


@pytest.mark.parametrize("path, body", BOUND, ids=[p for p, _ in BOUND])
def test_query_fields_bind_to_parameters(pub_site, path, body):
    assert answer(fetch(pub_site, path)) == (200, PLAIN, body.encode())


def test_post_body_binds_like_the_query(pub_site):
    response = fetch(pub_site, "/pub/pages.py/everything?q=1", method="POST", body="who=poster&a=b")
    assert answer(response) == (200, PLAIN, b"a='b'; q='1'; who='poster'")
    response = fetch(pub_site, "/pub/pages.py/hello", method="POST", body="who=poster")
    assert answer(response) == (200, PLAIN, b"hello poster")


def test_multipart_upload_is_passed_as_its_field(make_site):
    client = make_site("""
        DocumentRoot htdocs
        <Directory htdocs>
            SetHandler mod_python
            PythonHandler mod_python.publisher
        </Directory>
    """, {"htdocs/index.py": """
        def upload(req, doc, note=""):
            return "%s %s %r %r" % (type(doc).__name__, doc.filename, doc.value, note)
    """})
    response = client.post("/upload", {"note": "n"}, upload_files=[("doc", "a.txt", b"content")])
    assert answer(response) == (200, PLAIN, b"Field a.txt b'content' 'n'")


@pytest.mark.parametrize("path", ["/pub/pages.py/required", "/pub/pages.py/add?a=2"])
def test_missing_required_argument_is_500(pub_site, path):
    assert answer(fetch(pub_site, path)) == (500, ERROR_TYPE, PAGE_500)


def test_field_named_req_fails_as_in_mod_python(pub_site):
    # apply_fs_data appends the field to the request object it was given.
    assert answer(fetch(pub_site, "/pub/pages.py/method?req=x")) == (500, ERROR_TYPE, PAGE_500)


def test_a_callable_result_is_called_with_a_fresh_form(make_site):
    client = make_site("""
        DocumentRoot htdocs
        <Directory htdocs>
            SetHandler mod_python
            PythonHandler mod_python.publisher
        </Directory>
    """, {"htdocs/index.py": """
        def second(req, x="unset"):
            return "second sees %s; first form %s" % (x, FIRST[0] is req.form)

        FIRST = []

        def first(req):
            FIRST[:] = [req.form]
            return second
    """})
    # The second FieldStorage cannot read the POST body again; the query it can.
    response = client.post("/first?y=1", {"x": "posted"})
    assert answer(response) == (200, PLAIN, b"second sees unset; first form False")
    assert client.get("/first?x=q").text == "second sees q; first form False"
