"""Apache's default handler: static files, directories and DirectoryIndex.

What no Python handler takes is served the way Apache's core and mod_dir
would: the file with its Content-Type, Last-Modified and ETag (304 or 412 on
conditional requests, 206 for a single byte range), HEAD without a body,
POST like GET, OPTIONS answered, other methods 405; a 301 to add the
trailing slash to a directory, the first DirectoryIndex file by internal
redirect, 403 for a directory without one and 404 for what does not exist.
Nothing outside the DocumentRoot or Alias target the URI mapped into is ever
served, whatever symlinks point to (Apache would follow them).
"""
from __future__ import annotations

import os
import re
import stat
import time
from email.utils import formatdate, parsedate_to_datetime

from modpy_compat.config.mapping import escape_path, is_forbidden_path
from modpy_compat.constants import (
    AP_REQ_ACCEPT_PATH_INFO, DIR_MAGIC_TYPE, DONE, HTTP_FORBIDDEN, HTTP_METHOD_NOT_ALLOWED, HTTP_MOVED_PERMANENTLY, HTTP_NOT_FOUND,
    HTTP_NOT_IMPLEMENTED, HTTP_NOT_MODIFIED, HTTP_PARTIAL_CONTENT, HTTP_PRECONDITION_FAILED,
    HTTP_RANGE_NOT_SATISFIABLE, M_INVALID, OK)

DEFAULT_INDEX = ("index.html",)
# What httpd's default handler allows (its Allow header lists them in hash order).
ALLOW = "GET,HEAD,POST,OPTIONS,TRACE"


def default_handler(req):
    """Serve ``req.filename`` as Apache's default handler would; returns OK or a status."""
    # httpd's default_handler serves GET, HEAD and POST alike (a POST to a static
    # file gets the file), answers OPTIONS itself and refuses every other method.
    # It first declares the methods it serves, which a 405/501 lists in Allow.
    req.allow_methods(["GET", "POST", "OPTIONS"])
    if req.method not in ("GET", "HEAD", "POST"):
        if req.method == "OPTIONS":
            req.headers_out["Allow"] = ALLOW
            return OK
        if req.method_number == M_INVALID:
            return HTTP_NOT_IMPLEMENTED
        return HTTP_METHOD_NOT_ALLOWED
    info = req.__dict__.get("_stat")
    if req.filename is None or info is None:
        return HTTP_NOT_FOUND
    root = req.__dict__.get("_root")
    if root and is_forbidden_path(req.filename, root):
        req.log_error("attempt to serve %s, outside %s" % (req.filename, root))
        return HTTP_FORBIDDEN
    if stat.S_ISDIR(info.st_mode):
        return _directory(req)
    if req.path_info and req.used_path_info != AP_REQ_ACCEPT_PATH_INFO:
        return HTTP_NOT_FOUND
    if not stat.S_ISREG(info.st_mode) or not os.access(req.filename, os.R_OK):
        return HTTP_FORBIDDEN
    status = req.discard_request_body()
    if status != OK:
        return status
    return send_file(req, req.filename, info)


def _directory(req):
    # Reached only when mod_dir found no DirectoryIndex file (see fixup_directory).
    # mod_autoindex takes directories nobody else handles and refuses them
    # without Options Indexes (403); a directory a handler declined reaches
    # httpd's default handler, which never serves directories (404).
    if req.handler not in (None, DIR_MAGIC_TYPE):
        return HTTP_NOT_FOUND
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
    # The decoded req.uri is escaped again for the Location and the new request (mod_dir).
    if not req.uri.endswith("/"):
        if req._config.directory_slash is False:
            return None
        location = escape_path(req.uri) + "/" + ("?" + req.args if req.args else "")
        req.headers_out["Location"] = req.construct_url(location)
        return HTTP_MOVED_PERMANENTLY
    names = req._config.directory_index
    names = DEFAULT_INDEX if names is None else names
    for name in names:
        if name.startswith("/"):
            target = name
        elif os.path.isfile(os.path.join(req.filename, name)):
            target = escape_path(req.uri + name)
        else:
            continue
        req._gateway.internal_redirect(req, target + ("?" + req.args if req.args else ""), fast=True)
        return DONE
    # mod_dir leaves the names it tried for mod_autoindex.
    req.notes["dir-index-names"] = ",".join(names)
    return None


def etag(info) -> str:
    """Apache 2.4's default ETag (FileETag MTime Size): ``"<size hex>-<mtime µs hex>"``."""
    return '"%x-%x"' % (info.st_size, info.st_mtime_ns // 1000)


def send_file(req, path, info):
    """Send a regular file with validators, answering conditional and Range requests."""
    req.update_mtime(info.st_mtime)
    tag = etag(info)
    if req.request_time - info.st_mtime < 1:
        tag = "W/" + tag  # Apache: a file changed within the last second may change again
    last_modified = formatdate(min(info.st_mtime, req.request_time), usegmt=True)
    req.headers_out["Last-Modified"] = last_modified
    req.headers_out["ETag"] = tag
    req.headers_out["Accept-Ranges"] = "bytes"
    status = conditional_status(req._environ, tag, info.st_mtime)
    if status == HTTP_PRECONDITION_FAILED:
        # httpd answers 412 with the file's headers and an empty body, not an error page.
        req.status = status
        return DONE
    if status != OK:
        return status
    size = info.st_size
    status, offset, length = byte_range(req._environ, size, tag, last_modified)
    if status == HTTP_RANGE_NOT_SATISFIABLE:
        return status
    req.set_content_length(length)
    if status == HTTP_PARTIAL_CONTENT:
        req.status = status
        req.headers_out["Content-Range"] = "bytes %d-%d/%d" % (offset, offset + length - 1, size)
    if req.method == "HEAD":
        return OK
    req.sendfile(path, offset, length)
    return OK


def byte_range(environ, size, tag, last_modified):
    """``(status, offset, length)`` for the request's Range header.

    The status is OK (send the whole file), 206 or 416.  One ``bytes=`` range
    is honoured (``a-b``, ``a-``, ``-n``), as httpd's byterange filter does,
    and only while ``If-Range`` (if sent) still names this file.  Deliberate
    difference: several ranges get the whole file, not a multipart/byteranges body.
    """
    whole = (OK, 0, size)
    m = re.fullmatch(r"bytes=(\d*)-(\d*)", environ.get("HTTP_RANGE", "").strip())
    if m is None or m.groups() == ("", ""):
        return whole
    if_range = environ.get("HTTP_IF_RANGE")
    if if_range and if_range.strip() not in (last_modified, None if tag.startswith("W/") else tag):
        return whole
    first, last = m.groups()
    if not first:
        # A suffix range: the last N bytes.
        start, end = max(0, size - int(last)), size - 1
    else:
        start = int(first)
        if last and int(last) < start:
            return whole  # not a valid range: ignored
        end = min(int(last), size - 1) if last else size - 1
    if start >= size or end < start:
        return (HTTP_RANGE_NOT_SATISFIABLE, 0, 0)
    return (HTTP_PARTIAL_CONTENT, start, end - start + 1)


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
    # A date in the future is invalid and ignored (RFC 7232 3.3, as Apache does).
    if (if_modified is not None and method in ("GET", "HEAD") and int(mtime) <= if_modified
            and if_modified <= time.time()):
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
