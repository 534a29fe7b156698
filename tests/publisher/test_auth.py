"""``__auth__``, ``__access__`` and ``__auth_realm__`` at module, function and object level.

Without credentials the answers were recorded from Apache 2.4 + mod_python
3.5.  With credentials 3.5 on Python 3 always answers 400 (it calls
``base64.decodestring``, gone since Python 3.9), and its function-level
lookup reads the wrong constants (500 or a wrong decision); there these
tests pin mod_python 3.3.1's documented behaviour.
"""
from __future__ import annotations

import base64
import logging

import pytest

from tests.publisher.conftest import ERROR_TYPE, PAGE_400, PAGE_401, PAGE_403, answer, fetch

PLAIN = "text/plain"


def basic(user, password):
    credentials = ("%s:%s" % (user, password)).encode("utf-8")
    return {"Authorization": "Basic " + base64.b64encode(credentials).decode("ascii")}


DIGEST = {"Authorization": 'Digest username="dave", realm="Guarded module", nonce="dcd98b7102dd2f0e", '
                           'uri="/pub/guarded.py/page", response="6629fae49393a05397450978507c4ef1"'}


def challenge(response):
    return response.headers.get("WWW-Authenticate")


# (URL, credentials, status, body or None for the error page, WWW-Authenticate)
CASES = [
    # module level: a function
    ("/pub/guarded.py", None, 401, None, 'Basic realm="Guarded module"'),
    ("/pub/guarded.py/page", None, 401, None, 'Basic realm="Guarded module"'),
    ("/pub/guarded.py/missing", None, 401, None, 'Basic realm="Guarded module"'),   # before the 404
    ("/pub/guarded.py/__auth__", None, 401, None, 'Basic realm="Guarded module"'),  # before the 403
    ("/pub/guarded.py/page", ("dave", "module pw"), 200, b"guarded page", None),
    ("/pub/guarded.py/page", ("dave", "wrong"), 401, None, 'Basic realm = "Guarded module"'),
    ("/pub/guarded.py/page", ("", "module pw"), 401, None, 'Basic realm="Guarded module"'),
    # module level: a password dict and a user list
    ("/pub/members.py", None, 401, None, 'Basic realm="Members"'),
    ("/pub/members.py", ("erin", "erin pw"), 200, b"members only", None),
    ("/pub/members.py", ("erin", "frank pw"), 401, None, 'Basic realm = "Members"'),
    ("/pub/members.py", ("frank", "frank pw"), 403, None, None),                     # not in __access__
    # function level: nested definitions
    ("/pub/funcauth.py", None, 200, b"public function", None),
    ("/pub/funcauth.py/protected", None, 401, None, 'Basic realm="Function realm"'),
    ("/pub/funcauth.py/protected", ("alice", "wonderland"), 200, b"protected function", None),
    ("/pub/funcauth.py/protected", ("alice", "looking glass"), 401, None, 'Basic realm = "Function realm"'),
    ("/pub/funcauth.py/anonymous_access", None, 200, b"anonymous welcome", None),   # __access__(req, None)
    ("/pub/funcauth.py/anonymous_access", ("x", "y"), 403, None, None),
    # function level: constants
    ("/pub/funcauth.py/denied", None, 401, None, 'Basic realm="unknown"'),
    ("/pub/funcauth.py/denied", ("bob", "builder"), 401, None, 'Basic realm = "unknown"'),
    ("/pub/funcauth.py/granted", None, 401, None, 'Basic realm="unknown"'),          # still wants a user
    ("/pub/funcauth.py/granted", ("anyone", "anything"), 200, b"granted function", None),
    ("/pub/funcauth.py/closed", None, 403, None, None),
    ("/pub/funcauth.py/closed", ("bob", "builder"), 403, None, None),
    ("/pub/funcauth.py/table", ("bob", "builder"), 200, b"table function", None),
    ("/pub/funcauth.py/table", ("bob", "digger"), 401, None, 'Basic realm = "unknown"'),
    ("/pub/funcauth.py/listed", ("bob", "builder"), 200, b"listed function", None),
    ("/pub/funcauth.py/listed", ("wendy", "wendy pw"), 403, None, None),
    # function attributes: only __auth_realm__ is looked at
    ("/pub/funcauth.py/realm_attribute", None, 200, b"attribute realm", None),
    ("/pub/funcauth.py/attribute_auth", None, 200, b"function attributes are not looked at", None),
    # object level: checked for every object on the way
    ("/pub/objauth.py/vault", None, 401, None, 'Basic realm="Vault"'),
    ("/pub/objauth.py/vault/open", None, 401, None, 'Basic realm="Vault"'),
    ("/pub/objauth.py/vault/missing", None, 401, None, 'Basic realm="Vault"'),
    ("/pub/objauth.py/vault/open", ("carol", "carol pw"), 200, b"vault opened", None),
    ("/pub/objauth.py/vault/open", ("dan", "dan pw"), 403, None, None),
    ("/pub/objauth.py/shelf/book", None, 403, None, None),
    ("/pub/objauth.py/shelf/missing", None, 403, None, None),
    ("/pub/objauth.py/porch/mat", None, 401, None, 'Basic realm="unknown"'),
    ("/pub/objauth.py/porch/mat", ("any", "one"), 200, b"welcome mat", None),
    ("/pub/objauth.py/gate/enter", ("any", "gate pw"), 200, b"through the gate", None),
    ("/pub/objauth.py/gate/enter", ("any", "wall"), 401, None, 'Basic realm = "unknown"'),
]


