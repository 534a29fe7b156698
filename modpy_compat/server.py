"""The ``req.server`` and ``req.connection`` objects (``mp_server``, ``mp_conn``).

A :class:`Server` exists once per configured server (main or virtual host)
for the life of the application; its attributes come from the configuration.
A :class:`Connection` is built per request from the WSGI environ: WSGI does
not expose connections, so ``keepalives`` and ``id`` are best-effort, and
the raw-socket methods (``read``, ``readline``, ``write``, only meaningful in
a ``PythonConnectionHandler``) raise :class:`ConnectionUnsupported`.
"""
from __future__ import annotations

import atexit
import functools
import ipaddress
import itertools
import logging
import time

from modpy_compat.constants import AP_CONN_UNKNOWN, APLOG_ERR
from modpy_compat.errorlog import log_error
from modpy_compat.errors import UnsupportedFeature
from modpy_compat.table import table

_connection_ids = itertools.count(0)
log = logging.getLogger("mod_python")
# LogLevel names to APLOG_* values.
_LOG_LEVELS = {"emerg": 0, "alert": 1, "crit": 2, "error": 3, "warn": 4, "notice": 5, "info": 6,
               "debug": 7}


class ConnectionUnsupported(UnsupportedFeature, IOError):
    """A raw-connection feature was used: WSGI servers own the socket.

    Also an ``IOError``, which is what mod_python raises when a connection
    read or write fails, so legacy ``except IOError`` clauses still apply.
    """


class _Config:
    """A read-only server attribute taken from its configuration.

    :param inherited: a virtual host that leaves it at Apache's default gets
        the main server's value, as in Apache.
    """

    def __init__(self, getter, inherited=False):
        self.getter = getter
        self.inherited = inherited

    def __set_name__(self, owner, name):
        self.name = name

    def __get__(self, server, owner=None):
        if server is None:
            return self
        config = server._config
        value = self.getter(config)
        if self.inherited and config.is_virtual and value == self.getter(_DEFAULTS):
            value = self.getter(server._site.main)
        return value

    def __set__(self, server, value):
        raise AttributeError("attribute '%s' of 'mp_server' objects is not writable" % self.name)

    __delete__ = __set__


def _defaults():
    from modpy_compat.config.site import ServerConfig
    return ServerConfig()


class Server:
    """The server a request is handled by (``mp_server``); one per virtual host.

    Handlers may set attributes of their own on it; they last for the process.
    """

    def __init__(self, config, site, next_server=None):
        d = self.__dict__
        d["_config"] = config
        d["_site"] = site
        d["_next"] = next_server
        main = site.main if config.is_virtual else None
        # Apache merges the main server's mod_python settings into each virtual host.
        d["_options"] = table(main.options if main is not None else {})
        d["_options"].update(config.options)
        d["_python_config"] = table(main.config if main is not None else {})
        d["_python_config"].update(config.config)
        d["_restart_time"] = time.time()
        # "LogLevel warn mod_x:debug": the first word without a module sets the server's.
        words = [w for w in (_directive(site, config, "LogLevel") or "warn").split() if ":" not in w]
        d["_loglevel"] = _LOG_LEVELS.get(words[0].lower() if words else "warn", 4)
        d["_keep_alive"] = int((_directive(site, config, "KeepAlive") or "on").lower() != "off")

    server_hostname = _Config(lambda c: c.server_hostname)
    server_admin = _Config(lambda c: c.server_admin)
    port = _Config(lambda c: c.port)
    defn_name = _Config(lambda c: c.defn_name)
    defn_line_number = _Config(lambda c: c.defn_line_number)
    error_fname = _Config(lambda c: c.error_fname)
    is_virtual = _Config(lambda c: int(c.is_virtual))
    timeout = _Config(lambda c: float(c.timeout), inherited=True)
    keep_alive_timeout = _Config(lambda c: float(c.keep_alive_timeout), inherited=True)
    keep_alive_max = _Config(lambda c: c.keep_alive_max, inherited=True)
    path = _Config(lambda c: c.path)
    pathlen = _Config(lambda c: len(c.path or ""))
    names = _Config(lambda c: tuple(n for n in c.names if n not in c.wild_names))
    wild_names = _Config(lambda c: tuple(c.wild_names))
    limit_req_line = _Config(lambda c: c.limit_req_line, inherited=True)
    limit_req_fieldsize = _Config(lambda c: c.limit_req_fieldsize, inherited=True)
    limit_req_fields = _Config(lambda c: c.limit_req_fields, inherited=True)
    loglevel = property(lambda self: self._loglevel)
    keep_alive = property(lambda self: self._keep_alive)
    next = property(lambda self: self._next)
    restart_time = property(lambda self: self._restart_time)
    my_generation = property(lambda self: 0)
    _server_rec = property(lambda self: None)

    def __setattr__(self, name, value):
        if isinstance(getattr(type(self), name, None), (_Config, property)):
            raise AttributeError("attribute '%s' of 'mp_server' objects is not writable" % name)
        self.__dict__[name] = value

    def get_options(self):
        """PythonOption values set outside any section in this server (live, writable)."""
        return self._options

    def get_config(self):
        """mod_python directives set outside any section in this server."""
        return self._python_config

    def log_error(self, message, level=APLOG_ERR):
        """Write ``message`` to the error log."""
        log_error(message, level, self)

    def register_cleanup(self, req, callable_, data=None):
        """Run ``callable_(data)`` when the process exits (mod_python: child exit)."""
        if type(req).__name__ != "mp_request":
            raise ValueError("first argument must be a request object")
        if not callable(callable_):
            raise ValueError("second argument must be a callable object")
        atexit.register(run_cleanup, callable_, data)

    def __repr__(self):
        return "<mp_server object at 0x%x>" % id(self)


