"""Start a throw-away real Apache httpd with mod_python for reference tests.

modpy_compat emulates Apache mod_python; the real thing (Apache 2.4 with
mod_python 3.5, as packaged by Debian in ``apache2`` and
``libapache2-mod-python``) is the reference for its behaviour.  This module
runs such a server privately so tests can compare against it.  It never
touches a system-wide Apache service: every server gets its own
configuration, ServerRoot, pid file, logs and runtime directory inside a
caller-supplied working directory, and listens on 127.0.0.1 only.

Typical use::

    from tests.support.apache import ApacheServer, mod_python_available

    if not mod_python_available():
        ...  # skip

    fragment = '''
    <Directory "%s">
        SetHandler mod_python
        PythonHandler myhandler
    </Directory>
    ''' % handler_dir
    with ApacheServer(fragment, workdir=tmpdir) as server:
        body = urllib.request.urlopen(server.url("/app/")).read()
        log = server.error_log_text()

``ApacheServer`` writes ``<workdir>/httpd.conf`` (base configuration
followed by the caller's fragment, verbatim), runs ``apache2 -DFOREGROUND``
as a child process, waits until the port accepts connections and stops the
server (and all its children) on exit.  The default DocumentRoot is
``<workdir>/htdocs`` (created empty); a fragment may set another one.

The base configuration loads, in this order: the MPM, ``unixd``, the
caller's ``modules`` (``mod_python`` by default), then ``authn_core``,
``authz_core``, ``authz_user``, ``authz_host``, ``auth_basic``,
``authn_file``, ``mime``, ``dir``, ``alias``, ``env``, ``log_config``,
``setenvif`` and ``autoindex`` (as a stock Debian install has it: a directory without an index is then a 403, not a 404).  mod_python has to be loaded before mod_auth_basic:
otherwise mod_auth_basic's authentication hook runs first, checks Basic
credentials itself and answers 500 ("AuthUserFile not specified") instead
of letting a ``PythonAuthenHandler`` decide.

mod_python caches handler modules in ``sys.modules`` by module name, per
interpreter (one per virtual server by default), so two directories that
both say ``PythonHandler myhandler`` share whichever ``myhandler.py`` a
child process imported first; give handler modules distinct names.

Running as root: Apache refuses to serve requests as root, so the
configuration then names an unprivileged ``User``/``Group`` (``www-data``,
else ``nobody``) and the server children run as that user.  So that they
can read handler modules and documents, the working directory tree is made
world-readable (``a+rX``) and every ancestor directory gets the
search (``o+x``) bit.  This happens at start-up, so handler modules and
documents should live inside the working directory and exist before the
server starts.  Handlers that need to write somewhere must use a directory
writable by that user (see ``ApacheServer.run_user``).

The embedded interpreter of mod_python locates its standard library by
finding ``python3`` on PATH, so httpd is started with the system PATH and
without PYTHON* variables: a pyenv or virtualenv ``python3`` first on PATH
would otherwise make every child die with "No module named 'encodings'".

Environment overrides: ``MODPY_COMPAT_APACHE`` (path of the httpd binary)
and ``MODPY_COMPAT_APACHE_MODULES`` (directory holding ``mod_*.so``).
"""

import os
import pwd
import grp
import shutil
import signal
import socket
import stat
import subprocess
import time

__all__ = [
    "ApacheError",
    "ApacheServer",
    "find_apache",
    "find_modules_dir",
    "free_port",
    "mod_python_available",
]

_BINARY_CANDIDATES = ("/usr/sbin/apache2", "/usr/sbin/httpd",
                      "/usr/local/apache2/bin/httpd")
_MODULE_DIR_CANDIDATES = ("/usr/lib/apache2/modules", "/usr/lib64/httpd/modules",
                          "/usr/lib/httpd/modules", "/usr/libexec/apache2",
                          "/usr/local/apache2/modules")
_MIME_TYPES = "/etc/mime.types"
_SYSTEM_PATH = "/usr/sbin:/usr/bin:/sbin:/bin"

