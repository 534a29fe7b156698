"""The site model: configuration errors, includes, paths, section merging and virtual hosts.

Errors are checked on :func:`load_config` directly (file and line of the
culprit); merging and host selection through HTTP, with a handler that
prints what ``req`` sees.  The expected merges were checked against Apache
2.4 with mod_python 3.5.
"""
from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from modpy_compat.config.site import load_config
from modpy_compat.errors import ConfigError

# A handler printing which function ran and the merged mod_python configuration.
SHOW = '''\
from mod_python import apache


def report(req, name):
    req.content_type = "text/plain"
    req.write("%s\\noptions=%r\\nconfig=%r\\n" % (
        name, sorted(req.get_options().items()), sorted(req.get_config().items())))
    return apache.OK


def handler(req):
    return report(req, "handler")


def second(req):
    return report(req, "second")


def third(req):
    return report(req, "third")
'''

# A handler printing who the server is.
WHO = '''\
from mod_python import apache


def handler(req):
    req.content_type = "text/plain"
    req.write("server_hostname=%s\\ninterpreter=%s\\ndocument_root=%s\\noptions=%r\\n" % (
        req.server.server_hostname, req.interpreter, req.document_root(),
        sorted(req.get_options().items())))
    return apache.OK
'''


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text))
    return str(path)


def error_of(tmp_path, text, name="site.conf"):
    path = write(tmp_path / name, text)
    with pytest.raises(ConfigError) as info:
        load_config(path)
    return info.value


def shown(name, options, config=()):
    return "%s\noptions=%r\nconfig=%r\n" % (name, list(options), list(config))


# -- errors: file and line -----------------------------------------------------------

def test_unclosed_directory_reports_the_file_and_its_opening_line(tmp_path):
    error = error_of(tmp_path, """\
        ServerName example.org

        <Directory htdocs>
            SetHandler mod_python
        """)
    assert (error.filename, error.lineno) == (str(tmp_path / "site.conf"), 3)
    assert error.message == "<Directory> section opened here was never closed"


def test_closing_tag_of_another_section_reports_its_line(tmp_path):
    error = error_of(tmp_path, "<Directory htdocs>\n</Location>\n")
    assert (error.filename, error.lineno) == (str(tmp_path / "site.conf"), 2)
    assert error.message == "expected </Directory> but saw </Location>"


def test_serve_with_an_unbalanced_config_exits_non_zero_naming_file_and_line(tmp_path):
    path = write(tmp_path / "bad.conf", "DocumentRoot .\n<Directory .>\n")
    done = subprocess.run([sys.executable, "-m", "modpy_compat", "serve", "--config", path, "--port", "0"],
                          capture_output=True, text=True, timeout=60, cwd=str(tmp_path))
    assert done.returncode != 0
    assert "%s:2: <Directory> section opened here was never closed" % path in done.stderr
    assert "serving" not in done.stdout


def test_unknown_section_is_an_error(tmp_path):
    error = error_of(tmp_path, "\n<Frobnicate x>\n</Frobnicate>\n")
    assert (error.filename, error.lineno) == (str(tmp_path / "site.conf"), 2)
    assert error.message == "unknown section <Frobnicate>"


def test_unknown_directive_is_an_invalid_command_as_in_httpd(tmp_path):
    error = error_of(tmp_path, "ServerName example.org\n\nFrobnicate 1\n")
    assert (error.filename, error.lineno) == (str(tmp_path / "site.conf"), 3)
    assert error.message == ("Invalid command 'Frobnicate', perhaps misspelled or defined by a module "
                             "not included in the server configuration")


@pytest.mark.parametrize("line, message", [
    ("DocumentRoot a b", "DocumentRoot takes 1 argument, 2 given"),
    ("PythonOption", "PythonOption takes 1 to 2 arguments, 0 given"),
    ("PythonOption a b c", "PythonOption takes 1 to 2 arguments, 3 given"),
    ("AddHandler mod_python", "AddHandler takes at least 2 arguments, 1 given"),
    ("PythonDebug", "PythonDebug takes 1 argument, 0 given"),
], ids=["DocumentRoot", "PythonOption-none", "PythonOption-three", "AddHandler", "PythonDebug"])
def test_wrong_number_of_arguments(tmp_path, line, message):
    error = error_of(tmp_path, "ServerName example.org\n%s\n" % line)
    assert (error.filename, error.lineno, error.message) == (str(tmp_path / "site.conf"), 2, message)


