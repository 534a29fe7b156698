"""Run the conformance cases: against the goldens, against live mod_python, or record them.

    python -m tests.conformance                    # modpy_compat against the goldens (no Apache)
    python -m tests.conformance --live-reference   # first check the goldens against live mod_python
    python -m tests.conformance --record           # rewrite the goldens from live mod_python
    python -m tests.conformance --report           # also write docs/conformance.md
    python -m tests.conformance --case psp --case request/args -v

``--live-reference`` is on by default under ``CI=true`` or ``MODPY_LIVE_REFERENCE=1``.  The exit
status is 0 when every case passes or fails only as its known failures say, and every golden
still matches live mod_python.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time

from tests.conformance import golden
from tests.conformance.cases import load_cases
from tests.conformance.client import Client, Response
from tests.conformance.compare import EXPECTED, FAIL, FIXED, KNOWN, CaseResult, compare_request, differences
from tests.conformance.normalise import record
from tests.conformance.report import DOC_PATH, summary_lines, write_doc
from tests.conformance.servers import CompatServer, ReferenceServer, ServerDidNotStart, mod_python_available
from tests.conformance.tree import Tree


def live_reference_default() -> bool:
    """Whether goldens are re-checked against live mod_python unless told otherwise."""
    return (os.environ.get("CI", "").lower() == "true"
            or os.environ.get("MODPY_LIVE_REFERENCE", "") not in ("", "0"))


def scratch_dir() -> str:
    """A fresh scratch root outside pytest's basetemp (Apache's www-data children must read it)."""
    return tempfile.mkdtemp(prefix="modpy-conformance-")


def run_case(case, tree, port: int, server: str = "modpy_compat") -> tuple:
    """Send every request of ``case`` to ``server`` ("mod_python" or "modpy_compat") on ``port``.

    :returns: (label -> normalised record, the first ``Server`` header seen).
    """
    client = Client(port)
    context = _context(case, tree, port, server)
    records, software = {}, None
    if any(request.write_files for request in case.requests):
        tree.reset(case)
    for request in case.requests:
        if request.delay:
            time.sleep(request.delay)
        tree.write_files(case, request.write_files)
        response = client.send(request, request.target(case.url))
        software = software or (response.header_values("Server") or [None])[0]
        records[request.label] = record(response, request, context)
    return records, software


def _context(case, tree, port, server="modpy_compat"):
    return {"port": port, "paths": sorted(
        [(tree.case_dir(case), "@CASE_DIR@"), (tree.state_dir(case, server), "@STATE_DIR@"),
         (tree.docroot, "@DOCROOT@"), (tree.root, "@ROOT@")], key=lambda p: -len(p[0]))}


def run_isolated(case) -> dict:
    """Serve ``case`` alone on modpy_compat and send its requests; label -> record.

    If the server refuses to start, every request is answered by status 0 and the first line
    of the error.
    """
    root = scratch_dir()
    try:
        tree = Tree([case], root).build()
        server = CompatServer(tree)
        try:
            server.start()
        except ServerDidNotStart as exc:
            lines = str(exc).splitlines() or ["(nothing on standard error)"]
            first = next((line for line in lines if "error:" in line), lines[-1])
            text = "modpy-compat serve refused to start: %s\n" % first.split("error: ", 1)[-1]
            context = _context(case, tree, 0)
            return {r.label: record(Response(0, [], text.encode("utf-8")), r, context) for r in case.requests}
        try:
            return run_case(case, tree, server.port)[0]
        finally:
            server.stop()
    finally:
        shutil.rmtree(root, ignore_errors=True)


def compat_pass(cases, tree, show=False) -> list:
    """Every case on modpy_compat (isolated ones on servers of their own), checked against its golden."""
    records = {}
    shared = [case for case in cases if not case.isolated]
    if shared:
        with CompatServer(tree, shared) as compat:
            for case in shared:
                records[case.id] = run_case(case, tree, compat.port)[0]
    for case in cases:
        if case.isolated:
            records[case.id] = run_isolated(case)
    if show:
        for case in cases:
            print(json.dumps({case.id: records[case.id]}, indent=1, ensure_ascii=False))
    return [check_case(case, records[case.id]) for case in cases]


def check_case(case, records: dict) -> CaseResult:
    """modpy_compat's ``records`` for ``case`` against its golden."""
    result = CaseResult(case)
    try:
        expected = golden.load(case)
    except FileNotFoundError:
        result.error = "no golden yet: run python -m tests.conformance --record --case %s" % case.id
        return result
    except golden.StaleGolden as exc:
        result.error = str(exc)
        return result
    for request in case.requests:
        result.results.append(compare_request(request, expected[request.label], records[request.label]))
    return result