# Modules loaded after the caller's modules (mod_python must precede
# mod_auth_basic).
_BASE_MODULES = ("mod_authn_core", "mod_authz_core", "mod_authz_user",
                 "mod_authz_host", "mod_auth_basic", "mod_authn_file",
                 "mod_mime", "mod_dir", "mod_alias", "mod_env",
                 "mod_log_config", "mod_setenvif", "mod_autoindex")

_MPM_SETTINGS = {
    "prefork": """\
<IfModule mpm_prefork_module>
    StartServers 2
    MinSpareServers 1
    MaxSpareServers 4
    MaxRequestWorkers 16
</IfModule>
""",
    "worker": """\
<IfModule mpm_worker_module>
    StartServers 1
    ServerLimit 2
    ThreadsPerChild 8
    MinSpareThreads 1
    MaxSpareThreads 16
    MaxRequestWorkers 16
</IfModule>
""",
    "event": """\
<IfModule mpm_event_module>
    StartServers 1
    ServerLimit 2
    ThreadsPerChild 8
    MinSpareThreads 1
    MaxSpareThreads 16
    MaxRequestWorkers 16
</IfModule>
""",
}


class ApacheError(RuntimeError):
    """The reference Apache could not be found, started or stopped."""


def find_apache():
    """Return the path of the Apache httpd binary, or None."""
    explicit = os.environ.get("MODPY_COMPAT_APACHE")
    if explicit:
        return explicit if os.access(explicit, os.X_OK) else None
    for path in _BINARY_CANDIDATES:
        if os.access(path, os.X_OK):
            return path
    for name in ("apache2", "httpd"):
        path = shutil.which(name)
        if path:
            return path
    return None


def find_modules_dir():
    """Return the directory holding Apache's ``mod_*.so`` files, or None."""
    explicit = os.environ.get("MODPY_COMPAT_APACHE_MODULES")
    candidates = (explicit,) if explicit else _MODULE_DIR_CANDIDATES
    for path in candidates:
        if path and os.path.isfile(os.path.join(path, "mod_mime.so")):
            return path
    return None


def mod_python_available():
    """True if both the httpd binary and mod_python.so are installed."""
    modules = find_modules_dir()
    return bool(find_apache() and modules
                and os.path.isfile(os.path.join(modules, "mod_python.so")))


