"""The request pipeline: which Python*Handler phases run, in which order, and what their results do.

Each test builds a small site with ``site`` and asserts the whole
response.  Phases that run after the response was produced (log, cleanup)
are observed through a file the handlers append to: WebTest closes the
response body, which is what runs them.
"""
from __future__ import annotations

import os
import sys

import pytest

from tests.support.pages import HTML_ERROR, PAGE_403, PAGE_404, PAGE_500


# Appends one line per call to calls.txt next to the module, then answers
# with the result named by the function.
MARKER = """\
import os
from mod_python import apache

CALLS = os.path.join(os.path.dirname(__file__), "calls.txt")


def mark(req, what):
    with open(CALLS, "a") as fh:
        fh.write("%s\\n" % what)
"""


def calls(site):
    path = os.path.join(str(site.root), "app", "calls.txt")
    if not os.path.exists(path):
        return []
    with open(path) as fh:
        return fh.read().split()


# -- order of the phases ------------------------------------------------------------


def test_every_phase_runs_in_apache_order(site):
    names = ["init", "postreadrequest", "trans", "headerparser", "access", "authen", "authz",
             "type", "fixup", "", "log", "cleanup"]
    source = MARKER
    for name in names:
        source += "\n\ndef %shandler(req):\n    mark(req, req.phase)\n" % name
        if name == "authen":
            source += "    req.user = 'someone'\n"
        if name == "":
            source += "    req.content_type = 'text/plain'\n    req.write(open(CALLS).read())\n"
        source += "    return apache.%s\n" % ("DECLINED" if name == "trans" else "OK")
    client = site("""
        PythonPath "sys.path + [%r]"
        PythonInitHandler trace_all
        PythonPostReadRequestHandler trace_all
        PythonTransHandler trace_all
        <Directory app>
            SetHandler mod_python
            AuthType Basic
            AuthName "Phases"
            Require valid-user
            PythonHeaderParserHandler trace_all
            PythonAccessHandler trace_all
            PythonAuthenHandler trace_all
            PythonAuthzHandler trace_all
            PythonTypeHandler trace_all
            PythonFixupHandler trace_all
            PythonHandler trace_all
            PythonLogHandler trace_all
            PythonCleanupHandler trace_all
        </Directory>
        """ % os.path.join(str(site.root), "app"), {"app/trace_all.py": source})

    res = client.get("/app/page")

    before_content = ["PythonInitHandler", "PythonPostReadRequestHandler", "PythonTransHandler",
                      "PythonHeaderParserHandler", "PythonAccessHandler", "PythonAuthenHandler",
                      "PythonAuthzHandler", "PythonTypeHandler", "PythonFixupHandler", "PythonHandler"]
    assert res.status == "200 OK"
    assert res.headers["Content-Type"] == "text/plain"
    assert res.text == "\n".join(before_content) + "\n"
    assert calls(site) == before_content + ["PythonLogHandler", "PythonCleanupHandler"]


def test_stacked_handlers_on_one_line_run_left_to_right(site):
    client = site("""
        <Directory app>
            SetHandler mod_python
            PythonFixupHandler stack::one stack::two stack::three
            PythonHandler stack::show
        </Directory>
        """, {"app/stack.py": """
        from mod_python import apache

        def one(req):
            req.seen = getattr(req, "seen", []) + ["1"]
            return apache.OK

        def two(req):
            req.seen = getattr(req, "seen", []) + ["2"]
            return apache.DECLINED

        def three(req):
            req.seen = getattr(req, "seen", []) + ["3"]
            return apache.OK

        def show(req):
            req.write(",".join(req.seen))
            return apache.OK
        """})

    res = client.get("/app/x")

    assert res.status == "200 OK"
    assert res.text == "1,2,3"


def test_repeated_directive_in_one_section_appends_to_the_stack(site):
    client = site("""
        <Directory app>
            SetHandler mod_python
            PythonHandler stack::one
            PythonHandler stack::two stack::three
        </Directory>
        """, {"app/stack.py": """
        from mod_python import apache

        def one(req):
            req.write("one ")
            return apache.OK

        def two(req):
            req.write("two ")
            return apache.DECLINED

        def three(req):
            req.write("three")
            return apache.OK
        """})

    res = client.get("/app/x")

    assert res.status == "200 OK"
    assert res.text == "one two three"


def test_more_specific_section_replaces_the_inherited_handler_list(site):
    client = site("""
        <Directory app>
            SetHandler mod_python
            PythonHandler stack::one
            PythonFixupHandler stack::fixup
        </Directory>
        <Directory app/sub>
            PythonHandler stack::two
        </Directory>
        """, {"app/stack.py": """
        from mod_python import apache

        def fixup(req):
            req.notes["fixup"] = "ran"
            return apache.OK

        def one(req):
            req.write("one")
            return apache.OK

        def two(req):
            req.write("two, fixup " + req.notes.get("fixup", "missing"))
            return apache.OK
        """, "app/sub/file.txt": "text"})

    assert client.get("/app/x").text == "one"
    assert client.get("/app/sub/x").text == "two, fixup ran"


