"""Converting PSP pages into Mako templates for :mod:`modpy_compat.handlers.mako`.

    mako_text, problems = convert(psp_text, path="page.psp")

The page is turned into the program mod_python would run (includes
inlined), and that program's structure is read back with :mod:`ast`, so the
template reproduces what the page does rather than how its indentation
happened to be written:

* text becomes template text, escaped where Mako would read it
  (``${``, ``<%``, ``</%``, a ``%`` or ``##`` starting a line, a backslash
  ending one);
* ``<%= E %>`` becomes ``${E}`` (Mako's default filter is ``str``, as PSP's);
* code becomes ``<% ... %>`` blocks; a ``for``/``while``/``if``/``try``/``with``
  whose body holds text becomes ``% for ...:`` ... ``% endfor`` control
  lines, and a function writing text a ``<%def>``;
* ``req.write(x)`` statements become ``context.write(x)``, so their text
  stays in place (Mako collects the output and writes it at the end).

Every construct that cannot be converted exactly is reported as a
:class:`Problem` (file, line, message); the text is still produced where it
can be, with a ``## psp2mako:`` comment at the spot.  A page that converts
without problems renders the same output under Mako as under PSP, given the
same variables.  Python comments in code are kept only inside code blocks;
PSP comments are dropped.

``main(argv)`` is the command line: ``psp2mako PAGE.psp... [-o OUT | --write]``.
"""
from __future__ import annotations

import argparse
import ast
import io
import os
import re
import sys
import tokenize
import warnings
from typing import NamedTuple

from modpy_compat.psp import codegen
from modpy_compat.psp.errors import PSPError
from modpy_compat.psp.scopes import binding_events, loads, unsafe_reads

_RESERVED = frozenset(["context", "loop", "UNDEFINED", "STOP_RENDERING"])   # mako.codegen.RESERVED_NAMES
_MAKO_SPECIAL = re.compile(r"\$\{|</?%")
_JOINS = frozenset(["<%", "</", "${", "##", "\\\n"])     # text meeting text that Mako would read


class Problem(NamedTuple):
    """A construct psp2mako could not convert exactly."""

    path: str | None
    line: int | None
    message: str

    def __str__(self):
        return "%s:%s: %s" % (self.path or "<string>", self.line if self.line is not None else "?", self.message)


def convert(text, path: str | None = None, include_dir: str | None = None):
    """Convert PSP ``text`` to a Mako template.

    :param text: the page (``str`` or ``bytes``, UTF-8).
    :param path: the page's file name (for includes and problem reports).
    :param include_dir: where relative includes resolve; default the
        directory of ``path``.
    :returns: ``(mako_text, problems)``; ``mako_text`` is None when the page
        cannot be converted at all (it does not compile under PSP either).
    """
    if include_dir is None and path:
        include_dir = os.path.dirname(os.path.abspath(path)) + "/"
    try:
        program = codegen.generate(text, path, include_dir)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")      # the page's own warnings show when it runs
            program.compile()
    except PSPError as exc:
        return None, [Problem(exc.path, exc.line, "the page does not compile as PSP: %s" % exc.message)]
    converter = _Converter(program)
    converter.run()
    mako_text = "".join(converter.out)
    problems = sorted(converter.problems, key=lambda p: (p.path or "", p.line or 0))
    if not problems:
        from mako.exceptions import MakoException
        from mako.template import Template
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                Template(mako_text)
        except (MakoException, SyntaxError) as exc:
            problems.append(Problem(path, None, "the template does not compile under Mako: %s" % exc))
    return mako_text, problems


def convert_file(path: str):
    """Convert the PSP file at ``path``: ``(mako_text, problems)``."""
    with open(path, "rb") as fh:
        return convert(fh.read(), path)


