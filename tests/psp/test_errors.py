"""Malformed pages: every error is a PSPError naming the file and line at fault."""
from __future__ import annotations

import errno
import logging
import traceback

import pytest

from modpy_compat.errors import ModPyCompatError
from modpy_compat.psp import codegen
from modpy_compat.psp.cache import PageCache
from modpy_compat.psp.errors import PSPEncodingError, PSPError, PSPFileError, PSPSyntaxError


def compile_page(root, name="main.psp"):
    return PageCache().get_file(root + "/" + name)


@pytest.mark.parametrize("page, line, words", [
    ("a\nb\n<%= x\n", 3, "'<%=' opened here is never closed with '%>'"),
    ("a\n<%-- note\n\nb\n", 2, "'<%--' opened here is never closed with '--%>'"),
    ("a\n\n\n<%@ include\n", 4, "'<%@' opened here is never closed with '%>'"),
    ("<p>\n<% x = 1 </p>\n", 2, "'<%' opened here is never closed with '%>'"),
    ("ok\n<% for n in range(2): %>x<% %>\n", 2, "compound statement"),
    ("ok\nok\na<%%>b\n", 3, "empty code block"),
    ("<% x = 1\ny = 2 %>\n", 2, "'%>' must be on a line of its own"),
    ("a\n<%\nfor i in range(2):\n    x = i\n    %>\nT\n<%\n%>\n", 5, "'%>' is indented"),
    ("a<%# note %>b\n", 1, "'#' comment"),
    ("<%\nfor i in range(2): # loop\n%>\nX\n", 2, "a comment after the colon"),
], ids=["unclosed-expression", "unclosed-comment", "unclosed-directive", "unclosed-block-not-python",
        "one-line-compound", "empty-block", "close-not-on-own-line", "indented-close", "hash-block",
        "comment-after-colon"])
def test_syntax_errors_name_page_and_line(pages, page, line, words):
    root = pages({"main.psp": page})
    with pytest.raises(PSPSyntaxError) as info:
        compile_page(root)
    error = info.value
    assert (error.path, error.line) == (root + "/main.psp", line)
    assert words in error.message
    assert isinstance(error, SyntaxError) and isinstance(error, ModPyCompatError)
    assert (error.filename, error.lineno) == (root + "/main.psp", line)


def test_syntax_error_traceback_shows_the_page_line(pages):
    root = pages({"main.psp": "line1\n<% for n in range(2): %>x<% %>\n"})
    with pytest.raises(PSPSyntaxError) as info:
        compile_page(root)
    text = "".join(traceback.format_exception_only(type(info.value), info.value))
    assert 'main.psp", line 2' in text
    assert "<% for n in range(2): %>x<% %>" in text
    assert str(info.value).startswith(root + "/main.psp:2: invalid syntax")


def test_syntax_error_in_included_file_names_that_file(pages):
    root = pages({"main.psp": "top\n<%@ include file=\"inc.psp\" %>\n", "inc.psp": "ok\nok\n<% if x: %>y<% %>\n"})
    with pytest.raises(PSPSyntaxError) as info:
        compile_page(root)
    assert (info.value.path, info.value.line) == (root + "/inc.psp", 3)


def test_unclosed_block_that_is_valid_python_runs_with_a_warning(pages, caplog):
    root = pages({"main.psp": "a\n<% x = 1\n"})
    with caplog.at_level(logging.WARNING, logger="modpy_compat.psp.cache"):
        page = compile_page(root)
    assert page.program.source == 'req.write("""a\n""",0); x = 1\n'
    assert "main.psp:2: '<%' is never closed" in caplog.text


def test_botched_include_directive_is_dropped_with_a_warning(pages, caplog):
    root = pages({"main.psp": "a\n<%@ include file='x.psp' %>b", "x.psp": "X"})
    with caplog.at_level(logging.WARNING, logger="modpy_compat.psp.cache"):
        page = compile_page(root)
    assert page.program.source == 'req.write("""a\nb""",0)\n'
    assert "main.psp:2: directive" in caplog.text


