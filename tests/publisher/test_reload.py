"""Published modules: loaded by path, kept, and loaded again when their file changes."""
from __future__ import annotations

import os

from tests.publisher.conftest import ERROR_TYPE, PAGE_500, answer, fetch


def rewrite(path, text):
    """Replace a page's source and move its mtime on, so the change is seen at once."""
    before = os.stat(str(path)).st_mtime
    with open(str(path), "w") as fh:
        fh.write(text)
    os.utime(str(path), (before + 10, before + 10))


def test_changed_page_is_used_on_the_next_request(pub_site):
    page = pub_site.root / "htdocs" / "setp" / "other.py"
    assert fetch(pub_site, "/setp/other").text == "other index"
    rewrite(page, "def index(req):\n    return 'other index, second version'\n")
    assert answer(fetch(pub_site, "/setp/other")) == (200, "text/plain", b"other index, second version")


def test_autoreload_off_keeps_the_first_load(pub_site):
    page = pub_site.root / "htdocs" / "frozen" / "index.py"
    assert fetch(pub_site, "/frozen/").text == "first version"
    rewrite(page, "def index(req):\n    return 'second version'\n")
    assert answer(fetch(pub_site, "/frozen/")) == (200, "text/plain", b"first version")


def test_page_with_an_error_is_500_until_fixed(pub_site):
    page = pub_site.root / "htdocs" / "setp" / "other.py"
    rewrite(page, "def index(req)\n    return 'no colon'\n")
    assert answer(fetch(pub_site, "/setp/other")) == (500, ERROR_TYPE, PAGE_500)
    rewrite(page, "def index(req):\n    return 'fixed'\n")
    assert fetch(pub_site, "/setp/other").text == "fixed"


def test_pages_of_the_same_name_do_not_collide(pub_site):
    assert fetch(pub_site, "/pub/").text == "pub index"
    assert fetch(pub_site, "/setp/").text == "setp index"
    assert fetch(pub_site, "/setp/sub/").text == "sub index"


def test_module_state_lives_until_the_page_changes(make_site):
    client = make_site("""
        DocumentRoot htdocs
        <Directory htdocs>
            SetHandler mod_python
            PythonHandler mod_python.publisher
        </Directory>
    """, {"htdocs/index.py": "hits = []\n\ndef count(req):\n    hits.append(1)\n    return len(hits)\n"})
    assert [client.get("/count").text for _ in range(3)] == ["1", "2", "3"]
    path = os.path.join(str(make_site.root), "htdocs", "index.py")
    with open(path) as fh:
        source = fh.read()
    rewrite(path, source + "\n")
    assert client.get("/count").text == "1"


def test_page_cache_is_shared_with_the_legacy_module(pub_site):
    from modpy_compat.handlers import publisher as engine
    from modpy_compat.mod_python import publisher
    assert publisher.page_cache is engine.page_cache
    assert isinstance(publisher.page_cache, publisher.PageCache)
