"""Importing handler modules: the legacy namespace, reloading, sys.path, PythonImport, interpreters."""
from __future__ import annotations

import logging
import os
import sys

import pytest

from modpy_compat import make_app
from modpy_compat.errors import HandlerImportError
from tests.support.pages import PAGE_500


def rewrite(path, text):
    """Replace a module's source and move its mtime on, so the change is seen at once."""
    before = os.stat(path).st_mtime
    with open(path, "w") as fh:
        fh.write(text)
    os.utime(path, (before + 10, before + 10))


def handler_source(text):
    return "from mod_python import apache\n\ndef handler(req):\n    req.write(%r)\n    return apache.OK\n" % text


SIMPLE = """
    <Directory app>
        SetHandler mod_python
        PythonHandler %s
    </Directory>
"""


# -- the legacy mod_python namespace ------------------------------------------------------


def test_mod_python_apache_is_the_legacy_face_of_modpy_compat(site):
    client = site(SIMPLE % "legacy", {"app/legacy.py": """
        import _apache
        import mod_python
        import modpy_compat.mod_python.apache
        from mod_python import apache

        def handler(req):
            req.write("same module: %s, same SERVER_RETURN: %s, version %s" % (
                apache is modpy_compat.mod_python.apache,
                _apache.SERVER_RETURN is apache.SERVER_RETURN,
                mod_python.version))
            return apache.OK
        """})

    res = client.get("/app/x")

    assert res.status == "200 OK"
    assert res.text == "same module: True, same SERVER_RETURN: True, version 3.5.0"


def test_legacy_namespace_is_shared_with_code_outside_handlers():
    import mod_python.apache
    import modpy_compat.mod_python.apache

    assert mod_python.apache is modpy_compat.mod_python.apache
    assert sys.modules["mod_python.apache"] is modpy_compat.mod_python.apache


# -- module identity and reloading ------------------------------------------------------------


def test_two_directories_with_the_same_module_name_do_not_collide(site):
    client = site("""
        <Directory one>
            SetHandler mod_python
            PythonHandler handler
        </Directory>
        <Directory two>
            SetHandler mod_python
            PythonHandler handler
        </Directory>
        """, {"one/handler.py": handler_source("first"), "two/handler.py": handler_source("second")})

    assert client.get("/one/x").text == "first"
    assert client.get("/two/x").text == "second"
    assert client.get("/one/x").text == "first"


def test_autoreload_runs_the_edited_handler_on_the_next_request(site):
    client = site(SIMPLE % "live", {"app/live.py": handler_source("old code")})
    assert client.get("/app/x").text == "old code"

    rewrite(os.path.join(str(site.root), "app", "live.py"), handler_source("new code"))

    assert client.get("/app/x").text == "new code"


def test_autoreload_off_keeps_the_loaded_handler(site):
    client = site("""
        <Directory app>
            SetHandler mod_python
            PythonAutoReload Off
            PythonHandler frozen
        </Directory>
        """, {"app/frozen.py": handler_source("old code")})
    assert client.get("/app/x").text == "old code"

    rewrite(os.path.join(str(site.root), "app", "frozen.py"), handler_source("new code"))

    assert client.get("/app/x").text == "old code"


def test_reload_calls_the_clone_and_purge_hooks_of_the_old_module(site):
    source = """
from mod_python import apache

GENERATION = %d
counter = [0]

def __mp_clone__(new):
    new.counter = counter

def __mp_purge__():
    counter.append("purged %%d" %% GENERATION)

def handler(req):
    counter[0] += 1
    req.write("generation %%d, call %%d, %%s" %% (GENERATION, counter[0], counter[1:]))
    return apache.OK
"""
    client = site(SIMPLE % "stateful", {"app/stateful.py": source % 1})
    assert client.get("/app/x").text == "generation 1, call 1, []"

    rewrite(os.path.join(str(site.root), "app", "stateful.py"), source % 2)

    assert client.get("/app/x").text == "generation 2, call 2, ['purged 1']"


