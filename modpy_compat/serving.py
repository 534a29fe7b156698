"""Running ``modpy-compat serve``: one waitress process, or a supervisor and its workers.

Without ``--processes`` or ``--reload-on-changes`` the application runs in
this process on waitress, as before.  Otherwise, as mod_wsgi-express runs
its daemon processes:

* the parent binds the listening socket, forks ``--processes`` workers and
  supervises them; it never imports the application, so a worker it forks
  later starts from a clean slate;
* each worker builds the application (configuration read, handler modules
  imported), runs waitress on the inherited socket and tells the parent it is
  ready through a pipe; the banner is printed once every worker is;
* with ``--reload-on-changes`` each worker polls, once a second, the files it
  was made from (the Python modules it loaded from outside the Python
  installation, the PSP pages under the document roots and the configuration
  files) and exits with :data:`EXIT_RELOAD` when one changes; the parent
  starts a fresh worker in its place.  A fresh worker that cannot start (a
  syntax error just saved) answers every request with a 500 naming the
  problem and waits for the next change;
* SIGTERM or SIGINT stop the workers (SIGTERM, then SIGKILL after 10 s) and
  the parent; SIGHUP restarts them, rereading the configuration.  A worker
  whose parent died (SIGKILL) notices within a second and stops.

The parent runs no thread, so forking it is safe.
"""
from __future__ import annotations

import errno
import logging
import os
import select
import signal
import socket
import sys
import threading
import time
import traceback

from modpy_compat import __version__

log = logging.getLogger("modpy_compat.serve")

EXIT_RELOAD = 3     # a worker saw a file change: the supervisor starts a fresh one
POLL_INTERVAL = 1.0  # seconds between two looks at the watched files (mod_wsgi-express: 1 s)
STOP_TIMEOUT = 10.0  # seconds a worker has to stop on SIGTERM before SIGKILL
START_TIMEOUT = 120.0
LOG_FORMAT = "[%(asctime)s] [%(levelname)s] [pid %(process)d] %(name)s: %(message)s"


def serve(options) -> int:
    """Serve the configuration ``options`` names (the parsed ``serve`` arguments).

    :returns: the exit status: 0 after a clean stop, 1 when the application
        cannot start.
    """
    try:
        streams = _Streams(options)
    except OSError as exc:
        print("modpy-compat: error: cannot open log file %s: %s" % (exc.filename, exc.strerror),
              file=sys.stderr)
        return 1
    streams.configure_logging()
    try:
        sock = bind(options.host, options.port)
    except OSError as exc:
        print("modpy-compat: error: cannot listen on %s:%s: %s"
              % (options.host, options.port, exc.strerror or exc), file=sys.stderr)
        return 1
    if options.processes > 1 or options.reload_on_changes:
        if not hasattr(os, "fork"):
            print("modpy-compat: error: --processes and --reload-on-changes need os.fork()",
                  file=sys.stderr)
            return 1
        return Supervisor(options, sock, streams).run()
    return _serve_here(options, sock, streams)


def load_site(options):
    """Read the configuration ``options`` name into a :class:`~modpy_compat.config.site.Site`.

    ``--url-alias URL PATH`` adds ``Alias URL PATH`` ahead of the
    configuration's own (mod_alias uses the first that matches).

    :raises modpy_compat.errors.ConfigError: naming the file and line at fault.
    """
    from modpy_compat.config.site import load_config
    config = os.path.abspath(options.config)
    text = None
    if options.url_aliases:
        text = "".join("Alias %s %s\n" % (_quote(url), _quote(os.path.abspath(path)))
                       for url, path in options.url_aliases)
        text += "Include %s\n" % _quote(config)
    return load_config(config, text=text, document_root=options.document_root,
                       defines=options.defines, debug=options.debug)


def build_app(options):
    """The :class:`~modpy_compat.gateway.Gateway` for ``options`` (handler modules imported).

    :raises modpy_compat.errors.ModPyCompatError: when the configuration or a
        handler module is wrong.
    """
    from modpy_compat.gateway import Gateway
    return Gateway(load_site(options), preload=True, threads=options.threads,
                   processes=options.processes)


