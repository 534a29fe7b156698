"""Fixtures for the conformance suite: one scratch tree, one modpy_compat, one Apache per session.

``--live-reference`` (registered here, so give it with the path: ``python -m pytest
tests/conformance --live-reference``) or ``MODPY_LIVE_REFERENCE=1`` or ``CI=true`` also checks
every golden against live Apache + mod_python.
"""
from __future__ import annotations

import shutil

import pytest

from tests.conformance.cases import load_cases
from tests.conformance.report import summary_lines
from tests.conformance.runner import live_reference_default, scratch_dir
from tests.conformance.servers import CompatServer, ReferenceServer, mod_python_available
from tests.conformance.tree import Tree
from tests.conftest import require

# CaseResults of this session's modpy_compat runs, for the terminal summary.
RESULTS_KEY = pytest.StashKey[list]()


def pytest_addoption(parser):
    parser.getgroup("conformance").addoption(
        "--live-reference", action="store_true", default=False,
        help="check the conformance goldens against live Apache + mod_python "
             "(also MODPY_LIVE_REFERENCE=1; always under CI=true)")


def live_reference_wanted(config) -> bool:
    return bool(config.getoption("--live-reference", default=False)) or live_reference_default()


@pytest.fixture(scope="session")
def conformance_results(pytestconfig):
    """Where the tests leave their CaseResults for the terminal summary."""
    return pytestconfig.stash.setdefault(RESULTS_KEY, [])


@pytest.fixture(scope="session")
def conformance_tree():
    root = scratch_dir()
    try:
        yield Tree(load_cases(), root).build()
    finally:
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def compat_server(conformance_tree):
    """modpy_compat serving every case but the isolated ones (those get a server each)."""
    shared = [case for case in conformance_tree.cases if not case.isolated]
    with CompatServer(conformance_tree, shared) as server:
        yield server


@pytest.fixture(scope="session")
def reference_server(conformance_tree, pytestconfig):
    if not live_reference_wanted(pytestconfig):
        pytest.skip("goldens not re-checked against live mod_python "
                    "(--live-reference, MODPY_LIVE_REFERENCE=1 or CI=true to do it)")
    require(mod_python_available(), "Apache with mod_python")
    with ReferenceServer(conformance_tree) as server:
        yield server


def pytest_terminal_summary(terminalreporter, config):
    results = config.stash.get(RESULTS_KEY, None)
    if not results:
        return
    terminalreporter.section("conformance: modpy_compat against mod_python, per area")
    for line in summary_lines(results):
        terminalreporter.write_line(line)