def test_handler_whose_reload_fails_answers_500_and_recovers_when_fixed(site):
    client = site(SIMPLE % "fragile", {"app/fragile.py": handler_source("fine")})
    path = os.path.join(str(site.root), "app", "fragile.py")
    assert client.get("/app/x").text == "fine"

    rewrite(path, "def handler(req:\n")
    broken = client.get("/app/x")
    rewrite(path, handler_source("fixed"))

    assert broken.status == "500 Internal Server Error"
    assert broken.text == PAGE_500
    assert "SyntaxError" in broken.errors
    assert client.get("/app/x").text == "fixed"


def test_apache_import_module_reloads_a_module_imported_by_name(site):
    client = site(SIMPLE % "uses_helper", {"app/uses_helper.py": """
        from mod_python import apache
        import loader_helper_by_name

        def handler(req):
            module = apache.import_module("loader_helper_by_name")
            req.write(module.VALUE)
            return apache.OK
        """, "app/loader_helper_by_name.py": "VALUE = 'one'\n"})
    assert client.get("/app/x").text == "one"

    rewrite(os.path.join(str(site.root), "app", "loader_helper_by_name.py"), "VALUE = 'two'\n")

    assert client.get("/app/x").text == "two"


def test_apache_import_module_with_path_loads_by_file_and_reloads(site):
    root = str(site.root)
    client = site(SIMPLE % "uses_lib", {"app/uses_lib.py": """
        from mod_python import apache

        def handler(req):
            lib = apache.import_module("pathlib_helper", path=[%r])
            frozen = apache.import_module("pathlib_helper", autoreload=0, path=[%r])
            req.write("%%s %%s" %% (lib.VALUE, frozen is lib))
            return apache.OK
        """ % (os.path.join(root, "lib"), os.path.join(root, "lib")),
        "lib/pathlib_helper.py": "VALUE = 'one'\n"})
    assert client.get("/app/x").text == "one True"

    rewrite(os.path.join(root, "lib", "pathlib_helper.py"), "VALUE = 'two'\n")

    assert client.get("/app/x").text == "two True"


# -- sys.path and PythonPath --------------------------------------------------------------------


def test_handler_directory_is_prepended_to_sys_path(site):
    client = site(SIMPLE % "importer", {"app/importer.py": """
        import os
        import sys
        from mod_python import apache
        import sibling_of_importer

        def handler(req):
            here = os.path.dirname(__file__)
            req.write("%s, dir first: %s" % (sibling_of_importer.NAME, sys.path[0] == here))
            return apache.OK
        """, "app/sibling_of_importer.py": "NAME = 'sibling found'\n"})

    res = client.get("/app/x")

    assert res.status == "200 OK"
    assert res.text == "sibling found, dir first: True"
    assert sys.path.count(os.path.join(str(site.root), "app")) == 1


def test_python_path_replaces_sys_path_once_per_distinct_expression(site):
    root = str(site.root)
    client = site("""
        <Directory app>
            SetHandler mod_python
            PythonPath "[%r] + sys.path"
            PythonHandler pp
        </Directory>
        <Directory app/other>
            PythonPath "sys.path + [%r]"
        </Directory>
        """ % (os.path.join(root, "lib"), os.path.join(root, "more")), {"app/pp.py": """
        import sys
        from mod_python import apache

        def handler(req):
            import pp_lib
            first = sys.path[0].rsplit("/", 1)[-1]
            last = sys.path[-1].rsplit("/", 1)[-1]
            req.write("%%s first=%%s last=%%s marked=%%s app=%%s" %% (
                pp_lib.NAME, first, last, "MARK" in sys.path, %r in sys.path))
            sys.path.append("MARK")
            return apache.OK
        """ % os.path.join(root, "app"), "lib/pp_lib.py": "NAME = 'lib'\n", "app/other/x.txt": ""})

    last = sys.path[-1].rsplit("/", 1)[-1]
    # the handler directory is not added while PythonPath is in effect
    assert client.get("/app/x").text == "lib first=lib last=%s marked=False app=False" % last
    # the same expression is not evaluated again: the handler's change stays
    assert client.get("/app/x").text.endswith("marked=True app=False")
    # a different expression replaces sys.path again
    assert client.get("/app/other/x").text.startswith("lib first=lib last=more ")


