"""``modpy-compat check``: every problem with its file and line; ``--routes``.

The command runs in a subprocess, as users run it: it imports handler
modules and sets ``sys.path`` as the server would.  The routes table is
computed from the parsed configuration alone, in this process.
"""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

from modpy_compat.check import check_site, format_routes, psp_compiler, routes
from modpy_compat.config.site import load_config

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TUTORIAL = os.path.join(ROOT, "examples", "tutorial", "site.conf")


def write(root, files):
    for name, text in files.items():
        path = os.path.join(str(root), name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as fh:
            fh.write(textwrap.dedent(text))


def check(*args, cwd=None):
    result = subprocess.run([sys.executable, "-m", "modpy_compat", "check"] + list(args),
                            capture_output=True, text=True, timeout=60, cwd=cwd)
    return result.returncode, result.stdout, result.stderr


BROKEN = {
    "site.conf": """\
        DocumentRoot htdocs
        <Directory htdocs/app>
            SetHandler mod_python
            PythonHandler broken
        </Directory>
        <Directory htdocs/auth>
            SetHandler mod_python
            PythonAuthenHandler nosuchmodule
            PythonHandler fine
        </Directory>
        <Directory htdocs/pages>
            AddHandler mod_python .psp
            PythonHandler mod_python.psp
        </Directory>
    """,
    "htdocs/app/broken.py": """\
        from mod_python import apache

        def handler(req)
            return apache.OK
    """,
    "htdocs/auth/fine.py": "def handler(req):\n    return 0\n",
    "htdocs/pages/good.psp": "<p><%= 1 + 1 %></p>\n",
    "htdocs/pages/broken.psp": """\
        <html>
        <p>first</p>
        <% if req.args %>
        <p>never</p>
        </html>
    """,
}


def test_check_reports_a_syntax_error_a_missing_module_and_a_broken_page_with_file_and_line(tmp_path):
    write(tmp_path, BROKEN)
    code, out, err = check("--config", str(tmp_path / "site.conf"), cwd="/")
    assert code == 1, err
    lines = out.splitlines()
    assert any(line.startswith("%s:3: error: SyntaxError: " % (tmp_path / "htdocs" / "app" / "broken.py"))
               and "PythonHandler broken at %s:4" % (tmp_path / "site.conf") in line for line in lines), out
    assert "%s:8: error: PythonAuthenHandler: cannot import 'nosuchmodule': No module named 'nosuchmodule'" % (
        tmp_path / "site.conf") in lines, out
    compile_page, why = psp_compiler()
    if compile_page is None:
        assert "note: %s (2 found)" % why in lines
        assert lines[-1] == "modpy-compat check: 2 problems"
        pytest.skip(why)
    assert any(line.startswith("%s:3: error: PSP: " % (tmp_path / "htdocs" / "pages" / "broken.psp"))
               for line in lines), out
    assert lines[-1] == "modpy-compat check: 3 problems"


def test_check_passes_the_tutorial_and_says_what_it_checked():
    code, out, err = check("--config", TUTORIAL, cwd="/")
    assert code == 0, out + err
    assert out.splitlines()[-1].startswith("modpy-compat check: OK (5 handler modules imported, ")


def test_check_stops_at_a_configuration_error_naming_file_and_line(tmp_path):
    write(tmp_path, {"site.conf": "DocumentRoot .\nInclude extra.conf\n",
                     "extra.conf": "<Directory .>\n  PythonHandler x\n</Directroy>\n"})
    code, out, err = check("--config", str(tmp_path / "site.conf"))
    assert code == 1
    assert out.splitlines()[0].startswith("%s:3: error: " % (tmp_path / "extra.conf"))
    assert out.splitlines()[-1] == "modpy-compat check: the configuration does not parse"


def test_check_points_into_the_module_that_fails_while_importing(tmp_path):
    write(tmp_path, {
        "site.conf": """\
            DocumentRoot htdocs
            PythonImport startup main_interpreter
            PythonImport helpers::setup main_interpreter
            PythonPath "sys.path + [%r]"
            <Directory htdocs>
                SetHandler mod_python
                PythonHandler entry
                PythonFixupHandler entry::not_there
                PythonHandlerModule entry
            </Directory>
        """ % str(tmp_path / "lib"),
        "lib/startup.py": "import os\nraise RuntimeError('no database')\n",
        "lib/helpers.py": "def other():\n    pass\n",
        "htdocs/entry.py": "import os\nimport nosuchlib\n",
    })
    code, out, err = check("--config", str(tmp_path / "site.conf"))
    assert code == 1
    lines = out.splitlines()
    conf = tmp_path / "site.conf"
    assert "%s:2: error: RuntimeError: no database (imported for PythonImport startup at %s:2)" % (
        tmp_path / "lib" / "startup.py", conf) in lines, out
    assert "%s:3: error: PythonImport helpers::setup: module 'helpers' has no function 'setup'" % conf in lines
    # The module is missing something it imports: the import line, not the directive, is at fault.
    assert ("%s:2: error: ModuleNotFoundError: No module named 'nosuchlib' (imported for PythonHandler "
            "entry at %s:7)" % (tmp_path / "htdocs" / "entry.py", conf)) in lines, out
    # Reported once, for the first directive naming it.
    assert lines[-1] == "modpy-compat check: 3 problems", out


def test_check_reports_a_handler_object_the_module_lacks(tmp_path):
    write(tmp_path, {
        "site.conf": """\
            DocumentRoot htdocs
            <Directory htdocs>
                SetHandler mod_python
                PythonHandler page
                PythonAuthenHandler page
                PythonFixupHandler page::Helper.fixup
                PythonHandlerModule page
            </Directory>
        """,
        "htdocs/page.py": """\
            def handler(req):
                return 0
            class Helper:
                def fixup(self, req):
                    return 0
        """,
    })
    code, out, err = check("--config", str(tmp_path / "site.conf"))
    # The default authenhandler is missing; PythonHandlerModule skips what is missing, as mod_python does.
    assert out.splitlines()[:-1] == [
        "%s:5: error: PythonAuthenHandler page: module 'page' (%s) has no 'authenhandler'"
        % (tmp_path / "site.conf", tmp_path / "htdocs" / "page.py")]
    assert code == 1


def test_check_reports_configuration_warnings_without_failing(tmp_path):
    write(tmp_path, {"site.conf": "LoadModule python_module modules/mod_python.so\nDocumentRoot .\n"})
    code, out, err = check("--config", str(tmp_path / "site.conf"))
    assert code == 0
    assert "note: accepted but not emulated: LoadModule (site.conf:1)" in out.splitlines()


def test_check_without_a_psp_compiler_says_pages_were_not_compiled(tmp_path, monkeypatch):
    import modpy_compat.check as check_module
    write(tmp_path, {"site.conf": "DocumentRoot htdocs\n", "htdocs/a.psp": "<%= 1 %>\n"})
    monkeypatch.setattr(check_module, "psp_compiler",
                        lambda: (None, "PSP pages not compiled: modpy_compat.psp has no compile_file() yet"))
    report = check_site(str(tmp_path / "site.conf"))
    assert report.errors == []
    assert report.notes == ["PSP pages not compiled: modpy_compat.psp has no compile_file() yet (1 found)"]


# -- --routes -------------------------------------------------------------------------

def test_routes_of_the_tutorial():
    code, out, err = check("--config", TUTORIAL, "--routes")
    assert code == 0
    table = out.split("\n\nmodpy-compat check")[0]
    lines = table.splitlines()
    assert lines[0].split() == ["PATH", "PHASE", "HANDLERS", "SECTION"]
    assert lines[2] == "(main server)  DocumentRoot %s" % os.path.join(ROOT, "examples", "tutorial", "htdocs")
    rows = [line.split("  ") for line in lines[3:]]
    cells = [[cell.strip() for cell in row if cell.strip()] for row in rows]
    assert ["/CustomExample/", "content .py", "myhandler (site.conf:11)",
            "<Directory htdocs/CustomExample> site.conf:9"] in cells
    assert ["/AuthenticateExample/", "authen", "myauthenhandler (site.conf:20)",
            "<Directory htdocs/AuthenticateExample> site.conf:16"] in cells
    assert ["content .py", "index (site.conf:19)"] in cells


ROUTES_SITE = """\
    DocumentRoot htdocs
    PythonHandler everywhere
    <Directory htdocs>
        SetHandler mod_python
        PythonAuthenHandler auth
    </Directory>
    <Directory htdocs/admin>
        PythonAuthzHandler admins
        <Files "*.txt">
            SetHandler None
        </Files>
    </Directory>
    <Location /admin/api>
        PythonHandler api | .json
        PythonAuthenHandler apikeys
    </Location>
    <LocationMatch "^/legacy/">
        PythonHandler legacy
    </LocationMatch>
    <VirtualHost *:80>
        ServerName other.example
        DocumentRoot htdocs/admin
    </VirtualHost>
"""


def test_routes_show_inherited_and_overridden_handlers_per_path(tmp_path):
    (tmp_path / "htdocs" / "admin").mkdir(parents=True)
    (tmp_path / "site.conf").write_text(textwrap.dedent(ROUTES_SITE))
    site = load_config(str(tmp_path / "site.conf"))
    table = {}
    server = None
    for row in routes(site):
        if not row.phase:
            server = row.path
            continue
        table.setdefault((server, row.path), []).append((row.phase, row.handlers))
    main = "(main server)"
    assert table[(main, "*")] == [("content (no SetHandler/AddHandler mod_python)", "everywhere (site.conf:2)")]
    assert table[(main, "/")] == [("authen", "auth (site.conf:5)"), ("content", "everywhere (site.conf:2)")]
    assert table[(main, "/admin/")] == [
        ("authen", "auth (site.conf:5)"), ("authz", "admins (site.conf:8)"),
        ("content", "everywhere (site.conf:2)")]
    assert table[(main, "/admin/*.txt")][-1] == ("content (SetHandler None)", "everywhere (site.conf:2)")
    # The Location replaces the inherited authen handler and adds a content handler for .json.
    assert table[(main, "/admin/api")] == [
        ("authen", "apikeys (site.conf:15)"), ("authz", "admins (site.conf:8)"),
        ("content", "everywhere (site.conf:2)"), ("content (| .json)", "api (site.conf:14)")]
    assert table[(main, "~ ^/legacy/")] == [("content (no SetHandler/AddHandler mod_python)",
                                             "legacy (site.conf:18)")]
    # The virtual host's DocumentRoot is htdocs/admin: that directory is its "/".
    vhost = "(server other.example)"
    assert table[(vhost, "/")][:2] == [("authen", "auth (site.conf:5)"), ("authz", "admins (site.conf:8)")]
    text = format_routes(site)
    assert "(server other.example)  DocumentRoot %s" % (tmp_path / "htdocs" / "admin") in text