def test_module_double_colon_function_names_the_callable(site):
    client = site("""
        <Directory app>
            SetHandler mod_python
            PythonHandler named::say_hello
        </Directory>
        """, {"app/named.py": """
        from mod_python import apache

        def handler(req):
            req.write("default")
            return apache.OK

        def say_hello(req):
            req.write("hello")
            return apache.OK
        """})

    res = client.get("/app/x")

    assert res.status == "200 OK"
    assert res.text == "hello"


def test_class_method_handler_is_called_on_an_instance_made_with_req(site):
    client = site("""
        <Directory app>
            SetHandler mod_python
            PythonHandler klass::Page.render
        </Directory>
        """, {"app/klass.py": """
        from mod_python import apache

        class Page:
            def __init__(self, req):
                self.uri = req.uri

            def render(self, req):
                req.content_type = "text/plain"
                req.write("made for %s, called with %s" % (self.uri, req.uri))
                return apache.OK
        """})

    res = client.get("/app/x")

    assert res.status == "200 OK"
    assert res.text == "made for /app/x, called with /app/x"


def test_nested_object_path_is_walked(site):
    client = site("""
        <Directory app>
            SetHandler mod_python
            PythonHandler nested::holder.inner.run
        </Directory>
        """, {"app/nested.py": """
        from mod_python import apache

        class _Inner:
            @staticmethod
            def run(req):
                req.write("deep")
                return apache.OK

        class _Holder:
            inner = _Inner()

        holder = _Holder()
        """})

    assert client.get("/app/x").text == "deep"


# -- results and the continue rules -------------------------------------------------


def test_phase_status_scenario_authen_stops_at_ok_fixups_run_all(site):
    # directives.md §4, test_phase_status: authen 1 DECLINED, 2 OK, 3 never
    # runs; authz 4 OK; fixups 5 DECLINED, 6 OK, 7 OK all run.
    client = site("""
        <Directory app>
            SetHandler mod_python
            AuthType bogus
            AuthName "Phase status"
            Require valid-user
            PythonAuthenHandler st::one st::two st::three
            PythonAuthzHandler st::four
            PythonFixupHandler st::five st::six st::seven
            PythonHandler st::show
            PythonCleanupHandler st::cleanup
        </Directory>
        """, {"app/st.py": MARKER + """

def _ran(req, n, result):
    req.phases = getattr(req, "phases", []) + [n]
    return result

def one(req):
    return _ran(req, 1, apache.DECLINED)

def two(req):
    req.user = "phase"
    return _ran(req, 2, apache.OK)

def three(req):
    return _ran(req, 3, apache.OK)

def four(req):
    return _ran(req, 4, apache.OK)

def five(req):
    return _ran(req, 5, apache.DECLINED)

def six(req):
    return _ran(req, 6, apache.OK)

def seven(req):
    return _ran(req, 7, apache.OK)

def show(req):
    req.write(repr(req.phases))
    return apache.OK

def cleanup(req):
    mark(req, "cleanup:" + ",".join(map(str, req.phases)))
    return apache.OK
"""})

    res = client.get("/app/x")

    assert res.status == "200 OK"
    assert res.text == "[1, 2, 4, 5, 6, 7]"
    assert calls(site) == ["cleanup:1,2,4,5,6,7"]


def test_content_stack_goes_on_after_ok_and_declined(site):
    client = site("""
        <Directory app>
            SetHandler mod_python
            PythonHandler cs::a cs::b cs::c
        </Directory>
        """, {"app/cs.py": """
        from mod_python import apache

        def a(req):
            req.write("a")
            return apache.OK

        def b(req):
            req.write("b")
            return apache.DECLINED

        def c(req):
            req.write("c")
            return apache.OK
        """})

    assert client.get("/app/x").text == "abc"


def test_content_stack_stops_at_done(site):
    client = site("""
        <Directory app>
            SetHandler mod_python
            PythonHandler cs::a cs::b
        </Directory>
        """, {"app/cs.py": """
        from mod_python import apache

        def a(req):
            req.write("a")
            return apache.DONE

        def b(req):
            req.write("b")
            return apache.OK
        """})

    res = client.get("/app/x")

    assert res.status == "200 OK"
    assert res.text == "a"


