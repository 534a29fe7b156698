"""The servers measured, each a private process group on 127.0.0.1 that cannot outlive run.py.

* ``modpy_waitress``: ``modpy-compat serve --threads 8`` (one process, 8 threads);
* ``modpy_waitress_procs`` (only with ``run.py --processes N``): the same with
  ``--processes N``, so that modpy_compat too uses more than one CPU;
* ``modpy_mod_wsgi``: ``mod_wsgi-express start-server`` on a ``.wsgi`` calling
  ``make_app`` (Apache in front, one daemon process of 8 threads);
* ``mod_python``: real Apache 2.4 + mod_python 3.5 through
  ``tests/support/apache.py`` (8 workers: prefork, 8 processes, by default;
  with ``--mpm event``, one process whose threads serve at most 8 requests at
  once, see ``MPM_SETTINGS``);
* the references: ``bare_wsgi``, ``bare_webob``, ``mako_table`` and
  ``file_wrapper`` on waitress (``python -m waitress --threads=8``), and
  ``bare_webob_mod_wsgi`` under the same mod_wsgi-express settings as
  ``modpy_mod_wsgi``.

Every server is started in a new session (its own process group) and gets a
:mod:`guard` process that stops the group when run.py exits, however it
exits, or when a time limit passes.  Ready means answering HTTP.
"""
from __future__ import annotations

import http.client
import os
import shutil
import signal
import subprocess
import sys
import time

from tests.support.apache import ApacheServer, _open_up, free_port

HERE = os.path.dirname(os.path.abspath(__file__))
THREADS = 8
KEEP_ALIVE = """\
# Keep-alive without a request cap, as waitress and mod_wsgi-express (event MPM) do.
KeepAlive On
MaxKeepAliveRequests 0
KeepAliveTimeout 15
"""
MPM_SETTINGS = {
    "prefork": """\
# 8 workers: 8 processes, all started up front and kept.
<IfModule mpm_prefork_module>
    StartServers 8
    MinSpareServers 8
    MaxSpareServers 8
    ServerLimit 8
    MaxRequestWorkers 8
    MaxConnectionsPerChild 0
</IfModule>
""",
    "event": """\
# One process.  At most 8 requests run at once (wrk opens 8 connections at most), but the
# event MPM closes idle keep-alive connections whenever no thread is idle: with exactly 8
# threads and 8 connections wrk then counts thousands of read errors.  16 threads avoid it.
<IfModule mpm_event_module>
    StartServers 1
    ServerLimit 1
    ThreadsPerChild 16
    MinSpareThreads 1
    MaxSpareThreads 16
    MaxRequestWorkers 16
    MaxConnectionsPerChild 0
</IfModule>
""",
}


class ServerError(RuntimeError):
    """A server did not start, or answered a scenario wrongly."""


class Lifeline:
    """The pipe whose closing tells every :mod:`guard` that run.py is gone."""

    def __init__(self):
        self.read_fd, self.write_fd = os.pipe()     # neither is inherited by default

    def guard(self, pgid: int, limit: float):
        """Start a guard for process group ``pgid`` (see guard.py)."""
        subprocess.Popen([sys.executable, os.path.join(HERE, "guard.py"), str(self.read_fd),
                          str(pgid), "%.0f" % limit],
                         pass_fds=(self.read_fd,), stdin=subprocess.DEVNULL,
                         start_new_session=True)


# -- processes and memory ---------------------------------------------------------------

def _stat(pid):
    with open("/proc/%d/stat" % pid) as fh:
        text = fh.read()
    fields = text[text.rindex(")") + 2:].split()
    return int(fields[1]), int(fields[3])       # ppid, session


def session_pids(sid: int):
    """Every process of session ``sid`` (a server and all it started)."""
    pids = []
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            if _stat(int(name))[1] == sid:
                pids.append(int(name))
        except (OSError, ValueError, IndexError):
            continue
    return sorted(pids)


def memory_kb(pid: int, field: str = "VmHWM") -> int:
    """``VmHWM`` (peak resident set) or ``VmRSS`` (resident now) of ``pid``, in kB; 0 if gone."""
    try:
        with open("/proc/%d/status" % pid) as fh:
            for line in fh:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


# -- servers ----------------------------------------------------------------------------

