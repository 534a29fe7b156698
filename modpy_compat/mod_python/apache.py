"""``mod_python.apache``: constants, ``SERVER_RETURN``, ``table``, logging, the importer, CGI helpers.

Names and signatures are mod_python's; the behaviour lives in the engine
(:mod:`modpy_compat.constants`, :mod:`modpy_compat.table`,
:mod:`modpy_compat.loader`, :mod:`modpy_compat.request_helpers`).  Besides
mod_python 3.5's names this module has the 3.3.1 importer extras
(``freeze_modules``, ``modules_graph``...) and harmless aliases for names the
documentation lists but mod_python never had (``parse_qs``, ``parse_qsl``,
``allow_methods``, ``exists_config``).  Differences are listed in
docs/compatibility.md.
"""
from __future__ import annotations

import codecs
import os
import sys
import time

from modpy_compat import constants as _constants
from modpy_compat.constants import *  # noqa: F401,F403 - mod_python's constants, all of them
from modpy_compat.constants import (
    AP_MPMQ_DYNAMIC, AP_MPMQ_HARD_LIMIT_DAEMONS, AP_MPMQ_HARD_LIMIT_THREADS, AP_MPMQ_IS_FORKED,
    AP_MPMQ_IS_THREADED, AP_MPMQ_MAX_DAEMON_USED, AP_MPMQ_MAX_DAEMONS, AP_MPMQ_MAX_THREADS,
    AP_MPMQ_NOT_SUPPORTED, AP_MPMQ_STATIC, APLOG_ERR, METHODS)
from modpy_compat.errorlog import log_error as _log_error
from modpy_compat.forms import parse_qs, parse_qsl  # noqa: F401 - documented in apache
from modpy_compat.loader import LOADER as _LOADER, resolve_object  # noqa: F401
from modpy_compat.request_helpers import build_cgi_env  # noqa: F401
from modpy_compat.table import table

make_table = table
interpreter = None
main_server = None
_gateway = None

__all__ = sorted(name for name in dir(_constants) if name.isupper()) + [
    "table", "make_table", "log_error", "import_module", "resolve_object", "build_cgi_env",
    "setup_cgi", "restore_nocgi", "NullIO", "CGIStdin", "CGIStdout", "mpm_query",
    "exists_config_define", "config_tree", "server_root", "register_cleanup", "stat", "init",
    "interpreter", "main_server", "parse_qs", "parse_qsl", "allow_methods", "exists_config",
    "module_mtime", "freeze_modules", "modules_graph", "request_modules_graph", "module_info",
    "get_current_config", "get_current_options", "get_handler_root", "ximport_module"]


def init(gateway):
    """Called by the gateway at start-up, as mod_python calls ``apache.init`` per interpreter.

    Sets :data:`interpreter` (the main server's name, mod_python's default
    interpreter name), :data:`main_server` and, as mod_python does, ``sys.argv``.
    """
    global _gateway, main_server, interpreter
    _gateway = gateway
    main_server = gateway.main_server
    interpreter = main_server.server_hostname
    sys.argv = ["mod_python"]


# -- logging, configuration, the MPM ----------------------------------------------------------

def log_error(message, level=APLOG_ERR, server=None):
    """Write ``message`` to the error log (``apache.log_error``).

    :raises TypeError: ``server`` is neither a server object nor None.
    """
    _log_error(message, level, server)


def mpm_query(code):
    """Answer an MPM question from what the WSGI server says it is.

    Threads and processes come from ``modpy-compat serve --threads`` /
    ``make_app`` and the environ's ``wsgi.multithread``/``wsgi.multiprocess``;
    they decide, as in mod_python, which class ``Session()`` picks.
    """
    if not isinstance(code, int):
        raise TypeError("The argument must be an integer")
    facts = _gateway.mpm_facts() if _gateway is not None else None
    threaded, forked, threads, daemons = facts or (True, False, 8, 1)
    answers = {
        AP_MPMQ_IS_THREADED: AP_MPMQ_STATIC if threaded else AP_MPMQ_NOT_SUPPORTED,
        AP_MPMQ_IS_FORKED: AP_MPMQ_DYNAMIC if forked else AP_MPMQ_NOT_SUPPORTED,
        AP_MPMQ_MAX_THREADS: threads if threaded else 1,
        AP_MPMQ_HARD_LIMIT_THREADS: threads if threaded else 1,
        AP_MPMQ_MAX_DAEMONS: daemons,
        AP_MPMQ_HARD_LIMIT_DAEMONS: daemons,
        AP_MPMQ_MAX_DAEMON_USED: daemons,
    }
    return answers.get(code, 0)