def test_done_from_a_fixup_sends_what_was_written_and_skips_content(site):
    client = site("""
        <Directory app>
            SetHandler mod_python
            PythonFixupHandler early::fixup
            PythonHandler early::content
        </Directory>
        """, {"app/early.py": MARKER + """

def fixup(req):
    req.content_type = "text/plain"
    req.status = 202
    req.write("written by the fixup", 0)
    return apache.DONE

def content(req):
    mark(req, "content")
    return apache.OK
"""})

    res = client.get("/app/x")

    assert res.status == "202 Accepted"
    assert res.headers["Content-Type"] == "text/plain"
    assert res.headers["Content-Length"] == "20"
    assert res.text == "written by the fixup"
    assert calls(site) == []


def test_done_from_post_read_request_handler_ends_the_request(site):
    client = site("""
        PythonPath "sys.path + [%r]"
        PythonPostReadRequestHandler prr
        """ % os.path.join(str(site.root), "lib"), {"lib/prr.py": """
        from mod_python import apache

        def postreadrequesthandler(req):
            req.content_type = "text/plain"
            req.write("test ok")
            return apache.DONE
        """})

    res = client.get("/no/such/file")

    assert res.status == "200 OK"
    assert res.text == "test ok"


def test_http_status_from_access_handler_answers_with_the_error_page(site):
    client = site("""
        <Directory app>
            SetHandler mod_python
            PythonAccessHandler guard
            PythonHandler guard::content
        </Directory>
        """, {"app/guard.py": """
        from mod_python import apache

        def accesshandler(req):
            req.headers_out["X-Dropped"] = "yes"
            req.err_headers_out["X-Kept"] = "yes"
            return apache.HTTP_FORBIDDEN

        def content(req):
            req.write("never")
            return apache.OK
        """})

    res = client.get("/app/x")

    assert res.status == "403 Forbidden"
    assert res.headers["Content-Type"] == HTML_ERROR
    assert res.headers["Content-Length"] == "239"
    assert res.headers["X-Kept"] == "yes"
    assert "X-Dropped" not in res.headers
    assert res.text == PAGE_403


def test_access_handler_stack_stops_at_the_first_error(site):
    client = site("""
        <Directory app>
            SetHandler mod_python
            PythonAccessHandler guard::deny guard::never
            PythonHandler guard::content
        </Directory>
        """, {"app/guard.py": MARKER + """

def deny(req):
    mark(req, "deny")
    return apache.HTTP_NOT_FOUND

def never(req):
    mark(req, "never")
    return apache.OK

def content(req):
    return apache.OK
"""})

    res = client.get("/app/x")

    assert res.status == "404 Not Found"
    assert res.text == PAGE_404
    assert calls(site) == ["deny"]


def test_trans_handler_setting_filename_and_returning_ok_skips_mapping(site):
    root = str(site.root)
    client = site("""
        PythonPath "sys.path + [%r]"
        PythonTransHandler trans
        <Directory real>
            SetHandler mod_python
            PythonHandler show
        </Directory>
        """ % os.path.join(root, "lib"), {
            "lib/trans.py": """
            import os
            from mod_python import apache

            def transhandler(req):
                if req.uri.startswith("/virtual/"):
                    req.filename = os.path.join(%r, "real", req.uri[len("/virtual/"):])
                    return apache.OK
                return apache.DECLINED
            """ % root,
            "real/show.py": """
            from mod_python import apache

            def handler(req):
                req.write("%%s %%s" %% (req.uri, req.filename[len(%r):]))
                return apache.OK
            """ % root,
            "real/page.html": "<p>page</p>"})

    res = client.get("/virtual/page.html")

    assert res.status == "200 OK"
    assert res.text == "/virtual/page.html /real/page.html"
    assert client.get("/real/page.html").text == "/real/page.html /real/page.html"


def test_trans_handler_error_status_answers_with_the_error_page(site):
    client = site("""
        PythonPath "sys.path + [%r]"
        PythonTransHandler trans
        """ % os.path.join(str(site.root), "lib"), {"lib/trans.py": """
        from mod_python import apache

        def transhandler(req):
            return apache.HTTP_FORBIDDEN
        """})

    res = client.get("/anything")

    assert res.status == "403 Forbidden"
    assert res.text == PAGE_403


def test_type_handler_can_set_the_content_type(site):
    client = site("""
        <Directory app>
            AddHandler mod_python .py
            PythonTypeHandler typing
            PythonHandler typing::content
        </Directory>
        """, {"app/typing.py": """
        from mod_python import apache

        def typehandler(req):
            req.notes["mime"] = req.content_type
            req.content_type = "application/x-chosen"
            return apache.OK

        def content(req):
            req.write("mod_mime said " + req.notes["mime"])
            return apache.OK
        """, "app/page.py": "# page"})

    res = client.get("/app/page.py")

    assert res.status == "200 OK"
    assert res.headers["Content-Type"] == "application/x-chosen"
    assert res.text == "mod_mime said text/x-python"


# -- SERVER_RETURN -------------------------------------------------------------------


