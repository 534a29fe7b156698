"""Shared sessions under real load: waitress threads, two server processes, a killed process.

Two ``modpy-compat serve`` processes run the same configuration, whose
FileSession, DbmSession and RedisSession directories share one store each
(the CLI has no ``--processes`` yet; two independent servers stand in for a
multi-process server, or for two machines sharing Redis).  A session counter
incremented 400 times from 8 client threads must end at exactly 400, and a
process killed while it holds a session lock must leave the session readable
and its lock free within the lock's timeout.
"""
from __future__ import annotations

import os
import signal
import threading
import time

import pytest

from tests.conftest import require, write_files
from tests.integration.conftest import Served
from tests.session.support import Browser, RedisServer, redis_available

pytestmark = pytest.mark.integration

BACKENDS = ["FileSession", "DbmSession", "RedisSession"]
REDIS_LOCK_TIMEOUT = 2.0

SECTION = """
Alias /{name} "{root}/{name}"
<Directory "{root}/{name}">
    SetHandler mod_python
    PythonHandler shared_counter
    PythonOption mod_python.session.session_type {backend}
    PythonOption mod_python.session.database_directory "{root}/store"
    PythonOption mod_python.session.redis_url {redis_url}
    PythonOption mod_python.session.redis_lock_timeout {lock_timeout}
    PythonOption marker_directory "{root}/markers"
</Directory>
"""

COUNTER = '''
    """Counts requests in the session; ``?hold`` saves, then keeps the session locked."""
    import os
    import time

    from mod_python import apache, Session

    def handler(req):
        s = Session.Session(req)
        if req.args in ("inc", "hold"):
            s["n"] = s.get("n", 0) + 1
        s.save()
        if req.args == "hold":
            marker = os.path.join(req.get_options()["marker_directory"], s.id())
            with open(marker, "w") as fh:
                fh.write(str(os.getpid()))
            time.sleep(60)
        req.content_type = "text/plain"
        req.write("n=%d new=%d pid=%d" % (s.get("n", 0), s.is_new(), os.getpid()))
        return apache.OK
'''


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The configuration file, and the Redis server (None when redis-server is missing)."""
    root = tmp_path_factory.mktemp("shared_sessions")
    redis = RedisServer(root) if redis_available() else None
    sections = []
    for backend in BACKENDS:
        name = backend.lower()
        write_files(root, {"%s/shared_counter.py" % name: COUNTER})
        sections.append(SECTION.format(name=name, root=root, backend=backend, lock_timeout=REDIS_LOCK_TIMEOUT,
                                       redis_url=redis.url if redis else "redis://127.0.0.1:1/0"))
    os.makedirs(root / "markers")
    conf = root / "site.conf"
    conf.write_text('DocumentRoot "%s"\n' % root + "".join(sections))
    yield str(conf), root, redis
    if redis:
        redis.stop()


@pytest.fixture(scope="module")
def servers(site):
    """Two server processes sharing every store."""
    started = [Served(["--config", site[0]]) for _ in range(2)]
    yield started
    for served in started:
        served.stop()


@pytest.fixture(params=BACKENDS)
def backend(request, site):
    if request.param == "RedisSession":
        require(site[2] is not None, "redis-server")
    return request.param


def count_400(backend, ports):
    """Start a session, increment it 50 times from each of 8 threads; return its final count."""
    path = "/%s/" % backend.lower()
    starter = Browser(ports[0])
    assert starter.get(path)[1].startswith("n=0 new=1")
    errors = []

    def client(port):
        browser = Browser(port, starter.cookie)
        try:
            for _ in range(50):
                status, body = browser.get(path + "?inc")
                if status != 200 or "new=0" not in body:
                    errors.append((status, body))
        finally:
            browser.close()

    threads = [threading.Thread(target=client, args=(ports[i % len(ports)],)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert errors == []
    status, body = starter.get(path)
    starter.close()
    return int(body.split()[0].split("=")[1])


def test_counter_is_exact_with_8_threads_in_one_process(backend, servers):
    assert count_400(backend, [servers[0].port]) == 400


def test_counter_is_exact_across_two_processes(backend, servers):
    assert count_400(backend, [s.port for s in servers]) == 400


def test_killed_lock_holder_leaves_the_session_readable_and_the_lock_free(backend, site, servers):
    conf, root, _redis = site
    path = "/%s/" % backend.lower()
    survivor = Browser(servers[0].port)
    assert survivor.get(path + "?inc")[1].startswith("n=1 new=1")
    victim = Served(["--config", conf])
    try:
        held = Browser(victim.port, survivor.cookie)
        holder = threading.Thread(target=_ignore_errors, args=(held.get, path + "?hold"), daemon=True)
        holder.start()
        sid = survivor.cookie.split("=", 1)[1]
        marker = root / "markers" / sid
        deadline = time.time() + 10
        while not marker.exists() and time.time() < deadline:
            time.sleep(0.02)
        assert marker.read_text() == str(victim.proc.pid)
        os.kill(victim.proc.pid, signal.SIGKILL)
        killed = time.time()
        status, body = survivor.get(path + "?inc")
        waited = time.time() - killed
    finally:
        victim.stop()
    assert status == 200
    assert body.startswith("n=3 new=0")        # the killed request's save survived
    limit = REDIS_LOCK_TIMEOUT + 1 if backend == "RedisSession" else 1
    assert waited < limit
    survivor.close()


def _ignore_errors(function, *args):
    try:
        function(*args)
    except OSError:
        pass            # the server was killed under this request


def test_two_processes_share_new_sessions(backend, servers):
    first = Browser(servers[0].port)
    assert first.get("/%s/?inc" % backend.lower())[1].startswith("n=1 new=1")
    other = Browser(servers[1].port, first.cookie)
    body = other.get("/%s/?inc" % backend.lower())[1]
    assert body.startswith("n=2 new=0") and "pid=%d" % servers[1].proc.pid in body
    first.close()
    other.close()