def test_python_path_that_does_not_compile_fails_at_start_up(tmp_path):
    # Deliberate difference: mod_python only evaluates PythonPath at the first
    # request (and logs the SyntaxError there); we refuse to start.
    error = error_of(tmp_path, "ServerName example.org\nPythonPath \"sys.path+['/x'\"\n")
    assert (error.filename, error.lineno) == (str(tmp_path / "site.conf"), 2)
    assert error.message.startswith("PythonPath is not a valid Python expression: ")


@pytest.mark.parametrize("directive", ["PythonTransHandler", "PythonPostReadRequestHandler"])
def test_early_phases_reject_pipe_ext(tmp_path, directive):
    error = error_of(tmp_path, "\n%s x | .py\n" % directive)
    assert (error.lineno, error.message) == (2, '%s does not accept "| .ext" syntax.' % directive)


@pytest.mark.parametrize("text, lineno, message", [
    ("<Directory .>\n    DocumentRoot .\n</Directory>\n", 2,
     "DocumentRoot is not allowed in a <Directory>, <Files> or <Location> section"),
    ("<Directory .>\n    PythonImport mymodule example.org\n</Directory>\n", 2,
     "PythonImport is not allowed in a <Directory>, <Files> or <Location> section"),
    ("<Location /x>\n    Alias /a /b\n</Location>\n", 2,
     "Alias is not allowed in a <Directory>, <Files> or <Location> section"),
    ("<Directory .>\n    PythonTransHandler t\n</Directory>\n", 2,
     "PythonTransHandler is not allowed in a <Directory>, <Files> or <Location> section"),
    ("ServerAlias www.example.org\n", 1, "ServerAlias is not allowed at server level"),
    ("Require all granted\n", 1, "Require is not allowed at server level"),
    ("<VirtualHost *:80>\n    PythonImport mymodule example.org\n</VirtualHost>\n", 2,
     "PythonImport is not allowed in <VirtualHost>"),
], ids=["DocumentRoot-in-Directory", "PythonImport-in-Directory", "Alias-in-Location",
        "PythonTransHandler-in-Directory", "ServerAlias-in-main", "Require-in-main",
        "PythonImport-in-VirtualHost"])
def test_directive_in_a_wrong_context(tmp_path, text, lineno, message):
    error = error_of(tmp_path, text)
    assert (error.filename, error.lineno, error.message) == (str(tmp_path / "site.conf"), lineno, message)


@pytest.mark.parametrize("text, message", [
    ("<Directory .>\n<Location /x>\n</Location>\n</Directory>\n",
     "<Location> cannot occur within <Directory> section"),
    ("<Location /x>\n<Directory .>\n</Directory>\n</Location>\n",
     "<Directory> cannot occur within <Location> section"),
    ("<Location /x>\n<Files a>\n</Files>\n</Location>\n",
     "<Files> cannot occur within <Location> section"),
    ("<Files a>\n<FilesMatch b>\n</FilesMatch>\n</Files>\n",
     "<FilesMatch> cannot occur within <Files> section"),
    ("<DirectoryMatch x>\n<Limit GET>\n<LocationMatch y>\n</LocationMatch>\n</Limit>\n</DirectoryMatch>\n",
     "<LocationMatch> cannot occur within <DirectoryMatch> section"),
    ("<Directory .>\n<VirtualHost *:80>\n</VirtualHost>\n</Directory>\n",
     "<VirtualHost> cannot occur within another section"),
], ids=["Location-in-Directory", "Directory-in-Location", "Files-in-Location", "FilesMatch-in-Files",
        "LocationMatch-in-Limit-in-DirectoryMatch", "VirtualHost-in-Directory"])
def test_section_nested_where_httpd_forbids_it(tmp_path, text, message):
    error = error_of(tmp_path, text)
    lineno = 3 if "<Limit" in text else 2
    assert (error.filename, error.lineno, error.message) == (str(tmp_path / "site.conf"), lineno, message)


def test_bad_regular_expression_in_a_section(tmp_path):
    error = error_of(tmp_path, "\n<DirectoryMatch \"(\">\n</DirectoryMatch>\n")
    assert error.lineno == 2
    assert error.message.startswith("<DirectoryMatch>: bad regular expression '(': ")


