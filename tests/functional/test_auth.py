"""Authentication and authorisation: PythonAuthenHandler, PythonAuthzHandler and Require.

The expected responses are those of Apache 2.4 with mod_python 3.5 loaded
before mod_auth_basic (the 401 page is Apache's built-in one, 421 bytes).
"""
from __future__ import annotations

import base64
import os

import pytest

from tests.support.pages import HTML_ERROR, PAGE_401, PAGE_403, PAGE_500

CHALLENGE = 'Basic realm="Secure Area"'

# The tutorial's authentication handler, plus a content handler showing who got in.
TUTORIAL = """\
from mod_python import apache


def authenhandler(req):
    pw = req.get_basic_auth_pw()
    user = req.user
    if user == "spam" and pw == "eggs":
        return apache.OK
    return apache.HTTP_UNAUTHORIZED


def handler(req):
    req.content_type = "text/plain"
    req.write("welcome %s (%s)" % (req.user, req.ap_auth_type))
    return apache.OK
"""


def basic(credentials):
    """An Authorization header value for ``credentials`` (str or bytes)."""
    if isinstance(credentials, str):
        credentials = credentials.encode("utf-8")
    return "Basic " + base64.b64encode(credentials).decode("ascii")


def auth_site(site, require="Require valid-user", authen="auth", authz=None, files=None,
              extra=""):
    lines = ["<Directory app>", "    SetHandler mod_python", "    PythonHandler auth",
             "    AuthType Basic", '    AuthName "Secure Area"']
    if require:
        lines += ["    " + line for line in require.splitlines()]
    if authen:
        lines.append("    PythonAuthenHandler %s" % authen)
    if authz:
        lines.append("    PythonAuthzHandler %s" % authz)
    if extra:
        lines += ["    " + line for line in extra.splitlines()]
    lines.append("</Directory>")
    return site("\n".join(lines) + "\n", dict({"app/auth.py": TUTORIAL}, **(files or {})))


def ran(site, name="ran.txt"):
    path = os.path.join(str(site.root), "app", name)
    if not os.path.exists(path):
        return []
    with open(path) as fh:
        return fh.read().split()


MARKING = """\
import os
from mod_python import apache

def mark(what):
    with open(os.path.join(os.path.dirname(__file__), "ran.txt"), "a") as fh:
        fh.write(what + "\\n")
"""


def assert_challenge(res):
    assert res.status == "401 Unauthorized"
    assert res.headers.getall("WWW-Authenticate") == [CHALLENGE]
    assert res.headers["Content-Type"] == HTML_ERROR
    assert res.headers["Content-Length"] == "421"
    assert res.text == PAGE_401


# -- the tutorial's Basic authentication -------------------------------------------------


def test_basic_auth_without_credentials_gets_the_challenge(site):
    res = auth_site(site).get("/app/page")

    assert_challenge(res)


def test_basic_auth_with_a_wrong_password_gets_the_same_challenge(site):
    res = auth_site(site).get("/app/page", headers={"Authorization": basic("spam:ham")})

    assert_challenge(res)


def test_basic_auth_with_the_right_password_gets_the_page(site):
    res = auth_site(site).get("/app/page", headers={"Authorization": basic("spam:eggs")})

    assert res.status == "200 OK"
    assert "WWW-Authenticate" not in res.headers
    assert res.headers["Content-Type"] == "text/plain"
    assert res.text == "welcome spam (Basic)"


def test_authen_401_without_calling_get_basic_auth_pw_still_challenges(site):
    # FINDINGS d: any 401 out of the authen phase of an AuthType Basic
    # directory carries the challenge.
    res = auth_site(site, authen="deny", files={"app/deny.py": """
        from mod_python import apache

        def authenhandler(req):
            return apache.HTTP_UNAUTHORIZED
        """}).get("/app/page", headers={"Authorization": basic("spam:eggs")})

    assert_challenge(res)