def test_python_path_at_server_level_does_not_duplicate_the_handler_directory(site):
    root = str(site.root)
    client = site("""
        PythonPath "[%r] + sys.path"
        <Directory app>
            SetHandler mod_python
            PythonHandler counted
        </Directory>
        """ % os.path.join(root, "app"), {"app/counted.py": """
        import sys
        from mod_python import apache

        def handler(req):
            req.write(str(sys.path.count(%r)))
            return apache.OK
        """ % os.path.join(root, "app")})

    assert client.get("/app/x").text == "1"
    assert client.get("/app/x").text == "1"


def test_location_handler_is_imported_through_python_path(site):
    root = str(site.root)
    client = site("""
        <Location /loc>
            SetHandler mod_python
            PythonPath "sys.path + [%r]"
            PythonHandler lochandler_mod
        </Location>
        """ % os.path.join(root, "code"), {"code/lochandler_mod.py": """
        from mod_python import apache

        def handler(req):
            req.write("location %s, directory %s, is_location %d" % (
                req.uri, req.hlist.directory, req.hlist.is_location))
            return apache.OK
        """})

    assert client.get("/loc/a/b").text == "location /loc/a/b, directory /loc, is_location 1"


# -- start-up: PythonImport and configured handlers ---------------------------------------------


def test_python_import_runs_at_start_up_in_reverse_order(make_site):
    root = str(make_site.root)
    conf = """
        PythonPath "sys.path + [%r]"
        PythonImport imp_first::setup example.org
        PythonImport imp_second example.org
        PythonImport imp_third::setup example.org
        """ % os.path.join(root, "lib")
    record = """
import os
def _mark(what):
    with open(os.path.join(os.path.dirname(__file__), "imports.txt"), "a") as fh:
        fh.write(what + "\\n")
_mark("imported " + __name__)
def setup():
    _mark("setup " + __name__)
"""
    make_site(conf, {"lib/imp_first.py": record, "lib/imp_second.py": record,
                     "lib/imp_third.py": record})

    with open(os.path.join(root, "lib", "imports.txt")) as fh:
        assert fh.read().split("\n") == [
            "imported imp_third", "setup imp_third", "imported imp_second",
            "imported imp_first", "setup imp_first", ""]


def test_failing_python_import_is_logged_and_start_up_goes_on(site, caplog):
    root = str(site.root)
    client = site("""
        PythonPath "sys.path + [%r]"
        PythonImport imp_broken example.org
        PythonImport imp_nofunc::missing example.org
        <Directory app>
            SetHandler mod_python
            PythonHandler fine
        </Directory>
        """ % os.path.join(root, "lib"), {
            "lib/imp_broken.py": "raise RuntimeError('cannot start')\n",
            "lib/imp_nofunc.py": "",
            "app/fine.py": handler_source("still serving")})

    assert client.get("/app/x").text == "still serving"
    assert "PythonImport imp_broken failed" in caplog.text
    assert "RuntimeError: cannot start" in caplog.text
    assert "PythonImport imp_nofunc::missing failed" in caplog.text


def test_handler_module_that_fails_to_import_stops_make_app(tmp_path):
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "broken.py").write_text("import no_such_module_anywhere\n")
    conf = tmp_path / "site.conf"
    conf.write_text("ServerName example.org\n<Directory app>\n    SetHandler mod_python\n"
                    "    PythonHandler broken\n</Directory>\n")

    with pytest.raises(HandlerImportError) as info:
        make_app(str(conf))

    error = info.value
    assert error.module == "broken"
    assert error.directive == "%s:4" % conf
    assert str(error).startswith("%s:4: cannot import 'broken': ModuleNotFoundError: " % conf)
    assert isinstance(error.cause, ModuleNotFoundError)
    assert "no_such_module_anywhere" in error.traceback


