"""Compare a server's records with the goldens and classify every request and case.

Request outcomes:

``pass``                 the same as mod_python.
``expected-difference``  differs exactly as its ``expected_difference`` declares.
``known-failure``        differs, and is marked as a known failure (a bug, unfinished work).
``fail``                 differs unexpectedly, or not in the declared way.
``fixed``                marked as a known failure but now the same as mod_python: remove the mark.

A case *passes* when every request passes or differs as expected, is *xfail* when the only
differences are known failures, and *fails* otherwise.
"""
from __future__ import annotations

import difflib
import json
from dataclasses import dataclass, field

from tests.conformance.normalise import encode_body

PASS, EXPECTED, KNOWN, FAIL, FIXED = "pass", "expected-difference", "known-failure", "fail", "fixed"


@dataclass
class RequestResult:
    request: object
    outcome: str
    diffs: list = field(default_factory=list)  # lines describing each difference


@dataclass
class CaseResult:
    case: object
    results: list = field(default_factory=list)
    error: str | None = None  # the case could not be compared at all (stale golden, ...)

    @property
    def status(self) -> str:
        """``passed``, ``xfail`` or ``failed``."""
        outcomes = {r.outcome for r in self.results}
        if self.error or FAIL in outcomes or FIXED in outcomes:
            return "failed"
        if KNOWN in outcomes:
            return "xfail"
        return "passed"

    @property
    def expected_differences(self) -> list:
        return [r for r in self.results if r.outcome == EXPECTED]

    def describe(self, kinds=(FAIL, FIXED, KNOWN)) -> str:
        """The differences of the requests whose outcome is in ``kinds``, for humans."""
        lines = ["%s: %s" % (self.case.id, self.error)] if self.error else []
        for result in self.results:
            if result.outcome not in kinds:
                continue
            note = {FIXED: "now matches mod_python: remove its known_failure mark",
                    KNOWN: "known failure: %s" % result.request.known_failure,
                    FAIL: "differs from mod_python",
                    EXPECTED: "expected difference: %s" % (result.request.expected_difference
                                                           and result.request.expected_difference.reason),
                    PASS: "same as mod_python"}[result.outcome]
            lines.append("%s: %s (%s)" % (self.case.id, result.request.label, note))
            lines += ["    " + line for line in result.diffs]
        return "\n".join(lines)


def differences(expected: dict, actual: dict, left="mod_python", right="modpy_compat") -> list:
    """Lines describing how ``actual`` differs from ``expected`` (two records); [] if equal."""
    lines = []
    if expected["status"] != actual["status"]:
        lines.append("status: %s %s, %s %s" % (left, expected["status"], right, actual["status"]))
    names = list(expected["headers"]) + [n for n in actual["headers"] if n not in expected["headers"]]
    for name in names:
        want, got = expected["headers"].get(name), actual["headers"].get(name)
        if want != got:
            lines.append("header %s: %s %s, %s %s" % (name, left, _show(want), right, _show(got)))
    if expected["body"] != actual["body"]:
        lines.append("body differs (--- %s, +++ %s):" % (left, right))
        lines += _body_diff(expected["body"], actual["body"])
    return lines


def _show(value):
    return "(absent)" if value is None else json.dumps(value, ensure_ascii=False)


def _body_diff(want, got, limit=40):
    def lines(body):
        if isinstance(body, dict):
            return ["<binary, base64 %s...>\n" % body["base64"][:60]]
        return body if isinstance(body, list) else body.splitlines(keepends=True) or [""]
    diff = list(difflib.unified_diff(lines(want), lines(got), "mod_python", "modpy_compat", n=2))[2:]
    shown = ["  " + line.rstrip("\n") for line in diff[:limit]]
    if len(diff) > limit:
        shown.append("  ... %d more diff lines" % (len(diff) - limit))
    return shown


def compare_request(request, golden: dict, actual: dict) -> RequestResult:
    """Classify ``actual`` (modpy_compat's record) against the ``golden`` one."""
    diffs = differences(golden, actual)
    if request.known_failure:
        return RequestResult(request, KNOWN if diffs else FIXED, diffs)
    declared = request.expected_difference
    if declared is None:
        return RequestResult(request, FAIL if diffs else PASS, diffs)
    # What modpy_compat must answer: the golden with the declared fields replaced.
    wanted = {"status": golden["status"], "headers": dict(golden["headers"]), "body": golden["body"]}
    for key, value in declared.values.items():
        if key == "headers":
            for name, header in value.items():
                if header is None:
                    wanted["headers"].pop(name, None)
                else:
                    wanted["headers"][name] = header
        elif key == "body" and isinstance(value, str):
            wanted["body"] = encode_body(value)
        elif key == "body_changes":
            text = "".join(golden["body"]) if isinstance(golden["body"], (list, str)) else None
            for old, new in value:
                if text is None or old not in text:
                    return RequestResult(request, FAIL, ["expected difference (%s): %r is not in mod_python's "
                                                         "body" % (declared.reason, old)])
                text = text.replace(old, new)
            wanted["body"] = encode_body(text)
        else:
            wanted[key] = value
    problems = []
    if wanted == golden:
        problems.append("the declared expected difference is what mod_python answers: "
                        "it is not a difference")
    problems += differences(wanted, actual, left="declared", right="modpy_compat")
    if problems:
        return RequestResult(request, FAIL, ["expected difference (%s) not as declared:" % declared.reason]
                             + problems)
    return RequestResult(request, EXPECTED, diffs)
