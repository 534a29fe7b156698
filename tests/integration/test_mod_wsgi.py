"""The examples answer the same on waitress and on real Apache + mod_wsgi, at ``/`` and at ``/sub``.

Apache runs twice through ``mod_wsgi-express start-server`` (the script
``modpy-compat wsgi-script`` writes, at ``/`` and with ``--mount-point
/sub``) and once with the configuration docs/deploy-mod_wsgi.md shows
(examples/mod_wsgi/apache-site.conf: daemon mode, ``WSGIScriptAlias`` at
``/sub`` and at ``/``), each on 127.0.0.1 with its own server root in a
temporary directory.  ``modpy-compat serve`` (waitress) serves the same copy
of the examples at the same mount point; the same requests go to both and
status, Content-Type, body and Location (port normalised) are compared.

Run as root, Apache serves as an unprivileged user (www-data), and so do
mod_wsgi's daemon processes: as tests/support/apache.py does for its working
directory, the search bit (o+x) is added to the directories leading to the
Python installation and to this checkout when they lack it, then the user's
access is verified.

The first tests need no server: they pin what the gateway does with the
SCRIPT_NAME mod_wsgi passes for a mount point.
"""
from __future__ import annotations

import base64
import http.client
import os
import re
import shutil
import signal
import subprocess
import sys
import textwrap
import time

import pytest

import modpy_compat
from tests.conftest import require
from tests.support.apache import ApacheServer, _open_up, _run_user, find_apache, free_port

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EXAMPLES = os.path.join(ROOT, "examples")


# -- the gateway under a mount point (no server) ---------------------------------------------

SHOW = """\
    from mod_python import apache
    def handler(req):
        req.content_type = "text/plain"
        req.write("uri=%s\\nunparsed=%s\\nurl=%s\\nfilename=%s\\npath_info=%s\\n" % (
            req.uri, req.unparsed_uri, req.construct_url(req.uri), req.filename, req.path_info))
        return apache.OK
"""
MOUNTED_SITE = """\
    DocumentRoot htdocs
    <Directory htdocs>
        AddHandler mod_python .py
        PythonHandler show
    </Directory>
    <Location /app/private>
        Require all denied
    </Location>
    Redirect /app/old http://elsewhere.example/new
"""


def _mounted(make_site):
    return make_site(MOUNTED_SITE, {"htdocs/show.py": SHOW, "htdocs/dir/index.html": "x"})


@pytest.mark.parametrize("request_uri", [False, True], ids=["script_name+path_info", "request_uri"])
def test_mounted_location_sections_match_the_full_path(make_site, request_uri):
    client = _mounted(make_site)
    environ = {"SCRIPT_NAME": "/app"}
    if request_uri:
        environ["REQUEST_URI"] = "/app/private/x"
    assert client.get("/private/x", extra_environ=environ).status_int == 403
    # Unmounted, /private is not the protected /app/private.
    assert client.get("/private/x").status_int == 404


def test_mounted_redirect_directives_see_the_full_path(make_site):
    client = _mounted(make_site)
    response = client.get("/old/page?q=1", extra_environ={"SCRIPT_NAME": "/app"})
    assert response.status_int == 302
    assert response.headers["Location"] == "http://elsewhere.example/new/page?q=1"


def test_mounted_handler_sees_the_full_url_path(make_site):
    client = _mounted(make_site)
    response = client.get("/show.py/extra", extra_environ={"SCRIPT_NAME": "/app"})
    assert response.status_int == 200
    assert response.text == (
        "uri=/app/show.py/extra\nunparsed=/app/show.py/extra\nurl=http://localhost/app/show.py/extra\n"
        "filename=%s\npath_info=/extra\n" % (make_site.root / "htdocs" / "show.py"))


def test_mounted_directory_slash_redirect_keeps_the_mount_point(make_site):
    client = _mounted(make_site)
    response = client.get("/dir", extra_environ={"SCRIPT_NAME": "/app"})
    assert response.status_int == 301
    assert response.headers["Location"] == "http://localhost/app/dir/"
    # The mount point itself is the DocumentRoot directory.
    response = client.get("", extra_environ={"SCRIPT_NAME": "/app", "PATH_INFO": ""})
    assert (response.status_int, response.headers.get("Location")) == (301, "http://localhost/app/")