def bind(host: str, port: int) -> socket.socket:
    """A listening TCP socket on ``host``:``port`` (0: any free port)."""
    family, kind, proto, _, address = socket.getaddrinfo(
        host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if family == socket.AF_INET6:
            sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
        sock.bind(address)
        sock.listen(1024)
    except OSError:
        sock.close()
        raise
    return sock


def create_server(app, sock, options, streams, multiprocess=False):
    """A waitress server for ``app`` on the already listening ``sock``."""
    import waitress
    if streams.error is not None or multiprocess:
        app = _Environ(app, streams.error, multiprocess)
    return waitress.create_server(app, sockets=[sock], threads=options.threads,
                                  url_prefix=options.mount_point or "",
                                  ident="modpy_compat/" + __version__)


class _Environ:
    """Tells the application what waitress cannot: where errors go, and that we fork."""

    def __init__(self, app, errors, multiprocess):
        self.app, self.errors, self.multiprocess = app, errors, multiprocess

    def __call__(self, environ, start_response):
        if self.errors is not None:
            environ["wsgi.errors"] = self.errors
        if self.multiprocess:
            environ["wsgi.multiprocess"] = True
        return self.app(environ, start_response)


# -- one process ---------------------------------------------------------------------

def _serve_here(options, sock, streams) -> int:
    from modpy_compat.errors import ModPyCompatError
    try:
        app = build_app(options)
    except ModPyCompatError as exc:
        _print_error(exc)
        sock.close()
        return 1
    app.access_log = streams.open_access_log()
    server = create_server(app, sock, options, streams)

    def stop(signum, frame):
        raise KeyboardInterrupt
    # Installed before the banner: whoever reads it may stop us at once.
    signal.signal(signal.SIGTERM, stop)
    try:
        print_banner(app.site, options, sock.getsockname()[1], streams)
        server.run()    # returns on KeyboardInterrupt (waitress catches it)
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
        sock.close()
    print("modpy_compat stopped")
    sys.stdout.flush()
    return 0


def _print_error(exc):
    print("modpy-compat: error: %s" % exc, file=sys.stderr)
    detail = getattr(exc, "traceback", None)
    if detail:
        print(detail, file=sys.stderr, end="")
    sys.stderr.flush()


# -- the supervisor -------------------------------------------------------------------

class _Child:
    """What the supervisor knows of one worker process."""

    def __init__(self, index, pid, pipe, started):
        self.index, self.pid, self.pipe, self.started = index, pid, pipe, started
        self.message = b""
        self.ready = False


class Supervisor:
    """Forks, watches and restarts the worker processes; see the module docstring."""

    def __init__(self, options, sock, streams):
        self.options, self.sock, self.streams = options, sock, streams
        self.workers = {}          # pid -> _Child
        self.stopping = False
        self.restart_all = False

    def run(self) -> int:
        from modpy_compat.errors import ModPyCompatError
        try:
            # Read here only for the banner and to fail early: workers read it again.
            site = load_site(self.options)
        except ModPyCompatError as exc:
            _print_error(exc)
            return 1
        previous = {sig: signal.signal(sig, self._on_signal)
                    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)}
        try:
            for index in range(self.options.processes):
                self._spawn(index, first=True)
            failure = self._wait_until_ready()
            if failure is not None:
                self._stop_workers()
                sys.stderr.write(failure)
                sys.stderr.flush()
                return 1
            if not self.stopping:
                print_banner(site, self.options, self.sock.getsockname()[1], self.streams)
                self._supervise()
        finally:
            self._stop_workers()
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            self.sock.close()
        print("modpy_compat stopped")
        sys.stdout.flush()
        return 0

    def _on_signal(self, signum, frame):
        if signum == signal.SIGHUP:
            self.restart_all = True
        else:
            self.stopping = True

    def _spawn(self, index, first=False):
        read_end, write_end = os.pipe()
        sys.stdout.flush()
        sys.stderr.flush()
        # Held until the worker has its own handlers: a SIGTERM in between must not
        # run the supervisor's handler in the child.
        mask = signal.pthread_sigmask(signal.SIG_BLOCK, _WORKER_SIGNALS)
        pid = os.fork()
        if pid != 0:
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        else:
            os.close(read_end)
            for other in self.workers.values():
                if other.pipe is not None:
                    os.close(other.pipe)
            status = 1
            try:
                status = Worker(self.options, self.sock, self.streams, write_end, index,
                                first).run(mask)
            except BaseException:
                traceback.print_exc()
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                # Never return into the parent's stack (its finally clauses, atexit).
                os._exit(status)
        os.close(write_end)
        self.workers[pid] = _Child(index, pid, read_end, time.monotonic())
        return pid

    def _wait_until_ready(self):
        """None once every worker said it is ready, else what the first failure said."""
        deadline = time.monotonic() + START_TIMEOUT
        while not self.stopping and not all(w.ready for w in self.workers.values()):
            if time.monotonic() > deadline:
                return "modpy-compat: error: workers did not start within %d s\n" % START_TIMEOUT
            self._read_pipes(0.2)
            for worker in self.workers.values():
                if worker.message.startswith(b"error\n"):
                    return worker.message[6:].decode("utf-8", "replace")
            for worker, status in self._reap():
                if worker.message.startswith(b"error\n"):
                    return worker.message[6:].decode("utf-8", "replace")
                return "modpy-compat: error: worker %d exited with status %s before it was ready\n" % (
                    worker.index, status)
        return None

    def _supervise(self):
        while not self.stopping:
            self._read_pipes(0.2)
            for worker in list(self.workers.values()):
                if worker.pipe is None and worker.message.startswith(b"error\n"):
                    # A worker restarted after a change that does not start: it serves
                    # the error until the next change.
                    log.error("worker %d cannot start:\n%s", worker.index,
                              worker.message[6:].decode("utf-8", "replace").rstrip())
                    worker.message = b""
            if self.restart_all:
                self.restart_all = False
                log.info("SIGHUP: restarting the workers")
                for pid in list(self.workers):
                    _signal(pid, signal.SIGTERM)
            for worker, status in self._reap():
                if self.stopping:
                    break
                if status == EXIT_RELOAD:
                    log.info("worker %d (pid %d) restarting after a change", worker.index, worker.pid)
                elif status != 0:
                    log.error("worker %d (pid %d) exited with status %s; starting another",
                              worker.index, worker.pid, status)
                    if time.monotonic() - worker.started < 1.0:
                        time.sleep(1.0)  # do not spin on a worker that dies at once
                if not self.stopping:
                    self._spawn(worker.index)

    def _read_pipes(self, timeout):
        pipes = {w.pipe: w for w in self.workers.values() if w.pipe is not None}
        if not pipes:
            time.sleep(timeout)
            return
        try:
            readable, _, _ = select.select(list(pipes), [], [], timeout)
        except InterruptedError:
            return
        for fd in readable:
            self._read_pipe(pipes[fd])

    def _read_pipe(self, worker):
        if worker.pipe is None:
            return
        data = os.read(worker.pipe, 65536)
        if data:
            worker.message += data
            if worker.message.startswith(b"ready\n"):
                worker.ready = True
            return
        os.close(worker.pipe)
        worker.pipe = None
        if worker.message.startswith(b"error\n"):
            worker.ready = True   # only after a change: it answers with the error
        if worker.message.startswith(b"ready\n") and len(worker.message) > 6:
            log.info(worker.message[6:].decode("utf-8", "replace").rstrip())

    def _reap(self):
        """The workers that ended, with their exit status; they leave ``self.workers``."""
        ended = []
        while self.workers:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                break
            if pid == 0:
                break
            worker = self.workers.pop(pid, None)
            if worker is not None:
                while worker.pipe is not None:
                    self._read_pipe(worker)
                ended.append((worker, _exit_status(status)))
        return ended

    def _stop_workers(self):
        for pid in self.workers:
            _signal(pid, signal.SIGTERM)
        deadline = time.monotonic() + STOP_TIMEOUT
        while self.workers and time.monotonic() < deadline:
            if not self._reap():
                time.sleep(0.05)
        for pid, worker in list(self.workers.items()):
            log.error("worker %d (pid %d) did not stop within %d s: killed", worker.index, pid,
                      STOP_TIMEOUT)
            _signal(pid, signal.SIGKILL)
            try:
                os.waitpid(pid, 0)
            except ChildProcessError:
                pass
            if worker.pipe is not None:
                os.close(worker.pipe)
        self.workers.clear()