def _group_gone(proc):
    proc.poll()     # reap the leader, or the group never looks empty
    try:
        os.killpg(proc.pid, 0)
    except ProcessLookupError:
        return True
    return False


def stop_group(proc, grace=10.0):
    """SIGTERM the process group ``proc`` leads, SIGKILL what is left after ``grace`` s."""
    for sig, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, 5.0)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            break
        deadline = time.monotonic() + wait
        while not _group_gone(proc) and time.monotonic() < deadline:
            time.sleep(0.1)
        if _group_gone(proc):
            break
    proc.wait()


class Server:
    """What run.py needs of a server: start, stop, URL, workers and their memory."""

    kind = "?"
    label = "?"
    workers_label = "process"

    def __init__(self, tree, lifeline, limit):
        self.tree, self.lifeline, self.limit = tree, lifeline, limit
        self.port = None
        self.pid = None
        self.failure = None         # why this server is not measured, when it is not

    def url(self, path="/"):
        return "http://127.0.0.1:%d%s" % (self.port, path)

    def worker_pids(self):
        return [self.pid] if self.pid else []

    def peak_rss_kb(self) -> int:
        """The largest peak RSS among the worker processes."""
        return max([memory_kb(pid) for pid in self.worker_pids()] or [0])

    def rss_kb(self) -> int:
        """The resident memory of the worker processes now (their sum)."""
        return sum(memory_kb(pid, "VmRSS") for pid in self.worker_pids())

    def log_tail(self, lines=30) -> str:
        return ""

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()


