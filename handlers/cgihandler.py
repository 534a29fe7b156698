"""The CGI handler: runs a CGI-style Python script inside the process, once per request.

Emulates ``mod_python.cgihandler`` (``PythonHandler mod_python.cgihandler``):
the script named by the request (``SCRIPT_FILENAME`` in ``subprocess_env``,
else ``req.filename``) is executed afresh as a module named after its file,
with ``os.environ`` holding the CGI variables (``apache.build_cgi_env``),
``sys.stdin`` reading the request body and ``sys.stdout`` writing the
response: a header block (``Status``, ``Content-Type``, ``Location``...)
ended by a blank line, then the body (see ``apache.CGIStdout``).  The
working directory is the script's directory while it runs, modules the
script imported from its directory are imported afresh by the next request
(as a new CGI process would), and the handler returns ``OK``.

Thread safety.  mod_python swaps ``sys.stdout``, ``sys.stdin`` and
``os.environ`` for the whole process under one lock: two CGI requests never
mix, but anything another thread prints while a script runs ends up in that
script's response, and other handlers see the script's environment.  Here
``sys.stdin``, ``sys.stdout`` and ``os.environ`` are replaced once, at the
first CGI request (never at import), by thin per-thread stand-ins: a thread
running a CGI script sees that request's streams and environment, every
other thread sees the original objects, untouched.  Output therefore never
crosses requests, whether the other thread runs a CGI script or not.  The
working directory, the one thing Python cannot give each thread, still
needs mod_python's lock: with it (the default) CGI scripts run one at a
time, as in mod_python; ``PythonOption modpy_compat.cgihandler.chdir Off``
keeps the directory as it is and lets scripts run concurrently.

Deliberate differences from mod_python (docs/handlers.md): ``os.environ`` is
not replaced by an empty dict for the whole process at import; a script
ending with ``sys.exit()`` or ``sys.exit(0)`` ends its request normally
(mod_python appends an error report); ``sys.argv`` is left alone (mod_python
empties it for good); any file name is run (mod_python looks for
``<name>.py`` next to it, whatever the requested file's extension); threads
a script starts see the process's own streams and environment.
"""
from __future__ import annotations

import os
import sys
import threading
import types
from collections.abc import MutableMapping

from modpy_compat.constants import HTTP_NOT_FOUND, OK, SERVER_RETURN
from modpy_compat.loader import LOADER
from modpy_compat.mod_python.apache import CGIStdin, CGIStdout, NullIO
from modpy_compat.request_helpers import build_cgi_env

__all__ = ["handler", "CHDIR_OPTION"]

# PythonOption: Off runs scripts in the server's working directory, concurrently.
CHDIR_OPTION = "modpy_compat.cgihandler.chdir"

_cwd_lock = threading.Lock()      # mod_python's _lock: the working directory is process-wide
_install_lock = threading.Lock()
_bound = threading.local()        # .stdin, .stdout, .environ of the CGI request this thread runs
_compiled = {}                    # script path -> (mtime_ns, size, code object)
_script_dirs = set()              # directories CGI scripts ran from, each ending with "/"


# -- per-thread stand-ins for sys.stdin, sys.stdout and os.environ ---------------------

class _ThreadStream:
    """``sys.stdin`` or ``sys.stdout``: the CGI stream of this thread's request, else the original."""

    def __init__(self, name, original):
        self.__dict__["_name"] = name
        # print() with sys.stdout set to None does nothing; so does NullIO.
        self.__dict__["_original"] = original if original is not None else NullIO()

    def _target(self):
        stream = getattr(_bound, self._name, None)
        return self._original if stream is None else stream

    def __getattr__(self, name):
        return getattr(self._target(), name)

    def __setattr__(self, name, value):
        setattr(self._target(), name, value)

    def __iter__(self):
        target = self._target()
        if hasattr(type(target), "__iter__"):
            return iter(target)
        return iter(target.readline, "")    # ``for line in sys.stdin`` over CGIStdin

    def __repr__(self):
        return repr(self._target())


