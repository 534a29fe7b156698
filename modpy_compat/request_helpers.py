"""The work behind some ``req`` methods: CGI and WSGI environments, URLs, validators.

Kept apart from :mod:`modpy_compat.request` so the request class reads as
the list of what a handler can touch.  Each function takes the request first.
"""
from __future__ import annotations

import os
import socket
import sys
from email.utils import formatdate, parsedate_to_datetime

from modpy_compat import constants as C


# -- CGI variables -------------------------------------------------------------------

def script_name(req) -> str:
    """``req.uri`` without a trailing ``req.path_info`` (all of it when there is none)."""
    path_info = req.path_info or ""
    uri = req.uri
    return uri[:len(uri) - len(path_info)] if path_info and uri.endswith(path_info) else uri


def cgi_vars(req, env):
    """The CGI request variables Apache's ``ap_add_cgi_vars`` sets (mod_python 3.3.1)."""
    environ = req._environ
    path_info = req.path_info or ""
    env["GATEWAY_INTERFACE"] = "CGI/1.1"
    env["SERVER_PROTOCOL"] = req.protocol
    env["REQUEST_METHOD"] = req.method
    env["QUERY_STRING"] = req.args or ""
    env["REQUEST_URI"] = req.unparsed_uri
    env["SCRIPT_NAME"] = script_name(req)
    if path_info:
        env["PATH_INFO"] = path_info
        env["PATH_TRANSLATED"] = req.document_root() + path_info
    for key in ("HTTPS", "SSL_PROTOCOL", "SSL_CIPHER"):
        if key in environ:
            env[key] = environ[key]


def common_vars(req, env):
    """The CGI variables Apache's ``ap_add_common_vars`` sets: HTTP_*, SERVER_*, REMOTE_*..."""
    environ, conn, headers = req._environ, req.connection, req.headers_in
    for name, value in headers.items():
        if name.lower() not in ("authorization", "proxy-authorization", "content-type", "content-length"):
            key = "HTTP_" + name.upper().replace("-", "_")
            env[key] = value if key not in env or env[key] == value else env[key] + ", " + value
    for name in ("Content-Type", "Content-Length"):
        if name in headers:
            env[name.upper().replace("-", "_")] = headers.get(name)
    env["PATH"] = os.environ.get("PATH", "/usr/local/bin:/usr/bin:/bin")
    env["SERVER_SIGNATURE"] = ""
    env["SERVER_SOFTWARE"] = req._gateway.server_software
    env["SERVER_NAME"] = req.server.server_hostname
    env["SERVER_ADDR"] = conn.local_ip
    env["SERVER_PORT"] = str(conn.local_addr[1])
    env["REMOTE_ADDR"] = conn.client_ip
    env["REMOTE_PORT"] = str(conn.client_addr[1])
    if conn.remote_host:
        env["REMOTE_HOST"] = conn.remote_host
    env["DOCUMENT_ROOT"] = req.document_root()
    env["REQUEST_SCHEME"] = environ.get("wsgi.url_scheme", "http")
    prefix, root = context(req)
    env["CONTEXT_PREFIX"] = prefix
    env["CONTEXT_DOCUMENT_ROOT"] = root
    env["SERVER_ADMIN"] = req.server.server_admin
    if req.filename:
        env["SCRIPT_FILENAME"] = req.filename
    if req.user is not None:
        env["REMOTE_USER"] = req.user
    if req.ap_auth_type:
        env["AUTH_TYPE"] = req.ap_auth_type
    prev = req.prev
    if prev is not None:
        env["REDIRECT_URL"] = prev.uri
        if prev.args:
            env["REDIRECT_QUERY_STRING"] = prev.args


def context(req):
    """``(CONTEXT_PREFIX, CONTEXT_DOCUMENT_ROOT)``: the Alias that mapped the URI, if any."""
    root = req.__dict__.get("_root")
    document_root = req.document_root()
    filename = req.filename or ""
    if not root or root.rstrip("/") == document_root.rstrip("/") or not filename.startswith(root):
        return "", document_root
    rest = filename[len(root.rstrip("/")):] + (req.path_info or "")
    uri = req.uri
    prefix = uri[:len(uri) - len(rest)] if rest and uri.endswith(rest) else ""
    return prefix, root.rstrip("/")


def build_cgi_env(req):
    """``apache.build_cgi_env``: a copy of ``subprocess_env`` with the CGI variables."""
    req.add_common_vars()
    env = req.subprocess_env.copy()
    env["SCRIPT_NAME"] = script_name(req)
    env["GATEWAY_INTERFACE"] = "Python-CGI/1.1"
    if "Authorization" in req.headers_in:
        env["HTTP_AUTHORIZATION"] = req.headers_in.get("Authorization")
    return env


