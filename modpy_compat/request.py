"""The request object handed to every handler (mod_python's ``mp_request``).

One :class:`Request` is built per request (and per internal redirect) by the
gateway and passed to every phase.  Attributes mod_python makes read-only are
declared with :class:`ReadOnly` and refuse assignment as mod_python does;
everything else is a plain attribute handlers may set.  Handlers may attach
attributes of their own (``req.form``, ``req.session``...).
"""
from __future__ import annotations

import base64
import binascii
import os
import time
from email.utils import formatdate

from modpy_compat import constants as C
from modpy_compat.constants import SERVER_RETURN
from modpy_compat.errorlog import log_error
from modpy_compat.finfo import finfo_for
from modpy_compat.request_body import RequestBody
from modpy_compat.static import conditional_status, etag
from modpy_compat.table import table


class ReadOnly:
    """A request attribute handlers can read but not assign, as in mod_python.

    :param factory: computes the value on first access (kept afterwards), for
        attributes most handlers never read.
    """

    def __init__(self, factory=None):
        self.factory = factory

    def __set_name__(self, owner, name):
        self.name = name
        self.slot = "_" + name

    def __get__(self, req, owner=None):
        if req is None:
            return self
        try:
            return req.__dict__[self.slot]
        except KeyError:
            if self.factory is None:
                raise AttributeError(self.name)
            value = req.__dict__[self.slot] = self.factory(req)
            return value

    def __set__(self, req, value):
        raise AttributeError("attribute '%s' of 'mp_request' objects is not writable" % self.name)


def _headers_in(req):
    environ = req._environ
    pairs = []
    for key, value in environ.items():
        if key.startswith("HTTP_"):
            name = key[5:].replace("_", "-").title()
        elif key in ("CONTENT_TYPE", "CONTENT_LENGTH") and value:
            name = key.replace("_", "-").title()
        else:
            continue
        pairs.append((name, value.encode("latin-1").decode("utf-8", "surrogateescape")
                      if not value.isascii() else value))
    return table.from_pairs_unchecked(pairs)


def _hostname(req):
    host = req._environ.get("HTTP_HOST") or req._environ.get("SERVER_NAME") or ""
    if host.startswith("["):
        return host[:host.find("]") + 1].lower()
    return host.rsplit(":", 1)[0].lower() or None


def _parsed_uri(req):
    path, _, query = req.unparsed_uri.partition("?")
    return (None, None, None, None, None, None, path, query if "?" in req.unparsed_uri else None, None)


def _subprocess_env(req):
    # mod_python 3.3.1 filled in the CGI variables when it created the request.
    env = table()
    for name, value in req._config.set_env.items():
        if value is not None:
            env[name] = value
    req._add_cgi_vars(env)
    return env


