"""Apache's default handler and mod_dir: static files, directories, validators, ranges.

Expected responses come from Apache 2.4.71 (FINDINGS f, g, e).  Header order
and framing are WSGI's business: where Apache would chunk, we send a
Content-Length.  Files without a Content-Type are legal (Apache sends none),
so clients here switch WebTest's lint off.
"""
from __future__ import annotations

import html
import os
import time
from email.utils import formatdate

import pytest

# A file whose validators are known: 11 bytes, mtime 2021-06-15 12:34:56.789012345 UTC.
OLD_MTIME_NS = 1623760496789012345
OLD_ETAG = '"b-5c4cd339c8614"'          # "%x-%x" % (size, mtime in microseconds)
OLD_LAST_MODIFIED = "Tue, 15 Jun 2021 12:34:56 GMT"

ERROR_PAGE = ('<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01//EN" "http://www.w3.org/TR/html4/strict.dtd">\n'
              "<html><head>\n<title>%d %s</title>\n</head><body>\n<h1>%s</h1>\n%s</body></html>\n")
NOT_FOUND = ERROR_PAGE % (404, "Not Found", "Not Found", "<p>The requested URL was not found on this server.</p>\n")
FORBIDDEN = ERROR_PAGE % (403, "Forbidden", "Forbidden",
                          "<p>You don't have permission to access this resource.</p>\n")
BAD_REQUEST = ERROR_PAGE % (400, "Bad Request", "Bad Request",
                            "<p>Your browser sent a request that this server could not understand.<br />\n</p>\n")
ERROR_TYPE = "text/html; charset=iso-8859-1"

# Prints what a handler reached through DirectoryIndex sees.
INDEX = '''\
from mod_python import apache


def handler(req):
    req.content_type = "text/plain"
    req.write("uri=%r\\nfilename=%r\\nprev=%r\\nargs=%r\\n" % (
        req.uri, req.filename[len(req.document_root()):], req.prev, req.args))
    return apache.OK
'''


def static_site(make_site, conf="DocumentRoot htdocs\n", files=None):
    client = make_site(conf, files)
    client.lint = False
    return client


def make_old(path):
    os.utime(str(path), ns=(OLD_MTIME_NS, OLD_MTIME_NS))


def headers_of(res, *names):
    return {name: res.headers.get(name) for name in names}


@pytest.fixture
def site(make_site):
    client = static_site(make_site, files={
        "htdocs/old.txt": "hello world",
        "htdocs/new.txt": "new",
        "htdocs/empty.txt": "",
        "secret.txt": "SECRET\n",
    })
    make_old(make_site.root / "htdocs" / "old.txt")
    return client


# -- content type ------------------------------------------------------------------------

@pytest.mark.parametrize("name, content_type", [
    ("a.txt", "text/plain"),
    ("a.html", "text/html"),
    ("a.json", "application/json"),
    ("a.py", "text/x-python"),
    ("a.css", "text/css"),
    ("a.png", "image/png"),
    ("A.TXT", "text/plain"),           # extensions are case-insensitive
    ("a.txt.zzz", "text/plain"),       # an unknown extension adds nothing
])
def test_content_type_follows_the_extension(make_site, name, content_type):
    client = static_site(make_site, files={"htdocs/" + name: "x"})
    res = client.get("/" + name)
    assert (res.status, res.headers["Content-Type"], res.body) == ("200 OK", content_type, b"x")


@pytest.mark.parametrize("name", ["x.zzz", "noext", "trailing."])
def test_no_content_type_for_an_unknown_or_missing_extension(make_site, name):
    client = static_site(make_site, files={"htdocs/" + name: "zzz content\n"})
    res = client.get("/" + name)
    assert (res.status, res.body) == ("200 OK", b"zzz content\n")
    assert "Content-Type" not in res.headers
    assert res.headers["Content-Length"] == "12"


