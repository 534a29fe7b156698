r'''Turning PSP tokens into the Python program mod_python would generate.

The program is the one ``_psp.parse`` returns, character for character
(psp-syntax.md §3-§5), so ``display_code()`` shows the same thing and line N
of the program is line N of the page wherever mod_python's is:

* the first character of a non-empty page opens ``req.write("""``;
* text goes into the open string, escaped (``"`` -> ``\"``, CR LF -> LF, the
  two-character sequences ``\n``, ``\r``, ``\t`` get their backslash doubled;
  other backslashes are left for Python to interpret);
* ``<%= E %>`` closes the string and adds ``req.write(str(E),0);``;
* ``<% C %>`` closes the string, adds ``C`` (``;`` first when ``C`` has no
  line break), then the indentation ``W`` and ``req.write("""``.  ``W`` is
  the leading whitespace of the block's last line that had any (cleared by an
  empty line or a line starting at column 0; a line holding only ``%>`` keeps
  it), plus a TAB when the last code character before ``%>`` was a colon;
* the end of the page in text closes the string with ``""",0)`` and a newline.

:class:`Program` keeps, next to the source, anchors from program offsets to
page positions, so errors can name the page (or included file) and line even
where comments or includes make the program's line numbers drift.
'''
from __future__ import annotations

import bisect
import builtins
import re
import types

from modpy_compat.psp import lexer as L
from modpy_compat.psp import scopes
from modpy_compat.psp.errors import PSPEncodingError, PSPFileError, PSPSyntaxError

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_SURROGATE = re.compile("[\udc80-\udcff]")


def escape_text(text: str) -> str:
    """Escape page text for the program's ``\"\"\"`` literal, as mod_python's lexer does."""
    if "\r\n" in text:
        text = text.replace("\r\n", "\n")
    if '"' in text:
        text = text.replace('"', '\\"')
    if "\\" in text:
        # Pairs never overlap (backslash + letter), so left-to-right replacement
        # matches flex's left-to-right scan.
        text = text.replace("\\n", "\\\\n").replace("\\r", "\\\\r").replace("\\t", "\\\\t")
    return text


