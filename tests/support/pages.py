"""Apache 2.4's built-in error pages, as recorded from real Apache 2.4.71 (for assertions)."""
from __future__ import annotations

HTML_ERROR = "text/html; charset=iso-8859-1"


def apache_page(status: int, reason: str, message: str) -> str:
    """The body of the built-in page for ``status``: title, heading, one paragraph."""
    return ('<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01//EN" "http://www.w3.org/TR/html4/strict.dtd">\n'
            "<html><head>\n<title>%d %s</title>\n</head><body>\n<h1>%s</h1>\n%s</body></html>\n"
            % (status, reason, reason, message))


PAGE_400 = apache_page(400, "Bad Request",
                       "<p>Your browser sent a request that this server could not understand.<br />\n</p>\n")
PAGE_401 = apache_page(401, "Unauthorized",
                       "<p>This server could not verify that you\nare authorized to access the document\n"
                       "requested.  Either you supplied the wrong\ncredentials (e.g., bad password), or your\n"
                       "browser doesn't understand how to supply\nthe credentials required.</p>\n")
PAGE_403 = apache_page(403, "Forbidden", "<p>You don't have permission to access this resource.</p>\n")
PAGE_404 = apache_page(404, "Not Found", "<p>The requested URL was not found on this server.</p>\n")
PAGE_500 = apache_page(500, "Internal Server Error",
                       "<p>The server encountered an internal error or\nmisconfiguration and was unable to "
                       "complete\nyour request.</p>\n<p>Please contact the server administrator at \n "
                       "[no address given] to inform them of the time this error occurred,\n and the "
                       "actions you performed just before this error.</p>\n<p>More information about "
                       "this error may be available\nin the server error log.</p>\n")


def page_405(method: str) -> str:
    return apache_page(405, "Method Not Allowed",
                       "<p>The requested method %s is not allowed for this URL.</p>\n" % method)


def page_301(location: str) -> str:
    return apache_page(301, "Moved Permanently",
                       '<p>The document has moved <a href="%s">here</a>.</p>\n' % location)
