"""BaseSession and the Session() factory: ids, options, the session cookie, the class chosen."""
from __future__ import annotations

import re

import pytest

from modpy_compat.session import SessionError, make_session, session_class
from modpy_compat.session.base import BaseSession, _check_sid, _new_sid, true_or_false
from modpy_compat.session.dbm import DbmSession
from modpy_compat.session.file import FileSession
from modpy_compat.session.memory import MemorySession
from modpy_compat.session.redis import RedisSession
from modpy_compat.table import table


@pytest.mark.parametrize("sid, valid", [
    ("0123456789abcdef0123456789abcdef", True),
    ("0123456789ABCDEF0123456789ABCDEF", False),
    ("0123456789abcdef0123456789abcde", False),
    ("0123456789abcdef0123456789abcdef0", False),
    ("0123456789abcdef0123456789abcdef\n", False),
    ("../../../../etc/passwd", False),
    ("", False),
    (None, False),
])
def test_check_sid_accepts_32_lower_case_hex_digits_only(sid, valid):
    assert _check_sid(sid) is valid


def test_new_sids_are_valid_and_distinct():
    sids = {_new_sid(None) for _ in range(1000)}
    assert len(sids) == 1000 and all(_check_sid(s) for s in sids)


@pytest.mark.parametrize("value, result", [
    ("yes", True), ("TRUE", True), ("1", True), (1, True), (True, True),
    ("No", False), ("false", False), ("0", False), (0, False), (None, False), (False, False),
])
def test_true_or_false(value, result):
    assert true_or_false(value) is result


def test_true_or_false_refuses_anything_else():
    with pytest.raises(SessionError):
        true_or_false("maybe")


THREADS_ONE_PROCESS = (True, False, 8, 1)       # waitress
PREFORK = (False, True, 1, 16)
WORKER_ONE_DAEMON = (True, True, 25, 1)
WORKER = (True, True, 25, 4)


@pytest.mark.parametrize("options, mpm, cls", [
    ({}, THREADS_ONE_PROCESS, MemorySession),
    ({}, WORKER_ONE_DAEMON, MemorySession),
    ({}, PREFORK, DbmSession),
    ({}, WORKER, DbmSession),
    ({"mod_python.session.session_type": "FileSession"}, THREADS_ONE_PROCESS, FileSession),
    ({"session": "DbmSession"}, THREADS_ONE_PROCESS, DbmSession),
    ({"mod_python.session.session_type": "MemorySession", "session": "FileSession"}, PREFORK, MemorySession),
    ({"mod_python.session.session_type": "RedisSession"}, PREFORK, RedisSession),
    ({"mod_python.session.session_type": "Redis"}, PREFORK, RedisSession),
], ids=["waitress", "worker-1-daemon", "prefork", "worker", "option", "legacy-option", "option-wins",
        "redis", "redis-short"])
def test_session_class_follows_options_then_the_server_model(options, mpm, cls):
    assert session_class(table(options), mpm) is cls


def test_unknown_session_type_is_an_error():
    with pytest.raises(SessionError, match="Unknown session type filesession"):
        session_class(table({"mod_python.session.session_type": "filesession"}))


# -- a request without a server, for what needs no HTTP -------------------------------

class FakeRequest:
    uri = "/app/page"

    def __init__(self, cookie=None, options=None):
        self.headers_in = table({"Cookie": cookie} if cookie else {})
        self.headers_out = table()
        self.options = table(options or {})
        self.cleanups = []
        self.hlist = None

    def get_options(self):
        return self.options

    def register_cleanup(self, callable_, data=None):
        self.cleanups.append((callable_, data))

    def document_root(self):
        return "/srv/www"

    def log_error(self, message, level=3):
        pass

    def finish(self):
        for callable_, data in reversed(self.cleanups):
            callable_(data)
        self.cleanups = []