class _Converter:
    def __init__(self, program):
        self.program = program
        self.source = program.source
        self.lines = self.source.splitlines(True)
        self.tree = ast.parse(self.source)
        self.out = []
        self.tail = ""               # the Mako source after its last line break
        self.problems = []
        self._reported = set()
        self._converted = set()      # ids of req.write calls turned into template text
        self.depth = 0               # nesting of control lines, for their indentation

    # -- reporting ---------------------------------------------------------------------

    def problem(self, node, message, placeholder=True):
        path, line = self.program.position(node.lineno)
        key = (path, line, message)
        if key not in self._reported:
            self._reported.add(key)
            self.problems.append(Problem(path, line, message))
        if placeholder:
            self.control("## psp2mako: %s (line %s)" % (message, line), raw=True)

    # -- emitting Mako -------------------------------------------------------------------

    def emit(self, text):
        self.out.append(text)
        cut = text.rfind("\n")
        self.tail = self.tail + text if cut < 0 else text[cut + 1:]

    def text(self, value):
        if not value:
            return
        if self.tail and (self.tail[-1] + value[0]) in _JOINS:
            self.emit("${''}")      # keep the two pieces from forming Mako syntax
        lines = value.split("\n")
        at_start = not self.tail.strip(" \t")
        for i, line in enumerate(lines):
            line = _MAKO_SPECIAL.sub(lambda m: "${%r}" % m.group(), line)
            line = line.replace("\r", "${'\\r'}")
            if i or at_start:
                stripped = line.lstrip(" \t")
                indent = line[:len(line) - len(stripped)]
                if stripped.startswith("%"):
                    line = indent + "%" + stripped
                elif stripped.startswith("##"):
                    line = indent + "#${'#'}" + stripped[2:]
            if i < len(lines) - 1 and line.endswith("\\"):
                line = line[:-1] + "${'\\\\'}"      # a backslash before a newline joins lines in Mako
            self.emit(line + ("\n" if i < len(lines) - 1 else ""))

    def expression(self, source):
        source = _without_comments(source).strip()
        if "\n" in source or "|" in source:
            source = "(%s)" % source
        self.emit("${%s}" % source)

    def code(self, source):
        if "\n" in source:
            self.emit("<%%\n%s\n%%>" % source)
        else:
            self.emit("<%% %s %%>" % source)

    def control(self, line, raw=False):
        if self.tail:
            self.emit("\\\n")         # a line break Mako does not output
        self.emit("  " * self.depth + (line if raw else "% " + line) + "\n")

    def block(self, header, statements, in_def):
        """``% header`` then the statements, indented one level deeper."""
        self.control(header)
        self.depth += 1
        try:
            self.body(statements, in_def=in_def)
        finally:
            self.depth -= 1

    # -- reading the program ---------------------------------------------------------------

    def segment(self, node):
        return ast.get_source_segment(self.source, node)

    def statements_source(self, first, last):
        """The source from ``first``'s start to ``last``'s end, dedented to ``first``'s line."""
        start_line, end_line = first.lineno - 1, last.end_lineno - 1
        start_col = _char_col(self.lines[start_line], first.col_offset)
        end_col = _char_col(self.lines[end_line], last.end_col_offset)
        rest = self.lines[end_line][end_col:]
        if rest.strip().startswith("#"):
            end_col += len(rest.rstrip("\r\n"))       # keep a comment ending the last line
        if start_line == end_line:
            return self.lines[start_line][start_col:end_col]
        physical = self.lines[start_line]
        prefix = physical[:len(physical) - len(physical.lstrip(" \t"))]
        parts = [physical[start_col:]]
        for line in self.lines[start_line + 1:end_line]:
            parts.append(line[len(prefix):] if line.startswith(prefix) else line)
        last_line = self.lines[end_line][:end_col]
        parts.append(last_line[len(prefix):] if last_line.startswith(prefix) else last_line)
        return "".join(parts).rstrip()

    def header(self, node):
        """A one-line rendering of an expression for a control line."""
        text = self.segment(node)
        if text is None or "\n" in text:
            text = ast.unparse(node)
        return text

    # -- the walk -----------------------------------------------------------------------

    def run(self):
        self.check_names()
        self.body(self.tree.body, top=True)
        for node in ast.walk(self.tree):
            if _is_req_write(node) and id(node) not in self._converted:
                self.problem(node, "req.write() here would put its text before the template's output "
                                   "under Mako; use context.write()", placeholder=False)

    def body(self, statements, top=False, in_def=False):
        group = []
        for statement in statements:
            kind = _classify(statement)
            if kind == "plain":
                group.append(statement)
                continue
            self.flush(group)
            group = []
            if kind != "compound":
                self._converted.add(id(statement.value))
            if kind == "text":
                self.text(statement.value.args[0].value)
            elif kind == "expr":
                call = statement.value.args[0]
                self.expression(self.segment(call)[len("str("):-1])
            elif kind == "write":
                self.code("context.write(%s)" % self.segment(statement.value.args[0]))
            else:
                self.compound(statement, top, in_def)
        self.flush(group)

    def flush(self, group):
        if not group:
            return
        for statement in group:
            for node in ast.walk(statement):
                if isinstance(node, ast.Global):
                    self.problem(node, "'global' in page code: template variables are local to the "
                                       "template under Mako", placeholder=False)
        source = self.statements_source(group[0], group[-1])
        if 'req.write("""' in source or '""",0)' in source:
            self.problem(group[0], "this code holds code PSP generated (a string or comment left open "
                                   "swallowed it); the page works by accident", placeholder=False)
        self.code(source)

    def compound(self, node, top, in_def):
        if isinstance(node, ast.For):
            self.block("for %s in %s:" % (self.header(node.target), self.header(node.iter)), node.body, in_def)
            if node.orelse:
                self.block("else:", node.orelse, in_def)
            self.control("endfor")
        elif isinstance(node, ast.While):
            self.block("while %s:" % self.header(node.test), node.body, in_def)
            if node.orelse:
                self.block("else:", node.orelse, in_def)
            self.control("endwhile")
        elif isinstance(node, ast.If):
            self.block("if %s:" % self.header(node.test), node.body, in_def)
            while node.orelse:
                nested = node.orelse[0]
                if (len(node.orelse) == 1 and isinstance(nested, ast.If)
                        and self.lines[nested.lineno - 1].lstrip().startswith("elif")):
                    self.block("elif %s:" % self.header(nested.test), nested.body, in_def)
                    node = nested
                    continue
                self.block("else:", node.orelse, in_def)
                break
            self.control("endif")
        elif isinstance(node, ast.Try) and not node.orelse and not node.finalbody:
            self.block("try:", node.body, in_def)
            for handler in node.handlers:
                clause = "except"
                if handler.type is not None:
                    clause += " " + self.header(handler.type)
                if handler.name:
                    clause += " as " + handler.name
                self.block(clause + ":", handler.body, in_def)
            self.control("endtry")
        elif isinstance(node, ast.With):
            items = ", ".join(self.header(item.context_expr) +
                              (" as " + self.header(item.optional_vars) if item.optional_vars else "")
                              for item in node.items)
            self.block("with %s:" % items, node.body, in_def)
            self.control("endwith")
        elif isinstance(node, ast.FunctionDef) and (top or in_def) and not node.decorator_list:
            for inner in ast.walk(node):
                if isinstance(inner, ast.Return) and inner.value is not None:
                    self.problem(inner, "a function that writes text returns a value: as a <%%def> it "
                                        "would write that value too when used in ${}", placeholder=False)
            self.emit('<%%def name="%s(%s)">' % (node.name, ast.unparse(node.args)))
            self.body(node.body, in_def=True)
            self.emit("</%def>")
        else:
            what = {ast.Try: "try with else/finally", ast.FunctionDef: "a function defined here (decorated, "
                    "or inside a block)", ast.ClassDef: "a class"}.get(type(node), type(node).__name__)
            self.problem(node, "%s whose body writes page text cannot be converted" % what)
            self._converted.update(id(inner) for inner in ast.walk(node))   # reported as a whole

    def check_names(self):
        """Report names Mako reserves, and template variables read where the page may not have assigned them.

        Under PSP every name is a global, so a name the page assigns only on
        some paths (in a loop body, one branch of an ``if``) still reads the
        request's variable, or the page's global, on the others.  Under Mako a
        name the template assigns anywhere is local to it everywhere.
        """
        events = list(binding_events(self.tree.body))
        assigned_somewhere = {name for event, name, _ in events if event == "store"}
        for event, name, node in events:
            if name in _RESERVED:
                self.problem(node, "%r is reserved by Mako; rename it" % name, placeholder=False)
        reported = set()
        for name, node in unsafe_reads(self.tree.body, set(), assigned_somewhere):
            if name not in reported:
                reported.add(name)
                self.problem(node, "%r may be read here before the page assigned it (it is assigned "
                                   "only on some paths): under PSP it then comes from the page's globals "
                                   "or variables, under Mako a name the template assigns never does"
                                   % name, placeholder=False)