class Request:
    """An HTTP request as mod_python handlers see it."""

    # Read-only attributes (mod_python's C getters).
    method = ReadOnly()
    protocol = ReadOnly()
    unparsed_uri = ReadOnly()
    request_time = ReadOnly()
    connection = ReadOnly()
    server = ReadOnly()
    headers_in = ReadOnly(_headers_in)
    headers_out = ReadOnly(lambda req: table())
    err_headers_out = ReadOnly(lambda req: table())
    notes = ReadOnly(lambda req: table())
    subprocess_env = ReadOnly(_subprocess_env)
    hostname = ReadOnly(_hostname)
    parsed_uri = ReadOnly(_parsed_uri)
    method_number = ReadOnly(lambda req: C.METHOD_NUMBERS.get(req.method, C.M_INVALID))
    header_only = ReadOnly(lambda req: int(req.method == "HEAD"))
    proto_num = ReadOnly(lambda req: _proto_num(req.protocol))
    the_request = ReadOnly(lambda req: "%s %s %s" % (req.method, req.unparsed_uri, req.protocol))
    range = ReadOnly(lambda req: req._environ.get("HTTP_RANGE"))
    expecting_100 = ReadOnly(lambda req: int(req._environ.get("HTTP_EXPECT", "").lower() == "100-continue"))
    useragent_ip = ReadOnly(lambda req: req.connection.client_ip)
    useragent_addr = ReadOnly(lambda req: req.connection.client_addr)
    allowed = ReadOnly(lambda req: 0)
    allowed_xmethods = ReadOnly(lambda req: ())
    content_encoding = ReadOnly(lambda req: None)
    content_languages = ReadOnly(lambda req: ())
    vlist_validator = ReadOnly(lambda req: None)
    eos_sent = ReadOnly(lambda req: 0)
    _request_rec = ReadOnly(lambda req: None)
    next = ReadOnly(lambda req: None)
    prev = ReadOnly(lambda req: None)
    main = ReadOnly(lambda req: None)
    phase = ReadOnly(lambda req: None)
    hlist = ReadOnly(lambda req: None)
    extension = ReadOnly(lambda req: None)
    mtime = ReadOnly(lambda req: 0.0)
    clength = ReadOnly(lambda req: 0)
    _content_type_set = ReadOnly(lambda req: 0)

    def __init__(self, gateway, environ, server, connection, output, uri, args, unparsed_uri,
                 method=None):
        d = self.__dict__
        d["_gateway"] = gateway
        d["_environ"] = environ
        d["_server"] = server
        d["_connection"] = connection
        d["_output"] = output
        d["_method"] = method or environ["REQUEST_METHOD"]
        d["_protocol"] = environ.get("SERVER_PROTOCOL", "HTTP/1.0")
        d["_unparsed_uri"] = unparsed_uri
        d["_request_time"] = time.time()
        self.uri = uri
        self.args = args
        self.status = 200
        self.status_line = None
        self.filename = None
        self.canonical_filename = None
        self.path_info = ""
        self.used_path_info = C.AP_REQ_DEFAULT_PATH_INFO
        self.handler = None
        self.user = None
        self.ap_auth_type = None
        self.no_cache = 0
        self.no_local_copy = 0
        self.assbackwards = 0
        self.proxyreq = C.PROXYREQ_NONE
        self.chunked = 0
        d["_content_type"] = None
        d["_config"] = server._config.base
        d["_added_handlers"] = {}
        d["_cleanups"] = []
        d["_allow_methods"] = []
        d["_body"] = None
        d["_options"] = None
        d["_python_config"] = None

    # -- writable attributes with checks ---------------------------------------

    @property
    def content_type(self):
        return self._content_type

    @content_type.setter
    def content_type(self, value):
        if value is not None and not isinstance(value, str):
            raise TypeError("content_type must be a string")
        self.__dict__["_content_type"] = value
        self.__dict__["__content_type_set"] = 1

    @property
    def status(self):
        return self.__dict__["_status"]

    @status.setter
    def status(self, value):
        if type(value) is not int:
            raise TypeError("status must be an integer")
        self.__dict__["_status"] = value

    @property
    def finfo(self):
        info = self.__dict__.get("_finfo")
        if info is None and self.filename:
            info = self.__dict__["_finfo"] = finfo_for(self.filename, self.__dict__.get("_stat"))
        return info

    @finfo.setter
    def finfo(self, value):
        if type(value).__name__ != "mp_finfo":
            raise TypeError("finfo must be a finfoobject")
        self.__dict__["_finfo"] = value

    # -- body -------------------------------------------------------------------

    def _reader(self):
        body = self._body
        if body is None:
            body = self.__dict__["_body"] = RequestBody(self._environ, self._config.limit_request_body)
        return body

    def read(self, len=-1):
        """Read the request body (bytes); all of what remains when ``len`` < 0."""
        return self._reader().read(len)

    def readline(self, len=-1):
        """Read one line of the body, at most ``len`` bytes."""
        return self._reader().readline(len)

    def readlines(self, sizehint=-1):
        """Read lines until ``sizehint`` bytes were read (all when < 0)."""
        return self._reader().readlines(sizehint)

    def discard_request_body(self):
        try:
            self._reader().read(-1)
        except SERVER_RETURN as exc:
            return exc.args[0]
        return C.OK

    allowed_methods = property(lambda self: tuple(self._allow_methods))
    # Chosen again for every handler: it depends on the phase's configuration.
    interpreter = property(lambda self: self._gateway.interpreter_name(self))

    remaining = property(lambda self: self._body.remaining if self._body else 0)
    read_length = property(lambda self: self._body.read_length if self._body else 0)
    read_body = property(lambda self: C.REQUEST_CHUNKED_DECHUNK if self._body else 0)
    read_chunked = property(lambda self: int("chunked" in self._environ.get("HTTP_TRANSFER_ENCODING", "").lower()))

    # -- output -----------------------------------------------------------------

    def write(self, data, flush=1):
        """Send ``data`` (str is encoded UTF-8); ``flush`` commits status and headers."""
        if isinstance(data, str):
            data = data.encode("utf-8")
        elif not isinstance(data, (bytes, bytearray, memoryview)):
            raise TypeError("Argument to write() must be a string or bytes, not %s" % type(data).__name__)
        self._output.write(self, bytes(data), flush)

    def flush(self):
        """Send what was written so far; later writes stream to the client."""
        self._output.flush(self)

    def sendfile(self, path, offset=0, len=-1):
        """Send ``len`` bytes of the file at ``path`` from ``offset``; returns the count."""
        return self._output.sendfile(self, path, offset, len)

    def set_content_length(self, length):
        self.__dict__["_clength"] = int(length)
        self.headers_out["Content-Length"] = str(int(length))

    def send_http_header(self):
        """A no-op kept for mod_python 2.x code."""

    sent_bodyct = property(lambda self: int(self._output.committed))
    bytes_sent = property(lambda self: self._output.bytes_sent)
    _bytes_queued = property(lambda self: self._output.bytes_queued)

    # -- configuration ----------------------------------------------------------

    def get_options(self):
        """The merged PythonOption values (a live table; removed keys hidden)."""
        if self._options is None:
            self.__dict__["_options"] = table(
                {k: v for k, v in self._config.python_options.items() if v != ""})
        return self._options

    def get_config(self):
        """The merged mod_python directives other than handlers and options."""
        if self._python_config is None:
            self.__dict__["_python_config"] = table(self._config.python_config)
        return self._python_config

    def auth_type(self):
        return self._config.auth_type

    def auth_name(self):
        return self._config.auth_name

    def requires(self):
        """The ``Require`` arguments that apply to this request's method."""
        return tuple(r.text for r in self._config.requires or ()
                     if r.methods is None or (self.method in r.methods) != r.negate)

    def document_root(self):
        return self._server._config.document_root

    def add_handler(self, phase, handler, dir=None):
        """Add ``handler`` to ``phase`` for this request only (mod_python's req.add_handler)."""
        from modpy_compat.phases import add_handler
        add_handler(self, phase, handler, dir)

    def register_cleanup(self, callable_, data=None):
        """Call ``callable_(data)`` once the request is finished (last registered first)."""
        if not callable(callable_):
            raise ValueError("first argument must be a callable object")
        self._cleanups.append((callable_, data))

    def internal_redirect(self, new_uri):
        """Run the whole pipeline again for ``new_uri``; its response is what the client gets."""
        self._gateway.internal_redirect(self, new_uri)

    def log_error(self, message, level=C.APLOG_ERR):
        log_error(message, level, self.server, client=self.connection.client_ip)

    # -- authentication ----------------------------------------------------------

    def get_basic_auth_pw(self):
        """The Basic-auth password, setting ``req.user``; None without Basic credentials."""
        if (self._config.auth_type or "").lower() != "basic" or not self._config.auth_name:
            return None
        header = self._environ.get("HTTP_AUTHORIZATION", "")
        scheme, _, credentials = header.partition(" ")
        if scheme.lower() != "basic":
            self.err_headers_out["WWW-Authenticate"] = 'Basic realm="%s"' % self._config.auth_name
            return None
        try:
            # Apache's decoder is lenient: missing padding is tolerated.
            text = credentials.strip()
            decoded = base64.b64decode(text + "=" * (-len(text) % 4)).decode("latin-1")
        except (binascii.Error, ValueError):
            decoded = ""  # Apache hands garbage on as an empty user and password
        user, _, password = decoded.partition(":")
        self.user = user
        self.ap_auth_type = "Basic"
        return password

    # -- CGI environment -----------------------------------------------------------

    def _add_cgi_vars(self, env):
        environ = self._environ
        path_info = self.path_info or ""
        uri = self.uri
        script_name = uri[:len(uri) - len(path_info)] if path_info and uri.endswith(path_info) else uri
        env["GATEWAY_INTERFACE"] = "CGI/1.1"
        env["SERVER_PROTOCOL"] = self.protocol
        env["REQUEST_METHOD"] = self.method
        env["QUERY_STRING"] = self.args or ""
        env["REQUEST_URI"] = self.unparsed_uri
        env["SCRIPT_NAME"] = script_name
        if path_info:
            env["PATH_INFO"] = path_info
            env["PATH_TRANSLATED"] = self.document_root() + path_info
        for key in ("HTTPS", "SSL_PROTOCOL", "SSL_CIPHER"):
            if key in environ:
                env[key] = environ[key]

    def add_cgi_vars(self):
        self._add_cgi_vars(self.subprocess_env)
        self.add_common_vars()

    def add_common_vars(self):
        """Add the CGI common variables (HTTP_*, SERVER_*, REMOTE_*...) to subprocess_env."""
        env, environ, conn = self.subprocess_env, self._environ, self.connection
        for name, value in self.headers_in.items():
            if name.lower() not in ("authorization", "proxy-authorization", "content-type", "content-length"):
                key = "HTTP_" + name.upper().replace("-", "_")
                env[key] = value if key not in env or env[key] == value else env[key] + ", " + value
        for name in ("Content-Type", "Content-Length"):
            if name in self.headers_in:
                env[name.upper().replace("-", "_")] = self.headers_in.get(name)
        env["PATH"] = os.environ.get("PATH", "/usr/local/bin:/usr/bin:/bin")
        env["SERVER_SIGNATURE"] = ""
        env["SERVER_SOFTWARE"] = self._gateway.server_software
        env["SERVER_NAME"] = self.server.server_hostname
        env["SERVER_ADDR"] = conn.local_ip
        env["SERVER_PORT"] = str(conn.local_addr[1])
        env["REMOTE_ADDR"] = conn.client_ip
        env["REMOTE_PORT"] = str(conn.client_addr[1])
        env["DOCUMENT_ROOT"] = self.document_root()
        env["REQUEST_SCHEME"] = environ.get("wsgi.url_scheme", "http")
        env["CONTEXT_PREFIX"] = ""
        env["CONTEXT_DOCUMENT_ROOT"] = self.document_root()
        env["SERVER_ADMIN"] = self.server.server_admin
        if self.filename:
            env["SCRIPT_FILENAME"] = self.filename
        if self.user is not None:
            env["REMOTE_USER"] = self.user
        if self.ap_auth_type:
            env["AUTH_TYPE"] = self.ap_auth_type

    # -- URLs and addresses ---------------------------------------------------------

    def construct_url(self, uri):
        """``scheme://host[:port]`` + ``uri``, as Apache builds self-referencing URLs."""
        environ = self._environ
        scheme = environ.get("wsgi.url_scheme", "http")
        if self._server._config.use_canonical_name or not self.hostname:
            host = self.server.server_hostname
        else:
            host = self.hostname
        port = environ.get("SERVER_PORT", "")
        if self._server._config.use_canonical_name:
            if self.server.port:
                port = str(self.server.port)
        else:
            # Apache takes the port the client asked for from the Host header.
            host_header = environ.get("HTTP_HOST", "")
            if host_header[-1:] != "]" and ":" in host_header:
                port = host_header.rsplit(":", 1)[1] or port
        default = "443" if scheme == "https" else "80"
        hostport = host if not port or port == default else "%s:%s" % (host, port)
        return "%s://%s%s" % (scheme, hostport, uri)

    def get_remote_host(self, type=C.REMOTE_NAME, str_is_ip=None):
        ip = self.connection.client_ip
        name = self.connection.remote_host
        if type == C.REMOTE_HOST or type == C.REMOTE_DOUBLE_REV:
            host = name
        elif type == C.REMOTE_NOLOOKUP:
            host = ip
        else:
            host = name or ip
        if str_is_ip is not None:
            return host, int(host == ip)
        return host

    def is_https(self):
        environ = self._environ
        return int(environ.get("wsgi.url_scheme") == "https" or
                   environ.get("HTTPS", "off").lower() in ("on", "1"))

    def ssl_var_lookup(self, name):
        value = self._environ.get(name)
        return value if isinstance(value, str) else None

    def allow_methods(self, methods, reset=0):
        if isinstance(methods, str) or not hasattr(methods, "__iter__"):
            raise TypeError("First argument must be a sequence")
        if reset:
            del self._allow_methods[:]
        self._allow_methods.extend(str(m) for m in methods)

    # -- validators ---------------------------------------------------------------

    def update_mtime(self, mtime):
        """Raise ``req.mtime`` to ``mtime`` if it is later."""
        self.__dict__["_mtime"] = max(self.mtime, float(mtime))

    def set_last_modified(self):
        self.headers_out["Last-Modified"] = formatdate(min(self.mtime, self.request_time), usegmt=True)

    def set_etag(self):
        info = self.__dict__.get("_stat")
        if info is not None and info.st_mtime == self.mtime:
            tag = etag(info)
        else:
            tag = '"%x"' % int(self.mtime * 1000000)
        if self.request_time - self.mtime < 1:
            tag = "W/" + tag
        self.headers_out["ETag"] = tag

    def meets_conditions(self):
        """OK, HTTP_NOT_MODIFIED or HTTP_PRECONDITION_FAILED for the If-* request headers."""
        return conditional_status(self._environ, self.headers_out.get("ETag"), self.mtime)

    def get_addhandler_exts(self):
        """Extensions (no dots) that AddHandler maps to mod_python here, space-separated."""
        exts = [ext[1:] for ext, handler in self._config.add_handlers.items()
                if handler in ("mod_python", "python-program")]
        return " ".join(exts) + (" " if exts else "")

    def __repr__(self):
        return "<mp_request %s %s>" % (self.method, self.uri)


def _proto_num(protocol):
    try:
        major, minor = protocol.split("/", 1)[1].split(".")
        return 1000 * int(major) + int(minor)
    except (IndexError, ValueError):
        return 1000


Request.__name__ = Request.__qualname__ = "mp_request"
