"""``mod_python.util``: ``FieldStorage`` and its fields, ``redirect``, query-string parsing.

Names and signatures are mod_python's; the form parsing lives in
:mod:`modpy_compat.forms`.  Names and values are native ``str``, uploads
``bytes``, as mod_python 3.3.1 had them (3.5 mixes ``bytes`` in on Python 3).
Differences are listed in docs/compatibility.md.
"""
from __future__ import annotations

from modpy_compat.constants import DONE, HTTP_MOVED_PERMANENTLY, HTTP_MOVED_TEMPORARILY, SERVER_RETURN
from modpy_compat.forms import (  # noqa: F401 - re-exported under mod_python's names
    READ_BLOCK_SIZE as readBlockSize, Field, FieldList, FieldStorage, StringField, apply_fs_data,
    parse_header, parse_qs, parse_qsl)

__all__ = ["FieldStorage", "Field", "StringField", "FieldList", "apply_fs_data", "redirect",
           "parse_qs", "parse_qsl", "parse_header", "readBlockSize"]


def redirect(req, location, permanent=0, text=None):
    """Send a redirect to ``location`` and end the request's processing.

    As mod_python does: ``Location`` goes to ``req.err_headers_out`` as given
    (not made absolute), the status is 301 when ``permanent`` else 302, the body
    is ``text`` or a one-line HTML link, written (and so sent) with
    ``req.write``; then ``SERVER_RETURN(DONE)`` is raised, so no later phase or
    handler runs.

    :raises TypeError: ``location`` is not a ``str``.
    :raises IOError: the response headers were already sent (``req.sent_bodyct``).
    """
    if not isinstance(location, str):
        raise TypeError("location must be of type str")
    if req.sent_bodyct:
        raise IOError("Cannot redirect after headers have already been sent.")
    req.err_headers_out["Location"] = location
    req.status = HTTP_MOVED_PERMANENTLY if permanent else HTTP_MOVED_TEMPORARILY
    if text is None:
        text = '<p>The document has moved <a href="%s">here</a></p>\n' % location
    req.write(text)
    raise SERVER_RETURN(DONE)