SERVER_RETURN_MODULE = """
from mod_python import apache

def forbidden(req):
    raise apache.SERVER_RETURN(apache.HTTP_FORBIDDEN)

def done_404(req):
    req.content_type = "text/plain"
    req.write("gone away", 0)
    raise apache.SERVER_RETURN(apache.DONE, apache.HTTP_NOT_FOUND)

def ok(req):
    req.write("first ")
    raise apache.SERVER_RETURN(apache.OK)

def after(req):
    req.write("second")
    return apache.OK

def empty(req):
    raise apache.SERVER_RETURN()

def not_int(req):
    raise apache.SERVER_RETURN("403")
"""


def server_return_site(site, handlers):
    return site("""
        <Directory app>
            SetHandler mod_python
            PythonHandler %s
        </Directory>
        """ % handlers, {"app/sr.py": SERVER_RETURN_MODULE})


def test_server_return_with_a_status_answers_with_that_error_page(site):
    res = server_return_site(site, "sr::forbidden").get("/app/x")

    assert res.status == "403 Forbidden"
    assert res.text == PAGE_403


def test_server_return_done_with_a_status_sets_req_status(site):
    res = server_return_site(site, "sr::done_404").get("/app/x")

    assert res.status == "404 Not Found"
    assert res.headers["Content-Type"] == "text/plain"
    assert res.text == "gone away"


def test_server_return_ok_lets_the_stack_continue(site):
    res = server_return_site(site, "sr::ok sr::after").get("/app/x")

    assert res.status == "200 OK"
    assert res.text == "first second"


def test_server_return_without_arguments_is_a_500(site):
    res = server_return_site(site, "sr::empty").get("/app/x")

    assert res.status == "500 Internal Server Error"
    assert res.text == PAGE_500


def test_server_return_with_a_non_int_is_a_500(site):
    res = server_return_site(site, "sr::not_int").get("/app/x")

    assert res.status == "500 Internal Server Error"
    assert res.text == PAGE_500


# -- req.add_handler -----------------------------------------------------------------


def test_add_handler_for_the_current_phase_runs_later_in_the_same_loop(site):
    client = site("""
        <Directory app>
            SetHandler mod_python
            PythonFixupHandler add::first add::second
            PythonHandler add::show
        </Directory>
        """, {"app/add.py": """
        from mod_python import apache

        def _log(req, what):
            req.order = getattr(req, "order", []) + [what]

        def first(req):
            _log(req, "first")
            req.add_handler("PythonFixupHandler", "add::added")
            return apache.OK

        def second(req):
            _log(req, "second")
            return apache.OK

        def added(req):
            _log(req, "added:" + req.phase)
            return apache.OK

        def show(req):
            req.write(" ".join(req.order))
            return apache.OK
        """})

    assert client.get("/app/x").text == "first second added:PythonFixupHandler"


def test_add_handler_for_a_later_phase_runs_after_its_configured_handlers(site):
    client = site("""
        <Directory app>
            SetHandler mod_python
            PythonAccessHandler add::access
            PythonFixupHandler add::configured
            PythonHandler add::show
        </Directory>
        """, {"app/add.py": """
        from mod_python import apache

        def access(req):
            req.add_handler("PythonFixupHandler", "add::added")
            return apache.OK

        def configured(req):
            req.order = getattr(req, "order", []) + ["configured"]
            return apache.OK

        def added(req):
            req.order = getattr(req, "order", []) + ["added in " + req.phase]
            return apache.OK

        def show(req):
            req.write(", ".join(req.order))
            return apache.OK
        """})

    assert client.get("/app/x").text == "configured, added in PythonFixupHandler"


def test_content_handler_added_from_a_fixup_that_sets_req_handler(site):
    client = site("""
        <Directory app>
            PythonFixupHandler dyn
        </Directory>
        """, {"app/dyn.py": """
        from mod_python import apache

        def fixuphandler(req):
            req.handler = "mod_python"
            req.add_handler("PythonHandler", "dyn::content")
            return apache.OK

        def content(req):
            req.content_type = "text/plain"
            req.write("added content handler, hlist %s" % req.hlist.handler)
            return apache.OK
        """})

    res = client.get("/app/anything")

    assert res.status == "200 OK"
    assert res.text == "added content handler, hlist dyn::content"


def test_added_content_handler_does_not_run_unless_req_handler_is_mod_python(site):
    client = site("""
        <Directory app>
            PythonFixupHandler dyn
        </Directory>
        """, {"app/dyn.py": """
        from mod_python import apache

        def fixuphandler(req):
            req.add_handler("PythonHandler", "dyn::content")
            return apache.OK

        def content(req):
            req.write("should not run")
            return apache.OK
        """, "app/file.txt": "static text\n"})

    res = client.get("/app/file.txt")

    assert res.status == "200 OK"
    assert res.text == "static text\n"


