"""examples/turbogears_style/: a WebOb wiki behind modpython_gateway, set up by a fixup launcher."""
from __future__ import annotations

import os
import uuid

import pytest
import webtest

from modpy_compat import make_app

EXAMPLE = os.path.join(os.path.dirname(__file__), os.pardir, os.pardir, "examples", "turbogears_style")


@pytest.fixture(scope="module")
def wiki():
    return webtest.TestApp(make_app(os.path.join(EXAMPLE, "site.conf")), lint=False)


def test_launcher_set_the_wiki_up_from_prod_cfg(wiki):
    root = wiki.get("/")
    assert (root.status, root.headers["Location"]) == ("303 See Other", "http://localhost/FrontPage")
    front = root.follow()
    assert front.status == "200 OK"
    assert front.headers["Content-Type"] == "text/html; charset=utf-8"
    assert "<title>FrontPage - The Little Wiki</title>" in front.text
    assert '<a href="/NewPage" class="missing">NewPage</a>' in front.text


def test_a_page_is_created_through_its_form(wiki):
    name = "Page" + uuid.uuid4().hex[:8].capitalize()
    missing = wiki.get("/" + name)
    assert '<a href="/%s/edit">Create it</a>' % name in missing.text
    form = wiki.get("/%s/edit" % name).form
    form["text"] = "Back to the FrontPage <now>"
    saved = form.submit()
    assert (saved.status, saved.headers["Location"]) == ("303 See Other", "http://localhost/" + name)
    page = saved.follow()
    assert '<p>Back to the <a href="/FrontPage">FrontPage</a> &lt;now&gt;</p>' in page.text


def test_static_files_are_served_by_the_default_handler(wiki):
    css = wiki.get("/static/style.css")
    assert (css.status, css.headers["Content-Type"]) == ("200 OK", "text/css")
    assert css.text.startswith("body {")


def test_wrong_method_and_unknown_paths(wiki):
    assert wiki.get("/FrontPage/save", expect_errors=True).status == "405 Method Not Allowed"
    assert wiki.get("/FrontPage/a/b", expect_errors=True).status == "404 Not Found"


def test_wiki_under_a_mount_point_with_the_script_name_option(tmp_path):
    with open(os.path.join(EXAMPLE, "site.conf")) as fh:
        conf = fh.read()
    conf = conf.replace("DocumentRoot htdocs", "DocumentRoot %s/htdocs" % EXAMPLE) \
               .replace("<Location />", "<Location /wiki>") \
               .replace("sys.path+[server_root()]", "sys.path+[%r]" % EXAMPLE) \
               .replace("PythonDebug On", "PythonOption SCRIPT_NAME /wiki\n    PythonDebug On")
    (tmp_path / "site.conf").write_text(conf)
    client = webtest.TestApp(make_app(str(tmp_path / "site.conf")), lint=False)
    root = client.get("/wiki/")
    assert root.headers["Location"] == "http://localhost/wiki/FrontPage"
    assert '<a href="/wiki/FrontPage/edit">Edit this page</a>' in root.follow().text
