"""Errors raised by modpy_compat itself (not by the handlers it runs).

Every error derives from :class:`ModPyCompatError`.  mod_python's own control
flow (``apache.SERVER_RETURN``) is not an error in this sense and lives in
:mod:`modpy_compat.status`.
"""
from __future__ import annotations


class ModPyCompatError(Exception):
    """Base class of every error modpy_compat raises on its own account."""


class ConfigError(ModPyCompatError):
    """A configuration file could not be understood.

    :param message: what is wrong, in words a maintainer understands.
    :param filename: the configuration file the problem is in.
    :param lineno: the line number (1-based) in that file.
    """

    def __init__(self, message: str, filename: str | None = None, lineno: int | None = None):
        self.message = message
        self.filename = filename
        self.lineno = lineno
        super().__init__(str(self))

    def __str__(self) -> str:
        if self.filename is None:
            return self.message
        if self.lineno is None:
            return "%s: %s" % (self.filename, self.message)
        return "%s:%d: %s" % (self.filename, self.lineno, self.message)


class HandlerImportError(ModPyCompatError):
    """A handler module named in the configuration could not be imported."""

    def __init__(self, module: str, directive: str, cause: BaseException):
        self.module = module
        self.directive = directive
        self.cause = cause
        super().__init__("%s: cannot import %r: %s: %s"
                         % (directive, module, type(cause).__name__, cause))


class UnsupportedFeature(ModPyCompatError):
    """A mod_python feature that cannot exist over WSGI was used.

    The message names the member or directive; docs/compatibility.md says why.
    """


# -- Apache's built-in error pages --------------------------------------------------

# The statuses Apache 2.4 has a status line for.  A handler result outside
# this set is answered with a 500 (checked on Apache 2.4: 306, 418, 425, 299
# and 600 all become "500 Internal Server Error").
APACHE_STATUSES = frozenset(
    list(range(100, 104)) + list(range(200, 209)) + [226] + list(range(300, 306)) + [307, 308]
    + list(range(400, 418)) + [421, 422, 423, 424, 426, 428, 429, 431, 451]
    + list(range(500, 509)) + [510, 511])

_SERVER_ERROR = (
    "<p>The server encountered an internal error or\nmisconfiguration and was unable to "
    "complete\nyour request.</p>\n<p>Please contact the server administrator at \n "
    "%(admin)s to inform them of the time this error occurred,\n and the actions you "
    "performed just before this error.</p>\n<p>More information about this error may be "
    "available\nin the server error log.</p>\n")
_MOVED = '<p>The document has moved <a href="%(location)s">here</a>.</p>\n'
_UNAUTHORIZED = (
    "<p>This server could not verify that you\nare authorized to access the document\n"
    "requested.  Either you supplied the wrong\ncredentials (e.g., bad password), or your\n"
    "browser doesn't understand how to supply\nthe credentials required.</p>\n")