def test_default_type_gives_one(make_site):
    # Deliberate difference: httpd 2.4 ignores DefaultType (AH00117, "deprecated");
    # we apply it as 2.2 did, for configurations written for 2.2.
    client = static_site(make_site, "DocumentRoot htdocs\n<Directory htdocs/d>\nDefaultType text/x-default\n"
                                    "</Directory>\n",
                         {"htdocs/d/noext": "n", "htdocs/d/a.html": "h", "htdocs/noext": "n"})
    assert client.get("/d/noext").headers["Content-Type"] == "text/x-default"
    assert client.get("/d/a.html").headers["Content-Type"] == "text/html"
    assert "Content-Type" not in client.get("/noext").headers


def test_add_type_overrides_mime_types_and_the_last_extension_wins(make_site):
    client = static_site(make_site, """\
        DocumentRoot htdocs
        AddType text/x-custom .txt
        AddType application/x-new new
        AddType application/gzip .gz
        """, {"htdocs/a.txt": "t", "htdocs/a.new": "n", "htdocs/a.tar.gz": "g", "htdocs/a.gz.tar": "r"})
    assert client.get("/a.txt").headers["Content-Type"] == "text/x-custom"
    assert client.get("/a.new").headers["Content-Type"] == "application/x-new"
    assert client.get("/a.tar.gz").headers["Content-Type"] == "application/gzip"
    assert client.get("/a.gz.tar").headers["Content-Type"] == "application/x-tar"


def test_types_config_replaces_the_built_in_table(make_site):
    client = static_site(make_site, "DocumentRoot htdocs\nTypesConfig conf/my.types\n", {
        "conf/my.types": "# type  extensions\ntext/x-mine  mine txt\n\napplication/x-other other\n",
        "htdocs/a.txt": "t", "htdocs/a.mine": "m", "htdocs/a.html": "h"})
    assert client.get("/a.txt").headers["Content-Type"] == "text/x-mine"
    assert client.get("/a.mine").headers["Content-Type"] == "text/x-mine"
    assert "Content-Type" not in client.get("/a.html").headers


def test_force_type_wins_over_every_extension(make_site):
    client = static_site(make_site, """\
        DocumentRoot htdocs
        <Directory htdocs/forced>
            ForceType application/x-forced
        </Directory>
        <Files "*.raw">
            ForceType text/plain
        </Files>
        """, {"htdocs/forced/a.html": "f", "htdocs/forced/noext": "f", "htdocs/b.raw": "r",
              "htdocs/c.html": "c"})
    assert client.get("/forced/a.html").headers["Content-Type"] == "application/x-forced"
    assert client.get("/forced/noext").headers["Content-Type"] == "application/x-forced"
    assert client.get("/b.raw").headers["Content-Type"] == "text/plain"
    assert client.get("/c.html").headers["Content-Type"] == "text/html"


# -- validators and conditional requests ------------------------------------------------------

def test_old_file_gets_a_strong_etag_and_its_validators(site):
    res = site.get("/old.txt")
    assert res.status == "200 OK"
    assert headers_of(res, "Last-Modified", "ETag", "Accept-Ranges", "Content-Length", "Content-Type") == {
        "Last-Modified": OLD_LAST_MODIFIED, "ETag": OLD_ETAG, "Accept-Ranges": "bytes",
        "Content-Length": "11", "Content-Type": "text/plain"}
    assert res.body == b"hello world"