def exists_config_define(name):
    """True when ``name`` is defined (``modpy-compat serve -D NAME``, like ``httpd -D``)."""
    return bool(_gateway is not None and name in _gateway.site.defines)


def exists_config(name):
    """Documented by mod_python but never there: an alias of :func:`exists_config_define`."""
    return exists_config_define(name)


def allow_methods(*args):
    """Documented by mod_python but never there; harmless here.

    Given a request first (``allow_methods(req, M_GET, "PUT")``) it adds the
    methods, by ``M_*`` number or name, to ``req.allow_methods``; otherwise
    it does nothing (there is no request to apply them to).
    """
    if args and type(args[0]).__name__ == "mp_request":
        names = [METHODS[m] if isinstance(m, int) and 0 <= m < len(METHODS) else m for m in args[1:]]
        args[0].allow_methods([n for n in names if isinstance(n, str)])


def config_tree():
    """The parsed configuration as mod_python's nested list of ``(directive, args)`` tuples."""
    from modpy_compat.config import lexer

    def convert(nodes):
        out = []
        for node in nodes:
            if isinstance(node, lexer.Section):
                out.append(("<" + node.name, node.raw + ">"))
                out.append(convert(node.children))
            else:
                out.append((node.name, node.raw))
        return out
    return convert(_gateway.site.tree) if _gateway is not None else []


def server_root():
    """``ServerRoot``: the directory of the configuration file."""
    return _gateway.site.server_root if _gateway is not None else os.getcwd()


def register_cleanup(callable_, data=None):
    """Run ``callable_(data)`` when the process exits (mod_python: when the child exits)."""
    from modpy_compat.mod_python import _apache
    _apache.register_cleanup(interpreter, main_server, callable_, data)


def stat(fname, wanted):
    """``apache.stat``: an ``mp_finfo`` for ``fname``; a missing file is not an error.

    :raises OSError: ``(errno, "apr_stat() failed")`` when the file cannot be examined.
    """
    from modpy_compat.finfo import finfo_for
    if not isinstance(fname, str) or not isinstance(wanted, int):
        raise TypeError("stat() takes a file name (str) and an int of APR_FINFO_* flags")
    return finfo_for(fname)


# -- the importer --------------------------------------------------------------------------

def import_module(module_name, autoreload=1, log=0, path=None):
    """Import a module the way mod_python's importer does, reloading it when changed.

    ``module_name`` may be a path to a ``.py`` file, as 3.3.1 allowed; bare
    names are looked for in ``path`` (a list of directories) first.
    ``autoreload=None`` means on (3.3.1: the request's ``PythonAutoReload``).
    """
    return _LOADER.import_module(
        module_name, autoreload=autoreload is None or bool(autoreload), log_imports=bool(log),
        path=path, directory=os.getcwd() if module_name.startswith(".") else None)


ximport_module = import_module


def module_mtime(module):
    """The modification time of ``module``'s file (mod_python 3.5), 0 when it has none."""
    filename = getattr(module, "__file__", None)
    try:
        return os.path.getmtime(filename) if filename else 0
    except OSError:
        return 0


def freeze_modules():
    """Stop reloading changed modules for the rest of the process (mod_python 3.3.1)."""
    if getattr(_LOADER, "_frozen", False):
        return
    cls = type(_LOADER)

    def import_frozen(name, **kwargs):
        kwargs["autoreload"] = False
        return cls.import_module(_LOADER, name, **kwargs)

    def load_frozen(filename, **kwargs):
        kwargs["autoreload"] = False
        return cls.load_file(_LOADER, filename, **kwargs)
    _LOADER.import_module, _LOADER.load_file = import_frozen, load_frozen
    _LOADER._frozen = True