def _char_col(line, byte_col):
    """The character column of ``ast``'s UTF-8 byte column ``byte_col`` in ``line``."""
    return len(line.encode("utf-8")[:byte_col].decode("utf-8", "replace"))


def _without_comments(source):
    """``source`` (an expression) without its ``#`` comments: Mako would read them as text."""
    if "#" not in source:
        return source
    lines = source.split("\n")
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO("(" + source + "\n)").readline))
    except (tokenize.TokenError, SyntaxError):
        return source
    for token in reversed(tokens):
        if token.type == tokenize.COMMENT:
            row, col = token.start
            offset = 1 if row == 1 else 0            # the "(" put in front
            line = lines[row - 1]
            lines[row - 1] = line[:col - offset] + line[token.end[1] - offset:]
    return "\n".join(lines)




def _is_req_write(node):
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "write"
            and isinstance(node.func.value, ast.Name) and node.func.value.id == "req")


def _classify(statement):
    """``text``, ``expr`` (generated writes), ``write`` (a req.write statement), ``compound`` or ``plain``."""
    if isinstance(statement, ast.Expr) and _is_req_write(statement.value):
        args = statement.value.args
        if (len(args) == 2 and not statement.value.keywords and isinstance(args[1], ast.Constant)
                and args[1].value == 0):
            if isinstance(args[0], ast.Constant) and isinstance(args[0].value, str):
                return "text"
            if (isinstance(args[0], ast.Call) and isinstance(args[0].func, ast.Name) and args[0].func.id == "str"
                    and len(args[0].args) == 1 and not args[0].keywords):
                return "expr"
        if 1 <= len(args) <= 2 and not statement.value.keywords:
            return "write"
        return "plain"
    for node in ast.walk(statement):
        if node is not statement and isinstance(node, ast.Expr) and _classify(node) in ("text", "expr"):
            if isinstance(statement, (ast.For, ast.While, ast.If, ast.Try, ast.With, ast.FunctionDef,
                                      ast.AsyncFor, ast.AsyncWith, ast.AsyncFunctionDef, ast.ClassDef)) \
                    or type(statement).__name__ in ("Match", "TryStar"):
                return "compound"
    return "plain"


