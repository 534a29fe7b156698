"""examples/cherrypy_dvd/: a real CherryPy application (from PyPI) through cherrypy._cpmodpy.

CherryPy keeps its tree and engine per process and ``_cpmodpy`` sets it up once, so each
configuration (the list at ``/``, user1's at ``<Location /user1>``) runs in a
``modpy-compat serve`` process of its own, with the databases in a temporary directory.
"""
from __future__ import annotations

import http.client
import os
import re
from urllib.parse import urlencode

import pytest

from tests.conftest import require
from tests.integration.conftest import Served

pytestmark = pytest.mark.integration

EXAMPLE = os.path.join(os.path.dirname(__file__), os.pardir, os.pardir, "examples", "cherrypy_dvd")
MOUNTS = {"": "site.conf", "/user1": "site-user1.conf"}


def _cherrypy_available():
    try:
        import cherrypy  # noqa: F401
    except ImportError:
        return False
    return True


@pytest.fixture(params=sorted(MOUNTS), ids=["root", "user1"], scope="module")
def dvd(request, tmp_path_factory):
    require(_cherrypy_available(), "CherryPy (pip install CherryPy)")
    data = tmp_path_factory.mktemp("dvd-data")
    previous = os.environ.get("DVD_DATA_DIR")
    os.environ["DVD_DATA_DIR"] = str(data)
    try:
        served = Served(["--config", os.path.join(EXAMPLE, MOUNTS[request.param])], cwd=str(data))
    finally:
        if previous is None:
            del os.environ["DVD_DATA_DIR"]
        else:
            os.environ["DVD_DATA_DIR"] = previous
    served.mount = request.param
    served.data = data
    yield served
    served.stop()


def fetch(served, method, path, body=None):
    conn = http.client.HTTPConnection("127.0.0.1", served.port, timeout=30)
    headers = {"Content-Type": "application/x-www-form-urlencoded"} if body is not None else {}
    conn.request(method, path, body=urlencode(body) if body is not None else None, headers=headers)
    response = conn.getresponse()
    data = response.read()
    conn.close()
    return response, data


def test_the_list_page_is_the_mako_template_with_the_sample_dvds(dvd):
    response, body = fetch(dvd, "GET", dvd.mount + "/")
    assert response.status == 200
    assert response.getheader("Content-Type") == "text/html;charset=utf-8"
    assert response.getheader("Server").startswith("CherryPy/")
    page = body.decode("utf-8")
    assert "<title>My DVDs - DVD list</title>" in page
    base = "http://127.0.0.1:%d%s" % (dvd.port, dvd.mount)
    for title in ("Casablanca", "Metropolis", "Seven Samurai"):
        assert re.search(r'<a href="%s/dvd\?id=\d">%s</a>' % (re.escape(base), title), page)
    assert '<form method="post" action="%s/add">' % base in page
    assert '<img src="%s/static/dvd.png"' % base in page


def test_a_posted_dvd_is_added_and_the_form_redirects_to_the_list(dvd):
    response, body = fetch(dvd, "POST", dvd.mount + "/add",
                           {"title": "Alien <1979>", "director": "Ridley Scott", "year": "1979"})
    assert response.status == 303
    assert response.getheader("Location") == "http://127.0.0.1:%d%s/" % (dvd.port, dvd.mount)
    response, body = fetch(dvd, "GET", dvd.mount + "/")
    assert "Alien &lt;1979&gt;</a></td><td>Ridley Scott</td><td>1979</td>" in body.decode("utf-8")
    # Each mount has its own database.
    assert os.path.exists(os.path.join(str(dvd.data), (dvd.mount.strip("/") or "dvd") + ".sqlite"))


def test_an_incomplete_form_is_answered_400_with_the_message(dvd):
    response, body = fetch(dvd, "POST", dvd.mount + "/add", {"title": "No director"})
    assert response.status == 400
    page = body.decode("utf-8")
    assert '<p class="error">A DVD needs a title, a director and, if given, a numeric year.</p>' in page
    assert '<input name="title" value="No director">' in page
    response, body = fetch(dvd, "GET", dvd.mount + "/add")
    assert (response.status, response.getheader("Allow")) == (405, "POST")


def test_the_static_image_is_served_by_cherrypy(dvd):
    response, body = fetch(dvd, "GET", dvd.mount + "/static/dvd.png")
    assert (response.status, response.getheader("Content-Type")) == (200, "image/png")
    with open(os.path.join(EXAMPLE, "static", "dvd.png"), "rb") as fh:
        assert body == fh.read()
    assert response.getheader("Content-Length") == str(len(body))
    response, body = fetch(dvd, "HEAD", dvd.mount + "/static/dvd.png")
    assert (response.status, body) == (200, b"")


def test_a_dvd_page_and_a_missing_one(dvd):
    response, body = fetch(dvd, "GET", dvd.mount + "/dvd?id=2")
    assert response.status == 200
    assert "<p>Directed by Fritz Lang, 1927.</p>" in body.decode("utf-8")
    response, body = fetch(dvd, "GET", dvd.mount + "/dvd?id=999")
    assert response.status == 404


def test_what_lies_outside_the_application_is_not_cherrypys(dvd):
    if dvd.mount:
        # Outside <Location /user1>: Apache's default handler and its page.
        response, body = fetch(dvd, "GET", "/dvd?id=1")
        assert response.status == 404
        assert not (response.getheader("Server") or "").startswith("CherryPy")
        assert b"<h1>Not Found</h1>" in body
    else:
        # Under <Location />, /user1 belongs to the list at / (CherryPy's 404).
        response, body = fetch(dvd, "GET", "/user1/")
        assert response.status == 404
        assert response.getheader("Server").startswith("CherryPy/")