class _ThreadEnviron(MutableMapping):
    """``os.environ``: the CGI variables of this thread's request, else the process environment."""

    def __init__(self, original):
        self._original = original

    def _target(self):
        environ = getattr(_bound, "environ", None)
        return self._original if environ is None else environ

    def __getitem__(self, key):
        return self._target()[key]

    def __setitem__(self, key, value):
        self._target()[key] = value

    def __delitem__(self, key):
        del self._target()[key]

    def __iter__(self):
        return iter(self._target())

    def __len__(self):
        return len(self._target())

    def __contains__(self, key):
        return key in self._target()

    def copy(self):
        return dict(self._target())

    # os._Environ's merge operators (Python 3.9+).
    def __or__(self, other):
        return dict(self._target()) | dict(other)

    def __ror__(self, other):
        return dict(other) | dict(self._target())

    def __ior__(self, other):
        self.update(other)
        return self

    def __getattr__(self, name):
        # os._Environ's own helpers (encodekey, decodevalue...) for code that reaches for them.
        return getattr(self._original, name)

    def __repr__(self):
        return "environ(%r)" % (dict(self._target()),)


def _install():
    """Put the stand-ins in place (again, if something replaced them since)."""
    with _install_lock:
        if not isinstance(sys.stdin, _ThreadStream):
            sys.stdin = _ThreadStream("stdin", sys.stdin)
        if not isinstance(sys.stdout, _ThreadStream):
            sys.stdout = _ThreadStream("stdout", sys.stdout)
        if not isinstance(os.environ, _ThreadEnviron):
            os.environ = _ThreadEnviron(os.environ)


# -- the handler ---------------------------------------------------------------------------

def handler(req):
    """Run the CGI script the request names; ``OK``, or 404 when there is no such file.

    :raises SERVER_RETURN: ``HTTP_NOT_FOUND`` when the script does not exist.
    """
    env = req.subprocess_env
    filename = env.get("SCRIPT_FILENAME") or req.filename
    if not filename or not os.path.isfile(filename):
        raise SERVER_RETURN(HTTP_NOT_FOUND)
    filename = os.path.abspath(filename)
    directory = os.path.dirname(filename)
    code = _compile(filename)
    if _chdir_wanted(req):
        with _cwd_lock:
            _run_in(directory, req, code, filename)
    else:
        _run(req, code, filename)
    return OK


def _chdir_wanted(req):
    return req.get_options().get(CHDIR_OPTION, "On").lower() not in ("off", "0", "no", "false")


def _run_in(directory, req, code, filename):
    # The CGI convention: a script runs in its own directory.
    try:
        previous = os.getcwd()
    except OSError:
        previous = None     # the server's directory was removed; there is nothing to go back to
    os.chdir(directory)
    try:
        _run(req, code, filename)
    finally:
        if previous is not None:
            os.chdir(previous)


def _run(req, code, filename):
    directory = os.path.dirname(filename)
    # Loaded with the script's directory importable, as it is for a CGI process.
    LOADER.add_directory(directory)
    _forget_modules_from(directory)
    environ = dict(build_cgi_env(req).items())
    _install()
    _bound.stdin, _bound.stdout, _bound.environ = CGIStdin(req), CGIStdout(req), environ
    name = os.path.splitext(os.path.basename(filename))[0]
    module = types.ModuleType(name)
    module.__file__ = filename
    try:
        exec(code, module.__dict__)
    except SystemExit as exc:
        # A CGI script may end with sys.exit(): with status 0 that is a normal end.
        if exc.code not in (None, 0):
            raise
    finally:
        _bound.stdin = _bound.stdout = _bound.environ = None


def _compile(filename):
    """The script's code object, compiled again only when the file changed."""
    info = os.stat(filename)
    cached = _compiled.get(filename)
    if cached is not None and cached[0] == info.st_mtime_ns and cached[1] == info.st_size:
        return cached[2]
    with open(filename, "rb") as fh:
        source = fh.read()
    code = compile(source, filename, "exec", dont_inherit=True)
    _compiled[filename] = (info.st_mtime_ns, info.st_size, code)
    return code


def _forget_modules_from(directory):
    """Make modules scripts imported from their own directories load afresh, as in a new process.

    mod_python drops every module imported since the handler was, standard
    library excepted; here only the modules of script directories are
    dropped (this one's and those of earlier scripts, which could shadow a
    same-named neighbour), so the server's and other handlers' modules stay
    loaded.  Modules the loader manages (``_mp_<hash>`` handler modules) are
    left to it.
    """
    _script_dirs.add(directory.rstrip("/") + "/")
    for name, module in list(sys.modules.items()):
        filename = getattr(module, "__file__", None)
        if (filename and not name.startswith("_mp_")
                and os.path.dirname(filename) + "/" in _script_dirs):
            sys.modules.pop(name, None)
