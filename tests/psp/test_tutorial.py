"""The tutorial's PSP example: /PSPExample/ served through DirectoryIndex index.psp."""
from __future__ import annotations

import os
import shutil

import webtest

from modpy_compat import make_app

TUTORIAL = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                        "examples", "tutorial")

# The block for examples/tutorial/site.conf (appended here until the file has it).
SITE_CONF_BLOCK = """
# Python Server Pages: /PSPExample/ runs index.psp through DirectoryIndex.
# With PythonDebug On, /PSPExample/index.psp_ shows the Python code the page becomes.
<Directory htdocs/PSPExample>
    AddHandler mod_python .psp .psp_
    PythonHandler mod_python.psp
    DirectoryIndex index.psp
    PythonDebug On
</Directory>
"""

EXPECTED = """<html>
<head><title>PSP example</title></head>
<body>

<h1>Hello from /PSPExample/index.psp</h1>
<table>
<tr><th>#</th><th>Handler</th><th>Module</th><th>Good for</th></tr>

<tr><td>1</td><td><b>Publisher</b></td><td><tt>mod_python.publisher</tt></td><td>functions become pages</td></tr>

<tr><td>2</td><td><b>PSP</b></td><td><tt>mod_python.psp</tt></td><td>HTML with Python in it</td></tr>

<tr><td>3</td><td><b>CGI</b></td><td><tt>mod_python.cgihandler</tt></td><td>old CGI scripts, unchanged</td></tr>

</table>
<p>3 handlers. With PythonDebug On, <a href="index.psp_">index.psp_</a>
shows the Python code this page becomes.</p>
</body>
</html>
"""


def tutorial_app(tmp_path):
    root = tmp_path / "tutorial"
    shutil.copytree(TUTORIAL, str(root))
    conf = root / "site.conf"
    text = conf.read_text()
    if "PSPExample" not in text:
        conf.write_text(text + SITE_CONF_BLOCK)
    return webtest.TestApp(make_app(str(conf)), extra_environ={"REMOTE_ADDR": "127.0.0.1"})


def test_psp_example_through_directory_index(tmp_path):
    res = tutorial_app(tmp_path).get("/PSPExample/")
    assert res.status == "200 OK"
    assert res.headers["Content-Type"] == "text/html"
    assert res.text == EXPECTED


def test_psp_example_without_slash_redirects(tmp_path):
    res = tutorial_app(tmp_path).get("/PSPExample", status=301)
    assert res.headers["Location"].endswith("/PSPExample/")


def test_psp_example_debug_view(tmp_path):
    res = tutorial_app(tmp_path).get("/PSPExample/index.psp_")
    assert res.status == "200 OK"
    assert "&nbsp;PSP-produced Python Code:" in res.text
    assert "#&nbsp;Back&nbsp;at&nbsp;column&nbsp;0:&nbsp;this&nbsp;comment&nbsp;closes&nbsp;the&nbsp;loop." in res.text