def test_authen_ok_without_setting_req_user_is_a_500(site, caplog):
    res = auth_site(site, authen="lazy", files={"app/lazy.py": """
        from mod_python import apache

        def authenhandler(req):
            return apache.OK
        """}).get("/app/page", headers={"Authorization": basic("spam:eggs")})

    assert res.status == "500 Internal Server Error"
    assert "WWW-Authenticate" not in res.headers
    assert res.text == PAGE_500
    assert "After PythonAuthenHandler req->user is NULL" in caplog.text


def test_authen_ok_without_user_keeps_the_challenge_get_basic_auth_pw_noted(site):
    # Real Apache: get_basic_auth_pw() without credentials notes the
    # challenge in err_headers_out, and the 500 page keeps it.
    res = auth_site(site, authen="lazy", files={"app/lazy.py": """
        from mod_python import apache

        def authenhandler(req):
            req.get_basic_auth_pw()
            return apache.OK
        """}).get("/app/page")

    assert res.status == "500 Internal Server Error"
    assert res.headers["WWW-Authenticate"] == CHALLENGE
    assert res.text == PAGE_500


@pytest.mark.parametrize("authen", ["shy", None], ids=["declined", "absent"])
def test_no_python_authentication_with_require_valid_user_challenges(site, authen):
    res = auth_site(site, authen=authen, files={"app/shy.py": """
        from mod_python import apache

        def authenhandler(req):
            return apache.DECLINED
        """}).get("/app/page")

    assert_challenge(res)


def test_authen_error_status_other_than_401_is_sent_without_challenge(site):
    res = auth_site(site, authen="nope", files={"app/nope.py": """
        from mod_python import apache

        def authenhandler(req):
            return apache.HTTP_FORBIDDEN
        """}).get("/app/page", headers={"Authorization": basic("spam:eggs")})

    assert res.status == "403 Forbidden"
    assert "WWW-Authenticate" not in res.headers
    assert res.text == PAGE_403


def test_authen_handler_exception_with_debug_names_the_authen_phase(site):
    res = auth_site(site, authen="boom", extra="PythonDebug On", files={"app/boom.py": """
        def authenhandler(req):
            raise ValueError("auth boom")
        """}).get("/app/page")

    assert res.status == "500 Internal Server Error"
    assert res.headers["Content-Type"] == "text/html"
    assert res.text.startswith('\n<pre>\nMod_python error: "PythonAuthenHandler boom"\n\n'
                               "Traceback (most recent call last):\n")
    assert res.text.endswith("\nValueError: auth boom\n\n</pre>\n")
    assert "PythonAuthenHandler boom: ValueError: auth boom" in res.errors


# -- authorisation -----------------------------------------------------------------------


AUTHZ = """\
from mod_python import apache

def authenhandler(req):
    req.get_basic_auth_pw()
    return apache.OK if req.user else apache.HTTP_UNAUTHORIZED

def ok(req):
    return apache.OK

def declined(req):
    return apache.DECLINED

def forbidden(req):
    return apache.HTTP_FORBIDDEN

def unauthorized(req):
    return apache.HTTP_UNAUTHORIZED
"""


@pytest.mark.parametrize("authz, require, user, status", [
    ("ok", "Require valid-user", "carol", "200 OK"),
    ("declined", "Require valid-user", "carol", "200 OK"),
    ("forbidden", "Require valid-user", "carol", "403 Forbidden"),
    # a Python authz OK is final: Require is not looked at
    ("ok", "Require user alice bob", "carol", "200 OK"),
    ("declined", "Require user alice bob", "alice", "200 OK"),
    ("declined", "Require user alice bob", "bob", "200 OK"),
], ids=["ok", "declined-valid-user", "forbidden", "ok-beats-require-user",
        "declined-user-listed", "declined-second-user-listed"])
def test_authz_handler_results(site, authz, require, user, status):
    client = auth_site(site, require=require, authen="authz", authz="authz::" + authz,
                       files={"app/authz.py": AUTHZ})

    res = client.get("/app/page", headers={"Authorization": basic(user + ":pw")})

    assert res.status == status
    assert "WWW-Authenticate" not in res.headers
    if status == "200 OK":
        assert res.text == "welcome %s (Basic)" % user
    else:
        assert res.text == PAGE_403


