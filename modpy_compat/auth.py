"""Authentication and authorisation: when the authen/authz phases run, and Require.

Apache 2.4 runs the authentication phase only when a ``Require`` line needs a
user (``valid-user``, ``user``, ``group``); ``Require all granted``,
``ip``, ``env`` and ``method`` are decided without one.  Several ``Require``
lines are alternatives (an implicit ``<RequireAny>``).  When the Python
authen handler declines, or none is configured, the client gets a 401 with
the challenge of ``AuthType``/``AuthName``; when the Python authz handler
declines, ``Require`` is evaluated against ``req.user``.  An ``AuthType``
with no ``Require`` at all is a 500, as in Apache 2.4.
"""
from __future__ import annotations

import ipaddress

from modpy_compat.constants import (
    DECLINED, HTTP_FORBIDDEN, HTTP_INTERNAL_SERVER_ERROR, HTTP_UNAUTHORIZED, OK)

_USER_KINDS = ("valid-user", "user", "group", "file-owner", "file-group")


def check(req):
    """Run access control for ``req``; OK or the status to answer with."""
    from modpy_compat.phases import run_phase
    if not req._config.requires:
        auth_type = req.auth_type()
        if auth_type and auth_type.lower() != "none":
            # Apache 2.4 (mod_authz_core, AH01627) answers 500 when an AuthType
            # has no Require line to go with it; authentication never runs.
            req.log_error("%s: AuthType %s is set but no Require line says who may access it"
                          % (req.uri, auth_type))
            return HTTP_INTERNAL_SERVER_ERROR
        return OK
    requires = [r.split() for r in req.requires()]
    if not requires:
        return OK
    needs_user = False
    for words in requires:
        kind = words[0].lower()
        if kind in _USER_KINDS:
            needs_user = True
        elif _granted_without_user(req, kind, words[1:]):
            return OK
    if not needs_user:
        return HTTP_FORBIDDEN
    result = run_phase(req, "PythonAuthenHandler")
    if result is None or result == DECLINED:
        return challenge(req)
    if result == HTTP_UNAUTHORIZED:
        return challenge(req)
    if result != OK:
        return result
    if req.user is None:
        req.log_error("After PythonAuthenHandler req->user is NULL. Assign something to req.user "
                      "if returning OK to avoid this error.")
        return HTTP_INTERNAL_SERVER_ERROR
    result = run_phase(req, "PythonAuthzHandler")
    if result == OK:
        return OK
    if result is not None and result != DECLINED:
        # Unlike the authen phase, mod_python adds no challenge to an authz
        # 401 (checked on Apache 2.4 + mod_python 3.5).
        return result
    for words in requires:
        kind = words[0].lower()
        if kind == "valid-user" or (kind == "user" and req.user in words[1:]):
            return OK
    req.log_error("access to %s failed, reason: user '%s' does not meet 'require'ments for "
                  "user to be allowed access" % (req.uri, req.user))
    return challenge(req)


def _granted_without_user(req, kind, args):
    if kind == "all":
        return bool(args) and args[0].lower() == "granted"
    if kind == "ip":
        try:
            client = ipaddress.ip_address(req.connection.client_ip)
        except ValueError:
            return False
        for net in args:
            try:
                if client in _network(net):
                    return True
            except ValueError:
                continue  # Apache refuses such a line at start-up
        return False
    if kind == "env":
        return any(name in req.subprocess_env for name in args)
    if kind == "method":
        return req.method in [a.upper() for a in args]
    if kind == "local":
        return req.connection.client_ip in ("127.0.0.1", "::1")
    return False


def _network(text):
    """The network a ``Require ip`` argument names.

    Besides addresses and CIDR/netmask forms, mod_authz_host takes a partial
    IPv4 address as a prefix of whole octets: ``10.1`` is ``10.1.0.0/16``.
    """
    octets = text.rstrip(".").split(".")
    if "/" not in text and ":" not in text and len(octets) < 4 and all(o.isdigit() for o in octets):
        return ipaddress.ip_network("%s/%d" % (".".join(octets + ["0"] * (4 - len(octets))),
                                               8 * len(octets)))
    return ipaddress.ip_network(text, strict=False)


def challenge(req):
    """Add the ``WWW-Authenticate`` challenge for the configured AuthType; returns 401."""
    auth_type = (req.auth_type() or "").lower()
    realm = req.auth_name() or ""
    if auth_type == "basic":
        req.err_headers_out["WWW-Authenticate"] = 'Basic realm="%s"' % realm
    return HTTP_UNAUTHORIZED
