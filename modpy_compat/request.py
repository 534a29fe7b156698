"""The request object handed to every handler (mod_python's ``mp_request``).

One :class:`Request` is built per request (and per internal redirect) by the
gateway and passed to every phase.  Attributes mod_python makes read-only are
declared with :class:`ReadOnly` (or :class:`Computed`) and refuse assignment
with mod_python's message; writable ones are :class:`Field` s that check the
type as mod_python's setters do.  Handlers may attach attributes of their own
(``req.form``, ``req.session``...).  The longer methods live in
:mod:`modpy_compat.request_helpers`.
"""
from __future__ import annotations

import base64
import binascii
import os
import time

from modpy_compat import constants as C
from modpy_compat import filters
from modpy_compat import request_helpers as helpers
from modpy_compat.config.dirconfig import HandlerEntry
from modpy_compat.constants import SERVER_RETURN
from modpy_compat.errorlog import log_error
from modpy_compat.finfo import finfo_for
from modpy_compat.request_body import RequestBody
from modpy_compat.response import open_range
from modpy_compat.table import table


class ReadOnly:
    """A request attribute handlers can read but not assign, as in mod_python.

    :param factory: computes the value on first access (kept afterwards), for
        attributes most handlers never read.
    :param member: a plain C member in mod_python (``phase``, ``hlist``...),
        whose assignment error reads "readonly attribute".
    """

    def __init__(self, factory=None, member=False):
        self.factory = factory
        self.member = member

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
        if self.member:
            raise AttributeError("readonly attribute")
        raise AttributeError("attribute '%s' of 'mp_request' objects is not writable" % self.name)

    def __delete__(self, req):
        self.__set__(req, None)


class Computed(ReadOnly):
    """A read-only attribute computed on every access (it follows the request's progress)."""

    def __get__(self, req, owner=None):
        return self if req is None else self.factory(req)


class Field:
    """A writable request attribute, type-checked as mod_python's setter does.

    :param kind: ``str`` or ``int``.
    :param none: None may be assigned (``args``, ``handler``).
    """

    def __init__(self, kind, none=False):
        self.kind, self.none = kind, none

    def __set_name__(self, owner, name):
        self.name = name
        self.slot = "_" + name

    def __get__(self, req, owner=None):
        return self if req is None else req.__dict__.get(self.slot)

    def __set__(self, req, value):
        if value is None and self.none:
            pass
        elif self.kind is str:
            if isinstance(value, bytes):
                value = value.decode("latin-1")
            elif not isinstance(value, str):
                raise TypeError("%s must be a str, not %s" % (self.name, type(value).__name__))
            value = str.__str__(value)
        elif not isinstance(value, int):
            raise TypeError("%s must be an integer, not %s" % (self.name, type(value).__name__))
        req.__dict__[self.slot] = value

    def __delete__(self, req):
        raise AttributeError("can't delete mp_request attributes")


def _headers_in(req):
    pairs = []
    for key, value in req._environ.items():
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
    # The path as Apache keeps it: decoded and normalised, as req.uri first was;
    # the port of the connection is filled in even for a plain "/path" target.
    mark, query = req.unparsed_uri.partition("?")[1:]
    port = req.connection.local_addr[1] or None
    return (None, None, None, None, None, port, req._first_uri, query if mark else None, None)


def _subprocess_env(req):
    # mod_python 3.3.1 filled in the CGI variables when it created the request.
    env = table()
    for name, value in req._config.set_env.items():
        if value is not None:
            env[name] = value
    helpers.cgi_vars(req, env)
    return env


def _extension(req):
    # mod_python looks up "<phase><ext>" with ext = what follows the first dot of
    # the file name, "" when it has none: that finds the plain list, so the
    # extension stays "".  A dotted name without a "| .ext" list gives None.
    if not req.filename:
        return None
    return "" if "." not in req.filename.rstrip("/").rsplit("/", 1)[-1] else None


def _proto_num(protocol):
    try:
        major, minor = protocol.split("/", 1)[1].split(".")
        return 1000 * int(major) + int(minor)
    except (IndexError, ValueError):
        return 1000


