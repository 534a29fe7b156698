"""Form data: mod_python's ``FieldStorage``, its field classes and the query-string parser.

Emulates ``mod_python.util``: the query string is parsed for every method, a
POST body as ``application/x-www-form-urlencoded`` or ``multipart/*``, and the
fields are kept in arrival order in a :class:`FieldList`.  Names and values are
native ``str`` (UTF-8, undecodable bytes kept as surrogate escapes), uploaded
file contents ``bytes`` in a temporary file.  Multipart bodies are parsed as a
stream, one block at a time, so an upload never sits whole in memory.
Differences from mod_python are listed in docs/compatibility.md.
"""
from __future__ import annotations

import binascii
import io
import re
import tempfile
import types

from modpy_compat.constants import (
    APLOG_WARNING, HTTP_BAD_REQUEST, HTTP_LENGTH_REQUIRED, HTTP_NOT_IMPLEMENTED, SERVER_RETURN)
from modpy_compat.table import table

__all__ = ["FieldStorage", "Field", "StringField", "FieldList", "parse_qs", "parse_qsl",
           "parse_header", "apply_fs_data", "READ_BLOCK_SIZE"]

# mod_python's util.readBlockSize: the longest line its multipart parser reads at once.
# Here it bounds a part's header block; bodies are read in BLOCK_SIZE pieces.
READ_BLOCK_SIZE = 65368
BLOCK_SIZE = 65536

_FORM_URLENCODED = "application/x-www-form-urlencoded"


def _text(raw: bytes) -> str:
    # The string policy: UTF-8, with undecodable bytes kept as lone surrogates
    # (lossless: text.encode("utf-8", "surrogateescape") gives the bytes back).
    return raw.decode("utf-8", "surrogateescape")


# -- query strings --------------------------------------------------------------------------

_HEXDIGITS = "0123456789abcdefABCDEF"
_UNHEX = {(a + b).encode(): bytes([int(a + b, 16)]) for a in _HEXDIGITS for b in _HEXDIGITS}
_MALFORMED_ESCAPE = re.compile(rb"%(?![0-9A-Fa-f]{2})")
# For the fast path: "=" becomes \x01 (the pair separator), "+" a space, ";" a second
# "&", and "%" the "=" that binascii.a2b_qp decodes as an escape introducer.
_FAST = bytes.maketrans(b"=+;%", b"\x01 &=")


def _unescape(raw: bytes) -> bytes:
    """Decode ``%XX`` as Apache's ``ap_unescape_url`` does.

    Malformed escapes are kept literally and a decoded NUL ends the string.
    """
    chunks = raw.split(b"%")
    out = [chunks[0]]
    for chunk in chunks[1:]:
        byte = _UNHEX.get(chunk[:2])
        if byte is None:
            out.append(b"%")
            out.append(chunk)
        else:
            out.append(byte)
            out.append(chunk[2:])
    return b"".join(out).partition(b"\x00")[0]


def _pairs(qs: bytes, keep_blank_values) -> list:
    """Split ``qs`` into ``(name, value)`` str pairs with mod_python's C parser's rules."""
    if 0 in qs:
        qs = qs[:qs.index(0)]  # the C parser stops at the first NUL byte
    pairs = []
    append = pairs.append
    if 1 in qs or _MALFORMED_ESCAPE.search(qs):
        # The careful path: one piece at a time.
        for segment in qs.replace(b";", b"&").split(b"&"):
            if not segment:
                continue
            key, _, value = segment.partition(b"=")
            if not value and not keep_blank_values:
                continue
            if 43 in segment:  # "+"
                key = key.replace(b"+", b" ")
                value = value.replace(b"+", b" ")
            append((_text(_unescape(key)), _text(_unescape(value))))
        return pairs
    # The fast path (every "%" starts a valid escape): one translate for the whole
    # string, then a C-level decode per piece that has escapes.
    nul = b"%00" in qs
    a2b = binascii.a2b_qp
    for segment in qs.translate(_FAST).split(b"&"):
        key, _, value = segment.partition(b"\x01")
        if not value and (not keep_blank_values or not segment):
            continue
        # "in" with an int is a fast byte test; 61 is "=", 1 is "\x01"
        if 61 in key:
            key = a2b(key)
        if 1 in value:
            value = a2b(value.replace(b"\x01", b"=="))  # a2b_qp decodes "==" as "="
        elif 61 in value:
            value = a2b(value)
        if nul:
            key = key.partition(b"\x00")[0]
            value = value.partition(b"\x00")[0]
        append((key.decode("utf-8", "surrogateescape"), value.decode("utf-8", "surrogateescape")))
    return pairs


