"""mod_python.Cookie: header text, parsing, signing and marshalling, and cookies over HTTP.

Expected header texts were taken from Apache 2.4 + mod_python 3.5 for the
plain Cookie class (tests/session/test_reference.py checks them there);
signatures are computed here independently with :mod:`hmac`.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import marshal

import pytest

from modpy_compat import cookie as engine
from mod_python import Cookie  # resolved through the legacy namespace modpy_compat installs

SECRET = "s3cret"


def sign(name, value, secret=SECRET):
    return hmac.new(secret.encode(), (name + value).encode(), hashlib.md5).hexdigest()


# -- header text ------------------------------------------------------------------------

def _fmt_all_attributes():
    c = Cookie.Cookie("n", "v", path="/", secure=False, max_age=10, httponly=1)
    c.expires = 0
    return c


def _fmt_rfc2965():
    c = Cookie.Cookie("a", "b c", domain=".example.com", version=1, comment="hi there", discard=0, port="80")
    c.expires = 1700000000.7
    c.commentURL = "http://x"
    return c


@pytest.mark.parametrize("make, text", [
    (lambda: Cookie.Cookie("n", "v"), "n=v"),
    (_fmt_all_attributes, "n=v; path=/; secure; expires=Thu, 01-Jan-1970 00:00:00 GMT; max_age=10; httponly"),
    (_fmt_rfc2965, "a=b c; version=1; domain=.example.com; comment=hi there; "
                   "expires=Tue, 14-Nov-2023 22:13:20 GMT; commentURL=http://x; discard; port=80"),
    (lambda: Cookie.Cookie("p", "v", expires="Sun, 09-Sep-2001 01:46:40 GMT", path="/p"),
     "p=v; path=/p; expires=Sun, 09-Sep-2001 01:46:40 GMT"),
    (lambda: Cookie.Cookie("n", "v", expires=-1), "n=v; expires=Wed, 31-Dec-1969 23:59:59 GMT"),
    (lambda: Cookie.Cookie("n", "v", Path="/Upper", SameSite="Lax"), "n=v; path=/Upper; samesite=Lax"),
    (lambda: Cookie.Cookie("n", 42), "n=42"),
], ids=["bare", "flags-and-max_age", "rfc2965", "expires-string", "expires-negative", "keywords-lowercased",
        "non-string-value"])
def test_str_writes_attributes_in_mod_python_order(make, text):
    assert str(make()) == text


def test_repr_names_the_class():
    assert repr(Cookie.Cookie("n", "v", path="/")) == "<Cookie: n=v; path=/>"
    assert repr(Cookie.SignedCookie("n", "v", SECRET)) == "<SignedCookie: n=%sv>" % sign("n", "v")


def test_unset_attributes_are_absent_and_unknown_ones_refused():
    c = Cookie.Cookie("n", "v")
    assert not hasattr(c, "path") and not hasattr(c, "expires")
    with pytest.raises(AttributeError, match="'Cookie' object has no attribute 'bogus'"):
        Cookie.Cookie("n", "v", bogus=1)

    class Mine(Cookie.Cookie):
        pass
    with pytest.raises(AttributeError):
        Mine("n", "v").colour = "red"


@pytest.mark.parametrize("text", [
    "Sun, 09-Sep-2001 01:46:40 GMT",
    "sun, 9-sep-2001 1:46:40 GMT",          # strptime is lenient about case and digits
    "Mon, 09-Sep-2001 01:46:40 GMT",        # and does not check the weekday
])
def test_expires_accepts_netscape_dates_as_given(text):
    c = Cookie.Cookie("n", "v")
    c.expires = text
    assert c.expires == text


@pytest.mark.parametrize("text", [
    "Sun, 09 Sep 2001 01:46:40 GMT",        # RFC 1123 form: no dashes
    "Sun, 31-Feb-2001 01:46:40 GMT",
    "Sun, 09-Sep-01 01:46:40 GMT",
    "Sun, 09-Sep-2001 01:46:40",
    "1700000000",
])
def test_expires_refuses_other_strings(text):
    with pytest.raises(ValueError, match="Invalid expires time: " + text):
        Cookie.Cookie("n", "v").expires = text


# -- parsing ----------------------------------------------------------------------------

@pytest.mark.parametrize("header, expected", [
    ("a=b", {"a": "b"}),
    ("a=b; c=d", {"a": "b", "c": "d"}),
    ("a=b ; c=d", {"a": "b ", "c": "d"}),                        # trailing spaces kept
    ('c="x y"; d=e', {"c": '"x y"', "d": "e"}),                  # quotes kept
    ('q="a;b"', {"q": '"a;b"'}),
    ("flag; a=b", {"flag": "", "a": "b"}),
    ("$Version=1; a=b; $Path=/", {"a": "b"}),
    ("d = e=f,  g=h", {"d": "e=f,  g=h"}),
    ("a=1, c=2", {"a": "1, c=2"}),                               # Apache joins Cookie headers so
    ("a=1; a=2", {"a": "2"}),
    ("spam=foo; path=blah", {"spam": "foo", "path": "blah"}),
    ("", {}),
    (";;=x", {"x": ""}),                                         # a name is looked for past junk
], ids=lambda v: repr(v) if isinstance(v, str) else None)
def test_parse_reads_headers_as_mod_python(header, expected):
    assert {k: c.value for k, c in Cookie.Cookie.parse(header).items()} == expected


def test_parse_keeps_only_the_names_asked_for():
    assert list(Cookie.Cookie.parse("a=1; b=2; c=3", names=["b"])) == ["b"]


# -- signing ------------------------------------------------------------------------------

def test_signature_matches_mod_python_3_3_1():
    # The worked example of the API reference (§11.2): HMAC-MD5(secret, name + value).
    assert str(Cookie.SignedCookie("eggs", "cwQAAABzcGFt", secret="secret")) == \
        "eggs=d049b2b61adb6a1d895646719a3dc30bcwQAAABzcGFt"


def test_signed_cookie_round_trip_strips_the_signature():
    header = str(Cookie.SignedCookie("user", "alice", SECRET, path="/")).split(";")[0]
    cookies = Cookie.SignedCookie.parse(header, SECRET)
    assert type(cookies["user"]) is Cookie.SignedCookie
    assert cookies["user"].value == "alice"


def test_signing_without_a_secret_is_an_error():
    with pytest.raises(Cookie.CookieError, match="Cannot sign without a secret"):
        str(Cookie.SignedCookie("user", "alice"))


TAMPERED = {
    "value changed": "user=%sadmin" % sign("user", "alice"),
    "signature changed": "user=%salice" % ("0" * 32),
    "wrong secret": "user=%salice" % sign("user", "alice", "other"),
    "no signature": "user=alice",
    "name changed": "admin=%salice" % sign("user", "alice"),
}


@pytest.mark.parametrize("header", TAMPERED.values(), ids=TAMPERED.keys())
def test_tampered_signed_cookie_is_downgraded_ignored_or_raised(header):
    name, raw = header.split("=", 1)
    downgraded = Cookie.SignedCookie.parse(header, SECRET)[name]
    assert type(downgraded) is Cookie.Cookie and downgraded.value == raw
    assert Cookie.SignedCookie.parse(header, SECRET, Cookie.Cookie.IGNORE) == {}
    with pytest.raises(Cookie.CookieError, match="Incorrectly Signed Cookie: %s=%s" % (name, raw)):
        Cookie.SignedCookie.parse(header, SECRET, Cookie.Cookie.EXCEPTION)


def test_no_secret_verifies_nothing():
    assert Cookie.SignedCookie.parse("user=%salice" % sign("user", "alice"), None, Cookie.Cookie.IGNORE) == {}


def test_marshal_cookie_round_trip():
    value = {"cart": [1, 2, 3], "total": 9.5, "name": "caf\u00e9", "ok": True}
    header = str(Cookie.MarshalCookie("m", value, SECRET)).split(";")[0]
    encoded = header[len("m=") + 32:]
    assert header == "m=%s%s" % (sign("m", encoded), encoded)
    assert marshal.loads(base64.b64decode(encoded)) == value
    cookie = Cookie.MarshalCookie.parse(header, SECRET)["m"]
    assert type(cookie) is Cookie.MarshalCookie and cookie.value == value


def test_marshal_cookie_never_unmarshals_unverified_data(monkeypatch):
    calls = []
    monkeypatch.setattr(engine.marshal, "loads", lambda data: calls.append(data))
    encoded = base64.b64encode(marshal.dumps({"admin": True})).decode()
    for header in ("m=" + encoded, "m=%s%s" % ("f" * 32, encoded), "m=%s%s" % (sign("m", encoded, "x"), encoded)):
        cookie = Cookie.MarshalCookie.parse(header, SECRET)["m"]
        assert type(cookie) is Cookie.Cookie
    assert calls == []


@pytest.mark.parametrize("payload, message", [
    ("!!!not base64", "Cannot base64 Decode Cookie"),
    (base64.b64encode(b"\xff\x00junk").decode(), "Cannot Unmarshal Cookie"),
])
def test_signed_but_undecodable_marshal_cookie(payload, message):
    header = "m=%s%s" % (sign("m", payload), payload)
    with pytest.raises(Cookie.CookieError, match=message):
        Cookie.MarshalCookie.parse(header, SECRET, Cookie.Cookie.EXCEPTION)
    assert Cookie.MarshalCookie.parse(header, SECRET)["m"].value == payload


# -- over HTTP ----------------------------------------------------------------------------

COOKIE_SITE = """
    DocumentRoot htdocs
    <Directory htdocs>
        SetHandler mod_python
        PythonHandler cookie_probe
    </Directory>
