"""Benchmarks: modpy_compat against real mod_python, mod_wsgi and bare WSGI/WebOb apps, side by side.

Usage::

    python benchmarks/run.py [--quick] [--soak] [--scenarios 1,3] [--mpm prefork|event]

Sets up what it needs (see prerequisites.py), builds the site in a
temporary directory (sitetree.py), then for each scenario starts every
server that runs it (servers.py), checks that each answers right, warms them
up, and measures them in alternation (A B C A B C ..., ``--rounds`` rounds,
wrk with 1 then 8 connections, ``--duration`` seconds each).  Then the
in-process micro-benchmark (micro.py) and, with ``--soak``, 60 seconds of
scenarios 1 and 5 at 64 connections on modpy_compat/waitress.  Prints the
table and the ratios against the issue's targets (report.py), and writes
everything as JSON (``--json``; always to ``<workdir>/results.json``).

Everything listens on 127.0.0.1 with its own ServerRoot; every server is
stopped at the end of its scenario, and a guard process stops it anyway if
this script dies.  Benchmarks are not tests: nothing here asserts a timing.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
if ROOT not in sys.path:
    # tests/support/apache.py runs the private Apache (root, www-data, PATH, load order).
    sys.path.insert(1, ROOT)

import load  # noqa: E402
import prerequisites  # noqa: E402
import report  # noqa: E402
import servers  # noqa: E402
import sitetree  # noqa: E402
from tests.support.apache import _run_user  # noqa: E402

MAIN_SERVERS = ("modpy_waitress", "modpy_mod_wsgi", "mod_python")
SOAK_SCENARIOS = (1, 5)
SOAK_CONNECTIONS = 64
SOAK_SECONDS = 60
SOAK_EARLY = 10


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help="3 s per measurement and 1 s warm-up instead of 10 s and 3 s")
    parser.add_argument("--soak", action="store_true",
                        help="also run the 60-second soak (scenarios 1 and 5, 64 connections)")
    parser.add_argument("--scenarios", default="1,2,3,4,5,6",
                        help="comma-separated scenario numbers, or 'none' (default all)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of alternation (default 3)")
    parser.add_argument("--duration", type=int, help="seconds per measurement (default 10, quick 3)")
    parser.add_argument("--warmup", type=int, help="warm-up seconds per server (default 3, quick 1)")
    parser.add_argument("--mpm", choices=("prefork", "event"), default="prefork",
                        help="MPM of the mod_python Apache: prefork = 8 processes (default), "
                             "event = 1 process (16 threads, at most 8 requests at once)")
    parser.add_argument("--processes", type=int, default=0, metavar="N",
                        help="also measure 'modpy-compat serve --processes N --threads 8' "
                             "(modpy_waitress_procs) in every scenario")
    parser.add_argument("--skip", action="append", default=[], metavar="SERVER",
                        help="do not run this server (modpy_waitress, modpy_mod_wsgi, mod_python, "
                             "bare_wsgi, bare_webob, bare_webob_mod_wsgi, mako_table, file_wrapper)")
    parser.add_argument("--no-micro", action="store_true", help="skip the in-process micro-benchmark")
    parser.add_argument("--no-install", action="store_true",
                        help="install nothing; servers whose software is missing are skipped")
    parser.add_argument("--workdir", metavar="DIR",
                        help="working directory (default: a temporary one, removed at the end)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary working directory")
    parser.add_argument("--json", metavar="FILE", help="write the results as JSON to FILE")
    args = parser.parse_args(argv)
    args.duration = args.duration or (3 if args.quick else 10)
    args.warmup = args.warmup if args.warmup is not None else (1 if args.quick else 3)
    args.scenario_numbers = [] if args.scenarios == "none" else [
        int(n) for n in args.scenarios.split(",") if n.strip()]
    for number in args.scenario_numbers:
        if number not in sitetree.BY_NUMBER:
            parser.error("no scenario %d (1 to 6)" % number)
    if args.rounds < 1 or args.duration < 1:
        parser.error("--rounds and --duration must be at least 1")
    return args


def versions():
    """What was measured, for the header and the JSON."""
    import mako
    import waitress
    import webob

    import modpy_compat
    found = {"python": platform.python_version(), "modpy_compat": modpy_compat.__version__,
             "waitress": _dist_version("waitress", getattr(waitress, "__version__", "?")),
             "webob": _dist_version("webob", "?"), "mako": mako.__version__,
             "mod_wsgi": _dist_version("mod_wsgi", "-")}
    for key, command in (("apache", ["/usr/sbin/apache2", "-v"]), ("wrk", ["wrk", "-v"])):
        try:
            out = subprocess.run(command, capture_output=True, text=True, timeout=10)
            text = (out.stdout + out.stderr).strip().splitlines()
            found[key] = (text[0].replace("Server version: ", "").split(" Copyright")[0]
                          if text else "?")
        except OSError:
            found[key] = "-"
    try:
        out = subprocess.run(["dpkg-query", "-W", "-f", "${Version}", "libapache2-mod-python"],
                             capture_output=True, text=True, timeout=10)
        found["mod_python"] = out.stdout.strip() or "-"
    except OSError:
        found["mod_python"] = "-"
    found["cpus"] = os.cpu_count()
    found["cpu_model"] = _cpu_model()
    return found


def _dist_version(name, default):
    try:
        from importlib.metadata import version
        return version(name)
    except Exception:
        return default


def _cpu_model():
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "?"


class Bench:
    """One run: the working directory, the servers' settings, the results."""

    def __init__(self, args, tree, available):
        self.args, self.tree, self.available = args, tree, available
        self.lifeline = servers.Lifeline()
        self.run_user = _run_user() if os.geteuid() == 0 else None
        self.results = {"scenarios": {}, "settings": {
            "duration_s": args.duration, "rounds": args.rounds, "warmup_s": args.warmup,
            "connections": list(report.CONNECTIONS), "mpm": args.mpm, "quick": args.quick,
            "processes": args.processes}}

    def server_kinds(self, scenario):
        kinds = list(MAIN_SERVERS) + list(scenario.references)
        if self.args.processes > 1:
            kinds.insert(1, "modpy_waitress_procs")
        return [k for k in kinds if k not in self.args.skip]

    def limit(self, count):
        """Seconds a scenario's servers may live (their guard stops them after that)."""
        per_server = (len(report.CONNECTIONS) * self.args.rounds * (self.args.duration + 2)
                      + self.args.warmup + 30)
        return 2 * count * per_server + 600

    def make(self, kind, limit):
        return servers.make_server(kind, self.tree, self.lifeline, limit, mpm=self.args.mpm,
                                   run_user=self.run_user, processes=self.args.processes)

    def unavailable(self, kind):
        if kind == "mod_python" and not self.available["mod_python"]:
            return "Apache with mod_python is not installed"
        if "mod_wsgi" in kind and not self.available["mod_wsgi"]:
            return "mod_wsgi-express is not installed"
        return None

    # -- one scenario ------------------------------------------------------------------

    def scenario(self, scenario):
        kinds = self.server_kinds(scenario)
        limit = self.limit(len(kinds))
        script = self.tree.lua(scenario)
        print("\n== scenario %s: %s %s on %s" % (scenario.title, scenario.method, scenario.path,
                                                   ", ".join(kinds)), flush=True)
        entries, running = [], []
        try:
            for kind in kinds:
                server = self.make(kind, limit)
                entry = {"kind": kind, "label": server.label,
                         "workers_label": server.workers_label, "runs": {}}
                entries.append(entry)
                entry["failure"] = self.unavailable(kind)
                if entry["failure"]:
                    print("  %-28s skipped: %s" % (server.label, entry["failure"]))
                    continue
                started = time.monotonic()
                try:
                    server.start()
                except (servers.ServerError, Exception) as exc:   # report, go on with the others
                    entry["failure"] = "did not start: %s" % str(exc).strip()
                    print("  %-28s %s" % (server.label, entry["failure"][:2000]))
                    server.stop()
                    continue
                problem = load.check(server, scenario)
                if problem:
                    entry["failure"] = "wrong answer: " + problem
                    print("  %-28s %s\n%s" % (server.label, entry["failure"], server.log_tail()))
                    server.stop()
                    continue
                print("  %-28s ready in %.1f s on port %d, answer checked"
                      % (server.label, time.monotonic() - started, server.port), flush=True)
                running.append((server, entry))
            for server, entry in running:
                load.warm_up(server, scenario, script, self.args.warmup)
            for conns in report.CONNECTIONS:
                for round_ in range(1, self.args.rounds + 1):
                    for server, entry in running:
                        self.measure(server, entry, scenario, script, conns, round_)
            for server, entry in running:
                entry["peak_rss_kb"] = server.peak_rss_kb()
                entry["workers"] = len(server.worker_pids())
        finally:
            for server, _ in running:
                server.stop()
        for entry in entries:
            runs = entry.pop("runs")
            entry["summary"] = {str(c): report.summarize(r) for c, r in runs.items()}
            # wrk's own figures, per round (error kinds included).
            entry["rounds"] = {str(c): [m.detail for m in r] for c, r in runs.items()}
        self.results["scenarios"][scenario.number] = {"title": scenario.title,
                                                      "path": scenario.path, "servers": entries}

    def measure(self, server, entry, scenario, script, conns, round_):
        try:
            result = load.run_wrk(server.url(scenario.path), script, conns, self.args.duration,
                                  scenario.thread_per_connection)
        except load.LoadError as exc:
            print("  c%d round %d  %-28s wrk failed: %s" % (conns, round_, server.label, exc))
            return
        entry["runs"].setdefault(conns, []).append(result)
        print("  c%d round %d/%d  %-28s %9s req/s  p50 %6.2f ms  p99 %6.2f ms  %d errors" % (
            conns, round_, self.args.rounds, server.label, "{:,.0f}".format(result.rps),
            result.p50_ms, result.p99_ms, result.errors), flush=True)

    # -- the micro-benchmark and the soak ------------------------------------------------

    def micro(self):
        print("\n== in-process micro-benchmark (benchmarks/micro.py)", flush=True)
        out = self.tree.path("micro.json")
        command = [sys.executable, os.path.join(HERE, "micro.py"), "--json", out,
                   "--workdir", self.tree.path("micro")]
        if self.args.quick:
            command.append("--quick")
        if subprocess.run(command, cwd=HERE).returncode == 0:
            with open(out) as fh:
                self.results["micro"] = json.load(fh)

    def soak(self):
        print("\n== soak: modpy_compat / waitress, scenarios %s, %d connections, %d s each"
              % (", ".join(map(str, SOAK_SCENARIOS)), SOAK_CONNECTIONS, SOAK_SECONDS), flush=True)
        soak = {"connections": SOAK_CONNECTIONS, "seconds": SOAK_SECONDS, "phases": []}
        server = self.make("modpy_waitress", 2 * SOAK_SECONDS * len(SOAK_SCENARIOS) + 600)
        try:
            server.start()
            for number in SOAK_SCENARIOS:
                scenario = sitetree.BY_NUMBER[number]
                phase = {"scenario": number}
                soak["phases"].append(phase)
                problem = load.check(server, scenario)
                if problem:
                    phase["failure"] = problem
                    continue
                started = time.monotonic()
                proc = load.start_wrk(server.url(scenario.path), self.tree.lua(scenario),
                                      SOAK_CONNECTIONS, SOAK_SECONDS, scenario.thread_per_connection)
                late = SOAK_SECONDS - 0.5
                time.sleep(max(0.0, SOAK_EARLY - (time.monotonic() - started)))
                phase["rss_early_kb"], phase["early_s"] = server.rss_kb(), SOAK_EARLY
                time.sleep(max(0.0, late - (time.monotonic() - started)))
                phase["rss_late_kb"], phase["late_s"] = server.rss_kb(), SOAK_SECONDS
                result = load.finish_wrk(proc, SOAK_SECONDS)
                phase.update(requests=result.requests, rps=result.rps, errors=result.errors,
                             error_detail={k: result.detail[k] for k in
                                           ("connect", "read", "write", "status", "timeout")},
                             p99_ms=result.p99_ms)
                phase["growth"] = ((phase["rss_late_kb"] - phase["rss_early_kb"])
                                   / float(phase["rss_early_kb"] or 1))
                print("\n".join(report.format_soak({**soak, "phases": [phase]})[1:]), flush=True)
        except (servers.ServerError, load.LoadError) as exc:
            soak["failure"] = str(exc)
            print("  soak failed: %s" % exc)
        finally:
            server.stop()
        self.results["soak"] = soak


