"""The form engine: query-string parsing, parse_header, the field classes, FieldStorage
on a stand-in request (multipart edge cases, block boundaries) and apply_fs_data."""
from __future__ import annotations

import io
import random

import pytest

from modpy_compat import forms
from modpy_compat.constants import SERVER_RETURN
from modpy_compat.forms import (
    Field, FieldList, FieldStorage, StringField, apply_fs_data, parse_header, parse_qs, parse_qsl)
from modpy_compat.table import table


class FakeRequest:
    """Just what FieldStorage uses of ``req``: args, method, headers_in, read, log_error."""

    def __init__(self, body=b"", content_type=None, method="POST", args=None, length=None):
        self.args = args
        self.method = method
        self.headers_in = table()
        if content_type is not None:
            self.headers_in["Content-Type"] = content_type
        if length != "absent":
            self.headers_in["Content-Length"] = str(len(body) if length is None else length)
        self.body = io.BytesIO(body)
        self.reads = []
        self.logged = []

    def read(self, size=-1):
        self.reads.append(size)
        return self.body.read(size)

    def log_error(self, message, level=3):
        self.logged.append((message, level))


def multipart(*parts, boundary="XyZ", end="--XyZ--\r\n"):
    """A multipart/form-data body; each part is (header lines, data bytes)."""
    body = b""
    for headers, data in parts:
        head = "--%s\r\n%s\r\n" % (boundary, "".join(h + "\r\n" for h in headers))
        body += head.encode() + data + b"\r\n"
    return body + end.encode()


def disposition(name, filename=None):
    header = 'Content-Disposition: form-data; name="%s"' % name
    return header + ('; filename="%s"' % filename if filename is not None else "")


def form(body, content_type="multipart/form-data; boundary=XyZ", **kwargs):
    names = ("keep_blank_values", "file_callback", "field_callback")
    options = {k: kwargs.pop(k) for k in names if k in kwargs}
    return FieldStorage(FakeRequest(body, content_type, **kwargs), **options)


def shape(fs):
    return [(type(f).__name__, f.name, f.value) for f in fs.list]


# -- parse_qsl / parse_qs ------------------------------------------------------------------

QSL_CASES = [
    ("", 0, []),
    ("a=1", 0, [("a", "1")]),
    ("a=1&b=2&a=3", 0, [("a", "1"), ("b", "2"), ("a", "3")]),
    ("a=1;b=2", 0, [("a", "1"), ("b", "2")]),
    ("&&a=1&&;", 0, [("a", "1")]),
    ("a=&b", 0, []),
    ("a=&b", 1, [("a", ""), ("b", "")]),
    ("=", 1, [("", "")]),
    ("=x", 0, [("", "x")]),
    ("e=f=g", 0, [("e", "f=g")]),
    ("a+b=c+d", 0, [("a b", "c d")]),
    ("i=a+b%2Bc", 0, [("i", "a b+c")]),
    ("h=%41%2f%2F", 0, [("h", "A//")]),
    ("h=%zz%4&k=%", 0, [("h", "%zz%4"), ("k", "%")]),
    ("h=%%41", 0, [("h", "%A")]),
    ("j=x%00y&k%00z=1", 0, [("j", "x"), ("k", "1")]),
    ("j=%00", 0, [("j", "")]),
    ("n%C3%A9=caf%c3%a9", 0, [("n\xe9", "caf\xe9")]),
    ("bad=%FF%FE", 0, [("bad", "\udcff\udcfe")]),
    ("a=%3D%26%3B", 0, [("a", "=&;")]),
    ("caf\xe9=\u20ac", 0, [("caf\xe9", "\u20ac")]),
    ("a=1\x00&b=2", 0, [("a", "1")]),
]


@pytest.mark.parametrize("qs,keep_blank,expected", QSL_CASES, ids=[repr(c[0]) for c in QSL_CASES])
def test_parse_qsl_follows_mod_python_c_parser(qs, keep_blank, expected):
    assert parse_qsl(qs, keep_blank) == expected
    assert parse_qsl(qs.encode("utf-8"), keep_blank) == expected


def test_parse_qsl_ignores_strict_parsing_as_mod_python_does():
    assert parse_qsl("a&b=1&&c", 0, 1) == [("b", "1")]
    assert parse_qs("a&b=1&&c", strict_parsing=True) == {"b": ["1"]}