def _as_bytes(qs) -> bytes:
    if isinstance(qs, str):
        return qs.encode("utf-8", "surrogateescape")
    if isinstance(qs, (bytes, bytearray, memoryview)):
        return bytes(qs)
    raise TypeError("query string must be str or bytes, not %s" % type(qs).__name__)


def parse_qsl(qs, keep_blank_values=0, strict_parsing=0) -> list:
    """Parse a query string into a list of ``(name, value)`` pairs, in order.

    Emulates mod_python's C ``parse_qsl``: pairs are separated by ``&`` or ``;``,
    ``+`` means a space, the first ``=`` splits name from value, pairs with an
    empty value are dropped unless ``keep_blank_values``, malformed ``%``
    escapes stay as they are and a decoded ``%00`` cuts the string there.
    ``strict_parsing`` is accepted and ignored, as in mod_python.

    :param qs: ``str`` or ``bytes``; the result is ``str`` either way.
    """
    return _pairs(_as_bytes(qs), keep_blank_values)


def parse_qs(qs, keep_blank_values=0, strict_parsing=0) -> dict:
    """Parse a query string into a dict mapping each name to the list of its values.

    Same rules as :func:`parse_qsl`; names appear in first-appearance order.
    """
    result = {}
    for name, value in _pairs(_as_bytes(qs), keep_blank_values):
        if name in result:
            result[name].append(value)
        else:
            result[name] = [value]
    return result


def parse_header(line) -> tuple:
    """Split a ``Content-Type``-like header value into its value and parameters.

    Returns ``(value.lower(), {param.lower(): param_value})``.  As mod_python's
    does, it splits naively on ``;``, ignores pieces without ``=`` and removes
    one pair of double quotes around a parameter value (no unescaping).
    """
    if isinstance(line, (bytes, bytearray)):
        line = _text(bytes(line))
    pieces = line.split(";")
    key = pieces[0].strip().lower()
    params = {}
    for piece in pieces[1:]:
        name, eq, value = piece.partition("=")
        if not eq:
            continue
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] == '"':
            value = value[1:-1]
        params[name.strip().lower()] = value
    return key, params


# -- fields ---------------------------------------------------------------------------------

class StringField(str):
    """A form value: a ``str`` that also carries the field's attributes.

    Emulates mod_python's ``StringField``: it compares and concatenates like its
    value; ``.value`` is the plain value, ``.name`` the field name, ``.file`` a
    binary file over the value (made on first use).  Multipart fields also get
    ``type``, ``type_options``, ``disposition``, ``disposition_options`` and
    ``headers``; the class-level defaults below are mod_python's.
    """

    filename = None
    headers = {}
    ctype = "text/plain"
    type_options = {}
    disposition = None
    disp_options = None

    def __new__(cls, value=""):
        if isinstance(value, (bytes, bytearray)):
            value = _text(bytes(value))
        field = str.__new__(cls, value)
        field.value = value
        return field

    def __getattr__(self, name):
        if name != "file":
            raise AttributeError(name)
        self.file = io.BytesIO(self.value.encode("utf-8", "surrogateescape")
                               if isinstance(self.value, str) else self.value)
        return self.file

    def __repr__(self):
        return "Field(%r, %r)" % (self.name, self.value)


_new_str = str.__new__


def _string_field(name, value):
    # StringField(value) without the isinstance checks: the parsers' hot path.
    field = _new_str(StringField, value)
    field.name = name
    field.value = value
    return field