def test_file_changed_within_the_last_second_gets_a_weak_etag(make_site, site):
    path = str(make_site.root / "htdocs" / "new.txt")
    now = time.time_ns()
    os.utime(path, ns=(now, now))
    res = site.get("/new.txt")
    assert res.headers["ETag"] == 'W/"3-%x"' % (now // 1000)
    assert res.headers["Last-Modified"] == formatdate(now / 1e9, usegmt=True)


def test_empty_file(site):
    res = site.get("/empty.txt")
    assert (res.status, res.headers["Content-Length"], res.body) == ("200 OK", "0", b"")


@pytest.mark.parametrize("headers", [
    {"If-None-Match": OLD_ETAG},
    {"If-None-Match": '"other", ' + OLD_ETAG},
    {"If-None-Match": "W/" + OLD_ETAG},           # If-None-Match compares weakly
    {"If-None-Match": "*"},
    {"If-Modified-Since": OLD_LAST_MODIFIED},
    {"If-Modified-Since": "Wed, 16 Jun 2021 00:00:00 GMT"},
], ids=["etag", "etag-list", "weak", "star", "date-equal", "date-later"])
def test_not_modified_has_apaches_304_header_set_and_no_body(site, headers):
    res = site.get("/old.txt", headers=headers)
    assert res.status == "304 Not Modified"
    assert headers_of(res, "Last-Modified", "ETag", "Accept-Ranges", "Content-Length", "Content-Type") == {
        "Last-Modified": OLD_LAST_MODIFIED, "ETag": OLD_ETAG, "Accept-Ranges": "bytes",
        "Content-Length": None, "Content-Type": None}
    assert res.body == b""


@pytest.mark.parametrize("headers", [
    {"If-None-Match": '"b-0"'},
    {"If-Modified-Since": "Tue, 15 Jun 2021 12:34:55 GMT"},
    {"If-Modified-Since": "not a date"},
    # If-None-Match decides when both are sent.
    {"If-None-Match": '"b-0"', "If-Modified-Since": OLD_LAST_MODIFIED},
], ids=["other-etag", "date-earlier", "bad-date", "etag-beats-date"])
def test_condition_that_does_not_hold_gets_the_file(site, headers):
    res = site.get("/old.txt", headers=headers)
    assert (res.status, res.headers["Content-Length"], res.body) == ("200 OK", "11", b"hello world")


@pytest.mark.parametrize("headers", [
    {"If-Match": '"b-0"'},
    {"If-Unmodified-Since": "Tue, 15 Jun 2021 12:34:55 GMT"},
], ids=["if-match", "if-unmodified-since"])
def test_failed_precondition_is_412_with_the_files_headers_and_no_body(site, headers):
    # httpd sends its normal headers and an empty body here, not an error page.
    res = site.get("/old.txt", headers=headers)
    assert res.status == "412 Precondition Failed"
    assert headers_of(res, "Last-Modified", "ETag", "Content-Length", "Content-Type") == {
        "Last-Modified": OLD_LAST_MODIFIED, "ETag": OLD_ETAG, "Content-Length": "0",
        "Content-Type": "text/plain"}
    assert res.body == b""


def test_if_match_that_holds_gets_the_file(site):
    res = site.get("/old.txt", headers={"If-Match": OLD_ETAG})
    assert (res.status, res.body) == ("200 OK", b"hello world")


# -- ranges ---------------------------------------------------------------------------------

@pytest.mark.parametrize("header, content_range, body", [
    ("bytes=0-3", "bytes 0-3/11", b"hell"),
    ("bytes=5-", "bytes 5-10/11", b" world"),
    ("bytes=-3", "bytes 8-10/11", b"rld"),
    ("bytes=0-100", "bytes 0-10/11", b"hello world"),
])
def test_single_range_is_partial_content(site, header, content_range, body):
    res = site.get("/old.txt", headers={"Range": header})
    assert res.status == "206 Partial Content"
    assert headers_of(res, "Content-Range", "Content-Length", "ETag", "Content-Type") == {
        "Content-Range": content_range, "Content-Length": str(len(body)), "ETag": OLD_ETAG,
        "Content-Type": "text/plain"}
    assert res.body == body


@pytest.mark.parametrize("headers", [
    {"Range": "bytes=3-1"},
    {"Range": "items=0-1"},
    {"Range": "bytes=0-3", "If-Range": '"b-0"'},
    {"Range": "bytes=0-3", "If-Range": "Tue, 15 Jun 2021 12:34:55 GMT"},
    # Deliberate difference: httpd answers several ranges with multipart/byteranges.
    {"Range": "bytes=0-1,3-4"},
], ids=["reversed", "other-unit", "if-range-etag", "if-range-date", "several"])
def test_range_that_does_not_apply_gets_the_whole_file(site, headers):
    res = site.get("/old.txt", headers=headers)
    assert (res.status, res.headers["Content-Length"], res.body) == ("200 OK", "11", b"hello world")
    assert "Content-Range" not in res.headers


@pytest.mark.parametrize("if_range", [OLD_ETAG, OLD_LAST_MODIFIED])
def test_if_range_naming_the_file_keeps_the_range(site, if_range):
    res = site.get("/old.txt", headers={"Range": "bytes=0-3", "If-Range": if_range})
    assert (res.status, res.body) == ("206 Partial Content", b"hell")


def test_range_beyond_the_end_is_not_satisfiable(site):
    res = site.get("/old.txt", headers={"Range": "bytes=20-30"})
    assert (res.status, res.headers["Content-Type"]) == ("416 Requested Range Not Satisfiable", ERROR_TYPE)
    assert res.text == ERROR_PAGE % (
        416, "Requested Range Not Satisfiable", "Requested Range Not Satisfiable",
        "<p>None of the range-specifier values in the Range\nrequest-header field overlap the current "
        "extent\nof the selected resource.</p>\n")


def test_not_modified_is_checked_before_the_range(site):
    res = site.get("/old.txt", headers={"Range": "bytes=0-3", "If-None-Match": OLD_ETAG})
    assert (res.status, res.body) == ("304 Not Modified", b"")


# -- methods -------------------------------------------------------------------------------

def test_head_has_the_get_headers_and_no_body(site):
    res = site.head("/old.txt")
    assert res.status == "200 OK"
    assert headers_of(res, "Last-Modified", "ETag", "Accept-Ranges", "Content-Length", "Content-Type") == {
        "Last-Modified": OLD_LAST_MODIFIED, "ETag": OLD_ETAG, "Accept-Ranges": "bytes",
        "Content-Length": "11", "Content-Type": "text/plain"}
    assert res.body == b""


def test_head_range_and_head_not_modified(site):
    res = site.head("/old.txt", headers={"Range": "bytes=0-3"})
    assert (res.status, res.headers["Content-Range"], res.headers["Content-Length"], res.body) == (
        "206 Partial Content", "bytes 0-3/11", "4", b"")
    res = site.head("/old.txt", headers={"If-None-Match": OLD_ETAG})
    assert (res.status, res.body) == ("304 Not Modified", b"")


def test_post_to_a_static_file_gets_the_file(site):
    # httpd's default handler serves POST like GET (FINDINGS f).
    res = site.post("/old.txt", {"a": "1"})
    assert (res.status, res.headers["ETag"], res.headers["Content-Length"], res.body) == (
        "200 OK", OLD_ETAG, "11", b"hello world")


@pytest.mark.parametrize("method, path", [("PUT", "/old.txt"), ("DELETE", "/old.txt"), ("PUT", "/missing.txt"),
                                          ("DELETE", "/")])
def test_other_methods_are_not_allowed(site, method, path):
    res = site.request(path, method=method, body=b"")
    assert (res.status, res.headers["Content-Type"]) == ("405 Method Not Allowed", ERROR_TYPE)
    # Apache lists the same methods, in the order of its hash table.
    assert sorted(res.headers["Allow"].split(",")) == ["GET", "HEAD", "OPTIONS", "POST", "TRACE"]
    assert res.text == ERROR_PAGE % (405, "Method Not Allowed", "Method Not Allowed",
                                     "<p>The requested method %s is not allowed for this URL.</p>\n" % method)


def test_options_lists_the_allowed_methods(site):
    res = site.options("/old.txt")
    assert (res.status, res.headers["Content-Length"], res.headers["Content-Type"], res.body) == (
        "200 OK", "0", "text/plain", b"")
    assert sorted(res.headers["Allow"].split(",")) == ["GET", "HEAD", "OPTIONS", "POST", "TRACE"]


def test_unknown_method_is_not_implemented(site):
    res = site.request("/old.txt", method="FOO")
    assert (res.status, res.headers["Content-Length"]) == ("501 Not Implemented", "242")
    assert sorted(res.headers["Allow"].split(",")) == ["GET", "HEAD", "OPTIONS", "POST", "TRACE"]
    assert res.text == ERROR_PAGE % (501, "Not Implemented", "Not Implemented",
                                     "<p>FOO not supported for current URL.<br />\n</p>\n")


# -- not found, path info --------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/missing", "/missing.txt", "/no/such/dir/", "/old.txt/extra",
                                  "/old.txt/"])
