"""mod_python.testhandler: the diagnostic page shows this request's real values."""
from __future__ import annotations

import re
import sys
from html import escape

CONF = """
ServerName test.example
DocumentRoot htdocs
ErrorLog logs/error_log
PythonOption server.level "at the top"
<Location /test>
    SetHandler mod_python
    PythonHandler mod_python.testhandler
    PythonOption page.option "a<b>"
    PythonDebug On
</Location>
"""


def rows(html, title):
    """{key: value} of the table under the <h3> ``title``."""
    section = html.split("<h3>%s</h3>" % title, 1)[1].split("</table>", 1)[0]
    cells = re.compile(r"<td><code>(.*?)</code></td><td><(code|pre)>(.*?)</\2>", re.S)
    return {m.group(1): m.group(3) for m in map(cells.match, section.split("<tr>")) if m}


def test_page_shows_the_request_configuration_and_python(make_site):
    client = make_site(CONF, {"htdocs/.keep": ""})
    page = client.get("/test/extra?x=1&y=%3Cz%3E", headers={"X-Probe": "<probe & co>"},
                      extra_environ={"wsgi.multithread": True})
    assert page.status == "200 OK"
    assert page.headers["Content-Type"] == "text/html"
    html = page.text
    assert html.startswith("<html><head><title>mod_python test page</title></head><body>\n")
    general = rows(html, "General information")
    assert general["Apache server root"] == str(make_site.root)
    assert general["Apache document root"] == str(make_site.root / "htdocs")
    assert general["Apache threaded MPM"] == "Yes, maximum 8 threads / process"
    assert general["Apache forked MPM"] == "No (single process MPM)"
    assert general["Python sys.version"] == escape(sys.version)
    assert general["Python sys.path"] == escape("\n".join(sys.path))
    assert general["Python interpreter name"] == "test.example"
    assert general["mod_python.publisher available"] == general["mod_python.psp available"] == "Yes"
    assert ('<code>%s</code> (<a href="?view_log=1" target="_new">view last 100 lines</a>)'
            % (make_site.root / "logs" / "error_log")) in html
    attributes = rows(html, "Request attributes")
    assert attributes["the_request"] == "GET /test/extra?x=1&amp;y=%3Cz%3E HTTP/1.0"
    assert (attributes["uri"], attributes["args"], attributes["path_info"]) == (
        "/test/extra", "x=1&amp;y=%3Cz%3E", "/extra")
    assert attributes["phase"] == "PythonHandler"
    assert rows(html, "Request input headers")["X-Probe"] == "&lt;probe &amp; co&gt;"
    environment = rows(html, "Request environment")
    assert environment["QUERY_STRING"] == "x=1&amp;y=%3Cz%3E"
    assert environment["HTTP_X_PROBE"] == "&lt;probe &amp; co&gt;"
    assert environment["SCRIPT_NAME"] == "/test"
    assert environment["SERVER_NAME"] == "test.example"
    assert rows(html, "Request configuration") == {"PythonDebug": "1"}
    assert rows(html, "Request options") == {"server.level": "at the top", "page.option": "a&lt;b&gt;"}
    assert rows(html, "Request notes") == {"python_init_ran": "1"}
    assert rows(html, "Server options") == {"server.level": "at the top"}
    tree = html.split("<h3>Server configuration tree</h3>\n<pre>\n", 1)[1].split("</pre>", 1)[0]
    assert tree.splitlines()[:4] == [
        "ServerName test.example", "DocumentRoot htdocs", "ErrorLog logs/error_log",
        "PythonOption server.level &#34;at the top&#34;"]
    assert "&lt;Location /test&gt;\n    SetHandler mod_python\n" in tree


def test_view_log_answers_the_last_100_lines_of_the_error_log(make_site):
    lines = "".join("line %d\n" % i for i in range(1, 151))
    client = make_site(CONF, {"htdocs/.keep": "", "logs/error_log": lines})
    answer = client.get("/test?view_log=1")
    assert (answer.status, answer.headers["Content-Type"]) == ("200 OK", "text/plain")
    assert answer.text == "".join("line %d\n" % i for i in range(51, 151))


def test_view_log_without_a_log_file_says_where_messages_go(make_site):
    client = make_site(CONF, {"htdocs/.keep": ""})
    answer = client.get("/test?view_log=1")
    assert (answer.status, answer.headers["Content-Type"]) == ("200 OK", "text/plain")
    assert answer.text.startswith("The error log %s cannot be read" % (make_site.root / "logs" / "error_log"))
    assert 'Python logging (logger "mod_python")' in answer.text
