"""Every session class over HTTP: new sessions, loading, saving, invalidation, timeouts, bad ids.

One handler (``session_probe``) drives a session through its life; the same
tests run against MemorySession, FileSession, DbmSession and RedisSession
(the latter on a private redis-server).
"""
from __future__ import annotations

import hashlib
import hmac
import os
import pickle
import re
import time

import pytest

from modpy_compat.session import base as session_base
from modpy_compat.session.memory import MemorySession

BACKENDS = ["MemorySession", "FileSession", "DbmSession", "RedisSession"]

SITE = """
    DocumentRoot htdocs
    <Directory htdocs/app>
        SetHandler mod_python
        PythonHandler session_probe
        PythonOption mod_python.session.session_type {backend}
        PythonOption mod_python.session.database_directory "{store}"
        PythonOption mod_python.session.redis_url {redis_url}
        PythonOption mod_python.session.redis_prefix {prefix}
        PythonOption mod_python.file_session.cleanup_grace_period 0
    </Directory>
"""

PROBE = '''
    from mod_python import apache, Session

    def handler(req):
        args = dict(p.split("=", 1) for p in (req.args or "").split("&") if "=" in p)
        options = {}
        if "timeout" in args:
            options["timeout"] = float(args["timeout"])
        for name in ("secret", "sid"):
            if name in args:
                options[name] = args[name]
        req.content_type = "text/plain"
        try:
            s = Session.Session(req, **options)
        except ValueError as exc:
            req.write("ValueError: %s" % exc)
            return apache.OK
        op = args.get("op", "inc")
        if op == "inc":
            s["n"] = s.get("n", 0) + 1
            s.save()
        elif op == "invalidate":
            s.invalidate()
            s.save()
        elif op == "set_timeout":
            s.set_timeout(float(args["to"]))
            s.save()
        req.write("type=%s new=%d id=%s n=%s timeout=%s created=%r accessed=%r" % (
            type(s).__name__, s.is_new(), s.id(), s.get("n"), s.timeout(), s.created(), s.last_accessed()))
        return apache.OK
'''


@pytest.fixture(params=BACKENDS)
def site(request, make_site, tmp_path):
    backend = request.param
    redis_url = request.getfixturevalue("redis_server").url if backend == "RedisSession" else "redis://127.0.0.1:1/0"
    store, prefix = tmp_path / "store", "t%s:" % os.urandom(4).hex()
    client = make_site(SITE.format(backend=backend, store=store, redis_url=redis_url, prefix=prefix),
                       {"htdocs/app/session_probe.py": PROBE})
    client.backend, client.store, client.prefix = backend, store, prefix
    return client


def get(client, path, cookie=None):
    """GET ``path`` with exactly ``cookie`` (WebTest's own cookie jar is not used)."""
    client.reset()
    response = client.get(path, headers={"Cookie": cookie} if cookie else {})
    fields = dict(re.findall(r"(\w+)=(\S+)", response.text))
    return response, fields


def session_cookie(response):
    return response.headers["Set-Cookie"].split(";")[0]


def test_new_session_sends_its_cookie(site):
    response, s = get(site, "/app/")
    assert response.status == "200 OK"
    assert (s["type"], s["new"], s["n"], s["timeout"]) == (site.backend, "1", "1", "1800")
    assert re.fullmatch("[0-9a-f]{32}", s["id"])
    assert response.headers.getall("Set-Cookie") == ["pysid=%s; path=/app/" % s["id"]]
    assert response.headers["Cache-Control"] == 'no-cache="set-cookie"'


def test_next_request_with_the_cookie_loads_the_saved_session(site):
    first, s1 = get(site, "/app/")
    second, s2 = get(site, "/app/", session_cookie(first))
    assert (s2["new"], s2["id"], s2["n"]) == ("0", s1["id"], "2")
    assert "Set-Cookie" not in second.headers
    assert s2["created"] == s1["created"]
    assert float(s2["accessed"]) > float(s1["accessed"])    # last_accessed() is this request's time


def test_a_session_never_saved_is_forgotten(site):
    first, s1 = get(site, "/app/?op=peek")
    _, s2 = get(site, "/app/?op=peek", session_cookie(first))
    assert s2["new"] == "1" and s2["id"] != s1["id"]


def test_invalidate_expires_the_cookie_and_deletes_the_session(site):
    first, s1 = get(site, "/app/")
    response, s2 = get(site, "/app/?op=invalidate", session_cookie(first))
    assert response.headers.getall("Set-Cookie") == [
        "pysid=%s; path=/app/; expires=Thu, 01-Jan-1970 00:00:00 GMT" % s1["id"]]
    _, s3 = get(site, "/app/?op=peek", session_cookie(first))
    assert s3["new"] == "1" and s3["id"] != s1["id"] and s3["n"] == "None"


def test_session_times_out(site):
    # Generous enough that a loaded machine still makes the second request in time.
    first, s1 = get(site, "/app/?timeout=1.5")
    assert s1["timeout"] == "1.5"
    _, s2 = get(site, "/app/?op=peek", session_cookie(first))
    assert s2["new"] == "0" and s2["timeout"] == "1.5"
    time.sleep(1.7)
    response, s3 = get(site, "/app/", session_cookie(first))
    assert (s3["new"], s3["n"], s3["timeout"]) == ("1", "1", "1800")
    assert s3["id"] != s1["id"]


