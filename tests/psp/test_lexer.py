"""The lexer: which token each construct becomes, where it starts, how pages end."""
from __future__ import annotations

import pytest

from modpy_compat.psp import lexer as L
from modpy_compat.psp.lexer import Lexer, _match_include


def tokens(text, path="p.psp", include_dir=None):
    lex = Lexer(text, path, include_dir)
    return [(t.kind, t.text, t.line, t.closed) for t in lex], lex


@pytest.mark.parametrize("text, expected, end", [
    ("plain", [(L.TEXT, "plain", 1, True)], L.TEXT),
    ("a<% x %>b", [(L.TEXT, "a", 1, True), (L.CODE, " x ", 1, True), (L.TEXT, "b", 1, True)], L.TEXT),
    ("<%= x %>", [(L.EXPR, " x ", 1, True)], L.TEXT),
    ("<%-- c --%>", [(L.COMMENT, " c ", 1, True)], L.TEXT),
    ("<%@ page x %>", [(L.DIRECTIVE, " page x ", 1, True)], L.TEXT),
    ("<%-x%>", [(L.CODE, "-x", 1, True)], L.TEXT),
    ("a %> b", [(L.TEXT, "a %> b", 1, True)], L.TEXT),
    ("<% s = '%>' %>", [(L.CODE, " s = '", 1, True), (L.TEXT, "' %>", 1, True)], L.TEXT),
    ("a<% x", [(L.TEXT, "a", 1, True), (L.CODE, " x", 1, False)], L.CODE),
    ("a<%= x", [(L.TEXT, "a", 1, True), (L.EXPR, " x", 1, False)], L.EXPR),
    ("a<%", [(L.TEXT, "a", 1, True), (L.CODE, "", 1, False)], L.CODE),
    ("a<%-- x", [(L.TEXT, "a", 1, True)], L.COMMENT),
    ("a<%@ x", [(L.TEXT, "a", 1, True)], L.DIRECTIVE),
    ("<%--%>x--%>", [(L.COMMENT, "%>x", 1, True)], L.TEXT),
], ids=["text", "code", "expression", "comment", "directive", "code-starting-with-dash",
        "close-tag-in-text", "close-tag-in-string", "unclosed-code", "unclosed-expression",
        "open-tag-at-end", "unclosed-comment", "unclosed-directive", "comment-not-closed-by-close-tag"])
def test_tokens(text, expected, end):
    got, lex = tokens(text)
    assert got == expected
    assert lex.end_state == end


@pytest.mark.parametrize("text, lines", [
    ("a\nb<% x %>\nc<%= y %>", [1, 2, 2, 3]),
    ("a\r\nb<% x %>\r\nc<%= y %>", [1, 2, 2, 3]),
    ("a\rb<% x %>\rc<%= y %>", [1, 2, 2, 3]),
    ("<%\n\n%>\n\n<%= z %>", [1, 3, 5]),
    ("<%-- 1\n2\n3 --%><%= here %>", [1, 3]),
], ids=["lf", "crlf", "lone-cr", "blank-lines", "after-comment"])
def test_token_lines(text, lines):
    got, _ = tokens(text)
    assert [line for _, _, line, _ in got] == lines


def test_unclosed_token_is_remembered():
    _, lex = tokens("a\nb<%= x\n")
    assert (lex.unclosed.kind, lex.unclosed.line) == (L.EXPR, 2)


def test_unclosed_comment_is_remembered():
    _, lex = tokens("a\n\n<%-- x\n")
    assert (lex.unclosed.kind, lex.unclosed.line) == (L.COMMENT, 3)


@pytest.mark.parametrize("text, result", [
    ('include file="a.psp" %>', ("a.psp", 20)),
    ('include  file="a.psp"', ("a.psp", 21)),
    ('include file = "a.psp"', ("a.psp", 22)),
    ('include file="a.psp"%>x"y z"', ("a.psp", 24)),
    ('include file="a\nb" %>', ("a\nb", 18)),
    ('include file=""x" %>', ("", 17)),
    ("include file='a.psp'", None),
    ('include File="a.psp"', None),
    ('include file  ="a.psp"', None),
    ('include file=  "a.psp"', None),
    ('include file="a b.psp"', None),
    ('include\tfile="a.psp"', None),
    ('includefile="a.psp"', None),
    ('include file=""', None),
], ids=["plain", "two-spaces-before-file", "spaces-around-equals", "greedy-to-last-quote",
        "newline-in-name", "empty-name-then-quote", "single-quotes", "capitalised",
        "two-spaces-before-equals", "two-spaces-after-equals", "space-in-name", "tab",
        "no-space", "empty-name"])
def test_include_pattern(text, result):
    assert _match_include(text, 0) == result


def test_directive_note_for_a_botched_include():
    _, lex = tokens("<%@ include file='x.psp' %>")
    assert len(lex.notes) == 1
    assert lex.notes[0][:2] == ("p.psp", 1)
    assert "include" in lex.notes[0][2]


def test_include_tokens_carry_their_own_file_and_line(pages):
    root = pages({"main.psp": 'a\n<%@ include file="i.psp" %>\n<%= z %>', "i.psp": "x\n<%= y %>"})
    lex = Lexer(open(root + "/main.psp").read(), root + "/main.psp", root + "/")
    got = [(t.kind, t.path.rsplit("/", 1)[1], t.line) for t in lex]
    assert got == [(L.TEXT, "main.psp", 1), (L.INCLUDE, "main.psp", 2), (L.TEXT, "i.psp", 1),
                   (L.EXPR, "i.psp", 2), (L.TEXT, "main.psp", 2), (L.EXPR, "main.psp", 3)]


def test_decode_keeps_bad_bytes_as_surrogates():
    assert L.decode(b"caf\xe9") == "caf\udce9"


def test_read_file_returns_the_stamp_of_what_was_read(pages):
    root = pages({"a.psp": "abc"})
    text, (mtime_ns, size) = L.read_file(root + "/a.psp")
    assert (text, size) == ("abc", 3) and mtime_ns > 0


def test_many_tags():
    page = '<tr><td><%= i %></td><td>"x" \\n</td></tr>\n<%\nfor j in y:\n    # b\n%>\n<%\n%>\n' * 20000
    lexed = Lexer(page).tokens()
    assert len(lexed) == 20000 * 6 + 1
    assert lexed[-1].line == 20000 * 7
