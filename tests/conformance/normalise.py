"""Turn a response into the record that is compared and stored in the goldens.

A record is ``{"status": int, "headers": {name: value or [values]}, "body": text}``; a body that
is not UTF-8 is stored as ``{"base64": ...}`` and a multi-line text body as a list of lines (so
golden diffs read line by line).  Only the headers the request compares are kept.

Some normalisation is always applied because it can only differ between two servers, never
between mod_python and us: the port the server listens on becomes ``@PORT@`` and the scratch
directory the cases were copied to becomes ``@CASE_DIR@``, ``@STATE_DIR@``, ``@DOCROOT@`` or
``@ROOT@``.  Everything else is opt-in, per case or per request, by name (``RULES``) or by an
explicit ``replace`` regex.  Rules never hide a deliberate difference: those are declared as
expected differences (see cases.py).
"""
from __future__ import annotations

import base64
import re

_DAY = r"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)"
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"

# name -> [(pattern, replacement)], applied to header values and the text body.
RULES = {
    # HTTP dates (Last-Modified, Expires) and cookie expiry dates (DD-Mon-YYYY).
    "date": [(re.compile(_DAY + r", \d\d[ -]" + _MONTH + r"[ -]\d{4} \d\d:\d\d:\d\d GMT"), "@DATE@")],
    # 32 hex digits: mod_python session ids (and our secrets.token_hex(16) ones).
    "session_id": [(re.compile(r"(?<![0-9a-f])[0-9a-f]{32}(?![0-9a-f])"), "@SID@")],
    # repr() of objects: <foo object at 0x7f...>.
    "address": [(re.compile(r"0x[0-9a-fA-F]{6,16}"), "0x@ADDR@")],
    # Server software strings, in SERVER_SOFTWARE and signatures.
    "server_token": [(re.compile(r"Apache/2\.\d+\.\d+ \(\w+\)(?: mod_python/[\w.+-]+)?(?: Python/[\d.]+)?"),
                      "@SERVER@"),
                     (re.compile(r"modpy_compat/[\w.+-]+(?: Python/[\d.]+)?"), "@SERVER@")],
    # Seconds since the epoch, with or without a fraction (req.request_time, session times).
    "epoch": [(re.compile(r"(?<![\d.])1[6-9]\d{8}(?:\.\d+)?(?![\d.])"), "@EPOCH@")],
    # The client's ephemeral port as Apache and waitress report it.
    "client_port": [(re.compile(r"(127\.0\.0\.1'?, ?)\d{2,5}"), r"\1@CLIENT_PORT@")],
}

# Not substitutions: "traceback" (see _tracebacks()) and "allow_sorted", which sorts the methods
# of an Allow header: Apache lists the methods of req.allow_methods() in hash order, which changes
# from one server start to the next.
RULE_NAMES = frozenset(RULES) | {"traceback", "allow_sorted"}

_FILE_LINE = re.compile(r'^\s*File (?:"|&quot;)(?P<path>.*?)(?:"|&quot;), line \d+')
_CARETS = re.compile(r"^\s*[\^~]+\s*$")


def record(response, request, context) -> dict:
    """The normalised record of ``response`` to ``request``.

    :param context: ``{"port": int, "paths": [(absolute path, placeholder), ...]}``, the paths
        longest first.
    """
    for name in request.normalise:
        if name not in RULE_NAMES:
            raise ValueError("unknown normalisation rule %r (known: %s)"
                             % (name, ", ".join(sorted(RULE_NAMES))))
    headers = {}
    for name in request.compare_headers:
        values = [_text(v, request, context) for v in response.header_values(name)]
        if name.lower() == "allow" and "allow_sorted" in request.normalise:
            values = [",".join(sorted(v.split(","))) for v in values]
        if values:
            headers[name] = values[0] if len(values) == 1 else values
    return {"status": response.status, "headers": headers,
            "body": encode_body(_body(response.body, request, context))}


def _text(text, request, context):
    text = _paths_and_port(text, context)
    for name in request.normalise:
        for pattern, replacement in RULES.get(name, ()):
            text = pattern.sub(replacement, text)
    for pattern, replacement in request.replace:
        text = pattern.sub(replacement, text)
    return text


def _body(body: bytes, request, context):
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return body
    text = _text(text, request, context)
    if "traceback" in request.normalise:
        text = _tracebacks(text)
    return text


def _paths_and_port(text, context):
    for path, placeholder in context["paths"]:
        text = text.replace(path, placeholder)
    return re.sub(r"(?<!\d)%d(?!\d)" % context["port"], "@PORT@", text)


def _tracebacks(text):
    """Keep the frames of the case's own files; drop the servers' own frames.

    mod_python's frames (importer.py, apache.py) and modpy_compat's (phases.py, loader.py) must
    differ; the application's frames, its line numbers and the exception must not.  A dropped
    frame takes its source line and the blank line mod_python's report puts after it.  The caret
    lines Python 3.11+ adds under a source line are dropped (they vary with the Python version).
    """
    out = []
    in_traceback = dropping = False
    for line in text.splitlines(keepends=True):
        bare = line.strip()
        if "Traceback (most recent call last):" in line:
            in_traceback, dropping = True, False
            out.append(line)
            continue
        if not in_traceback:
            out.append(line)
            continue
        if _CARETS.match(line):
            continue
        frame = _FILE_LINE.match(line)
        if frame:
            dropping = not frame.group("path").startswith("@CASE_DIR@")
            if not dropping:
                out.append(line)
            continue
        if dropping:
            if line[:1].isspace() and bare:
                continue  # the dropped frame's source line
            dropping = False
            if not bare:
                continue  # and the blank line after it
        if bare and not line[:1].isspace():
            in_traceback = False  # the exception line ends the traceback
        out.append(line)
    return "".join(out)


def encode_body(body):
    """A body as stored in a golden: text, list of lines, or {"base64": ...}."""
    if isinstance(body, bytes):
        return {"base64": base64.b64encode(body).decode("ascii")}
    if "\n" in body.rstrip("\n") or len(body) > 100:
        return body.splitlines(keepends=True)
    return body