@pytest.mark.parametrize("phase", ["PythonBogusHandler", "PythonCleanupHandler", "pythonhandler"])
def test_add_handler_with_an_invalid_phase_raises_index_error(site, phase):
    client = site("""
        <Directory app>
            SetHandler mod_python
            PythonHandler bad
        </Directory>
        """, {"app/bad.py": """
        from mod_python import apache

        def handler(req):
            try:
                req.add_handler(%r, "bad::other")
            except IndexError as exc:
                req.write("IndexError")
            return apache.OK
        """ % phase})

    assert client.get("/app/x").text == "IndexError"


def test_add_handler_with_a_directory_imports_from_there(site):
    root = str(site.root)
    client = site("""
        <Directory app>
            SetHandler mod_python
            PythonFixupHandler first
        </Directory>
        """, {"app/first.py": """
        from mod_python import apache

        def fixuphandler(req):
            req.add_handler("PythonHandler", "elsewhere", %r)
            return apache.OK
        """ % os.path.join(root, "other"), "other/elsewhere.py": """
        from mod_python import apache

        def handler(req):
            req.write("from other, hlist.directory=" + req.hlist.directory[len(%r):])
            return apache.OK
        """ % root})

    assert client.get("/app/x").text == "from other, hlist.directory=/other/"


# -- which handler list applies -----------------------------------------------------------


def test_pipe_ext_list_is_used_instead_of_the_plain_list_for_matching_files(site):
    client = site("""
        <Directory app>
            SetHandler mod_python
            PythonHandler ext::for_py | .py
            PythonHandler ext::plain
        </Directory>
        """, {"app/ext.py": """
        from mod_python import apache

        def for_py(req):
            req.write("py list, extension %s" % req.extension)
            return apache.OK

        def plain(req):
            req.write("plain list, extension %r" % (req.extension,))
            return apache.OK
        """, "app/tests.py": "# exists"})

    assert client.get("/app/tests.py/pipe_ext").text == "py list, extension .py"
    # real mod_python: '' for a file name without a dot, None for a dotted one
    # that no "| .ext" list matched
    assert client.get("/app/tests/anything").text == "plain list, extension ''"
    # everything after the first dot counts: a.tar.py is ".tar.py", not ".py"
    assert client.get("/app/a.tar.py").text == "plain list, extension None"


def test_handler_module_runs_the_phases_it_defines_and_skips_the_others(site):
    client = site("""
        <Directory app>
            SetHandler mod_python
            PythonHandlerModule whole
        </Directory>
        """, {"app/whole.py": MARKER + """

def headerparserhandler(req):
    mark(req, req.phase)
    return apache.OK

def fixuphandler(req):
    mark(req, req.phase)
    return apache.OK

def handler(req):
    mark(req, req.phase)
    req.write("module handler")
    return apache.OK

def loghandler(req):
    mark(req, req.phase)
    return apache.OK
"""})

    res = client.get("/app/x")

    assert res.status == "200 OK"
    assert res.text == "module handler"
    assert calls(site) == ["PythonHeaderParserHandler", "PythonFixupHandler", "PythonHandler",
                                "PythonLogHandler"]


def test_handler_module_without_a_content_function_falls_back_to_the_default_handler(site):
    client = site("""
        <Directory app>
            SetHandler mod_python
            PythonHandlerModule partial
        </Directory>
        """, {"app/partial.py": """
        from mod_python import apache

        def fixuphandler(req):
            return apache.OK
        """})

    res = client.get("/app/missing")

    assert res.status == "404 Not Found"
    assert res.text == PAGE_404


def test_init_handler_at_server_level_runs_before_post_read_request(site):
    client = site("""
        PythonPath "sys.path + [%r]"
        PythonInitHandler early::inithandler
        PythonPostReadRequestHandler early::postreadrequesthandler
        <Directory app>
            SetHandler mod_python
            PythonHandler early::content
        </Directory>
        """ % os.path.join(str(site.root), "app"), {"app/early.py": """
        from mod_python import apache

        def inithandler(req):
            req.order = getattr(req, "order", []) + ["init"]
            return apache.OK

        def postreadrequesthandler(req):
            req.order = getattr(req, "order", []) + ["postread"]
            return apache.OK

        def content(req):
            req.write(" ".join(req.order))
            return apache.OK
        """})

    assert client.get("/app/x").text == "init postread"


def test_init_handler_in_a_directory_does_not_run_for_ordinary_requests(site):
    # mod_python marks python_init_ran in post-read-request for every main
    # request, so a directory-level PythonInitHandler is skipped (directives.md §1).
    client = site("""
        <Directory app>
            SetHandler mod_python
            PythonInitHandler early
            PythonHandler early::content
        </Directory>
        """, {"app/early.py": """
        from mod_python import apache

        def inithandler(req):
            req.notes["init"] = "ran"
            return apache.OK

        def content(req):
            req.write("init " + req.notes.get("init", "did not run"))
            return apache.OK
        """})

    assert client.get("/app/x").text == "init did not run"


