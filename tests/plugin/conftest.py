"""The plugin as a user's suite uses it: the configuration chosen by overriding ``modpy_config``."""
from __future__ import annotations

import os

import pytest

from tests.conftest import require

TUTORIAL = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                        "examples", "tutorial", "site.conf")


@pytest.fixture
def modpy_config():
    return TUTORIAL


@pytest.fixture(autouse=True)
def _plugin_registered(request):
    # Autouse fixtures are set up first: without the plugin this skips (fails under CI)
    # before pytest finds no modpy_client fixture.
    require(request.config.pluginmanager.has_plugin("modpy_compat"),
            "the modpy_compat pytest plugin (its pytest11 entry point: pip install -e .)")
