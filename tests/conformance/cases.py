"""Conformance cases: a legacy app, its configuration fragment and the requests to send it.

Each case lives in ``cases/<area>/<case>/``.  ``site.conf`` is an Apache configuration fragment
in which ``@CASE_DIR@`` (the case's directory), ``@CASE_URL@`` (``/<area>/<case>``),
``@STATE_DIR@`` (a directory the server may write to) and ``@DOCROOT@`` are replaced when the
servers are configured.  Every other file is copied under the document root at ``@CASE_URL@``.
``requests.json`` holds an object::

    {
      "title": "what the case pins, one line",
      "headers": ["X-Extra"],                # headers compared besides DEFAULT_HEADERS
      "normalise": ["date"],                 # rules from normalise.RULES, for every request
      "replace": [["regex", "replacement"]], # extra substitutions in headers and body
      "known_failure": "reason",             # every request is expected to fail (issue, bug)
      "isolated": true,                      # modpy_compat serves this case alone (see below)
      "requests": [
        {"path": "page?x=1"},                # relative to @CASE_URL@/, GET by default
        {"method": "POST", "path": "/abs/path", "form": {"a": "1"},
         "headers": [["X-A", "1"], ["X-A", "2"]],
         "multipart": [{"name": "f", "filename": "a.txt", "content_type": "text/plain",
                        "content": "data"}],
         "body": "raw text body", "cookies": false, "label": "readable name",
         "compare_headers": ["Content-Type"],  # instead of the default and the case's list
         "write_files": {"page.py": "new text"},  # written into the case's copy first
         "delay": 0.3,                        # seconds to wait first (log/cleanup phases of
                                              # the previous request run after its response)
         "timeout": 2,                        # seconds to wait for the answer (default 10)
         "known_failure": "reason this request differs (engine bug, unfinished work)",
         "expected_difference": {"reason": "why modpy_compat differs on purpose",
                                 "modpy_compat": {"status": 404}}}
      ]
    }

Paths, headers and bodies are sent as written; the answer's status, the compared headers and the
body are normalised (see normalise.py) and compared with the golden.

An *isolated* case gets a ``modpy-compat serve`` of its own, for configurations modpy_compat refuses
at start-up (a handler module that cannot be imported): the other cases must not go down with it.
When that server does not start, each request's answer is recorded as status 0 with the first
line of the error.

An *expected difference* names what modpy_compat answers instead of mod_python (any of
``status``, ``headers`` (``null`` for absent), ``body``, or ``body_changes``: ``[["mod_python's
text", "modpy_compat's"], ...]`` substituted in mod_python's body) and why; the suite checks
modpy_compat answers exactly that, so a change on either side shows.  A *known failure* is a difference nobody wants (a bug, a
feature not implemented yet): the request must fail until it is fixed, and then the mark must go.
"""
from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from urllib.parse import urlencode

HERE = os.path.dirname(os.path.abspath(__file__))
CASES_DIR = os.path.join(HERE, "cases")
GOLDEN_DIR = os.path.join(HERE, "golden")

# Compared on every request; a case adds more with "headers".  Framing headers (Content-Length,
# Transfer-Encoding), Date, Server and the like are only compared where a case asks for them.
DEFAULT_HEADERS = ("Content-Type", "Location", "WWW-Authenticate")

# Files of a case folder that describe it rather than belong to the application.
CASE_FILES = ("site.conf", "requests.json")

MULTIPART_BOUNDARY = "----modpyConformanceBoundary7MA4YWxkTrZu0gW"

_CASE_KEYS = {"title", "headers", "normalise", "replace", "known_failure", "isolated", "requests"}
_REQUEST_KEYS = {"label", "method", "path", "headers", "body", "form", "multipart", "cookies",
                 "write_files", "delay", "timeout", "compare_headers", "normalise", "replace", "known_failure",
                 "expected_difference"}
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


class CaseError(ValueError):
    """A case folder or its requests.json is malformed."""


@dataclass(frozen=True)
class ExpectedDifference:
    """What modpy_compat answers instead of mod_python, on purpose, and why."""

    reason: str
    values: dict  # a partial response record: "status", "headers" {name: value}, "body"


