"""A small wiki as a WSGI application (WebOb), set up by the launcher before it serves.

``/`` redirects to the front page; ``/<Page>`` shows a page (words in CamelCase link to pages,
missing ones offer to be created); ``/<Page>/edit`` is the form, which posts to
``/<Page>/save`` and is answered with a redirect to the page.  Pages live in memory.  Every URL
is built from the request's ``SCRIPT_NAME``, so the wiki also works under a mount point
(``PythonOption SCRIPT_NAME /wiki`` in a ``<Location /wiki>``).
"""
import html
import re
import threading

from webob import Request, Response
from webob.exc import HTTPMethodNotAllowed, HTTPNotFound, HTTPSeeOther

PAGES = {}
SETTINGS = {}
_lock = threading.Lock()
_WIKI_WORD = re.compile(r"\b([A-Z][a-z]+(?:[A-Z][a-z]+)+)\b")
_PAGE_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9]*$")


def setup(settings):
    """Configure the wiki from the site's settings and create the front page."""
    SETTINGS.clear()
    SETTINGS.update(settings)
    PAGES.setdefault(settings["wiki.front_page"], settings["wiki.welcome"])


def _not_set_up(environ, start_response):
    start_response("503 Service Unavailable", [("Content-Type", "text/plain")])
    return [b"The wiki is not set up: mysite_modpython has not been imported.\n"]


def _layout(request, title, body):
    return Response(
        "<!DOCTYPE html>\n<html><head><title>%s - %s</title>\n"
        '<link rel="stylesheet" href="/static/style.css"></head><body>\n'
        "<h1>%s</h1>\n%s\n</body></html>\n"
        % (html.escape(title), html.escape(SETTINGS["site.title"]), html.escape(title), body),
        content_type="text/html", charset="utf-8")


def _render(request, text):
    def link(match):
        name = match.group(1)
        css = "" if name in PAGES else ' class="missing"'
        return '<a href="%s/%s"%s>%s</a>' % (request.script_name, name, css, name)
    return "<p>%s</p>" % _WIKI_WORD.sub(link, html.escape(text))


def _show(request, name):
    if name not in PAGES:
        return _layout(request, name, '<p>There is no such page yet. <a href="%s/%s/edit">Create it</a>.</p>'
                       % (request.script_name, name))
    return _layout(request, name, _render(request, PAGES[name])
                   + '\n<p><a href="%s/%s/edit">Edit this page</a></p>' % (request.script_name, name))


def _edit(request, name):
    return _layout(request, "Editing " + name,
                   '<form method="post" action="%s/%s/save">\n<textarea name="text">%s</textarea>\n'
                   '<input type="submit" value="Save">\n</form>'
                   % (request.script_name, name, html.escape(PAGES.get(name, ""))))


def _save(request, name):
    if request.method != "POST":
        return HTTPMethodNotAllowed(allow=["POST"])
    with _lock:
        PAGES[name] = request.POST.get("text", "").strip()
    return HTTPSeeOther(location="%s/%s" % (request.script_name, name))


def wiki(environ, start_response):
    """The WSGI application once set up."""
    request = Request(environ)
    parts = request.path_info.strip("/").split("/")
    if parts == [""]:
        response = HTTPSeeOther(location="%s/%s" % (request.script_name, SETTINGS["wiki.front_page"]))
    elif not _PAGE_NAME.match(parts[0]) or len(parts) > 2:
        response = HTTPNotFound()
    elif len(parts) == 1:
        response = _show(request, parts[0])
    elif parts[1] == "edit":
        response = _edit(request, parts[0])
    elif parts[1] == "save":
        response = _save(request, parts[0])
    else:
        response = HTTPNotFound()
    return response(environ, start_response)


def application(environ, start_response):
    """What ``PythonOption wsgi.application mysite.wiki::application`` names."""
    if not SETTINGS:
        return _not_set_up(environ, start_response)
    return wiki(environ, start_response)