def test_missing_file_or_path_info_on_a_file_is_not_found(site, path):
    res = site.get(path)
    assert (res.status, res.headers["Content-Type"], res.headers["Content-Length"], res.text) == (
        "404 Not Found", ERROR_TYPE, "236", NOT_FOUND)


def test_accept_path_info_on_serves_the_file(make_site):
    client = static_site(make_site, "DocumentRoot htdocs\nAcceptPathInfo On\n", {"htdocs/a.txt": "a"})
    res = client.get("/a.txt/extra")
    assert (res.status, res.body) == ("200 OK", b"a")


def test_post_larger_than_limit_request_body_is_refused(make_site):
    client = static_site(make_site, "DocumentRoot htdocs\nLimitRequestBody 5\n", {"htdocs/a.txt": "a"})
    res = client.post("/a.txt", "0123456789", content_type="text/plain")
    assert res.status == "413 Request Entity Too Large"
    assert client.post("/a.txt", "01234", content_type="text/plain").body == b"a"


def test_something_other_than_a_regular_file_is_forbidden(make_site):
    client = static_site(make_site, files={"htdocs/a.txt": "a"})
    os.mkfifo(str(make_site.root / "htdocs" / "pipe"))
    res = client.get("/pipe")
    assert (res.status, res.text) == ("403 Forbidden", FORBIDDEN)