def test_section_without_its_argument(tmp_path):
    error = error_of(tmp_path, "<Files>\n</Files>\n")
    assert (error.lineno, error.message) == (1, "<Files> takes one argument")


def test_bad_flag_value(tmp_path):
    error = error_of(tmp_path, "PythonDebug maybe\n")
    assert (error.lineno, error.message) == (1, "PythonDebug must be On or Off, not 'maybe'")


def test_redirect_to_a_relative_target_is_an_error_as_in_httpd(tmp_path):
    error = error_of(tmp_path, "Redirect /old\nRedirect /old new\n")
    assert (error.lineno, error.message) == (1, "Redirect needs a URL path and a target URL")
    error = error_of(tmp_path, "Redirect /old new\n")
    assert (error.lineno, error.message) == (1, "Redirect to non-URL 'new'")


def test_error_in_an_included_file_names_that_file_and_line(tmp_path):
    write(tmp_path / "conf.d" / "app.conf", "ServerAdmin admin@example.org\nFrobnicate\n")
    error = error_of(tmp_path, "ServerName example.org\nInclude conf.d/app.conf\n")
    assert (error.filename, error.lineno) == (str(tmp_path / "conf.d" / "app.conf"), 2)
    assert error.message.startswith("Invalid command 'Frobnicate'")


# -- accepted without emulation ---------------------------------------------------------

def test_directives_of_modules_not_emulated_are_accepted_and_listed_with_file_and_line(tmp_path):
    path = write(tmp_path / "site.conf", """\
        LoadModule python_module /usr/lib/apache2/modules/mod_python.so
        Listen 8080
        LogLevel warn
        CustomLog logs/access_log combined
        LogLevel debug
        <Directory .>
            AllowOverride None
        </Directory>
        """)
    site = load_config(path)
    assert site.not_emulated == {
        "LoadModule": (path, 1),
        "Listen": (path, 2),
        "LogLevel": (path, 3),       # the first use only
        "CustomLog": (path, 4),
        "AllowOverride": (path, 7),
    }
    assert site.not_emulated_summary() == (
        "AllowOverride (site.conf:7), CustomLog (site.conf:4), Listen (site.conf:2), "
        "LoadModule (site.conf:1), LogLevel (site.conf:3)")


def test_sections_of_modules_not_emulated_are_skipped_and_listed(tmp_path):
    path = write(tmp_path / "site.conf", """\
        <Proxy "*">
            Frobnicate anything
        </Proxy>
        """)
    assert load_config(path).not_emulated == {"<Proxy>": (path, 1)}


def test_missing_types_config_is_an_error(tmp_path):
    error = error_of(tmp_path, "ServerName example.org\nTypesConfig conf/nothere.types\n")
    assert (error.filename, error.lineno) == (str(tmp_path / "site.conf"), 2)
    assert error.message == "cannot read TypesConfig %s: No such file or directory" % (
        tmp_path / "conf" / "nothere.types")


def test_debug_switch_turns_python_debug_on_everywhere(tmp_path):
    path = write(tmp_path / "site.conf", """\
        <Directory htdocs>
            PythonDebug Off
        </Directory>
        <Directory other>
            PythonOption a b
        </Directory>
        """)
    site = load_config(path, debug=True)
    assert site.main.body.python_config == {"PythonDebug": "1"}
    assert [s.fragment.python_config for s in site.main.sections] == [{"PythonDebug": "1"}, {}]


def test_forcetype_is_accepted_at_server_level_as_httpd_does(make_site):
    client = make_site("DocumentRoot .\nForceType text/x-forced\n", {"a.html": "<p>a</p>"})
    res = client.get("/a.html")
    assert (res.status, res.headers["Content-Type"], res.body) == ("200 OK", "text/x-forced", b"<p>a</p>")


# -- includes, conditionals and paths ------------------------------------------------------

def test_included_files_take_effect(make_site):
    client = make_site("""\
        DocumentRoot htdocs
        Include conf.d/*.conf
        """, {
        "conf.d/10-handler.conf": "<Directory htdocs>\nSetHandler mod_python\nPythonHandler show\n</Directory>\n",
        "conf.d/20-options.conf": "PythonOption colour blue\n",
        "htdocs/show.py": SHOW,
    })
    res = client.get("/")
    assert (res.status, res.text) == ("200 OK", shown("handler", [("colour", "blue")]))