def test_set_timeout_is_kept_by_save(site):
    first, _ = get(site, "/app/?op=set_timeout&to=90")
    _, s2 = get(site, "/app/?op=peek", session_cookie(first))
    assert s2["timeout"] == "90.0"


@pytest.mark.parametrize("value", ["/path/traversal/attack/bad", "x" * 384, "0" * 31 + "G", "A" * 32],
                         ids=["traversal", "384-chars", "not-hex", "upper-case"])
def test_illegal_cookie_id_starts_a_new_session(site, value):
    response, s = get(site, "/app/", "pysid=" + value)
    assert response.status == "200 OK"
    assert s["new"] == "1" and s["id"] != value
    assert response.headers["Set-Cookie"] == "pysid=%s; path=/app/" % s["id"]
    if site.backend == "FileSession":
        assert sorted(p.name for p in (site.store / "mp_sess").glob("*/*")) == [s["id"]]


def test_explicit_illegal_sid_raises_value_error(site):
    response, _ = get(site, "/app/?sid=../../etc/passwd")
    assert response.text == "ValueError: Invalid Session ID: sid=../../etc/passwd"


def test_explicit_sid_loads_that_session(site):
    _, s1 = get(site, "/app/")
    response, s2 = get(site, "/app/?sid=" + s1["id"])
    assert (s2["new"], s2["id"], s2["n"]) == ("0", s1["id"], "2")


def test_signed_session_cookie_round_trip_and_tampering(site):
    first, s1 = get(site, "/app/?secret=k3y")
    signature = hmac.new(b"k3y", ("pysid" + s1["id"]).encode(), hashlib.md5).hexdigest()
    assert first.headers["Set-Cookie"] == "pysid=%s%s; path=/app/" % (signature, s1["id"])
    _, s2 = get(site, "/app/?secret=k3y", session_cookie(first))
    assert (s2["new"], s2["id"], s2["n"]) == ("0", s1["id"], "2")
    forged = "pysid=%s%s" % (signature, "0" * 32)
    _, s3 = get(site, "/app/?secret=k3y", forged)
    assert s3["new"] == "1" and s3["id"] not in (s1["id"], "0" * 32)
    # An unsigned cookie is not accepted when a secret is in use.
    _, s4 = get(site, "/app/?secret=k3y", "pysid=" + s1["id"])
    assert s4["new"] == "1" and s4["id"] != s1["id"]


def stored_ids(site):
    """The session ids present in the store of ``site``."""
    if site.backend == "MemorySession":
        return set(MemorySession.sdict)
    if site.backend == "FileSession":
        return {p.name for p in (site.store / "mp_sess").glob("??/*")}
    if site.backend == "DbmSession":
        import dbm
        with dbm.open(str(site.store / "mp_sess.dbm"), "r") as db:
            return {k.decode() for k in db.keys()}
    raise AssertionError(site.backend)


def test_cleanup_removes_expired_sessions(site, monkeypatch, request):
    if site.backend == "RedisSession":
        redis = request.getfixturevalue("redis_server")
        _, s = get(site, "/app/?timeout=5")
        ttl = int(redis.command("PTTL", site.prefix + s["id"]).strip(b":\r\n"))
        assert 244000 < ttl <= 245000       # Redis expires the record itself: timeout + grace
        return
    _, old = get(site, "/app/?timeout=0.2")
    _, kept = get(site, "/app/")
    time.sleep(0.4)
    assert {old["id"], kept["id"]} <= stored_ids(site)
    monkeypatch.setattr(session_base, "CLEANUP_CHANCE", 1)
    _, trigger = get(site, "/app/?timeout=0.2")
    remaining = stored_ids(site)
    assert old["id"] not in remaining
    assert {kept["id"], trigger["id"]} <= remaining


def test_file_session_layout_is_mod_pythons(make_site, tmp_path):
    client = make_site(SITE.format(backend="FileSession", store=tmp_path / "store",
                                   redis_url="redis://127.0.0.1:1/0", prefix="x:"),
                       {"htdocs/app/session_probe.py": PROBE})
    _, s = get(client, "/app/")
    sessdir = tmp_path / "store" / "mp_sess"
    assert sorted(p.name for p in sessdir.iterdir() if p.is_dir()) == ["%02x" % i for i in range(256)]
    with open(sessdir / s["id"][:2] / s["id"], "rb") as fh:
        record = pickle.load(fh)
    assert set(record) == {"_data", "_created", "_accessed", "_timeout"}
    assert record["_data"] == {"n": 1} and record["_timeout"] == 1800


def test_damaged_session_file_is_logged_and_replaced(make_site, tmp_path, caplog):
    client = make_site(SITE.format(backend="FileSession", store=tmp_path / "store",
                                   redis_url="redis://127.0.0.1:1/0", prefix="x:"),
                       {"htdocs/app/session_probe.py": PROBE})
    first, s1 = get(client, "/app/")
    (tmp_path / "store" / "mp_sess" / s1["id"][:2] / s1["id"]).write_bytes(b"\x80\x02garbage")
    response, s2 = get(client, "/app/", session_cookie(first))
    assert response.status == "200 OK" and s2["new"] == "1"
    assert "Error while loading a session" in caplog.text