def test_head_of_a_missing_file_has_no_body(site):
    res = site.head("/missing")
    assert (res.status, res.headers["Content-Type"], res.body) == ("404 Not Found", ERROR_TYPE, b"")


# -- directories and DirectoryIndex -------------------------------------------------------------

DIRS = """\
    DocumentRoot htdocs
    <Directory htdocs/listed>
        DirectoryIndex first.html second.html third.html
    </Directory>
    <Directory htdocs/py>
        AddHandler mod_python .py
        PythonHandler index
        DirectoryIndex index.py
    </Directory>
    <Directory htdocs/handled>
        SetHandler mod_python
        PythonHandler index
    </Directory>
    <Directory htdocs/off>
        DirectorySlash Off
    </Directory>
    """

DIR_FILES = {
    "htdocs/d/index.html": "<p>index</p>\n",
    "htdocs/d/sub/index.html": "<p>sub index</p>\n",
    "htdocs/listed/second.html": "second\n",
    "htdocs/listed/third.html": "third\n",
    "htdocs/listed/index.html": "not listed\n",
    "htdocs/py/index.py": INDEX,
    "htdocs/handled/index.py": INDEX,
    "htdocs/empty/f.txt": "f\n",
    "htdocs/off/f.txt": "f\n",
}


@pytest.fixture
def dirs(make_site):
    return static_site(make_site, DIRS, DIR_FILES)


def moved(location):
    return ERROR_PAGE % (301, "Moved Permanently", "Moved Permanently",
                         '<p>The document has moved <a href="%s">here</a>.</p>\n' % html.escape(location))


@pytest.mark.parametrize("path, location", [
    ("/d", "http://localhost/d/"),
    ("/d?x=1&y=2", "http://localhost/d/?x=1&y=2"),
    ("/d/sub", "http://localhost/d/sub/"),
    ("/empty", "http://localhost/empty/"),
    # mod_dir redirects before any handler runs, SetHandler or not (FINDINGS e).
    ("/handled", "http://localhost/handled/"),
    ("/py", "http://localhost/py/"),
])
def test_directory_without_trailing_slash_is_moved_permanently(dirs, path, location):
    res = dirs.get(path)
    assert (res.status, res.headers["Location"], res.headers["Content-Type"]) == (
        "301 Moved Permanently", location, ERROR_TYPE)
    assert res.text == moved(location)
    assert res.headers["Content-Length"] == str(len(moved(location)))


