"""From request URI to ``req.filename``: normalisation, the walk, Alias and Redirect.

A handler under ``SetHandler mod_python`` prints what the mapping produced.
Requests carry their raw request-target in ``REQUEST_URI``, as mod_wsgi and
gunicorn (``RAW_URI``) pass it, so that escapes reach the engine undecoded.
Every expected value below was checked against Apache 2.4.71 with
mod_python 3.5 (directives.md §12).
"""
from __future__ import annotations

import re

import pytest

# Prints the mapping; filenames relative to the site directory.
SHOW = '''\
import os

from mod_python import apache

SITE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def handler(req):
    req.content_type = "text/plain"
    filename = req.filename
    if filename is not None and filename.startswith(SITE + "/"):
        filename = filename[len(SITE) + 1:]
    req.write("uri=%r\\nfilename=%r\\npath_info=%r\\nargs=%r\\nunparsed_uri=%r\\n" % (
        req.uri, filename, req.path_info, req.args, req.unparsed_uri))
    return apache.OK
'''

SITE = """\
    DocumentRoot htdocs
    <Directory htdocs>
        SetHandler mod_python
        PythonHandler show
    </Directory>
    """

FILES = {
    "htdocs/show.py": SHOW,
    "htdocs/app/index.py": "# a page\n",
    "htdocs/app/sub/f.txt": "f\n",
    "secret.txt": "SECRET\n",
}

ERROR_PAGE = ('<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01//EN" "http://www.w3.org/TR/html4/strict.dtd">\n'
              "<html><head>\n<title>%d %s</title>\n</head><body>\n<h1>%s</h1>\n%s</body></html>\n")
NOT_FOUND = ERROR_PAGE % (404, "Not Found", "Not Found", "<p>The requested URL was not found on this server.</p>\n")
BAD_REQUEST = ERROR_PAGE % (400, "Bad Request", "Bad Request",
                            "<p>Your browser sent a request that this server could not understand.<br />\n</p>\n")


def moved_page(code, reason, location):
    message = ("<p>The answer to your request is located <a href=\"%s\">here</a>.</p>\n" if code == 303 else
               "<p>The document has moved <a href=\"%s\">here</a>.</p>\n") % location
    return ERROR_PAGE % (code, reason, reason, message)


def get(client, raw, **kwargs):
    """GET ``raw`` exactly as written on the request line."""
    return client.get("/", extra_environ={"REQUEST_URI": raw}, **kwargs)


def mapped(uri, filename, path_info="", args=None, unparsed_uri=None):
    return "uri=%r\nfilename=%r\npath_info=%r\nargs=%r\nunparsed_uri=%r\n" % (
        uri, filename, path_info, args, unparsed_uri or uri)


@pytest.fixture
def client(make_site):
    return make_site(SITE, FILES)


# -- the walk (§12 table) ----------------------------------------------------------------

@pytest.mark.parametrize("raw, filename, path_info", [
    ("/app/index.py", "htdocs/app/index.py", ""),
    ("/app/index.py/a/b", "htdocs/app/index.py", "/a/b"),
    ("/app/index.py/", "htdocs/app/index.py", "/"),
    ("/app/missing/x/y", "htdocs/app/missing", "/x/y"),
    ("/app/sub/nope.py", "htdocs/app/sub/nope.py", ""),
    ("/app/", "htdocs/app/", ""),
    ("/app/sub/", "htdocs/app/sub/", ""),
    ("/app/sub/f.txt/", "htdocs/app/sub/f.txt", "/"),
    ("/app/sub/f.txt/x/", "htdocs/app/sub/f.txt", "/x/"),
    ("/foobar", "htdocs/foobar", ""),
    ("/", "htdocs/", ""),
])
def test_filename_and_path_info_for_each_uri_shape(client, raw, filename, path_info):
    res = get(client, raw)
    assert (res.status, res.text) == ("200 OK", mapped(raw, filename, path_info))


def test_directory_without_trailing_slash_is_redirected_before_the_handler_runs(client):
    # mod_dir's fixup runs whatever the handler (FINDINGS e): the handler never sees /app.
    res = get(client, "/app?x=1")
    assert res.status == "301 Moved Permanently"
    assert res.headers["Location"] == "http://localhost/app/?x=1"
    assert res.text == moved_page(301, "Moved Permanently", "http://localhost/app/?x=1")


