"""Cookies as mod_python's ``Cookie`` module makes and reads them.

One :class:`Cookie` object is one cookie (not a jar of morsels).  ``str(c)``
is the ``Set-Cookie`` value, written exactly as mod_python writes it:
``name=value`` then ``; attr=value`` for every attribute that was set, in a
fixed order, values unquoted, ``max_age`` spelled with an underscore, and the
flags ``secure``, ``discard`` and ``httponly`` written as bare words whenever
they are set, whatever their value.

:class:`SignedCookie` prefixes the value with an HMAC-MD5 signature (32 hex
digits) of name + value under a secret; :class:`MarshalCookie` stores any
marshallable value, signed, and never unmarshals data whose signature does not
verify.

Differences from mod_python 3.5, which is broken on Python 3 here: signing
works (3.5 passes ``str`` keys to ``hmac`` and raises ``TypeError``), and
MarshalCookie uses :func:`base64.encodebytes` (3.5 calls the removed
``encodestring``).  Signatures are the ones 3.3.1 computes for the same
(UTF-8) bytes, so cookies signed by a Python 2 server still verify.  Expiry
dates always use English day and month names, whatever the process locale.
"""
from __future__ import annotations

import base64
import binascii
import calendar
import hashlib
import hmac
import marshal
import re
import time

from modpy_compat.errors import ModPyCompatError

__all__ = ["Cookie", "SignedCookie", "MarshalCookie", "CookieError", "CookieType",
           "add_cookie", "get_cookies", "get_cookie", "parse_cookies"]

# The attributes a cookie may carry, in the order str() writes them.
ATTRIBUTES = (
    "version", "path", "domain", "secure", "comment", "expires", "max_age", "samesite",
    "commentURL", "discard", "port",   # RFC 2965
    "httponly",                        # Microsoft's extension
)
FLAGS = frozenset(("secure", "discard", "httponly"))

_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# The Netscape date mod_python accepts for ``expires`` (time.strptime with
# "%a, %d-%b-%Y %H:%M:%S GMT": names in any case, one or two digit fields).
_EXPIRES_RE = re.compile(
    r"(?i)(?:mon|tue|wed|thu|fri|sat|sun), (\d{1,2})-"
    r"(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)-(\d{4}) (\d{1,2}):(\d{1,2}):(\d{1,2}) GMT")


class CookieError(ModPyCompatError):
    """A signed cookie that does not verify or cannot be decoded (``Cookie.CookieError``)."""


def format_expires(seconds) -> str:
    """The Netscape cookie date for ``seconds`` since the epoch, in UTC."""
    t = time.gmtime(seconds)
    return "%s, %02d-%s-%04d %02d:%02d:%02d GMT" % (
        _DAYS[t.tm_wday], t.tm_mday, _MONTHS[t.tm_mon - 1], t.tm_year, t.tm_hour, t.tm_min, t.tm_sec)


def _check_expires(text: str) -> None:
    match = _EXPIRES_RE.fullmatch(text)
    if match:
        day, month, year, hour, minute, second = match.groups()
        month_number = _MONTHS.index(month.capitalize()) + 1
        if (1 <= int(day) <= calendar.monthrange(int(year), month_number)[1]
                and int(hour) < 24 and int(minute) < 60 and int(second) <= 61):
            return
    raise ValueError("Invalid expires time: %s" % text)


class CookieType(type):
    """Gives every cookie class ``__slots__``, as mod_python's ``metaCookie`` does.

    Subclasses (users' included) therefore refuse attributes that are not
    cookie attributes, with :class:`AttributeError`.
    """

    def __new__(mcs, name, bases, namespace):
        namespace.setdefault("__slots__", ())
        return super().__new__(mcs, name, bases, namespace)