def test_parse_qs_groups_values_by_name_in_first_appearance_order():
    assert parse_qs("b=1&a=2&b=3&c=&a=4") == {"b": ["1", "3"], "a": ["2", "4"]}
    assert list(parse_qs("b=1&a=2&b=3")) == ["b", "a"]
    assert parse_qs("c=&d", keep_blank_values=1) == {"c": [""], "d": [""]}


def test_parse_qsl_refuses_other_types():
    with pytest.raises(TypeError):
        parse_qsl(42)


HEX = b"0123456789abcdefABCDEF"


def _reference_pairs(qs: bytes, keep_blank):
    # mod_python's C loop, written out byte by byte, then UTF-8 with surrogateescape.
    qs = qs.split(b"\x00")[0]
    out = []
    for segment in qs.replace(b";", b"&").split(b"&"):
        if not segment:
            continue
        segment = segment.replace(b"+", b" ")
        key, _, value = segment.partition(b"=")
        if not value and not keep_blank:
            continue
        decoded = []
        for raw in (key, value):
            res, i = bytearray(), 0
            while i < len(raw):
                hexpair = raw[i + 1:i + 3]
                if raw[i:i + 1] == b"%" and len(hexpair) == 2 and all(c in HEX for c in hexpair):
                    res.append(int(hexpair, 16))
                    i += 3
                else:
                    res.append(raw[i])
                    i += 1
            decoded.append(bytes(res).split(b"\x00")[0].decode("utf-8", "surrogateescape"))
        out.append(tuple(decoded))
    return out


def test_parse_qsl_fast_and_careful_paths_agree_with_the_c_algorithm():
    rnd = random.Random(1234)
    alphabet = [b"a", b"b", b"=", b"&", b";", b"+", b"%", b"2", b"F", b"f", b"0", b"g", b"3D", b"26",
                b"\xc3\xa9", b"\xff", b"\x01", b"\x00", b"%41", b"%c3%a9", b"%00", b" "]
    for _ in range(3000):
        qs = b"".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 16)))
        for keep in (0, 1):
            assert parse_qsl(qs, keep) == _reference_pairs(qs, keep), qs


# -- parse_header ------------------------------------------------------------------------------

HEADER_CASES = [
    ("text/plain", ("text/plain", {})),
    ("Text/HTML; Charset=UTF-8", ("text/html", {"charset": "UTF-8"})),
    (' form-data; name="a"; filename="x y.txt"\r\n', ("form-data", {"name": "a", "filename": "x y.txt"})),
    ('form-data; name="a;b"', ("form-data", {"name": '"a'})),
    ("a; novalue; k = v ", ("a", {"k": "v"})),
    ('a; q="', ("a", {"q": '"'})),
    ("multipart/mixed; boundary=BbC", ("multipart/mixed", {"boundary": "BbC"})),
]


@pytest.mark.parametrize("line,expected", HEADER_CASES, ids=[c[0] for c in HEADER_CASES])
def test_parse_header_splits_value_and_parameters(line, expected):
    assert parse_header(line) == expected


def test_parse_header_accepts_bytes():
    assert parse_header(b'form-data; name="caf\xc3\xa9"') == ("form-data", {"name": "caf\xe9"})


# -- StringField, Field, FieldList ---------------------------------------------------------

def test_string_field_is_a_str_with_mod_python_class_defaults():
    field = StringField("v")
    field.name = "n"
    assert field == "v" and isinstance(field, str) and field + "!" == "v!"
    assert type(field.value) is str and field.value == "v"
    assert (field.filename, field.headers, field.ctype, field.type_options, field.disposition,
            field.disp_options) == (None, {}, "text/plain", {}, None, None)
    assert repr(field) == "Field('n', 'v')"
    with pytest.raises(AttributeError):
        field.type
    with pytest.raises(AttributeError):
        field.disposition_options


def test_string_field_file_is_a_binary_file_over_the_value_made_on_demand():
    field = StringField("caf\xe9")
    assert "file" not in field.__dict__
    assert field.file.read() == b"caf\xc3\xa9"
    assert field.file is field.file


def test_string_field_decodes_bytes():
    assert StringField(b"caf\xc3\xa9\xff").value == "caf\xe9\udcff"