def wait_until_answering(port, proc, timeout, path="/"):
    """True once ``port`` answers HTTP; False if ``proc`` exits first or time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            return False
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        try:
            conn.request("GET", path)
            conn.getresponse().read()
            return True
        except (OSError, http.client.HTTPException):
            time.sleep(0.1)
        finally:
            conn.close()
    return False


class Subprocess(Server):
    """A server that is one command line (waitress, mod_wsgi-express)."""

    start_timeout = 60.0
    proc = None

    def environment(self):
        return dict(os.environ)

    @property
    def log_path(self):
        return self.tree.path("logs", self.kind + ".log")

    def start(self):
        os.makedirs(self.tree.path("logs"), exist_ok=True)
        for attempt in range(3):
            self.port = free_port()
            with open(self.log_path, "ab") as log:
                proc = subprocess.Popen(self.command(), stdin=subprocess.DEVNULL, stdout=log,
                                        stderr=log, cwd=self.cwd(), env=self.environment(),
                                        start_new_session=True)
            self.proc, self.pid = proc, proc.pid
            self.lifeline.guard(proc.pid, self.limit)
            if wait_until_answering(self.port, proc, self.start_timeout):
                return self
            self.stop()
            if attempt == 2 or "Address already in use" not in self.log_tail():
                raise ServerError("%s did not start:\n%s" % (self.label, self.log_tail()))
        return self

    def cwd(self):
        return self.tree.root

    def stop(self):
        proc, self.proc, self.pid = self.proc, None, None
        if proc is None:
            return
        stop_group(proc)

    def log_tail(self, lines=30):
        try:
            with open(self.log_path, errors="replace") as fh:
                return "\n".join(fh.read().splitlines()[-lines:])
        except OSError:
            return ""


class CompatWaitress(Subprocess):
    """``modpy-compat serve --threads 8``; with ``processes`` > 1, that many workers of 8 threads."""

    kind = "modpy_waitress"
    label = "modpy_compat / waitress"

    def __init__(self, *args, processes=1):
        super().__init__(*args)
        self.processes = processes
        if processes > 1:
            self.kind = "modpy_waitress_procs"
            self.label = "modpy_compat / waitress x%d" % processes
            self.workers_label = "worker process"

    def command(self):
        command = [sys.executable, "-m", "modpy_compat", "serve", "--config",
                   self.tree.config("waitress"), "--host", "127.0.0.1", "--port", str(self.port),
                   "--threads", str(THREADS)]
        if self.processes > 1:
            command += ["--processes", str(self.processes)]
        return command

    def worker_pids(self):
        if self.processes > 1 and self.pid:
            return [pid for pid in session_pids(self.pid) if pid != self.pid]
        return super().worker_pids()


class BareWaitress(Subprocess):
    """A reference application from benchmarks/site/apps on waitress, 8 threads."""

    LABELS = {"bare_wsgi": "bare WSGI / waitress", "bare_webob": "bare WebOb / waitress",
              "mako_table": "Mako page / waitress", "file_wrapper": "file_wrapper / waitress"}

    def __init__(self, module, *args):
        super().__init__(*args)
        self.module = self.kind = module
        self.label = self.LABELS[module]

    def command(self):
        return [sys.executable, "-m", "waitress", "--host=127.0.0.1", "--port=%d" % self.port,
                "--threads=%d" % THREADS, "--ident=bench", "%s:application" % self.module]

    def cwd(self):
        return self.tree.path("apps")


def express_executable():
    candidate = os.path.join(os.path.dirname(sys.executable), "mod_wsgi-express")
    return candidate if os.access(candidate, os.X_OK) else shutil.which("mod_wsgi-express")


class Express(Subprocess):
    """``mod_wsgi-express start-server``: Apache (event MPM) + one daemon process of 8 threads."""

    workers_label = "daemon process"

    def __init__(self, kind, label, script, *args, run_user=None):
        super().__init__(*args)
        self.kind, self.label, self.script, self.run_user = kind, label, script, run_user

    def command(self):
        args = [express_executable(), "start-server", self.script, "--host", "127.0.0.1",
                "--port", str(self.port), "--server-root", self.tree.path("express-" + self.kind),
                "--threads", str(THREADS), "--locale", "C.UTF-8", "--startup-timeout", "30",
                "--log-level", "warn"]
        if self.run_user:
            args += ["--user", self.run_user[0], "--group", self.run_user[1]]
        return args

    def environment(self):
        return {k: v for k, v in os.environ.items() if k not in ("PYTHONHOME", "PYTHONPATH")}

    def worker_pids(self):
        # The daemon process holds the application: the largest process but Apache's parent.
        pids = [pid for pid in session_pids(self.pid) if pid != self.pid] if self.pid else []
        return sorted(pids, key=memory_kb)[-1:]

    def log_tail(self, lines=30):
        texts = [super().log_tail(lines)]
        try:
            with open(self.tree.path("express-" + self.kind, "error_log"), errors="replace") as fh:
                texts.append("\n".join(fh.read().splitlines()[-lines:]))
        except OSError:
            pass
        return "\n".join(texts)


class ModPython(Server):
    """Real Apache + mod_python serving the same site fragment, 8 workers."""

    kind = "mod_python"

    def __init__(self, *args, mpm="prefork"):
        super().__init__(*args)
        self.mpm = mpm
        self.label = "mod_python / Apache %s" % mpm
        self.workers_label = "worker process" if mpm == "prefork" else "threaded process"
        fragment = KEEP_ALIVE + MPM_SETTINGS[mpm] + self.tree.fragment_text("mod_python")
        self.apache = ApacheServer(fragment, workdir=self.tree.path("apache-" + mpm), mpm=mpm)

    def start(self):
        # The site is outside the server's working directory: open it up for www-data too.
        if self.apache.run_user:
            _open_up(self.tree.root)
        self.apache.start()
        self.port = self.apache.port
        self.pid = self.apache._proc.pid
        self.lifeline.guard(self.pid, self.limit)
        return self

    def stop(self):
        self.apache.stop()
        self.pid = None

    def worker_pids(self):
        return [pid for pid in session_pids(self.pid) if pid != self.pid] if self.pid else []

    def log_tail(self, lines=30):
        return "\n".join(self.apache.error_log_text().splitlines()[-lines:])


def make_server(kind, tree, lifeline, limit, mpm="prefork", run_user=None, processes=2):
    """The server named ``kind`` (not started)."""
    common = (tree, lifeline, limit)
    if kind == "modpy_waitress":
        return CompatWaitress(*common)
    if kind == "modpy_waitress_procs":
        return CompatWaitress(*common, processes=processes)
    if kind == "modpy_mod_wsgi":
        return Express(kind, "modpy_compat / mod_wsgi", tree.path("wsgi", "modpy.wsgi"), *common,
                       run_user=run_user)
    if kind == "bare_webob_mod_wsgi":
        return Express(kind, "bare WebOb / mod_wsgi", tree.path("wsgi", "bare_webob.wsgi"),
                       *common, run_user=run_user)
    if kind == "mod_python":
        return ModPython(*common, mpm=mpm)
    return BareWaitress(kind, *common)