# -- real Apache + mod_wsgi ----------------------------------------------------------------

def _basic(user, password):
    return {"Authorization": "Basic " + base64.b64encode(("%s:%s" % (user, password)).encode()).decode()}


# (path below the mount point, headers): the tutorial's handlers, auth, redirects and errors.
REQUESTS = [
    ("/CustomExample/x.py", {}),
    ("/CustomExample/x.py?a=1&b=%C3%A9", {}),
    ("/CustomExample/", {}),
    ("/AuthenticateExample/", {}),
    ("/AuthenticateExample/", _basic("john", "wrong")),
    ("/AuthenticateExample/", _basic("john", "secret")),
    ("/AuthenticateExample", _basic("john", "secret")),
    ("/PublisherExample/ModPythonExample.py/publisher_example", {}),
    ("/PublisherExample/ModPythonExample.py/_hidden", {}),
    ("/PSPExample/index.psp", {}),
    ("/PSPExample/", {}),
    ("/missing.html", {}),
    ("/", {}),
]
# Answers that must be right, not merely equal on both servers.
EXPECTED = {
    "/CustomExample/x.py": (200, b"Hello from mod_python!"),
    "/AuthenticateExample/": (401, None),
    "/PublisherExample/ModPythonExample.py/publisher_example": (200, None),
    "/PSPExample/index.psp": (200, None),
}
SECURE = ("/AuthenticateExample/", _basic("john", "secret"))


def _express():
    """The mod_wsgi-express of this Python, or None."""
    try:
        import mod_wsgi  # noqa: F401
    except ImportError:
        return None
    candidate = os.path.join(os.path.dirname(sys.executable), "mod_wsgi-express")
    return candidate if os.access(candidate, os.X_OK) else shutil.which("mod_wsgi-express")


def _require_mod_wsgi():
    require(find_apache() is not None and _express() is not None,
            "Apache httpd with mod_wsgi (pip install mod_wsgi; it builds against apache2-dev)")


def _get(port, path, headers):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path, headers=dict(headers, Host="127.0.0.1:%d" % port))
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response.status, response.getheader("Content-Type"), response.getheader("Location"), body


def _normalise(port, answer):
    status, content_type, location, body = answer
    if location:
        location = location.replace(":%d" % port, ":PORT")
    body = body.replace(b":%d" % port, b":PORT").replace(b"Port %d" % port, b"Port PORT")
    # The publisher example prints the time: a second may pass between the two requests.
    body = re.sub(rb"\d\d:\d\d:\d\d", b"HH:MM:SS", body)
    return status, content_type, location, body


def _compare(mount, apache_port, waitress_port):
    """Send REQUESTS to both servers at ``mount``; return {path: answer} after asserting equality."""
    answers = {}
    for path, headers in REQUESTS:
        url = mount + path
        expected = _normalise(waitress_port, _get(waitress_port, url, headers))
        got = _normalise(apache_port, _get(apache_port, url, headers))
        assert got == expected, url
        answers.setdefault(path, expected)
        if (path, headers) == SECURE:
            answers["secure"] = expected
    return answers


def _assert_meaningful(mount, answers):
    """The tutorial really ran (both servers agreeing on 404s proves nothing)."""
    wrong = [path for path, (status, body) in EXPECTED.items()
             if answers[path][0] != status or (body is not None and answers[path][3] != body)]
    if answers["secure"][0] != 200:
        wrong.append("secure area with john/secret")
    assert not wrong, answers


def _copy_examples(workdir):
    shutil.copytree(os.path.join(EXAMPLES, "tutorial"), str(workdir / "tutorial"))
    return str(workdir / "tutorial" / "site.conf")


def _write_script(workdir, config):
    script = subprocess.run([sys.executable, "-m", "modpy_compat", "wsgi-script", "--config", config],
                            capture_output=True, text=True, timeout=60, cwd=str(workdir))
    assert script.returncode == 0, script.stderr
    path = workdir / "site.wsgi"
    path.write_text(script.stdout)
    return str(path)


