"""From the URL to a module and to an object in it, as mod_python.publisher walks it.

Every expectation here was recorded from Apache 2.4 + mod_python 3.5 serving
the same fixture site (tests/fixtures/sites/publisher_basic).
"""
from __future__ import annotations

import pytest

from tests.publisher.conftest import ERROR_TYPE, PAGE_404, answer, fetch, page_301

PLAIN = "text/plain"

# (URL, expected body) for 200 text/plain answers.
FOUND = [
    # AddHandler .py with DirectoryIndex index.py
    ("/pub/", "pub index"),
    ("/pub/index.py", "pub index"),
    ("/pub/index.py/", "pub index"),
    ("/pub/pages.py", "pages index"),
    ("/pub/pages.py/", "pages index"),
    ("/pub/pages.py/hello", "hello world"),
    ("/pub/pages.py/hello/", "hello world"),
    ("/pub/pages.page/hello", "hello world"),           # AddHandler's .page is taken off too
    ("/pub/hello.py", "hello world from index"),        # no hello.py: index.py's hello
    ("/pub/pages.py/thing", "a Thing"),                 # an instance: its str()
    ("/pub/pages.py/thing/show", "showing it"),
    ("/pub/pages.py/thing/colour", "blue"),
    ("/pub/pages.py/thing/inner/deep", "deep 1"),
    ("/pub/pages.py/thing.inner.deep", "deep 1"),       # a dot separates names as a slash does
    ("/pub/pages.py/thing/inner.depth", "inner value"),
    ("/pub/pages.py/caller", "called with 1"),          # an instance with __call__ is called
    ("/pub/pages.py/shout", "HEY!"),                    # a lambda
    ("/pub/pages.py/greeting", "a module-level string"),
    ("/pub/pages.py/answer", "42"),
    ("/pub/pages.py/colours", "['red', 'green']"),
    ("/pub/pages.py/sizes", "{'small': 1}"),
    # SetHandler: every name reaches the publisher
    ("/setp/", "setp index"),
    ("/setp/index", "setp index"),
    ("/setp/index/", "setp index"),
    ("/setp/index/hello", "hello from setp index"),
    ("/setp/index.py/hello", "hello from setp index"),
    ("/setp/hello", "hello from setp index"),           # no hello.py: index.hello
    ("/setp/section/page", "setp section page"),        # no section.py: index.section.page
    ("/setp/other", "other index"),
    ("/setp/other/", "other index"),
    ("/setp/other.py", "other index"),
    ("/setp/other/hello", "other hello world"),
    ("/setp/sub/", "sub index"),
    # PythonHandler mod_python.publisher | .py .pub
    ("/pipe/thing.py", "thing index"),
    ("/pipe/thing.py/hello", "hello from thing"),
    ("/pipe/thing.pub/hello", "hello from thing"),      # req.extension is taken off the name
    ("/pipe/thing", "plain handler for /pipe/thing"),   # no extension: the other handler
    ("/pipe/thing/hello", "plain handler for /pipe/thing/hello"),
]


@pytest.mark.parametrize("path, body", FOUND, ids=[p for p, _ in FOUND])
def test_url_reaches_object(pub_site, path, body):
    assert answer(fetch(pub_site, path)) == (200, PLAIN, body.encode())


NOT_FOUND = [
    "/pub/index",               # AddHandler .py: no extension, no publisher; no such file
    "/pub/pages",
    "/pub/pages/hello",
    "/pub/missing.py",          # no missing.py: index.missing, which does not exist
    "/pub/missing.py/x",
    "/pub/pages.py/nope",
    "/pub/pages.py/thing/nope",
    "/setp/spam",
    "/setp/other.txt",          # other.txt.py does not exist: index.other.txt
    "/setp/other.txt/hello",
    "/setp/nosuchdir/x",        # index.nosuchdir.x
    "/setp/sub/x",              # sub/index.py has no x
    "/setp/empty/",             # neither empty/index.py ...
    "/setp/empty/x",
    "/setp/empty/readme.txt",   # ... nor readme.txt.py: 404 before any module is loaded
]


@pytest.mark.parametrize("path", NOT_FOUND)
def test_missing_module_or_object_is_404(pub_site, path):
    assert answer(fetch(pub_site, path)) == (404, ERROR_TYPE, PAGE_404)


@pytest.mark.parametrize("path", ["/pub", "/setp", "/setp/sub"])
def test_directory_without_slash_redirects_before_the_publisher(pub_site, path):
    response = fetch(pub_site, path + "?x=1")
    location = "http://localhost%s/?x=1" % path
    assert answer(response) == (301, ERROR_TYPE, page_301(location))
    assert response.headers["Location"] == location


def test_filename_is_rewritten_to_the_module(make_site):
    client = make_site("""
        DocumentRoot htdocs
        <Directory htdocs>
            SetHandler mod_python
            PythonHandler mod_python.publisher
        </Directory>
    """, {"htdocs/index.py": """
        def where(req):
            return "%s %s %s" % (req.filename.rsplit("/", 2)[-2:], req.path_info, req.uri)
    """})
    assert client.get("/where/").text == "['htdocs', 'index.py'] / /where/"


def test_extension_mapped_by_addhandler_is_taken_off(make_site):
    client = make_site("""
        DocumentRoot htdocs
        <Directory htdocs>
            AddHandler mod_python .psp
            PythonHandler mod_python.publisher
        </Directory>
    """, {"htdocs/shop.py": "def index(req):\n    return 'shop'\n"})
    # foo.psp -> module foo -> foo.py (req.get_addhandler_exts() says "psp")
    assert answer(client.get("/shop.psp")) == (200, PLAIN, b"shop")