class Field:
    """An uploaded file: ``.file`` is the open file, ``.value`` reads all of it.

    Emulates mod_python's ``Field``: ``name``, ``filename``, ``file``, ``type``,
    ``type_options``, ``disposition``, ``disposition_options`` and ``headers``.
    ``Field(name, file, ctype, type_options, disp, disp_options, headers={})``
    (the old constructor Trac uses) sets them all, ``filename`` from
    ``disp_options``.  The file is closed when the field is garbage-collected.
    """

    def __init__(self, name, *args, **kwargs):
        self.name = name
        if args or kwargs:
            self._init_attributes(*args, **kwargs)

    def _init_attributes(self, file, ctype, type_options, disp, disp_options, headers={}):
        self.file = file
        self.type = ctype
        self.type_options = type_options
        self.disposition = disp
        self.disposition_options = disp_options
        self.filename = disp_options.get("filename")
        self.headers = headers

    def __getattr__(self, name):
        if name != "value":
            raise AttributeError(name)
        file = self.__dict__.get("file")
        if not file:
            return None
        # Read on every access, from the start, and leave the file rewound (mod_python).
        file.seek(0)
        value = file.read()
        file.seek(0)
        return value

    def __repr__(self):
        return "Field(%r, %r)" % (self.name, self.value)

    def __del__(self):
        file = self.__dict__.get("file")
        if file is not None:
            file.close()


class FieldList(list):
    """The fields of a form in arrival order, with a cached ``name -> [fields]`` index.

    Code may change the list directly (Trac appends ``Field`` objects); every
    mutating method drops the index.
    """

    def __init__(self, *args):
        list.__init__(self, *args)
        self._table = None

    def table(self) -> dict:
        """``{name: [field, ...]}`` in first-appearance order."""
        found = self._table
        if found is None:
            found = self._table = {}
            for item in self:
                name = item.name
                if name in found:
                    found[name].append(item)
                else:
                    found[name] = [item]
        return found


def _dropping_index(method):
    def mutate(self, *args, **kwargs):
        self._table = None
        return method(self, *args, **kwargs)
    mutate.__name__ = mutate.__qualname__ = method.__name__
    mutate.__doc__ = method.__doc__
    return mutate


for _name in ("__delitem__", "__iadd__", "__imul__", "__setitem__", "append", "extend", "insert",
              "pop", "remove", "clear", "sort", "reverse"):
    setattr(FieldList, _name, _dropping_index(getattr(list, _name)))
del _name


# -- FieldStorage ---------------------------------------------------------------------------

class FieldStorage:
    """All form fields of a request, read and parsed when the object is created.

    Emulates mod_python's ``util.FieldStorage`` (see its documentation):

    * the query string is parsed for every method; then, for POST only, the
      body: ``application/x-www-form-urlencoded`` (also when there is no
      ``Content-Type``) or ``multipart/*``.  Any other type is
      ``SERVER_RETURN(HTTP_NOT_IMPLEMENTED)``, a POST without a valid
      ``Content-Length`` ``SERVER_RETURN(HTTP_LENGTH_REQUIRED)``;
    * a multipart part with a ``filename`` parameter (even empty) becomes a
      :class:`Field` over a temporary file (or what ``file_callback(filename)``
      returns), any other part a :class:`StringField` (its storage is what
      ``field_callback()`` returns, or memory);
    * ``fs[name]`` is the field, or a list when the name came more than once.

    Create one per request: the body can be read only once.

    :raises SERVER_RETURN: 400 for a malformed multipart body (logged),
        411, 413 (``LimitRequestBody``) or 501 as above.
    """

    def __init__(self, req, keep_blank_values=0, strict_parsing=0, file_callback=None,
                 field_callback=None):
        self.list = FieldList()
        if req.args:
            self._add_pairs(_pairs(_as_bytes(req.args), keep_blank_values))
        if req.method != "POST":
            return
        headers_in = req.headers_in
        try:
            length = int(_first(headers_in["content-length"]))
        except (KeyError, ValueError, TypeError):
            raise SERVER_RETURN(HTTP_LENGTH_REQUIRED)
        content_type = _first(headers_in.get("content-type"))
        if content_type is None:
            content_type = _FORM_URLENCODED
        # Both tests are on the raw header and case-sensitive, as in mod_python.
        if content_type.startswith(_FORM_URLENCODED):
            self._add_pairs(_pairs(req.read(length), keep_blank_values))
        elif content_type.startswith("multipart/"):
            boundary = _boundary(content_type)
            if not boundary:
                _reject(req, "no boundary parameter in Content-Type %r" % content_type)
            _MultipartReader(req, boundary, length, file_callback, field_callback).read_into(self.list)
        else:
            raise SERVER_RETURN(HTTP_NOT_IMPLEMENTED)

    def _add_pairs(self, pairs):
        list.extend(self.list, [_string_field(name, value) for name, value in pairs])
        self.list._table = None

    def add_field(self, key, value):
        """Append a field ``key`` with ``value`` (a str), keeping any already there."""
        field = StringField(value)
        field.name = key
        self.list.append(field)

    def __setitem__(self, key, value):
        """Replace every field named ``key`` by one with ``value``, at the end."""
        if key in self.list.table():
            del self[key]
        self.add_field(key, value)

    def __getitem__(self, key):
        found = self.list.table()[key]
        return found[0] if len(found) == 1 else found

    def __delitem__(self, key):
        # By identity: list.remove() would take the first *equal* StringField,
        # which may belong to another name (mod_python's bug).
        doomed = {id(item) for item in self.list.table()[key]}
        self.list[:] = [item for item in self.list if id(item) not in doomed]

    def get(self, key, default=None):
        """``fs[key]``, or ``default`` when there is no such field.

        mod_python requires ``default``; here it is optional.
        """
        try:
            return self[key]
        except (KeyError, TypeError):
            return default

    def getfirst(self, key, default=None):
        """The first field named ``key``, or ``default``."""
        found = self.list.table().get(key)
        return found[0] if found else default

    def getlist(self, key):
        """Every field named ``key`` (a new list; empty when there is none)."""
        return list(self.list.table().get(key, ()))

    def keys(self):
        """The distinct field names, in first-appearance order."""
        return list(self.list.table())

    def __iter__(self):
        return iter(self.keys())

    def has_key(self, key):
        return key in self.list.table()

    __contains__ = has_key

    def __len__(self):
        return len(self.list.table())

    def items(self):
        """``(name, field)`` for every field, repeats included, in arrival order."""
        return [(item.name, item) for item in self.list]

    def clear(self):
        self.list = FieldList()

    def __repr__(self):
        return repr(self.list.table())