class Program:
    """The Python program generated for a page, and how it maps back to the page.

    :ivar source: the program text (``str``), exactly as mod_python generates it.
    :ivar fast_source: the program :class:`~modpy_compat.psp.page.PSP` runs:
        the same code, line for line, but the generated writes append to a
        list (``__psp_w__(<text>)``, ``__psp_e__(("%s" % (E,), <text>))``
        with ``__psp_w__``/``__psp_e__`` bound to a list's
        ``append``/``extend``; ``_s_(E)``, ``_s_`` bound to ``str``, where
        ``E`` has a comma or a star; see :meth:`compile_page`).
        None when the page's own code uses one of those names.
    :ivar path: the page's file name (None for a string page).
    :ivar stamps: ``{path: (mtime_ns, size)}`` of the page file and every file
        it included, as read (for cache checks).
    :ivar unclosed: the token left open when the page ended (or None).
    :ivar notes: ``(path, line, message)`` about things mod_python ignores silently.
    """

    def __init__(self, source, path, anchors, stamps=None, unclosed=None, notes=(), fast_source=None,
                 suspects=()):
        self.source = source
        self.suspects = list(suspects)   # [(program offset, path, line, hint)]
        self.runs_as_function = False
        self.module_names = frozenset()  # co_names of the page as module code (set by compile_page)
        self.fast_source = fast_source
        self.path = path
        self.stamps = dict(stamps or {})
        self.unclosed = unclosed
        self.notes = list(notes)
        self._anchors = anchors          # sorted [(program offset, path, page line)]
        self._offsets = [a[0] for a in anchors]
        self._line_starts = None

    def __str__(self):
        return self.source

    def _line_offset(self, lineno):
        if self._line_starts is None:
            starts = [0]
            starts.extend(m.end() for m in _LINE_BREAK.finditer(self.source))
            self._line_starts = starts
        starts = self._line_starts
        return starts[min(max(lineno, 1), len(starts)) - 1]

    def position(self, lineno: int, col: int = 0):
        """The ``(path, line)`` of the page text behind program line ``lineno``, column ``col``.

        Within one token, line breaks in the page and in the program
        correspond one to one; anchors at every token start do the rest.
        """
        offset = self._line_offset(lineno) + max(col, 0)
        i = bisect.bisect_right(self._offsets, offset) - 1
        if i < 0:
            return self.path, lineno
        start, path, line = self._anchors[i]
        between = self.source[start:offset]
        breaks = between.count("\n") + between.count("\r") - between.count("\r\n")
        return path, line + breaks

    def compile(self, filename: str | None = None):
        """Compile to a code object named after the page (mod_python: ``compile(source, filename, "exec")``).

        :param filename: the code object's file name; the page path by default,
            ``"__psp__"`` for string pages.
        :raises PSPSyntaxError: naming the page line, with a hint for the
            mistakes PSP makes easy (psp-syntax.md §3, E12).
        """
        filename = filename or self.path or "__psp__"
        try:
            # dont_inherit: our own __future__ imports must not leak into pages.
            return compile(self.source, filename, "exec", dont_inherit=True)
        except SyntaxError as exc:
            raise self.syntax_error(exc) from None
        except ValueError as exc:   # NUL characters
            raise PSPSyntaxError("the page cannot be compiled: %s" % exc, self.path) from None

    def syntax_error(self, exc: SyntaxError) -> PSPSyntaxError:
        """A :class:`PSPSyntaxError` for ``exc`` raised by compiling the program.

        It names the page line Python's error maps to, or better, when the
        page has a construct mod_python turns into broken code (psp-syntax.md
        §3, E12) at or before that point, that construct's line, with a hint.
        """
        lineno = exc.lineno or 1
        offset = self._line_offset(lineno) + max((exc.offset or 1) - 1, 0)
        path, line = self.position(lineno, (exc.offset or 1) - 1)
        message = exc.msg
        if self.unclosed is not None:
            token = self.unclosed
            path, line = token.path, token.line
            message += "; %r opened here is never closed with %r" % (_OPENERS[token.kind], _CLOSERS[token.kind])
        else:
            suspect = None
            for candidate in self.suspects:
                if candidate[0] > offset:
                    break
                suspect = candidate
            if suspect is not None:
                _, path, line, hint = suspect
                message += "; " + hint
        message += " (line %d of the generated program)" % lineno
        return PSPSyntaxError(message, path, line, _page_line(path, line))

    def compile_page(self, filename: str | None = None):
        """Compile the program a page runs with: ``(code, fast)``.

        ``fast`` is True when the code is :attr:`fast_source`; it is then
        compiled as the body of a function taking the fast names as
        arguments when nothing can tell
        (:func:`~modpy_compat.psp.scopes.function_code`; :attr:`runs_as_function`
        is then True).  :func:`execute` runs any of them.  :attr:`module_names`
        is set to the global names the page's top-level code uses, as
        mod_python reads them from ``code.co_names`` (to decide on ``form``
        and ``session``).  mod_python's spelling is
        used instead when the fast one could behave differently: the page
        assigns to the name ``req`` or ``str`` (generated code must then use
        the new object), uses the fast program's names itself, or a string
        literal in the page swallowed generated code (its value would differ).

        :raises PSPSyntaxError: as :meth:`compile`.
        """
        filename = filename or self.path or "__psp__"
        code = None
        if self.fast_source is not None:
            try:
                code = compile(self.fast_source, filename, "exec", dont_inherit=True)
            except (SyntaxError, ValueError):
                code = None
        if code is None or not _fast_is_exact(code):
            code = self.compile(filename)
            self.module_names = frozenset(code.co_names)
            return code, False
        self.module_names = frozenset(code.co_names)
        function = scopes.function_code(self.fast_source, filename, FAST_NAMES)
        self.runs_as_function = function is not None
        return (function or code), True


