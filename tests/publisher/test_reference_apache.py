"""The publisher fixture site on real Apache + mod_python 3.5 and on modpy_compat.

tests/fixtures/sites/publisher_basic (plus the tutorial's PublisherExample) is
copied into a private Apache ServerRoot and served by Apache and by
modpy_compat on waitress from the same copy; the same requests go to both
and status, Content-Type, WWW-Authenticate, Location and body must be equal
(ports and the tutorial's clock normalised).  The URLs cover traversal,
binding, publishing, authentication and the security rules, avoiding the
places where 3.5 is broken on Python 3 (form fields never bind, any
credentials give 400, function-level checks misread, built-in values
traversable): docs/publisher.md lists those.
"""
from __future__ import annotations

import http.client
import os
import re
import shutil
import tempfile

import pytest

from modpy_compat import make_app
from tests.conftest import require
from tests.support.apache import ApacheServer, mod_python_available

pytestmark = pytest.mark.integration

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURE = os.path.join(os.path.dirname(HERE), "fixtures", "sites", "publisher_basic")
TUTORIAL = os.path.join(os.path.dirname(os.path.dirname(HERE)), "examples", "tutorial", "htdocs")
COMPARED = ("Content-Type", "WWW-Authenticate", "Location")

TUTORIAL_CONF = """
<Directory htdocs/PublisherExample>
    AddHandler mod_python .py
    PythonHandler mod_python.publisher
    PythonDebug On
</Directory>
"""

REQUESTS = [
    # traversal
    ("GET", "/pub"),
    ("GET", "/pub/"),
    ("GET", "/pub/pages.py"),
    ("GET", "/pub/pages.py/"),
    ("GET", "/pub/pages.py/hello"),
    ("GET", "/pub/pages.page/hello"),
    ("GET", "/pub/hello.py"),
    ("GET", "/pub/missing.py"),
    ("GET", "/pub/pages"),
    ("GET", "/pub/pages.py/thing/inner/deep"),
    ("GET", "/pub/pages.py/thing.inner.deep"),
    ("GET", "/pub/pages.py/thing/nope"),
    ("GET", "/setp/"),
    ("GET", "/setp/index/hello"),
    ("GET", "/setp/hello"),
    ("GET", "/setp/other"),
    ("GET", "/setp/nosuchdir/x"),
    ("GET", "/setp/sub"),
    ("GET", "/setp/empty/"),
    ("GET", "/pipe/thing.pub/hello"),
    ("GET", "/pipe/thing/hello"),
    # binding (what 3.5 binds: req, defaults, a missing argument)
    ("GET", "/pub/pages.py/method"),
    ("POST", "/pub/pages.py/method"),
    ("GET", "/pub/pages.py/required"),
    ("GET", "/pub/pages.py/form_type"),
    ("GET", "/pub/pages.py/caller"),
    ("GET", "/pub/pages.py/everything"),
    # publishing
    ("GET", "/pub/pages.py/html"),
    ("GET", "/pub/pages.py/html_not_last"),
    ("GET", "/pub/pages.py/xml"),
    ("GET", "/pub/pages.py/text"),
    ("GET", "/pub/pages.py/ok"),
    ("GET", "/pub/pages.py/nothing"),
    ("GET", "/pub/pages.py/writes"),
    ("GET", "/pub/pages.py/countdown"),
    ("GET", "/pub/pages.py/returns_callable"),
    ("GET", "/pub/pages.py/status"),
    ("GET", "/pub/pages.py/moved"),
    ("GET", "/pub/pages.py/broken"),
    ("GET", "/pub/pages.py/greeting"),
    ("HEAD", "/pub/pages.py/method"),
    ("PUT", "/pub/pages.py/method"),
    # authentication without credentials
    ("GET", "/pub/guarded.py/page"),
    ("GET", "/pub/guarded.py/missing"),
    ("GET", "/pub/members.py"),
    ("GET", "/pub/funcauth.py/denied"),
    ("GET", "/pub/funcauth.py/closed"),
    ("GET", "/pub/funcauth.py/attribute_auth"),
    ("GET", "/pub/objauth.py/vault/open"),
    ("GET", "/pub/objauth.py/shelf/book"),
    ("GET", "/pub/objauth.py/porch/mat"),
    # security rules
    ("GET", "/pub/pages.py/_secret"),
    ("GET", "/pub/pages.py/%5fsecret"),
    ("GET", "/pub/pages.py/thing/__dict__"),
    ("GET", "/pub/pages.py/os"),
    ("GET", "/pub/pages.py/Thing"),
    ("GET", "/pub/pages.py/length"),
    ("GET", "/pub/pages.py/sizes/keys"),
    ("GET", "/pub/pages.py/hello/func_code"),
    ("GET", "/pub/pages.py/thing..show"),
    ("GET", "/pub/pages.py/thing%2e%2eshow"),
    ("GET", "/pub/pages.py//hello"),
    ("GET", "/pub/pages.py/%2e%2e/index.py"),
    ("GET", "/pub/pages.py/thing/%2e/show"),
    ("GET", "/pub/pages.py/thing%2fshow"),
    # the tutorial
    ("GET", "/PublisherExample/ModPythonExample.py/publisher_example"),
    ("GET", "/PublisherExample/ModPythonExample.py"),
]

_CLOCK = re.compile(rb"\w+ \d\d \w+ \d{4}, \d\d:\d\d:\d\d")


def _ask(port, method, path):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request(method, path, headers={"Host": "127.0.0.1:%d" % port})
    response = conn.getresponse()
    body = response.read()
    conn.close()
    headers = {name: response.getheader(name).replace(str(port), "PORT")
               for name in COMPARED if response.getheader(name) is not None}
    return response.status, headers, _CLOCK.sub(b"TIME", body.replace(str(port).encode(), b"PORT"))


def test_publisher_site_matches_real_mod_python():
    require(mod_python_available(), "Apache with mod_python")
    from webtest.http import StopableWSGIServer

    # Not under pytest's basetemp: a pytest session starting elsewhere makes it
    # 0700 again, and Apache's children (www-data) then see no files at all.
    with tempfile.TemporaryDirectory(prefix="modpy-publisher-") as scratch:
        workdir = os.path.join(scratch, "apache")
        shutil.copytree(FIXTURE, workdir)
        shutil.copytree(os.path.join(TUTORIAL, "PublisherExample"),
                        os.path.join(workdir, "htdocs", "PublisherExample"))
        with open(os.path.join(FIXTURE, "site.conf")) as fh:
            conf = fh.read() + TUTORIAL_CONF
        with open(os.path.join(workdir, "site.conf"), "w") as fh:
            fh.write(conf)
        # Apache resolves relative paths against ServerRoot, modpy_compat against the file.
        apache_conf = re.sub(r"(DocumentRoot|<Directory) htdocs", r"\1 %s/htdocs" % workdir, conf)
        served = StopableWSGIServer.create(make_app(os.path.join(workdir, "site.conf")), host="127.0.0.1")
        try:
            with ApacheServer(apache_conf, workdir=workdir) as apache:
                for method, path in REQUESTS:
                    expected = _ask(apache.port, method, path)
                    got = _ask(served.adj.port, method, path)
                    assert got == expected, "%s %s\n%s" % (method, path, apache.error_log_text()[-2000:])
        finally:
            served.shutdown()