class Request:
    """An HTTP request as mod_python handlers see it."""

    # -- read-only attributes (mod_python's C getters) --------------------------------------
    method = ReadOnly()
    protocol = ReadOnly()
    unparsed_uri = ReadOnly()
    request_time = ReadOnly()
    connection = ReadOnly()
    server = ReadOnly()
    the_request = ReadOnly(lambda req: "%s %s %s" % (req.method, req.unparsed_uri, req.protocol))
    method_number = ReadOnly(lambda req: C.METHOD_NUMBERS.get(req.method, C.M_INVALID))
    header_only = ReadOnly(lambda req: int(req.method == "HEAD"))
    proto_num = ReadOnly(lambda req: _proto_num(req.protocol))
    hostname = ReadOnly(_hostname)
    parsed_uri = ReadOnly(_parsed_uri)
    headers_in = ReadOnly(_headers_in)
    headers_out = ReadOnly(lambda req: table())
    err_headers_out = ReadOnly(lambda req: table())
    notes = ReadOnly(lambda req: table())
    subprocess_env = ReadOnly(_subprocess_env)
    range = ReadOnly(lambda req: req._environ.get("HTTP_RANGE"))
    expecting_100 = ReadOnly(lambda req: int(req._environ.get("HTTP_EXPECT", "").lower() == "100-continue"))
    useragent_ip = ReadOnly(lambda req: req.connection.client_ip)
    useragent_addr = ReadOnly(lambda req: req.connection.client_addr)
    allowed = ReadOnly(lambda req: 0)  # Apache's bitmask; allow_methods does not change it
    allowed_xmethods = ReadOnly(lambda req: ())
    content_encoding = ReadOnly(lambda req: None)
    content_languages = ReadOnly(lambda req: ())
    vlist_validator = ReadOnly(lambda req: None)
    eos_sent = ReadOnly(lambda req: 0)
    mtime = ReadOnly(lambda req: 0.0)
    clength = ReadOnly(lambda req: 0)
    next = ReadOnly(lambda req: None)
    prev = ReadOnly(lambda req: None)
    main = ReadOnly(lambda req: None)
    _request_rec = ReadOnly(lambda req: None)
    phase = ReadOnly(lambda req: None, member=True)
    hlist = ReadOnly(lambda req: None, member=True)
    extension = Computed(lambda req: req.__dict__.get("_extension", _extension(req)), member=True)
    _content_type_set = ReadOnly(lambda req: 0, member=True)
    # Chosen again for every handler: it depends on the phase's configuration.
    interpreter = Computed(lambda req: req._gateway.interpreter_name(req))
    allowed_methods = Computed(
        lambda req: tuple(m for m in req._allow_methods if m not in C.METHOD_NUMBERS))
    remaining = Computed(lambda req: req._body.unread if req._body else 0)
    read_length = Computed(lambda req: req._body.read_length if req._body else 0)
    read_body = Computed(lambda req: req._body.mode if req._body else 0)
    read_chunked = Computed(
        lambda req: int("chunked" in req._environ.get("HTTP_TRANSFER_ENCODING", "").lower()))
    sent_bodyct = Computed(lambda req: int(req._output.committed))
    bytes_sent = Computed(lambda req: req._output.bytes_sent)
    _bytes_queued = Computed(lambda req: req.__dict__.get("_queued", 0))

    # -- writable attributes ------------------------------------------------------------------
    uri = Field(str)
    args = Field(str, none=True)
    filename = Field(str)
    canonical_filename = Field(str)
    path_info = Field(str)
    handler = Field(str, none=True)
    user = Field(str)
    ap_auth_type = Field(str)
    status_line = Field(str)
    used_path_info = Field(int)
    no_cache = Field(int)
    no_local_copy = Field(int)
    assbackwards = Field(int)
    proxyreq = Field(int)
    chunked = Field(int)

    def __init__(self, gateway, environ, server, connection, output, uri, args, unparsed_uri,
                 method=None):
        d = self.__dict__
        d.update(_gateway=gateway, _environ=environ, _server=server, _connection=connection,
                 _output=output, _method=method or environ["REQUEST_METHOD"],
                 _protocol=environ.get("SERVER_PROTOCOL", "HTTP/1.0"), _unparsed_uri=unparsed_uri,
                 _request_time=time.time(), _uri=uri, _first_uri=uri, _args=args, _status=200, _status_line=None,
                 _filename=None, _canonical_filename=None, _path_info="",
                 _used_path_info=C.AP_REQ_DEFAULT_PATH_INFO, _handler=None, _user=None,
                 _ap_auth_type=None, _no_cache=0, _no_local_copy=0, _assbackwards=0,
                 _proxyreq=C.PROXYREQ_NONE, _chunked=0, _content_type=None,
                 _config=server._config.base, _added_handlers={}, _cleanups=[], _allow_methods=[],
                 _body=None, _options=None, _python_config=None)

    @property
    def content_type(self):
        return self._content_type

    @content_type.setter
    def content_type(self, value):
        if isinstance(value, bytes):
            value = value.decode("latin-1")
        elif not isinstance(value, str):
            raise TypeError("content_type must be a str, not %s" % type(value).__name__)
        self.__dict__["_content_type"] = str.__str__(value)
        self.__dict__["__content_type_set"] = 1

    @property
    def status(self):
        return self.__dict__["_status"]

    @status.setter
    def status(self, value):
        if type(value) is not int:
            raise TypeError("'%s' object cannot be interpreted as an integer" % type(value).__name__)
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

    # -- the request body ----------------------------------------------------------------------

    def _reader(self):
        body = self._body
        if body is None:
            body = self.__dict__["_body"] = RequestBody(
                self._environ, self._config.limit_request_body, self._input_chain)
        return body

    def _input_chain(self, source):
        chain = filters.InputChain(self, source)
        filters.input_stages(self, chain)
        return chain if chain.stages else None

    def read(self, len=-1):
        """Read the request body (bytes); all of what remains when ``len`` < 0.

        :raises SERVER_RETURN: 411 for a chunked body the server does not
            de-chunk, 400 for a bad Content-Length, 413 over LimitRequestBody.
        """
        if len == 0:
            return b""  # mod_python answers before setting anything up
        return self._reader().read(len)

    def readline(self, len=-1):
        """Read one line of the body, at most ``len`` bytes (b"" at the end)."""
        return self._reader().readline(len)

    def readlines(self, sizehint=-1):
        """Read lines until ``sizehint`` bytes were read (all when < 0)."""
        return self._reader().readlines(sizehint)

    def discard_request_body(self):
        """Read and drop the rest of the body; OK, or the status that reading gave."""
        try:
            self._reader().discard()
        except SERVER_RETURN as exc:
            return exc.args[0]
        return C.OK

    # -- output -----------------------------------------------------------------------------------

    def write(self, data, flush=1):
        """Send ``data`` (str is encoded UTF-8); ``flush`` commits status and headers."""
        if isinstance(data, str):
            data = data.encode("utf-8")
        elif isinstance(data, (bytearray, memoryview)):
            data = bytes(data)
        elif not isinstance(data, bytes):
            raise TypeError("Argument to write() must be a string or bytes, not %s" % type(data).__name__)
        d = self.__dict__
        d["_queued"] = d.get("_queued", 0) + len(data)
        if not data:
            return
        chain = d["_ochain"] if "_ochain" in d else filters.output_chain(self)
        if chain is None:
            self._output.write(self, data, flush)
        else:
            chain.write(data, flush)

    def flush(self):
        """Send what was written so far; later writes stream to the client."""
        chain = filters.output_chain(self)
        if chain is not None:
            chain.flush()
        self._output.flush(self)

    def sendfile(self, path, offset=0, len=-1):
        """Send ``len`` bytes (the rest when negative) of the file at ``path`` from ``offset``.

        :returns: the number of bytes sent.
        :raises IOError: the file cannot be examined or opened.
        """
        fh, offset, length = open_range(path, offset, len)
        d = self.__dict__
        d["_queued"] = d.get("_queued", 0) + length
        if filters.output_chain(self) is None:
            return self._output.sendfile(self, fh, offset, length)
        return filters.send_file(self, fh, offset, length)

    def set_content_length(self, length):
        """Set ``req.clength`` and the Content-Length response header."""
        self.__dict__["_clength"] = int(length)
        self.headers_out["Content-Length"] = str(int(length))

    def send_http_header(self):
        """A no-op kept for mod_python 2.x code."""

    # -- filters ----------------------------------------------------------------------------------

    def add_output_filter(self, name):
        """Put filter ``name`` (registered, PythonOutputFilter or DEFLATE...) into the output chain."""
        filters.add_filter(self, _name(name), output=True)

    def add_input_filter(self, name):
        """Put filter ``name`` into the chain ``req.read`` reads through."""
        filters.add_filter(self, _name(name), output=False)

    def register_output_filter(self, name, handler, dir=None):
        """Make ``handler`` (``"module[::function]"``) available as output filter ``name``."""
        self._register_filter("_registered_output", name, handler, dir)

    def register_input_filter(self, name, handler, dir=None):
        """Make ``handler`` available as input filter ``name`` for this request."""
        self._register_filter("_registered_input", name, handler, dir)

    def _register_filter(self, slot, name, handler, directory):
        if not isinstance(handler, str) and not callable(handler):
            raise TypeError("handler must be a str, not %s" % type(handler).__name__)
        if directory is not None:
            directory = os.path.realpath(directory).rstrip("/") + "/"
        self.__dict__.setdefault(slot, {})[_name(name)] = HandlerEntry(handler, directory)

    # -- configuration -------------------------------------------------------------------------------

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
        """The AuthType in effect, or None (``AuthType None`` too)."""
        value = self._config.auth_type
        return None if value is None or value.lower() == "none" else value

    def auth_name(self):
        """The AuthName in effect, or None."""
        return self._config.auth_name

    def requires(self):
        """The ``Require`` arguments that apply to this request's method."""
        return tuple(r.text for r in self._config.requires or ()
                     if r.methods is None or (self.method in r.methods) != r.negate)

    def document_root(self):
        """The server's DocumentRoot."""
        return self._server._config.document_root

    def get_addhandler_exts(self):
        """Extensions (no dots) that AddHandler maps to mod_python here, space-separated."""
        exts = [ext[1:] for ext, handler in self._config.add_handlers.items()
                if handler in ("mod_python", "python-program")]
        return " ".join(exts) + (" " if exts else "")

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
        if not isinstance(new_uri, str):
            raise TypeError("internal_redirect() argument must be a str")
        self._gateway.internal_redirect(self, new_uri)

    def log_error(self, message, level=C.APLOG_ERR):
        """Write ``message`` to the error log with the client's address."""
        log_error(message, level, self.server, client=self.connection.client_ip)

    def allow_methods(self, methods, reset=0):
        """Add ``methods`` to those the Allow header of a 405/501 lists (after clearing, if ``reset``)."""
        if isinstance(methods, str) or not hasattr(methods, "__iter__"):
            raise TypeError("First argument must be a sequence")
        names = list(methods)
        if any(not isinstance(m, str) for m in names):
            raise TypeError("Methods must be strings")
        if reset:
            del self._allow_methods[:]
        self._allow_methods.extend(names)

    # -- authentication --------------------------------------------------------------------------------

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

    # -- environments -----------------------------------------------------------------------------------

    def add_common_vars(self):
        """Add the CGI common variables (HTTP_*, SERVER_*, REMOTE_*...) to subprocess_env."""
        helpers.common_vars(self, self.subprocess_env)

    def add_cgi_vars(self):
        """Add the CGI request variables and the common ones to subprocess_env."""
        helpers.cgi_vars(self, self.subprocess_env)
        self.add_common_vars()

    def build_wsgi_env(self):
        """The WSGI environ ``mod_python.wsgi`` hands its application (None off the base URI)."""
        return helpers.build_wsgi_env(self)

    def wsgi_start_response(self, status, headers, exc_info=None):
        """WSGI's ``start_response`` for this request; returns ``req.write``."""
        return helpers.wsgi_start_response(self, status, headers, exc_info)

    # -- addresses and URLs -------------------------------------------------------------------------------

    def construct_url(self, uri):
        """``scheme://host[:port]`` + ``uri``, as Apache builds self-referencing URLs."""
        return helpers.construct_url(self, uri)

    def get_remote_host(self, type=C.REMOTE_NAME, str_is_ip=None):
        """The client's host name or address (``apache.REMOTE_*`` says which)."""
        return helpers.remote_host(self, type, str_is_ip)

    def is_https(self):
        """1 when the request came over TLS, else 0."""
        environ = self._environ
        return int(environ.get("wsgi.url_scheme") == "https" or
                   environ.get("HTTPS", "off").lower() in ("on", "1"))

    def ssl_var_lookup(self, name):
        """An SSL variable the server put in the environ (``SSL_CIPHER``...), or None."""
        value = self._environ.get(name)
        return value if isinstance(value, str) else None

    # -- validators -------------------------------------------------------------------------------------------

    def update_mtime(self, mtime):
        """Raise ``req.mtime`` to ``mtime`` if it is later."""
        self.__dict__["_mtime"] = max(self.mtime, float(mtime))

    def set_last_modified(self):
        """Set Last-Modified from ``req.mtime`` (never later than the request)."""
        self.headers_out["Last-Modified"] = helpers.last_modified(self)

    def set_etag(self):
        """Set ETag as Apache does for this request's file (or its time)."""
        self.headers_out["ETag"] = helpers.etag(self)

    def meets_conditions(self):
        """OK, HTTP_NOT_MODIFIED or HTTP_PRECONDITION_FAILED for the If-* request headers."""
        return helpers.meets_conditions(self)

    def __repr__(self):
        return "<mp_request object at 0x%x>" % id(self)


def _name(name):
    if not isinstance(name, str):
        raise TypeError("filter name must be a str, not %s" % type(name).__name__)
    return name


Request.__name__ = Request.__qualname__ = "mp_request"
