"""Splitting a PSP page into text, code, expression and include tokens.

mod_python's lexer (``src/psp_parser.l``, a flex scanner) has five states;
this one keeps the four that matter, as an explicit loop that jumps from tag
to tag with ``str.find``, so its cost is linear in the page size:

``TEXT``
    literal output up to the next ``<%``.  ``<%--`` opens a comment,
    ``<%@`` a directive, ``<%=`` an expression, any other ``<%`` a code block
    (longest match, as flex does).  ``%>`` in text is ordinary text.
``CODE`` / ``EXPR``
    everything up to the first ``%>``, even inside a Python string literal.
``DIRECTIVE``
    up to ``%>``.  Every ``include file="..."`` inside it is expanded in
    place: the included file is lexed as if its text stood there, then
    lexing resumes inside the directive.  Anything else is dropped.
``COMMENT``
    up to ``--%>``; dropped.

The end of the input inside a code block, an expression, a directive or a
comment ends *the whole page*, included files too: mod_python's scanner
terminates there, and so does this one (the :class:`Lexer` ``end_state``
tells the code generator).

Tokens carry the file and the 1-based line they start on.  Line breaks are
LF, CR LF or a lone CR (Python's compiler counts all three).
"""
from __future__ import annotations

import os

from modpy_compat.psp.errors import PSPEncodingError, PSPError, PSPFileError

# Token kinds and lexer states.
TEXT = "text"
CODE = "code"
EXPR = "expr"
COMMENT = "comment"
DIRECTIVE = "directive"
INCLUDE = "include"       # marks where an included file's tokens start (text = its path)

DEFAULT_ENCODING = "utf-8"


class Token:
    """One piece of a page.

    :ivar kind: ``TEXT``, ``CODE``, ``EXPR``, ``COMMENT``, ``DIRECTIVE`` or ``INCLUDE``.
    :ivar text: the raw characters between the delimiters (for ``INCLUDE``, the
        included file's path).
    :ivar path: the file the token comes from (None for a string page).
    :ivar line: the line of the token's first character in that file.
    :ivar closed: False when the page ended before the closing delimiter.
    """

    __slots__ = ("kind", "text", "path", "line", "closed")

    def __init__(self, kind, text, path, line, closed=True):
        self.kind = kind
        self.text = text
        self.path = path
        self.line = line
        self.closed = closed

    def __repr__(self):
        return "Token(%s, %r, line %s%s)" % (self.kind, self.text, self.line,
                                             "" if self.closed else ", unclosed")


class _Lines:
    """Line numbers of offsets in one text, counted incrementally (offsets only grow)."""

    __slots__ = ("text", "offset", "line")

    def __init__(self, text):
        self.text = text
        self.offset = 0
        self.line = 1

    def at(self, offset):
        if offset > self.offset:
            chunk = self.text[self.offset:offset]
            count = chunk.count("\n") + chunk.count("\r") - chunk.count("\r\n")
            if chunk[0] == "\n" and self.offset and self.text[self.offset - 1] == "\r":
                count -= 1      # the LF of a CR LF whose CR was already counted
            self.line += count
            self.offset = offset
        return self.line


def decode(data, path=None, encoding=DEFAULT_ENCODING):
    """Decode page bytes.

    Undecodable bytes are kept as lone surrogates (``surrogateescape``): like
    mod_python, which decodes the *generated program*, a bad byte inside a
    comment or a dropped directive is harmless; one that reaches the program
    is reported by the code generator with its line.
    """
    if isinstance(data, str):
        return data
    try:
        return data.decode(encoding, "surrogateescape")
    except LookupError:
        raise PSPError("unknown page encoding %r" % encoding, path)
    except UnicodeDecodeError as exc:   # codecs without surrogateescape support
        line = data.count(b"\n", 0, exc.start) + 1
        raise PSPEncodingError("the page is not valid %s: %s" % (encoding, exc.reason), path, line)


def read_file(path, encoding=DEFAULT_ENCODING):
    """``(text, stamp)`` of the PSP file at ``path``; ``stamp`` is ``(mtime_ns, size)``.

    The stamp comes from the open file, so it describes the bytes read even
    if the file is replaced meanwhile.

    :raises OSError: when the file cannot be read.
    """
    with open(path, "rb") as fh:
        info = os.fstat(fh.fileno())
        data = fh.read()
    return decode(data, path, encoding), (info.st_mtime_ns, info.st_size)


