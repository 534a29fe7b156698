"""The generated program, character for character, and what it outputs.

Every case in :mod:`tests.psp.cases` pins mod_python's program (checked
against the real lexer by test_reference_parser.py) and its outcome; the
fast program the page runner executes must give the same outcome.
"""
from __future__ import annotations

import pytest

from modpy_compat.psp import codegen
from modpy_compat.psp.codegen import escape_text
from tests.psp.cases import CASES, INCLUDE_CASES
from tests.psp.conftest import StubRequest, run_program

# Random and escape-laden pages make Python warn about their text; that is not under test.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning", "ignore::SyntaxWarning")


@pytest.mark.parametrize("page, program", [(c[1], c[2]) for c in CASES], ids=[c[0] for c in CASES])
def test_program_is_mod_pythons(page, program):
    assert codegen.generate(page).source == program


@pytest.mark.parametrize("page, program", [(c[1], c[2]) for c in CASES], ids=[c[0] for c in CASES])
def test_bytes_page_gives_the_same_program(page, program):
    assert codegen.generate(page.encode("utf-8")).source == program


@pytest.mark.parametrize("program, outcome, names", [(c[2], c[3], c[4]) for c in CASES],
                         ids=[c[0] for c in CASES])
def test_program_outcome(program, outcome, names):
    output, error = run_program(program, **names)
    if isinstance(outcome, str):
        assert (output, error) == (outcome, None)
    else:
        assert error is not None and issubclass(error, outcome)


def _run_fast(page, **names):
    program = codegen.generate(page)
    code, fast = program.compile_page("page.psp")
    req = StubRequest()
    scope = dict(names, req=req)
    if fast:
        scope.update(__psp_w__=lambda text: req.write(text, 0), _s_=str,
                     __psp_e__=lambda pieces: [req.write(p, 0) for p in pieces])
    codegen.execute(code, scope)
    return req, fast


@pytest.mark.parametrize("page, outcome, names", [(c[1], c[3], c[4]) for c in CASES if isinstance(c[3], str)],
                         ids=[c[0] for c in CASES if isinstance(c[3], str)])
def test_fast_program_writes_the_same(page, outcome, names):
    req, _ = _run_fast(page, **names)
    assert req.body == outcome


@pytest.mark.parametrize("page", [
    pytest.param('<% s = "%>" %>\n', id="string-literal-swallows-close"),
    pytest.param("<%= 'x %>y' %>\n", id="string-in-expression-swallows-text"),
    pytest.param('dir\\<%= 1 %>\n', id="odd-backslash-escapes-closing-quote"),
    pytest.param('<%= x # c %>t', id="comment-reaches-close"),
    pytest.param('<% req = None %>x', id="page-rebinds-req"),
    pytest.param('<% str = repr %><%= "a" %>', id="page-rebinds-str"),
    pytest.param('<% __psp_w__ = 1 %>x', id="page-uses-fast-writer-name"),
    pytest.param('<%\ndef f():\n    global req\n    req = None\n%>x', id="function-rebinds-global-req"),
])
def test_fast_program_not_used_when_it_could_differ(page):
    try:
        _, fast = _run_fast(page, x=1)
    except Exception:
        return      # the page is broken either way; the point is which program ran
    assert not fast


def test_fast_program_keeps_line_numbers():
    page = '<%\nfor n in range(2):\n    # body\n%>\n<li><%= n %></li>\n<%\n%>\nend <%= 1/0 %>\n'
    program = codegen.generate(page)
    assert program.fast_source.count("\n") == program.source.count("\n")
    code, fast = program.compile_page("page.psp")
    assert fast
    with pytest.raises(ZeroDivisionError) as info:
        codegen.execute(code, {"__psp_w__": list().append, "__psp_e__": list().extend, "_s_": str})
    assert info.traceback[-1].lineno + 1 == 8     # pytest counts from 0


@pytest.mark.parametrize("text, escaped", [
    ('say "hi"', 'say \\"hi\\"'),
    ("a\r\nb", "a\nb"),
    ("a\rb", "a\rb"),
    ("\\n\\r\\t", "\\\\n\\\\r\\\\t"),
    ("\\\\n", "\\\\\\n"),
    ("\\x41 \\", "\\x41 \\"),
    ("\\\r\n", "\\\n"),
], ids=["quotes", "crlf", "lone-cr", "typed-escapes", "backslash-before-typed-escape",
        "other-backslashes-kept", "backslash-crlf"])
def test_escape_text(text, escaped):
    assert escape_text(text) == escaped


@pytest.mark.parametrize("files, program, outcome", [(c[1], c[2], c[3]) for c in INCLUDE_CASES],
                         ids=[c[0] for c in INCLUDE_CASES])
def test_includes(pages, files, program, outcome):
    root = pages(files)
    generated = codegen.generate_file(root + "/main.psp", root + "/")
    assert generated.source == program
    assert run_program(program) == (outcome, None)


def test_include_stamps_cover_every_file_read(pages):
    root = pages({"main.psp": '<%@ include file="a.psp" %>', "a.psp": '<%@ include file="sub/b.psp" %>',
                  "sub/b.psp": "b"})
    program = codegen.generate_file(root + "/main.psp")
    assert sorted(program.stamps) == [root + "/a.psp", root + "/main.psp", root + "/sub/b.psp"]


def test_relative_include_of_a_string_page_uses_the_given_directory(pages):
    root = pages({"i.psp": "I"})
    assert codegen.generate('<%@ include file="i.psp" %>', None, root + "/").source == 'req.write("""I""",0)\n'


def test_absolute_include(pages):
    root = pages({"i.psp": "I"})
    page = '<%%@ include file="%s/i.psp" %%>' % root
    assert codegen.generate(page, None, None).source == 'req.write("""I""",0)\n'


@pytest.mark.parametrize("page, line, expected", [
    ("a\nb\nc", 3, ("page.psp", 3)),
    ("a<%-- x\ny\nz --%>b\nc<%= 1/0 %>\n", 2, ("page.psp", 4)),
    ("a\r\nb\rc\n<%= x %>", 4, ("page.psp", 4)),
], ids=["one-to-one", "after-multiline-comment", "mixed-line-ends"])
def test_positions_map_program_lines_to_page_lines(page, line, expected):
    assert codegen.generate(page, "page.psp").position(line) == expected


def test_positions_follow_includes(pages):
    root = pages({"main.psp": 'top\n<%@ include file="i.psp" %>\n<%= 1/0 %>\n', "i.psp": "a\nb\n"})
    program = codegen.generate_file(root + "/main.psp")
    assert program.position(2) == (root + "/i.psp", 1)
    assert program.position(3) == (root + "/i.psp", 2)
    assert program.position(5) == (root + "/main.psp", 3)