def _messages():
    # The explanatory text of Apache 2.4's built-in page per status, as it
    # sends them (recorded from Apache 2.4.71); any other status gets the
    # 500 text, as Apache does.
    return {
        300: "",  # Apache lists the variants here; there are none without negotiation
        301: _MOVED,
        302: _MOVED,
        303: '<p>The answer to your request is located <a href="%(location)s">here</a>.</p>\n',
        305: "<p>This resource is only accessible through the proxy\n<br />\n"
             "You will need to configure your client to use that proxy.</p>\n",
        307: _MOVED,
        308: _MOVED,
        400: "<p>Your browser sent a request that this server could not understand.<br />\n</p>\n",
        401: _UNAUTHORIZED,
        403: "<p>You don't have permission to access this resource.</p>\n",
        404: "<p>The requested URL was not found on this server.</p>\n",
        405: "<p>The requested method %(method)s is not allowed for this URL.</p>\n",
        406: "<p>An appropriate representation of the requested resource could not be found "
             "on this server.</p>\n",
        407: _UNAUTHORIZED,
        408: "<p>Server timeout waiting for the HTTP request from the client.</p>\n",
        410: "<p>The requested resource is no longer available on this server and there is "
             "no forwarding address.\nPlease remove all references to this resource.</p>\n",
        411: "<p>A request of the requested method %(method)s requires a valid Content-length.<br />\n</p>\n",
        412: "<p>The precondition on the request for this URL evaluated to false.</p>\n",
        413: "The requested resource does not allow request data with %(method)s requests, or the "
             "amount of data provided in\nthe request exceeds the capacity limit.\n",
        414: "<p>The requested URL's length exceeds the capacity\nlimit for this server.<br />\n</p>\n",
        415: "<p>The supplied request data is not in a format\nacceptable for processing by this "
             "resource.</p>\n",
        416: "<p>None of the range-specifier values in the Range\nrequest-header field overlap "
             "the current extent\nof the selected resource.</p>\n",
        417: "<p>No expectation was seen, the Expect request-header \nfield was not presented by "
             "the client.\n</p><p>Only the 100-continue expectation is supported.</p>\n",
        421: "<p>The client needs a new connection for this\nrequest as the requested host name "
             "does not match\nthe Server Name Indication (SNI) in use for this\nconnection.</p>\n",
        422: "<p>The server understands the media type of the\nrequest entity, but was unable to "
             "process the\ncontained instructions.</p>\n",
        423: "<p>The requested resource is currently locked.\nThe lock must be released or proper "
             "identification\ngiven before the method can be applied.</p>\n",
        424: "<p>The method could not be performed on the resource\nbecause the requested action "
             "depended on another\naction and that other action failed.</p>\n",
        426: "<p>The requested resource can only be retrieved\nusing SSL.  The server is willing "
             "to upgrade the current\nconnection to SSL, but your client doesn't support it.\n"
             "Either upgrade your client, or try requesting the page\nusing https://\n",
        428: "<p>The request is required to be conditional.</p>\n",
        429: "<p>The user has sent too many requests\nin a given amount of time.</p>\n",
        431: "<p>The server refused this request because\nthe request header fields are too "
             "large.</p>\n",
        451: "<p>Access to this URL has been denied for legal reasons.<br />\n</p>\n",
        500: _SERVER_ERROR,
        501: "<p>%(method)s not supported for current URL.<br />\n</p>\n",
        502: "<p>The proxy server received an invalid\r\nresponse from an upstream server.<br />\r\n</p>\n",
        503: "<p>The server is temporarily unable to service your\nrequest due to maintenance "
             "downtime or capacity\nproblems. Please try again later.</p>\n",
        504: "<p>The gateway did not receive a timely response\nfrom the upstream server or "
             "application.</p>\n",
        506: "<p>A variant for the requested resource\n<pre>\n\n</pre>\nis itself a negotiable "
             "resource. This indicates a configuration error.</p>\n",
        507: "<p>The method could not be performed on the resource\nbecause the server is unable "
             "to store the\nrepresentation needed to successfully complete the\nrequest.  There "
             "is insufficient free space left in\nyour storage allocation.</p>\n",
        508: "<p>The server terminated an operation because\nit encountered an infinite loop.</p>\n",
        510: "<p>A mandatory extension policy in the request is not\naccepted by the server for "
             "this resource.</p>\n",
        511: "<p>The client needs to authenticate to gain\nnetwork access.</p>\n",
    }


_MESSAGES = _messages()
_template = None


def _escape(text):
    # Apache's ap_escape_html: & < > and " (not ').
    from html import escape
    return escape(text, quote=False).replace('"', "&quot;")


def error_page(status, *, method="GET", uri="/", location="", admin="[no address given]",
               additional=None) -> str:
    """The HTML of Apache's built-in page for ``status``."""
    global _template
    from modpy_compat.constants import reason_phrase
    if _template is None:
        import os
        from mako.template import Template
        _template = Template(filename=os.path.join(os.path.dirname(__file__), "templates", "error.mako"))
    message = _MESSAGES.get(status, _SERVER_ERROR) % {
        "method": _escape(method), "uri": _escape(uri), "location": _escape(location),
        "admin": _escape(admin)}
    return _template.render(status=status, reason=reason_phrase(status), message=message,
                            additional=additional,
                            additional_reason=reason_phrase(additional) if additional else "")
