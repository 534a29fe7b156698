"""``PythonHandler modpy_compat.handlers.mako``: Mako pages with what PSP pages have."""
from __future__ import annotations

import pytest

from modpy_compat.psp.psp2mako import convert
from tests.psp.conftest import bump_mtime

CONF = """
DocumentRoot htdocs
<Directory htdocs>
    AddHandler mod_python .mako
    PythonHandler modpy_compat.handlers.mako
    DirectoryIndex index.mako
    PythonDebug %s
</Directory>
"""


@pytest.fixture
def site(make_site):
    def build(files, debug=True, conf=CONF):
        return make_site(conf % ("On" if debug else "Off"), {"htdocs/" + k: v for k, v in files.items()})
    build.root = make_site.root
    return build


def test_mako_page_through_directory_index(site):
    files = {"shop/index.mako": "<%include file='/parts/head.mako'/>\n% for i in range(3):\n<li>${i}</li>\n% endfor\n",
             "parts/head.mako": "<h1>${req.uri}</h1>"}
    res = site(files).get("/shop/")
    assert res.status == "200 OK"
    assert res.headers["Content-Type"] == "text/html"
    assert res.text == "<h1>/shop/index.mako</h1>\n<li>0</li>\n<li>1</li>\n<li>2</li>\n"


def test_psp_globals_are_template_variables(site):
    page = "${apache.OK} ${escape('<a>')} ${os.sep} ${psp.filename.rsplit('/', 1)[1]} ${req.method}"
    assert site({"g.mako": page}).get("/g.mako").text == "0 &lt;a&gt; / g.mako GET"


def test_missing_page_is_404(site):
    assert site({"a.mako": "x"}).get("/b.mako").status == "404 Not Found"


def test_changed_template_is_recompiled(site):
    app = site({"a.mako": "one"})
    assert app.get("/a.mako").text == "one"
    path = site.root / "htdocs" / "a.mako"
    path.write_text("two")
    bump_mtime(str(path))
    assert app.get("/a.mako").text == "two"


def test_exception_shows_partial_output_traceback_and_template_line(site):
    res = site({"boom.mako": "before\n${1/0}\n"}).get("/boom.mako")
    assert res.status == "500 Internal Server Error"
    assert res.text.startswith("before\n\n<pre>\nMod_python error: \"PythonHandler modpy_compat.handlers.mako\"")
    assert "ZeroDivisionError: division by zero" in res.text
    assert "Mako: %s line 2: ${1/0}" % (site.root / "htdocs" / "boom.mako") in res.text


def test_mako_syntax_error_is_a_500(site):
    res = site({"bad.mako": "% for x in y\n"}, debug=False).get("/bad.mako")
    assert res.status == "500 Internal Server Error"
    assert "bad.mako" in res.errors


def test_error_page(site):
    files = {"p.mako": "<% psp.set_error_page('e.mako') %>x ${1/0}", "e.mako": "E:${exception[0].__name__}"}
    assert site(files).get("/p.mako").text == "x E:ZeroDivisionError"


def test_form_and_session(site):
    pytest.importorskip("modpy_compat.mod_python.util", reason="mod_python.util is not written yet")
    pytest.importorskip("modpy_compat.mod_python.Session", reason="mod_python.Session is not written yet")
    app = site({"f.mako": "x=${form.getfirst('x')}",
                "s.mako": "<% session['n'] = session.get('n', 0) + 1 %>n=${session['n']}",
                "none.mako": "plain"})
    assert app.get("/f.mako?x=5").text == "x=5"
    first = app.get("/s.mako")
    cookie = first.headers["Set-Cookie"].split(";")[0]
    assert first.text == "n=1"
    assert app.get("/s.mako", headers={"Cookie": cookie}).text == "n=2"
    assert "Set-Cookie" not in app.get("/none.mako").headers


def test_redirect(site):
    pytest.importorskip("modpy_compat.mod_python.util", reason="mod_python.util is not written yet")
    res = site({"r.mako": "x<% psp.redirect('/elsewhere') %>"}).get("/r.mako")
    assert (res.status, res.headers["Location"]) == ("302 Found", "/elsewhere")


PAGE = ('<html>\n<%\nitems = ["a", "<b>", "c"]\nfor n, item in enumerate(items):\n    # one row\n%>\n'
        '<li class="<%= n % 2 and "odd" or "even" %>"><%= item %> ${not mako} 100%</li>\n<%\n%>\n'
        '<% req.write("direct\\n") %>\n</html>\n')


def test_converted_page_answers_like_the_psp_page(make_site):
    conf = CONF.replace("AddHandler mod_python .mako", "AddHandler mod_python .mako .psp").replace(
        "PythonHandler modpy_compat.handlers.mako",
        "PythonHandler modpy_compat.handlers.mako\n    <Files *.psp>\n        PythonHandler mod_python.psp\n"
        "    </Files>") % "On"
    mako_text, problems = convert(PAGE)
    assert problems == []
    app = make_site(conf, {"htdocs/page.psp": PAGE, "htdocs/page.mako": mako_text})
    psp, mako = app.get("/page.psp"), app.get("/page.mako")
    assert psp.status == mako.status == "200 OK"
    assert psp.text == mako.text
    assert "${not mako} 100%" in mako.text and "direct\n" in mako.text
