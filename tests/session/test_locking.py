"""Session locks: one request at a time per session, across threads, processes and machines.

Concurrency through real servers and killed processes is in
tests/integration/test_sessions_multiprocess.py; here are the in-process
threads case and the lock tables themselves.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time

import pytest
from webob import Request

from modpy_compat.session.base import FileLocks
from modpy_compat.session.redis import RedisClient, RedisLocks

COUNTER_SITE = """
    DocumentRoot htdocs
    <Directory htdocs>
        SetHandler mod_python
        PythonHandler counter
        PythonOption mod_python.session.session_type MemorySession
    </Directory>
"""

COUNTER = '''
    from mod_python import apache, Session

    def handler(req):
        s = Session.Session(req)
        if req.args == "inc":
            s["n"] = s.get("n", 0) + 1
        else:
            s.setdefault("n", 0)
        s.save()
        req.content_type = "text/plain"
        req.write(str(s["n"]))
        return apache.OK
'''


def call(app, path, cookie=None):
    """One in-process WSGI request; reading the body closes it, which ends the request."""
    response = Request.blank(path, headers={"Cookie": cookie} if cookie else {},
                             environ={"wsgi.multithread": True}).get_response(app)
    return response.status_int, response.headers, response.text


def test_memory_session_counter_is_exact_across_8_threads(make_site):
    app = make_site(COUNTER_SITE, {"htdocs/counter.py": COUNTER}).app
    _, headers, _ = call(app, "/")
    cookie = headers["Set-Cookie"].split(";")[0]
    errors = []

    def client():
        for _ in range(50):
            status, headers, _ = call(app, "/?inc", cookie)
            if status != 200 or "Set-Cookie" in headers:
                errors.append(status)

    threads = [threading.Thread(target=client) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert call(app, "/", cookie)[2] == "400"


HOLDER = """
import sys, time
from modpy_compat.session.base import FileLocks
locks = FileLocks(sys.argv[1])
locks.acquire(sys.argv[2])
print("locked", flush=True)
time.sleep(60)
"""


def test_file_lock_excludes_another_process_and_dies_with_it(tmp_path):
    path = str(tmp_path / "store.mutex")
    key = "0123456789abcdef0123456789abcdef"
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, path, key], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline() == "locked\n"
        locks = FileLocks(path)
        acquired = threading.Event()
        waiter = threading.Thread(target=lambda: (locks.acquire(key), acquired.set()), daemon=True)
        waiter.start()
        assert not acquired.wait(0.3)             # the other process holds it
        locks.acquire("f" * 32)                   # other sessions are free meanwhile
        locks.release("f" * 32)
        killed = time.time()
        os.kill(holder.pid, signal.SIGKILL)
        assert acquired.wait(5)
        assert time.time() - killed < 1           # the kernel dropped the dead process's lock
        locks.release(key)
    finally:
        holder.kill()
        holder.wait()


def test_file_lock_excludes_threads_of_one_process(tmp_path):
    locks = FileLocks(str(tmp_path / "store.mutex"))
    order = []
    locks.acquire("k")

    def second():
        locks.acquire("k")
        order.append("second")
        locks.release("k")
    thread = threading.Thread(target=second)
    thread.start()
    time.sleep(0.1)
    order.append("first")
    locks.release("k")
    thread.join(5)
    assert order == ["first", "second"]


def test_redis_lock_lapses_after_its_timeout(redis_server):
    client = RedisClient(redis_server.url)
    dead = RedisLocks(client, "lapse:", 0.3)
    dead.acquire("s1")                  # never released: its process "died"
    alive = RedisLocks(RedisClient(redis_server.url), "lapse:", 0.3)
    start = time.time()
    alive.acquire("s1")
    assert 0.2 < time.time() - start < 1.5
    alive.release("s1")


def test_redis_lock_release_only_removes_its_own_token(redis_server, caplog):
    first = RedisLocks(RedisClient(redis_server.url), "own:", 0.2)
    second = RedisLocks(RedisClient(redis_server.url), "own:", 5)
    first.acquire("s2")
    time.sleep(0.3)                     # first's lock lapses while "its request" still runs
    second.acquire("s2")
    first.release("s2")                 # must not free second's lock
    assert "lapsed before its release" in caplog.text
    assert redis_server.command("EXISTS", "own:lock:s2") == b":1\r\n"
    second.release("s2")
    assert redis_server.command("EXISTS", "own:lock:s2") == b":0\r\n"


def test_redis_client_reconnects_after_the_server_drops_idle_connections(redis_server):
    client = RedisClient(redis_server.url)
    assert client.execute("SET", "rc:k", b"v") == "OK"
    redis_server.command("CLIENT", "KILL", "TYPE", "normal")
    assert client.execute("GET", "rc:k") == b"v"


@pytest.mark.parametrize("url, message", [
    ("http://127.0.0.1/", "not a Redis URL"),
    ("redis:///0", "without a host"),
    ("redis://127.0.0.1/x", "bad database number"),
])
def test_bad_redis_urls_are_refused(url, message):
    from modpy_compat.session.base import SessionError
    with pytest.raises(SessionError, match=message):
        RedisClient(url)
