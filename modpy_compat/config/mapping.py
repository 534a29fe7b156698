"""From URI to file: translation, the directory walk, sections and typing.

Apache's order (directives.md §12): normalise the URI; ``Redirect`` and
``Alias`` or DocumentRoot give a candidate path; the walk stops at the first
component that is a file or does not exist, the rest becoming
``req.path_info``; the sections that match are merged; mod_mime gives the
content type and handler from the extensions; ``SetHandler``/``ForceType``
override in the fixup phase.
"""
from __future__ import annotations

import functools
import os
import re
import stat
from urllib.parse import quote, unquote_to_bytes

from modpy_compat.constants import (
    AP_REQ_ACCEPT_PATH_INFO, AP_REQ_DEFAULT_PATH_INFO, AP_REQ_REJECT_PATH_INFO, DIR_MAGIC_TYPE,
    HTTP_BAD_REQUEST, HTTP_NOT_FOUND, OK)


class BadURI(Exception):
    """The request path cannot be mapped; ``status`` says how Apache answers."""

    def __init__(self, status):
        self.status = status


def normalize_uri(raw_path: str) -> str:
    """Decode and clean a raw request path as Apache does (directives.md §12).

    ``%2F`` and ``%00`` give 404, a malformed escape 400, and ``..`` climbing
    above the root 400; ``.`` segments and duplicate slashes are removed.

    :raises BadURI: with the status to answer.
    """
    if "%" in raw_path:
        lowered = raw_path.lower()
        if "%2f" in lowered or "%00" in lowered:
            raise BadURI(HTTP_NOT_FOUND)
        pieces = raw_path.split("%")
        for piece in pieces[1:]:
            if len(piece) < 2 or not all(c in "0123456789abcdefABCDEF" for c in piece[:2]):
                raise BadURI(HTTP_BAD_REQUEST)
        path = unquote_to_bytes(raw_path).decode("utf-8", "surrogateescape")
    else:
        path = raw_path
    if "\0" in path:
        raise BadURI(HTTP_NOT_FOUND)
    if not path.startswith("/"):
        raise BadURI(HTTP_BAD_REQUEST)
    if "/." not in path and "//" not in path:
        return path
    out = []
    for segment in path.split("/")[1:]:
        if segment == "..":
            if not out:
                raise BadURI(HTTP_BAD_REQUEST)
            out.pop()
        elif segment not in (".", ""):
            out.append(segment)
    trailing = path.endswith(("/", "/.", "/..")) and out
    return "/" + "/".join(out) + ("/" if trailing else "")


def translate(req):
    """mod_alias then the DocumentRoot: set ``req.filename`` to the candidate path."""
    config = req._server._config
    uri = req.uri
    for kind, pattern, target, code in config.redirects:
        if kind == "prefix":
            matched = alias_matches(uri, pattern)
            # Redirect escapes the rest of the decoded URI it appends (mod_alias).
            new = target + escape_path(uri[matched:]) if matched and target else target
        else:
            m = pattern.search(uri)
            matched = m is not None
            new = _escape_url(substitute(target, m)) if matched and target else target
        if matched:
            if new:
                if new.startswith("/"):
                    # A URL-path target gets this server's scheme and host (mod_alias).
                    new = req.construct_url(new)
                if req.args and "?" not in new:
                    # The client's query string is kept unless the target has its own.
                    new += "?" + req.args
                req.headers_out["Location"] = new
            return code
    for kind, pattern, target in config.aliases:
        if kind == "prefix":
            matched = alias_matches(uri, pattern)
            if matched:
                req.filename = (target.rstrip("/") + uri[len(pattern.rstrip("/")):]) or "/"
                req.__dict__["_root"] = target
                return OK
        else:
            m = pattern.search(uri)
            if m:
                path, server_root = target
                found = substitute(path, m)
                req.filename = os.path.normpath(os.path.join(server_root, found)) + (
                    "/" if found.endswith("/") and found.strip("/") else "")
                # What the client cannot choose: the target up to its first substitution.
                fixed = os.path.join(server_root, re.split(r"[$&\\]", path, maxsplit=1)[0])
                req.__dict__["_root"] = fixed if fixed.endswith("/") else os.path.dirname(fixed)
                return OK
    root = config.document_root
    # Mounted below a prefix (SCRIPT_NAME, e.g. mod_wsgi's WSGIScriptAlias /app):
    # req.uri keeps the full path, the DocumentRoot serves what follows the prefix.
    mount = req.__dict__.get("_mount")
    matched = alias_matches(uri, mount) if mount else 0
    req.filename = (root.rstrip("/") + uri[matched:]) or "/"
    req.__dict__["_root"] = root
    return OK


def alias_matches(uri: str, pattern: str) -> int:
    """How much of ``uri`` an ``Alias``/``Redirect`` URL-path matches, 0 if it does not.

    mod_alias matches whole path segments: ``/icons`` matches ``/icons`` and
    ``/icons/x`` but not ``/iconsx``, and ``/icons/`` (trailing slash) does
    not match ``/icons`` at all.
    """
    if pattern.endswith("/"):
        return len(pattern) if uri.startswith(pattern) else 0
    if uri == pattern or uri.startswith(pattern + "/"):
        return len(pattern)
    return 0


