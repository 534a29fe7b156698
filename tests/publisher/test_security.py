"""What the publisher refuses to traverse or publish, and with which status.

Each refusal answers Apache's built-in page and nothing of the object; the
statuses were recorded from Apache 2.4 + mod_python 3.5, except where noted
(3.5 on Python 3 lets built-in values such as an int be traversed).
"""
from __future__ import annotations

import pytest

from tests.publisher.conftest import ERROR_TYPE, PAGE_403, PAGE_404, PAGE_500, answer, fetch

PAGES = {403: PAGE_403, 404: PAGE_404, 500: PAGE_500}

REFUSED = [
    # names starting with an underscore, wherever they are
    ("/pub/pages.py/_secret", 403),
    ("/pub/pages.py/%5fsecret", 403),               # decoded before the publisher sees it
    ("/pub/pages.py/__doc__", 403),
    ("/pub/pages.py/thing/_hidden", 403),
    ("/pub/pages.py/thing/__dict__", 403),
    ("/pub/pages.py/thing/__class__/__init__", 403),
    ("/pub/pages.py/hello/__code__", 403),
    ("/pub/pages.py/hello.__globals__", 403),
    # modules, classes and builtins are neither traversed nor published
    ("/pub/pages.py/os", 403),
    ("/pub/pages.py/os/getcwd", 403),
    ("/pub/pages.py/Thing", 403),
    ("/pub/pages.py/Thing/show", 403),
    ("/pub/pages.py/length", 403),
    # functions and built-in values are published, never traversed
    ("/pub/pages.py/hello/func_code", 403),
    ("/pub/pages.py/sizes/keys", 403),
    ("/pub/pages.py/greeting/upper", 403),
    ("/pub/pages.py/colours/pop", 403),
    ("/pub/pages.py/answer/real", 403),             # 3.5 on Python 3: 200 "42"; 3.3.1: 403
    # empty names: mod_python fails with an IndexError, a 500
    ("/pub/pages.py/thing..show", 500),
    ("/pub/pages.py/thing%2e%2eshow", 500),
    ("/pub/pages.py/.hello", 500),
    ("/pub/pages.py/hello.", 500),
    # an encoded slash is refused by the server before any handler
    ("/pub/pages.py/thing%2fshow", 404),
]


@pytest.mark.parametrize("path, status", REFUSED, ids=[p for p, _ in REFUSED])
def test_refused_with_apache_page_only(pub_site, path, status):
    assert answer(fetch(pub_site, path)) == (status, ERROR_TYPE, PAGES[status])


@pytest.mark.parametrize("path, body", [
    ("/pub/pages.py//hello", b"hello world"),                 # // is one slash
    ("/pub/pages.py/../index.py", b"pub index"),              # dot segments resolved first
    ("/pub/pages.py/%2e%2e/index.py", b"pub index"),
    ("/pub/pages.py/thing/%2e/show", b"showing it"),
], ids=["double-slash", "dot-dot", "encoded-dot-dot", "encoded-dot"])
def test_path_tricks_resolve_like_the_server(pub_site, path, body):
    assert answer(fetch(pub_site, path)) == (200, "text/plain", body)


def test_refusals_are_logged_with_the_reason(pub_site, caplog):
    fetch(pub_site, "/pub/pages.py/_secret")
    fetch(pub_site, "/pub/pages.py/greeting/upper")
    fetch(pub_site, "/pub/pages.py/os")
    messages = [r.getMessage() for r in caplog.records if r.name == "mod_python"]
    assert any("Cannot traverse _secret in /pub/pages.py/_secret because it starts with an underscore"
               in m for m in messages)
    assert any("Cannot traverse upper in /pub/pages.py/greeting/upper because str object is not a "
               "traversable object" in m for m in messages)
    assert any("Cannot publish os in /pub/pages.py/os because module object is not publishable"
               in m for m in messages)


SITE = """
    DocumentRoot htdocs
    <Directory htdocs>
        SetHandler mod_python
        PythonHandler mod_python.publisher
    </Directory>
"""

KINDS = """
import abc
import enum
import io
import sys

class Plain:
    value = "plain value"
    def method(self, req):
        return "method"

class Abstract(abc.ABC):
    def method(self, req):
        return "never"

class Colour(enum.Enum):
    RED = 1

plain = Plain()
builtin_method = [].append
sys_module = sys
memory = io.StringIO("secret contents")
nothing = None
flag = True
pair = ("a", "b")
frozen = frozenset(["x"])
real = 1.5
span = range(3)

def gen():
    yield 1

generator = gen()
code = gen.__code__
"""


@pytest.mark.parametrize("path, status, body", [
    ("/plain", 200, b"<index.Plain object>"),
    ("/plain/value", 200, b"plain value"),
    ("/plain/method", 200, b"method"),
    ("/Abstract", 403, None),                  # a class, whatever its metaclass
    ("/Abstract/method", 403, None),
    ("/Colour", 403, None),
    ("/Colour/RED", 403, None),
    ("/builtin_method", 403, None),
    ("/sys_module", 403, None),
    ("/sys_module/path", 403, None),
    ("/memory/getvalue", 403, None),           # a file-like object is not traversed
    ("/nothing", 200, b""),                    # None publishes nothing
    ("/flag", 200, b"True"),
    ("/pair", 200, b"('a', 'b')"),
    ("/pair/count", 403, None),
    ("/frozen", 200, b"frozenset({'x'})"),
    ("/real/imag", 403, None),
    ("/span/start", 403, None),
    ("/generator/gi_code", 403, None),
    ("/code", 200, None),                      # publishable, as in mod_python (its str())
    ("/code/co_filename", 403, None),
])
def test_type_table(make_site, path, status, body):
    client = make_site(SITE, {"htdocs/index.py": KINDS.replace(
        "class Plain:", "class Plain:\n    def __str__(self):\n        return '<index.Plain object>'\n")})
    response = client.get(path)
    assert response.status_int == status
    if status == 403:
        assert answer(response) == (403, ERROR_TYPE, PAGE_403)
    elif body is not None:
        assert response.body == body


def test_tp_rules_of_the_legacy_module_drive_the_handler(make_site):
    import types
    from modpy_compat.mod_python import publisher
    client = make_site(SITE, {"htdocs/index.py": (
        "import types\nbag = types.SimpleNamespace(item='in the bag')\n")})
    assert answer(client.get("/bag/item")) == (403, ERROR_TYPE, PAGE_403)   # from the types module
    publisher.tp_rules[types.SimpleNamespace] = (True, True)
    try:
        assert answer(client.get("/bag/item")) == (200, "text/plain", b"in the bag")
    finally:
        publisher.tp_rules[types.SimpleNamespace] = publisher.default_builtins_tp_rule


def test_imported_functions_are_published_as_mod_python_does(pub_site):
    # mod_python does not look at __module__: import private helpers as _name.
    assert answer(fetch(pub_site, "/pub/pages.py/escape?s=%26")) == (200, "text/plain", b"&amp;")


def test_property_code_runs_during_traversal(make_site):
    client = make_site(SITE, {"htdocs/index.py": """
        class Lazy:
            @property
            def _private(self):
                raise RuntimeError("never reached")
            @property
            def value(self):
                return "computed"
            @property
            def missing(self):
                raise AttributeError("gone")

        lazy = Lazy()
    """})
    assert client.get("/lazy/value").text == "computed"
    assert client.get("/lazy/_private").status_int == 403
    assert answer(client.get("/lazy/missing")) == (404, ERROR_TYPE, PAGE_404)