def _grant_python_to(user):
    """Let ``user`` (mod_wsgi's daemon processes) reach this Python and this checkout."""
    if user is None:
        return
    import sysconfig
    targets = {sys.base_prefix, sys.prefix, ROOT, os.path.dirname(os.path.abspath(modpy_compat.__file__))}
    targets.update(p for p in sysconfig.get_paths().values() if p)
    for target in targets:
        path = os.path.abspath(target)
        while True:
            try:
                mode = os.stat(path).st_mode
            except OSError:
                break
            if not mode & 0o001:
                os.chmod(path, (mode & 0o7777) | 0o001)
            parent = os.path.dirname(path)
            if parent == path:
                break
            path = parent
    if shutil.which("runuser") is None:
        return  # cannot verify: Apache's error log will say what the daemon could not read
    probe = subprocess.run(
        ["runuser", "-u", user, "--", "env", "-i", "PATH=/usr/bin:/bin", sys.executable, "-c",
         "import modpy_compat, waitress, webob, mako"],
        capture_output=True, text=True, timeout=60)
    require(probe.returncode == 0,
            "a Python that user %s can run (%s: %s)" % (user, sys.executable, probe.stderr.strip()[-300:]))


class Express:
    """``mod_wsgi-express start-server`` for a script, on 127.0.0.1, stopped by :meth:`stop`."""

    def __init__(self, script, workdir, mount_point=None):
        self.root = os.path.join(str(workdir), "express" + (mount_point or "").replace("/", "-"))
        self.user = _run_user() if os.geteuid() == 0 else None
        for attempt in range(3):
            self.port = free_port()
            args = [_express(), "start-server", script, "--host", "127.0.0.1",
                    "--port", str(self.port), "--server-root", self.root, "--locale", "C.UTF-8",
                    "--startup-timeout", "30"]
            if mount_point:
                args += ["--mount-point", mount_point]
            if self.user:
                args += ["--user", self.user[0], "--group", self.user[1]]
            env = {k: v for k, v in os.environ.items() if k not in ("PYTHONHOME", "PYTHONPATH")}
            with open(os.path.join(str(workdir), "express.out"), "ab") as out:
                self.proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=out, stderr=out,
                                             cwd=str(workdir), env=env, start_new_session=True)
            if self._wait_ready(str(workdir)):
                return
            self.stop()
            if attempt == 2 or "Address already in use" not in self.log():
                raise RuntimeError("mod_wsgi-express did not start:\n" + self.log()[-3000:])

    def _wait_ready(self, workdir, timeout=30.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                return False
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                conn.request("GET", "/__modpy_compat_probe__")
                conn.getresponse().read()
                conn.close()
                return True
            except OSError:
                time.sleep(0.1)
        return False

    def log(self):
        texts = []
        for path in (os.path.join(self.root, "error_log"),
                     os.path.join(os.path.dirname(self.root), "express.out")):
            try:
                with open(path, errors="replace") as fh:
                    texts.append(fh.read())
            except OSError:
                pass
        return "\n".join(texts)

    def stop(self):
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
                self.proc.wait(10)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                pass
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.proc.wait()


@pytest.fixture
def express(tmp_path):
    started = []

    def start(script, mount_point=None):
        server = Express(script, tmp_path, mount_point)
        started.append(server)
        return server
    yield start
    for server in started:
        server.stop()


def _prepare(tmp_path):
    """A world-readable copy of the examples, its .wsgi script, and the daemon user's access."""
    _require_mod_wsgi()
    config = _copy_examples(tmp_path)
    script = _write_script(tmp_path, config)
    if os.geteuid() == 0:
        _open_up(str(tmp_path))
        _grant_python_to(_run_user()[0])
    return config, script


@pytest.mark.integration
@pytest.mark.parametrize("mount", ["", "/sub"], ids=["root", "sub"])
def test_examples_answer_the_same_on_mod_wsgi_express_and_waitress(tmp_path, serve, express, mount):
    config, script = _prepare(tmp_path)
    apache = express(script, mount_point=mount or None)
    served = serve("--config", config, *(["--mount-point", mount] if mount else []))
    try:
        answers = _compare(mount, apache.port, served.port)
    except AssertionError:
        print(apache.log()[-3000:])
        raise
    _assert_meaningful(mount, answers)


@pytest.mark.integration
def test_documented_apache_configuration_serves_the_root_and_a_sub_path(tmp_path, serve):
    config, script = _prepare(tmp_path)
    module_config = subprocess.run([_express(), "module-config"], capture_output=True, text=True,
                                   timeout=60).stdout
    with open(os.path.join(EXAMPLES, "mod_wsgi", "apache-site.conf")) as fh:
        site = fh.read()
    site = site.replace("/srv/venv", sys.prefix).replace("/srv/site/site.wsgi", script) \
               .replace("<Directory /srv/site>", "<Directory %s>" % tmp_path)
    # Debian's build puts daemon sockets in /var/run/apache2, which a private server may lack.
    fragment = module_config + "WSGISocketPrefix %s/wsgi\n" % (tmp_path / "apache") + site
    answers = {}
    with ApacheServer(fragment, workdir=str(tmp_path / "apache"), modules=(), mpm="event") as apache:
        for mount in ("", "/sub"):
            served = serve("--config", config, *(["--mount-point", mount] if mount else []))
            try:
                answers[mount] = _compare(mount, apache.port, served.port)
                # mod_wsgi hands the bare mount point to the application (PATH_INFO ""); waitress too.
                if mount:
                    assert _normalise(apache.port, _get(apache.port, mount, {})) == \
                        _normalise(served.port, _get(served.port, mount, {}))
            except AssertionError:
                print(apache.error_log_text()[-3000:])
                raise
    _assert_meaningful("", answers[""])
    _assert_meaningful("/sub", answers["/sub"])


def test_wsgi_script_names_the_configuration_by_absolute_path(tmp_path):
    (tmp_path / "site.conf").write_text("DocumentRoot .\n")
    result = subprocess.run([sys.executable, "-m", "modpy_compat", "wsgi-script", "--config", "site.conf",
                             "--document-root", "htdocs", "--debug", "-D", "PROD"],
                            capture_output=True, text=True, timeout=60, cwd=str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "application = make_app(%r, document_root=%r, debug=True, defines=['PROD'])" % (
        str(tmp_path / "site.conf"), str(tmp_path / "htdocs")) in result.stdout
    # modpy_compat is installed in this Python: no sys.path set-up.
    assert "sys.path" not in result.stdout
    namespace = {}
    exec(compile(result.stdout.replace("make_app(", "dict(config="), "site.wsgi", "exec"), namespace)
    assert namespace["application"]["config"] == str(tmp_path / "site.conf")


def test_wsgi_script_application_serves_the_site(tmp_path):
    (tmp_path / "htdocs").mkdir()
    (tmp_path / "htdocs" / "hello.txt").write_text("hello\n")
    (tmp_path / "site.conf").write_text("DocumentRoot htdocs\n")
    script = subprocess.run([sys.executable, "-m", "modpy_compat", "wsgi-script", "--config",
                             str(tmp_path / "site.conf")], capture_output=True, text=True, timeout=60)
    path = tmp_path / "site.wsgi"
    path.write_text(script.stdout)
    # As mod_wsgi loads it: from another working directory, by file name.
    probe = textwrap.dedent("""
        import runpy, webtest
        app = runpy.run_path(%r)["application"]
        print(webtest.TestApp(app, lint=False).get("/hello.txt").text, end="")
    """ % str(path))
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60,
                            cwd="/")
    assert (result.returncode, result.stdout) == (0, "hello\n"), result.stderr


def test_sample_wsgi_script_serves_the_tutorial():
    import runpy

    import webtest
    application = runpy.run_path(os.path.join(EXAMPLES, "mod_wsgi", "tutorial.wsgi"))["application"]
    response = webtest.TestApp(application, lint=False).get("/CustomExample/x.py")
    assert (response.status_int, response.text) == (200, "Hello from mod_python!")