@dataclass(frozen=True)
class Request:
    """One request of a case, and how to compare its answers."""

    label: str
    method: str
    path: str  # may contain @CASE_URL@
    headers: tuple = ()  # (name, value) pairs, repeated names allowed
    body: bytes | None = None
    compare_headers: tuple = DEFAULT_HEADERS
    normalise: tuple = ()
    replace: tuple = ()  # (compiled pattern, replacement) pairs
    use_cookies: bool = True
    write_files: tuple = ()  # (relative path, text) written into the case's copy before sending
    delay: float = 0.0  # seconds to wait before sending
    timeout: float = 10.0  # seconds to wait for the answer; none is recorded as status 0
    known_failure: str | None = None
    expected_difference: ExpectedDifference | None = None

    def target(self, case_url: str) -> str:
        """The request-target to send for a case mounted at ``case_url``."""
        return self.path.replace("@CASE_URL@", case_url)


@dataclass
class Case:
    """A conformance case loaded from its folder."""

    area: str
    name: str
    folder: str
    title: str
    conf_template: str
    requests: list = field(default_factory=list)
    known_failure: str | None = None
    isolated: bool = False

    @property
    def id(self) -> str:
        return "%s/%s" % (self.area, self.name)

    @property
    def url(self) -> str:
        return "/%s/%s" % (self.area, self.name)

    @property
    def golden_path(self) -> str:
        return os.path.join(GOLDEN_DIR, self.area, self.name + ".json")

    def app_files(self):
        """Relative paths of the application files (everything but site.conf/requests.json).

        An otherwise empty directory holds a ``.gitkeep`` (git keeps no empty directories, and a
        ``<Directory>`` section only applies to a directory that exists).
        """
        found = []
        for root, dirs, files in os.walk(self.folder):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            for name in sorted(files):
                rel = os.path.relpath(os.path.join(root, name), self.folder)
                if rel not in CASE_FILES and not name.endswith((".pyc", ".pyo")):
                    found.append(rel)
        return found


def load_cases(selection=None) -> list:
    """Every case under cases/, sorted by area then name.

    :param selection: optional list of ``area`` or ``area/case`` names to keep.
    :raises CaseError: for a malformed case.
    """
    cases = []
    for area in sorted(os.listdir(CASES_DIR)):
        area_dir = os.path.join(CASES_DIR, area)
        if not os.path.isdir(area_dir) or area.startswith((".", "_")):
            continue
        for name in sorted(os.listdir(area_dir)):
            folder = os.path.join(area_dir, name)
            if os.path.isdir(folder) and not name.startswith((".", "_")):
                if selection and area not in selection and "%s/%s" % (area, name) not in selection:
                    continue
                cases.append(load_case(area, name, folder))
    if selection:
        known = {c.area for c in cases} | {c.id for c in cases}
        missing = [s for s in selection if s not in known]
        if missing:
            raise CaseError("no such case or area: %s" % ", ".join(missing))
    return cases


def load_case(area: str, name: str, folder: str) -> Case:
    """Read one case folder."""
    for part in (area, name):
        if not _NAME.match(part):
            raise CaseError("%s: area and case names are lower-case identifiers" % folder)
    try:
        with open(os.path.join(folder, "site.conf")) as fh:
            conf = fh.read()
        with open(os.path.join(folder, "requests.json")) as fh:
            spec = json.load(fh)
    except (OSError, ValueError) as exc:
        raise CaseError("%s: %s" % (folder, exc)) from exc
    where = "%s/%s" % (area, name)
    _check_keys(spec, _CASE_KEYS, where)
    if not spec.get("title"):
        raise CaseError("%s: requests.json needs a title" % where)
    case = Case(area=area, name=name, folder=folder, title=spec["title"], conf_template=conf,
                known_failure=spec.get("known_failure"), isolated=bool(spec.get("isolated")))
    extra_headers = tuple(spec.get("headers", ()))
    labels = {}
    for index, item in enumerate(spec.get("requests") or ()):
        request = _request(item, case, extra_headers, spec, "%s request %d" % (where, index + 1))
        label = request.label
        if label in labels:
            labels[label] += 1
            label = "%s #%d" % (label, labels[request.label])
            request = _replace(request, label=label)
        else:
            labels[label] = 1
        case.requests.append(request)
    if not case.requests:
        raise CaseError("%s: no requests" % where)
    return case