def test_handler_module_that_does_not_exist_stops_make_app(tmp_path):
    conf = tmp_path / "site.conf"
    conf.write_text("PythonHandler no_such_handler_module\n")

    with pytest.raises(HandlerImportError) as info:
        make_app(str(conf))

    assert info.value.directive == "%s:1" % conf


def test_missing_handler_function_is_a_500_naming_the_module_file(site):
    client = site(SIMPLE % "nofunc::absent", {"app/nofunc.py": "X = 1\n"})

    res = client.get("/app/x")

    assert res.status == "500 Internal Server Error"
    assert res.text == PAGE_500
    path = os.path.join(str(site.root), "app", "nofunc.py")
    assert "AttributeError: module '%s' contains no 'absent'" % path in res.errors


def test_handler_that_is_not_callable_is_a_500(site):
    client = site(SIMPLE % "notcall", {"app/notcall.py": "handler = None\n"})

    res = client.get("/app/x")

    assert res.status == "500 Internal Server Error"
    assert "TypeError" in res.errors


# -- interpreter names ----------------------------------------------------------------------------


INTERP = """
from mod_python import apache

def handler(req):
    req.write(req.interpreter)
    return apache.OK
"""


def test_interpreter_defaults_to_the_server_name(site):
    client = site("ServerName www.example.org\n" + SIMPLE % "interp", {"app/interp.py": INTERP})

    assert client.get("/app/x").text == "www.example.org"


def test_interpreter_of_a_virtual_host_is_its_server_name(site):
    client = site("""
        ServerName main.example.org
        <VirtualHost *:80>
            ServerName vhost.example.org
        </VirtualHost>
        """ + SIMPLE % "interp", {"app/interp.py": INTERP})

    assert client.get("/app/x", headers={"Host": "vhost.example.org"}).text == "vhost.example.org"


def test_python_interpreter_names_the_interpreter(site):
    client = site("""
        ServerName www.example.org
        <Directory app>
            SetHandler mod_python
            PythonInterpreter shared_one
            PythonHandler interp
        </Directory>
        """, {"app/interp.py": INTERP})

    assert client.get("/app/x").text == "shared_one"


def test_interpreter_is_chosen_per_phase(site):
    root = str(site.root)
    client = site("""
        ServerName www.example.org
        PythonPath "sys.path + [%r]"
        PythonPostReadRequestHandler interp_early
        <Directory app>
            SetHandler mod_python
            PythonInterpreter shared_one
            PythonHandler interp_early::content
        </Directory>
        """ % os.path.join(root, "app"), {"app/interp_early.py": """
        from mod_python import apache

        def postreadrequesthandler(req):
            req.early = req.interpreter
            return apache.OK

        def content(req):
            req.write("%s then %s" % (req.early, req.interpreter))
            return apache.OK
        """})

    assert client.get("/app/x").text == "www.example.org then shared_one"


def test_interp_per_directory_names_the_directory_of_the_file(site):
    root = str(site.root)
    client = site("""
        <Directory app>
            SetHandler mod_python
            PythonInterpPerDirectory On
            PythonHandler interp
        </Directory>
        """, {"app/interp.py": INTERP, "app/subdir/foo.py": ""})

    app = os.path.join(root, "app")
    assert client.get("/app/subdir/foo.py").text == app + "/subdir/"
    assert client.get("/app/subdir/").text == app + "/subdir/"
    assert client.get("/app/x").text == app + "/"
    assert client.get("/app/").text == app + "/"


def test_interp_per_directive_names_the_directory_of_the_directive(site):
    root = str(site.root)
    client = site("""
        <Directory app>
            SetHandler mod_python
            PythonInterpPerDirective On
            PythonHandler interp
        </Directory>
        """, {"app/interp.py": INTERP, "app/subdir/foo.py": ""})

    assert client.get("/app/subdir/foo.py").text == os.path.join(root, "app") + "/"