def test_ifmodule_mod_python_is_true_and_its_negation_false(make_site):
    client = make_site("""\
        DocumentRoot htdocs
        <IfModule mod_python.c>
            <Directory htdocs>
                SetHandler mod_python
                PythonHandler show
            </Directory>
            PythonOption loaded yes
        </IfModule>
        <IfModule !mod_python.c>
            PythonOption loaded no
            Frobnicate
        </IfModule>
        """, {"htdocs/show.py": SHOW})
    res = client.get("/")
    assert (res.status, res.text) == ("200 OK", shown("handler", [("loaded", "yes")]))


def test_relative_paths_resolve_against_the_config_directory_not_the_cwd(make_site, tmp_path_factory,
                                                                         monkeypatch):
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    (elsewhere / "htdocs").mkdir()
    (elsewhere / "htdocs" / "a.txt").write_text("wrong tree\n")
    monkeypatch.chdir(elsewhere)
    client = make_site("""\
        DocumentRoot htdocs
        <Directory htdocs/app>
            SetHandler mod_python
            PythonHandler show
        </Directory>
        """, {"htdocs/a.txt": "right tree\n", "htdocs/app/show.py": SHOW})
    root = make_site.root
    assert client.app.site.main.document_root == str(root / "htdocs")
    res = client.get("/a.txt")
    assert (res.status, res.body) == ("200 OK", b"right tree\n")
    res = client.get("/app/")
    assert (res.status, res.text) == ("200 OK", shown("handler", []))


def test_without_document_root_the_config_directory_is_served(make_site, tmp_path_factory, monkeypatch):
    monkeypatch.chdir(tmp_path_factory.mktemp("elsewhere"))
    client = make_site("ServerName example.org\n", {"a.txt": "next to site.conf\n"})
    assert client.app.site.main.document_root == str(make_site.root)
    res = client.get("/a.txt")
    assert (res.status, res.body) == ("200 OK", b"next to site.conf\n")


def test_server_root_directive_moves_later_relative_paths(make_site):
    client = make_site("""\
        ServerRoot srv
        DocumentRoot htdocs
        """, {"srv/htdocs/a.txt": "under ServerRoot\n", "htdocs/a.txt": "beside site.conf\n"})
    assert client.app.site.main.document_root == str(make_site.root / "srv" / "htdocs")
    assert client.get("/a.txt").body == b"under ServerRoot\n"


# -- merging, seen through HTTP --------------------------------------------------------------

def test_server_level_option_is_overridden_in_a_directory(make_site):
    client = make_site("""\
        DocumentRoot htdocs
        PythonOption a server
        PythonOption keep yes
        PythonOption spaced "x y"
        <Directory htdocs>
            SetHandler mod_python
            PythonHandler show
            PythonOption a directory
        </Directory>
        """, {"htdocs/show.py": SHOW})
    res = client.get("/")
    assert res.text == shown("handler", [("a", "directory"), ("keep", "yes"), ("spaced", "x y")])


def test_option_is_removed_by_an_empty_value_or_by_no_value(make_site):
    client = make_site("""\
        DocumentRoot htdocs
        PythonOption a 1
        PythonOption b 2
        PythonOption c 3
        <Directory htdocs>
            SetHandler mod_python
            PythonHandler show
            PythonOption a ""
            PythonOption b
        </Directory>
        """, {"htdocs/show.py": SHOW})
    res = client.get("/")
    assert res.text == shown("handler", [("c", "3")])


def test_option_keys_are_case_insensitive_across_sections(make_site):
    # mod_python keeps options in an Apache table: "A" overrides (or removes) "a".
    client = make_site("""\
        DocumentRoot htdocs
        PythonOption a 1
        PythonOption gone 2
        <Directory htdocs>
            SetHandler mod_python
            PythonHandler show
            PythonOption A upper
            PythonOption GONE ""
        </Directory>
        """, {"htdocs/show.py": SHOW})
    assert client.get("/").text == shown("handler", [("a", "upper")])