def execute(code, scope):
    """Run a page's code object (from :meth:`Program.compile_page`) in the globals ``scope``.

    The fast names (``__psp_w__``, ``__psp_e__``, ``_s_``) must be in
    ``scope`` when the code uses them; a page compiled as a function gets
    them as arguments.
    """
    if code.co_argcount:
        # exec() adds __builtins__ itself; a function made before 3.10 needs it in its globals.
        scope.setdefault("__builtins__", builtins)
        types.FunctionType(code, scope)(scope[FAST_WRITER], scope[FAST_EXTEND], scope[FAST_STR])
    else:
        exec(code, scope)


_STORES = frozenset(["STORE_NAME", "STORE_GLOBAL", "DELETE_NAME", "DELETE_GLOBAL"])


def _fast_is_exact(code):
    """True unless ``code`` rebinds ``req``/``str`` or holds a constant with the fast writer's name in it."""
    import dis
    for const in code.co_consts:
        if isinstance(const, str):
            if FAST_WRITER in const or FAST_EXTEND in const:
                return False
        elif isinstance(const, bytes):
            if FAST_WRITER.encode() in const or FAST_EXTEND.encode() in const:
                return False
        elif hasattr(const, "co_code"):
            if not _fast_is_exact(const):
                return False
    if "req" in code.co_names or "str" in code.co_names:
        for instruction in dis.get_instructions(code):
            if instruction.opname in _STORES and instruction.argval in ("req", "str"):
                return False
    return True


_OPENERS = {L.CODE: "<%", L.EXPR: "<%=", L.COMMENT: "<%--", L.DIRECTIVE: "<%@"}
_CLOSERS = {L.CODE: "%>", L.EXPR: "%>", L.COMMENT: "--%>", L.DIRECTIVE: "%>"}


def _page_line(path, line):
    """The text of ``line`` in ``path`` (for the caret display), or None."""
    if path is None or line is None:
        return None
    try:
        text = L.read_file(path)[0]
    except (OSError, L.PSPError):
        return None
    lines = text.splitlines()
    return lines[line - 1] + "\n" if 0 < line <= len(lines) else None


# The fast program (see Program.fast_source) writes through two names bound by
# the page runner: __psp_w__ (list.append) and __psp_e__ (list.extend), and
# calls _s_ (str).  An expression and the text after it go in one extend()
# call: the text is a constant, so nothing can run between the two.
FAST_WRITER = "__psp_w__"
FAST_EXTEND = "__psp_e__"
FAST_STR = "_s_"
FAST_NAMES = (FAST_WRITER, FAST_EXTEND, FAST_STR)


