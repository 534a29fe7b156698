"""PSP pages with the program mod_python generates for them and what they output.

The worked examples E1-E12 of docs/reference psp-syntax.md §9 (verified there
with mod_python's own lexer, and again by test_reference_parser.py against
Debian's ``mod_python._psp``), plus further cases for each rule of the
language.  Shared by the code generator tests and the reference comparison.

Each case: ``(id, page, program, outcome, globals)`` where ``outcome`` is the
output string or the exception class the program raises (compiling or
running) and ``globals`` are extra names the page needs.
"""
from __future__ import annotations

CASES = [
    # -- the worked examples of psp-syntax.md §9 -----------------------------------
    ("E1-text-code-expression",
     '<html>\n<%\nimport time\nnow = 1234\n%>\nHello, the time is <%= now %>.\n</html>\n',
     'req.write("""<html>\n""",0);\nimport time\nnow = 1234\nreq.write("""\nHello, the time is """,0); '
     'req.write(str( now ),0); req.write(""".\n</html>\n""",0)\n',
     '<html>\n\nHello, the time is 1234.\n</html>\n', {}),
    ("E2-loop-body-indented-comment",
     '<ul>\n<%\nfor n in range(3):\n    # loop body starts here\n%>\n<li><%= n %></li>\n<%\n'
     '# back at column 0: loop ends\n%>\n</ul>\n',
     'req.write("""<ul>\n""",0);\nfor n in range(3):\n    # loop body starts here\n    req.write("""\n<li>""",0); '
     'req.write(str( n ),0); req.write("""</li>\n""",0);\n# back at column 0: loop ends\nreq.write("""\n</ul>\n""",0)\n',
     '<ul>\n\n<li>0</li>\n\n<li>1</li>\n\n<li>2</li>\n\n</ul>\n', {}),
    ("E3-colon-adds-tab-and-empty-block-ends",
     '<%\nfor n in range(2):\n%>\nrow <%= n %>\n<%\n%>\ndone\n',
     'req.write("""""",0);\nfor n in range(2):\n\treq.write("""\nrow """,0); req.write(str( n ),0); '
     'req.write("""\n""",0);\nreq.write("""\ndone\n""",0)\n',
     '\nrow 0\n\nrow 1\n\ndone\n', {}),
    ("E4-if-else",
     '<%\nif admin:\n%>\n<b>admin</b>\n<%\nelse:\n%>\nguest\n<%\n%>\nend\n',
     'req.write("""""",0);\nif admin:\n\treq.write("""\n<b>admin</b>\n""",0);\nelse:\n\treq.write("""\nguest\n""",0);\n'
     'req.write("""\nend\n""",0)\n',
     '\nguest\n\nend\n', {"admin": False}),
    ("E5-nested-loops",
     '<%\nfor i in range(2):\n    for j in range(2):\n        # inner\n%>\n<%= i %>.<%= j %>\n<%\n'
     '    # still in outer loop\n%>\n--\n<%\n%>\nend\n',
     'req.write("""""",0);\nfor i in range(2):\n    for j in range(2):\n        # inner\n        req.write("""\n""",0); '
     'req.write(str( i ),0); req.write(""".""",0); req.write(str( j ),0); req.write("""\n""",0);\n'
     '    # still in outer loop\n    req.write("""\n--\n""",0);\nreq.write("""\nend\n""",0)\n',
     '\n0.0\n\n0.1\n\n--\n\n1.0\n\n1.1\n\n--\n\nend\n', {}),
    ("E6-blank-last-line-resets-indent",
     '<%\nfor n in range(3):\n    total = n\n\n%>\nafter loop: <%= total %>\n',
     'req.write("""""",0);\nfor n in range(3):\n    total = n\n\nreq.write("""\nafter loop: """,0); '
     'req.write(str( total ),0); req.write("""\n""",0)\n',
     '\nafter loop: 2\n', {}),
    ("E7-quotes-and-backslashes",
     'Say "hi" & \'bye\': C:\\new\\tab \\\\ \\x41 """\n<a href="<%= url %>">x</a>\n',
     'req.write("""Say \\"hi\\" & \'bye\': C:\\\\new\\\\tab \\\\ \\x41 \\"\\"\\"\n<a href=\\"""",0); '
     'req.write(str( url ),0); req.write("""\\">x</a>\n""",0)\n',
     'Say "hi" & \'bye\': C:\\new\\tab \\ A """\n<a href="/p?q=1">x</a>\n', {"url": "/p?q=1"}),
    ("E8-crlf-and-lone-cr",
     'line1\r\n<%\r\nfor i in range(2):\r\n    pass\r\n%>\r\nX\r\n<%\r\n%>\r\nend\rraw-cr\r\n',
     'req.write("""line1\n""",0);\nfor i in range(2):\n    pass\n    req.write("""\nX\n""",0);\n'
     'req.write("""\nend\rraw-cr\n""",0)\n',
     'line1\n\nX\n\nX\n\nend\nraw-cr\n', {}),
    ("E9-comments",
     'a<%-- hidden <%= boom %> --%>b\n<%-- spans\ntwo lines --%>c\n',
     'req.write("""ab\nc\n""",0)\n',
     'ab\nc\n', {}),
    ("E11-multiline-expression-none-inline-block",
     'sum=<%= (1 +\n      2) %>; none=<%= None %>; x=<% y = 7 %><%= y %>\n',
     'req.write("""sum=""",0); req.write(str( (1 +\n      2) ),0); req.write("""; none=""",0); '
     'req.write(str( None ),0); req.write("""; x=""",0); y = 7 ;req.write("""""",0); req.write(str( y ),0); '
     'req.write("""\n""",0)\n',
     'sum=3; none=None; x=7\n', {}),
    ("E12a-one-line-compound-statement",
     '<% for n in range(2): %>x<% %>\n',
     'req.write("""""",0); for n in range(2): ;req.write("""x""",0); ;req.write("""\n""",0)\n',
     SyntaxError, {}),
    ("E12b-empty-block",
     'a<%%>b\n',
     'req.write("""a""",0);;req.write("""b\n""",0)\n',
     SyntaxError, {}),
    ("E12c-close-not-on-own-line",
     '<% x = 1\ny = 2 %>\n',
     'req.write("""""",0); x = 1\ny = 2 req.write("""\n""",0)\n',
     SyntaxError, {}),
    ("E12d-indented-close-doubles-indent",
     '<%\nfor i in range(2):\n    x = i\n    %>\nT\n<%\n%>\n',
     'req.write("""""",0);\nfor i in range(2):\n    x = i\n        req.write("""\nT\n""",0);\nreq.write("""\n""",0)\n',
     IndentationError, {}),
    ("E12e-close-inside-string-literal",
     '<% s = "%>" %>\n',
     'req.write("""""",0); s = ";req.write("""\\" %>\n""",0)\n',
     SyntaxError, {}),
    ("E12f-text-ends-with-backslash",
     'dir\\<%= 1 %>\n',
     'req.write("""dir\\""",0); req.write(str( 1 ),0); req.write("""\n""",0)\n',
     SyntaxError, {}),
    ("E12g-hash-block-comments-out-line",
     'a<%# note %>b\n',
     'req.write("""a""",0);# note ;req.write("""b\n""",0)\n',
     SyntaxError, {}),
    ("E12h-comment-after-colon-defeats-tab",
     '<%\nfor i in range(2): # loop\n%>\nX\n',
     'req.write("""""",0);\nfor i in range(2): # loop\nreq.write("""\nX\n""",0)\n',
     IndentationError, {}),
    ("E12i-backslash-newline-joins-lines",
     'one \\\ntwo\n',
     'req.write("""one \\\ntwo\n""",0)\n',
     'one two\n', {}),
    # -- further verified cases of psp-syntax.md §9 --------------------------------
    ("empty-page", '', '', '', {}),
    ("unterminated-block-runs", 'a<% x = 1\n', 'req.write("""a""",0); x = 1\n', 'a', {}),
    ("unterminated-expression", 'a<%= x\n', 'req.write("""a""",0); req.write(str( x\n', SyntaxError, {}),
    ("tab-indented-line-sets-indent",
     '<%\nfor i in range(2):\n\tj = i\n%>\n<%= j %>\n<%\n%>\n',
     'req.write("""""",0);\nfor i in range(2):\n\tj = i\n\treq.write("""\n""",0); req.write(str( j ),0); '
     'req.write("""\n""",0);\nreq.write("""\n""",0)\n',
     '\n0\n\n1\n\n', {}),
    ("unknown-directive-dropped", 'a<%@ page x="y" %>b\n', 'req.write("""ab\n""",0)\n', 'ab\n', {}),
    ("close-tag-in-text-is-text", '100% sure %> ok\n', 'req.write("""100% sure %> ok\n""",0)\n',
     '100% sure %> ok\n', {}),
    ("mod_python-psptest-page",
     '<%\nif 1:\n    req.write("t")\n%>est<%=" "+"ok"%>\n',
     'req.write("""""",0);\nif 1:\n    req.write("t")\n    req.write("""est""",0); req.write(str(" "+"ok"),0); '
     'req.write("""\n""",0)\n',
     'test ok\n', {}),
    ("typed-escapes-stay-literal",
     'a\\nb\\rc\\td "q" <%= "x" %>\n',
     'req.write("""a\\\\nb\\\\rc\\\\td \\"q\\" """,0); req.write(str( "x" ),0); req.write("""\n""",0)\n',
     'a\\nb\\rc\\td "q" x\n', {}),
    # -- the indentation rules, one by one ---------------------------------------------
    ("lone-cr-line-start-clears-indent",
     '<%\rfor i in range(2):\r    x = i\r%>\rT\r',
     'req.write("""""",0);\nfor i in range(2):\n    x = i\nreq.write("""\rT\r""",0)\n',
     '\nT\n', {}),
    ("blank-line-after-colon-still-tabs",
     '<%\nfor x in range(2):\n\n%>\nT\n',
     'req.write("""""",0);\nfor x in range(2):\n\n\treq.write("""\nT\n""",0)\n',
     '\nT\n\nT\n', {}),
    ("indented-close-after-colon-mixes-spaces-and-tab",
     '<%\nif 1:\n    %>x',
     'req.write("""""",0);\nif 1:\n        \treq.write("""x""",0)\n',
     'x', {}),
    ("whitespace-only-line-sets-indent",
     '<%\nfor i in range(2):\n    x = i\n    \n%>\nT\n<%\n%>\n',
     'req.write("""""",0);\nfor i in range(2):\n    x = i\n    \n    req.write("""\nT\n""",0);\nreq.write("""\n""",0)\n',
     '\nT\n\nT\n\n', {}),
    ("colon-flag-survives-an-expression",
     '<%= d[1:%><%%>\n',
     'req.write("""""",0); req.write(str( d[1:),0); req.write("""""",0);;\treq.write("""\n""",0)\n',
     SyntaxError, {}),
    ("colon-in-expression-then-block",
     '<%= "a" if 1 else "b" %>-<% y = {1: 2}\n%>\n<%= y %>\n',
     'req.write("""""",0); req.write(str( "a" if 1 else "b" ),0); req.write("""-""",0); y = {1: 2}\n'
     'req.write("""\n""",0); req.write(str( y ),0); req.write("""\n""",0)\n',
     'a-\n{1: 2}\n', {}),
    ("if-elif-else-chain",
     '<%\nif n == 1:\n%>one<%\nelif n == 2:\n%>two<%\nelse:\n%>many<%\n%>!\n',
     'req.write("""""",0);\nif n == 1:\n\treq.write("""one""",0);\nelif n == 2:\n\treq.write("""two""",0);\nelse:\n'
     '\treq.write("""many""",0);\nreq.write("""!\n""",0)\n',
     'two!\n', {"n": 2}),
    ("function-defined-in-page-writes-text",
     '<%\ndef cell(v):\n%><td><%= v %></td><%\n%><tr><% cell(1) %><% cell(2) %></tr>\n',
     'req.write("""""",0);\ndef cell(v):\n\treq.write("""<td>""",0); req.write(str( v ),0); req.write("""</td>""",0);\n'
     'req.write("""<tr>""",0); cell(1) ;req.write("""""",0); cell(2) ;req.write("""</tr>\n""",0)\n',
     '<tr><td>1</td><td>2</td></tr>\n', {}),
    ("expression-calls-req-write-keeps-order",
     'a<%= req.write("b", 0) or "" %>c<% req.write("d") %>e\n',
     'req.write("""a""",0); req.write(str( req.write("b", 0) or "" ),0); req.write("""c""",0); req.write("d") '
     ';req.write("""e\n""",0)\n',
     'abcde\n', {}),
    # -- comments and directives ---------------------------------------------------------
    ("comment-with-dash-runs", 'a<%--- x ---%>b', 'req.write("""ab""",0)\n', 'ab', {}),
    ("comment-is-not-closed-by-plain-close-tag", 'a<%-- x %> y --%>b', 'req.write("""ab""",0)\n', 'ab', {}),
    ("comment-right-after-open", 'a<%----%>b', 'req.write("""ab""",0)\n', 'ab', {}),
    ("two-dash-tag-is-code-not-comment", 'a<%-1 %>b', 'req.write("""a""",0);-1 ;req.write("""b""",0)\n', 'ab', {}),
    ("unterminated-comment-ends-page", 'a<%-- x', 'req.write("""a', SyntaxError, {}),
    ("unterminated-directive-ends-page", 'a<%@ page', 'req.write("""a', SyntaxError, {}),
    ("directive-without-space", 'a<%@page%>b', 'req.write("""ab""",0)\n', 'ab', {}),
    ("quote-before-tag", 'x"<%= 1 %>"\n', 'req.write("""x\\"""",0); req.write(str( 1 ),0); req.write("""\\"\n""",0)\n',
     'x"1"\n', {}),
    ("utf8-text-passes-through", 'caf\u00e9 \u20ac <%= "\u00fc" %>\n',
     'req.write("""caf\u00e9 \u20ac """,0); req.write(str( "\u00fc" ),0); req.write("""\n""",0)\n',
     'caf\u00e9 \u20ac \u00fc\n', {}),
]