def prepare(args):
    """Install what is missing, build the working directory, open it up for www-data."""
    missing = [] if args.no_install else prerequisites.ensure()
    if args.no_install:
        missing = [p for p in prerequisites.APT_PACKAGES if not prerequisites._present(p)]
        if not prerequisites._has_mod_wsgi():
            missing.append("mod_wsgi")
    for item in missing:
        print("not available: %s (the servers that need it are skipped)" % item)
    if "wrk" in missing:
        raise SystemExit("wrk is needed: sudo apt-get install wrk")
    available = {
        "mod_python": not any(p in missing for p in ("apache2", "libapache2-mod-python")),
        "mod_wsgi": not any(p.startswith("mod_wsgi") or p in ("apache2", "apache2-dev")
                            for p in missing),
    }
    return available


def open_up(tree):
    """As root, let www-data (Apache's children, mod_wsgi's daemon) read the site and this Python."""
    if os.geteuid() != 0:
        return
    user, group = _run_user()
    import pwd
    import grp
    uid, gid = pwd.getpwnam(user).pw_uid, grp.getgrnam(group).gr_gid
    for kind in ("mod_python", "mod_wsgi"):
        os.chown(tree.path("sessions", kind), uid, gid)
    from tests.support.apache import _open_up
    _open_up(tree.root)
    import modpy_compat
    prerequisites.grant_search(user, [tree.root, ROOT, os.path.dirname(modpy_compat.__file__)])


