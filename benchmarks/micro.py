"""In-process cost of one request: modpy_compat's gateway against bare applications, no sockets.

Usage::

    python benchmarks/micro.py [--quick] [--json FILE] [--workdir DIR]
    python benchmarks/micro.py --profile 1 [--requests 20000] [--sort tottime]

Each case calls a WSGI application with a fresh copy of a waitress-like
environ, iterates the body and closes it, in a loop (timeit-style: the loop
count is calibrated to last about 0.2 s, then timed ``--repeat`` times; the
garbage collector stays on, as in a server).  Reported: microseconds per
request, median and best of the repeats.

The number the issue asks for is the first: scenario 1 (the custom handler
writing "Hello World": request construction, configuration match, the
phases, the handler, the response) through the gateway, minus the same
answer from a bare WebOb application.  The other scenarios are measured the
same way, against their bare references where they have one, to show where
time goes without the network and the server in the way.

``--profile N`` runs scenario N through the gateway under cProfile and prints
the functions that cost most.
"""
from __future__ import annotations

import argparse
import cProfile
import importlib.util
import io
import json
import os
import pstats
import statistics
import sys
import tempfile
import time
from wsgiref.util import FileWrapper

import sitetree

DEFAULT_REPEAT = 7
QUICK_REPEAT = 5
TARGET_SECONDS = 0.2


def environ_template(path, method="GET", cookie=None, body=None):
    """A WSGI environ as waitress builds it for ``path`` from 127.0.0.1."""
    path, _, query = path.partition("?")
    environ = {
        "REMOTE_ADDR": "127.0.0.1", "REMOTE_HOST": "127.0.0.1", "REMOTE_PORT": "51234",
        "REQUEST_METHOD": method, "SERVER_PORT": "8080", "SERVER_NAME": "127.0.0.1",
        "SERVER_SOFTWARE": "waitress", "SERVER_PROTOCOL": "HTTP/1.1", "SCRIPT_NAME": "",
        "PATH_INFO": path, "REQUEST_URI": path + ("?" + query if query else ""),
        "QUERY_STRING": query, "wsgi.url_scheme": "http", "wsgi.version": (1, 0),
        "wsgi.errors": sys.stderr, "wsgi.multithread": True, "wsgi.multiprocess": False,
        "wsgi.run_once": False, "wsgi.input": io.BytesIO(b""), "wsgi.file_wrapper": FileWrapper,
        "wsgi.input_terminated": True,
        "HTTP_HOST": "127.0.0.1:8080", "HTTP_USER_AGENT": "wrk", "HTTP_ACCEPT": "*/*",
    }
    if cookie:
        environ["HTTP_COOKIE"] = cookie
    if body is not None:
        environ["CONTENT_TYPE"] = "application/x-www-form-urlencoded"
        environ["CONTENT_LENGTH"] = str(len(body))
    return environ


def _start_response(status, headers, exc_info=None):
    return _write


def _write(data):
    pass


def caller(app, template, body=None):
    """A function making one request of ``app`` (fresh environ, body iterated, closed)."""
    def call():
        environ = template.copy()
        if body is not None:
            environ["wsgi.input"] = io.BytesIO(body)
        result = app(environ, _start_response)
        try:
            for _ in result:
                pass
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()
    return call


def measure(call, repeat):
    """(median, best) microseconds per call over ``repeat`` timed loops."""
    call()
    number = 1
    while True:
        start = time.perf_counter()
        for _ in range(number):
            call()
        elapsed = time.perf_counter() - start
        if elapsed >= TARGET_SECONDS / 4 or number >= 1 << 20:
            break
        number *= 2
    number = max(1, int(number * TARGET_SECONDS / max(elapsed, 1e-9)))
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(number):
            call()
        samples.append((time.perf_counter() - start) / number * 1e6)
    return statistics.median(samples), min(samples)