def test_require_user_not_listed_when_authz_declines_challenges(site, caplog):
    client = auth_site(site, require="Require user alice bob", authen="authz",
                       authz="authz::declined", files={"app/authz.py": AUTHZ})

    res = client.get("/app/page", headers={"Authorization": basic("carol:pw")})

    assert_challenge(res)
    assert "carol" in caplog.text


def test_require_user_without_python_authz(site):
    client = auth_site(site, require="Require user alice", authen="authz",
                       files={"app/authz.py": AUTHZ})

    assert client.get("/app/page", headers={"Authorization": basic("alice:pw")}).status == "200 OK"
    assert_challenge(client.get("/app/page", headers={"Authorization": basic("bob:pw")}))


def test_authz_returning_401_sends_no_challenge(site):
    # Real Apache 2.4 + mod_python 3.5: only the authen phase (or
    # get_basic_auth_pw) adds WWW-Authenticate; an authz 401 goes out bare.
    client = auth_site(site, authen="authz", authz="authz::unauthorized",
                       files={"app/authz.py": AUTHZ})

    res = client.get("/app/page", headers={"Authorization": basic("carol:pw")})

    assert res.status == "401 Unauthorized"
    assert "WWW-Authenticate" not in res.headers
    assert res.text == PAGE_401


def test_authz_does_not_run_when_authentication_fails(site):
    client = auth_site(site, authen="marked", authz="marked::authz", files={"app/marked.py": MARKING + """

def authenhandler(req):
    mark("authen")
    return apache.HTTP_UNAUTHORIZED

def authz(req):
    mark("authz")
    return apache.OK
"""})

    assert_challenge(client.get("/app/page"))
    assert ran(site) == ["authen"]


# -- when authentication runs at all ---------------------------------------------------------


WATCHER = MARKING + """

def authenhandler(req):
    mark("authen")
    req.user = "watched"
    return apache.OK

def authzhandler(req):
    mark("authz")
    return apache.OK
"""


def test_require_all_granted_never_runs_authentication(site):
    client = auth_site(site, require="Require all granted", authen="watch", authz="watch",
                       files={"app/watch.py": WATCHER})

    res = client.get("/app/page")

    assert res.status == "200 OK"
    assert res.text == "welcome None (None)"
    assert ran(site) == []


def test_require_all_denied_is_403_without_authentication(site):
    client = auth_site(site, require="Require all denied", authen="watch",
                       files={"app/watch.py": WATCHER})

    res = client.get("/app/page")

    assert res.status == "403 Forbidden"
    assert res.headers["Content-Type"] == HTML_ERROR
    assert res.headers["Content-Length"] == "239"
    assert "WWW-Authenticate" not in res.headers
    assert res.text == PAGE_403
    assert ran(site) == []


def test_require_ip_grants_the_client_address_without_authentication(site):
    client = auth_site(site, require="Require ip 127.0.0.1", authen="watch",
                       files={"app/watch.py": WATCHER})

    allowed = client.get("/app/page")
    other = client.get("/app/page", extra_environ={"REMOTE_ADDR": "10.1.2.3"})

    assert allowed.status == "200 OK"
    assert allowed.text == "welcome None (None)"
    assert other.status == "403 Forbidden"
    assert other.text == PAGE_403
    assert ran(site) == []


def test_require_ip_network_and_valid_user_are_alternatives(site):
    client = auth_site(site, require="Require ip 192.168.0.0/16\nRequire valid-user",
                       authen="watch", files={"app/watch.py": WATCHER})

    inside = client.get("/app/page", extra_environ={"REMOTE_ADDR": "192.168.4.5"})
    outside = client.get("/app/page", extra_environ={"REMOTE_ADDR": "10.0.0.1"})

    assert inside.text == "welcome None (None)"
    assert outside.text == "welcome watched (None)"
    assert ran(site) == ["authen"]


