"""The printed results: the table of every scenario and server, then the ratios and targets.

Ratios are of median req/s over the rounds of the same run (modpy_compat's
divided by the reference's), so that they compare servers measured on the
same machine minutes apart, in alternation.
"""
from __future__ import annotations

import statistics
from dataclasses import dataclass

import sitetree

CONNECTIONS = (1, 8)


@dataclass(frozen=True)
class Target:
    """A ratio the issue sets (``minimum`` None: reported, not judged)."""

    label: str
    scenario: int
    server: str
    reference_scenario: int
    reference: str
    minimum: float = None
    connections: tuple = CONNECTIONS


TARGETS = [
    Target("s1 modpy_compat/waitress vs bare WebOb/waitress", 1, "modpy_waitress",
           1, "bare_webob", 0.9),
    Target("s1 modpy_compat/mod_wsgi vs bare WebOb/mod_wsgi", 1, "modpy_mod_wsgi",
           1, "bare_webob_mod_wsgi", 0.9),
    Target("s2 waitress vs mod_python publisher", 2, "modpy_waitress", 2, "mod_python", 0.8,
           connections=(8,)),
    Target("s3 waitress vs mod_python PSP", 3, "modpy_waitress", 3, "mod_python", 1.2),
    Target("s3 waitress vs Mako page on waitress", 3, "modpy_waitress", 3, "mako_table", 1.0),
    Target("s4 waitress vs mod_python", 4, "modpy_waitress", 4, "mod_python", 1.0),
    Target("s5 waitress vs mod_python", 5, "modpy_waitress", 5, "mod_python", 0.8),
    Target("s6 waitress vs bare file_wrapper/waitress", 6, "modpy_waitress", 6, "file_wrapper", 0.9),
    Target("s1 waitress vs mod_python (floor, no target)", 1, "modpy_waitress", 1, "mod_python"),
    Target("s1 waitress vs bare WSGI/waitress (no target)", 1, "modpy_waitress", 1, "bare_wsgi"),
]
# With run.py --processes N: modpy_compat on N processes against mod_python, for information.
TARGETS += [Target("s%d waitress xN vs mod_python (no target)" % n, n, "modpy_waitress_procs", n,
                   "mod_python") for n in (1, 2, 3, 4, 5, 6)]
# modpy_compat under mod_wsgi against mod_python, for information.
TARGETS += [Target("s%d mod_wsgi vs mod_python (no target)" % n, n, "modpy_mod_wsgi", n,
                   "mod_python") for n in (1, 2, 3, 4, 5, 6)]
MICRO_TARGET_US = 15.0
SOAK_GROWTH = 0.05


def summarize(measurements):
    """Median, min and max req/s; median p50 and p99 (ms); total errors."""
    rates = [m.rps for m in measurements]
    return {
        "rps": statistics.median(rates), "min": min(rates), "max": max(rates),
        "p50": statistics.median(m.p50_ms for m in measurements),
        "p99": statistics.median(m.p99_ms for m in measurements),
        "errors": sum(m.errors for m in measurements), "rounds": len(measurements),
    }


def _mb(kb):
    return "%.1f MB" % (kb / 1024.0) if kb else "-"


def format_table(run):
    """The main table, as lines."""
    lines = ["%-34s %5s %9s  %-17s %7s %7s %6s  %s" % (
        "scenario / server", "conns", "req/s", "(min-max)", "p50 ms", "p99 ms", "errors",
        "peak RSS per worker")]
    lines.append("-" * (len(lines[0]) + 12))
    for number in sorted(run["scenarios"]):
        scenario = sitetree.BY_NUMBER[number]
        lines.append(scenario.title)
        for server in run["scenarios"][number]["servers"]:
            kind, label = server["kind"], server["label"]
            if server.get("failure"):
                lines.append("  %-32s not measured: %s" % (label, server["failure"].splitlines()[0][:90]))
                continue
            for conns in sorted(server["summary"], key=int):
                s = server["summary"][conns]
                rss = ""
                if conns == sorted(server["summary"], key=int)[0]:
                    rss = "%s (%s)" % (_mb(server.get("peak_rss_kb")), server["workers_label"])
                lines.append(("  %-32s %5s %9s  %-17s %7.2f %7.2f %6d  %s" % (
                    label if rss else "", conns, "{:,.0f}".format(s["rps"]),
                    "({:,.0f}-{:,.0f})".format(s["min"], s["max"]), s["p50"], s["p99"],
                    s["errors"], rss)).rstrip())
    return lines