# -- normalisation ---------------------------------------------------------------------------

@pytest.mark.parametrize("raw, uri, filename, path_info", [
    ("/app/./index.py", "/app/index.py", "htdocs/app/index.py", ""),
    ("//app//index.py", "/app/index.py", "htdocs/app/index.py", ""),
    ("/app/sub/../index.py", "/app/index.py", "htdocs/app/index.py", ""),
    ("/app/sub/..", "/app/", "htdocs/app/", ""),
    ("/app/sub/.", "/app/sub/", "htdocs/app/sub/", ""),
    ("/x/./../y/", "/y/", "htdocs/y", "/"),
    ("/app/sub/%2e%2e/index.py", "/app/index.py", "htdocs/app/index.py", ""),
    ("/app/%2E%2E/app/index.py", "/app/index.py", "htdocs/app/index.py", ""),
    ("/a%20b", "/a b", "htdocs/a b", ""),
    ("/caf%C3%A9", "/caf\u00e9", "htdocs/caf\u00e9", ""),
    ("/a%3Fb", "/a?b", "htdocs/a?b", ""),
])
def test_uri_is_decoded_and_dot_segments_and_double_slashes_removed(client, raw, uri, filename, path_info):
    res = get(client, raw)
    assert (res.status, res.text) == ("200 OK", mapped(uri, filename, path_info, unparsed_uri=raw))


@pytest.mark.parametrize("raw", ["/..", "/../secret.txt", "/app/../../secret.txt", "/%2e%2e/secret.txt",
                                 "/app/%2e%2e/%2E%2E/secret.txt", "/.%2e/secret.txt"])
def test_climbing_above_the_root_is_a_bad_request(client, raw):
    res = get(client, raw)
    assert (res.status, res.headers["Content-Type"], res.text) == (
        "400 Bad Request", "text/html; charset=iso-8859-1", BAD_REQUEST)
    assert "SECRET" not in res.text


@pytest.mark.parametrize("raw", ["/app/a%2Fb", "/app/a%2fb", "/app/index.py/x%2Fy", "/app/..%2fsecret.txt"])
def test_encoded_slash_is_not_found(client, raw):
    # AllowEncodedSlashes Off, httpd's default.
    res = get(client, raw)
    assert (res.status, res.text) == ("404 Not Found", NOT_FOUND)


def test_encoded_nul_is_not_found(client):
    res = get(client, "/app/a%00b")
    assert (res.status, res.text) == ("404 Not Found", NOT_FOUND)


@pytest.mark.parametrize("raw", ["/%zz", "/app/%2", "/app/%", "/app/%g0/x"])
def test_malformed_escape_is_a_bad_request(client, raw):
    res = get(client, raw)
    assert (res.status, res.text) == ("400 Bad Request", BAD_REQUEST)


def test_uri_without_raw_request_line_is_normalised_too(client):
    # A WSGI server that passes only a decoded PATH_INFO (waitress) gets the same cleaning.
    res = client.get("/", extra_environ={"PATH_INFO": "//app/sub/../index.py"})
    assert res.text == mapped("/app/index.py", "htdocs/app/index.py", unparsed_uri="//app/sub/../index.py")
    res = client.get("/", extra_environ={"PATH_INFO": "/../secret.txt"})
    assert (res.status, res.text) == ("400 Bad Request", BAD_REQUEST)


# -- uri, unparsed_uri and args -----------------------------------------------------------------

@pytest.mark.parametrize("raw, args", [
    ("/x", None),
    ("/x?", ""),
    ("/x?a=1", "a=1"),
    ("/x?a=1&b=%20&c", "a=1&b=%20&c"),
    ("/x?q=a?b", "q=a?b"),
])
def test_args_are_the_raw_query_and_none_without_a_question_mark(client, raw, args):
    res = get(client, raw)
    assert res.text == mapped("/x", "htdocs/x", args=args, unparsed_uri=raw)