class _ModuleInfo:
    """What :func:`module_info` tells about a module loaded from a file (3.3.1's cache entry)."""

    def __init__(self, module, mtime_ns):
        self.label = module.__name__
        self.file = getattr(module, "__file__", None)
        self.module = module
        self.mtime = mtime_ns / 1e9
        self.ctime = self.atime = self.mtime
        self.generation = self.direct = self.indirect = 0
        self.path = getattr(module, "__mp_path__", None)
        self.children = {}
        self.instance = 0

    def __repr__(self):
        return "<module_info %s %s>" % (self.label, self.file)


def _loaded():
    return [_ModuleInfo(entry[0], entry[1]) for entry in list(_LOADER._by_path.values())]


def module_info(label):
    """The cache entry of the file-loaded module called ``label`` (``_mp_<hash>``).

    :raises KeyError: no such module was loaded.
    """
    for info in _loaded():
        if info.label == label:
            return info
    raise KeyError(label)


def _graph(title, infos, verbose):
    lines = ["digraph %s {" % title, "node [shape=box];"]
    for info in infos:
        if verbose:
            stamp = time.asctime(time.localtime(info.mtime))
            lines.append('%s [label="%s\\nmtime = %s\\ngeneration = %d, direct = %d, indirect = %d'
                         '\\npath = %s"];' % (info.label, info.file, stamp, info.generation,
                                              info.direct, info.indirect, info.path))
        else:
            lines.append('%s [label="%s"];' % (info.label, info.file))
    lines.append("}")
    return "\n".join(lines) + "\n"


def modules_graph(verbose=0):
    """Graphviz DOT text of the modules loaded from files (3.3.1; no dependency edges here)."""
    return _graph("GLOBAL", _loaded(), verbose)


def request_modules_graph(verbose=0, req=None):
    """Graphviz DOT text of the modules a request loaded (3.3.1).

    Modules are not tracked per request here: the graph lists the modules of
    the handlers ``req`` ran (its handler directory's files), or none.
    """
    infos = []
    if req is not None and req.hlist is not None and req.hlist.directory:
        directory = req.hlist.directory
        infos = [i for i in _loaded() if i.file and i.file.startswith(directory)]
    return _graph("REQUEST", infos, verbose)


def get_current_config(req=None):
    """``req.get_config()``, or the main server's outside a request (3.3.1).

    3.3.1 found the current request itself; pass it (modpy_compat keeps no
    per-thread "current request").
    """
    if req is not None:
        return req.get_config()
    return main_server.get_config() if main_server is not None else table()


def get_current_options(req=None):
    """``req.get_options()``, or the main server's outside a request (3.3.1)."""
    if req is not None:
        return req.get_options()
    return main_server.get_options() if main_server is not None else table()


def get_handler_root(req=None):
    """The directory of the handler ``req`` is running (no trailing slash), else None (3.3.1)."""
    hlist = getattr(req, "hlist", None)
    if hlist is None or not hlist.directory:
        return None
    return os.path.normpath(hlist.directory)


# -- CGI emulation (used by mod_python.cgihandler) ---------------------------------------------

class NullIO:
    """A file-like object that reads nothing and swallows writes."""

    def tell(self):
        return 0

    def read(self, n=-1):
        return ""

    def readline(self, length=None):
        return ""

    def readlines(self):
        return []

    def write(self, s):
        pass

    def writelines(self, lines):
        self.write("".join(lines))

    def isatty(self):
        return 0

    def flush(self):
        pass

    def close(self):
        pass

    def detach(self):
        pass

    def seek(self, pos, mode=0):
        pass


class _BinaryStdin:
    """``sys.stdin.buffer`` of :class:`CGIStdin`: the request body as bytes."""

    BLOCK = 65536

    def __init__(self, req):
        self.req = req
        self.buf = b""

    def read(self, n=-1):
        if n is None or n < 0:
            data, self.buf = self.buf + self.req.read(), b""
            return data
        if len(self.buf) < n:
            self.buf += self.req.read(n - len(self.buf))
        data, self.buf = self.buf[:n], self.buf[n:]
        return data

    def readline(self, n=-1):
        while b"\n" not in self.buf and (n is None or n < 0 or len(self.buf) < n):
            more = self.req.read(self.BLOCK)
            if not more:
                break
            self.buf += more
        end = self.buf.find(b"\n") + 1 or len(self.buf)
        if n is not None and 0 <= n < end:
            end = n
        line, self.buf = self.buf[:end], self.buf[end:]
        return line

    def readlines(self):
        return list(iter(self.readline, b""))

    def __iter__(self):
        return iter(self.readline, b"")