def test_directories_merge_shortest_first_and_deeper_ones_win(make_site):
    client = make_site("""\
        DocumentRoot htdocs
        <Directory htdocs/sub/deep>
            PythonOption level deep
            PythonOption c deep
        </Directory>
        <Directory htdocs/sub>
            PythonOption level sub
            PythonOption b sub
        </Directory>
        <Directory htdocs>
            SetHandler mod_python
            PythonHandler show
            PythonOption level top
            PythonOption a top
        </Directory>
        """, {"htdocs/show.py": SHOW, "htdocs/sub/deep/x.txt": "x", "htdocs/other/x.txt": "x"})
    assert client.get("/other/x.txt").text == shown("handler", [("a", "top"), ("level", "top")])
    assert client.get("/sub/x.txt").text == shown("handler", [("a", "top"), ("b", "sub"), ("level", "sub")])
    assert client.get("/sub/deep/x.txt").text == shown(
        "handler", [("a", "top"), ("b", "sub"), ("c", "deep"), ("level", "deep")])
    # A missing file is still inside the deepest existing directory.
    assert client.get("/sub/deep/missing/extra").text == shown(
        "handler", [("a", "top"), ("b", "sub"), ("c", "deep"), ("level", "deep")])


def test_directory_match_applies_after_every_directory_section(make_site):
    client = make_site("""\
        DocumentRoot htdocs
        <DirectoryMatch "/sub">
            PythonOption level match
        </DirectoryMatch>
        <Directory htdocs>
            SetHandler mod_python
            PythonHandler show
        </Directory>
        <Directory htdocs/sub/deep>
            PythonOption level deep
        </Directory>
        """, {"htdocs/show.py": SHOW, "htdocs/sub/deep/x.txt": "x"})
    assert client.get("/sub/deep/x.txt").text == shown("handler", [("level", "match")])


def test_directory_match_is_tested_against_the_whole_filename(make_site):
    # httpd 2.4 (checked on 2.4.71): the regex sees r->filename, a directory's
    # with its trailing slash; it is not tried on each parent directory.
    client = make_site("""\
        DocumentRoot htdocs
        <Directory htdocs>
            SetHandler mod_python
            PythonHandler show
        </Directory>
        <DirectoryMatch "/sub$">
            PythonOption dollar yes
        </DirectoryMatch>
        <DirectoryMatch "/sub/$">
            PythonOption slash_dollar yes
        </DirectoryMatch>
        <DirectoryMatch "/sub/f">
            PythonOption sub_f yes
        </DirectoryMatch>
        <Directory ~ "/de+p">
            PythonOption deep yes
        </Directory>
        """, {"htdocs/show.py": SHOW, "htdocs/sub/f.txt": "f", "htdocs/sub/deep/x.txt": "x",
              "htdocs/sub/deepx/y.txt": "y"})
    assert client.get("/sub/").text == shown("handler", [("slash_dollar", "yes")])
    assert client.get("/sub/f.txt").text == shown("handler", [("sub_f", "yes")])
    assert client.get("/sub/deep/x.txt").text == shown("handler", [("deep", "yes")])
    assert client.get("/sub/deepx/y.txt").text == shown("handler", [("deep", "yes")])


def test_files_and_files_match_apply_to_the_basename(make_site):
    client = make_site("""\
        DocumentRoot htdocs
        <Directory htdocs>
            SetHandler mod_python
            PythonHandler show
        </Directory>
        <Files "*.txt">
            PythonOption files txt
        </Files>
        <FilesMatch "^data\\.">
            PythonOption match data
        </FilesMatch>
        <Files "sub">
            PythonOption never yes
        </Files>
        """, {"htdocs/show.py": SHOW, "htdocs/sub/data.txt": "x", "htdocs/sub/data.csv": "x"})
    assert client.get("/sub/data.txt").text == shown("handler", [("files", "txt"), ("match", "data")])
    assert client.get("/sub/data.csv").text == shown("handler", [("match", "data")])
    assert client.get("/sub/other.txt").text == shown("handler", [("files", "txt")])
    assert client.get("/data.txt.bak").text == shown("handler", [("match", "data")])