def test_require_inside_limit_applies_only_to_the_listed_methods(site):
    client = auth_site(site, require="<Limit POST>\nRequire valid-user\n</Limit>")

    get = client.get("/app/page")
    post = client.post("/app/page", "")
    post_ok = client.post("/app/page", "", headers={"Authorization": basic("spam:eggs")})

    assert get.status == "200 OK"
    assert get.text == "welcome None (None)"
    assert_challenge(post)
    assert post_ok.text == "welcome spam (Basic)"


def test_require_inside_limit_except(site):
    client = auth_site(site, require="<LimitExcept GET>\nRequire valid-user\n</LimitExcept>")

    assert client.get("/app/page").status == "200 OK"
    assert_challenge(client.post("/app/page", ""))


def test_auth_type_without_require_is_a_500(site, caplog):
    # Apache 2.4 (AH01627): AuthType configured with no authorization directives.
    client = auth_site(site, require=None, authen="watch", files={"app/watch.py": WATCHER})

    res = client.get("/app/page")

    assert res.status == "500 Internal Server Error"
    assert res.text == PAGE_500
    assert ran(site) == []
    assert "AuthType" in caplog.text


def test_no_auth_configuration_runs_no_auth_phase(site):
    client = site("""
        <Directory app>
            SetHandler mod_python
            PythonHandler auth
            PythonAuthenHandler watch
        </Directory>
        """, {"app/auth.py": TUTORIAL, "app/watch.py": WATCHER})

    res = client.get("/app/page")

    assert res.status == "200 OK"
    assert res.text == "welcome None (None)"
    assert ran(site) == []


# -- req.get_basic_auth_pw and friends ----------------------------------------------------


PROBE = """\
from mod_python import apache

def authenhandler(req):
    pw = req.get_basic_auth_pw()
    req.probe = "pw=%s user=%s ap_auth_type=%r" % (ascii(pw), ascii(req.user), req.ap_auth_type)
    req.user = req.user or "anonymous"
    return apache.OK

def handler(req):
    req.content_type = "text/plain"
    req.write(req.probe)
    return apache.OK
"""


@pytest.mark.parametrize("header, expected", [
    (None, "pw=None user=None ap_auth_type=None"),
    ("Bearer abc", "pw=None user=None ap_auth_type=None"),
    ("Basic %%%", "pw='' user='' ap_auth_type='Basic'"),
    (basic("johnsecret"), "pw='' user='johnsecret' ap_auth_type='Basic'"),
    (basic(":"), "pw='' user='' ap_auth_type='Basic'"),
    (basic("john:a:b"), "pw='a:b' user='john' ap_auth_type='Basic'"),
    (basic("john:secret").replace("Basic", "basic"), "pw='secret' user='john' ap_auth_type='Basic'"),
    # the bytes are taken as latin-1, whatever the client meant
    (basic("jöhn:päss"), "pw='p\\xc3\\xa4ss' user='j\\xc3\\xb6hn' ap_auth_type='Basic'"),
], ids=["none", "bearer", "bad-base64", "no-colon", "empty", "colon-in-password",
        "lowercase-scheme", "utf8-bytes"])
def test_get_basic_auth_pw_edge_cases(site, header, expected):
    client = site("""
        <Directory app>
            SetHandler mod_python
            AuthType Basic
            AuthName "Secure Area"
            Require valid-user
            PythonAuthenHandler probe
            PythonHandler probe
        </Directory>
        """, {"app/probe.py": PROBE})

    res = client.get("/app/page", headers={"Authorization": header} if header else {})

    assert res.status == "200 OK"
    assert res.text == expected


def test_get_basic_auth_pw_without_basic_auth_type_returns_none(site):
    client = site("""
        <Directory app>
            SetHandler mod_python
            AuthType Digest
            AuthName "Secure Area"
            Require valid-user
            PythonAuthenHandler probe
            PythonHandler probe
        </Directory>
        """, {"app/probe.py": PROBE})

    res = client.get("/app/page", headers={"Authorization": basic("john:secret")})

    assert res.text == "pw=None user=None ap_auth_type=None"