def test_missing_include(pages):
    root = pages({"main.psp": 'a\n\n<%@ include file="nope.psp" %>\n'})
    with pytest.raises(PSPFileError) as info:
        compile_page(root)
    error = info.value
    assert (error.path, error.line) == (root + "/main.psp", 3)
    assert isinstance(error, OSError) and error.errno == errno.ENOENT
    assert error.filename == root + "/nope.psp"
    assert "cannot include" in str(error) and "nope.psp" in str(error)


def test_missing_nested_include_names_the_including_file(pages):
    root = pages({"main.psp": '<%@ include file="a.psp" %>', "a.psp": 'x\n<%@ include file="b.psp" %>'})
    with pytest.raises(PSPFileError) as info:
        compile_page(root)
    assert (info.value.path, info.value.line) == (root + "/a.psp", 2)


@pytest.mark.parametrize("files, where, chain", [
    ({"main.psp": '<%@ include file="main.psp" %>'}, ("main.psp", 1), ["main.psp", "main.psp"]),
    ({"main.psp": 'x\n<%@ include file="a.psp" %>', "a.psp": '\n\n<%@ include file="b.psp" %>',
      "b.psp": '<%@ include file="a.psp" %>'}, ("b.psp", 1), ["a.psp", "b.psp", "a.psp"]),
], ids=["self", "two-files"])
def test_include_cycle(pages, files, where, chain):
    root = pages(files)
    with pytest.raises(PSPFileError) as info:
        compile_page(root)
    assert (info.value.path, info.value.line) == (root + "/" + where[0], where[1])
    assert "include cycle: " + " -> ".join(root + "/" + name for name in chain) in str(info.value)


def test_including_the_same_file_twice_is_not_a_cycle(pages):
    root = pages({"main.psp": '<%@ include file="a.psp" %><%@ include file="a.psp" %>', "a.psp": "A"})
    assert compile_page(root).program.source == 'req.write("""AA""",0)\n'


@pytest.mark.parametrize("directive, words", [
    ('<%@ include file=""x" %>', "names no file"),
    ('<%@ include file="sub" %>', "is a directory"),
], ids=["empty-name", "directory"])
def test_bad_include_names(pages, directive, words):
    root = pages({"main.psp": directive, "sub/x": ""})
    with pytest.raises(PSPFileError) as info:
        compile_page(root)
    assert words in str(info.value)


def test_relative_include_in_a_string_page_without_directory():
    with pytest.raises(PSPFileError) as info:
        codegen.generate('<%@ include file="x.psp" %>', None, None)
    assert "needs the page's directory" in str(info.value)
    assert str(info.value).startswith("<string>:1:")


def test_undecodable_page(pages):
    root = pages({"main.psp": b"ok\ncaf\xe9\n"})
    with pytest.raises(PSPEncodingError) as info:
        compile_page(root)
    assert (info.value.path, info.value.line) == (root + "/main.psp", 2)
    assert "0xe9" in str(info.value)
    assert isinstance(info.value, UnicodeError)


def test_undecodable_bytes_in_a_comment_are_harmless(pages):
    root = pages({"main.psp": b"a<%-- caf\xe9 --%>b"})
    assert compile_page(root).program.source == 'req.write("""ab""",0)\n'


def test_page_in_another_encoding(pages):
    root = pages({"main.psp": b"caf\xe9"})
    page = PageCache().get_file(root + "/main.psp", encoding="latin-1")
    assert page.program.source == 'req.write("""caf\u00e9""",0)\n'


def test_missing_page_file():
    with pytest.raises(PSPFileError) as info:
        codegen.generate_file("/nonexistent/page.psp")
    assert info.value.errno == errno.ENOENT and isinstance(info.value, FileNotFoundError) is False
    assert isinstance(info.value, OSError)


def test_nul_character_in_a_page():
    with pytest.raises(PSPError):
        codegen.generate("a\x00b").compile()