def test_field_value_reads_the_whole_file_each_time_and_rewinds():
    field = Field("up")
    field.file = io.BytesIO(b"data")
    field.file.read(2)
    assert field.value == b"data"
    assert field.file.tell() == 0
    field.file = None
    assert field.value is None
    with pytest.raises(AttributeError):
        field.type


def test_field_old_constructor_sets_every_attribute():
    headers = table({"Content-Type": "text/plain"})
    field = Field("f", io.BytesIO(b"x"), "text/plain", {"charset": "utf-8"}, "form-data",
                  {"name": "f", "filename": "a.txt"}, headers)
    assert (field.name, field.type, field.type_options, field.disposition, field.disposition_options,
            field.filename, field.headers) == ("f", "text/plain", {"charset": "utf-8"}, "form-data",
                                               {"name": "f", "filename": "a.txt"}, "a.txt", headers)
    assert repr(field) == "Field('f', b'x')"
    assert Field("g", io.BytesIO(), "t/t", {}, "form-data", {"name": "g"}).filename is None


def test_field_closes_its_file_when_collected():
    file = io.BytesIO(b"x")
    field = Field("f")
    field.file = file
    del field
    assert file.closed
    Field("no file attribute").__del__()  # nothing to close, no error


def _named(name, value):
    field = StringField(value)
    field.name = name
    return field


@pytest.mark.parametrize("mutate", [
    lambda fl: fl.append(_named("b", "2")),
    lambda fl: fl.extend([_named("b", "2")]),
    lambda fl: fl.insert(0, _named("b", "2")),
    lambda fl: fl.__iadd__([_named("b", "2")]),
    lambda fl: fl.__setitem__(0, _named("b", "2")),
    lambda fl: fl.pop(),
    lambda fl: fl.remove(fl[0]),
    lambda fl: fl.__delitem__(0),
    lambda fl: fl.clear(),
    lambda fl: fl.reverse(),
], ids=["append", "extend", "insert", "iadd", "setitem", "pop", "remove", "delitem", "clear", "reverse"])
def test_field_list_drops_its_index_on_every_mutation(mutate):
    fields = FieldList()
    list.append(fields, _named("a", "1"))
    assert fields.table() == {"a": [fields[0]]}
    mutate(fields)
    expected = {}
    for item in fields:
        expected.setdefault(item.name, []).append(item)
    assert fields.table() == expected


# -- FieldStorage on a stand-in request ---------------------------------------------------

def test_query_fields_come_before_body_fields():
    fs = FieldStorage(FakeRequest(b"b=2&a=3", "application/x-www-form-urlencoded", args="a=1"))
    assert shape(fs) == [("StringField", "a", "1"), ("StringField", "b", "2"), ("StringField", "a", "3")]
    assert fs["a"] == ["1", "3"] and fs["b"] == "2"


def test_mapping_interface():
    fs = FieldStorage(FakeRequest(method="GET", args="b=2&a=1&b=3"))
    assert fs.keys() == ["b", "a"] and list(fs) == ["b", "a"] and len(fs) == 2
    assert "a" in fs and fs.has_key("b") and "z" not in fs
    assert fs.getfirst("b") == "2" and fs.getfirst("z") is None and fs.getfirst("z", "d") == "d"
    assert fs.getlist("b") == ["2", "3"] and fs.getlist("z") == []
    assert fs.get("a") == "1" and fs.get("z") is None and fs.get("z", 0) == 0 and fs.get([], 0) == 0
    assert [(n, v.value) for n, v in fs.items()] == [("b", "2"), ("a", "1"), ("b", "3")]
    assert repr(fs) == "{'b': [Field('b', '2'), Field('b', '3')], 'a': [Field('a', '1')]}"
    with pytest.raises(KeyError):
        fs["z"]
    fs.getlist("b").append("not stored")
    assert fs.getlist("b") == ["2", "3"]


def test_mapping_changes():
    fs = FieldStorage(FakeRequest(method="GET", args="b=2&a=1&b=3"))
    fs["b"] = "new"
    assert shape(fs) == [("StringField", "a", "1"), ("StringField", "b", "new")]
    fs.add_field("a", "again")
    assert fs["a"] == ["1", "again"]
    del fs["a"]
    assert fs.keys() == ["b"]
    with pytest.raises(KeyError):
        del fs["a"]
    fs.list.append(Field("up", io.BytesIO(b"x"), "text/plain", {}, "form-data",
                         {"name": "up", "filename": "u"}))
    assert fs["up"].value == b"x"
    fs.clear()
    assert len(fs) == 0 and fs.list == [] and isinstance(fs.list, FieldList)