class RecordingSession(BaseSession):
    """A BaseSession subclass with a dict store that records every access."""

    store = {}
    calls = []

    def lock_table(self):
        return MemorySession._locks

    def do_load(self):
        self.calls.append(("load", self._sid))
        return self.store.get(self._sid)

    def do_save(self, record):
        self.calls.append(("save", self._sid))
        self.store[self._sid] = record

    def do_delete(self):
        self.calls.append(("delete", self._sid))
        self.store.pop(self._sid, None)


@pytest.fixture(autouse=True)
def _fresh_recording_store():
    RecordingSession.store.clear()
    del RecordingSession.calls[:]


@pytest.mark.parametrize("value", ["../../etc/passwd", "deadbeef", "X" * 32])
def test_an_illegal_cookie_id_never_reaches_the_store(value):
    req = FakeRequest(cookie="pysid=" + value)
    s = RecordingSession(req)
    assert s.is_new() and s.id() != value
    assert RecordingSession.calls == []
    req.finish()


def test_a_well_formed_unknown_id_is_looked_up_once_then_replaced():
    req = FakeRequest(cookie="pysid=" + "a" * 32)
    s = RecordingSession(req)
    assert RecordingSession.calls == [("load", "a" * 32)]
    assert s.is_new() and s.id() != "a" * 32
    req.finish()


def test_the_lock_is_held_until_the_request_cleanup():
    req = FakeRequest()
    s = RecordingSession(req)
    assert s._locked
    assert [c for c, _ in req.cleanups] and MemorySession._locks._entries
    req.finish()
    assert not s._locked and s.id() not in MemorySession._locks._entries


def test_locking_a_session_twice_in_one_request_is_an_error_not_a_hang():
    req = FakeRequest()
    s = RecordingSession(req)
    s.save()
    with pytest.raises(SessionError, match="already locked by this request"):
        RecordingSession(req, sid=s.id())
    req.finish()
    again = FakeRequest()
    assert not RecordingSession(again, sid=s.id()).is_new()
    again.finish()


def test_lock_0_takes_no_lock():
    req = FakeRequest()
    s = RecordingSession(req, lock=0)
    assert not s._locked and req.cleanups == []
    s.save()
    other = FakeRequest()
    assert not RecordingSession(other, sid=s.id(), lock=0).is_new()


def test_save_after_invalidate_stores_nothing():
    req = FakeRequest()
    s = RecordingSession(req)
    s["x"] = 1
    s.save()
    s.invalidate()
    s.save()
    assert s.id() not in RecordingSession.store and dict(s) == {}
    assert req.headers_out["Set-Cookie"][-1].endswith("; expires=Thu, 01-Jan-1970 00:00:00 GMT")
    req.finish()


# -- the session cookie, from PythonOptions (directives.md §3.1) ------------------------

SITE = """
    DocumentRoot htdocs
    <Directory htdocs/app>
        SetHandler mod_python
        PythonHandler cookie_options_probe
        PythonOption mod_python.session.session_type MemorySession
        {options}
    </Directory>
    <Location /loc>
        SetHandler mod_python
        PythonPath "sys.path + ['htdocs/app']"
        PythonHandler cookie_options_probe
        PythonOption mod_python.session.session_type MemorySession
    </Location>
"""

PROBE = '''
    from mod_python import apache, Session

    def handler(req):
        s = Session.Session(req)
        s["seen"] = s.get("seen", 0) + 1
        s.save()
        req.content_type = "text/plain"
        req.write("new=%d id=%s seen=%d" % (s.is_new(), s.id(), s["seen"]))
        return apache.OK
'''


