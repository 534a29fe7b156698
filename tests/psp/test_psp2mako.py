"""psp2mako: templates that render what the pages rendered, and problems reported for the rest."""
from __future__ import annotations

import warnings

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mako.runtime import Context
from mako.template import Template
from mako.util import FastEncodingBuffer

from modpy_compat.psp import codegen
from modpy_compat.psp.psp2mako import convert, main
from tests.psp.cases import CASES
from tests.psp.conftest import StubRequest, run_program
from tests.psp.strategies import page_text, structured_pages

# Random and escape-laden pages make Python warn about their text; that is not under test.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning", "ignore::SyntaxWarning")


def render(mako_text, **names):
    """Mako output as the handler sends it: direct req.write text first, then the template's."""
    req = StubRequest()
    buffer = FastEncodingBuffer()
    Template(mako_text).render_context(Context(buffer, req=req, **names))
    return req.body + buffer.getvalue()


WORKING = [c for c in CASES if isinstance(c[3], str)]


@pytest.mark.parametrize("page, output, names", [(c[1], c[3], c[4]) for c in WORKING], ids=[c[0] for c in WORKING])
def test_converted_case_renders_the_same_or_reports_why(page, output, names):
    mako_text, problems = convert(page)
    if problems:
        assert [p.message for p in problems
                if "req.write()" not in p.message and "before the page assigned it" not in p.message] == []
    else:
        assert render(mako_text, **names) == output


BROKEN = [c for c in CASES if not isinstance(c[3], str)]


@pytest.mark.parametrize("page", [c[1] for c in BROKEN], ids=[c[0] for c in BROKEN])
def test_pages_that_do_not_compile_are_not_converted(page):
    mako_text, problems = convert(page)
    assert mako_text is None
    assert len(problems) == 1 and problems[0].message.startswith("the page does not compile as PSP")


@pytest.mark.parametrize("page, mako_text", [
    ('<ul>\n<%\nfor n in range(3):\n    # loop body\n%>\n<li><%= n %></li>\n<%\n%>\n</ul>\n',
     '<ul>\n% for n in range(3):\n\n<li>${n}</li>\n% endfor\n\n</ul>\n'),
    ('<%\nif a:\n%>A<%\nelif b:\n%>B<%\nelse:\n%>C<%\n%>.',
     '% if a:\nA\\\n% elif b:\nB\\\n% else:\nC\\\n% endif\n.'),
    ('<%\nfor i in x:\n    for j in y:\n        # inner\n%><%= i %><%= j %><%\n    # outer\n%>;<%\n%>',
     '% for i in x:\n  % for j in y:\n${i}${j}\\\n  % endfor\n;\\\n% endfor\n'),
    ('<%\nimport os\nsep = os.sep  # kept\n%>${x} <%= sep %>',
     "<%\nimport os\nsep = os.sep  # kept\n%>${'${'}x} ${sep}"),
    ('%x\n  %y\n##c\n<%= 1 %>%z\n</%a>\nend\\\\\n', "%%x\n  %%y\n#${'#'}c\n${1}%z\n${'</%'}a>\nend${'\\\\'}\n"),
    ('a<% req.write("b") %>c', 'a<% context.write("b") %>c'),
    ('<%= a | b %> <%= (1 +\n 2) %>', '${(a | b)} ${((1 +\n 2))}'),
    ('<%\ndef cell(v):\n%><td><%= v %></td><%\n%><% cell(1) %>', '<%def name="cell(v)"><td>${v}</td></%def><% cell(1) %>'),
    ('<%\ntry:\n%>t<%= 1/0 %><%\nexcept ZeroDivisionError as e:\n%>caught<%\n%>',
     '% try:\nt${1/0}\\\n% except ZeroDivisionError as e:\ncaught\\\n% endtry\n'),
    ('<%\nwith open(p) as f:\n%><%= f.read() %><%\n%>', '% with open(p) as f:\n${f.read()}\\\n% endwith\n'),
], ids=["loop", "if-elif-else", "nested-loops", "code-block-and-dollar-brace", "mako-syntax-in-text",
        "req-write-statement", "pipe-and-multiline-expressions", "function-to-def", "try-except", "with"])