def test_replacing_or_deleting_a_name_leaves_equal_values_of_other_names():
    fs = FieldStorage(FakeRequest(method="GET", args="a=1&b=1&a=2"))
    del fs["b"]
    assert shape(fs) == [("StringField", "a", "1"), ("StringField", "a", "2")]
    fs.add_field("b", "1")
    fs["a"] = "1"
    assert shape(fs) == [("StringField", "b", "1"), ("StringField", "a", "1")]


def test_strict_parsing_is_accepted_and_ignored():
    fs = FieldStorage(FakeRequest(b"x&y=%zz", "application/x-www-form-urlencoded", args="a&b=1"),
                      strict_parsing=1)
    assert shape(fs) == [("StringField", "b", "1"), ("StringField", "y", "%zz")]


def test_no_query_string_and_no_body_is_an_empty_form():
    fs = FieldStorage(FakeRequest(method="GET"))
    assert (fs.list, fs.keys(), len(fs), repr(fs)) == ([], [], 0, "{}")


def test_second_field_storage_on_a_post_sees_only_the_query():
    req = FakeRequest(b"a=1", "application/x-www-form-urlencoded", args="q=1")
    assert FieldStorage(req).keys() == ["q", "a"]
    assert FieldStorage(req).keys() == ["q"]


@pytest.mark.parametrize("headers,status", [
    ({"length": "absent"}, 411),
    ({"length": "twelve"}, 411),
    ({"content_type": "text/plain"}, 501),
    ({"content_type": "Application/x-www-form-urlencoded"}, 501),
    ({"content_type": "application/json"}, 501),
    ({"content_type": ""}, 501),
], ids=["no-length", "bad-length", "text-plain", "upper-case-type", "json", "empty-type"])
def test_post_statuses(headers, status):
    with pytest.raises(SERVER_RETURN) as raised:
        FieldStorage(FakeRequest(b"a=1", **headers))
    assert raised.value.args == (status,)


def test_urlencoded_body_is_read_with_one_read_of_content_length():
    req = FakeRequest(b"a=1&b=2", None)
    assert shape(FieldStorage(req)) == [("StringField", "a", "1"), ("StringField", "b", "2")]
    assert req.reads == [7]


def test_multipart_parts_become_string_fields_and_uploads_fields():
    body = multipart(([disposition("a")], b"hello"),
                     ([disposition("f", "x.txt"), "Content-Type: text/plain; charset=utf-8"],
                      b"file\r\ndata\r\n"),
                     ([disposition("empty", "")], b""))
    fs = form(body, args="q=1")
    assert shape(fs) == [("StringField", "q", "1"), ("StringField", "a", "hello"),
                         ("Field", "f", b"file\r\ndata\r\n"), ("Field", "empty", b"")]
    a, f, empty = fs.list[1:]
    assert (a.type, a.type_options, a.disposition, a.disposition_options, a.filename) == (
        "text/plain", {}, "form-data", {"name": "a"}, None)
    assert a.headers.items() == [("Content-Disposition", ' form-data; name="a"\r\n')]
    assert isinstance(a.file, io.BytesIO) and a.file.read() == b"hello"  # rewound (mod_python: at the end)
    assert (f.type, f.type_options, f.filename, f.disposition_options) == (
        "text/plain", {"charset": "utf-8"}, "x.txt", {"name": "f", "filename": "x.txt"})
    assert f.headers["content-type"] == " text/plain; charset=utf-8\r\n"
    assert f.file.tell() == 0 and f.file.read() == b"file\r\ndata\r\n"
    assert empty.filename == ""


def test_multipart_callbacks_provide_the_storage():
    made = []

    def file_callback(filename):
        made.append(("file", filename))
        return io.BytesIO()

    def field_callback():
        made.append(("field",))
        return io.BytesIO()

    body = multipart(([disposition("a")], b"v"), ([disposition("f", "n.bin")], b"\x00"))
    fs = form(body, file_callback=file_callback, field_callback=field_callback)
    assert made == [("field",), ("file", "n.bin")]
    assert shape(fs) == [("StringField", "a", "v"), ("Field", "f", b"\x00")]
    assert type(fs["f"].file) is io.BytesIO