def load_app(path, name="application"):
    spec = importlib.util.spec_from_file_location(
        "bench_" + os.path.splitext(os.path.basename(path))[0], path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return getattr(module, name)


def build_cases(tree):
    """[(scenario number, label, call)]: the gateway and the references, per scenario."""
    from modpy_compat import make_app
    gateway = make_app(tree.config("micro"))
    logged = make_app(tree.config("micro"))
    logged.access_log = open(os.devnull, "w")
    apps = {name: load_app(tree.path("apps", name + ".py"))
            for name in ("bare_wsgi", "bare_webob", "mako_table", "file_wrapper")}
    body = sitetree.form_body()

    # Scenario 5 keeps one session, as a wrk connection does.
    headers = []

    def keep_headers(status, response_headers, exc_info=None):
        headers.extend(response_headers)
        return _write
    result = gateway(environ_template("/session/x"), keep_headers)
    result.close()      # runs the cleanups: the session lock is released
    cookie = [v.split(";", 1)[0] for k, v in headers if k.lower() == "set-cookie"][0]

    def gw(path, **kw):
        return caller(gateway, environ_template(path, **kw))

    hello = environ_template("/hello/x")
    return [
        (1, "modpy_compat gateway", caller(gateway, hello)),
        (1, "modpy_compat gateway + access log (as serve)", caller(logged, hello)),
        (1, "bare WebOb", caller(apps["bare_webob"], hello)),
        (1, "bare WSGI", caller(apps["bare_wsgi"], hello)),
        (2, "modpy_compat gateway", gw("/pub/pages.py/hello")),
        (3, "modpy_compat gateway", gw("/psp/table.psp")),
        (3, "Mako page", caller(apps["mako_table"], environ_template("/psp/table.psp"))),
        (4, "modpy_compat gateway",
         caller(gateway, environ_template("/form/x", method="POST", body=body), body)),
        (5, "modpy_compat gateway", gw("/session/x", cookie=cookie)),
        (6, "modpy_compat gateway", gw("/static/50k.txt")),
        (6, "file_wrapper", caller(apps["file_wrapper"], environ_template("/static/50k.txt"))),
    ]


def run(tree, repeat, out=sys.stdout):
    """Measure every case; print a table to ``out`` and return the results as a dict."""
    results = []
    for number, label, call in build_cases(tree):
        median, best = measure(call, repeat)
        results.append({"scenario": number, "label": label, "median_us": median, "best_us": best})
        print("  %d  %-46s %8.1f us  (best %.1f)" % (number, label, median, best), file=out)
        out.flush()
    by = {(r["scenario"], r["label"]): r["median_us"] for r in results}
    overhead = by[(1, "modpy_compat gateway")] - by[(1, "bare WebOb")]
    print("  gateway overhead over bare WebOb (scenario 1): %.1f us per request" % overhead,
          file=out)
    return {"repeat": repeat, "cases": results, "overhead_us": overhead}


def profile(tree, scenario, requests, sort, limit=35):
    cases = [c for c in build_cases(tree) if c[0] == scenario and c[1] == "modpy_compat gateway"]
    call = cases[0][2]
    for _ in range(200):
        call()
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(requests):
        call()
    profiler.disable()
    stats = pstats.Stats(profiler)
    total = stats.total_tt
    print("scenario %d through the gateway: %d requests, %.1f us per request under cProfile"
          % (scenario, requests, total / requests * 1e6))
    stats.sort_stats(sort).print_stats(limit)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats")
    parser.add_argument("--repeat", type=int, help="timed loops per case (default 7, quick 5)")
    parser.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    parser.add_argument("--workdir", metavar="DIR", help="build the site here (default: a temporary directory)")
    parser.add_argument("--profile", type=int, metavar="SCENARIO", help="profile one scenario instead")
    parser.add_argument("--requests", type=int, default=20000, help="requests to profile (default 20000)")
    parser.add_argument("--sort", default="tottime", help="pstats sort key (default tottime)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="modpy-micro-") as tmp:
        tree = sitetree.build(args.workdir or tmp)
        if args.profile:
            profile(tree, args.profile, args.requests, args.sort)
            return 0
        repeat = args.repeat or (QUICK_REPEAT if args.quick else DEFAULT_REPEAT)
        print("In-process, microseconds per request (median of %d loops):" % repeat)
        result = run(tree, repeat)
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(result, fh, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