def test_init_handler_in_a_directory_runs_for_an_internal_redirect(site):
    client = site("""
        <Directory app>
            SetHandler mod_python
            PythonHandler redir
        </Directory>
        <Directory target>
            SetHandler mod_python
            PythonInitHandler landing
            PythonHandler landing::content
        </Directory>
        """, {"app/redir.py": """
        from mod_python import apache

        def handler(req):
            req.internal_redirect("/target/x")
            return apache.OK
        """, "target/landing.py": """
        from mod_python import apache

        def inithandler(req):
            req.notes["init"] = "ran"
            return apache.OK

        def content(req):
            req.write("init " + req.notes.get("init", "did not run"))
            return apache.OK
        """})

    assert client.get("/app/x").text == "init ran"


# -- the content phase and req.handler -------------------------------------------------


def test_declined_content_handler_falls_back_to_the_default_handler(site):
    client = site("""
        <Directory app>
            SetHandler mod_python
            PythonHandler shy
        </Directory>
        """, {"app/shy.py": """
        from mod_python import apache

        def handler(req):
            req.headers_out["X-Shy"] = "1"
            return apache.DECLINED
        """, "app/file.txt": "the file\n"})

    missing = client.get("/app/missing")
    present = client.get("/app/file.txt")

    assert missing.status == "404 Not Found"
    assert missing.headers["Content-Type"] == HTML_ERROR
    assert missing.text == PAGE_404
    assert present.status == "200 OK"
    assert present.headers["Content-Type"] == "text/plain"
    assert present.text == "the file\n"


def test_handler_not_run_when_req_handler_is_not_mod_python(site):
    client = site("""
        <Directory app>
            AddHandler mod_python .py
            PythonHandler only_py
        </Directory>
        """, {"app/only_py.py": """
        from mod_python import apache

        def handler(req):
            req.write("python for " + req.uri)
            return apache.OK
        """, "app/page.py": "# page", "app/notes.txt": "plain notes\n"})

    assert client.get("/app/page.py").text == "python for /app/page.py"
    res = client.get("/app/notes.txt")
    assert res.status == "200 OK"
    assert res.headers["Content-Type"] == "text/plain"
    assert res.text == "plain notes\n"


def test_set_handler_to_another_handler_keeps_python_handler_out(site):
    client = site("""
        <Directory app>
            SetHandler default-handler
            PythonHandler never
        </Directory>
        """, {"app/never.py": """
        from mod_python import apache

        def handler(req):
            req.write("ran")
            return apache.OK
        """, "app/page.txt": "static\n"})

    assert client.get("/app/page.txt").text == "static\n"


def test_python_program_is_accepted_as_the_handler_name(site):
    client = site("""
        <Directory app>
            SetHandler python-program
            PythonHandler old
        </Directory>
        """, {"app/old.py": """
        from mod_python import apache

        def handler(req):
            req.write("handler %s" % req.handler)
            return apache.OK
        """})

    res = client.get("/app/x")

    assert res.status == "200 OK"
    assert res.text == "handler python-program"


def test_content_handler_returning_http_status_after_buffered_write_gives_clean_page(site):
    client = site("""
        <Directory app>
            SetHandler mod_python
            PythonHandler nf
        </Directory>
        """, {"app/nf.py": """
        from mod_python import apache

        def handler(req):
            req.content_type = "text/plain"
            req.headers_out["X-Dropped"] = "1"
            req.write("discarded", 0)
            return apache.HTTP_NOT_FOUND
        """})

    res = client.get("/app/x")

    assert res.status == "404 Not Found"
    assert res.headers["Content-Type"] == HTML_ERROR
    assert res.headers["Content-Length"] == "236"
    assert "X-Dropped" not in res.headers
    assert res.text == PAGE_404


def test_content_handler_returning_http_status_after_flushed_write_appends_the_page(site):
    # FINDINGS c/j: once headers went out the status cannot change; Apache
    # still sends its error page after what was written.
    client = site("""
        <Directory app>
            SetHandler mod_python
            PythonHandler nf
        </Directory>
        """, {"app/nf.py": """
        from mod_python import apache

        def handler(req):
            req.content_type = "text/plain"
            req.write("x")
            return apache.HTTP_NOT_FOUND
        """})

    res = client.get("/app/x")

    assert res.status == "200 OK"
    assert res.headers["Content-Type"] == "text/plain"
    assert res.text == "x" + PAGE_404


