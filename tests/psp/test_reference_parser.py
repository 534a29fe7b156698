"""Our generated programs are the real mod_python lexer's, byte for byte.

Debian's ``libapache2-mod-python`` ships mod_python's C lexer as
``mod_python._psp`` for the system Python (``/usr/bin/python3``); it imports
outside Apache.  Every case of tests/psp/cases.py and a few hundred random
pages are parsed by it (in a subprocess: its scanner echoes dropped
characters to stdout and aborts the process on some inputs, which the
pages given here avoid) and by :mod:`modpy_compat.psp.codegen`.
"""
from __future__ import annotations

import json
import os
import subprocess
import tempfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from modpy_compat.psp import codegen
from modpy_compat.psp.errors import PSPError
from tests.conftest import require
from tests.psp.cases import CASES, INCLUDE_CASES
from tests.psp.strategies import site_files

SYSTEM_PYTHON = "/usr/bin/python3"

# Runs under the system Python: parse each case's main.psp with the real lexer.
ORACLE = r'''
import json, os, sys, tempfile
from mod_python import _psp
results = []
for files in json.load(sys.stdin):
    with tempfile.TemporaryDirectory() as d:
        for name, text in files.items():
            path = os.path.join(d, name)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as fh:
                fh.write(text.encode("utf-8"))
        try:
            results.append(["ok", _psp.parse("main.psp", d + "/")])
        except Exception as exc:
            results.append(["error", type(exc).__name__])
with open(sys.argv[1], "w") as out:
    json.dump(results, out)
'''


def _real_lexer_available():
    if not os.path.exists(SYSTEM_PYTHON):
        return False
    probe = subprocess.run([SYSTEM_PYTHON, "-c", "from mod_python import _psp"], capture_output=True)
    return probe.returncode == 0


@pytest.fixture(scope="module")
def real_parse():
    require(_real_lexer_available(), "Debian's mod_python._psp (libapache2-mod-python, for /usr/bin/python3)")

    def parse(sites):
        with tempfile.TemporaryDirectory() as work:
            out = os.path.join(work, "out.json")
            done = subprocess.run([SYSTEM_PYTHON, "-c", ORACLE, out], input=json.dumps(sites),
                                  capture_output=True, text=True, timeout=120, cwd=work)
            assert done.returncode == 0, done.stderr
            with open(out) as fh:
                return json.load(fh)
    return parse


def _ours(files):
    with tempfile.TemporaryDirectory() as root:
        for name, text in files.items():
            path = os.path.join(root, name)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8", newline="") as fh:
                fh.write(text)
        try:
            return ["ok", codegen.generate_file(root + "/main.psp", root + "/").source]
        except PSPError as exc:
            return ["error", type(exc).__name__]


ALL_CASES = [(c[0], {"main.psp": c[1]}) for c in CASES] + [(c[0], c[1]) for c in INCLUDE_CASES]


def test_worked_examples_match_the_real_lexer(real_parse):
    real = real_parse([files for _, files in ALL_CASES])
    mismatches = [(name, got, ours) for (name, files), got in zip(ALL_CASES, real)
                  for ours in [_ours(files)] if got != ours]
    assert mismatches == []


@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(site_files, min_size=100, max_size=100))
def test_random_pages_match_the_real_lexer(real_parse, sites):
    real = real_parse(sites)
    for files, got in zip(sites, real):
        assert _ours(files) == got, files