def test_multipart_data_edges():
    payload = b"\r\n--XyZ is not at a line start; \n--XyZx neither\r\n--XyZ--x nor this\r\n\r"
    body = multipart(([disposition("f", "p")], payload), ([disposition("g")], b""))
    assert shape(form(body)) == [("Field", "f", payload), ("StringField", "g", "")]


def test_multipart_data_ending_in_a_bare_lf_keeps_it():
    body = b'--XyZ\r\nContent-Disposition: form-data; name="a"\r\n\r\nline\n--XyZ--\r\n'
    assert shape(form(body)) == [("StringField", "a", "line\n")]


def test_multipart_lf_only_delimiters_are_recognised():
    body = b'--XyZ\nContent-Disposition: form-data; name="a"\r\n\r\nv\r\n--XyZ--\n'
    assert shape(form(body)) == [("StringField", "a", "v")]


@pytest.mark.parametrize("shift", range(-14, 6))
def test_multipart_delimiter_split_across_read_blocks(monkeypatch, shift):
    monkeypatch.setattr(forms, "BLOCK_SIZE", 64)
    head = b'--XyZ\r\nContent-Disposition: form-data; name="f"; filename="b"\r\n\r\n'
    data = bytes(range(256))[:max(0, 128 - len(head) + shift)].replace(b"\n", b".")
    data = data[:-1] + b"\r" if data else data
    body = head + data + b"\r\n--XyZ--\r\n"
    fs = form(body)
    assert shape(fs) == [("Field", "f", data)]


def test_multipart_random_payloads_survive_tiny_blocks(monkeypatch):
    rnd = random.Random(99)
    pieces = [b"\r", b"\n", b"\r\n", b"-", b"--", b"--XyZ", b"XyZ", b"x", b"\x00", b"\xff"]
    for block in (1, 2, 3, 5, 8, 13, 64):
        monkeypatch.setattr(forms, "BLOCK_SIZE", block)
        for _ in range(30):
            payloads = [b"".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 12))) for _ in range(3)]
            # A payload must not itself contain a delimiter line.
            payloads = [p.replace(b"\n--XyZ", b"\n-+XyZ") for p in payloads]
            payloads = [b"+" + p[5:] if p.startswith(b"--XyZ") else p for p in payloads]
            body = multipart(*[([disposition("f%d" % i, "n")], p) for i, p in enumerate(payloads)])
            assert [f.value for f in form(body).list] == payloads


def test_multipart_header_variants():
    body = multipart((['Content-Disposition: form-data;', ' name="a"; filename="C:\\dir\\x y.bin"',
                       "Content-Type: junk", "X-Extra: 1"], b"\x01"),
                     (["Content-Disposition: form-data"], b"no name"),
                     (["X-Only: header"], b"no disposition"),
                     ([], b"no headers"))
    fs = form(body)
    up, noname, nodisp, noheaders = fs.list
    assert (up.name, up.filename, up.type, up.disposition_options) == (
        "a", "C:\\dir\\x y.bin", "application/octet-stream", {"name": "a", "filename": "C:\\dir\\x y.bin"})
    assert up.headers.items() == [
        ("Content-Disposition", ' form-data;\r\n name="a"; filename="C:\\dir\\x y.bin"\r\n'),
        ("Content-Type", " junk\r\n"), ("X-Extra", " 1\r\n")]
    assert (noname.name, noname.value, noname.disposition) == (None, "no name", "form-data")
    assert (nodisp.name, nodisp.value, nodisp.disposition, nodisp.disposition_options) == (
        None, "no disposition", None, {})
    assert (noheaders.value, noheaders.headers.items()) == ("no headers", [])
    assert fs.keys() == ["a", None]


def test_multipart_utf8_names_values_and_filenames():
    body = multipart(([disposition("n\xe9", "r\xe9sum\xe9.txt")], b"x"),
                     ([disposition("v")], "caf\xe9".encode() + b"\xff"))
    # the disposition() helper yields str; encode the whole body as UTF-8
    up, value = form(body).list
    assert (up.name, up.filename) == ("n\xe9", "r\xe9sum\xe9.txt")
    assert value.value == "caf\xe9\udcff"