class _Generator:
    """Feeds tokens through the indentation rules into program pieces.

    Builds mod_python's program and the fast one side by side; they differ
    only in how the generated writes are spelled, never in line breaks.
    """

    def __init__(self):
        self.out = []                 # mod_python's program
        self.fast = []                # the fast program
        self.size = 0                 # characters of mod_python's program so far
        self.anchors = []
        self.after_colon = False      # survives from block to block, as in mod_python
        self.fast_ok = True           # False when page code uses the fast program's names
        self.after_expr = False       # the open fast literal belongs to an extend() call
        self.suspects = []            # constructs that usually break the program (see _suspect)

    def emit(self, piece):
        self.out.append(piece)
        self.fast.append(piece)
        self.size += len(piece)

    def emit_write(self, faithful, fast):
        self.out.append(faithful)
        self.fast.append(fast)
        self.size += len(faithful)

    def _close(self):
        # Closes the open fast literal: __psp_w__("""...""") or __psp_e__((E, """..."""))
        closer = '"""))' if self.after_expr else '""")'
        self.after_expr = False
        return closer

    def start(self):
        self.emit_write('req.write("""', FAST_WRITER + '("""')

    def end(self):
        self.emit_write('""",0)\n', self._close() + "\n")

    def anchor(self, token):
        self.anchors.append((self.size, token.path, token.line))

    def text(self, token):
        self.anchor(token)
        text = token.text
        self.emit(escape_text(text))
        if text.endswith("\\") and (len(text) - len(text.rstrip("\\"))) % 2:
            self.fast_ok = False     # the backslash escapes the generated closing quote

    def code(self, token, echo):
        self.anchor(token)
        start = self.size
        raw = token.text
        # str(E) as '"%s" % (E,)' saves a call; exact for one expression (no
        # top-level comma or star, which str() would take as more arguments).
        formatted = echo and "," not in raw and "*" not in raw
        if echo:
            self.emit_write('""",0); req.write(str(', self._close() + "; %s((%s" % (
                FAST_EXTEND, '"%s" % (' if formatted else FAST_STR + "("))
        else:
            self.emit_write('""",0);', self._close() + ";")
        if self.fast_ok and not _stays_out_of_generated_code(raw):
            self.fast_ok = False
        if "\r" in raw:
            parts = _LINE_BREAK.split(raw)
            breaks = _LINE_BREAK.findall(raw)
        else:
            parts = raw.split("\n")
            breaks = None
        self.emit("\n".join(parts))
        indent = ""
        first = parts[0]
        if first:
            self.after_colon = first[-1] == ":"
        last = len(parts) - 1
        for i in range(1, last + 1):
            line = parts[i]
            if breaks is None or breaks[i - 1] != "\r":
                # At a line start (flex's INDENT state): leading blanks become
                # the indentation and leave the colon flag alone.
                rest = line.lstrip(" \t")
                if len(rest) != len(line):
                    indent = line[:len(line) - len(rest)]
                elif line or i < last:
                    indent = ""          # code at column 0, or an empty line
                # else "%>" (or the end) right after the line break: keep it
            else:
                # After a lone CR flex is not at a line start: blanks are code.
                rest = line
                if line or i < last:
                    indent = ""
            if rest:
                self.after_colon = rest[-1] == ":"
        if not token.closed:
            return
        if echo:
            self.emit_write('),0); req.write("""', ',), """' if formatted else '), """')
            self.after_expr = True
            return
        hint = _suspect(parts)
        if hint:
            self.suspects.append((start, token.path, token.line + hint[0], hint[1]))
        if last == 0:
            self.emit(";")
        if self.after_colon:
            indent += "\t"
            self.after_colon = False
        self.emit(indent)
        self.emit_write('req.write("""', FAST_WRITER + '("""')


def _suspect(lines):
    """``(line index, hint)`` when a code block has a shape mod_python turns into broken code."""
    if len(lines) == 1:
        code = lines[0].strip()
        if not code:
            return 0, "an empty code block <% %> is not valid Python"
        if code.endswith(":"):
            return 0, ("a compound statement (for/if/while ...:) needs lines of its own: "
                       "'<%', newline, the code, newline, '%>'")
        if "#" in code and _ends_in_comment(code):
            return 0, "a '#' comment in a one-line block also comments out the generated code after it"
        return None
    last = lines[-1]
    previous = next((line.rstrip() for line in reversed(lines[:-1]) if line.strip()), "")
    if last.strip():
        if not last.rstrip().endswith((";", ":")):
            return len(lines) - 1, "in a multi-line block, '%>' must be on a line of its own"
        return None
    if last:
        if not previous.endswith(":"):
            return len(lines) - 1, "'%>' is indented: put it at column 0 (its indentation is added twice)"
        return None
    for i in range(len(lines) - 2, -1, -1):
        code = lines[i].strip()
        if code:
            if re.search(r":\s*#", code) and _ends_in_comment(code):
                return i, ("a comment after the colon hides it from PSP, which then does not indent "
                           "the text that follows; put the comment on the next line")
            break
    return None