def test_auth_type_auth_name_and_requires_are_reported(site):
    client = site("""
        <Directory app>
            SetHandler mod_python
            AuthType Basic
            AuthName "Secure Area"
            Require user alice bob
            Require valid-user
            <Limit POST>
                Require group editors
            </Limit>
            PythonAuthenHandler show
            PythonHandler show
        </Directory>
        """, {"app/show.py": """
        from mod_python import apache

        def authenhandler(req):
            req.seen = "authen: %r %r %r" % (req.auth_type(), req.auth_name(), req.requires())
            req.user = "alice"
            return apache.OK

        def handler(req):
            req.write(req.seen)
            return apache.OK
        """})

    get = client.get("/app/page")
    post = client.post("/app/page", "")

    assert get.text == "authen: 'Basic' 'Secure Area' ('user alice bob', 'valid-user')"
    assert post.text == ("authen: 'Basic' 'Secure Area' "
                         "('user alice bob', 'valid-user', 'group editors')")


def test_auth_type_and_name_are_none_without_configuration(site):
    client = site("""
        <Directory app>
            SetHandler mod_python
            PythonHandler show
        </Directory>
        """, {"app/show.py": """
        from mod_python import apache

        def handler(req):
            req.write("%r %r %r" % (req.auth_type(), req.auth_name(), req.requires()))
            return apache.OK
        """})

    assert client.get("/app/page").text == "None None ()"


def test_content_handler_401_without_auth_type_has_no_challenge(site):
    client = site("""
        <Directory app>
            SetHandler mod_python
            PythonHandler deny
        </Directory>
        """, {"app/deny.py": """
        from mod_python import apache

        def handler(req):
            return apache.HTTP_UNAUTHORIZED
        """})

    res = client.get("/app/page")

    assert res.status == "401 Unauthorized"
    assert "WWW-Authenticate" not in res.headers
    assert res.headers["Content-Length"] == "421"
    assert res.text == PAGE_401


def test_content_handler_may_send_its_own_challenge(site):
    client = site("""
        <Directory app>
            SetHandler mod_python
            PythonHandler deny
        </Directory>
        """, {"app/deny.py": """
        from mod_python import apache

        def handler(req):
            req.err_headers_out["WWW-Authenticate"] = 'Basic realm="Own"'
            return apache.HTTP_UNAUTHORIZED
        """})

    res = client.get("/app/page")

    assert res.status == "401 Unauthorized"
    assert res.headers["WWW-Authenticate"] == 'Basic realm="Own"'
    assert res.text == PAGE_401


@pytest.mark.parametrize("require, address, granted", [
    ("Require ip 10.1", "10.1.2.3", True),
    ("Require ip 10.1", "10.10.2.3", False),
    ("Require ip 10.1.", "10.1.200.1", True),
    ("Require ip 10.0.0.0/255.0.0.0", "10.9.9.9", True),
    ("Require ip 192.168.1.7 10.0.0.0/8", "10.3.3.3", True),
    ("Require ip 192.168.1.7", "192.168.1.8", False),
    ("Require ip 2001:db8::/32", "2001:db8::5", True),
    ("Require local", "127.0.0.1", True),
    ("Require local", "10.0.0.1", False),
    ("Require method GET HEAD", "10.0.0.1", True),
    ("Require method POST", "10.0.0.1", False),
], ids=lambda value: str(value))
def test_require_without_a_user(site, require, address, granted):
    client = auth_site(site, require=require, authen="watch", files={"app/watch.py": WATCHER})

    res = client.get("/app/page", extra_environ={"REMOTE_ADDR": address})

    assert res.status == ("200 OK" if granted else "403 Forbidden")
    assert ran(site) == []


def test_require_env_grants_when_the_variable_is_set(site):
    client = site("""
        <Directory app>
            SetHandler mod_python
            PythonHandler auth
            AuthType Basic
            AuthName "Secure Area"
            Require env LET_IN
        </Directory>
        <Directory app/open>
            SetEnv LET_IN yes
        </Directory>
        """, {"app/auth.py": TUTORIAL, "app/open/file.txt": ""})

    assert client.get("/app/page").status == "403 Forbidden"
    assert client.get("/app/open/page").text == "welcome None (None)"