def _summary(run, scenario, kind, conns):
    try:
        for server in run["scenarios"][scenario]["servers"]:
            if server["kind"] == kind and not server.get("failure"):
                return server["summary"][str(conns)]
    except KeyError:
        pass
    return None


def _rps(run, scenario, kind, conns):
    found = _summary(run, scenario, kind, conns)
    return found["rps"] if found else None


def _errors(run, target):
    """Errors wrk counted on either side of ``target``: their req/s are not comparable."""
    total = 0
    for scenario, kind in ((target.scenario, target.server),
                           (target.reference_scenario, target.reference)):
        for conns in CONNECTIONS:
            found = _summary(run, scenario, kind, conns)
            total += found["errors"] if found else 0
    return total


def ratios(run):
    """[(target, {conns: ratio}, verdict)] for every target both sides of which were measured."""
    out = []
    for target in TARGETS:
        values = {}
        for conns in CONNECTIONS:
            ours = _rps(run, target.scenario, target.server, conns)
            theirs = _rps(run, target.reference_scenario, target.reference, conns)
            if ours and theirs:
                values[conns] = ours / theirs
        if not values:
            continue
        verdict = ""
        if target.minimum is not None:
            judged = [values[c] for c in target.connections if c in values]
            if judged:
                worst = min(judged)
                if worst >= target.minimum:
                    verdict = "met"
                else:
                    verdict = "MISSED by %.2f (%.0f%% short)" % (
                        target.minimum - worst, 100 * (1 - worst / target.minimum))
        out.append((target, values, verdict))
    return out


def format_ratios(run):
    lines = ["Ratios (modpy_compat req/s / reference req/s, medians of the rounds):"]
    for target, values, verdict in ratios(run):
        cells = "  ".join("c%d %5.2fx" % (c, values[c]) if c in values else "c%d    - " % c
                          for c in CONNECTIONS)
        goal = ""
        if target.minimum is not None:
            judged = "/".join("c%d" % c for c in target.connections)
            goal = "target >= %.1fx at %s: %s" % (target.minimum, judged, verdict)
        errors = _errors(run, target)
        if errors:
            goal += " (%d errors measured: not comparable)" % errors
        lines.append(("  %-50s %s   %s" % (target.label, cells, goal)).rstrip())
    micro = run.get("micro")
    if micro:
        overhead = micro["overhead_us"]
        verdict = "met" if overhead <= MICRO_TARGET_US else "MISSED by %.1f us" % (
            overhead - MICRO_TARGET_US)
        lines.append("  %-50s %5.1f us   target <= %.0f us: %s" % (
            "in-process gateway overhead over bare WebOb (s1)", overhead, MICRO_TARGET_US, verdict))
    return lines


def format_micro(micro):
    lines = ["In-process (no sockets), microseconds per request, median of %d loops:"
             % micro["repeat"]]
    for case in micro["cases"]:
        lines.append("  s%d  %-46s %8.1f us  (best %.1f)" % (
            case["scenario"], case["label"], case["median_us"], case["best_us"]))
    return lines


def format_soak(soak):
    lines = ["Soak: modpy_compat / waitress, %d connections, %d s per scenario:"
             % (soak["connections"], soak["seconds"])]
    for phase in soak["phases"]:
        if phase.get("failure"):
            lines.append("  s%d: not run: %s" % (phase["scenario"], phase["failure"]))
            continue
        growth = phase["growth"]
        ok = phase["errors"] == 0 and growth < SOAK_GROWTH
        lines.append("  s%d: %s requests (%s req/s), %d errors; RSS %s at %ds, %s at %ds (%+.1f%%)"
                     "   target 0 errors, growth < %.0f%%: %s" % (
                         phase["scenario"], "{:,}".format(phase["requests"]),
                         "{:,.0f}".format(phase["rps"]), phase["errors"],
                         _mb(phase["rss_early_kb"]), phase["early_s"], _mb(phase["rss_late_kb"]),
                         phase["late_s"], 100 * growth, 100 * SOAK_GROWTH,
                         "met" if ok else "MISSED"))
    return lines
