"""Read and write the goldens: what real mod_python answered, normalised, per case.

``golden/<area>/<case>.json``::

    {"case": "request/args", "recorded_with": "Apache/2.4.71 (Debian) mod_python/3.5.0 Python/3.11",
     "responses": [{"request": "GET /request/args/?a=1", "digest": "...",
                    "compare_headers": [...], "status": 200, "headers": {...}, "body": ...}]}

``digest`` fingerprints what was sent (method, target, headers, body) and ``compare_headers`` what
was kept, so a golden that no longer matches its requests.json is reported as stale instead of
being compared.
"""
from __future__ import annotations

import hashlib
import json
import os


class StaleGolden(Exception):
    """The golden was recorded for other requests: record it again (--record)."""


def digest(request) -> str:
    """A short fingerprint of what ``request`` sends."""
    h = hashlib.sha1()
    for part in (request.method, request.path, repr(request.headers), request.body or b"",
                 repr(request.write_files) if request.write_files else ""):
        h.update(part if isinstance(part, bytes) else part.encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()[:12]


def load(case) -> dict:
    """label -> golden record for ``case``.

    :raises FileNotFoundError: no golden yet.
    :raises StaleGolden: the golden does not match the case's requests.
    """
    with open(case.golden_path) as fh:
        data = json.load(fh)
    entries = {entry["request"]: entry for entry in data["responses"]}
    problems = []
    for request in case.requests:
        entry = entries.pop(request.label, None)
        if entry is None:
            problems.append("no golden response for %r" % request.label)
        elif entry.get("digest") != digest(request):
            problems.append("%r is sent differently than when it was recorded" % request.label)
        elif tuple(entry.get("compare_headers", ())) != tuple(request.compare_headers):
            problems.append("%r compares other headers than were recorded" % request.label)
    problems += ["golden response for a request no longer there: %r" % label for label in entries]
    if problems:
        raise StaleGolden("%s: %s; run python -m tests.conformance --record --case %s"
                          % (case.golden_path, "; ".join(problems), case.id))
    return {entry["request"]: _record(entry) for entry in data["responses"]}


def _record(entry) -> dict:
    return {"status": entry["status"], "headers": entry["headers"], "body": entry["body"]}


def save(case, records: dict, recorded_with: str):
    """Write ``case``'s golden from ``records`` (label -> record), in request order."""
    responses = []
    for request in case.requests:
        record = records[request.label]
        responses.append({"request": request.label, "digest": digest(request),
                          "compare_headers": list(request.compare_headers),
                          "status": record["status"], "headers": record["headers"],
                          "body": record["body"]})
    os.makedirs(os.path.dirname(case.golden_path), exist_ok=True)
    with open(case.golden_path, "w") as fh:
        json.dump({"case": case.id, "recorded_with": recorded_with, "responses": responses},
                  fh, indent=1, ensure_ascii=False)
        fh.write("\n")