def substitute(template: str, match) -> str:
    """Apache's ``ap_pregsub``: ``$0``-``$9`` and ``&`` are groups, ``\\`` escapes."""
    out = []
    i = 0
    while i < len(template):
        c = template[i]
        i += 1
        if c == "\\" and i < len(template) and template[i] in "$&\\":
            out.append(template[i])
            i += 1
        elif c == "&" or (c == "$" and i < len(template) and template[i].isdigit()):
            group = 0 if c == "&" else int(template[i])
            i += c == "$"
            if group <= (match.re.groups if match else 0):
                out.append(match.group(group) or "")
        else:
            out.append(c)
    return "".join(out)


# Characters ap_escape_uri leaves alone in a path (besides letters, digits and "_.-~").
_PATH_SAFE = "$+!*'(),:;@&=/"


def escape_path(path: str) -> str:
    """%-escape a decoded path (``req.uri``) for a URL, as httpd's ``ap_escape_uri`` does."""
    return quote(path.encode("utf-8", "surrogateescape"), safe=_PATH_SAFE)


def _escape_url(url: str) -> str:
    # RedirectMatch escapes the substituted URL, but not its query or fragment (mod_alias).
    url, hash_, fragment = url.partition("#")
    url, mark, query = url.partition("?")
    return escape_path(url) + mark + query + hash_ + fragment


def map_to_storage(req):
    """The directory walk, then the merged configuration of the matching sections."""
    filename = req.filename
    is_dir = False
    if filename:
        path_info = req.path_info or ""
        info = _stat(filename)
        if info is None:
            filename, path_info, info = _walk(filename, path_info)
        is_dir = info is not None and stat.S_ISDIR(info.st_mode)
        req.filename = req.canonical_filename = filename
        req.path_info = path_info
        req.__dict__["_stat"] = info
        req.__dict__["_finfo"] = None
    server = req._server._config
    req.__dict__["_sections"] = sections = server.matching_sections(filename, is_dir, req.uri)
    req.__dict__["_config"] = server.dir_config(sections)
    req.__dict__["_options"] = None
    req.__dict__["_python_config"] = None
    apply_env(req)
    # AcceptPathInfo only sets r->used_path_info: the handler decides.  The
    # default handler refuses path info unless "On"; mod_python runs anyway.
    req.used_path_info = _USED_PATH_INFO.get(req._config.accept_path_info, AP_REQ_DEFAULT_PATH_INFO)
    return OK


_USED_PATH_INFO = {"on": AP_REQ_ACCEPT_PATH_INFO, "off": AP_REQ_REJECT_PATH_INFO}


def _stat(path):
    try:
        return os.stat(path)
    except (OSError, ValueError):
        return None


def _walk(filename, path_info):
    """Find the longest existing prefix of ``filename``; what follows is path_info."""
    parts = filename.split("/")
    # Walk backwards from the end: the longest existing prefix decides.
    for i in range(len(parts) - 1, 0, -1):
        prefix = "/".join(parts[:i]) or "/"
        info = _stat(prefix)
        if info is None:
            continue
        if stat.S_ISDIR(info.st_mode):
            # The first missing component belongs to the filename (APR_NOFILE).
            name = prefix.rstrip("/") + "/" + parts[i]
            rest = parts[i + 1:]
            return name, ("/" + "/".join(rest) if rest else "") + path_info, None
        rest = parts[i:]
        return prefix, "/" + "/".join(rest) + path_info, info
    return filename, path_info, None


def apply_env(req):
    if req._config.set_env and "_subprocess_env" in req.__dict__:
        env = req.subprocess_env
        for name, value in req._config.set_env.items():
            if value is None:
                del env[name]
            else:
                env[name] = value


def set_type(req):
    """mod_mime: content type and handler from the filename's extensions."""
    config = req._config
    info = req.__dict__.get("_stat")
    if info is not None and stat.S_ISDIR(info.st_mode):
        req.__dict__["_content_type"] = DIR_MAGIC_TYPE
        return
    if not req.filename:
        return
    base = req.filename.rsplit("/", 1)[-1]
    content_type = handler = None
    types = req._gateway.site.mime_types
    for ext in base.lower().split(".")[1:]:
        ext = "." + ext
        found = config.add_types.get(ext) or types.get(ext)
        if found:
            content_type = found
        if config.add_handlers.get(ext):
            # A RemoveHandler'd extension ("") leaves an earlier one's handler alone.
            handler = config.add_handlers[ext]
    if content_type is None and config.default_type:
        content_type = config.default_type
    if content_type is not None:
        req.__dict__["_content_type"] = content_type
    if handler is not None:
        req.handler = handler


def apply_overrides(req):
    """Core's fixup: SetHandler and ForceType win over mod_mime."""
    config = req._config
    # "SetHandler None" only cancels an inherited SetHandler: the handler
    # AddHandler gave stays (httpd 2.4's core type override).
    if config.handler:
        req.handler = config.handler
    if config.force_type:
        req.__dict__["_content_type"] = config.force_type


def is_forbidden_path(path: str, root: str) -> bool:
    """True when ``path`` resolves (symlinks followed) outside ``root``."""
    real = os.path.realpath(path)
    real_root = _real_root(root)
    return not (real == real_root or real.startswith(real_root.rstrip("/") + "/"))


@functools.lru_cache(maxsize=256)
def _real_root(root):
    # DocumentRoot and Alias targets are few and fixed by the configuration.
    return os.path.realpath(root)