@pytest.mark.parametrize("options, expected", [
    ("", "pysid=ID; path=/app/"),
    ("PythonOption mod_python.session.cookie_name shop_sid", "shop_sid=ID; path=/app/"),
    ("PythonOption session_cookie_name legacy_sid", "legacy_sid=ID; path=/app/"),
    ("PythonOption mod_python.session.cookie_name new_sid\nPythonOption session_cookie_name old_sid",
     "new_sid=ID; path=/app/"),
    ("PythonOption mod_python.session.application_path /shop", "pysid=ID; path=/shop"),
    ("PythonOption ApplicationPath /legacy", "pysid=ID; path=/legacy"),
    ("PythonOption mod_python.session.application_path /new\nPythonOption ApplicationPath /old",
     "pysid=ID; path=/new"),
    ("PythonOption mod_python.session.application_domain example.org", "pysid=ID; path=/app/; domain=example.org"),
], ids=["default", "cookie_name", "session_cookie_name", "cookie_name-wins", "application_path",
        "ApplicationPath", "application_path-wins", "application_domain"])
def test_session_cookie_follows_python_options(make_site, options, expected):
    client = make_site(SITE.format(options=options), {"htdocs/app/cookie_options_probe.py": PROBE})
    response = client.get("/app/sub/page")
    sid = re.search("id=([0-9a-f]{32})", response.text).group(1)
    assert response.headers.getall("Set-Cookie") == [expected.replace("ID", sid)]
    name = expected.split("=")[0]
    client.reset()
    again = client.get("/app/", headers={"Cookie": "other=1; %s=%s" % (name, sid)})
    assert again.text == "new=0 id=%s seen=2" % sid


def test_location_handler_cookie_covers_the_site(make_site):
    client = make_site(SITE.format(options=""), {"htdocs/app/cookie_options_probe.py": PROBE})
    response = client.get("/loc/x")
    assert re.fullmatch("pysid=[0-9a-f]{32}; path=/", response.headers["Set-Cookie"])


def test_legacy_session_option_chooses_the_class(make_site, tmp_path):
    client = make_site("""
        DocumentRoot htdocs
        <Directory htdocs>
            SetHandler mod_python
            PythonHandler class_probe
            PythonOption session FileSession
            PythonOption session_directory "%s"
        </Directory>
    """ % (tmp_path / "legacy_store"), {"htdocs/class_probe.py": '''
        from mod_python import apache, Session
        def handler(req):
            s = Session.Session(req)
            s.save()
            req.content_type = "text/plain"
            req.write(type(s).__name__)
            return apache.OK
    '''})
    assert client.get("/").text == "FileSession"
    assert len(list((tmp_path / "legacy_store" / "mp_sess").glob("??/*"))) == 1


def test_without_a_session_type_waitress_gets_memory_sessions(make_site):
    client = make_site("""
        DocumentRoot htdocs
        <Directory htdocs>
            SetHandler mod_python
            PythonHandler default_probe
        </Directory>
    """, {"htdocs/default_probe.py": '''
        from mod_python import apache, Session
        def handler(req):
            req.content_type = "text/plain"
            req.write(type(Session.Session(req)).__name__)
            return apache.OK
    '''})
    response = client.get("/", extra_environ={"wsgi.multithread": True, "wsgi.multiprocess": False})
    assert response.text == "MemorySession"


def test_engine_factory_is_the_legacy_session_function():
    from mod_python import Session
    assert Session.Session is make_session


@pytest.mark.parametrize("multiprocess, expected", [(False, "MemorySession"), (True, "DbmSession")])
def test_default_session_class_follows_the_servers_process_model(make_site, tmp_path, multiprocess, expected):
    app = make_site("""
        DocumentRoot htdocs
        <Directory htdocs>
            SetHandler mod_python
            PythonHandler kind
            PythonOption mod_python.session.database_directory %s
        </Directory>
    """ % tmp_path, {"htdocs/kind.py": """
        from mod_python import apache, Session
        def handler(req):
            req.write(type(Session.Session(req)).__name__)
            return apache.OK
    """})
    r = app.get("/kind.py", extra_environ={"wsgi.multiprocess": multiprocess, "wsgi.multithread": True})
    assert r.text == expected