@pytest.mark.parametrize("setting, used_path_info", [("On", 0), ("Off", 1), ("Default", 2), (None, 2)])
def test_accept_path_info_only_sets_used_path_info_for_a_handler(make_site, setting, used_path_info):
    # Checked on httpd 2.4.71: even with "AcceptPathInfo Off" mod_python runs
    # the handler; only handlers that look (the default one) refuse path info.
    show = ("from mod_python import apache\n\n"
            "def handler(req):\n"
            "    req.write('%r %r' % (req.path_info, req.used_path_info))\n"
            "    return apache.OK\n")
    conf = "DocumentRoot htdocs\n<Directory htdocs>\nSetHandler mod_python\nPythonHandler used\n%s</Directory>\n" % (
        "AcceptPathInfo %s\n" % setting if setting else "")
    client = make_site(conf, {"htdocs/used.py": show, "htdocs/page.py": "# page\n"})
    res = get(client, "/page.py/extra")
    assert (res.status, res.text) == ("200 OK", "'/extra' %d" % used_path_info)


# -- Alias and AliasMatch ---------------------------------------------------------------------

ALIASES = """\
    DocumentRoot htdocs
    Alias /icons icons
    Alias /icons/special never
    Alias /trail/ traildir/
    Alias /one/file.txt single/real.txt
    AliasMatch ^/am/([a-z]+)\\.txt$ matched/$1.data
    AliasMatch /am/ never
    Alias /app app
    <Directory app>
        SetHandler mod_python
        PythonHandler show
    </Directory>
    """

ALIAS_FILES = {
    "htdocs/iconsx": "docroot iconsx\n",
    "htdocs/trail": "docroot trail\n",
    "icons/i.txt": "icon\n",
    "icons/special/s.txt": "special under icons\n",
    "traildir/t.txt": "trail\n",
    "single/real.txt": "single\n",
    "matched/abc.data": "matched abc\n",
    "app/show.py": SHOW,
    "app/page.py": "# page\n",
}


@pytest.fixture
def aliased(make_site):
    client = make_site(ALIASES, ALIAS_FILES)
    client.lint = False  # some files here have no Content-Type, as in Apache
    return client


@pytest.mark.parametrize("raw, body", [
    ("/icons/i.txt", b"icon\n"),
    ("/icons/special/s.txt", b"special under icons\n"),   # the first matching Alias wins
    ("/iconsx", b"docroot iconsx\n"),                     # whole segments only
    ("/trail/t.txt", b"trail\n"),
    ("/one/file.txt", b"single\n"),
    ("/am/abc.txt", b"matched abc\n"),
])
def test_alias_maps_a_uri_prefix_to_a_directory(aliased, raw, body):
    res = get(aliased, raw)
    assert (res.status, res.body) == ("200 OK", body)


def test_alias_with_trailing_slash_requires_it_in_the_uri(aliased):
    # "Alias /trail/ ..." leaves /trail to the DocumentRoot (mod_alias documentation).
    res = get(aliased, "/trail")
    assert (res.status, res.body) == ("200 OK", b"docroot trail\n")


def test_alias_match_without_a_match_falls_through(aliased):
    res = get(aliased, "/am/ABC.txt")
    assert (res.status, res.text) == ("404 Not Found", NOT_FOUND)


def test_alias_to_a_directory_without_its_slash_is_redirected(aliased):
    res = get(aliased, "/icons")
    assert (res.status, res.headers["Location"]) == ("301 Moved Permanently", "http://localhost/icons/")


def test_handler_under_an_alias_sees_the_aliased_filename(aliased):
    res = get(aliased, "/app/page.py/extra?x=1")
    assert res.text == mapped("/app/page.py/extra", "app/page.py", "/extra", "x=1", "/app/page.py/extra?x=1")
    res = get(aliased, "/app/missing/more")
    assert res.text == mapped("/app/missing/more", "app/missing", "/more")


# -- Redirect and RedirectMatch ---------------------------------------------------------------

REDIRECTS = """\
    DocumentRoot .
    Redirect /old http://example.com/new
    Redirect /dir/ http://example.com/folder/
    Redirect /withquery http://example.com/q?z=1
    Redirect permanent /perm http://example.com/p
    Redirect 303 /see http://example.com/see
    Redirect gone /gone
    RedirectPermanent /local /elsewhere
    RedirectTemp /temp http://example.com/temp
    RedirectMatch ^/rm/(.*)$ http://example.com/m/$1
    RedirectMatch 301 ^/rq/([^/]*)$ http://example.com/m?v=$1
    """


