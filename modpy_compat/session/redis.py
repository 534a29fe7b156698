"""Sessions stored in Redis, for a site served by several machines (``RedisSession``).

Not in mod_python: chosen with ``PythonOption mod_python.session.session_type
RedisSession`` (or ``Redis``).  Options:

``mod_python.session.redis_url``
    ``redis://[[user]:password@]host[:port][/db]``, ``rediss://...`` (TLS) or
    ``unix:///path/to/socket[?db=N&password=...]``; default
    ``redis://127.0.0.1:6379/0``.
``mod_python.session.redis_prefix``
    prefix of the keys used (default ``mp_sess:``): ``<prefix><id>`` holds a
    session's pickled record, ``<prefix>lock:<id>`` its lock.
``mod_python.session.redis_lock_timeout``
    seconds after which a session lock lapses if its holder has not released
    it (default 60): the bound on how long a crashed process or machine
    keeps a session locked, and the longest a request may hold a session.

A session's lock is a Redis key set with ``SET NX PX`` to a random token and
deleted by a script only while it still holds that token, so a holder whose
lock lapsed never releases someone else's.  Waiters poll.  Records are
stored with an expiry of the session timeout plus
:data:`~modpy_compat.session.file.DFT_GRACE_PERIOD`, so Redis removes expired
sessions itself.  Records are pickles: the Redis server must be reachable by
your servers only.

The client is the small part of the Redis protocol (RESP) this needs, over a
socket, with a pool of connections per process.
"""
from __future__ import annotations

import logging
import pickle
import random
import secrets
import socket
import ssl
import threading
import time
import traceback
from urllib.parse import parse_qs, unquote, urlsplit

from modpy_compat.session.base import BaseSession, SessionError, ThreadLocks, option
from modpy_compat.session.file import _PICKLE_ERRORS, DFT_GRACE_PERIOD

log = logging.getLogger(__name__)

DFT_REDIS_URL = "redis://127.0.0.1:6379/0"
DFT_PREFIX = "mp_sess:"
DFT_LOCK_TIMEOUT = 60           # seconds
SOCKET_TIMEOUT = 10             # seconds, to connect and for each reply

# Deletes the lock only if it still holds the caller's token.
_RELEASE_SCRIPT = ("if redis.call('get', KEYS[1]) == ARGV[1] then "
                   "return redis.call('del', KEYS[1]) else return 0 end")


class RedisError(SessionError):
    """Redis answered with an error, or could not be reached."""


class RedisConnectionError(RedisError):
    """The connection to Redis failed or was closed."""


class _Connection:
    def __init__(self, address):
        family, target, tls_host = address
        try:
            sock = socket.socket(family, socket.SOCK_STREAM)
            sock.settimeout(SOCKET_TIMEOUT)
            sock.connect(target)
            if family != socket.AF_UNIX:
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            if tls_host is not None:
                sock = ssl.create_default_context().wrap_socket(sock, server_hostname=tls_host)
        except OSError as exc:
            raise RedisConnectionError("cannot connect to Redis at %s: %s" % (target, exc)) from exc
        self.sock = sock
        self.reader = sock.makefile("rb")

    def close(self):
        try:
            self.reader.close()
            self.sock.close()
        except OSError:
            pass

    def send(self, args):
        parts = [b"*%d\r\n" % len(args)]
        for arg in args:
            if isinstance(arg, str):
                arg = arg.encode("utf-8")
            elif not isinstance(arg, bytes):
                arg = str(arg).encode("ascii")
            parts.append(b"$%d\r\n%s\r\n" % (len(arg), arg))
        self.sock.sendall(b"".join(parts))

    def read(self):
        line = self.reader.readline()
        if not line.endswith(b"\r\n"):
            raise RedisConnectionError("Redis closed the connection")
        kind, rest = line[:1], line[1:-2]
        if kind == b"+":
            return rest.decode("utf-8")
        if kind == b"-":
            return RedisError(rest.decode("utf-8", "replace"))
        if kind == b":":
            return int(rest)
        if kind == b"$":
            size = int(rest)
            if size < 0:
                return None
            data = self.reader.read(size + 2)
            if len(data) != size + 2:
                raise RedisConnectionError("Redis closed the connection")
            return data[:-2]
        if kind == b"*":
            count = int(rest)
            return None if count < 0 else [self.read() for _ in range(count)]
        raise RedisConnectionError("unexpected reply from Redis: %r" % line[:40])


class RedisClient:
    """A thread-safe Redis client for one URL, pooling its connections.

    :param url: see the module documentation.
    """

    def __init__(self, url):
        self.url = url
        self._address, self._setup = _parse_url(url)
        self._idle = []
        self._guard = threading.Lock()

    def _connect(self):
        connection = _Connection(self._address)
        try:
            for command in self._setup:
                connection.send(command)
                reply = connection.read()
                if isinstance(reply, RedisError):
                    raise reply
        except BaseException:
            connection.close()
            raise
        return connection

    def execute(self, *args):
        """Send one command and return its reply (bytes for bulk strings).

        A pooled connection that turns out to be closed (Redis restarted, or
        dropped idle clients) is replaced, with the rest of the pool, once.

        :raises RedisError: for an error reply, or when Redis cannot be reached.
        """
        for attempt in (1, 2):
            with self._guard:
                connection = self._idle.pop() if self._idle else None
            pooled = connection is not None
            if connection is None:
                connection = self._connect()
            try:
                connection.send(args)
                reply = connection.read()
            except (OSError, RedisConnectionError) as exc:
                connection.close()
                if pooled and attempt == 1:
                    self.close()
                    continue
                raise RedisConnectionError("Redis at %s: %s" % (_redacted(self.url), exc)) from exc
            except BaseException:
                connection.close()
                raise
            with self._guard:
                self._idle.append(connection)
            if isinstance(reply, RedisError):
                raise reply
            return reply

    def close(self):
        """Close the idle connections."""
        with self._guard:
            idle, self._idle = self._idle, []
        for connection in idle:
            connection.close()


