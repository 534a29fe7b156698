"""From URI to file: translation, the directory walk, sections and typing.

Apache's order (directives.md §12): normalise the URI; ``Redirect`` and
``Alias`` or DocumentRoot give a candidate path; the walk stops at the first
component that is a file or does not exist, the rest becoming
``req.path_info``; the sections that match are merged; mod_mime gives the
content type and handler from the extensions; ``SetHandler``/``ForceType``
override in the fixup phase.
"""
from __future__ import annotations

import os
import stat
from urllib.parse import unquote_to_bytes

from modpy_compat.constants import (
    DIR_MAGIC_TYPE, HTTP_BAD_REQUEST, HTTP_NOT_FOUND, OK)


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
            matched = uri == pattern or uri.startswith(pattern.rstrip("/") + "/")
            rest = uri[len(pattern.rstrip("/")):] if matched else None
            new = target + rest if matched and target else target
        else:
            m = pattern.search(uri)
            matched = m is not None
            new = m.expand(target) if matched and target else target
        if matched:
            if new:
                if req.args:
                    new += "?" + req.args
                req.headers_out["Location"] = new
            return code
    for kind, pattern, target in config.aliases:
        if kind == "prefix":
            stem = pattern.rstrip("/")
            if uri == pattern or uri == stem or uri.startswith(stem + "/"):
                req.filename = target + uri[len(stem):]
                req.__dict__["_root"] = target
                return OK
        else:
            m = pattern.match(uri)
            if m:
                req.filename = os.path.normpath(m.expand(target))
                req.__dict__["_root"] = os.path.dirname(req.filename)
                return OK
    root = config.document_root
    req.filename = root.rstrip("/") + uri
    req.__dict__["_root"] = root
    return OK


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
    accept = req._config.accept_path_info
    if req.path_info and accept == "off":
        return HTTP_NOT_FOUND
    return OK


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
        if ext in config.add_handlers:
            handler = config.add_handlers[ext] or None
    if content_type is None and config.default_type:
        content_type = config.default_type
    if content_type is not None:
        req.__dict__["_content_type"] = content_type
    if handler is not None:
        req.handler = handler


def apply_overrides(req):
    """Core's fixup: SetHandler and ForceType win over mod_mime."""
    config = req._config
    if config.handler is not None:
        req.handler = config.handler or None
    if config.force_type:
        req.__dict__["_content_type"] = config.force_type


def is_forbidden_path(path: str, root: str) -> bool:
    """True when ``path`` resolves (symlinks followed) outside ``root``."""
    real = os.path.realpath(path)
    real_root = os.path.realpath(root)
    return not (real == real_root or real.startswith(real_root.rstrip("/") + "/"))

