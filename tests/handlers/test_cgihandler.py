"""mod_python.cgihandler: CGI scripts run in-process, one request's streams never another's."""
from __future__ import annotations

import os
import sys
import threading
import types

import pytest
import webtest
from webob import Request

from modpy_compat import make_app

EXAMPLE = os.path.join(os.path.dirname(__file__), os.pardir, os.pardir, "examples", "cgi", "site.conf")

CONF = """
DocumentRoot htdocs
<Directory htdocs>
    AddHandler mod_python .py
    PythonHandler mod_python.cgihandler
    PythonDebug On
    %s
</Directory>
"""


@pytest.fixture(scope="module")
def example():
    return webtest.TestApp(make_app(EXAMPLE), lint=False)


def test_example_form_round_trip_redirects_to_the_thank_you_page(example):
    form = example.get("/cgi-bin/feedback.py")
    assert form.status == "200 OK"
    assert form.headers["Content-Type"] == "text/html; charset=utf-8"
    assert '<form method="post" action="feedback.py">' in form.text
    form.form["name"] = "Ann <admin>"
    form.form["message"] = "Works."
    answer = form.form.submit()
    assert answer.status == "303 See Other"
    assert answer.headers["Location"] == "thanks.py?name=Ann+%3Cadmin%3E"
    assert answer.text == "See thanks.py\n"
    thanks = answer.follow()
    assert thanks.status == "200 OK"
    assert "<p>Thank you, Ann &lt;admin&gt;. Your feedback was received.</p>" in thanks.text


def test_example_form_without_a_name_is_answered_400_with_the_form(example):
    answer = example.post("/cgi-bin/feedback.py", {"message": "anonymous & proud"}, status=400)
    assert answer.status == "400 Bad Request"
    assert answer.headers["Content-Type"] == "text/html; charset=utf-8"
    assert '<p class="error">Please give your name.</p>' in answer.text
    assert "<textarea name=\"message\">anonymous &amp; proud</textarea>" in answer.text


def test_status_and_location_headers_are_sent_as_printed(make_site):
    client = make_site(CONF % "", {
        "htdocs/moved.py": """\
            print("Status: 302 Found")
            print("Location: http://example.com/new")
            print()
            print("moved")
        """,
        "htdocs/location_only.py": """\
            print("Location: http://example.com/x")
            print()
        """,
        "htdocs/gone.py": 'import sys\n'
                          'sys.stdout.write("Status: 410 Gone\\r\\nContent-Type: text/html\\r\\n\\r\\n<p>gone</p>")\n',
    })
    moved = client.get("/moved.py")
    assert (moved.status, moved.headers["Location"], moved.text) == (
        "302 Found", "http://example.com/new", "moved\n")
    # mod_python sends a Location without a Status as printed, with 200 (checked on 3.5).
    alone = client.get("/location_only.py")
    assert (alone.status, alone.headers["Location"], alone.body) == ("200 OK", "http://example.com/x", b"")
    gone = client.get("/gone.py")
    assert (gone.status, gone.headers["Content-Type"], gone.text) == ("410 Gone", "text/html", "<p>gone</p>")


def test_script_sees_cgi_environment_its_directory_and_its_own_name(make_site):
    client = make_site(CONF % "", {"htdocs/sub/env.py": """\
        import os, sys
        print("Content-Type: text/plain")
        print()
        print(__name__, os.path.basename(os.getcwd()))
        for key in ("GATEWAY_INTERFACE", "SCRIPT_NAME", "PATH_INFO", "QUERY_STRING", "HTTP_X_A", "HOME"):
            print(key, os.environ.get(key))
        print("body", sys.stdin.read())
    """})
    cwd = os.getcwd()
    answer = client.post("/sub/env.py/p/q?x=1", "posted", headers={"X-A": "a"})
    assert answer.text.splitlines() == [
        "env sub", "GATEWAY_INTERFACE Python-CGI/1.1", "SCRIPT_NAME /sub/env.py", "PATH_INFO /p/q",
        "QUERY_STRING x=1", "HTTP_X_A a", "HOME None", "body posted"]
    # Nothing of the request stays behind in the process.
    assert os.getcwd() == cwd
    assert os.environ.get("GATEWAY_INTERFACE") is None