@pytest.mark.parametrize("raw, location", [
    ("/a%20b", "http://localhost/a%20b/"),
    ("/100%25?x=%20", "http://localhost/100%25/?x=%20"),
    ("/caf%C3%A9", "http://localhost/caf%C3%A9/"),
])
def test_redirect_location_escapes_the_directory_name_again(make_site, raw, location):
    client = static_site(make_site, files={"htdocs/a b/index.html": "ab\n", "htdocs/100%/index.html": "pct\n",
                                           "htdocs/caf\u00e9/index.html": "cafe\n"})
    res = client.get("/", extra_environ={"REQUEST_URI": raw})
    assert (res.status, res.headers["Location"], res.text) == ("301 Moved Permanently", location, moved(location))


@pytest.mark.parametrize("raw, body", [("/a%20b/", b"ab\n"), ("/100%25/", b"pct\n"), ("/caf%C3%A9/", b"cafe\n")])
def test_index_of_a_directory_whose_name_needs_escaping(make_site, raw, body):
    client = static_site(make_site, files={"htdocs/a b/index.html": "ab\n", "htdocs/100%/index.html": "pct\n",
                                           "htdocs/caf\u00e9/index.html": "cafe\n"})
    res = client.get("/", extra_environ={"REQUEST_URI": raw})
    assert (res.status, res.body) == ("200 OK", body)


def test_location_uses_the_host_the_client_asked_for(dirs):
    res = dirs.get("/d", headers={"Host": "www.example.org"})
    assert res.headers["Location"] == "http://www.example.org/d/"


def test_directory_slash_off_leaves_the_directory_alone(dirs):
    res = dirs.get("/off")
    assert (res.status, res.text) == ("403 Forbidden", FORBIDDEN)


def test_directory_with_index_html_serves_it(dirs):
    res = dirs.get("/d/")
    assert (res.status, res.headers["Content-Type"], res.body) == ("200 OK", "text/html", b"<p>index</p>\n")
    res = dirs.get("/d/sub/?q=1")
    assert (res.status, res.body) == ("200 OK", b"<p>sub index</p>\n")


def test_directory_index_takes_the_first_name_that_exists(dirs):
    res = dirs.get("/listed/")
    assert (res.status, res.body) == ("200 OK", b"second\n")


def test_directory_index_to_a_python_page_runs_it_as_a_fast_redirect(dirs):
    res = dirs.get("/py/?a=1")
    # As in mod_python: the handler sees the index file, and no req.prev (FINDINGS e).
    assert (res.status, res.text) == ("200 OK", "uri='/py/index.py'\nfilename='/py/index.py'\nprev=None\n"
                                                "args='a=1'\n")


def test_directory_index_may_name_a_url_path(make_site):
    client = static_site(make_site, "DocumentRoot htdocs\nDirectoryIndex missing.html /shared/index.html\n",
                         {"htdocs/shared/index.html": "shared\n", "htdocs/d/f.txt": "f"})
    res = client.get("/d/")
    assert (res.status, res.body) == ("200 OK", b"shared\n")


def test_directory_index_disabled(make_site):
    client = static_site(make_site, "DocumentRoot htdocs\nDirectoryIndex disabled\n",
                         {"htdocs/d/index.html": "index\n"})
    res = client.get("/d/")
    assert (res.status, res.text) == ("403 Forbidden", FORBIDDEN)


def test_directory_without_index_is_forbidden(dirs):
    # Apache with mod_autoindex loaded (the usual set-up) and Options without
    # Indexes answers 403; without mod_autoindex it would be 404 (FINDINGS g).
    res = dirs.get("/empty/")
    assert (res.status, res.headers["Content-Type"], res.headers["Content-Length"], res.text) == (
        "403 Forbidden", ERROR_TYPE, "239", FORBIDDEN)