class Lexer:
    """Tokenizes a page and, recursively, the files it includes.

    :param text: the page text (``str``; see :func:`decode` for bytes).
    :param path: the page's file name, for tokens and error messages.
    :param include_dir: where relative ``include`` paths resolve: the *top*
        page's directory with a trailing slash, also for includes nested in
        included files (mod_python prefixes the ``dir`` given to
        ``_psp.parse``).  ``""`` resolves against the working directory, as
        ``_psp.parse(filename)`` without ``dir`` does; None forbids
        relative includes (a string page without a directory).
    :param encoding: the encoding of included files.

    After iterating, :attr:`end_state` is the state the page ended in
    (``TEXT`` when it ended normally), :attr:`unclosed` the token or
    directive left open at the end (or None), :attr:`stamps` maps each
    included file read to its ``(mtime_ns, size)``, and :attr:`notes` is a
    list of ``(path, line, message)`` about constructs mod_python silently
    ignores.
    """

    def __init__(self, text: str, path: str | None = None, include_dir: str | None = "",
                 encoding: str = DEFAULT_ENCODING):
        self.text = text
        self.path = path
        self.include_dir = include_dir
        self.encoding = encoding
        self.end_state = None
        self.unclosed = None
        self.stamps = {}
        self.notes = []
        self._stack = [os.path.realpath(path)] if path else []

    def __iter__(self):
        self.end_state = yield from self._lex(self.text, self.path)

    def tokens(self):
        """All tokens as a list."""
        return list(self)

    # -- the state machine ---------------------------------------------------------

    def _lex(self, text, path):
        """Yield the tokens of one file; return the state its end was reached in."""
        lines = _Lines(text)
        pos = 0
        while True:
            start = text.find("<%", pos)                                    # TEXT
            if start < 0:
                if pos < len(text):
                    yield Token(TEXT, text[pos:], path, lines.at(pos))
                return TEXT
            if start > pos:
                yield Token(TEXT, text[pos:start], path, lines.at(pos))
            line = lines.at(start)
            if text.startswith("--", start + 2):                            # COMMENT
                end = text.find("--%>", start + 4)
                if end < 0:
                    self.unclosed = Token(COMMENT, text[start + 4:], path, line, False)
                    return COMMENT
                yield Token(COMMENT, text[start + 4:end], path, line)
                pos = end + 4
                continue
            mark = text[start + 2:start + 3]
            if mark == "@":                                                 # DIRECTIVE
                state = yield from self._directive(text, path, start, line, lines)
                if isinstance(state, str):
                    return state
                pos = state
                continue
            kind, body = (EXPR, start + 3) if mark == "=" else (CODE, start + 2)   # CODE / EXPR
            end = text.find("%>", body)
            if end < 0:
                token = Token(kind, text[body:], path, line, False)
                self.unclosed = token
                yield token
                return kind
            yield Token(kind, text[body:end], path, line)
            pos = end + 2

    def _directive(self, text, path, start, line, lines):
        """Lex ``<%@ ... %>``; return the offset after it, or the end state if the page ended."""
        pos = start + 3
        included = False
        while True:
            end = text.find("%>", pos)
            word = text.find("include", pos)
            if word >= 0 and (end < 0 or word < end):
                match = _match_include(text, word)
                if match is None:
                    pos = word + 1
                    continue
                name, after = match
                state = yield from self._include(name, path, lines.at(word))
                if state != TEXT:
                    return state
                included = True
                pos = after
                continue
            if end < 0:
                self.unclosed = Token(DIRECTIVE, text[start + 3:], path, line, False)
                return DIRECTIVE
            body = text[start + 3:end]
            if not included:
                if "include" in body:
                    self.notes.append((path, line, "directive <%%@%s%%> ignored: mod_python only "
                                       'understands include file="name" (double quotes, no spaces '
                                       "in the name, at most one space around '=')" % body))
                yield Token(DIRECTIVE, body, path, line)
            return end + 2

    def _include(self, name, path, line):
        """Yield the tokens of an included file; return the state it ended in."""
        if not name:
            raise PSPFileError('include file="" names no file', path, line)
        if name.startswith("/"):
            target = name
        elif self.include_dir is None:
            raise PSPFileError("include file=%r: a relative include needs the page's directory "
                                  "(a string page has none; use an absolute path)" % name, path, line)
        else:
            target = self.include_dir + name
        real = os.path.realpath(target)
        if real in self._stack:
            chain = self._stack[self._stack.index(real):] + [real]
            raise PSPFileError("include cycle: %s" % " -> ".join(chain), path, line)
        try:
            included, stamp = read_file(target, self.encoding)
        except IsADirectoryError as exc:
            raise PSPFileError("include file=%r is a directory" % name, path, line, exc.errno, target)
        except OSError as exc:
            raise PSPFileError("cannot include %r: %s" % (target, exc.strerror or exc),
                                  path, line, exc.errno, target)
        self.stamps[target] = stamp
        yield Token(INCLUDE, target, path, line)
        self._stack.append(real)
        try:
            state = yield from self._lex(included, target)
        finally:
            self._stack.pop()
        return state


def _match_include(text, pos):
    """Match ``include[ ]+file[ ]?=[ ]?"[^ ]+"`` at ``pos`` as flex does (longest match).

    Returns ``(file name, offset after the match)`` or None.  The name is what
    lies between the opening quote and the next quote; the match itself runs
    to the *last* quote before the next space, newlines included.
    """
    i = pos + 7                                     # len("include")
    if text[i:i + 1] != " ":
        return None
    while text[i:i + 1] == " ":
        i += 1
    if not text.startswith("file", i):
        return None
    i += 4
    if text[i:i + 1] == " ":
        i += 1
    if text[i:i + 1] != "=":
        return None
    i += 1
    if text[i:i + 1] == " ":
        i += 1
    if text[i:i + 1] != '"':
        return None
    name_start = i + 1
    space = text.find(" ", name_start)
    if space < 0:
        space = len(text)
    close = text.rfind('"', name_start + 1, space)
    if close < 0:
        return None
    return text[name_start:text.find('"', name_start)], close + 1