def _redacted(url):
    parts = urlsplit(url)
    if parts.password:
        return url.replace(":%s@" % parts.password, ":***@")
    return url


def _parse_url(url):
    """((family, target, TLS host or None), setup commands) for a Redis URL."""
    parts = urlsplit(url)
    query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    password = unquote(parts.password) if parts.password else query.get("password")
    user = unquote(parts.username) if parts.username else None
    if parts.scheme in ("redis", "rediss"):
        if not parts.hostname:
            raise SessionError("Redis URL without a host: %r" % _redacted(url))
        address = (socket.AF_INET6 if ":" in parts.hostname else socket.AF_INET,
                   (parts.hostname, parts.port or 6379),
                   parts.hostname if parts.scheme == "rediss" else None)
        db = parts.path.strip("/") or query.get("db", "0")
    elif parts.scheme == "unix":
        address = (socket.AF_UNIX, parts.path, None)
        db = query.get("db", "0")
    else:
        raise SessionError("not a Redis URL (redis://, rediss:// or unix://): %r" % _redacted(url))
    if not db.isdigit():
        raise SessionError("bad database number in Redis URL %r" % _redacted(url))
    setup = []
    if password:
        setup.append(("AUTH", user, password) if user else ("AUTH", password))
    if db != "0":
        setup.append(("SELECT", db))
    return address, setup


class RedisLocks(ThreadLocks):
    """Session locks shared by every process and machine using one Redis.

    Within a process a thread lock comes first, so only one thread per
    process polls Redis for a given session.
    """

    def __init__(self, client, prefix, timeout):
        super().__init__()
        self.client, self.prefix, self.timeout = client, prefix, timeout
        self._tokens = {}

    def _acquire_shared(self, key):
        name = self.prefix + "lock:" + key
        token = secrets.token_hex(16)
        ttl = max(1, int(self.timeout * 1000))
        delay = 0.001
        while self.client.execute("SET", name, token, "NX", "PX", ttl) is None:
            time.sleep(delay * (0.5 + random.random()))
            delay = min(delay * 2, 0.02)
        self._tokens[key] = token

    def _release_shared(self, key):
        token = self._tokens.pop(key, None)
        if token is None:
            return
        name = self.prefix + "lock:" + key
        if not self.client.execute("EVAL", _RELEASE_SCRIPT, 1, name, token):
            log.warning("the lock of session %s lapsed before its release: the request held it "
                        "longer than mod_python.session.redis_lock_timeout (%ss)", key, self.timeout)


class RedisSession(BaseSession):
    """A session stored in Redis, shared by every process and machine using that server."""

    _clients = {}
    _lock_tables = {}
    _guard = threading.Lock()

    def __init__(self, req, sid=0, secret=None, timeout=0, lock=1):
        options = req.get_options()
        url = option(options, "mod_python.session.redis_url", default=DFT_REDIS_URL)
        self._prefix = option(options, "mod_python.session.redis_prefix", default=DFT_PREFIX)
        try:
            lock_timeout = float(option(options, "mod_python.session.redis_lock_timeout",
                                        default=DFT_LOCK_TIMEOUT))
        except ValueError:
            raise SessionError("mod_python.session.redis_lock_timeout must be a number of seconds") from None
        with RedisSession._guard:
            client = RedisSession._clients.get(url)
            if client is None:
                client = RedisSession._clients[url] = RedisClient(url)
            key = (url, self._prefix, lock_timeout)
            locks = RedisSession._lock_tables.get(key)
            if locks is None:
                locks = RedisSession._lock_tables[key] = RedisLocks(client, self._prefix, lock_timeout)
        self._client, self._locks = client, locks
        BaseSession.__init__(self, req, sid=sid, secret=secret, timeout=timeout, lock=lock)

    def lock_table(self):
        return self._locks

    def do_load(self):
        data = self._client.execute("GET", self._prefix + self._sid)
        if data is None:
            return None
        try:
            return pickle.loads(data)
        except _PICKLE_ERRORS:
            self._req.log_error("Error while loading a session : %s" % traceback.format_exc())
            return None

    def do_save(self, record):
        ttl = max(1, int((record["_timeout"] + DFT_GRACE_PERIOD) * 1000))
        self._client.execute("SET", self._prefix + self._sid, pickle.dumps(record), "PX", ttl)

    def do_delete(self):
        self._client.execute("DEL", self._prefix + self._sid)

    def do_cleanup(self):
        """Nothing to do: Redis expires the records itself."""