def test_custom_status_with_body_and_ok(site):
    client = site("""
        <Directory app>
            SetHandler mod_python
            PythonHandler nf
        </Directory>
        """, {"app/nf.py": """
        from mod_python import apache

        def handler(req):
            req.status = apache.HTTP_NOT_FOUND
            req.content_type = "text/plain"
            req.write("buffered custom not found body", 0)
            return apache.OK
        """})

    res = client.get("/app/x")

    assert res.status == "404 Not Found"
    assert res.headers["Content-Type"] == "text/plain"
    assert res.headers["Content-Length"] == "30"
    assert res.text == "buffered custom not found body"


# -- after the response: log and cleanup -------------------------------------------------


def test_log_and_cleanup_run_after_the_response_and_errors_there_are_only_logged(site):
    client = site("""
        <Directory app>
            SetHandler mod_python
            PythonHandler after
            PythonLogHandler after::log_one after::log_two
            PythonCleanupHandler after::cleanup_boom after::cleanup_next
        </Directory>
        """, {"app/after.py": MARKER + """

def handler(req):
    req.register_cleanup(lambda data: mark(req, "registered:" + data), "first")
    req.register_cleanup(lambda data: mark(req, "registered:" + data), "second")
    req.write("body")
    return apache.OK

def log_one(req):
    mark(req, "log_one")
    return apache.HTTP_INTERNAL_SERVER_ERROR

def log_two(req):
    mark(req, "log_two")
    return apache.OK

def cleanup_boom(req):
    mark(req, "cleanup_boom")
    raise RuntimeError("cleanup failed")

def cleanup_next(req):
    mark(req, "cleanup_next")
    return apache.OK
"""})

    res = client.get("/app/x")

    assert res.status == "200 OK"
    assert res.text == "body"
    # log: a non-OK result stops the stack (run-all phase rule); registered
    # cleanups run last-registered first, then PythonCleanupHandler.
    assert calls(site) == ["log_one", "registered:second", "registered:first", "cleanup_boom"]


def test_log_handler_runs_for_error_responses_too(site):
    client = site("""
        <Directory app>
            SetHandler mod_python
            PythonAccessHandler after::deny
            PythonLogHandler after::log
        </Directory>
        """, {"app/after.py": MARKER + """

def deny(req):
    return apache.HTTP_FORBIDDEN

def log(req):
    mark(req, "log:%d" % req.status)
    return apache.OK
"""})

    res = client.get("/app/x")

    assert res.status == "403 Forbidden"
    assert calls(site) == ["log:403"]


# -- the result of each phase, table-driven -----------------------------------------------


EVERY_PHASE = """\
from mod_python import apache

def _result(req):
    what = req.args or "ok"
    if what == "done":
        req.content_type = "text/plain"
        req.write("done in " + req.phase, 0)
        return apache.DONE
    return {"ok": apache.OK, "declined": apache.DECLINED, "forbidden": apache.HTTP_FORBIDDEN}[what]

inithandler = postreadrequesthandler = transhandler = headerparserhandler = _result
accesshandler = typehandler = fixuphandler = _result

def handler(req):
    req.write("content ran")
    return apache.OK
"""


def one_phase_site(site, phase):
    lib = os.path.join(str(site.root), "app")
    server_level = phase in ("PythonInitHandler", "PythonPostReadRequestHandler",
                             "PythonTransHandler")
    directive = "%s every" % phase
    return site("""
        PythonPath "sys.path + [%r]"
        %s
        <Directory app>
            SetHandler mod_python
            PythonHandler every
            %s
        </Directory>
        """ % (lib, directive if server_level else "", "" if server_level else directive),
        {"app/every.py": EVERY_PHASE})


PHASES_BEFORE_CONTENT = ["PythonInitHandler", "PythonPostReadRequestHandler", "PythonTransHandler",
                         "PythonHeaderParserHandler", "PythonAccessHandler", "PythonTypeHandler",
                         "PythonFixupHandler"]


@pytest.mark.parametrize("phase", PHASES_BEFORE_CONTENT)
def test_http_status_from_any_phase_gives_the_error_page(site, phase):
    res = one_phase_site(site, phase).get("/app/x?forbidden")

    assert res.status == "403 Forbidden"
    assert res.text == PAGE_403


@pytest.mark.parametrize("phase", PHASES_BEFORE_CONTENT)
def test_done_from_any_phase_sends_what_was_written(site, phase):
    res = one_phase_site(site, phase).get("/app/x?done")

    assert res.status == "200 OK"
    assert res.text == "done in " + phase


@pytest.mark.parametrize("phase", [p for p in PHASES_BEFORE_CONTENT if p != "PythonTransHandler"])
@pytest.mark.parametrize("result", ["ok", "declined"])
def test_ok_and_declined_from_a_phase_go_on_to_the_content(site, phase, result):
    res = one_phase_site(site, phase).get("/app/x?" + result)

    assert res.status == "200 OK"
    assert res.text == "content ran"