def test_files_sections_see_an_empty_basename_for_a_directory(make_site):
    # httpd's file walk takes what follows the last "/" of the filename.
    client = make_site("""\
        DocumentRoot htdocs
        <Directory htdocs>
            SetHandler mod_python
            PythonHandler show
        </Directory>
        <Files "sub">
            PythonOption named yes
        </Files>
        <Files "*">
            PythonOption star yes
        </Files>
        """, {"htdocs/show.py": SHOW, "htdocs/sub/f.txt": "x"})
    assert client.get("/sub/").text == shown("handler", [("star", "yes")])
    assert client.get("/sub/f.txt").text == shown("handler", [("star", "yes")])


def test_files_nested_in_a_directory_apply_only_inside_it(make_site):
    client = make_site("""\
        DocumentRoot htdocs
        <Directory htdocs>
            SetHandler mod_python
            PythonHandler show
        </Directory>
        <Directory htdocs/sub>
            <Files "*.txt">
                PythonOption nested yes
            </Files>
        </Directory>
        """, {"htdocs/show.py": SHOW, "htdocs/sub/deep/x.txt": "x", "htdocs/other/x.txt": "x"})
    assert client.get("/sub/a.txt").text == shown("handler", [("nested", "yes")])
    assert client.get("/sub/deep/x.txt").text == shown("handler", [("nested", "yes")])
    assert client.get("/sub/a.csv").text == shown("handler", [])
    assert client.get("/other/x.txt").text == shown("handler", [])


def test_location_is_merged_last_and_wins_over_later_directories(make_site):
    client = make_site("""\
        DocumentRoot htdocs
        <Location /sub>
            PythonOption where location
        </Location>
        <Files "*.txt">
            PythonOption where files
        </Files>
        <Directory htdocs>
            SetHandler mod_python
            PythonHandler show
            PythonOption where directory
        </Directory>
        """, {"htdocs/show.py": SHOW, "htdocs/sub/x.txt": "x"})
    assert client.get("/sub/x.txt").text == shown("handler", [("where", "location")])
    assert client.get("/x.txt").text == shown("handler", [("where", "files")])
    assert client.get("/subx/x.csv").text == shown("handler", [("where", "directory")])


def test_wildcard_directory_matches_one_component_per_star(make_site):
    client = make_site("""\
        DocumentRoot htdocs
        <Directory htdocs>
            SetHandler mod_python
            PythonHandler show
        </Directory>
        <Directory htdocs/*/private>
            PythonOption private yes
        </Directory>
        """, {"htdocs/show.py": SHOW, "htdocs/alice/private/deep/a.txt": "a", "htdocs/alice/public/a.txt": "a",
              "htdocs/private/a.txt": "a"})
    assert client.get("/alice/private/a.txt").text == shown("handler", [("private", "yes")])
    assert client.get("/alice/private/deep/a.txt").text == shown("handler", [("private", "yes")])
    assert client.get("/alice/public/a.txt").text == shown("handler", [])
    assert client.get("/private/a.txt").text == shown("handler", [])


def test_location_matches_whole_segments_and_wildcards_stop_at_slashes(make_site):
    client = make_site("""\
        DocumentRoot htdocs
        <Directory htdocs>
            SetHandler mod_python
            PythonHandler show
        </Directory>
        <Location /private>
            PythonOption private yes
        </Location>
        <Location /files/*.txt>
            PythonOption wild yes
        </Location>
        <LocationMatch "^/re/[0-9]+$">
            PythonOption regex yes
        </LocationMatch>
        <Location /slash/>
            PythonOption slash yes
        </Location>
        <Location /v?/[a-c]*>
            PythonOption classes yes
        </Location>
        <Location /n/[!a]>
            PythonOption negated yes
        </Location>
        """, {"htdocs/show.py": SHOW})
    assert client.get("/private").text == shown("handler", [("private", "yes")])
    assert client.get("/private/x").text == shown("handler", [("private", "yes")])
    assert client.get("/private123").text == shown("handler", [])
    assert client.get("/files/a.txt").text == shown("handler", [("wild", "yes")])
    # httpd matches wildcard Locations with FNM_PATHNAME: "*" does not cross "/".
    assert client.get("/files/sub/a.txt").text == shown("handler", [])
    assert client.get("/re/42").text == shown("handler", [("regex", "yes")])
    assert client.get("/re/42/x").text == shown("handler", [])
    assert client.get("/slash/x").text == shown("handler", [("slash", "yes")])
    assert client.get("/slash").text == shown("handler", [])
    assert client.get("/v1/apple").text == shown("handler", [("classes", "yes")])
    assert client.get("/v1/damson").text == shown("handler", [])
    assert client.get("/v12/apple").text == shown("handler", [])
    assert client.get("/n/b").text == shown("handler", [("negated", "yes")])
    assert client.get("/n/a").text == shown("handler", [])