def _ends_in_comment(code):
    """True when ``code`` (one line) ends inside a ``#`` comment."""
    return not _stays_out_of_generated_code(code) and code.count('"') % 2 == 0 and code.count("'") % 2 == 0


def _stays_out_of_generated_code(code):
    """True when ``code`` cannot reach into the generated code around it.

    False when it uses a name of the fast program, leaves a string literal
    open (the literal would swallow generated code, whose spelling differs
    between the two programs) or ends inside a comment.
    """
    if FAST_STR in code or FAST_WRITER in code or FAST_EXTEND in code:
        return False
    i, n = 0, len(code)
    while i < n:
        c = code[i]
        if c == "#":
            i = min(_find(code, "\n", i), _find(code, "\r", i))
            if i >= n:
                return False
        elif c == '"' or c == "'":
            quote = c * 3 if code.startswith(c * 3, i) else c
            i += len(quote)
            while True:
                if i >= n:
                    return False
                ch = code[i]
                if ch == "\\":
                    i += 2       # whatever the prefix, a backslash keeps the next quote in
                elif code.startswith(quote, i):
                    i += len(quote)
                    break
                elif len(quote) == 1 and ch in "\r\n":
                    return False
                else:
                    i += 1
        else:
            i += 1
    return True


def _find(text, sub, start):
    found = text.find(sub, start)
    return len(text) if found < 0 else found


def generate(text: str, path: str | None = None, include_dir: str | None = "",
             encoding: str = L.DEFAULT_ENCODING) -> Program:
    """Generate the program for page ``text``.

    :param text: the page (``str``; bytes are decoded with ``encoding``).
    :param path: its file name, used in tokens, errors and anchors.
    :param include_dir: see :class:`~modpy_compat.psp.lexer.Lexer`.
    :raises PSPError: for an unreadable include, an include cycle or
        undecodable bytes that reach the program.
    """
    text = L.decode(text, path, encoding)
    lexer = L.Lexer(text, path, include_dir, encoding)
    gen = _Generator()
    if text:
        gen.start()
    for token in lexer:
        kind = token.kind
        if kind is L.TEXT:
            gen.text(token)
        elif kind is L.CODE:
            gen.code(token, False)
        elif kind is L.EXPR:
            gen.code(token, True)
    if lexer.end_state == L.TEXT and text:
        gen.end()
    source = "".join(gen.out)
    program = Program(source, path, gen.anchors, lexer.stamps, lexer.unclosed, lexer.notes,
                      "".join(gen.fast) if gen.fast_ok else None, gen.suspects)
    match = _SURROGATE.search(source)
    if match:
        where, line = program.position(_line_of(source, match.start()),
                                       match.start() - _line_start(source, match.start()))
        raise PSPEncodingError("the page is not valid %s (byte 0x%02x)"
                               % (encoding, ord(match.group()) - 0xdc00), where, line)
    return program


def _line_start(source, offset):
    return max(source.rfind("\n", 0, offset), source.rfind("\r", 0, offset)) + 1


def _line_of(source, offset):
    head = source[:offset]
    return head.count("\n") + head.count("\r") - head.count("\r\n") + 1


def generate_file(path: str, include_dir: str | None = None, encoding: str = L.DEFAULT_ENCODING) -> Program:
    """Generate the program for the PSP file at ``path``.

    :param include_dir: where relative includes resolve; by default the
        file's own directory (what mod_python's handler passes).
    :raises PSPFileError: (an ``OSError``) when ``path`` cannot be read.
    """
    if include_dir is None:
        include_dir = path.rsplit("/", 1)[0] + "/" if "/" in path else ""
    try:
        text, stamp = L.read_file(path, encoding)
    except OSError as exc:
        raise PSPFileError("cannot read %r: %s" % (path, exc.strerror or exc), path, None,
                           exc.errno, path) from None
    program = generate(text, path, include_dir, encoding)
    program.stamps[path] = stamp
    return program