class Cookie(metaclass=CookieType):
    """One cookie: ``Cookie(name, value, **attributes)``.

    Keyword names are lower-cased, so ``commentURL`` can only be assigned as
    an attribute.  An attribute that was never set is absent (``hasattr`` is
    false) and is not written.

    :param name: the cookie name, written as given.
    :param value: the value, written as given (no quoting).
    :raises AttributeError: for a keyword that is not a cookie attribute.
    """

    # ``expires`` is a property over ``_expires``; every other attribute is a plain slot.
    __slots__ = tuple(a for a in ATTRIBUTES if a != "expires") + ("name", "value", "_expires", "__data__")
    _valid_attr = ATTRIBUTES

    # Policies for a signed cookie that does not verify (``parse(..., mismatch=)``).
    DOWNGRADE = 0
    IGNORE = 1
    EXCEPTION = 3

    def __init__(self, name, value, **attributes):
        self.name, self.value = name, value
        for key, item in attributes.items():
            setattr(self, key.lower(), item)
        # Room for subclasses' own state (the secret of a signed cookie).
        self.__data__ = {}

    @property
    def expires(self):
        """The expiry date as written; assign seconds since the epoch or a Netscape date string.

        :raises ValueError: for a string not in ``Wdy, DD-Mon-YYYY HH:MM:SS GMT`` form.
        """
        try:
            return self._expires
        except AttributeError:
            raise AttributeError("expires") from None

    @expires.setter
    def expires(self, value):
        if isinstance(value, str):
            _check_expires(value)
            self._expires = value
        else:
            self._expires = format_expires(value)

    @expires.deleter
    def expires(self):
        del self._expires

    @classmethod
    def parse(cls, header, names=None):
        """Every cookie in a ``Cookie`` header value, as ``{name: cls(name, value)}``.

        :param names: keep only the cookies with these names.
        """
        return {name: cls(name, value) for name, value in parse_cookies(header, names)}

    def _attributes(self) -> list:
        parts = []
        for name in ATTRIBUTES:
            if hasattr(self, name):
                parts.append(name if name in FLAGS else "%s=%s" % (name, getattr(self, name)))
        return parts

    def __str__(self):
        return "; ".join(["%s=%s" % (self.name, self.value)] + self._attributes())

    def __repr__(self):
        return "<%s: %s>" % (type(self).__name__, str(self))


def _to_bytes(text) -> bytes:
    if isinstance(text, bytes):
        return text
    # surrogateescape gives back the bytes of a header value that was not UTF-8
    return str(text).encode("utf-8", "surrogateescape")


def _signature(secret, name, value) -> str:
    return hmac.new(_to_bytes(secret), _to_bytes(name) + _to_bytes(value), hashlib.md5).hexdigest()


class SignedCookie(Cookie):
    """A cookie whose value carries an HMAC-MD5 signature: ``SignedCookie(name, value, secret)``.

    ``str(c)`` is ``name=<32 hex digits><value>; attributes``.  The value is
    visible to the client, not encrypted.

    :raises CookieError: from ``str()`` when there is no secret.
    """

    def __init__(self, name, value, secret=None, **attributes):
        super().__init__(name, value, **attributes)
        self.__data__["secret"] = secret

    @classmethod
    def parse(cls, header, secret, mismatch=Cookie.DOWNGRADE, names=None):
        """The cookies of a header whose signature verifies under ``secret``.

        A cookie that does not verify is handled per ``mismatch``:
        ``DOWNGRADE`` replaces it by a plain :class:`Cookie` with the raw value
        (so check ``type(c) is SignedCookie``), ``IGNORE`` drops it and
        ``EXCEPTION`` raises :class:`CookieError`.
        """
        cookies = super().parse(header, names)
        for name, cookie in list(cookies.items()):
            try:
                cookie._verify(secret)
            except CookieError:
                if mismatch == Cookie.EXCEPTION:
                    raise
                if mismatch == Cookie.IGNORE:
                    del cookies[name]
                else:
                    cookies[name] = Cookie(cookie.name, cookie.value)
        return cookies

    def _verify(self, secret):
        self.unsign(secret)

    def hexdigest(self, text) -> str:
        """The signature of ``text`` under this cookie's name and secret."""
        secret = self.__data__["secret"]
        if not secret:
            raise CookieError("Cannot sign without a secret")
        return _signature(secret, self.name, text)

    def unsign(self, secret):
        """Check the signature and strip it from ``value``, remembering ``secret``.

        :raises CookieError: when the signature does not match.
        """
        value = str(self.value)
        signature, rest = value[:32], value[32:]
        # No secret verifies nothing: mod_python never signs without one.
        if not secret or not hmac.compare_digest(_signature(secret, self.name, rest), signature):
            raise CookieError("Incorrectly Signed Cookie: %s=%s" % (self.name, self.value))
        self.value = rest
        self.__data__["secret"] = secret

    def __str__(self):
        value = "%s" % (self.value,)
        return "; ".join(["%s=%s%s" % (self.name, self.hexdigest(value), value)] + self._attributes())