def _replace(request, **changes):
    values = dict(request.__dict__, **changes)
    return Request(**values)


def _check_keys(obj, allowed, where):
    if not isinstance(obj, dict):
        raise CaseError("%s: expected an object" % where)
    unknown = set(obj) - allowed
    if unknown:
        raise CaseError("%s: unknown keys %s" % (where, ", ".join(sorted(unknown))))


def _request(item, case, extra_headers, spec, where) -> Request:
    _check_keys(item, _REQUEST_KEYS, where)
    method = item.get("method", "GET").upper()
    path = item.get("path", "")
    if not path.startswith("/"):
        path = "@CASE_URL@/" + path
    headers = item.get("headers", ())
    if isinstance(headers, dict):
        headers = list(headers.items())
    headers = [(str(k), str(v)) for k, v in headers]
    body = None
    bodies = [k for k in ("body", "form", "multipart") if k in item]
    if len(bodies) > 1:
        raise CaseError("%s: give only one of body, form, multipart" % where)
    if "body" in item:
        body = item["body"].encode("utf-8")
    elif "form" in item:
        form = item["form"]
        pairs = form.items() if isinstance(form, dict) else form
        body = urlencode([tuple(pair) for pair in pairs]).encode("ascii")
        headers.append(("Content-Type", "application/x-www-form-urlencoded"))
    elif "multipart" in item:
        body = _multipart(item["multipart"], where)
        headers.append(("Content-Type", "multipart/form-data; boundary=" + MULTIPART_BOUNDARY))
    compared = tuple(item.get("compare_headers", DEFAULT_HEADERS + extra_headers))
    replace = tuple((re.compile(p), r) for p, r in list(spec.get("replace", ()))
                    + list(item.get("replace", ())))
    expected = item.get("expected_difference")
    if expected is not None:
        _check_keys(expected, {"reason", "modpy_compat"}, where + " expected_difference")
        if not expected.get("reason") or not isinstance(expected.get("modpy_compat"), dict):
            raise CaseError("%s: expected_difference needs a reason and modpy_compat values" % where)
        _check_keys(expected["modpy_compat"], {"status", "headers", "body", "body_changes"}, where)
        expected = ExpectedDifference(expected["reason"], expected["modpy_compat"])
    known = item.get("known_failure") or case.known_failure
    if known and expected:
        raise CaseError("%s: a request is either a known failure or an expected difference" % where)
    label = item.get("label") or "%s %s" % (method, path.replace("@CASE_URL@", case.url))
    return Request(label=label, method=method, path=path, headers=tuple(headers), body=body,
                   compare_headers=compared,
                   normalise=tuple(spec.get("normalise", ())) + tuple(item.get("normalise", ())),
                   replace=replace, use_cookies=item.get("cookies", True),
                   write_files=tuple(sorted(item.get("write_files", {}).items())),
                   delay=float(item.get("delay", 0)), timeout=float(item.get("timeout", 10)),
                   known_failure=known, expected_difference=expected)


def _multipart(parts, where) -> bytes:
    chunks = []
    for part in parts:
        _check_keys(part, {"name", "value", "filename", "content_type", "content", "headers"},
                    where + " multipart")
        lines = ["--" + MULTIPART_BOUNDARY]
        disposition = 'form-data; name="%s"' % part["name"]
        if "filename" in part:
            disposition += '; filename="%s"' % part["filename"]
        lines.append("Content-Disposition: " + disposition)
        if "content_type" in part:
            lines.append("Content-Type: " + part["content_type"])
        for name, value in part.get("headers", ()):
            lines.append("%s: %s" % (name, value))
        value = part.get("content", part.get("value", ""))
        chunks.append(("\r\n".join(lines) + "\r\n\r\n").encode("utf-8") + value.encode("utf-8")
                      + b"\r\n")
    chunks.append(("--" + MULTIPART_BOUNDARY + "--\r\n").encode("ascii"))
    return b"".join(chunks)
