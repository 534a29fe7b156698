"""Apache's default handler: static files, directories and DirectoryIndex.

What no Python handler takes is served the way Apache's core and mod_dir
would: the file with its Content-Type, Last-Modified and ETag (304 on a
matching conditional GET), HEAD without a body, a 301 to add the trailing
slash to a directory, the first DirectoryIndex file by internal redirect,
403 for a directory without one and 404 for what does not exist.  Nothing
outside the DocumentRoot or Alias target the URI mapped into is ever served,
whatever symlinks point to.
"""
from __future__ import annotations

import os
import stat
from email.utils import formatdate, parsedate_to_datetime

from modpy_compat.config.mapping import is_forbidden_path
from modpy_compat.constants import (
    DONE, HTTP_FORBIDDEN, HTTP_METHOD_NOT_ALLOWED, HTTP_MOVED_PERMANENTLY, HTTP_NOT_FOUND,
    HTTP_NOT_MODIFIED, HTTP_PRECONDITION_FAILED, OK)

DEFAULT_INDEX = ("index.html",)


def default_handler(req):
    """Serve ``req.filename`` as Apache's default handler would; returns OK or a status."""
    info = req.__dict__.get("_stat")
    if req.filename is None or info is None:
        return HTTP_NOT_FOUND
    root = req.__dict__.get("_root")
    if root and is_forbidden_path(req.filename, root):
        req.log_error("attempt to serve %s, outside %s" % (req.filename, root))
        return HTTP_FORBIDDEN
    if stat.S_ISDIR(info.st_mode):
        return _directory(req)
    if req.path_info and req._config.accept_path_info != "on":
        return HTTP_NOT_FOUND
    if req.method not in ("GET", "HEAD"):
        req.allow_methods(["GET", "HEAD", "OPTIONS"])
        return HTTP_METHOD_NOT_ALLOWED
    if not stat.S_ISREG(info.st_mode) or not os.access(req.filename, os.R_OK):
        return HTTP_FORBIDDEN
    return send_file(req, req.filename, info)


def _directory(req):
    # Reached only when mod_dir found no DirectoryIndex file (see fixup_directory).
    return HTTP_FORBIDDEN


def fixup_directory(req):
    """mod_dir's fixup: the trailing-slash redirect and DirectoryIndex.

    Apache 2.4 runs it last among the fixups, whatever handler is set: a
    directory URI without its slash gets a 301 (``DirectorySlash On``), and
    the first DirectoryIndex file that exists replaces the request (a "fast"
    internal redirect: the new request has no ``req.prev``).  Returns None
    when it does not apply.
    """
    info = req.__dict__.get("_stat")
    if info is None or not stat.S_ISDIR(info.st_mode) or req.path_info:
        return None
    if not req.uri.endswith("/"):
        if req._config.directory_slash is False:
            return None
        location = req.uri + "/" + ("?" + req.args if req.args else "")
        req.headers_out["Location"] = req.construct_url(location)
        return HTTP_MOVED_PERMANENTLY
    names = req._config.directory_index
    for name in (DEFAULT_INDEX if names is None else names):
        if name.startswith("/"):
            target = name
        elif os.path.isfile(os.path.join(req.filename, name)):
            target = req.uri + name
        else:
            continue
        req._gateway.internal_redirect(req, target + ("?" + req.args if req.args else ""), fast=True)
        return DONE
    return None


def etag(info) -> str:
    """Apache 2.4's default ETag (FileETag MTime Size): ``"<size hex>-<mtime µs hex>"``."""
    return '"%x-%x"' % (info.st_size, info.st_mtime_ns // 1000)


def send_file(req, path, info):
    """Send a regular file with validators, answering conditional requests."""
    req.update_mtime(info.st_mtime)
    tag = etag(info)
    if req.request_time - info.st_mtime < 1:
        tag = "W/" + tag  # Apache: a file changed within the last second may change again
    req.headers_out["Last-Modified"] = formatdate(min(info.st_mtime, req.request_time), usegmt=True)
    req.headers_out["ETag"] = tag
    req.headers_out["Accept-Ranges"] = "bytes"
    status = conditional_status(req._environ, tag, info.st_mtime)
    if status != OK:
        return status
    req.set_content_length(info.st_size)
    if req.method == "HEAD":
        return OK
    req.sendfile(path)
    return OK


def conditional_status(environ, tag, mtime) -> int:
    """OK, 304 or 412 for the request's If-* headers (RFC 7232 order)."""
    if_match = environ.get("HTTP_IF_MATCH")
    if if_match and if_match.strip() != "*" and tag not in _tags(if_match):
        return HTTP_PRECONDITION_FAILED
    if_unmodified = _date(environ.get("HTTP_IF_UNMODIFIED_SINCE"))
    if if_unmodified is not None and int(mtime) > if_unmodified:
        return HTTP_PRECONDITION_FAILED
    if_none_match = environ.get("HTTP_IF_NONE_MATCH")
    method = environ.get("REQUEST_METHOD")
    if if_none_match:
        if if_none_match.strip() == "*" or tag in _tags(if_none_match):
            return HTTP_NOT_MODIFIED if method in ("GET", "HEAD") else HTTP_PRECONDITION_FAILED
        return OK
    if_modified = _date(environ.get("HTTP_IF_MODIFIED_SINCE"))
    if if_modified is not None and method in ("GET", "HEAD") and int(mtime) <= if_modified:
        return HTTP_NOT_MODIFIED
    return OK


def _tags(header):
    return [t.strip().replace("W/", "", 1) for t in header.split(",")]


def _date(value):
    if not value:
        return None
    try:
        return int(parsedate_to_datetime(value).timestamp())
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