class MarshalCookie(SignedCookie):
    """A signed cookie holding any marshallable value (numbers, strings, lists, dicts...).

    The value travels as base64 of :func:`marshal.dumps`, signed; ``parse``
    unmarshals only what verifies.  The marshal format depends on the Python
    version: a Python 2 ``str`` comes back as ``bytes``.
    """

    def _verify(self, secret):
        self.unmarshal(secret)

    def unmarshal(self, secret):
        """Verify, then decode ``value`` into the Python object it holds.

        :raises CookieError: when the signature, the base64 or the marshal data is bad.
        """
        self.unsign(secret)
        try:
            data = base64.decodebytes(self.value.encode("ascii"))
        except (binascii.Error, ValueError):
            raise CookieError("Cannot base64 Decode Cookie: %s=%s" % (self.name, self.value)) from None
        try:
            self.value = marshal.loads(data)
        except (EOFError, ValueError, TypeError):
            raise CookieError("Cannot Unmarshal Cookie: %s=%s" % (self.name, self.value)) from None

    def __str__(self):
        encoded = "".join(base64.encodebytes(marshal.dumps(self.value)).decode("ascii").split())
        return "; ".join(["%s=%s%s" % (self.name, self.hexdigest(encoded), encoded)] + self._attributes())


# -- the Cookie header ----------------------------------------------------------------

def _quoted_end(text: str, start: int) -> int:
    """The index after the closing quote of the string opening at ``start``, or -1."""
    i, end = start + 1, len(text)
    while i < end:
        char = text[i]
        if char == '"':
            return i + 1
        if char == "\\":
            # a backslash escapes any character but a newline
            if i + 1 >= end or text[i + 1] == "\n":
                return -1
            i += 2
        else:
            i += 1
    return -1


def parse_cookies(header: str, names=None):
    """Yield ``(name, value)`` for each cookie in a ``Cookie`` header, mod_python's way.

    The rules users see: spaces and commas before a name are skipped; a name
    runs up to ``;``, space or ``=``; the ``=`` and the spaces around it are
    optional (a bare word is a cookie with an empty value); the value is a
    double-quoted string (kept with its quotes) or everything up to the next
    ``;``, trailing spaces included.  Names starting with ``$`` (RFC 2965
    ``$Version``, ``$Path``) are skipped.  ``names`` keeps only those names.
    """
    i, end = 0, len(header)
    while i < end:
        skipped = i
        while i < end and header[i] in ", ":
            i += 1
        start = i
        while i < end and header[i] not in "; =":
            i += 1
        if i == start:
            comma = header.rfind(",", skipped, start)
            if comma < 0:
                # nothing that could start a cookie here: look again one further on
                i = start + 1
                continue
            # mod_python's pattern then settles for a name made of that comma
            start, i = comma, comma + 1
        name = header[start:i]
        while i < end and header[i] == " ":
            i += 1
        if i < end and header[i] == "=":
            i += 1
            while i < end and header[i] == " ":
                i += 1
        close = _quoted_end(header, i) if i < end and header[i] == '"' else -1
        if close < 0:
            close = header.find(";", i)
            close = end if close < 0 else close
        value = header[i:close]
        i = close
        while i < end and header[i].isspace():
            i += 1
        if i < end and header[i] == ";":
            i += 1
        if not name.startswith("$") and (names is None or name in names):
            yield name, value


# -- requests and responses -----------------------------------------------------------

def add_cookie(req, cookie, value="", **attributes):
    """Send a cookie with the response (``Set-Cookie`` in ``req.headers_out``).

    ``cookie`` is a :class:`Cookie` or a name (then ``Cookie(cookie, value,
    **attributes)`` is sent).  The first cookie of a response also adds
    ``Cache-Control: no-cache="set-cookie"``, as mod_python does.  Being in
    ``headers_out``, cookies are not sent with an error page.
    """
    if not isinstance(cookie, Cookie):
        cookie = Cookie(cookie, value, **attributes)
    if "Set-Cookie" not in req.headers_out:
        req.headers_out.add("Cache-Control", 'no-cache="set-cookie"')
    req.headers_out.add("Set-Cookie", str(cookie))


def get_cookies(req, Class=Cookie, **kw):
    """The request's cookies as ``{name: Class}`` (pass ``secret=`` for signed classes)."""
    if "cookie" not in req.headers_in:
        return {}
    header = req.headers_in["cookie"]
    if isinstance(header, list):
        header = "; ".join(header)
    return Class.parse(header, **kw)


def get_cookie(req, name, Class=Cookie, **kw):
    """The request's cookie called ``name``, or None."""
    return get_cookies(req, Class, names=[name], **kw).get(name)