def test_handler_directory_without_index_goes_to_the_handler(dirs):
    res = dirs.get("/handled/")
    assert (res.status, res.text) == ("200 OK", "uri='/handled/'\nfilename='/handled/'\nprev=None\n"
                                                "args=None\n")


# -- never outside the tree ------------------------------------------------------------------------

@pytest.mark.parametrize("environ", [
    {"PATH_INFO": "/../secret.txt"},
    {"PATH_INFO": "/a/../../secret.txt"},
    {"REQUEST_URI": "/../secret.txt"},
    {"REQUEST_URI": "/%2e%2e/secret.txt"},
    {"REQUEST_URI": "/a/%2E%2E/.%2e/secret.txt"},
], ids=["path-info", "path-info-deep", "raw", "encoded", "encoded-mixed"])
def test_dot_dot_cannot_climb_out_of_the_document_root(site, environ):
    res = site.get("/", extra_environ=environ)
    assert (res.status, res.text) == ("400 Bad Request", BAD_REQUEST)


def test_encoded_slash_cannot_hide_a_dot_dot(site):
    res = site.get("/", extra_environ={"REQUEST_URI": "/x/..%2f..%2fsecret.txt"})
    assert (res.status, res.text) == ("404 Not Found", NOT_FOUND)


@pytest.fixture
def linked(make_site):
    client = static_site(make_site, """\
        DocumentRoot htdocs
        Alias /pub public
        AliasMatch ^/m/(.*)$ matched/$1
        """, {
        "htdocs/a.txt": "inside\n",
        "public/p.txt": "public\n",
        "matched/m.txt": "matched\n",
        "outside/secret.txt": "SECRET\n",
    })
    root = make_site.root
    os.symlink(str(root / "outside" / "secret.txt"), str(root / "htdocs" / "link.txt"))
    os.symlink(str(root / "outside"), str(root / "htdocs" / "linkdir"))
    os.symlink(str(root / "htdocs" / "a.txt"), str(root / "htdocs" / "inner.txt"))
    os.symlink(str(root / "outside" / "secret.txt"), str(root / "public" / "link.txt"))
    os.symlink(str(root / "outside"), str(root / "matched" / "linkdir"))
    return client


@pytest.mark.parametrize("path", ["/link.txt", "/linkdir/secret.txt", "/pub/link.txt",
                                  "/m/linkdir/secret.txt"])
def test_symlink_escaping_the_tree_is_forbidden(linked, path):
    # Deliberate difference: Apache (Options FollowSymLinks, its default) would
    # serve these; we never serve a file outside the DocumentRoot or Alias target.
    res = linked.get(path)
    assert (res.status, res.text) == ("403 Forbidden", FORBIDDEN)
    assert "SECRET" not in res.text


def test_symlink_within_the_tree_is_followed(linked):
    res = linked.get("/inner.txt")
    assert (res.status, res.body) == ("200 OK", b"inside\n")


def test_directory_reached_through_alias_match_serves_its_index(make_site):
    client = static_site(make_site, "DocumentRoot htdocs\nAliasMatch ^/docs/(.*)$ manual/$1\n",
                         {"manual/guide/index.html": "guide\n"})
    res = client.get("/docs/guide/")
    assert (res.status, res.body) == ("200 OK", b"guide\n")
    res = client.get("/docs/guide")
    assert (res.status, res.headers["Location"]) == ("301 Moved Permanently", "http://localhost/docs/guide/")


@pytest.mark.parametrize("path, body", [("/pub/p.txt", b"public\n"), ("/m/m.txt", b"matched\n")])
def test_files_are_served_through_an_alias(make_site, linked, path, body):
    res = linked.get(path)
    assert (res.status, res.headers["Content-Type"], res.headers["Content-Length"], res.body) == (
        "200 OK", "text/plain", str(len(body)), body)
    assert res.headers["ETag"].startswith('W/"%x-' % len(body))