def test_script_modules_are_imported_afresh_and_the_script_runs_each_time(make_site):
    client = make_site(CONF % "", {
        "htdocs/count.py": """\
            import helper
            helper.hits.append(1)
            print("Content-Type: text/plain")
            print()
            print(len(helper.hits))
        """,
        "htdocs/helper.py": "hits = []\n",
    })
    assert [client.get("/count.py").text for _ in range(3)] == ["1\n"] * 3


def test_sys_exit_zero_ends_the_script_normally_and_other_codes_are_errors(make_site):
    client = make_site(CONF % "", {
        "htdocs/done.py": 'import sys\nprint("Content-Type: text/plain")\nprint()\n'
                          'print("done")\nsys.exit()\n',
        "htdocs/fail.py": 'import sys\nsys.exit(3)\n',
    })
    assert (client.get("/done.py").status, client.get("/done.py").text) == ("200 OK", "done\n")
    failed = client.get("/fail.py")
    assert failed.status == "500 Internal Server Error"
    assert "SystemExit: 3" in failed.text


def test_missing_script_is_404(make_site):
    client = make_site(CONF % "", {"htdocs/there.py": "print()\n"})
    assert client.get("/missing.py").status == "404 Not Found"


# -- two requests at once ------------------------------------------------------------------

INTERLEAVED = """\
import sys, time
import cgi_test_sync
label = %r
print("Content-Type: text/plain")
print()
for i in range(20):
    print(label, i)
    if i == 10:
        cgi_test_sync.arrive(label)
    time.sleep(0.001)
sys.stdout.write(label + " done\\n")
"""


def _sync_module(monkeypatch, barrier):
    """``cgi_test_sync``: lets the two scripts meet halfway (a module without a file stays loaded)."""
    module = types.ModuleType("cgi_test_sync")
    arrived = []

    def arrive(label):
        arrived.append(label)
        if barrier is not None:
            barrier.wait(timeout=10)
    module.arrive = arrive
    module.arrived = arrived
    monkeypatch.setitem(sys.modules, "cgi_test_sync", module)
    return module


def _concurrently(app, paths):
    answers = {}

    def fetch(path):
        answers[path] = Request.blank(path).get_response(app)
    threads = [threading.Thread(target=fetch, args=(p,)) for p in paths]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return answers


def _expected(label):
    return "".join("%s %d\n" % (label, i) for i in range(20)) + label + " done\n"


@pytest.mark.parametrize("chdir, barrier", [("On", None), ("Off", 2)], ids=["serialised", "concurrent"])
def test_two_concurrent_cgi_requests_never_mix_output(make_site, monkeypatch, capsys, chdir, barrier):
    files = {"htdocs/a.py": INTERLEAVED % "a", "htdocs/b.py": INTERLEAVED % "b"}
    client = make_site(CONF % ("PythonOption modpy_compat.cgihandler.chdir " + chdir), files)
    # With chdir Off both scripts must be running at the same time to pass the barrier;
    # with the default they take turns (the working directory is the process's).
    sync = _sync_module(monkeypatch, threading.Barrier(barrier) if barrier else None)
    # A thread that is not running a CGI script prints meanwhile: its lines must stay its own.
    stop = threading.Event()

    def chatter():
        while not stop.is_set():
            print("chatter")
            stop.wait(0.0005)
    noise = threading.Thread(target=chatter)
    noise.start()
    try:
        answers = _concurrently(client.app, ["/a.py", "/b.py"])
    finally:
        stop.set()
        noise.join()
    assert sorted(sync.arrived) == ["a", "b"]
    for label in ("a", "b"):
        response = answers["/%s.py" % label]
        assert (response.status, response.text) == ("200 OK", _expected(label))
    printed = capsys.readouterr().out
    assert set(printed.split()) == {"chatter"}