_DEFAULTS = _defaults()


def _directive(site, config, name):
    """The arguments of the last ``name`` directive in ``config``'s own scope, else the main one's."""
    from modpy_compat.config.lexer import Section

    def last_in(nodes):
        found = None
        for node in nodes:
            if not isinstance(node, Section) and node.name.lower() == name.lower():
                found = node.raw
        return found

    tree = getattr(site, "tree", None) or []
    value = None
    if getattr(config, "is_virtual", False):
        for node in tree:
            if (isinstance(node, Section) and node.name.lower() == "virtualhost"
                    and node.lineno == config.defn_line_number and node.filename == config.defn_name):
                value = last_in(node.children)
    return value if value is not None else last_in(tree)


def run_cleanup(callable_, data):
    """Call a process-exit cleanup, logging (never raising) its errors as mod_python does."""
    try:
        callable_(data)
    except Exception as exc:
        log.error("python_cleanup: Error calling cleanup object %r\n    %s: %s",
                  callable_, type(exc), exc)


class _ReadOnly:
    """A connection attribute that cannot be assigned (mod_python: a read-only member)."""

    def __set_name__(self, owner, name):
        self.slot = "_" + name

    def __get__(self, conn, owner=None):
        return self if conn is None else getattr(conn, self.slot)

    def __set__(self, conn, value):
        raise AttributeError("readonly attribute")

    def __delete__(self, conn):
        raise AttributeError("can't delete connection attributes")


