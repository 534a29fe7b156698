"""``mod_python.Cookie``: cookie classes and the helpers that read and send them.

The classes live in :mod:`modpy_compat.cookie`; this module gives them their
mod_python names.  Differences from mod_python are listed in
docs/compatibility.md (signing works on Python 3, unlike 3.5).
"""
from modpy_compat.cookie import (  # noqa: F401
    Cookie, CookieError, MarshalCookie, SignedCookie, add_cookie, get_cookie, get_cookies)
from modpy_compat.cookie import CookieType as metaCookie  # noqa: F401

__all__ = ["Cookie", "SignedCookie", "MarshalCookie", "CookieError", "metaCookie",
           "add_cookie", "get_cookies", "get_cookie"]


def _parse_cookie(str, Class, names=None):
    """mod_python's internal parser: ``{name: Class(name, value)}`` for a Cookie header."""
    return Cookie.parse.__func__(Class, str, names)