# -- WSGI inside mod_python (mod_python.wsgi) -------------------------------------------

def build_wsgi_env(req):
    """``req.build_wsgi_env()``: the environ ``mod_python.wsgi`` gives the application.

    ``PATH_INFO`` is ``req.uri`` minus the base URI (``PythonOption
    mod_python.wsgi.base_uri``, else the ``<Location>`` of the handler),
    absent when that leaves nothing; it is also stored in ``req.path_info``.

    :returns: a dict, or None when ``req.uri`` does not start with the base URI.
    :raises ValueError: the configured base URI ends with ``/``.
    """
    base = req.get_options().get("mod_python.wsgi.base_uri")
    hlist = req.hlist
    if base is None and hlist is not None and hlist.is_location and hlist.directory:
        base = hlist.directory.rstrip("/")
    elif base and base.endswith("/"):
        raise ValueError("PythonOption 'mod_python.wsgi.base_uri' ('%s') must not end with '/'" % base)
    uri = req.uri
    if base:
        if not uri.startswith(base):
            return None
        uri = uri[len(base):]
    req.path_info = uri
    req.add_cgi_vars()
    env = dict(req.subprocess_env.items())
    env["SCRIPT_NAME"] = base or ""
    if uri:
        env["PATH_INFO"] = uri
    else:
        # ap_add_cgi_vars sets no PATH_INFO for an empty path info: the URI is the base itself.
        env.pop("PATH_INFO", None)
        env.pop("PATH_TRANSLATED", None)
    if "Authorization" in req.headers_in:
        env["HTTP_AUTHORIZATION"] = req.headers_in.get("Authorization")
    threaded, forked = _mpm(req)
    https = env.get("HTTPS")
    env.update({
        "wsgi.input": req, "wsgi.errors": sys.stderr, "wsgi.version": (1, 0),
        "wsgi.multithread": threaded, "wsgi.multiprocess": forked, "wsgi.run_once": False,
        "wsgi.url_scheme": "https" if https and https.lower() != "off" else "http"})
    return env


def _mpm(req):
    facts = req._gateway.mpm_facts() or (True, False, 1, 1)
    return bool(facts[0]), bool(facts[1])


def wsgi_start_response(req, status, headers, exc_info=None):
    """``req.wsgi_start_response``: WSGI's start_response writing into ``req``.

    Sets ``status_line`` and, unlike mod_python 3.5 (where Apache then
    ignores the line), ``req.status`` too.
    """
    if not isinstance(status, str):
        raise TypeError("wsgi_start_response() argument 1 must be str, not %s" % type(status).__name__)
    if not isinstance(headers, list):
        raise TypeError("headers argument must be a list, not a '%s'" % type(headers).__name__)
    if exc_info:
        raise exc_info[1].with_traceback(exc_info[2])
    pairs = []
    for item in headers:
        if type(item) is not tuple:
            raise TypeError("each header must be a tuple, not a '%s'" % type(item).__name__)
        if len(item) != 2:
            raise TypeError("each header must be a (name, value) tuple")
        for part, what in zip(item, ("names", "values")):
            if type(part) not in (str, bytes):
                raise TypeError("header %s must be strings, not '%s'" % (what, type(part).__name__))
        pairs.append(item)
    code = status.split(None, 1)[0] if status.strip() else ""
    if not code.isdigit() or not 100 <= int(code) <= 599:
        raise ValueError("Invalid status line: %s" % status)
    for name, value in pairs:
        req.headers_out.add(name, value)
    req.status_line = status
    req.status = int(code)
    return req.write


# -- addresses and URLs -------------------------------------------------------------------

def construct_url(req, uri):
    """``scheme://host[:port]`` + ``uri``, as Apache builds self-referencing URLs."""
    environ = req._environ
    scheme = environ.get("wsgi.url_scheme", "http")
    canonical = req._server._config.use_canonical_name
    host = req.server.server_hostname if canonical or not req.hostname else req.hostname
    port = environ.get("SERVER_PORT", "")
    if canonical:
        if req.server.port:
            port = str(req.server.port)
    else:
        # Apache takes the port the client asked for from the Host header.
        host_header = environ.get("HTTP_HOST", "")
        if host_header[-1:] != "]" and ":" in host_header:
            port = host_header.rsplit(":", 1)[1] or port
    default = "443" if scheme == "https" else "80"
    hostport = host if not port or port == default else "%s:%s" % (host, port)
    return "%s://%s%s" % (scheme, hostport, uri)