_WORKER_SIGNALS = {signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGUSR1}


def _signal(pid, sig):
    try:
        os.kill(pid, sig)
    except ProcessLookupError:
        pass


def _exit_status(status):
    if hasattr(os, "waitstatus_to_exitcode"):
        return os.waitstatus_to_exitcode(status)
    return os.WEXITSTATUS(status) if os.WIFEXITED(status) else -os.WTERMSIG(status)


# -- a worker -------------------------------------------------------------------------

class Worker:
    """One forked worker: builds the application, serves, exits on SIGTERM or a change."""

    def __init__(self, options, sock, streams, pipe, index, first):
        self.options, self.sock, self.streams = options, sock, streams
        self.pipe, self.index, self.first = pipe, index, first
        self.status = 0

    def run(self, mask) -> int:
        """Serve until SIGTERM (0) or a change (:data:`EXIT_RELOAD`); 1 if the app cannot start."""
        signal.signal(signal.SIGTERM, self._on_signal)
        signal.signal(signal.SIGUSR1, self._on_signal)
        # Ctrl-C reaches the whole process group: the supervisor decides for us.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGHUP, signal.SIG_IGN)
        try:
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)
            return self._serve()
        except KeyboardInterrupt:   # stopped before serving
            return self.status

    def _serve(self):
        from modpy_compat.errors import ModPyCompatError
        self.streams.reopen_in_worker()
        threading.Thread(target=self._watch_parent, args=(os.getppid(),), daemon=True,
                         name="modpy_compat-parent").start()
        extra = []
        try:
            app = build_app(self.options)
            app.access_log = self.streams.open_access_log()
            message = b"ready\n"
        except ModPyCompatError as exc:
            detail = "modpy-compat: error: %s\n%s" % (exc, getattr(exc, "traceback", None) or "")
            if self.first or not self.options.reload_on_changes:
                self._tell(b"error\n" + detail.encode("utf-8", "replace"))
                return 1
            app = _ErrorApp(detail)
            extra = _files_of(exc)
            message = b"error\n" + detail.encode("utf-8", "replace")
        server = create_server(app, self.sock, self.options, self.streams,
                               multiprocess=self.options.processes > 1)
        watcher = None
        if self.options.reload_on_changes:
            watcher = ChangeWatcher(self.options.config, getattr(app, "site", None), extra)
            watcher.start(self._changed)
        if not self.first and message.startswith(b"ready"):
            message += b"worker %d (pid %d) ready" % (self.index, os.getpid())
            if watcher is not None:
                message += b", watching %d files" % len(watcher.snapshot())
            message += b"\n"
        self._tell(message)
        try:
            server.run()    # returns on KeyboardInterrupt (waitress catches it)
        finally:
            if watcher is not None:
                watcher.stop()
            server.close()
        return self.status

    def _tell(self, message):
        try:
            while message:
                message = message[os.write(self.pipe, message):]
        except OSError as exc:
            if exc.errno != errno.EPIPE:
                raise
        finally:
            os.close(self.pipe)

    def _watch_parent(self, parent):
        # A supervisor killed with SIGKILL cannot stop us: notice that we were orphaned.
        while os.getppid() == parent:
            time.sleep(1.0)
        log.error("worker %d (pid %d): the supervisor is gone; stopping", self.index, os.getpid())
        os.kill(os.getpid(), signal.SIGTERM)

    def _changed(self, path):
        log.info("%s changed: worker %d (pid %d) restarts", path, self.index, os.getpid())
        os.kill(os.getpid(), signal.SIGUSR1)

    def _on_signal(self, signum, frame):
        if signum == signal.SIGUSR1:
            self.status = EXIT_RELOAD
        raise KeyboardInterrupt