# Pages with includes: (id, files, program, output).  "main.psp" is parsed with
# the directory holding the files; includes resolve against that directory.
INCLUDE_CASES = [
    ("E10-include-and-nested-include-from-top-directory",
     {"main.psp": 'top\n<%@ include file="inc.psp" %>\n<%@ include file="sub/nested.psp" %>\nbottom\n',
      "inc.psp": 'Included: <%= 6*7 %>\n',
      "sub/nested.psp": '[nested: <%@ include file="inc.psp" %>]\n'},
     'req.write("""top\nIncluded: """,0); req.write(str( 6*7 ),0); req.write("""\n\n[nested: Included: """,0); '
     'req.write(str( 6*7 ),0); req.write("""\n]\n\nbottom\n""",0)\n',
     'top\nIncluded: 42\n\n[nested: Included: 42\n]\n\nbottom\n'),
    ("include-spacing-variants",
     {"main.psp": '<%@include file="i.psp" %>|<%@ include  file="i.psp" %>|<%@ include file = "i.psp" %>|'
                  '<%@ include file=\'i.psp\' %>|<%@ include File="i.psp" %>|<%@ include file  ="i.psp" %>\n',
      "i.psp": 'I'},
     'req.write("""I|I|I|||\n""",0)\n', 'I|I|I|||\n'),
    ("two-includes-in-one-directive",
     {"main.psp": 'A<%@ include file="i.psp" include file="i.psp" %>B', "i.psp": "x"},
     'req.write("""AxxB""",0)\n', 'AxxB'),
    ("include-inside-other-directive",
     {"main.psp": 'A<%@ page include file="i.psp" %>B', "i.psp": "x"},
     'req.write("""AxB""",0)\n', 'AxB'),
    ("empty-included-file", {"main.psp": 'A<%@ include file="i.psp" %>B', "i.psp": ""},
     'req.write("""AB""",0)\n', 'AB'),
    ("included-loop-header-indents-includer-text",
     {"main.psp": '<%@ include file="i.psp" %>B', "i.psp": '<%\nfor i in range(2):\n%>'},
     'req.write("""""",0);\nfor i in range(2):\n\treq.write("""B""",0)\n', 'BB'),
    ("included-file-ending-in-code-ends-everything",
     {"main.psp": 'A<%@ include file="i.psp" %>B', "i.psp": 'x<% y = 1'},
     'req.write("""Ax""",0); y = 1', 'Ax'),
    ("include-in-loop-is-repeated",
     {"main.psp": '<%\nfor n in range(2):\n    # body\n%><%@ include file="i.psp" %><%\n%>end',
      "i.psp": '[<%= n %>]'},
     'req.write("""""",0);\nfor n in range(2):\n    # body\n    req.write("""[""",0); req.write(str( n ),0); '
     'req.write("""]""",0);\nreq.write("""end""",0)\n',
     '[0][1]end'),
    ("include-greedy-name-runs-to-last-quote",
     {"main.psp": 'A<%@ include file="i.psp"x" %>B', "i.psp": "x"},
     'req.write("""AxB""",0)\n', 'AxB'),
]