class Connection:
    """The client connection of a request (``mp_conn``), from the WSGI environ."""

    __slots__ = ("_base_server", "_client_addr", "_client_ip", "_local_addr", "_local_ip",
                 "_remote_host", "_double_reverse", "_id", "_notes", "_keepalive")

    base_server = _ReadOnly()
    client_addr = _ReadOnly()
    client_ip = _ReadOnly()
    local_addr = _ReadOnly()
    local_ip = _ReadOnly()
    remote_host = _ReadOnly()
    double_reverse = _ReadOnly()
    id = _ReadOnly()
    notes = _ReadOnly()
    # Apache 2.2 names, aliases on 2.4 (mod_python logs a deprecation warning; not we).
    remote_addr = property(lambda self: self._client_addr)
    remote_ip = property(lambda self: self._client_ip)
    local_host = property(lambda self: None)
    remote_logname = property(lambda self: None)
    aborted = property(lambda self: 0)
    keepalives = property(lambda self: 0)
    hlist = property(lambda self: None)
    _conn_rec = property(lambda self: None)

    def __init__(self, environ, base_server):
        set_ = object.__setattr__
        ip = environ.get("REMOTE_ADDR", "")
        set_(self, "_base_server", base_server)
        set_(self, "_client_addr", (ip, int(environ.get("REMOTE_PORT") or 0)))
        set_(self, "_client_ip", ip)
        local_ip = _local_ip(environ)
        set_(self, "_local_addr", (local_ip, int(environ.get("SERVER_PORT") or 0)))
        set_(self, "_local_ip", local_ip)
        # Servers that do no lookup put the address in REMOTE_HOST; Apache then has None.
        host = environ.get("REMOTE_HOST")
        set_(self, "_remote_host", host if host and host != ip else None)
        set_(self, "_double_reverse", 0)
        set_(self, "_id", next(_connection_ids))
        set_(self, "_notes", table())
        # Apache decides keep-alive when it sends the headers: unknown until then.
        set_(self, "_keepalive", AP_CONN_UNKNOWN)

    @property
    def keepalive(self):
        return self._keepalive

    @keepalive.setter
    def keepalive(self, value):
        if not isinstance(value, int):
            raise TypeError("keepalive must be a integer")
        object.__setattr__(self, "_keepalive", value)

    def __setattr__(self, name, value):
        attr = getattr(type(self), name, None)
        if attr is None:
            raise AttributeError(name)
        if isinstance(attr, property) and attr.fset is None:
            raise AttributeError("readonly attribute")
        object.__setattr__(self, name, value)

    def __delattr__(self, name):
        raise AttributeError("can't delete connection attributes")

    def _remember_lookup(self, name):
        """Keep the result of a double-reverse DNS lookup, as Apache does on the connection."""
        object.__setattr__(self, "_remote_host", name or self._remote_host)
        object.__setattr__(self, "_double_reverse", 1 if name else -1)

    def log_error(self, message, level=APLOG_ERR):
        """Write ``message`` to the error log."""
        log_error(message, level, self._base_server)

    def read(self, length=0):
        """Raw socket read: only in a connection handler, which WSGI cannot have."""
        raise ConnectionUnsupported("conn.read(): a WSGI server owns the socket; read the body "
                                    "with req.read() (docs/compatibility.md)")

    def readline(self, length=0):
        """Raw socket read: only in a connection handler, which WSGI cannot have."""
        raise ConnectionUnsupported("conn.readline(): a WSGI server owns the socket; read the "
                                    "body with req.readline() (docs/compatibility.md)")

    def write(self, data):
        """Raw socket write: only in a connection handler, which WSGI cannot have."""
        raise ConnectionUnsupported("conn.write(): a WSGI server owns the socket; write the "
                                    "response with req.write() (docs/compatibility.md)")

    def __repr__(self):
        return "<mp_conn object at 0x%x>" % id(self)


def _local_ip(environ):
    """The address the client connected to: SERVER_ADDR, else an address-valued name."""
    for candidate in (environ.get("SERVER_ADDR"), environ.get("SERVER_NAME"),
                      _host_part(environ.get("HTTP_HOST", ""))):
        if candidate and _is_ip(candidate):
            return candidate
    remote = environ.get("REMOTE_ADDR", "")
    if _is_ip(remote) and ipaddress.ip_address(remote).is_loopback:
        return "::1" if ":" in remote else "127.0.0.1"
    return environ.get("SERVER_NAME", "")


def _host_part(host):
    if host.startswith("["):
        return host[1:host.find("]")]
    return host.rsplit(":", 1)[0]


@functools.lru_cache(maxsize=4096)  # the same few addresses come back on every request
def _is_ip(text):
    try:
        ipaddress.ip_address(text)
        return True
    except ValueError:
        return False


Connection.__name__ = Connection.__qualname__ = "mp_conn"
Server.__name__ = Server.__qualname__ = "mp_server"