def remote_host(req, kind=C.REMOTE_NAME, str_is_ip=None):
    """``req.get_remote_host``: the client's name or address, as Apache's ap_get_remote_host.

    No DNS lookup happens except for ``REMOTE_DOUBLE_REV``, which asks for a
    verified name (reverse lookup, then the forward lookup must give the
    address back); its answer is remembered on the connection, as Apache does.
    """
    conn = req.connection
    ip = conn.client_ip
    if kind == C.REMOTE_DOUBLE_REV and conn.double_reverse == 0:
        conn._remember_lookup(_double_reverse(ip))
    name = conn.remote_host
    if kind == C.REMOTE_DOUBLE_REV:
        host = name if conn.double_reverse == 1 else None
    elif kind == C.REMOTE_HOST:
        host = name
    elif kind == C.REMOTE_NOLOOKUP:
        host = name or ip
    else:
        host = name or ip
    if str_is_ip is not None:
        return host, int(host is not None and host == ip)
    return host


def _double_reverse(ip):
    try:
        name = socket.gethostbyaddr(ip)[0]
        if ip in socket.gethostbyname_ex(name)[2]:
            return name
    except (OSError, UnicodeError):
        pass
    return None


# -- validators (Apache 2.4's http_etag.c and ap_meets_conditions) --------------------------------

def etag(req):
    """What ``req.set_etag()`` stores: from the request's file, else from the request time.

    A file gives ``"<size hex>-<mtime µs hex>"`` (FileETag MTime Size); no file
    gives the request time in µs, always weak (Apache 2.4.71, checked).  A
    file changed within a second of the request gets a weak tag too.
    """
    finfo = req.finfo
    stat = req.__dict__.get("_stat")
    if finfo is not None and finfo.filetype != C.APR_NOFILE and stat is not None:
        tag = '"%x-%x"' % (stat.st_size, stat.st_mtime_ns // 1000)
        return "W/" + tag if req.request_time - stat.st_mtime < 1 else tag
    return 'W/"%x"' % int(req.request_time * 1000000)


def last_modified(req):
    return formatdate(min(req.mtime, req.request_time), usegmt=True)


def meets_conditions(req):
    """OK, HTTP_NOT_MODIFIED or HTTP_PRECONDITION_FAILED for the request's If-* headers.

    Compared with ``headers_out["ETag"]`` and ``req.mtime`` (whole seconds),
    in Apache's order: If-Match (strong comparison), If-Unmodified-Since,
    If-None-Match (weak comparison; 304 for GET and HEAD, else 412),
    If-Modified-Since (GET and HEAD only).
    """
    headers = req.headers_in
    tag = req.headers_out.get("ETag")
    mtime = int(req.mtime)
    if_match = headers.get("If-Match")
    if if_match:
        if if_match.strip() != "*" and (not tag or tag.startswith("W/") or tag not in _tags(if_match)):
            return C.HTTP_PRECONDITION_FAILED
    else:
        since = _date(headers.get("If-Unmodified-Since"))
        if since is not None and mtime > since:
            return C.HTTP_PRECONDITION_FAILED
    safe = req.method in ("GET", "HEAD")
    if_none_match = headers.get("If-None-Match")
    if if_none_match:
        weak = tag[2:] if tag and tag.startswith("W/") else tag
        if if_none_match.strip() == "*" or (weak and weak in [t[2:] if t.startswith("W/") else t
                                                              for t in _tags(if_none_match)]):
            return C.HTTP_NOT_MODIFIED if safe else C.HTTP_PRECONDITION_FAILED
        return C.OK
    since = _date(headers.get("If-Modified-Since"))
    if safe and since is not None and mtime <= since <= req.request_time:
        return C.HTTP_NOT_MODIFIED
    return C.OK


def _tags(header):
    return [t.strip() for t in header.split(",") if t.strip()]


def _date(value):
    if not value:
        return None
    try:
        return int(parsedate_to_datetime(value).timestamp())
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


# -- Allow ------------------------------------------------------------------------------------------

def allow_header(req):
    """The ``Allow`` header Apache sends with a 405 or 501: the allowed methods, then TRACE.

    Only methods Apache knows are listed (extension methods are kept in
    ``req.allowed_methods`` but not sent); GET brings HEAD, listed first.
    """
    allow = []
    for method in req._allow_methods:
        if method not in C.METHOD_NUMBERS:
            continue
        if method == "GET" and "HEAD" not in allow:
            allow.append("HEAD")
        if method not in allow:
            allow.append(method)
    return ",".join(allow + ["TRACE"])