def test_multipart_mixed_outer_type_and_nested_body_kept_raw():
    nested = b'--BbC\r\nContent-Disposition: file; filename="f1.txt"\r\n\r\none\r\n--BbC--'
    body = multipart(([disposition("a")], b"hello"),
                     ([disposition("files"), "Content-Type: multipart/mixed; boundary=BbC"], nested))
    fs = form(body, content_type="multipart/mixed; boundary=XyZ")
    assert shape(fs) == [("StringField", "a", "hello"), ("StringField", "files", nested.decode())]
    assert (fs["files"].type, fs["files"].type_options) == ("multipart/mixed", {"boundary": "BbC"})


@pytest.mark.parametrize("body,expected", [
    (b"", []),
    (b"--XyZ--\r\n", []),
    (b"preamble\r\nmore\r\n--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nv\r\n"
     b"--XyZ--\r\nepilogue\r\n",
     [("StringField", "a", "v")]),
    (b"--XyZ\r\n--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nv\r\n--XyZ--\r\n",
     [("StringField", "a", "v")]),
    (b"--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n--XyZ\r\n"
     b"Content-Disposition: form-data; name=\"b\"\r\n\r\nv\r\n--XyZ--\r\n", [("StringField", "b", "v")]),
    (b"--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nv\r\n--XyZ--", [("StringField", "a", "v")]),
    (b"--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nv\r\n--XyZ--\r",
     [("StringField", "a", "v")]),
], ids=["empty", "closing-only", "preamble-epilogue", "empty-part", "part-without-blank-line",
        "closing-without-crlf", "closing-with-cr"])
def test_multipart_tolerated_shapes(body, expected):
    assert shape(form(body)) == expected


@pytest.mark.parametrize("content_type,expected", [
    ('multipart/form-data; boundary="XyZ"', "XyZ"),
    ("multipart/form-data; BOUNDARY=XyZ", "XyZ"),
    ("multipart/form-data; boundary=XyZ; charset=utf-8", "XyZ"),
    ('multipart/form-data; boundary="XyZ"; charset=utf-8', "XyZ"),
    ("multipart/form-data; boundary=XyZ ", "XyZ"),
    ("multipart/form-data; boundary=wrong; boundary=XyZ", "XyZ"),
], ids=["quoted", "upper-case", "parameter-after", "quoted-parameter-after", "trailing-space", "last-wins"])
def test_multipart_boundary_parameter(content_type, expected):
    assert forms._boundary(content_type) == expected
    assert shape(form(multipart(([disposition("a")], b"v")), content_type)) == [("StringField", "a", "v")]


MALFORMED = [
    ("multipart/form-data", multipart(([disposition("a")], b"v")), "no boundary parameter"),
    ("multipart/form-data; boundary=", multipart(([disposition("a")], b"v")), "no boundary parameter"),
    (None, b"garbage without a delimiter", "no boundary line '--XyZ'"),
    (None, b'--XyZ\r\nContent-Disposition: form-data; name="a"\r\n\r\nhel', "the body ends inside part 'a'"),
    (None, multipart(([disposition("a")], b"v"), end=""), "the body ends inside part 'a'"),
    (None, b'--XyZ\r\nContent-Disposition: form-data; name="a"\r\n', "the body ends inside the headers"),
    (None, multipart(([disposition("a"), "Garbage"], b"v")), "part header line without a colon"),
    (None, b'--XyZ\nContent-Disposition: form-data; name="a"\n\nv\n--XyZ--\n',
     "part header line without a colon"),
    (None, b"--XyZ\r\nX: " + b"y" * 70000 + b"\r\n\r\nv\r\n--XyZ--\r\n", "a part header line is longer"),
    (None, b"--XyZ\r\n" + b"X: y\r\n" * 12000 + b"\r\nv\r\n--XyZ--\r\n", "the headers of a part are longer"),
]


@pytest.mark.parametrize("content_type,body,reason", MALFORMED, ids=[
    "no-boundary-param", "empty-boundary", "no-delimiter", "truncated-data", "no-closing-delimiter",
    "truncated-headers", "header-without-colon", "lf-only-headers", "long-header-line", "huge-header-block"])
def test_malformed_multipart_is_400_with_a_log_line(content_type, body, reason):
    req = FakeRequest(body, content_type or "multipart/form-data; boundary=XyZ")
    with pytest.raises(SERVER_RETURN) as raised:
        FieldStorage(req)
    assert raised.value.args == (400,)
    assert len(req.logged) == 1
    message, level = req.logged[0]
    assert message.startswith("FieldStorage: malformed multipart body: " + reason)
    assert level == 4