"""

COOKIE_HANDLER = '''
    from mod_python import apache, Cookie

    SECRET = "s3cret"
    MODES = {"downgrade": Cookie.Cookie.DOWNGRADE, "ignore": Cookie.Cookie.IGNORE,
             "exception": Cookie.Cookie.EXCEPTION}

    def handler(req):
        req.content_type = "text/plain"
        if req.args == "set":
            Cookie.add_cookie(req, "plain", "hello", path="/", expires=1700000000)
            Cookie.add_cookie(req, Cookie.SignedCookie("signed", "alice", SECRET, httponly=1))
            Cookie.add_cookie(req, Cookie.MarshalCookie("marshal", {"cart": [1, 2]}, SECRET, secure=1))
            return apache.OK
        mode = MODES[req.args or "downgrade"]
        found = [Cookie.get_cookie(req, "plain"),
                 Cookie.get_cookie(req, "signed", Cookie.SignedCookie, secret=SECRET, mismatch=mode),
                 Cookie.get_cookie(req, "marshal", Cookie.MarshalCookie, secret=SECRET, mismatch=mode)]
        for c in found:
            req.write("%s\\n" % ("None" if c is None else "%s %s %r" % (c.name, type(c).__name__, c.value)))
        return apache.OK
'''


@pytest.fixture
def cookie_site(make_site):
    return make_site(COOKIE_SITE, {"htdocs/cookie_probe.py": COOKIE_HANDLER})


def _cookie_header(response):
    return "; ".join(value.split(";")[0] for value in response.headers.getall("Set-Cookie"))


def test_add_cookie_sends_cache_control_then_each_set_cookie(cookie_site):
    response = cookie_site.get("/?set")
    assert response.status == "200 OK"
    headers = [(k, v) for k, v in response.headerlist if k in ("Cache-Control", "Set-Cookie")]
    assert headers[:3] == [
        ("Cache-Control", 'no-cache="set-cookie"'),
        ("Set-Cookie", "plain=hello; path=/; expires=Tue, 14-Nov-2023 22:13:20 GMT"),
        ("Set-Cookie", "signed=%salice; httponly" % sign("signed", "alice")),
    ]
    # marshal output varies with reference counts, so decode rather than compare bytes
    name, _, rest = headers[3][1].partition("=")
    value, _, attributes = rest.partition("; ")
    assert (headers[3][0], name, attributes) == ("Set-Cookie", "marshal", "secure")
    assert value[:32] == sign("marshal", value[32:])
    assert marshal.loads(base64.b64decode(value[32:])) == {"cart": [1, 2]}


def test_cookies_come_back_verified(cookie_site):
    header = _cookie_header(cookie_site.get("/?set"))
    response = cookie_site.get("/", headers={"Cookie": header})
    assert response.text == "plain Cookie 'hello'\nsigned SignedCookie 'alice'\nmarshal MarshalCookie {'cart': [1, 2]}\n"


def test_tampered_cookies_are_rejected_over_http(cookie_site):
    header = _cookie_header(cookie_site.get("/?set")).replace("alice", "admin").replace("marshal=", "marshal=0")
    bad_signed = "%sadmin" % sign("signed", "alice")
    response = cookie_site.get("/", headers={"Cookie": header})
    assert response.text.splitlines()[1] == "signed Cookie %r" % bad_signed
    assert response.text.splitlines()[2].startswith("marshal Cookie '0")
    response = cookie_site.get("/?ignore", headers={"Cookie": header})
    assert response.text == "plain Cookie 'hello'\nNone\nNone\n"
    response = cookie_site.get("/?exception", headers={"Cookie": header})
    assert response.status == "500 Internal Server Error"


def test_no_cookie_header_means_no_cookies(cookie_site):
    assert cookie_site.get("/").text == "None\nNone\nNone\n"