@pytest.mark.parametrize("phase, stops_at_ok", [
    ("PythonPostReadRequestHandler", False), ("PythonTransHandler", True),
    ("PythonHeaderParserHandler", False), ("PythonAccessHandler", False),
    ("PythonTypeHandler", True), ("PythonFixupHandler", False)])
def test_run_first_phases_stop_at_ok_run_all_phases_go_on(site, phase, stops_at_ok):
    lib = os.path.join(str(site.root), "app")
    server_level = phase in ("PythonPostReadRequestHandler", "PythonTransHandler")
    directive = "%s two::first two::second" % phase
    client = site("""
        PythonPath "sys.path + [%r]"
        %s
        <Directory app>
            SetHandler mod_python
            PythonHandler two::content
            %s
        </Directory>
        """ % (lib, directive if server_level else "", "" if server_level else directive),
        {"app/two.py": """
        import os
        from mod_python import apache

        def first(req):
            req.ran = ["first"]
            if req.phase == "PythonTransHandler":
                req.filename = os.path.join(os.path.dirname(__file__), "x")
            return apache.OK

        def second(req):
            req.ran.append("second")
            return apache.OK

        def content(req):
            req.write(" ".join(req.ran))
            return apache.OK
        """})

    assert client.get("/app/x").text == ("first" if stops_at_ok else "first second")


def test_regex_directory_handler_directory_is_the_shortest_match(site):
    root = str(site.root)
    client = site("""
        <DirectoryMatch "/site[0-9]+">
            SetHandler mod_python
            PythonHandler where
        </DirectoryMatch>
        """, {"site1/where.py": """
        from mod_python import apache

        def handler(req):
            req.write("one " + req.hlist.directory[len(%r):])
            return apache.OK
        """ % root, "site2/where.py": """
        from mod_python import apache

        def handler(req):
            req.write("two " + req.hlist.directory[len(%r):])
            return apache.OK
        """ % root, "site2/sub/page.txt": ""})

    assert client.get("/site1/x").text == "one /site1/"
    assert client.get("/site2/sub/page.txt").text == "two /site2/"


def test_add_handler_needs_a_string(site):
    client = site("""
        <Directory app>
            SetHandler mod_python
            PythonHandler bad
        </Directory>
        """, {"app/bad.py": """
        from mod_python import apache

        def handler(req):
            try:
                req.add_handler("PythonLogHandler", 42)
            except TypeError:
                req.write("TypeError")
            return apache.OK
        """})

    assert client.get("/app/x").text == "TypeError"


def test_failing_registered_cleanup_is_logged_and_the_others_still_run(site, caplog):
    client = site("""
        <Directory app>
            SetHandler mod_python
            PythonHandler after
            PythonCleanupHandler after::cleanup
        </Directory>
        """, {"app/after.py": MARKER + """

def _boom(data):
    raise KeyError(data)

def handler(req):
    req.register_cleanup(lambda data: mark(req, data), "first")
    req.register_cleanup(_boom, "second")
    req.write("body")
    return apache.OK

def cleanup(req):
    mark(req, "cleanup handler")
    return apache.OK
"""})

    res = client.get("/app/x")

    assert res.text == "body"
    assert open(os.path.join(str(site.root), "app", "calls.txt")).read() == "first\ncleanup handler\n"
    assert "python_cleanup: Error calling cleanup object" in caplog.text
    assert "KeyError: 'second'" in caplog.text


def test_directory_index_runs_the_log_handler_of_the_index_request(site):
    client = site("""
        <Directory app>
            AddHandler mod_python .py
            DirectoryIndex index.py
            PythonHandler idx
            PythonLogHandler idx::log
        </Directory>
        """, {"app/idx.py": MARKER + """

def handler(req):
    req.write("index for " + req.uri)
    return apache.OK

def log(req):
    mark(req, "log:" + req.uri)
    return apache.OK
""", "app/index.py": "# the index"})

    res = client.get("/app/")

    assert res.text == "index for /app/index.py"
    assert calls(site) == ["log:/app/index.py"]


def test_hlist_describes_the_running_handler(site):
    root = str(site.root)
    client = site("""
        <Directory app>
            SetHandler mod_python
            PythonHandler hl::show
        </Directory>
        """, {"app/hl.py": """
        from mod_python import apache

        def show(req):
            hlist = req.hlist
            text = "%%s %%s %%d %%d" %% (hlist.handler, hlist.directory[len(%r):], hlist.is_location,
                                  hlist.silent)
            hlist.next()
            req.write(text + " then %%r" %% hlist.handler)
            return apache.OK
        """ % root})

    assert client.get("/app/x").text == "hl::show /app/ 0 0 then None"
