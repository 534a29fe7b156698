"""Cookie and Session headers on real Apache + mod_python 3.5 and on modpy_compat, compared.

The same handlers and configuration run in a private Apache (Debian's
mod_python) and in modpy_compat; the status, ``Cache-Control``, every
``Set-Cookie`` and the body must match, session ids aside.  Only what works
in 3.5 on Python 3 is compared (plain cookies, MemorySession): its
SignedCookie and MarshalCookie raise there (see docs/compatibility.md).
"""
from __future__ import annotations

import http.client
import re

import pytest

from modpy_compat import make_app
from tests.conftest import Client, require, write_files
from tests.support.apache import ApacheServer, mod_python_available

pytestmark = pytest.mark.integration

CONF = """
DocumentRoot "{root}/htdocs"
<Directory "{root}/htdocs/app">
    SetHandler mod_python
    PythonHandler ref_session_probe
    PythonOption mod_python.session.session_type MemorySession
</Directory>
<Directory "{root}/htdocs/opts">
    SetHandler mod_python
    PythonHandler ref_session_options
    PythonOption session MemorySession
    PythonOption session_cookie_name legacy_sid
    PythonOption mod_python.session.application_domain example.org
</Directory>
<Directory "{root}/htdocs/ck">
    SetHandler mod_python
    PythonHandler ref_cookie_probe
</Directory>
"""

SESSION_PROBE = '''
    from mod_python import apache, Session

    def handler(req):
        req.content_type = "text/plain"
        if req.args == "badsid":
            try:
                Session.Session(req, sid="../../etc")
            except ValueError as exc:
                req.write("ValueError: %s" % exc)
            return apache.OK
        s = Session.Session(req)
        if req.args == "invalidate":
            s.invalidate()
        s["n"] = s.get("n", 0) + 1
        s.save()
        req.write("%s new=%s n=%d timeout=%s id=%s" % (type(s).__name__, s.is_new(), s["n"], s.timeout(), s.id()))
        return apache.OK
'''

COOKIE_PROBE = '''
    from mod_python import apache, Cookie

    def handler(req):
        req.content_type = "text/plain"
        if req.args == "set":
            c = Cookie.Cookie("n", "v", path="/", secure=False, max_age=10, httponly=1)
            c.expires = 0
            Cookie.add_cookie(req, c)
            c = Cookie.Cookie("a", "b c", domain=".example.com", version=1, comment="hi", discard=0, port="80")
            c.expires = 1700000000.7
            c.commentURL = "http://x"
            Cookie.add_cookie(req, c)
            Cookie.add_cookie(req, "plain", "val", expires="Sun, 09-Sep-2001 01:46:40 GMT", path="/p")
            req.write(repr(c))
        else:
            cookies = Cookie.get_cookies(req)
            req.write(repr(sorted((k, type(v).__name__, v.value) for k, v in cookies.items())))
            req.write(" %r" % (Cookie.get_cookie(req, "c"),))
        return apache.OK
'''

REQUESTS = [
    ("/ck/?set", None),
    ("/ck/", 'a=b ; c="x y"; $Version=1; flag; d = e=f,  g=h'),
    ("/app/", None),
    ("/app/?badsid", None),
    ("/app/", "pysid=/path/traversal/attack/bad"),
    ("/app/?invalidate", None),
    ("/opts/sub/page", None),
]


def _ids_hidden(text):
    return re.sub("[0-9a-f]{32}", "ID", text)


def _apache_answer(port, path, cookie):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
    response = conn.getresponse()
    body = response.read().decode()
    answer = (response.status, response.getheader("Cache-Control"),
              [_ids_hidden(v) for v in response.msg.get_all("Set-Cookie") or []], _ids_hidden(body))
    conn.close()
    return answer


def _our_answer(client, path, cookie):
    client.reset()
    response = client.get(path, headers={"Cookie": cookie} if cookie else {})
    return (response.status_int, response.headers.get("Cache-Control"),
            [_ids_hidden(v) for v in response.headers.getall("Set-Cookie")], _ids_hidden(response.text))


def test_cookie_and_session_headers_match_real_mod_python(tmp_path):
    require(mod_python_available(), "Apache with mod_python")
    root = tmp_path / "site"
    write_files(root, {"htdocs/app/ref_session_probe.py": SESSION_PROBE,
                       "htdocs/opts/ref_session_options.py": SESSION_PROBE,
                       "htdocs/ck/ref_cookie_probe.py": COOKIE_PROBE})
    conf = CONF.format(root=root)
    (root / "site.conf").write_text(conf)
    ours = Client(make_app(str(root / "site.conf")), extra_environ={"REMOTE_ADDR": "127.0.0.1"})
    with ApacheServer(conf, workdir=tmp_path / "apache") as apache:
        for path, cookie in REQUESTS:
            assert _our_answer(ours, path, cookie) == _apache_answer(apache.port, path, cookie), path