def test_conversion(page, mako_text):
    assert convert(page) == (mako_text, [])


@pytest.mark.parametrize("page, line, words", [
    ('<%\ntry:\n%>t<%\nfinally:\n    pass\n%>', 2, "try with else/finally"),
    ('<%\nclass A:\n%>x<%\n%>', 2, "a class"),
    ('<%\nif 1:\n    def f():\n%>x<%\n%>', 3, "a function defined here"),
    ('x\n<%\nloop = 1\n%>', 3, "'loop' is reserved by Mako"),
    ('<%\ndef f():\n    global g\n    g = 1\n# end\n%>', 3, "'global' in page code"),
    ('<%= title %>\n<% title = "x" %>', 1, "'title' may be read here before the page assigned it"),
    ('<% n += 1 %>', 1, "'n' may be read here before"),
    ('<%= req.write("x") or "" %>', 1, "req.write() here"),
    ('<%\ndef f():\n    req.write("x")\n# end\n%>', 3, "req.write() here"),
    ('<%\ndef f():\n    # body\n%><%= 1 %><%\n    return 5\n# end\n%>', 5, "returns a value"),
], ids=["try-finally", "class", "nested-def", "reserved-name", "global", "read-before-assign", "augmented",
        "req-write-in-expression", "req-write-in-function", "def-returns-value"])
def test_problems_are_reported_with_page_lines(page, line, words):
    mako_text, problems = convert(page, "page.psp")
    assert any(p.line == line and words in p.message and p.path == "page.psp" for p in problems), problems


def test_unconvertible_block_leaves_a_marker_in_the_template():
    mako_text, _ = convert('a<%\ntry:\n%>t<%\nfinally:\n    pass\n%>b')
    assert "## psp2mako: try with else/finally" in mako_text


def test_includes_are_inlined(pages):
    root = pages({"main.psp": 'A<%@ include file="inc.psp" %>C', "inc.psp": "<%= 1 + 1 %>"})
    assert convert(open(root + "/main.psp").read(), root + "/main.psp") == ("A${1 + 1}C", [])


def test_command_line(pages, capsys):
    root = pages({"a.psp": "<%= 1 %>\n", "bad.psp": "<%\ntry:\n%>t<%\nfinally:\n    pass\n%>"})
    assert main([root + "/a.psp"]) == 0
    assert capsys.readouterr().out == "${1}\n"
    assert main([root + "/a.psp", "--write"]) == 0
    assert open(root + "/a.mako").read() == "${1}\n"
    assert main([root + "/a.psp", "--write"]) == 2          # never overwrites
    assert main([root + "/bad.psp", "-o", root + "/out.mako"]) == 1
    assert "bad.psp:2: try with else/finally" in capsys.readouterr().err
    assert main([root + "/missing.psp"]) == 2


# -- random pages ------------------------------------------------------------------------------

def _psp_output(page, **names):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            program = codegen.generate(page)
            compile(program.source, "p", "exec")
        except (SyntaxError, ValueError, Exception):
            return None
    output, error = run_program(program.source, **names)
    return output if error is None else None


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(page_text)
def test_random_pages_convert_exactly_or_report(page):
    names = {"x": [1, 2], "a": 3}
    expected = _psp_output(page, **names)
    if expected is None:
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        mako_text, problems = convert(page)
    if not problems:
        assert render(mako_text, **names) == expected


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(structured_pages())
def test_structured_pages_convert_exactly(page):
    expected = _psp_output(page)
    assert expected is not None, codegen.generate(page).source
    mako_text, problems = convert(page)
    assert problems == []
    assert render(mako_text) == expected


def test_modpy_compat_psp2mako_command_converts_a_page(tmp_path, capsys):
    from modpy_compat.cli import main
    page = tmp_path / "a.psp"
    page.write_text("<p><%= 1 + 1 %></p>\n")
    assert main(["psp2mako", str(page)]) == 0
    assert capsys.readouterr().out == "<p>${1 + 1}</p>\n"