def _first(value):
    # headers_in answers a list for a repeated header; the first one counts.
    return value[0] if isinstance(value, list) else value


_LAST_BOUNDARY = re.compile(r".*boundary=", re.IGNORECASE | re.DOTALL)


def _boundary(content_type: str) -> str | None:
    """The ``boundary`` parameter of a multipart Content-Type, unquoted.

    mod_python takes everything after the last ``boundary=``; a parameter after
    it is left out here.
    """
    found = _LAST_BOUNDARY.match(content_type)
    if found is None:
        return None
    value = content_type[found.end():]
    if value.startswith('"'):
        end = value.find('"', 1)
        value = value[1:end] if end > 0 else value[1:]
    else:
        value = value.split(";", 1)[0].strip()
    return value or None


def _reject(req, reason):
    """Log why a body cannot be parsed and answer 400 Bad Request."""
    log = getattr(req, "log_error", None)
    if log is not None:
        log("FieldStorage: malformed multipart body: %s" % reason, APLOG_WARNING)
    raise SERVER_RETURN(HTTP_BAD_REQUEST)


class _MultipartReader:
    """Reads a multipart body from ``req`` block by block, part by part.

    Follows mod_python's rules for what a delimiter is (a line that is
    ``--boundary``, or ``--boundary--`` for the last, ending in CRLF or LF) and
    what belongs to a part (its data up to the CRLF before the delimiter).  What
    mod_python tolerates silently or crashes on is a 400 here: a body that ends
    before the closing delimiter, a header line without a colon or longer than
    READ_BLOCK_SIZE, a non-empty body without any delimiter.
    """

    def __init__(self, req, boundary, length, file_callback, field_callback):
        self.req = req
        self.dash_boundary = b"--" + _as_bytes(boundary)
        self.delimiter = b"\n" + self.dash_boundary
        self.remaining = length
        self.buffer = b""
        self.eof = length <= 0
        self.seen_data = False
        self.file_callback = file_callback if callable(file_callback) else None
        self.field_callback = field_callback if callable(field_callback) else None

    # -- reading --------------------------------------------------------------------------

    def _fill(self) -> bool:
        """Append one more block of the body to the buffer; False at the end."""
        if self.eof:
            return False
        data = self.req.read(min(BLOCK_SIZE, self.remaining))
        if not data:
            self.eof = True
            return False
        self.seen_data = True
        self.remaining -= len(data)
        if self.remaining <= 0:
            self.eof = True
        self.buffer += data
        return True

    def _ensure(self, size):
        while len(self.buffer) < size and self._fill():
            pass

    def _readline(self) -> bytes:
        """The next line (with its LF), at most READ_BLOCK_SIZE bytes; b"" at the end."""
        start = 0
        while True:
            end = self.buffer.find(b"\n", start)
            if end >= 0:
                end += 1
                break
            if len(self.buffer) >= READ_BLOCK_SIZE:
                _reject(self.req, "a part header line is longer than %d bytes" % READ_BLOCK_SIZE)
            start = len(self.buffer)
            if not self._fill():
                end = len(self.buffer)
                break
        line, self.buffer = self.buffer[:end], self.buffer[end:]
        return line

    def _delimiter_end(self, at):
        """Where the delimiter line whose ``--boundary`` ends at ``at`` ends, and whether
        it is the closing one; None when the line is not a delimiter."""
        self._ensure(at + 4)
        buf = self.buffer
        closing = buf[at:at + 2] == b"--"
        end = at + 2 if closing else at
        if buf[end:end + 1] == b"\r":
            end += 1
        if buf[end:end + 1] == b"\n":
            return end + 1, closing
        if closing and end >= len(buf) and self.eof:
            return end, True  # "--boundary--" at the very end, without a line break
        return None

    def _delimiter_line(self, line):
        """None, or True/False (closing or not) when ``line`` is a delimiter line."""
        dash = self.dash_boundary
        if not line.startswith(dash):
            return None
        rest = line[len(dash):]
        if rest in (b"\r\n", b"\n"):
            return False
        if rest in (b"--\r\n", b"--\n") or (rest in (b"--", b"--\r") and self.eof and not self.buffer):
            return True
        return None

    def _copy_to_delimiter(self, storage):
        """Copy data up to the next delimiter into ``storage`` (None: skip it).

        Returns True when that delimiter was the closing one, None at the end of
        the body without a delimiter.
        """
        dash, delimiter = self.dash_boundary, self.delimiter
        # The data starts at the beginning of a line: it may be a delimiter itself.
        self._ensure(len(dash))
        if self.buffer.startswith(dash):
            found = self._delimiter_end(len(dash))
            if found is not None:
                self.buffer = self.buffer[found[0]:]
                return found[1]
        keep = len(delimiter) + 1  # a delimiter (and its CR) may straddle two blocks
        start = 0
        while True:
            at = self.buffer.find(delimiter, start)
            if at >= 0:
                found = self._delimiter_end(at + len(delimiter))
                if found is None:
                    start = at + 1
                    continue
                buf = self.buffer
                # The CRLF before the delimiter belongs to it; a bare LF stays data.
                end = at - 1 if at > 0 and buf[at - 1] == 13 else at + 1
                if storage is not None and end > 0:
                    storage.write(buf[:end])
                self.buffer = buf[found[0]:]
                return found[1]
            if len(self.buffer) > keep:
                cut = len(self.buffer) - keep
                if storage is not None:
                    storage.write(self.buffer[:cut])
                self.buffer = self.buffer[cut:]
                start = 0
            else:
                start = max(0, len(self.buffer) - len(delimiter))
            if not self._fill():
                return None

    # -- parts ----------------------------------------------------------------------------

    def read_into(self, fields):
        """Parse the whole body, appending a field to ``fields`` per part."""
        closing = self._copy_to_delimiter(None)
        if closing is None:
            if self.seen_data:
                _reject(self.req, "no boundary line %r in the body" % self.dash_boundary.decode("latin-1"))
            return  # an empty body: no fields (mod_python)
        parsed = []
        while not closing:
            part = self._read_part_headers()
            if isinstance(part, bool):
                closing = part  # a delimiter where headers were expected: an empty part
                continue
            headers, disposition, disp_options, ctype, type_options = part
            name = disp_options.get("name")
            if "filename" in disp_options:
                filename = disp_options["filename"]
                storage = (self.file_callback(filename) if self.file_callback
                           else tempfile.TemporaryFile("w+b"))
            else:
                filename = None
                storage = self.field_callback() if self.field_callback else io.BytesIO()
            closing = self._copy_to_delimiter(storage)
            if closing is None:
                _reject(self.req, "the body ends inside part %r" % (name,))
            storage.seek(0)
            if filename is not None:
                field = Field(name)
                field.filename = filename
            else:
                field = StringField(storage.read())
                field.name = name
                storage.seek(0)  # mod_python leaves it at the end
            field.file = storage
            field.type = ctype
            field.type_options = type_options
            field.disposition = disposition
            field.disposition_options = disp_options
            field.headers = headers
            parsed.append(field)
        fields.extend(parsed)
        # An epilogue after the closing delimiter is ignored, but read.
        while self._fill():
            self.buffer = b""

    def _read_part_headers(self):
        """The header block of a part, parsed; a bool instead when a delimiter comes
        first (True if it is the closing one), as mod_python skips such a part."""
        headers = table()
        disposition, disp_options = None, {}
        ctype, type_options = "text/plain", {}
        line = self._readline()
        size = 0
        while line not in (b"\r\n", b"\r"):
            if not line:
                _reject(self.req, "the body ends inside the headers of a part")
            delimiter = self._delimiter_line(line)
            if delimiter is not None:
                return delimiter
            following = self._readline()
            while following[:1] in (b" ", b"\t"):  # a folded header continues
                line += following
                following = self._readline()
            size += len(line)
            if size > READ_BLOCK_SIZE:
                _reject(self.req, "the headers of a part are longer than %d bytes" % READ_BLOCK_SIZE)
            name, colon, value = _text(line).partition(":")
            if not colon:
                _reject(self.req, "part header line without a colon: %r" % line[:80])
            # The table keeps the raw value, leading space and line break included (mod_python).
            headers.add(name, value)
            lowered = name.lower()
            if lowered == "content-disposition":
                disposition, disp_options = parse_header(value)
            elif lowered == "content-type":
                ctype, type_options = parse_header(value)
                if "/" not in ctype:
                    # MSIE 6 sends junk here for files without an extension (mod_python).
                    ctype = "application/octet-stream"
            line = following
        return headers, disposition, disp_options, ctype, type_options


