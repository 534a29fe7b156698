"""The ``req.server`` and ``req.connection`` objects (``mp_server``, ``mp_conn``).

A :class:`Server` exists once per configured server (main or virtual host)
for the life of the application; a :class:`Connection` is built per request
from the WSGI environ (WSGI does not expose connections, so ``keepalives``
and ``id`` are best-effort).
"""
from __future__ import annotations

import atexit
import itertools
import logging
import time

from modpy_compat.constants import AP_CONN_KEEPALIVE, APLOG_ERR
from modpy_compat.errorlog import log_error
from modpy_compat.table import table

_connection_ids = itertools.count(1)
log = logging.getLogger("mod_python")


class Server:
    """The server a request is handled by (``mp_server``); one per virtual host."""

    def __init__(self, config, site, next_server=None):
        self._config = config
        self._site = site
        self.next = next_server
        self._options = table(config.options)
        self._python_config = table(config.config)
        self.restart_time = time.time()
        self.my_generation = 0
        self._server_rec = None

    # Read-only attributes from the configuration.
    server_hostname = property(lambda self: self._config.server_hostname)
    server_admin = property(lambda self: self._config.server_admin)
    port = property(lambda self: self._config.port)
    defn_name = property(lambda self: self._config.defn_name)
    defn_line_number = property(lambda self: self._config.defn_line_number)
    error_fname = property(lambda self: self._config.error_fname)
    is_virtual = property(lambda self: int(self._config.is_virtual))
    timeout = property(lambda self: self._config.timeout)
    keep_alive_timeout = property(lambda self: self._config.keep_alive_timeout)
    keep_alive_max = property(lambda self: self._config.keep_alive_max)
    keep_alive = property(lambda self: 1)
    path = property(lambda self: self._config.path)
    pathlen = property(lambda self: len(self._config.path or ""))
    names = property(lambda self: tuple(n for n in self._config.names if n not in self._config.wild_names))
    wild_names = property(lambda self: self._config.wild_names)
    limit_req_line = property(lambda self: self._config.limit_req_line)
    limit_req_fieldsize = property(lambda self: self._config.limit_req_fieldsize)
    limit_req_fields = property(lambda self: self._config.limit_req_fields)
    loglevel = property(lambda self: 4)

    def get_options(self):
        """PythonOption values set outside any section in this server (live, writable)."""
        return self._options

    def get_config(self):
        """mod_python directives set outside any section in this server."""
        return self._python_config

    def log_error(self, message, level=APLOG_ERR):
        log_error(message, level, self)

    def register_cleanup(self, req, callable_, data=None):
        """Run ``callable_(data)`` when the process exits (mod_python: child exit)."""
        if type(req).__name__ != "mp_request":
            raise ValueError("first argument must be a request object")
        if not callable(callable_):
            raise ValueError("second argument must be a callable object")
        atexit.register(_run_cleanup, callable_, data)


def _run_cleanup(callable_, data):
    try:
        callable_(data)
    except Exception:
        log.exception("python_cleanup: Error calling cleanup object %r", callable_)


class Connection:
    """The client connection of a request (``mp_conn``), from the WSGI environ."""

    def __init__(self, environ, base_server):
        self.base_server = base_server
        ip = environ.get("REMOTE_ADDR", "")
        port = int(environ.get("REMOTE_PORT") or 0)
        self.client_addr = self.remote_addr = (ip, port)
        self.client_ip = self.remote_ip = ip
        local_ip = environ.get("SERVER_ADDR") or environ.get("SERVER_NAME", "")
        self.local_addr = (local_ip, int(environ.get("SERVER_PORT") or 0))
        self.local_ip = local_ip
        self.local_host = None
        self.remote_host = environ.get("REMOTE_HOST")
        self.remote_logname = None
        self.aborted = 0
        self.keepalive = AP_CONN_KEEPALIVE
        self.double_reverse = 0
        self.keepalives = 0
        self.id = next(_connection_ids)
        self.notes = table()
        self.hlist = None
        self._conn_rec = None

    def log_error(self, message, level=APLOG_ERR):
        log_error(message, level, self.base_server)

    def read(self, length=0):
        raise IOError("Connection read is not available over WSGI: the server owns the socket")

    readline = read

    def write(self, data):
        raise IOError("Connection write is not available over WSGI: the server owns the socket")


Connection.__name__ = Connection.__qualname__ = "mp_conn"
Server.__name__ = Server.__qualname__ = "mp_server"
