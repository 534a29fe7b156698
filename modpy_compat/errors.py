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

def _messages():
    # One explanatory paragraph per status, as Apache's built-in pages carry.
    return {
        300: "<p>The document name you requested (<code>%(uri)s</code>) could not be found on this server.\n"
             "However, we found documents with names similar to the one you requested.</p>",
        301: '<p>The document has moved <a href="%(location)s">here</a>.</p>\n',
        302: '<p>The document has moved <a href="%(location)s">here</a>.</p>\n',
        303: '<p>The answer to your request is located <a href="%(location)s">here</a>.</p>\n',
        305: '<p>This resource is only accessible through the proxy\n%(location)s<br />\n'
             'You will need to configure your client to use that proxy.</p>\n',
        307: '<p>The document has moved <a href="%(location)s">here</a>.</p>\n',
        400: "<p>Your browser sent a request that this server could not understand.<br />\n</p>\n",
        401: "<p>This server could not verify that you\nare authorized to access the document\n"
             "requested.  Either you supplied the wrong\ncredentials (e.g., bad password), or your\n"
             "browser doesn't understand how to supply\nthe credentials required.</p>\n",
        403: "<p>You don't have permission to access this resource.</p>\n",
        404: "<p>The requested URL was not found on this server.</p>\n",
        405: "<p>The requested method %(method)s is not allowed for this URL.</p>\n",
        406: "<p>An appropriate representation of the requested resource could not be found "
             "on this server.</p>\n",
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
        500: "<p>The server encountered an internal error or\nmisconfiguration and was unable to "
             "complete\nyour request.</p>\n<p>Please contact the server administrator at \n "
             "%(admin)s to inform them of the time this error occurred,\n and the actions you "
             "performed just before this error.</p>\n<p>More information about this error may be "
             "available\nin the server error log.</p>\n",
        501: "<p>%(method)s not supported for current URL.<br />\n</p>\n",
        503: "<p>The server is temporarily unable to service your\nrequest due to maintenance "
             "downtime or capacity\nproblems. Please try again later.</p>\n",
    }


_MESSAGES = _messages()
_template = None


def error_page(status, *, method="GET", uri="/", location="", admin="[no address given]",
               additional=None) -> str:
    """The HTML of Apache's built-in page for ``status``."""
    global _template
    from html import escape
    from modpy_compat.constants import reason_phrase
    if _template is None:
        import os
        from mako.template import Template
        _template = Template(filename=os.path.join(os.path.dirname(__file__), "templates", "error.mako"))
    message = _MESSAGES.get(status, "<p>The server encountered an error (%d).</p>\n" % status) % {
        "method": escape(method), "uri": escape(uri), "location": escape(location),
        "admin": escape(admin)}
    return _template.render(status=status, reason=reason_phrase(status), message=message,
                            additional=additional,
                            additional_reason=reason_phrase(additional) if additional else "")