def test_python_handler_of_a_deeper_section_replaces_the_inherited_list(make_site):
    client = make_site("""\
        DocumentRoot htdocs
        <Directory htdocs>
            SetHandler mod_python
            PythonHandler show
            PythonHandler show::second
        </Directory>
        <Directory htdocs/sub>
            PythonHandler show::third
        </Directory>
        """, {"htdocs/show.py": SHOW, "htdocs/sub/show.py": SHOW})
    # Stacked in one section: both run, in order.
    assert client.get("/").text == shown("handler", []) + shown("second", [])
    assert client.get("/sub/").text == shown("third", [])


def test_handlers_on_one_line_stack(make_site):
    client = make_site("""\
        DocumentRoot htdocs
        <Directory htdocs>
            SetHandler mod_python
            PythonHandler show::third show::second
        </Directory>
        """, {"htdocs/show.py": SHOW})
    assert client.get("/").text == shown("third", []) + shown("second", [])


def test_pipe_ext_list_wins_for_its_extension(make_site):
    # The reference's test_pipe_ext: one section, a "| .py" list and a plain one.
    client = make_site("""\
        DocumentRoot htdocs
        <Directory htdocs>
            SetHandler mod_python
            PythonHandler show::second | .py
            PythonHandler show
        </Directory>
        <Directory htdocs/sub>
            PythonHandler show::third
        </Directory>
        """, {"htdocs/show.py": SHOW, "htdocs/sub/show.py": SHOW, "htdocs/tests.py": "# page\n"})
    assert client.get("/tests.py/pipe_ext").text == shown("second", [])
    assert client.get("/tests/anything").text == shown("handler", [])
    # The inherited ".py" list still wins over the deeper unqualified one...
    assert client.get("/sub/page.py").text == shown("second", [])
    assert client.get("/sub/page.txt").text == shown("third", [])
    # ...and the extension is everything after the first dot.
    assert client.get("/sub/archive.tar.py").text == shown("third", [])


def test_set_handler_none_cancels_an_inherited_set_handler_but_not_add_handler(make_site):
    # Checked on httpd 2.4.71: AddHandler still applies under "SetHandler None",
    # every extension of the name counts, and RemoveHandler takes one away.
    client = make_site("""\
        DocumentRoot htdocs
        <Directory htdocs>
            SetHandler mod_python
            PythonHandler show
        </Directory>
        <Directory htdocs/mixed>
            SetHandler None
            AddHandler mod_python .py
        </Directory>
        <Files "plain.txt.py">
            RemoveHandler .py
        </Files>
        """, {"htdocs/show.py": SHOW, "htdocs/mixed/page.py": "# page\n", "htdocs/mixed/notes.py.txt": "n\n",
              "htdocs/mixed/readme.txt": "readme\n", "htdocs/mixed/plain.txt.py": "plain\n"})
    assert client.get("/mixed/page.py").text == shown("handler", [])
    assert client.get("/mixed/notes.py.txt").text == shown("handler", [])
    res = client.get("/mixed/readme.txt")
    assert (res.status, res.body) == ("200 OK", b"readme\n")
    res = client.get("/mixed/plain.txt.py")
    assert (res.status, res.headers["Content-Type"], res.body) == ("200 OK", "text/x-python", b"plain\n")


