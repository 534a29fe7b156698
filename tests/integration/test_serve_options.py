"""``modpy-compat serve`` options as mod_wsgi-express has them: processes, reloading, aliases, logs.

Real processes on 127.0.0.1 (the ``serve`` fixture); the last tests check the
change watcher in this process.
"""
from __future__ import annotations

import http.client
import os
import signal
import sys
import textwrap
import time

import pytest

from modpy_compat.serving import ChangeWatcher

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TUTORIAL = os.path.join(ROOT, "examples", "tutorial", "site.conf")


def fetch(served, path, headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", served.port, timeout=15)
    conn.request("GET", path, headers=dict(headers or {}, Connection="close"))
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response.status, body


def write(root, files):
    for name, text in files.items():
        path = os.path.join(str(root), name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as fh:
            fh.write(textwrap.dedent(text))


def count(served, text):
    return sum(text in line for line in list(served.err))


def wait_for(predicate, timeout=15.0, what="condition"):
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for " + what)
        time.sleep(0.05)


def edit(path, text):
    """Replace ``path`` at once, as editors save, with a modification time that surely changes."""
    before = os.stat(path).st_mtime_ns
    with open(path + ".new", "w") as fh:
        fh.write(textwrap.dedent(text))
    if os.stat(path + ".new").st_mtime_ns <= before:
        os.utime(path + ".new", ns=(before + 10_000_000, before + 10_000_000))
    os.replace(path + ".new", path)


PID_SITE = {
    "site.conf": """\
        DocumentRoot htdocs
        <Directory htdocs>
            SetHandler mod_python
            PythonHandler pid
        </Directory>
    """,
    "htdocs/pid.py": """\
        import os
        from mod_python import apache
        def handler(req):
            req.content_type = "text/plain"
            forked = apache.mpm_query(apache.AP_MPMQ_IS_FORKED) == apache.AP_MPMQ_DYNAMIC
            req.write("%d %d %s" % (os.getpid(), os.getppid(), forked))
            return apache.OK
    """,
}


def _pids(served, want, tries=120):
    seen = {}
    for _ in range(tries):
        status, body = fetch(served, "/pid.py")
        assert status == 200, body
        pid, ppid, forked = body.decode().split()
        seen[int(pid)] = (int(ppid), forked)
        if len(seen) >= want:
            break
    return seen


@pytest.mark.integration
def test_processes_share_the_listening_socket_and_all_answer(serve, tmp_path):
    write(tmp_path, PID_SITE)
    served = serve("--config", str(tmp_path / "site.conf"), "--processes", "3", "--threads", "2")
    assert "  processes:     3\n" in served.banner
    seen = _pids(served, 3)
    assert len(seen) == 3
    # Every answer came from a worker the server forked, and says so to mpm_query.
    assert set(seen.values()) == {(served.proc.pid, "True")}
    code, out, err = served.stop()
    assert code == 0, err
    assert out.endswith("modpy_compat stopped\n")
    for pid in seen:
        wait_for(lambda: not _alive(pid), 5, "worker %d to go" % pid)


def _alive(pid):
    try:
        with open("/proc/%d/stat" % pid) as fh:
            return fh.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.integration
def test_a_worker_that_dies_is_replaced(serve, tmp_path):
    write(tmp_path, PID_SITE)
    served = serve("--config", str(tmp_path / "site.conf"), "--processes", "2")
    first = _pids(served, 2)
    victim = sorted(first)[0]
    os.kill(victim, signal.SIGKILL)
    wait_for(lambda: count(served, "(pid %d) exited with status -9" % victim), 10,
             "the supervisor to notice")
    wait_for(lambda: count(served, ") ready"), 10, "the new worker")
    later = _pids(served, 2)
    assert victim not in later and len(later) == 2


@pytest.mark.integration
def test_workers_stop_when_the_supervisor_is_killed(serve, tmp_path):
    write(tmp_path, PID_SITE)
    served = serve("--config", str(tmp_path / "site.conf"), "--processes", "2")
    workers = _pids(served, 2)
    served.proc.kill()
    for pid in workers:
        wait_for(lambda: not _alive(pid), 10, "orphaned worker %d to stop" % pid)


RELOAD_SITE = {
    "site.conf": """\
        DocumentRoot htdocs
        PythonAutoReload Off
        <Directory htdocs>
            SetHandler mod_python
            PythonHandler page
            PythonOption greeting hello
        </Directory>
    """,
    "htdocs/page.py": """\
        import helper
        from mod_python import apache
        def handler(req):
            req.content_type = "text/plain"
            req.write("%s %s %s" % ("v1", helper.WORD, req.get_options()["greeting"]))
            return apache.OK
    """,
    "htdocs/helper.py": 'WORD = "one"\n',
}


@pytest.mark.integration
def test_reload_on_changes_restarts_after_a_module_or_the_configuration_changes(serve, tmp_path):
    write(tmp_path, RELOAD_SITE)
    served = serve("--config", str(tmp_path / "site.conf"), "--reload-on-changes")
    assert any(line.startswith("  reload:") for line in served.banner)
    assert fetch(served, "/x") == (200, b"v1 one hello")
    # A handler module (PythonAutoReload Off: only a restart picks it up), a module it
    # imports, the configuration: each edit restarts the worker, and the next response changes.
    edits = [
        ("htdocs/page.py", RELOAD_SITE["htdocs/page.py"].replace('"v1"', '"v2"'), b"v2 one hello"),
        ("htdocs/helper.py", 'WORD = "two"\n', b"v2 two hello"),
        ("site.conf", RELOAD_SITE["site.conf"].replace("greeting hello", "greeting bonjour"),
         b"v2 two bonjour"),
    ]
    for name, text, expected in edits:
        restarts = count(served, "ready, watching")
        edit(str(tmp_path / name), text)
        wait_for(lambda: count(served, "ready, watching") > restarts, 15, "a restart after " + name)
        assert fetch(served, "/x") == (200, expected), name
    assert count(served, "%s changed: worker 0" % (tmp_path / "htdocs" / "helper.py")) == 1


@pytest.mark.integration
def test_reload_after_a_broken_edit_answers_500_until_fixed(serve, tmp_path):
    write(tmp_path, RELOAD_SITE)
    served = serve("--config", str(tmp_path / "site.conf"), "--reload-on-changes")
    assert fetch(served, "/x")[0] == 200
    edit(str(tmp_path / "htdocs" / "helper.py"), "WORD = \n")
    wait_for(lambda: count(served, "cannot start"), 15, "the broken restart")
    status, body = fetch(served, "/x")
    assert status == 500
    assert b"SyntaxError" in body and b"helper.py" in body
    restarts = count(served, "ready, watching")
    edit(str(tmp_path / "htdocs" / "helper.py"), 'WORD = "fixed"\n')
    wait_for(lambda: count(served, "ready, watching") > restarts, 15, "the repaired restart")
    assert fetch(served, "/x") == (200, b"v1 fixed hello")


@pytest.mark.integration
def test_url_alias_comes_before_the_configuration_aliases(serve, tmp_path):
    write(tmp_path, {
        "site.conf": "DocumentRoot htdocs\nAlias /static conf-static\n",
        "htdocs/index.html": "root\n",
        "conf-static/a.txt": "from the configuration\n",
        "cli-static/a.txt": "from the command line\n",
        "one.txt": "a single file\n",
    })
    served = serve("--config", str(tmp_path / "site.conf"), "--url-alias", "/static", "cli-static",
                   "--url-alias", "/one.txt", "one.txt", cwd=str(tmp_path))
    assert "  url alias:     /static -> %s\n" % (tmp_path / "cli-static") in served.banner
    assert fetch(served, "/static/a.txt") == (200, b"from the command line\n")
    assert fetch(served, "/one.txt") == (200, b"a single file\n")
    assert fetch(served, "/index.html") == (200, b"root\n")


@pytest.mark.integration
def test_mount_point_hands_the_full_path_to_the_site(serve, tmp_path):
    write(tmp_path, {
        "site.conf": """\
            DocumentRoot htdocs
            Redirect /sub/old http://elsewhere.example/new
            <Location /sub/closed>
                Require all denied
            </Location>
        """,
        "htdocs/a.txt": "text\n",
    })
    served = serve("--config", str(tmp_path / "site.conf"), "--mount-point", "/sub/")
    assert served.banner[0].endswith(":%d/sub/\n" % served.port)
    assert fetch(served, "/sub/closed/x")[0] == 403
    conn = http.client.HTTPConnection("127.0.0.1", served.port, timeout=15)
    conn.request("GET", "/sub/old/y")
    response = conn.getresponse()
    response.read()
    conn.close()
    assert (response.status, response.getheader("Location")) == (302, "http://elsewhere.example/new/y")


@pytest.mark.integration
def test_access_and_error_logs_go_to_files_shared_by_the_workers(serve, tmp_path):
    write(tmp_path, {
        "site.conf": """\
            DocumentRoot htdocs
            <Directory htdocs>
                SetHandler mod_python
                PythonHandler page
            </Directory>
        """,
        "htdocs/page.py": """\
            from mod_python import apache
            def handler(req):
                req.log_error("an info note", apache.APLOG_INFO)
                req.log_error("a warning note", apache.APLOG_WARNING)
                if req.uri == "/boom":
                    raise ValueError("boom")
                req.content_type = "text/plain"
                req.write("ok")
                return apache.OK
        """,
    })
    (tmp_path / "logs").mkdir()
    served = serve("--config", "site.conf", "--processes", "2", "--access-log", "logs/access.log",
                   "--error-log", "error.log", "--log-level", "warning", cwd=str(tmp_path))
    banner = "".join(served.banner)
    assert "  log level:     warning\n" in banner
    assert served.banner[-1] == "  errors:        %s; access log: %s\n" % (
        tmp_path / "error.log", tmp_path / "logs" / "access.log")
    for _ in range(6):
        assert fetch(served, "/ok") == (200, b"ok")
    assert fetch(served, "/boom")[0] == 500
    code, out, err = served.stop()
    assert code == 0
    access = (tmp_path / "logs" / "access.log").read_text().splitlines()
    assert len(access) == 7 and all(line.startswith("127.0.0.1 - - [") for line in access)
    assert sum('"GET /ok HTTP/1.1" 200 2 ' in line for line in access) == 6
    assert "GET /ok" not in out
    errors = (tmp_path / "error.log").read_text()
    assert "ValueError: boom" in errors and "a warning note" in errors
    assert "an info note" not in errors


@pytest.mark.integration
def test_relative_paths_resolve_against_the_configuration_not_the_working_directory(serve, tmp_path):
    write(tmp_path / "site", {
        "site.conf": """\
            ServerName example.test
            DocumentRoot htdocs
            Alias /files shared/files
            Include conf.d/*.conf
        """,
        "conf.d/app.conf": """\
            <Directory htdocs/app>
                SetHandler mod_python
                PythonHandler where
            </Directory>
        """,
        "htdocs/app/where.py": """\
            import os
            from mod_python import apache
            def handler(req):
                req.content_type = "text/plain"
                req.write(req.filename)
                return apache.OK
        """,
        "shared/files/f.txt": "file\n",
    })
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    served = serve("--config", os.path.join("..", "site", "site.conf"), cwd=str(elsewhere))
    where = tmp_path / "site" / "htdocs" / "app" / "where.py"
    assert fetch(served, "/app/where.py") == (200, str(where).encode())
    assert fetch(served, "/files/f.txt") == (200, b"file\n")


@pytest.mark.integration
def test_serve_help_lists_the_mod_wsgi_express_options():
    import subprocess
    result = subprocess.run([sys.executable, "-m", "modpy_compat", "serve", "--help"],
                            capture_output=True, text=True, timeout=30)
    for option in ("--document-root", "--url-alias URL PATH", "--mount-point", "--processes",
                   "--threads", "--reload-on-changes", "--access-log", "--error-log", "--log-level",
                   "--debug"):
        assert option in result.stdout


# -- the change watcher, in this process ------------------------------------------------

def test_change_watcher_watches_configuration_includes_pages_and_site_modules(tmp_path, monkeypatch):
    from modpy_compat.config.site import load_config
    write(tmp_path, {
        "site.conf": "DocumentRoot htdocs\nInclude extra.conf\n",
        "extra.conf": "Alias /more more\n",
        "htdocs/page.psp": "<%= 1 %>\n",
        "more/other.psp": "<%= 2 %>\n",
        "lib/sitemodule.py": "X = 1\n",
    })
    monkeypatch.syspath_prepend(str(tmp_path / "lib"))
    import sitemodule  # noqa: F401 - a module of the site, loaded as a handler would load it
    try:
        site = load_config(str(tmp_path / "site.conf"))
        watcher = ChangeWatcher(str(tmp_path / "site.conf"), site)
        files = watcher.files()
        for name in ("site.conf", "extra.conf", "htdocs/page.psp", "more/other.psp", "lib/sitemodule.py"):
            assert str(tmp_path / name) in files, name
        assert os.__file__ not in files and http.client.__file__ not in files
        assert watcher.changed() is None
        edit(str(tmp_path / "extra.conf"), "Alias /more other\n")
        assert watcher.changed() == str(tmp_path / "extra.conf")
    finally:
        sys.modules.pop("sitemodule", None)


def test_change_watcher_calls_back_once_from_its_thread(tmp_path):
    path = tmp_path / "site.conf"
    path.write_text("DocumentRoot .\n")
    watcher = ChangeWatcher(str(path))
    calls = []
    watcher.start(calls.append, interval=0.02)
    try:
        edit(str(path), "DocumentRoot htdocs\n")
        wait_for(lambda: calls, 5, "the callback")
        edit(str(path), "DocumentRoot other\n")
        time.sleep(0.1)
        assert calls == [str(path)]
    finally:
        watcher.stop()