def test_same_module_in_two_interpreters_is_loaded_twice(site):
    client = site("""
        <Directory app>
            SetHandler mod_python
            PythonHandler counter
        </Directory>
        <Directory app/sub>
            PythonInterpreter other
        </Directory>
        """, {"app/counter.py": """
        from mod_python import apache
        calls = []

        def handler(req):
            calls.append(1)
            req.write("%s %d" % (req.interpreter, len(calls)))
            return apache.OK
        """, "app/sub/x.txt": ""})

    assert client.get("/app/x").text.endswith(" 1")
    assert client.get("/app/x").text.endswith(" 2")
    assert client.get("/app/sub/x").text == "other 1"


# -- handler names that are paths; odd names ------------------------------------------------------


def test_handler_named_by_a_path_relative_to_the_handler_directory(site):
    client = site(SIMPLE % "~/lib/by_path.py::render", {"app/lib/by_path.py": """
        from mod_python import apache

        def render(req):
            req.write("loaded from " + __file__.rsplit("/", 3)[-3])
            return apache.OK
        """})

    assert client.get("/app/x").text == "loaded from app"


def test_handler_named_by_an_absolute_path(site):
    path = os.path.join(str(site.root), "elsewhere", "abs_handler.py")
    client = site(SIMPLE % path, {"elsewhere/abs_handler.py": handler_source("absolute"),
                                  "app/page.txt": ""})

    assert client.get("/app/x").text == "absolute"


def test_missing_nested_attribute_is_a_500(site):
    client = site(SIMPLE % "nested_missing::Holder.absent", {"app/nested_missing.py": """
        class Holder:
            def __init__(self, req):
                pass
        """})

    res = client.get("/app/x")

    assert res.status == "500 Internal Server Error"
    assert "AttributeError" in res.errors
    assert "absent" in res.errors


def test_unknown_legacy_module_is_not_found():
    with pytest.raises(ModuleNotFoundError):
        import mod_python.no_such_legacy_module  # noqa: F401


def test_python_debug_logs_handler_imports(site, caplog):
    client = site("""
        <Directory app>
            SetHandler mod_python
            PythonDebug On
            PythonHandler noisy
        </Directory>
        """, {"app/noisy.py": handler_source("noisy")})
    path = os.path.join(str(site.root), "app", "noisy.py")
    rewrite(path, handler_source("noisier"))

    with caplog.at_level(logging.INFO, logger="modpy_compat.loader"):
        assert client.get("/app/x").text == "noisier"

    assert "Reimporting module '%s'" % path in caplog.text


def test_python_path_is_evaluated_in_the_apache_module_namespace(site):
    root = str(site.root)
    client = site("""
        <Directory app>
            SetHandler mod_python
            PythonPath "[os.path.join(server_root(), 'lib')] + sys.path"
            PythonHandler uses_lib
        </Directory>
        """, {"app/uses_lib.py": """
        from mod_python import apache
        import ns_lib

        def handler(req):
            req.write(ns_lib.NAME)
            return apache.OK
        """, "lib/ns_lib.py": "NAME = 'found through server_root()'\n"})

    assert client.get("/app/x").text == "found through server_root()"


def test_module_imported_at_start_up_is_not_imported_again_for_its_interpreter(site):
    client = site("""
        <Directory app>
            SetHandler mod_python
            PythonInterpreter own_interpreter
            PythonHandler once
        </Directory>
        """, {"app/once.py": """
        import os
        from mod_python import apache

        with open(os.path.join(os.path.dirname(__file__), "loads.txt"), "a") as fh:
            fh.write("loaded\\n")

        def handler(req):
            req.write(req.interpreter)
            return apache.OK
        """})

    assert client.get("/app/x").text == "own_interpreter"
    with open(os.path.join(str(site.root), "app", "loads.txt")) as fh:
        assert fh.read() == "loaded\n"