def recheck_golden(case, records: dict) -> list:
    """Lines describing how live mod_python's ``records`` differ from ``case``'s golden."""
    try:
        expected = golden.load(case)
    except (FileNotFoundError, golden.StaleGolden) as exc:
        return ["%s: %s" % (case.id, exc)]
    lines = []
    for request in case.requests:
        diff = differences(expected[request.label], records[request.label],
                           left="golden", right="live mod_python")
        if diff:
            lines.append("%s: %s: the golden no longer matches live mod_python" % (case.id, request.label))
            lines += ["    " + line for line in diff]
    return lines


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.conformance", description=__doc__.split("\n\n")[0])
    parser.add_argument("--case", action="append", metavar="AREA[/CASE]",
                        help="run only these areas or cases (repeatable)")
    live = parser.add_mutually_exclusive_group()
    live.add_argument("--live-reference", dest="live", action="store_true", default=None,
                      help="re-check the goldens against live Apache + mod_python first "
                           "(default under CI=true or MODPY_LIVE_REFERENCE=1)")
    live.add_argument("--no-live-reference", dest="live", action="store_false")
    parser.add_argument("--record", action="store_true", help="rewrite the goldens from live mod_python")
    parser.add_argument("--report", action="store_true", help="write docs/conformance.md")
    parser.add_argument("--keep", action="store_true", help="keep the scratch directory (its path is printed)")
    parser.add_argument("--show", action="store_true",
                        help="print modpy_compat's normalised records as JSON (to write expected differences)")
    parser.add_argument("-v", "--verbose", action="store_true",
                        help="also show known failures and expected differences in detail")
    args = parser.parse_args(argv)
    if args.report and args.case:
        parser.error("--report needs every case: drop --case")
    live = live_reference_default() if args.live is None else args.live
    cases = load_cases(args.case)
    needs_apache = args.record or live
    if needs_apache and not mod_python_available():
        print("Apache with mod_python is not installed: cannot %s"
              % ("record goldens" if args.record else "check the goldens live"), file=sys.stderr)
        return 2

    root = scratch_dir()
    started = time.monotonic()
    tree = Tree(cases, root).build()
    ok = True
    try:
        if needs_apache:
            ok = _reference_pass(cases, tree, record_goldens=args.record)
        results = compat_pass(cases, tree, show=args.show)
        kinds = (FAIL, FIXED, KNOWN, EXPECTED) if args.verbose else (FAIL, FIXED)
        for result in results:
            text = result.describe(kinds)
            if text:
                print(text)
        print("\nmodpy_compat against the goldens:")
        for line in summary_lines(results):
            print("  " + line)
        ok = ok and all(r.status != "failed" for r in results)
        if args.report:
            write_doc(results)
            print("wrote %s" % DOC_PATH)
    finally:
        if args.keep:
            print("scratch directory kept: %s" % root)
        else:
            shutil.rmtree(root, ignore_errors=True)
    print("%d cases in %.1f s" % (len(cases), time.monotonic() - started))
    return 0 if ok else 1


def _reference_pass(cases, tree, record_goldens: bool) -> bool:
    """Run every case on live mod_python: record the goldens, or check them."""
    problems = []
    with ReferenceServer(tree) as apache:
        for case in cases:
            records, software = run_case(case, tree, apache.port, "mod_python")
            if record_goldens:
                golden.save(case, records, recorded_with=software or "unknown")
            else:
                problems += recheck_golden(case, records)
        log = apache.log_tail()
    if record_goldens:
        print("recorded %d goldens from live mod_python" % len(cases))
        return True
    if problems:
        print("GOLDENS NO LONGER MATCH LIVE mod_python:\n" + "\n".join(problems))
        print("Apache error_log (tail):\n" + log)
        return False
    print("goldens match live mod_python (%d cases)" % len(cases))
    return True
