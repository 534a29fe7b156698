"""Hypothesis strategies for random PSP pages built from the language's own pieces."""
from __future__ import annotations

from hypothesis import strategies as st

PIECES = ["<%", "<%=", "%>", "<%--", "--%>", "<%@", "<%@ page %>", ":", " ", "    ", "\t", "\n", "\r", "\r\n",
          '"', "'", '"""', "\\", "n", "r", "t", "x", "#", "-", "%", "<", ">", "=", "@", "\u00e9", "\u20ac",
          "for i in x:", "if a:", "else:", "y = 1", "%>\n", "\n%>", "<%\n", "    # body\n", "str(1)",
          "req.write('w')", "pass"]
INCLUDES = [' include file="i.psp" ', ' include file="sub/j.psp" ']

page_text = st.lists(st.sampled_from(PIECES) | st.text(max_size=3), max_size=40).map("".join)
page_with_includes = st.lists(st.sampled_from(PIECES + INCLUDES), max_size=40).map("".join)
# Files for one parse: main.psp may include i.psp and sub/j.psp, which include nothing.
site_files = st.fixed_dictionaries({
    "main.psp": page_with_includes,
    "i.psp": st.lists(st.sampled_from(PIECES), max_size=12).map("".join),
    "sub/j.psp": st.lists(st.sampled_from(PIECES), max_size=8).map("".join),
})


TEXT = st.text(alphabet="ab \n$%{}#<>/\"'-é", max_size=8).filter(
    lambda t: "<%" not in t and "%>" not in t and not t.endswith("<"))


@st.composite
def structured_pages(draw, level=0, loop_vars=(), reads=()):
    """Valid pages with nested loops and ifs, indented the PSP way; expressions may read ``reads``."""
    indent = "    " * level
    loop_vars = list(loop_vars)
    parts = []
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(st.sampled_from(["text", "expr", "code", "inline", "for", "if"] if level < 3
                                    else ["text", "expr", "code", "inline"]))
        if kind == "text":
            parts.append(draw(TEXT))
        elif kind == "expr":
            parts.append("<%%= %s %%>" % draw(st.sampled_from(
                loop_vars + list(reads) + ["1 + 2", "'xy'[:1]", "None", "{'k': 1}", "[c for c in 'ab']"])))
        elif kind == "code":
            parts.append("<%%\n%sw = %d\n%s# keep\n%%>" % (indent, draw(st.integers(0, 9)), indent))
        elif kind == "inline":
            parts.append("<%% u = %d %%>" % draw(st.integers(0, 9)))
        elif kind == "for":
            parts.append("<%%\n%sfor i%d in range(%d):\n%s    # body\n%%>"
                         % (indent, level, draw(st.integers(0, 3)), indent))
            parts.append(draw(structured_pages(level + 1, loop_vars + ["i%d" % level], reads)))
            parts.append("<%%\n%s# end\n%%>" % indent)
        else:
            parts.append("<%%\n%sif %s:\n%s    # then\n%%>" % (indent, draw(st.sampled_from(
                [v + " % 2" for v in loop_vars] + ["True", "False"])), indent))
            parts.append(draw(structured_pages(level + 1, loop_vars, reads)))
            parts.append("<%%\n%selse:\n%s    # else\n%%>" % (indent, indent))
            parts.append(draw(structured_pages(level + 1, loop_vars, reads)))
            parts.append("<%%\n%s# end\n%%>" % indent)
    return "".join(parts)