class CGIStdin(NullIO):
    """``sys.stdin`` for a CGI script: the request body, as text (UTF-8) or bytes (``.buffer``)."""

    def __init__(self, req):
        self.req = req
        self.pos = 0
        self.buffer = _BinaryStdin(req)
        self._decoder = codecs.getincrementaldecoder("utf-8")("surrogateescape")

    def read(self, n=-1):
        if n == 0:
            return ""
        data = self.buffer.read(n)
        self.pos += len(data)
        return self._decoder.decode(data, final=not data or n is None or n < 0)

    def readline(self, n=-1):
        if n == 0:
            return ""
        data = self.buffer.readline(n)
        self.pos += len(data)
        return self._decoder.decode(data, final=not data)

    def readlines(self):
        # mod_python splits the rest at "\n" and gives every piece a "\n", the last too.
        return [piece + "\n" for piece in self.read().split("\n")]

    def tell(self):
        return self.pos


class _BinaryStdout:
    """``sys.stdout.buffer`` of :class:`CGIStdout`."""

    def __init__(self, stdout):
        self.stdout = stdout

    def write(self, data):
        self.stdout.write(bytes(data))
        return len(data)

    def flush(self):
        pass


class CGIStdout(NullIO):
    """``sys.stdout`` for a CGI script: a header block (Status, Content-Type...), then the body.

    Until a blank line (``\\r\\n\\r\\n`` or ``\\n\\n``) ends the headers, output
    is collected; each header line is split at its first ``:`` (a line
    without one raises ``ValueError``).  ``Status`` sets ``req.status``,
    ``Content-Type`` ``req.content_type``, other headers are added to
    ``headers_out``.  The rest goes to ``req.write``.  ``str`` is UTF-8 on the
    wire, ``bytes`` (or ``.buffer.write``) go as they are.
    """

    def __init__(self, req):
        self.req = req
        self.pos = 0
        self.headers_sent = 0
        self.headers = ""
        self.buffer = _BinaryStdout(self)

    def write(self, s):
        if not s:
            return
        raw = isinstance(s, (bytes, bytearray))
        if self.headers_sent:
            self.req.write(bytes(s) if raw else str(s))
        else:
            self.headers += bytes(s).decode("latin-1") if raw else str(s)
            parts = self.headers.split("\r\n\r\n", 1)
            if len(parts) < 2:
                parts = self.headers.split("\n\n", 1)
            if len(parts) == 2:
                self._headers(parts[0])
                self.headers_sent = 1
                if parts[1]:
                    self.req.write(parts[1].encode("latin-1") if raw else parts[1])
        self.pos += len(s)

    def _headers(self, block):
        for line in block.replace("\r\n", "\n").split("\n"):
            name, value = line.split(":", 1)
            value = value.strip()
            if name.lower() == "status":
                self.req.status = int(value.split()[0])
            elif name.lower() == "content-type":
                self.req.content_type = value
                self.req.headers_out[name] = value
            else:
                self.req.headers_out.add(name, value)

    def tell(self):
        return self.pos


def setup_cgi(req):
    """Make the process look like a CGI environment for ``req`` (``mod_python.cgihandler``).

    Updates ``os.environ`` with :func:`build_cgi_env`, replaces ``sys.stdin``
    and ``sys.stdout`` and empties ``sys.argv``; callers must serialise
    requests and call :func:`restore_nocgi` in a ``finally``.

    :returns: ``(saved_environ, old_stdin, old_stdout)``.
    """
    saved = os.environ.copy()
    stdin, stdout = sys.stdin, sys.stdout
    os.environ.update(build_cgi_env(req))
    sys.stdout = CGIStdout(req)
    sys.stdin = CGIStdin(req)
    sys.argv = []
    return saved, stdin, stdout


def restore_nocgi(sav_env, si, so):
    """Undo :func:`setup_cgi`: the saved environment, stdin ``si`` and stdout ``so``.

    mod_python 3.5 assigns the two streams the wrong way round; they go back
    where they came from here.
    """
    os.environ.clear()
    os.environ.update(sav_env)
    sys.stdin, sys.stdout = si, so
