"""The tutorial's publisher example answers as it did under Apache + mod_python.

The configuration is the block docs/publisher.md gives for
examples/tutorial/site.conf.
"""
from __future__ import annotations

import os
import re
import time

from modpy_compat import make_app
from tests.conftest import Client

TUTORIAL = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                        "examples", "tutorial")

CONF = """
DocumentRoot %(root)s/htdocs

<Directory %(root)s/htdocs/PublisherExample>
    AddHandler mod_python .py
    PythonHandler mod_python.publisher
    PythonDebug On
</Directory>
"""

PAGE = re.compile(
    r"<html>\n<head><title>mod_python\.publisher</title></head>\n<body>\n"
    r"<h1>Hello from mod_python\.publisher!</h1>\n"
    r"<p>The time on this server is (\w+ \d\d \w+ \d{4}, \d\d:\d\d:\d\d)\.</p>\n</body>\n</html>\n")


def test_publisher_example(tmp_path):
    conf = tmp_path / "site.conf"
    conf.write_text(CONF % {"root": TUTORIAL})
    client = Client(make_app(str(conf)), lint=False)
    before = time.time()
    response = client.get("/PublisherExample/ModPythonExample.py/publisher_example")
    assert (response.status_int, response.headers["Content-Type"]) == (200, "text/html")
    match = PAGE.fullmatch(response.text)
    assert match, response.text
    shown = time.mktime(time.strptime(match.group(1), "%A %d %B %Y, %H:%M:%S"))
    assert before - 1 <= shown <= time.time() + 1


def test_publisher_example_module_alone_is_its_index(tmp_path):
    conf = tmp_path / "site.conf"
    conf.write_text(CONF % {"root": TUTORIAL})
    client = Client(make_app(str(conf)), lint=False)
    # No index() in the module: 404, as under Apache.
    assert client.get("/PublisherExample/ModPythonExample.py").status_int == 404