def free_port():
    """Return a TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


_compiled_in_cache = {}


def _compiled_in(binary):
    """Names ("mod_unixd", ...) of the modules built into ``binary``."""
    if binary not in _compiled_in_cache:
        try:
            out = subprocess.run([binary, "-l"], stdout=subprocess.PIPE,
                                 stderr=subprocess.DEVNULL,
                                 universal_newlines=True, timeout=30).stdout
        except (OSError, subprocess.SubprocessError):
            out = ""
        _compiled_in_cache[binary] = frozenset(
            line.strip()[:-2] for line in out.splitlines()
            if line.strip().endswith(".c"))
    return _compiled_in_cache[binary]


def _load_line(module, modules_dir, binary):
    """``LoadModule`` line for "mod_x" (or a path to a ``mod_x.so``)."""
    if module.endswith(".so"):
        path = module
        module = os.path.basename(module)[:-3]
    else:
        path = os.path.join(modules_dir, module + ".so")
    if not module.startswith("mod_"):
        raise ValueError("module names look like 'mod_xxx': %r" % (module,))
    if not os.path.isfile(path):
        if module in _compiled_in(binary):
            return "# %s is compiled in" % module
        raise ApacheError("Apache module not found: %s" % path)
    return 'LoadModule %s_module "%s"' % (module[4:], path)


def _run_user():
    """(user, group) for the server children when started as root."""
    for user, group in (("www-data", "www-data"), ("nobody", "nogroup"),
                        ("nobody", "nobody")):
        try:
            pwd.getpwnam(user)
            grp.getgrnam(group)
        except KeyError:
            continue
        return user, group
    raise ApacheError("running as root but no unprivileged user for Apache")


def _open_up(workdir):
    """Let an unprivileged server child read everything under workdir."""
    for root, dirs, files in os.walk(workdir):
        for name in dirs + [""]:
            path = os.path.join(root, name) if name else root
            mode = os.lstat(path).st_mode
            if stat.S_ISDIR(mode):
                os.chmod(path, stat.S_IMODE(mode) | 0o555)
        for name in files:
            path = os.path.join(root, name)
            mode = os.lstat(path).st_mode
            if stat.S_ISREG(mode):
                extra = 0o444 | (0o111 if mode & 0o100 else 0)
                os.chmod(path, stat.S_IMODE(mode) | extra)
    parent = os.path.dirname(workdir)
    while True:
        mode = os.stat(parent).st_mode
        if not mode & stat.S_IXOTH:
            os.chmod(parent, stat.S_IMODE(mode) | stat.S_IXOTH)
        up = os.path.dirname(parent)
        if up == parent:
            break
        parent = up


class ApacheServer:
    """A private Apache httpd, used as a context manager.

    ``config_fragment`` is appended verbatim to the generated base
    configuration.  ``workdir`` (an existing or creatable directory) becomes
    the ServerRoot and holds ``httpd.conf``, ``httpd.pid``, ``error_log``,
    ``access_log``, ``stderr.log`` and ``htdocs/``.  ``modules`` are extra
    Apache modules ("mod_xxx" names or paths of ``.so`` files), loaded
    before the base ones.  ``mpm`` is "prefork", "worker" or "event".
    ``extra_defines`` become ``-D NAME`` arguments (for ``<IfDefine>``).
    ``port`` defaults to a free port, chosen at construction, so
    ``.port`` and ``.url()`` work before the server starts.
    """

    def __init__(self, config_fragment, *, workdir, modules=("mod_python",),
                 mpm="prefork", extra_defines=(), port=None,
                 start_timeout=15.0):
        if mpm not in _MPM_SETTINGS:
            raise ValueError("mpm must be one of %s" % sorted(_MPM_SETTINGS))
        self.config_fragment = config_fragment
        self.workdir = os.path.abspath(os.fspath(workdir))
        self.modules = tuple(modules)
        self.mpm = mpm
        self.extra_defines = tuple(extra_defines)
        self.start_timeout = start_timeout
        self._fixed_port = port is not None
        self.port = port if port is not None else free_port()
        self.conf_path = os.path.join(self.workdir, "httpd.conf")
        self.pid_path = os.path.join(self.workdir, "httpd.pid")
        self.error_log_path = os.path.join(self.workdir, "error_log")
        self.stderr_path = os.path.join(self.workdir, "stderr.log")
        self.run_user = _run_user() if os.geteuid() == 0 else None
        self._proc = None

    # -- configuration -------------------------------------------------

    def config_text(self):
        """The complete httpd.conf this server runs with."""
        binary, modules_dir = find_apache(), find_modules_dir()
        if binary is None:
            raise ApacheError("Apache httpd binary not found")
        if modules_dir is None:
            raise ApacheError("Apache modules directory not found")
        lines = [
            "# Generated by tests/support/apache.py",
            'ServerRoot "%s"' % self.workdir,
            'DefaultRuntimeDir "%s"' % self.workdir,
            'PidFile "%s"' % self.pid_path,
            'ErrorLog "%s"' % self.error_log_path,
            "LogLevel warn",
            "Listen 127.0.0.1:%d" % self.port,
            "ServerName 127.0.0.1:%d" % self.port,
            'DocumentRoot "%s"' % os.path.join(self.workdir, "htdocs"),
            "Timeout 30",
            "",
            _load_line("mod_mpm_" + self.mpm, modules_dir, binary),
            _load_line("mod_unixd", modules_dir, binary),
        ]
        lines += [_load_line(m, modules_dir, binary) for m in self.modules]
        lines += [_load_line(m, modules_dir, binary) for m in _BASE_MODULES
                  if m not in self.modules]
        lines.append("")
        if self.run_user:
            lines += ["User %s" % self.run_user[0],
                      "Group %s" % self.run_user[1]]
        mime_types = _MIME_TYPES
        if not os.path.isfile(mime_types):
            mime_types = os.path.join(self.workdir, "mime.types")
        lines += [
            'TypesConfig "%s"' % mime_types,
            'LogFormat "%h %l %u %t \\"%r\\" %>s %b" common',
            'CustomLog "%s" common' % os.path.join(self.workdir, "access_log"),
            "",
            _MPM_SETTINGS[self.mpm],
            "# ---- caller's fragment ----",
            self.config_fragment,
            "",
        ]
        return "\n".join(lines)

    def write_config(self):
        """Create the working directory layout and write httpd.conf."""
        os.makedirs(os.path.join(self.workdir, "htdocs"), exist_ok=True)
        if not os.path.isfile(_MIME_TYPES):
            open(os.path.join(self.workdir, "mime.types"), "a").close()
        with open(self.conf_path, "w") as conf:
            conf.write(self.config_text())
        return self.conf_path

    # -- life cycle ----------------------------------------------------

    def url(self, path="/"):
        """Absolute http URL of ``path`` on this server."""
        if not path.startswith("/"):
            path = "/" + path
        return "http://127.0.0.1:%d%s" % (self.port, path)

    def error_log_text(self):
        """Current contents of the server's error_log ('' if none)."""
        try:
            with open(self.error_log_path, errors="replace") as log:
                return log.read()
        except FileNotFoundError:
            return ""

    def _stderr_text(self):
        try:
            with open(self.stderr_path, errors="replace") as err:
                return err.read()
        except FileNotFoundError:
            return ""

    def start(self):
        """Write the configuration, start httpd and wait until it answers."""
        if self._proc is not None:
            raise ApacheError("server already started")
        binary = find_apache()
        if binary is None:
            raise ApacheError("Apache httpd binary not found")
        for attempt in range(3):
            self.write_config()
            if self.run_user:
                _open_up(self.workdir)
            try:
                self._launch(binary)
                return self
            except ApacheError:
                # Lost the race for a free port? Try another one.
                if (self._fixed_port or attempt == 2 or
                        "Address already in use" not in
                        self.error_log_text() + self._stderr_text()):
                    raise
                self.port = free_port()

    def _launch(self, binary):
        # mod_python's embedded interpreter finds its prefix by looking up
        # "python3" on PATH: a pyenv/virtualenv/local python3 there makes it
        # load the wrong standard library (or none: "No module named
        # 'encodings'"), so give httpd the system PATH only.
        env = {k: v for k, v in os.environ.items()
               if not k.startswith("PYTHON") and k != "VIRTUAL_ENV"}
        env["PATH"] = _SYSTEM_PATH
        args = [binary, "-d", self.workdir, "-f", self.conf_path,
                "-DFOREGROUND"]
        for name in self.extra_defines:
            args += ["-D", name]
        with open(self.stderr_path, "wb") as err:
            self._proc = subprocess.Popen(
                args, stdin=subprocess.DEVNULL, stdout=err, stderr=err,
                cwd=self.workdir, env=env, start_new_session=True)
        deadline = time.monotonic() + self.start_timeout
        while True:
            if self._proc.poll() is not None:
                rc = self._proc.returncode
                self._proc = None
                raise ApacheError(self._failure("httpd exited with status %s"
                                                % rc))
            try:
                with socket.create_connection(("127.0.0.1", self.port),
                                              timeout=0.5):
                    return
            except OSError:
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise ApacheError(self._failure(
                    "httpd did not answer on port %d within %.0f s"
                    % (self.port, self.start_timeout)))
            time.sleep(0.05)

    def _failure(self, what):
        tail = self.error_log_text().splitlines()[-30:]
        return "%s\nconfig: %s\nstderr:\n%s\nerror_log (tail):\n%s" % (
            what, self.conf_path, self._stderr_text().rstrip(),
            "\n".join(tail))

    def stop(self, timeout=10.0):
        """Stop httpd and every process it started; idempotent."""
        proc, self._proc = self._proc, None
        if proc is None:
            return
        pgid = proc.pid  # start_new_session: httpd leads its own group
        if proc.poll() is None:
            try:
                proc.send_signal(signal.SIGTERM)
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                pass
        # Leftover children (or a hung parent) of the group we created.
        for sig in (signal.SIGTERM, signal.SIGKILL):
            try:
                os.killpg(pgid, 0)
            except (ProcessLookupError, PermissionError):
                break
            try:
                os.killpg(pgid, sig)
            except ProcessLookupError:
                break
            time.sleep(0.5)
        if proc.poll() is None:
            proc.kill()
        proc.wait()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()
        return False