def test_multipart_reads_in_blocks_and_reads_the_epilogue_too():
    body = multipart(([disposition("f", "big")], b"x" * 200000)) + b"epilogue"
    req = FakeRequest(body, "multipart/form-data; boundary=XyZ")
    fs = FieldStorage(req)
    assert fs["f"].value == b"x" * 200000
    assert max(req.reads) <= forms.BLOCK_SIZE
    assert req.body.read() == b""


def test_upload_goes_to_a_temporary_file():
    fs = form(multipart(([disposition("f", "a.bin")], b"abc")))
    assert not isinstance(fs["f"].file, io.BytesIO)
    assert fs["f"].file.read() == b"abc"


# -- apply_fs_data -------------------------------------------------------------------------

def get_form(query, body=None):
    if body is None:
        return FieldStorage(FakeRequest(method="GET", args=query))
    return FieldStorage(FakeRequest(body, "multipart/form-data; boundary=XyZ", args=query))


def test_function_gets_only_its_named_parameters():
    def page(a, b="default"):
        return (a, b)
    assert apply_fs_data(page, get_form("a=1&c=3")) == ("1", "default")


def test_repeated_names_arrive_as_a_list_and_uploads_as_field_objects():
    def page(a, up):
        return a, up
    body = multipart(([disposition("up", "u.txt")], b"content"))
    a, up = apply_fs_data(page, get_form("a=1&a=2", body))
    assert a == ["1", "2"]
    assert isinstance(up, Field) and up.value == b"content"


def test_empty_filename_upload_passes_the_value_not_the_field():
    def page(up):
        return up
    assert apply_fs_data(page, get_form("", multipart(([disposition("up", "")], b"")))) == b""


def test_caller_arguments_are_passed_when_named():
    def wants_req(req, a):
        return req, a

    def no_req(a):
        return a
    assert apply_fs_data(wants_req, get_form("a=1"), req="REQ") == ("REQ", "1")
    assert apply_fs_data(no_req, get_form("a=1"), req="REQ") == "1"


def test_kwargs_function_gets_every_field():
    def page(a, **rest):
        return a, rest
    assert apply_fs_data(page, get_form("a=1&b=2&b=3"), req="R") == ("1", {"b": ["2", "3"], "req": "R"})


def test_methods_classes_and_callable_objects():
    class Page:
        def __init__(self, a):
            self.a = a

        def show(self, b):
            return b

        def __call__(self, c, d=None):
            return c, d

    class NoInit:
        pass

    class Holder:
        pass

    holder = Holder()

    def inner(e):
        return e
    holder.__call__ = inner
    fs = get_form("a=1&b=2&c=3&e=5")
    assert apply_fs_data(Page, fs).a == "1"
    assert apply_fs_data(Page("x").show, fs) == "2"
    assert apply_fs_data(Page("x"), fs) == ("3", None)
    assert isinstance(apply_fs_data(NoInit, fs), NoInit)
    assert apply_fs_data(holder, fs) == "5"


def test_field_named_self_fails_for_a_bound_method_as_in_mod_python():
    # mod_python reads a bound method's parameters through its __code__, self included.
    class Page:
        def show(self, b):
            return b

        def __call__(self, b):
            return b
    fs = get_form("b=2&self=x")
    with pytest.raises(TypeError, match="multiple values for argument 'self'"):
        apply_fs_data(Page().show, fs)
    assert apply_fs_data(Page(), fs) == "2"


def test_builtins_get_no_arguments():
    assert apply_fs_data(dict, get_form("a=1")) == {}
    assert apply_fs_data(list, get_form("a=1")) == []


def test_keyword_only_parameters_are_not_filled():
    def page(a, *, b="default"):
        return a, b
    assert apply_fs_data(page, get_form("a=1&b=2")) == ("1", "default")


def test_missing_required_parameter_is_a_type_error():
    def page(a, needed):
        return a
    with pytest.raises(TypeError):
        apply_fs_data(page, get_form("a=1"))


def test_field_named_like_a_caller_argument_fails_as_in_mod_python():
    def page(req):
        return req
    with pytest.raises(AttributeError):
        apply_fs_data(page, get_form("req=1"), req=object())