def main(argv=None):
    args = parse_args(argv)
    started = time.monotonic()
    available = prepare(args)
    info = versions()
    print("modpy_compat %(modpy_compat)s, Python %(python)s, waitress %(waitress)s, WebOb %(webob)s, "
          "Mako %(mako)s, mod_wsgi %(mod_wsgi)s" % info)
    print("%(apache)s, mod_python %(mod_python)s, %(wrk)s" % info)
    print("%s CPUs (%s); wrk on the same machine" % (info["cpus"], info["cpu_model"]))
    print("%d rounds x %d s per server and connection count (1, 8), warm-up %d s%s"
          % (args.rounds, args.duration, args.warmup, " (--quick)" if args.quick else ""))

    temporary = args.workdir is None
    workdir = args.workdir or tempfile.mkdtemp(prefix="modpy-bench-")
    tree = sitetree.build(workdir)
    open_up(tree)
    bench = Bench(args, tree, available)
    bench.results["versions"] = info
    try:
        for number in args.scenario_numbers:
            bench.scenario(sitetree.BY_NUMBER[number])
        if not args.no_micro:
            bench.micro()
        if args.soak:
            bench.soak()
    finally:
        bench.results["seconds"] = time.monotonic() - started
        path = tree.path("results.json")
        with open(path, "w") as fh:
            json.dump(bench.results, fh, indent=1, default=str)
        if args.json:
            shutil.copyfile(path, args.json)

    print()
    if bench.results["scenarios"]:
        print("\n".join(report.format_table(bench.results)))
        print()
    if bench.results.get("micro"):
        print("\n".join(report.format_micro(bench.results["micro"])))
        print()
    print("\n".join(report.format_ratios(bench.results)))
    if bench.results.get("soak"):
        print()
        print("\n".join(report.format_soak(bench.results["soak"])))
    print("\nmod_python: Apache %s, %s. Total time %.0f s." % (
        args.mpm, "8 processes" if args.mpm == "prefork" else "1 process of 16 threads",
        time.monotonic() - started))
    if temporary and not args.keep:
        shutil.rmtree(workdir, ignore_errors=True)
    else:
        print("working directory (logs, results.json): %s" % workdir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
