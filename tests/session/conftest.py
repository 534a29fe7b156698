"""Fixtures for the session tests: a private Redis server, started once per test run."""
from __future__ import annotations

import pytest

from tests.conftest import require
from tests.session.support import RedisServer, redis_available


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory):
    require(redis_available(), "redis-server")
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    yield server
    server.stop()