def _id(case):
    path, credentials, status = case[:3]
    return "%s-%s-%d" % (path, ":".join(credentials) if credentials else "anonymous", status)


@pytest.mark.parametrize("path, credentials, status, body, www_authenticate", CASES,
                         ids=[_id(c) for c in CASES])
def test_auth(pub_site, path, credentials, status, body, www_authenticate):
    response = fetch(pub_site, path, headers=basic(*credentials) if credentials else None)
    if body is None:
        body = {401: PAGE_401, 403: PAGE_403}[status]
    content_type = PLAIN if status == 200 else ERROR_TYPE
    assert answer(response) == (status, content_type, body)
    assert challenge(response) == www_authenticate


@pytest.mark.parametrize("headers", [
    DIGEST,                                                      # a Digest answer does not decode
    {"Authorization": "Basic !!!"},                              # decodes to nothing: no ":"
    {"Authorization": "Basic " + base64.b64encode(b"no colon").decode()},
    {"Authorization": "Basic " + base64.b64encode(b"\xff\xfe:x").decode()},   # not UTF-8
    {"Authorization": "Bearer abc"},
], ids=["digest", "garbage", "no-colon", "not-utf8", "bearer"])
def test_credentials_that_do_not_decode_are_400(pub_site, headers):
    response = fetch(pub_site, "/pub/guarded.py/page", headers=headers)
    assert answer(response) == (400, ERROR_TYPE, PAGE_400)
    assert challenge(response) is None


def test_scheme_is_not_looked_at(pub_site):
    # mod_python drops the first six characters, whatever they say.
    credentials = base64.b64encode(b"dave:module pw").decode()
    for scheme in ("basic ", "BASIC ", "Xyzzy "):
        response = fetch(pub_site, "/pub/guarded.py/page", headers={"Authorization": scheme + credentials})
        assert answer(response) == (200, PLAIN, b"guarded page")


def test_headers_are_ignored_without_auth_attributes(pub_site):
    assert answer(fetch(pub_site, "/pub/pages.py/hello", headers=DIGEST)) == (200, PLAIN, b"hello world")


def test_utf8_credentials(make_site):
    client = make_site(SITE, {"htdocs/index.py": """
        __auth__ = {"j\\u00f6rg": "p\\u00e4ss"}
        def index(req):
            return "in"
    """})
    assert client.get("/", headers=basic("j\u00f6rg", "p\u00e4ss")).text == "in"


SITE = """
    DocumentRoot htdocs
    <Directory htdocs>
        SetHandler mod_python
        PythonHandler mod_python.publisher
    </Directory>
"""


