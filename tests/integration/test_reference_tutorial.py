"""The tutorial answers the same on real Apache + mod_python and on modpy_compat.

The tutorial's files and configuration are copied into a private Apache
ServerRoot (real mod_python 3.5 from Debian) and served by modpy_compat on
waitress from the same copy; the same requests go to both and the status,
the headers that matter and the body are compared.
"""
from __future__ import annotations

import base64
import http.client
import os
import re
import shutil
import tempfile

import pytest

from pathlib import Path

from tests.conftest import require
from tests.support.apache import ApacheServer, mod_python_available

pytestmark = pytest.mark.integration

TUTORIAL = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                        "examples", "tutorial")
COMPARED = ("Content-Type", "Content-Length", "WWW-Authenticate", "Location")


def _basic(user, password):
    return {"Authorization": "Basic " + base64.b64encode(("%s:%s" % (user, password)).encode()).decode()}


REQUESTS = [
    ("/CustomExample/x.py", {}),
    ("/CustomExample/", {}),
    ("/AuthenticateExample/", {}),
    ("/AuthenticateExample/", _basic("john", "wrong")),
    ("/AuthenticateExample/", _basic("john", "secret")),
    ("/AuthenticateExample", _basic("john", "secret")),
    ("/missing.html", {}),
    ("/PSPExample/", {}),
    ("/PSPExample", {}),
    ("/PSPExample/index.psp_", {}),
    ("/PublisherExample/ModPythonExample.py/publisher_example", {}),
]
# The publisher example prints the time; the two servers answer a moment apart.
CLOCK = re.compile(rb"\w+ \d\d \w+ \d{4}, \d\d:\d\d:\d\d")


def _get(port, path, headers):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", path, headers=dict(headers, Host="127.0.0.1:%d" % port))
    response = conn.getresponse()
    body = response.read()
    conn.close()
    headers = {name: response.getheader(name) for name in COMPARED if response.getheader(name) is not None}
    return response.status, headers, body


def _normalise(port, answer):
    status, headers, body = answer
    headers = {k: v.replace(str(port), "PORT") for k, v in headers.items()}
    return status, headers, CLOCK.sub(b"CLOCK", body.replace(str(port).encode(), b"PORT"))


def test_tutorial_matches_real_mod_python(serve):
    require(mod_python_available(), "Apache with mod_python")
    # Not under pytest's tmp_path: another pytest run may reset its base to 0700,
    # which Apache's www-data children cannot enter.
    with tempfile.TemporaryDirectory(prefix="modpy-tutorial-") as tmp:
        _compare(serve, Path(tmp))


def _compare(serve, tmp_path):
    workdir = tmp_path / "apache"
    workdir.mkdir()
    shutil.copytree(os.path.join(TUTORIAL, "htdocs"), str(workdir / "htdocs"))
    with open(os.path.join(TUTORIAL, "site.conf")) as fh:
        conf = fh.read()
    # Apache resolves these against its ServerRoot, modpy_compat against the file: make them absolute.
    conf = re.sub(r"(DocumentRoot|<Directory) htdocs", r"\1 %s/htdocs" % workdir, conf)
    (workdir / "site.conf").write_text(conf)
    served = serve("--config", str(workdir / "site.conf"))
    with ApacheServer(conf, workdir=str(workdir)) as apache:
        for path, headers in REQUESTS:
            expected = _normalise(apache.port, _get(apache.port, path, headers))
            got = _normalise(served.port, _get(served.port, path, headers))
            # Apache streams a flushed req.write chunked; we send Content-Length when we can.
            if "Content-Length" not in expected[1]:
                got[1].pop("Content-Length", None)
            assert got == expected, path