def main(argv=None) -> int:
    """``psp2mako``: convert PSP pages to Mako templates.

    Problems go to stderr as ``file:line: message``.  Exit status: 0 when
    every page converted exactly, 1 when some construct could not be, 2 when
    a page could not be read or does not compile.
    """
    parser = argparse.ArgumentParser(prog="modpy-compat psp2mako",
                                     description="Convert PSP pages to Mako templates.")
    parser.add_argument("pages", nargs="+", help="PSP files to convert")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("-o", "--output", help="write the template here (one page only)")
    where.add_argument("--write", action="store_true",
                       help="write PAGE.mako next to each PAGE.psp (never overwrites)")
    args = parser.parse_args(argv)
    if args.output and len(args.pages) != 1:
        parser.error("--output takes exactly one page")
    status = 0
    for page in args.pages:
        try:
            text, problems = convert_file(page)
        except OSError as exc:
            sys.stderr.write("%s: %s\n" % (page, exc.strerror or exc))
            status = 2
            continue
        for problem in problems:
            sys.stderr.write("%s\n" % (problem,))
        if text is None:
            status = 2
            continue
        if problems:
            status = max(status, 1)
        if args.output:
            target = args.output
        elif args.write:
            target = os.path.splitext(page)[0] + ".mako"
            if os.path.exists(target):
                sys.stderr.write("%s: exists, not overwritten\n" % target)
                status = 2
                continue
        else:
            sys.stdout.write(text)
            continue
        with open(target, "w", encoding="utf-8") as fh:
            fh.write(text)
    return status


if __name__ == "__main__":
    sys.exit(main())