@pytest.fixture
def redirects(make_site):
    client = make_site(REDIRECTS, {"oldx": "not redirected\n"})
    client.lint = False  # /oldx has no Content-Type, as in Apache
    return client


@pytest.mark.parametrize("raw, status, location", [
    ("/old", "302 Found", "http://example.com/new"),
    ("/old/x/y", "302 Found", "http://example.com/new/x/y"),
    ("/old/x?q=1", "302 Found", "http://example.com/new/x?q=1"),          # query kept
    ("/old/a%20b", "302 Found", "http://example.com/new/a%20b"),          # the rest is escaped again
    ("/dir/sub", "302 Found", "http://example.com/folder/sub"),
    ("/withquery?a=2", "302 Found", "http://example.com/q?z=1"),          # the target's query wins
    ("/perm/x", "301 Moved Permanently", "http://example.com/p/x"),
    ("/see", "303 See Other", "http://example.com/see"),
    ("/local/y", "301 Moved Permanently", "http://localhost/elsewhere/y"),  # made absolute
    ("/temp", "302 Found", "http://example.com/temp"),
    ("/rm/a/b?c=1", "302 Found", "http://example.com/m/a/b?c=1"),
    ("/rm/a%20b", "302 Found", "http://example.com/m/a%20b"),
    ("/rq/x?y=2", "301 Moved Permanently", "http://example.com/m?v=x"),
])
def test_redirect_status_and_location(redirects, raw, status, location):
    res = get(redirects, raw)
    code, reason = status.split(" ", 1)
    assert (res.status, res.headers["Location"], res.headers["Content-Type"], res.text) == (
        status, location, "text/html; charset=iso-8859-1", moved_page(int(code), reason, location))


def test_redirect_matches_whole_segments(redirects):
    res = get(redirects, "/oldx")
    assert (res.status, res.body) == ("200 OK", b"not redirected\n")
    res = get(redirects, "/dir")
    assert (res.status, res.text) == ("404 Not Found", NOT_FOUND)


def test_redirect_gone(redirects):
    res = get(redirects, "/gone/x")
    assert res.status == "410 Gone"
    assert "Location" not in res.headers
    assert res.text == ERROR_PAGE % (
        410, "Gone", "Gone", "<p>The requested resource is no longer available on this server and there is "
        "no forwarding address.\nPlease remove all references to this resource.</p>\n")


def test_redirects_are_tried_before_aliases_whatever_their_order(make_site):
    client = make_site("""\
        DocumentRoot htdocs
        Alias /docs manual
        Redirect /docs/old http://example.com/new
        """, {"manual/a.txt": "a\n"})
    res = get(client, "/docs/old/page")
    assert (res.status, res.headers["Location"]) == ("302 Found", "http://example.com/new/page")
    res = get(client, "/docs/a.txt")
    assert (res.status, res.body) == ("200 OK", b"a\n")


def test_virtual_host_aliases_come_before_the_main_servers(make_site):
    client = make_site("""\
        DocumentRoot htdocs
        Alias /docs main-manual
        <VirtualHost *:80>
            ServerName app.example
            Alias /docs app-manual
        </VirtualHost>
        <VirtualHost *:80>
            ServerName other.example
        </VirtualHost>
        """, {"main-manual/a.txt": "main\n", "app-manual/a.txt": "app\n"})
    assert client.get("/docs/a.txt", headers={"Host": "app.example"}).body == b"app\n"
    assert client.get("/docs/a.txt", headers={"Host": "other.example"}).body == b"main\n"


@pytest.mark.parametrize("template, expected", [
    ("/fs/$1/$2", "/fs/abc/42"),
    ("/fs/$0", "/fs/abc-42"),
    ("/fs/&", "/fs/abc-42"),                # ap_pregsub: "&" is the whole match
    ("/fs/\\$1/\\&", "/fs/$1/&"),          # a backslash escapes them
    ("/fs/$9", "/fs/"),                     # a group the pattern does not have is empty
    ("/fs/$x$", "/fs/$x$"),
])
def test_alias_match_substitution_follows_apache(template, expected):
    from modpy_compat.config.mapping import substitute
    match = re.search(r"([a-z]+)-([0-9]+)", "abc-42")
    assert substitute(template, match) == expected