class _ErrorApp:
    """What a worker that cannot build the application answers until the next change."""

    def __init__(self, detail):
        self.body = ("The application could not start; fix the file and it restarts:\n\n%s"
                     % detail).encode("utf-8", "replace")

    def __call__(self, environ, start_response):
        start_response("500 Internal Server Error", [
            ("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(self.body)))])
        return [self.body]


def _files_of(exc):
    """The files an exception points at (a syntax error's file, its traceback's files)."""
    files = []
    cause, seen = exc, set()
    while cause is not None and id(cause) not in seen:
        seen.add(id(cause))
        filename = getattr(cause, "filename", None)   # a SyntaxError's, an OSError's
        if isinstance(filename, str):
            files.append(filename)
        tb = cause.__traceback__
        while tb is not None:
            files.append(tb.tb_frame.f_code.co_filename)
            tb = tb.tb_next
        cause = getattr(cause, "cause", None) or cause.__cause__
    return [f for f in files if os.path.isfile(f)]


# -- watching for changes -------------------------------------------------------------

class ChangeWatcher:
    """Polls the files an application was made from and reports the first that changes.

    Watched: the configuration and every file it includes, the PSP pages
    under the document roots and aliased directories, and the file of every
    loaded module that is not part of the Python installation (standard
    library, site-packages), which covers handler modules and the modules
    they import, wherever ``PythonPath`` puts them.

    :param config: the configuration file.
    :param site: the parsed :class:`~modpy_compat.config.site.Site` (None when
        it did not parse).
    :param extra: more files to watch (those a start-up error points at).
    """

    def __init__(self, config, site=None, extra=()):
        from modpy_compat.check import config_files, psp_pages
        self.fixed = {os.path.abspath(config)} | set(extra)
        if site is not None:
            self.fixed |= set(config_files(site)) | set(psp_pages(site))
        self._installed = _installed_paths()
        self._verdicts = {}    # module file -> watched?
        self._mtimes = {}
        self._stop = threading.Event()
        self._thread = None
        self.snapshot()

    def files(self):
        """The files watched right now (modules imported since are included)."""
        found = set(self.fixed)
        for module in list(sys.modules.values()):
            filename = getattr(module, "__file__", None)
            if not filename:
                continue
            watched = self._verdicts.get(filename)
            if watched is None:
                path = os.path.abspath(filename)
                watched = self._verdicts[filename] = (
                    not path.startswith(self._installed) and os.path.isfile(path))
            if watched:
                found.add(filename)
        return found

    def snapshot(self):
        """Record the modification time of every watched file; returns the file list."""
        files = self.files()
        for path in files:
            if path not in self._mtimes:
                self._mtimes[path] = _mtime(path)
        return files

    def changed(self):
        """The first watched file whose modification time changed, or None."""
        for path in self.files():
            mtime = _mtime(path)
            known = self._mtimes.setdefault(path, mtime)
            if mtime != known:
                return path
        return None

    def start(self, callback, interval=POLL_INTERVAL):
        """Poll in a daemon thread; call ``callback(path)`` once, for the first change."""
        def poll():
            while not self._stop.wait(interval):
                path = self.changed()
                if path is not None:
                    callback(path)
                    return
        self._thread = threading.Thread(target=poll, name="modpy_compat-reloader", daemon=True)
        self._thread.start()

    def stop(self):
        self._stop.set()


def _installed_paths():
    import site
    import sysconfig
    paths = sysconfig.get_paths()
    found = {paths.get(key) for key in ("stdlib", "platstdlib", "purelib", "platlib")}
    for getter in ("getsitepackages", "getusersitepackages"):
        try:
            more = getattr(site, getter)()
        except AttributeError:  # a virtualenv's old site.py
            continue
        found.update([more] if isinstance(more, str) else more)
    return tuple(os.path.abspath(p).rstrip(os.sep) + os.sep for p in found if p)


def _mtime(path):
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_mtime_ns, info.st_size)


# -- logs and banner -----------------------------------------------------------------

class _Streams:
    """Where the access log and the error log go (files or the terminal)."""

    def __init__(self, options):
        self.options = options
        self.error = None
        if options.error_log:
            self.error = _open_log(options.error_log)
        if options.access_log:
            _open_log(options.access_log).close()   # fail now, not in every worker

    def configure_logging(self):
        level = getattr(logging, self.options.log_level.upper())
        root = logging.getLogger()
        for handler in list(root.handlers):
            root.removeHandler(handler)
        handler = logging.StreamHandler(self.error if self.error is not None else sys.stderr)
        handler.setFormatter(logging.Formatter(LOG_FORMAT))
        root.addHandler(handler)
        root.setLevel(level)
        logging.getLogger("waitress.queue").setLevel(max(level, logging.ERROR))

    def reopen_in_worker(self):
        # The parent's file objects are shared after fork(): give the worker its own.
        if self.options.error_log:
            self.error = _open_log(self.options.error_log)
            self.configure_logging()

    def open_access_log(self):
        if self.options.access_log:
            return _open_log(self.options.access_log)
        return sys.stdout

    def describe(self):
        errors = self.options.error_log and os.path.abspath(self.options.error_log) or "standard error"
        access = self.options.access_log and os.path.abspath(self.options.access_log) or "standard output"
        return "%s; access log: %s" % (errors, access)


def _open_log(path):
    # Line-buffered and appending: each line is one write(), whole even with several workers.
    return open(os.path.abspath(path), "a", buffering=1, encoding="utf-8", errors="backslashreplace")


def print_banner(site, options, port, streams):
    """The start-up banner; its last line (``  errors: ...``) says the server is ready."""
    mount = (options.mount_point or "").rstrip("/")
    print("modpy_compat %s serving http://%s:%s%s/" % (__version__, options.host, port, mount))
    print("  configuration: %s" % site.config_file)
    print("  document root: %s" % site.main.document_root)
    for url, path in options.url_aliases:
        print("  url alias:     %s -> %s" % (url, os.path.abspath(path)))
    if mount:
        print("  mount point:   %s" % mount)
    print("  processes:     %d" % options.processes)
    print("  threads:       %d" % options.threads)
    if options.reload_on_changes:
        print("  reload:        on changes to modules, PSP pages and configuration files")
    if options.debug:
        print("  debug:         PythonDebug On everywhere")
    print("  log level:     %s" % options.log_level)
    for filename, lineno, message in site.warnings:
        print("  warning: %s:%d: %s" % (filename, lineno, message))
    if site.not_emulated:
        print("  warning: accepted but not emulated: %s" % site.not_emulated_summary())
    # The last line of the banner: the server is ready once it is out.
    print("  errors:        %s" % streams.describe())
    sys.stdout.flush()


def _quote(text):
    return '"%s"' % str(text).replace("\\", "\\\\").replace('"', '\\"')


# -- mod_wsgi ------------------------------------------------------------------------

def wsgi_script(config, *, document_root=None, debug=False, defines=()) -> str:
    """The text of a mod_wsgi script whose ``application`` serves ``config``.

    Paths are made absolute (mod_wsgi runs the script from another working
    directory).  ``sys.path`` is set up only when this Python finds
    modpy_compat through something a daemon process will not have (the
    working directory, ``PYTHONPATH``).
    """
    arguments = [repr(os.path.abspath(config))]
    if document_root:
        arguments.append("document_root=%r" % os.path.abspath(document_root))
    if debug:
        arguments.append("debug=True")
    if defines:
        arguments.append("defines=%r" % list(defines))
    lines = [
        "# mod_wsgi entry point for %s" % os.path.abspath(config),
        "# Written by `modpy-compat wsgi-script` (modpy_compat %s); see docs/deploy-mod_wsgi.md." % __version__,
        "# Run it with the Python environment that wrote it:",
        "#",
        "#     WSGIDaemonProcess site python-home=%s threads=15" % sys.prefix,
        "#     WSGIScriptAlias / %s process-group=site application-group=%%{GLOBAL}" % "/path/to/this.wsgi",
        "#     WSGIPassAuthorization On",
    ]
    search = _path_needed()
    if search:
        lines += ["import sys", "", "if %r not in sys.path:" % search,
                  "    sys.path.insert(0, %r)" % search]
    lines += ["", "from modpy_compat import make_app", "",
              "application = make_app(%s)" % ", ".join(arguments), ""]
    return "\n".join(lines)


def _path_needed():
    """The directory to put on sys.path for modpy_compat, or None when it is installed."""
    import subprocess
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    probe = ("import os, modpy_compat; "
             "print(os.path.dirname(os.path.dirname(os.path.abspath(modpy_compat.__file__))))")
    try:
        # -I: no PYTHONPATH, no user site, no working directory, as a daemon process starts.
        found = subprocess.run([sys.executable, "-I", "-c", probe], capture_output=True, text=True,
                               cwd="/", timeout=60).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        found = ""
    return None if found == here else here
