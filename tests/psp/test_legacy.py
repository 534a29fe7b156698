"""The legacy face: ``mod_python.psp`` and ``mod_python._psp`` as old code imports them."""
from __future__ import annotations

import pytest

import modpy_compat  # noqa: F401 - makes "mod_python" importable
from modpy_compat.psp.errors import PSPFileError
from tests.psp.conftest import StubRequest

PAGE = 'a<%= 1 %>\n<%@ include file="i.psp" %>'
PROGRAM = 'req.write("""a""",0); req.write(str( 1 ),0); req.write("""\nI""",0)\n'


def test_names():
    from mod_python import psp
    for name in ("PSP", "PSPInterface", "parse", "parsestring", "handler", "apache", "path_split", "code2str",
                 "str2code", "HitsCache", "FileCache", "mem_scache", "mem_fcache", "escape", "os", "sys"):
        assert hasattr(psp, name), name


def test_parse_with_dir(pages):
    from mod_python import _psp, psp
    root = pages({"p.psp": PAGE, "i.psp": "I"})
    assert psp.parse("p.psp", root + "/") == PROGRAM
    assert _psp.parse("p.psp", root + "/") == PROGRAM


def test_parse_without_dir_is_relative_to_the_working_directory(pages, monkeypatch):
    from mod_python import psp
    root = pages({"p.psp": PAGE, "i.psp": "I"})
    monkeypatch.chdir(root)
    assert psp.parse("p.psp") == PROGRAM


def test_parse_missing_file_is_an_ioerror(tmp_path):
    from mod_python import psp
    with pytest.raises(IOError) as info:
        psp.parse("nope.psp", str(tmp_path) + "/")
    assert isinstance(info.value, PSPFileError)
    assert info.value.filename == str(tmp_path) + "/nope.psp"


@pytest.mark.parametrize("text", ["x<%= 1 %>", b"x<%= 1 %>"], ids=["str", "bytes"])
def test_parsestring(text):
    from mod_python import _psp, psp
    expected = 'req.write("""x""",0); req.write(str( 1 ),0); req.write("""""",0)\n'
    assert psp.parsestring(text) == _psp.parsestring(text) == expected


def test_path_split_and_code_round_trip():
    from mod_python import psp
    assert psp.path_split("/a/b/c.psp") == ("/a/b/", "c.psp")
    code = compile("x = 1", "f", "exec")
    scope = {}
    exec(psp.str2code(psp.code2str(code)), scope)
    assert scope["x"] == 1


def test_hits_cache_keeps_the_most_used():
    from mod_python import psp
    cache = psp.HitsCache(size=4)
    for key in "abcd":
        cache.store(key, key.upper())
    for _ in range(3):
        cache.get("a")
    cache.store("e", "E")               # over size: back down to 3 entries, "a" kept
    assert len(cache.cache) == 3 and cache.get("a") == "A"


def test_string_page_includes_relative_to_the_request_file(pages):
    from mod_python import psp
    root = pages({"i.psp": "I"})
    req = StubRequest(filename=root + "/page.psp")
    psp.PSP(req, string='<%@ include file="i.psp" %>!').run()
    assert req.body == "I!"


def test_run_vars_and_flush():
    from mod_python import psp
    req = StubRequest(filename="/nowhere/page.psp")
    page = psp.PSP(req, string="<%= a %>-<%= b %>", vars={"a": 1, "b": 2})
    page.run({"b": 3}, flush=1)
    assert (req.body, req.flushed) == ("1-3", 1)


def test_str_renders_and_sets_html():
    from mod_python import psp
    req = StubRequest(filename="/nowhere/page.psp")
    assert str(psp.PSP(req, string="hi")) == ""
    assert (req.body, req.content_type) == ("hi", "text/html")


def test_both_filename_and_string_is_an_error():
    from mod_python import psp
    with pytest.raises(ValueError, match="Must specify either filename or string"):
        psp.PSP(StubRequest(filename="/x"), filename="a.psp", string="b")


def test_missing_file_raises_not_found():
    from mod_python import apache, psp
    with pytest.raises(apache.SERVER_RETURN) as info:
        psp.PSP(StubRequest(filename="/nonexistent/x.psp"))
    assert info.value.args[0] == apache.HTTP_NOT_FOUND


def test_stub_request_gets_each_piece_written_unflushed():
    from mod_python import psp
    req = StubRequest(filename="/nowhere/page.psp")
    psp.PSP(req, string="a<%= 1 %>b").run()
    assert req.writes == [("a", 0), ("1", 0), ("b", 0)]


def test_page_exception_propagates_unchanged():
    from mod_python import psp
    req = StubRequest(filename="/nowhere/page.psp")
    with pytest.raises(KeyError) as info:
        psp.PSP(req, string="x<% {}['k'] %>").run()
    assert info.value.args == ("k",)
    assert req.body == "x"


def test_handler_module_also_answers_as_modpy_compat_psp(make_site):
    conf = "DocumentRoot htdocs\n<Directory htdocs>\n AddHandler mod_python .psp\n PythonHandler modpy_compat.psp\n</Directory>\n"
    assert make_site(conf, {"htdocs/a.psp": "A<%= 1 %>"}).get("/a.psp").text == "A1"


def test_variables_that_rebind_req_get_the_generated_writes():
    from mod_python import psp
    req, other = StubRequest(filename="/nowhere/page.psp"), StubRequest()
    psp.PSP(req, string="a<%= 1 %>b", vars={"req": other}).run()
    assert (req.body, other.body) == ("", "a1b")


def test_variables_that_rebind_str_convert_expressions():
    from mod_python import psp
    req = StubRequest(filename="/nowhere/page.psp")
    psp.PSP(req, string="<%= 1 %>").run({"str": lambda value: "<%s>" % value})
    assert req.body == "<1>"