def test_auth_callables_receive_request_user_and_password(make_site):
    client = make_site(SITE, {"htdocs/index.py": """
        SEEN = []

        def __auth__(req, user, passwd):
            SEEN.append(("auth", req.uri, user, passwd))
            return True

        def __access__(req, user):
            SEEN.append(("access", req.uri, user))
            return True

        def index(req):
            return repr(SEEN)
    """})
    assert client.get("/", headers=basic("u", "p:w")).text == (
        "[('auth', '/', 'u', 'p:w'), ('access', '/', 'u')]")


def test_credentials_are_decoded_once_and_passed_down(make_site):
    client = make_site(SITE, {"htdocs/index.py": """
        __auth__ = {"u": "p"}

        class Area:
            __auth_realm__ = "Inner"
            __auth__ = {"u": "other"}
            def page(self, req):
                return "never"

        area = Area()
    """})
    response = client.get("/area/page", headers=basic("u", "p"))
    assert (response.status_int, challenge(response)) == (401, 'Basic realm = "Inner"')


def test_realm_of_an_object_applies_to_the_objects_below_it(make_site):
    client = make_site(SITE, {"htdocs/index.py": """
        class Area:
            __auth_realm__ = "Upper area"
            def page(self, req):
                __auth__ = 0
                return "never"

        area = Area()
    """})
    assert challenge(client.get("/area/page")) == 'Basic realm="Upper area"'


FUNCTION_BODIES = [
    # (body of "def target(req):", credentials, status)
    ('__access__ = ("bob",)', ("bob", "x"), 200),
    ('__access__ = {"bob", "amy"}', ("amy", "x"), 200),
    ('__access__ = {"bob", "amy"}', ("eve", "x"), 403),
    ("__auth__ = USERS", ("bob", "pw"), 200),                       # a module-level name
    ("__auth__ = USERS", ("bob", "no"), 401),
    ("__auth__ = check", ("bob", "pw"), 200),
    ("__auth__ = __access__ = 0", None, 401),                       # chained assignment
    ("__access__ = make_list()", None, 403),                        # computed: refused
    ("__auth__ = {'bob': PASSWORD}", ("bob", "pw"), 401),           # computed: refused
    ("__auth__, __access__ = 1, 1", ("bob", "pw"), 401),            # unpacked: refused
    ("def __auth__(req, user, passwd, expected='pw'):\n        return passwd == expected",
     ("bob", "pw"), 200),                                           # defaults are constants
    ("if req is None:\n        __access__ = 0", None, 403),         # found wherever it is
]


@pytest.mark.parametrize("body, credentials, status", FUNCTION_BODIES,
                         ids=[b.split("\n")[0] for b, _, _ in FUNCTION_BODIES])
def test_function_level_values(make_site, body, credentials, status):
    client = make_site(SITE, {"htdocs/index.py": (
        'USERS = {"bob": "pw"}\nPASSWORD = "pw"\n\n'
        "def check(req, user, passwd):\n    return passwd == 'pw'\n\n"
        "def make_list():\n    return []\n\n"
        "def target(req):\n    %s\n    return 'target'\n" % body)})
    response = client.get("/target", headers=basic(*credentials) if credentials else {})
    assert response.status_int == status
    if status == 200:
        assert response.text == "target"


def test_computed_value_refusal_is_logged(make_site, caplog):
    client = make_site(SITE, {"htdocs/index.py": """
        def make():
            return True

        def target(req):
            __access__ = make()
            return "never"
    """})
    with caplog.at_level(logging.WARNING, logger="mod_python"):
        assert client.get("/target").status_int == 403
    assert any("__access__ in target() is computed when the function runs" in r.getMessage()
               for r in caplog.records)


def test_method_level_checks_come_from_the_method_body(make_site):
    client = make_site(SITE, {"htdocs/index.py": """
        class Shop:
            def till(self, req):
                __auth_realm__ = "Till"
                __auth__ = {"clerk": "pw"}
                return "till open"

        shop = Shop()
    """})
    assert challenge(client.get("/shop/till")) == 'Basic realm="Till"'
    assert client.get("/shop/till", headers=basic("clerk", "pw")).text == "till open"


def test_auth_function_exception_is_500(make_site):
    client = make_site(SITE, {"htdocs/index.py": """
        def __auth__(req, user, passwd):
            raise RuntimeError("auth backend down")

        def index(req):
            return "never"
    """})
    assert client.get("/", headers=basic("a", "b")).status_int == 500
