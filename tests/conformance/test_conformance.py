"""Every conformance case on modpy_compat, compared with what real mod_python answered.

One test per case.  A case whose requests include known failures (bugs, unfinished work) is
``xfail(strict=True)``: it must fail with exactly those differences, and shows up as a failure
once it is fixed so that the mark is removed.  ``test_golden_matches_live_mod_python`` re-checks
the goldens against live Apache + mod_python when asked (see conftest.py).
"""
from __future__ import annotations

import pytest

from tests.conformance.cases import load_cases
from tests.conformance.compare import KNOWN
from tests.conformance.runner import check_case, recheck_golden, run_case, run_isolated

pytestmark = pytest.mark.integration

CASES = load_cases()


class KnownFailure(AssertionError):
    """A case differs from mod_python only where its known failures say it does."""


def _known_failure_marks(case):
    reasons = sorted({r.known_failure for r in case.requests if r.known_failure})
    if not reasons:
        return ()
    return (pytest.mark.xfail(strict=True, raises=KnownFailure, reason="; ".join(reasons)),)


@pytest.mark.parametrize("case", [pytest.param(c, id=c.id, marks=_known_failure_marks(c)) for c in CASES])
def test_modpy_compat_matches_mod_python(case, request, conformance_results):
    if case.isolated:
        records = run_isolated(case)
    else:
        tree, server = request.getfixturevalue("conformance_tree"), request.getfixturevalue("compat_server")
        records, _ = run_case(case, tree, server.port)
    result = check_case(case, records)
    conformance_results.append(result)
    if result.status == "failed":
        pytest.fail(result.describe(), pytrace=False)
    if result.status == "xfail":
        raise KnownFailure(result.describe((KNOWN,)))


@pytest.mark.parametrize("case", [pytest.param(c, id=c.id) for c in CASES])
def test_golden_matches_live_mod_python(case, conformance_tree, reference_server):
    records, _ = run_case(case, conformance_tree, reference_server.port, "mod_python")
    problems = recheck_golden(case, records)
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)