# -- apply_fs_data --------------------------------------------------------------------------

_VARKEYWORDS = 0x08  # co_flags bit of a function that takes **kwargs
_METHOD_WRAPPER = type(object.__call__)  # the __call__ of a C-level callable


def _signature(obj):
    """(code object, accepted parameter names) of a callable, as mod_python reads them;
    code is None for callables that get no form data (builtins, C-level classes)."""
    if hasattr(obj, "__code__"):
        # A function, and also a bound method (it shows its function's __code__):
        # mod_python then counts self as a parameter too.
        code = obj.__code__
        return code, code.co_varnames[:code.co_argcount]
    if hasattr(obj, "__func__"):  # a method object without __code__: skip self
        code = getattr(obj.__func__, "__code__", None)
    elif isinstance(obj, type):  # a class: the parameters of its __init__
        code = getattr(obj.__init__, "__code__", None)
    else:  # an instance with a __call__ method
        call = getattr(obj, "__call__", None)
        code = getattr(call.__func__, "__code__", None) if isinstance(call, types.MethodType) else None
    if code is None:
        return None, ()
    return code, code.co_varnames[1:code.co_argcount]


def apply_fs_data(object, fs, **args):
    """Call ``object`` with the form fields of ``fs`` as keyword arguments.

    Emulates mod_python's ``util.apply_fs_data`` (the publisher's binding):
    ``args`` (e.g. ``req=req``) are passed along with the fields; a field whose
    name came once is passed as its value, a repeated one as a list; an upload
    is passed as its :class:`Field`, anything else as ``field.value``.  Only
    names that are positional parameters of the callable are passed, unless it
    takes ``**kwargs``; builtins and classes without a Python ``__init__`` get
    nothing.  Keyword-only parameters are not considered.  As in mod_python, a
    field named like one of ``args`` fails (``AttributeError``), and so does a
    field named ``self`` for a bound method (``TypeError``).

    :returns: what ``object`` returns.
    """
    # An object whose __call__ attribute is some other Python callable (an old way
    # to build hierarchies) is looked at, and called, through that attribute.
    for _ in range(8):
        if (hasattr(object, "__code__") or hasattr(object, "__func__") or isinstance(object, type)
                or isinstance(object, types.BuiltinFunctionType)):
            break
        call = getattr(object, "__call__", None)
        if call is None or isinstance(call, (types.MethodType, _METHOD_WRAPPER)):
            break
        object = call
    code, expected = _signature(object)
    for field in fs.list:
        value = field if field.filename else field.value
        args.setdefault(field.name, []).append(value)
    for name, value in args.items():
        if type(value) is list and len(value) == 1:
            args[name] = value[0]
    if code is None:
        args = {}
    elif not code.co_flags & _VARKEYWORDS:
        args = {name: value for name, value in args.items() if name in expected}
    return object(**args)