def test_python_debug_is_per_section(make_site):
    boom = "def handler(req):\n    raise ValueError('boom')\n"
    client = make_site("""\
        DocumentRoot htdocs
        <Directory htdocs>
            SetHandler mod_python
            PythonHandler show
            PythonAutoReload Off
        </Directory>
        <Directory htdocs/debug>
            PythonHandler boom
            PythonDebug On
        </Directory>
        <Directory htdocs/quiet>
            PythonHandler boom
        </Directory>
        """, {"htdocs/show.py": SHOW, "htdocs/debug/boom.py": boom, "htdocs/quiet/boom.py": boom})
    assert client.get("/").text == shown("handler", [], [("PythonAutoReload", "0")])
    res = client.get("/debug/")
    assert res.status == "500 Internal Server Error"
    assert res.headers["Content-Type"] == "text/html"
    assert res.text.startswith(
        '\n<pre>\nMod_python error: "PythonHandler boom"\n\nTraceback (most recent call last):\n')
    assert res.text.endswith("ValueError: boom\n\n</pre>\n")
    res = client.get("/quiet/")
    assert res.status == "500 Internal Server Error"
    assert res.headers["Content-Type"] == "text/html; charset=iso-8859-1"
    assert res.headers["Content-Length"] == "571"
    assert "Traceback" not in res.text


def test_get_config_holds_the_python_settings_but_no_handlers_or_options(make_site):
    client = make_site("""\
        DocumentRoot htdocs
        PythonInterpreter shared
        <Directory htdocs>
            SetHandler mod_python
            PythonHandler show
            PythonDebug On
            PythonAutoReload Off
            PythonOption a b
        </Directory>
        """, {"htdocs/show.py": SHOW})
    assert client.get("/").text == shown("handler", [("a", "b")], [
        ("PythonAutoReload", "0"), ("PythonDebug", "1"), ("PythonInterpreter", "shared")])


# -- virtual hosts ---------------------------------------------------------------------------

VHOSTS = """\
    ServerName main.example
    DocumentRoot htdocs
    PythonOption level main
    <Directory htdocs>
        SetHandler mod_python
        PythonHandler who
    </Directory>
    <VirtualHost *:80>
        ServerName first.example
    </VirtualHost>
    <VirtualHost *:80>
        ServerName app.example
        ServerAlias www.app.example *.wild.example
        DocumentRoot htdocs/app
        PythonOption level vhost
    </VirtualHost>
    """


@pytest.fixture
def vhosts(make_site):
    return make_site(VHOSTS, {"htdocs/who.py": WHO, "htdocs/app/who.py": WHO})


def who(name, root, level):
    return "server_hostname=%s\ninterpreter=%s\ndocument_root=%s\noptions=[('level', %r)]\n" % (
        name, name, root, level)


@pytest.mark.parametrize("host", ["app.example", "APP.Example:8080", "www.app.example", "x.wild.example",
                                  "a.b.wild.example", "app.example."])
def test_virtual_host_is_chosen_by_server_name_or_alias(make_site, vhosts, host):
    res = vhosts.get("/", headers={"Host": host})
    assert (res.status, res.text) == ("200 OK", who("app.example", make_site.root / "htdocs" / "app", "vhost"))


@pytest.mark.parametrize("host", ["first.example", "unknown.example", "wild.example", "main.example", None])
def test_unmatched_host_goes_to_the_first_virtual_host(make_site, vhosts, host):
    # With name-based virtual hosts the main server's own name selects nothing:
    # Apache hands every unmatched request to the first vhost.
    res = vhosts.get("/", headers={"Host": host} if host else {},
                     extra_environ={} if host else {"HTTP_HOST": "", "SERVER_NAME": ""})
    assert (res.status, res.text) == ("200 OK", who("first.example", make_site.root / "htdocs", "main"))


def test_server_without_virtual_hosts_names_its_interpreter_after_server_name(make_site):
    client = make_site(VHOSTS.split("    <VirtualHost")[0], {"htdocs/who.py": WHO})
    res = client.get("/", headers={"Host": "anything.example"})
    assert res.text == who("main.example", make_site.root / "htdocs", "main")


def test_virtual_host_sections_merge_after_the_main_servers(make_site):
    client = make_site("""\
        ServerName main.example
        DocumentRoot htdocs
        <Directory htdocs>
            SetHandler mod_python
            PythonHandler show
            PythonOption where main
        </Directory>
        <VirtualHost *:80>
            ServerName app.example
            <Directory htdocs>
                PythonOption where vhost
            </Directory>
        </VirtualHost>
        <VirtualHost *:80>
            ServerName other.example
        </VirtualHost>
        """, {"htdocs/show.py": SHOW})
    assert client.get("/", headers={"Host": "app.example"}).text == shown("handler", [("where", "vhost")])
    assert client.get("/", headers={"Host": "other.example"}).text == shown("handler", [("where", "main")])
