"""Errors: handler exceptions with and without PythonDebug, odd results, ErrorDocument,
bad headers and internal redirects.

Expected responses are those of Apache 2.4 with mod_python 3.5 (the built-in
error pages byte for byte; the debug report's layout).
"""
from __future__ import annotations

import os
import sys

import pytest

from tests.support.pages import HTML_ERROR, PAGE_404, PAGE_500


def additionally(page, status, reason):
    """A built-in page with the sentence Apache adds when the ErrorDocument failed too."""
    return page.replace("</body></html>\n", "<p>Additionally, a %d %s\nerror was encountered while "
                        "trying to use an ErrorDocument to handle the request.</p>\n"
                        "</body></html>\n" % (status, reason))


ERRORS = """\
from mod_python import apache


def boom(req):
    raise ValueError("boom <&> 'quoted' \\"double\\"")


def none(req):
    req.content_type = "text/plain"


def string(req):
    return "junk"


def true(req):
    return True


def flushed_then_raise(req):
    req.content_type = "text/plain"
    req.write("x")
    raise ValueError("after write")


def buffered_then_raise(req):
    req.content_type = "text/plain"
    req.write("x", 0)
    raise ValueError("after buffered write")


def explicit_500(req):
    return apache.HTTP_INTERNAL_SERVER_ERROR
"""
BOOM_LINE = 5  # line of the raise in ERRORS


def errors_site(site, handler, debug=False, extra=""):
    return site("""
        <Directory app>
            SetHandler mod_python
            PythonDebug %s
            PythonHandler %s
            %s
        </Directory>
        """ % ("On" if debug else "Off", handler, extra), {"app/errs.py": ERRORS})


def report_head(handler, phase="PythonHandler"):
    return '\n<pre>\nMod_python error: "%s %s"\n\n' % (phase, handler)


# -- handler exceptions --------------------------------------------------------------------------


def test_exception_without_debug_is_the_built_in_500_page(site):
    res = errors_site(site, "errs::boom").get("/app/x?q=1")

    assert res.status == "500 Internal Server Error"
    assert res.headers["Content-Type"] == HTML_ERROR
    assert res.headers["Content-Length"] == "571"
    assert res.text == PAGE_500


def test_exception_is_logged_to_wsgi_errors_with_the_request(site):
    res = errors_site(site, "errs::boom").get("/app/x?q=1")

    path = os.path.join(str(site.root), "app", "errs.py")
    log = res.errors
    assert "[client 127.0.0.1] PythonHandler errs::boom: error handling GET /app/x?q=1 HTTP/1.0\n" in log
    assert "PythonHandler errs::boom: Traceback (most recent call last):\n" in log
    assert 'PythonHandler errs::boom:   File "%s", line %d, in boom\n' % (path, BOOM_LINE) in log
    assert "PythonHandler errs::boom: ValueError: boom <&> 'quoted' \"double\"\n" in log


def test_exception_with_debug_sends_the_traceback_report(site):
    res = errors_site(site, "errs::boom", debug=True).get("/app/x")

    path = os.path.join(str(site.root), "app", "errs.py")
    assert res.status == "500 Internal Server Error"
    assert res.headers["Content-Type"] == "text/html"
    body = res.text
    assert body.startswith(report_head("errs::boom") + "Traceback (most recent call last):\n\n")
    # every line of traceback.format_exception, HTML-escaped (quotes too), then a newline
    assert ("  File &quot;%s&quot;, line %d, in boom\n"
            "    raise ValueError(&quot;boom &lt;&amp;&gt; &#x27;quoted&#x27; \\&quot;double\\&quot;&quot;)\n\n"
            % (path, BOOM_LINE)) in body
    assert body.endswith(
        "\nValueError: boom &lt;&amp;&gt; &#x27;quoted&#x27; &quot;double&quot;\n\n</pre>\n")
    assert "PythonHandler errs::boom: ValueError" in res.errors


@pytest.mark.parametrize("handler, shown", [
    ("none", "None"), ("string", "'junk'"), ("true", "True")])
def test_non_int_result_without_debug_is_a_500(site, handler, shown):
    res = errors_site(site, "errs::" + handler).get("/app/x")

    assert res.status == "500 Internal Server Error"
    assert res.headers["Content-Type"] == HTML_ERROR
    assert res.text == PAGE_500
    assert "errs::%s returned %s" % (handler, shown) in res.errors


@pytest.mark.parametrize("handler, shown", [
    ("none", "None"), ("string", "&#x27;junk&#x27;"), ("true", "True")])
def test_non_int_result_with_debug_reports_the_handler_and_value(site, handler, shown):
    res = errors_site(site, "errs::" + handler, debug=True).get("/app/x")

    assert res.status == "500 Internal Server Error"
    assert res.headers["Content-Type"] == "text/html"
    assert res.text.startswith(report_head("errs::" + handler))
    assert "errs::%s returned %s" % (handler, shown) in res.text
    assert res.text.endswith("</pre>\n")


def test_explicit_500_with_debug_is_the_plain_page_and_not_logged(site):
    res = errors_site(site, "errs::explicit_500", debug=True).get("/app/x")

    assert res.status == "500 Internal Server Error"
    assert res.headers["Content-Type"] == HTML_ERROR
    assert res.text == PAGE_500
    assert res.errors == ""


def test_flushed_write_then_raise_with_debug_keeps_status_and_appends_report(site):
    # FINDINGS j: headers went out with "x": 200 and text/plain stay.
    res = errors_site(site, "errs::flushed_then_raise", debug=True).get("/app/x")

    assert res.status == "200 OK"
    assert res.headers["Content-Type"] == "text/plain"
    assert res.text.startswith("x" + report_head("errs::flushed_then_raise") + "Traceback")
    assert res.text.endswith("ValueError: after write\n\n</pre>\n")


def test_flushed_write_then_raise_without_debug_appends_the_500_page(site):
    res = errors_site(site, "errs::flushed_then_raise").get("/app/x")

    assert res.status == "200 OK"
    assert res.headers["Content-Type"] == "text/plain"
    assert res.text == "x" + PAGE_500


def test_buffered_write_then_raise_with_debug_is_a_500_keeping_the_output(site):
    res = errors_site(site, "errs::buffered_then_raise", debug=True).get("/app/x")

    assert res.status == "500 Internal Server Error"
    assert res.headers["Content-Type"] == "text/html"
    assert res.text.startswith("x" + report_head("errs::buffered_then_raise") + "Traceback")
    assert res.text.endswith("ValueError: after buffered write\n\n</pre>\n")


def test_buffered_write_then_raise_without_debug_discards_the_output(site):
    res = errors_site(site, "errs::buffered_then_raise").get("/app/x")

    assert res.status == "500 Internal Server Error"
    assert res.headers["Content-Length"] == "571"
    assert res.text == PAGE_500


def test_exception_in_a_fixup_with_debug_names_the_phase(site):
    res = errors_site(site, "errs::explicit_500", debug=True,
                      extra="PythonFixupHandler errs::boom").get("/app/x")

    assert res.status == "500 Internal Server Error"
    assert res.text.startswith(report_head("errs::boom", "PythonFixupHandler"))


def test_server_admin_appears_in_the_500_page(site):
    client = site("""
        ServerAdmin webmaster@localhost
        <Directory app>
            SetHandler mod_python
            PythonHandler errs::boom
        </Directory>
        """, {"app/errs.py": ERRORS})

    res = client.get("/app/x")

    assert res.text == PAGE_500.replace("[no address given]", "webmaster@localhost")


# -- ErrorDocument ----------------------------------------------------------------------------------


NOT_FOUND = """\
from mod_python import apache


def handler(req):
    req.headers_out["X-Out"] = "dropped"
    req.err_headers_out["X-Err"] = "kept"
    req.subprocess_env["MYVAR"] = "mine"
    req.notes["mynote"] = "n"
    return apache.HTTP_NOT_FOUND


def boom(req):
    raise ValueError("x")
"""

SHOW = """\
from mod_python import apache


def handler(req):
    req.content_type = "text/plain"
    req.headers_out["X-Doc"] = "doc"
    env = req.subprocess_env
    req.write("uri=%r args=%r status=%r method=%r\\n" % (req.uri, req.args, req.status, req.method))
    req.write("prev=%r prev.status=%r linked=%r\\n" % (
        req.prev.uri, req.prev.status, req.prev.next is req))
    req.write("REDIRECT_STATUS=%s REDIRECT_URL=%s REDIRECT_QUERY_STRING=%s\\n" % (
        env.get("REDIRECT_STATUS"), env.get("REDIRECT_URL"), env.get("REDIRECT_QUERY_STRING")))
    req.write("REDIRECT_MYVAR=%s REDIRECT_REQUEST_METHOD=%s\\n" % (
        env.get("REDIRECT_MYVAR"), env.get("REDIRECT_REQUEST_METHOD")))
    req.write("prev notes %s, notes %r" % (req.prev.notes.get("mynote"), sorted(req.notes.keys())))
    return apache.OK


def boom(req):
    raise ValueError("the error document fails")
"""


def error_document_site(site, document, handler="nf", files=None):
    return site("""
        <Directory app>
            SetHandler mod_python
            PythonHandler %s
            ErrorDocument 404 %s
            ErrorDocument 500 %s
        </Directory>
        <Directory doc>
            SetHandler mod_python
            PythonHandler show
        </Directory>
        """ % (handler, document, document), dict(
            {"app/nf.py": NOT_FOUND, "doc/show.py": SHOW}, **(files or {})))


def test_error_document_text_is_sent_as_the_body(site):
    res = error_document_site(site, '"Custom text here"').get("/app/x")

    assert res.status == "404 Not Found"
    assert res.headers["Content-Type"] == HTML_ERROR
    assert res.headers["Content-Length"] == "16"
    assert res.headers["X-Err"] == "kept"
    assert "X-Out" not in res.headers
    assert res.text == "Custom text here"


def test_error_document_text_for_a_handler_exception(site):
    res = error_document_site(site, '"Oops"', handler="nf::boom").get("/app/x")

    assert res.status == "500 Internal Server Error"
    assert res.headers["Content-Type"] == HTML_ERROR
    assert res.text == "Oops"


def test_error_document_local_path_is_an_internal_redirect_keeping_the_status(site):
    res = error_document_site(site, "/doc/show").get("/app/x?a=1")

    assert res.status == "404 Not Found"
    assert res.headers["Content-Type"] == "text/plain"
    assert res.headers["X-Err"] == "kept"
    assert res.headers["X-Doc"] == "doc"
    assert "X-Out" not in res.headers
    assert res.text == (
        "uri='/doc/show' args=None status=404 method='GET'\n"
        "prev='/app/x' prev.status=404 linked=True\n"
        "REDIRECT_STATUS=404 REDIRECT_URL=None REDIRECT_QUERY_STRING=a=1\n"
        "REDIRECT_MYVAR=mine REDIRECT_REQUEST_METHOD=GET\n"
        "prev notes n, notes ['python_init_ran']")


def test_error_document_redirect_is_a_get_and_remembers_the_method(site):
    res = error_document_site(site, "/doc/show").post("/app/x", "data")

    assert res.status == "404 Not Found"
    assert "method='GET'" in res.text
    assert "REDIRECT_REQUEST_METHOD=POST" in res.text


def test_error_document_static_file_is_served_with_the_error_status(site):
    client = site("""
        <Directory app>
            SetHandler mod_python
            PythonHandler nf
            ErrorDocument 404 /pages/missing.html
        </Directory>
        """, {"app/nf.py": NOT_FOUND, "pages/missing.html": "<p>we lost it</p>\n"})

    res = client.get("/app/x")

    assert res.status == "404 Not Found"
    assert res.headers["Content-Type"] == "text/html"
    assert res.headers["X-Err"] == "kept"
    assert res.text == "<p>we lost it</p>\n"


def test_error_document_remote_url_is_a_302(site):
    res = error_document_site(site, "http://example.com/missing").get("/app/x")

    assert res.status == "302 Found"
    assert res.headers["Location"] == "http://example.com/missing"
    assert res.headers["X-Err"] == "kept"
    assert res.headers["Content-Type"] == HTML_ERROR
    assert res.headers["Content-Length"] == "250"
    assert res.text == (
        '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01//EN" "http://www.w3.org/TR/html4/strict.dtd">\n'
        "<html><head>\n<title>302 Found</title>\n</head><body>\n<h1>Found</h1>\n"
        '<p>The document has moved <a href="http://example.com/missing">here</a>.</p>\n'
        "</body></html>\n")


def test_error_document_that_is_missing_gives_the_page_with_additionally(site):
    res = error_document_site(site, "/nonexistent/doc.html").get("/app/x")

    assert res.status == "404 Not Found"
    assert res.headers["Content-Type"] == HTML_ERROR
    assert res.headers["Content-Length"] == "355"
    assert res.headers["X-Err"] == "kept"
    assert res.text == additionally(PAGE_404, 404, "Not Found")


def test_error_document_that_raises_gives_the_page_with_additionally(site):
    client = site("""
        <Directory app>
            SetHandler mod_python
            PythonHandler nf::boom
            ErrorDocument 500 /doc/x
        </Directory>
        <Directory doc>
            SetHandler mod_python
            PythonHandler show::boom
        </Directory>
        """, {"app/nf.py": NOT_FOUND, "doc/show.py": SHOW})

    res = client.get("/app/x")

    assert res.status == "500 Internal Server Error"
    assert res.headers["Content-Length"] == "702"
    assert res.text == additionally(PAGE_500, 500, "Internal Server Error")
    assert "ValueError: the error document fails" in res.errors


def test_error_document_for_head_sends_no_body(site):
    res = error_document_site(site, "/doc/show").head("/app/x")

    assert res.status == "404 Not Found"
    assert res.headers["Content-Type"] == "text/plain"
    assert res.body == b""


# -- headers that cannot be sent -----------------------------------------------------------------------


@pytest.mark.parametrize("statement", [
    'req.headers_out["X-Bad"] = "a\\r\\nb"; req.write("body", 0)',
    'req.headers_out["X-Bad"] = "a\\nb"; req.write("body")',
    'req.headers_out["X-Bad"] = "a\\rb"; req.write("body")',
    'req.err_headers_out["X-Bad"] = "a\\r\\nb"',
    'req.content_type = "text/plain\\r\\nX-Injected: 1"; req.write("body")',
], ids=["headers_out-crlf", "headers_out-lf", "headers_out-cr", "err_headers_out", "content_type"])
def test_header_with_cr_or_lf_is_never_sent_and_gives_a_500(site, statement):
    client = site("""
        <Directory app>
            SetHandler mod_python
            PythonHandler bad
        </Directory>
        """, {"app/bad.py": """
        from mod_python import apache

        def handler(req):
            req.content_type = "text/plain"
            %s
            return apache.OK
        """ % statement})

    res = client.get("/app/x")

    assert res.status == "500 Internal Server Error"
    assert res.headers["Content-Type"] == HTML_ERROR
    assert "X-Bad" not in res.headers
    assert "X-Injected" not in res.headers
    assert res.text == PAGE_500
    assert "CR or LF" in res.errors


def test_header_with_cr_or_lf_with_debug_is_still_the_plain_500(site):
    client = site("""
        <Directory app>
            SetHandler mod_python
            PythonDebug On
            PythonHandler bad
        </Directory>
        """, {"app/bad.py": """
        from mod_python import apache

        def handler(req):
            req.content_type = "text/plain"
            req.headers_out["X-Bad"] = "a\\r\\nb"
            req.write("body", 0)
            return apache.OK
        """})

    res = client.get("/app/x")

    assert res.status == "500 Internal Server Error"
    assert "X-Bad" not in res.headers
    assert res.text == PAGE_500


# -- internal redirects -------------------------------------------------------------------------------


def test_internal_redirect_sends_the_new_response(site):
    client = site("""
        <Directory app>
            SetHandler mod_python
            PythonHandler go
        </Directory>
        <Directory doc>
            SetHandler mod_python
            PythonHandler show
        </Directory>
        """, {"app/go.py": """
        from mod_python import apache

        def handler(req):
            req.subprocess_env["MYVAR"] = "mine"
            req.notes["mynote"] = "n"
            req.headers_out["X-Before"] = "dropped"
            req.write("dropped", 0)
            req.internal_redirect("/doc/show?x=1")
            req.log_error("after redirect: next=%s" % req.next.uri)
            return apache.OK
        """, "doc/show.py": SHOW})

    res = client.get("/app/x?q=2")

    assert res.status == "200 OK"
    assert res.headers["Content-Type"] == "text/plain"
    assert "X-Before" not in res.headers
    assert res.headers["X-Doc"] == "doc"
    assert res.text == (
        "uri='/doc/show' args='x=1' status=200 method='GET'\n"
        "prev='/app/x' prev.status=200 linked=True\n"
        "REDIRECT_STATUS=200 REDIRECT_URL=None REDIRECT_QUERY_STRING=q=2\n"
        "REDIRECT_MYVAR=mine REDIRECT_REQUEST_METHOD=GET\n"
        "prev notes n, notes ['python_init_ran']")


def test_internal_redirect_carries_the_status_over(site):
    client = site("""
        <Directory app>
            SetHandler mod_python
            PythonHandler go
        </Directory>
        <Directory doc>
            SetHandler mod_python
            PythonHandler show
        </Directory>
        """, {"app/go.py": """
        from mod_python import apache

        def handler(req):
            req.status = 201
            req.internal_redirect("/doc/show")
            return apache.OK
        """, "doc/show.py": SHOW})

    res = client.get("/app/x")

    assert res.status == "201 Created"
    assert res.text.startswith("uri='/doc/show' args=None status=201 method='GET'\n"
                               "prev='/app/x' prev.status=201 linked=True\n")


def test_internal_redirect_keeps_the_method(site):
    client = site("""
        <Directory app>
            SetHandler mod_python
            PythonHandler go
        </Directory>
        <Directory doc>
            SetHandler mod_python
            PythonHandler show
        </Directory>
        """, {"app/go.py": """
        from mod_python import apache

        def handler(req):
            req.internal_redirect("/doc/show")
            return apache.OK
        """, "doc/show.py": SHOW})

    assert "method='POST'" in client.post("/app/x", "data").text


def test_internal_redirect_to_a_static_file(site):
    client = site("""
        <Directory app>
            SetHandler mod_python
            PythonHandler go
        </Directory>
        """, {"app/go.py": """
        from mod_python import apache

        def handler(req):
            req.internal_redirect("/pages/page.txt")
            return apache.OK
        """, "pages/page.txt": "static page\n"})

    res = client.get("/app/x")

    assert res.status == "200 OK"
    assert res.headers["Content-Type"] == "text/plain"
    assert res.text == "static page\n"


def test_internal_redirect_loop_ends_in_a_500_after_ten(site, caplog):
    client = site("""
        <Directory app>
            SetHandler mod_python
            PythonHandler loop
        </Directory>
        """, {"app/loop.py": """
        from mod_python import apache

        def handler(req):
            req.internal_redirect(req.uri)
            return apache.OK
        """})

    res = client.get("/app/x")

    assert res.status == "500 Internal Server Error"
    assert res.text == PAGE_500
    assert "exceeded the limit of 10 internal redirects" in caplog.text


def test_log_handler_runs_for_the_original_request_after_a_redirect(site):
    client = site("""
        <Directory app>
            SetHandler mod_python
            PythonHandler go
            PythonLogHandler go::log
        </Directory>
        <Directory doc>
            SetHandler mod_python
            PythonHandler show
            PythonLogHandler go::log
        </Directory>
        """, {"app/go.py": """
        import os
        from mod_python import apache

        def handler(req):
            req.internal_redirect("/doc/show")
            return apache.OK

        def log(req):
            with open(os.path.join(os.path.dirname(__file__), "log.txt"), "a") as fh:
                fh.write("%s -> %s\\n" % (req.uri, req.next and req.next.uri))
            return apache.OK
        """, "doc/show.py": SHOW})

    client.get("/app/x")

    with open(os.path.join(str(site.root), "app", "log.txt")) as fh:
        assert fh.read() == "/app/x -> /doc/show\n"


def test_sys_exit_in_a_handler_is_reported_like_any_exception(site):
    client = site("""
        <Directory app>
            SetHandler mod_python
            PythonHandler quitter
        </Directory>
        """, {"app/quitter.py": """
        import sys

        def handler(req):
            sys.exit(3)
        """})

    res = client.get("/app/x")

    assert res.status == "500 Internal Server Error"
    assert res.text == PAGE_500
    assert "PythonHandler quitter: SystemExit: 3" in res.errors


def test_exception_in_log_handler_is_only_logged(site):
    client = site("""
        <Directory app>
            SetHandler mod_python
            PythonHandler late
            PythonLogHandler late::log
        </Directory>
        """, {"app/late.py": """
        from mod_python import apache

        def handler(req):
            req.write("fine")
            return apache.OK

        def log(req):
            raise ValueError("log phase failed")
        """})

    res = client.get("/app/x")

    assert res.status == "200 OK"
    assert res.text == "fine"
    assert "PythonLogHandler late::log: ValueError: log phase failed" in res.errors


def test_content_handler_exception_after_redirect_target_is_reported(site):
    client = site("""
        <Directory app>
            SetHandler mod_python
            PythonHandler go
        </Directory>
        <Directory doc>
            SetHandler mod_python
            PythonHandler show::boom
        </Directory>
        """, {"app/go.py": """
        from mod_python import apache

        def handler(req):
            req.internal_redirect("/doc/x")
            return apache.OK
        """, "doc/show.py": SHOW})

    res = client.get("/app/x")

    assert res.status == "500 Internal Server Error"
    assert res.text == PAGE_500
    # the log names the request the client sent
    assert "error handling GET /app/x HTTP/1.0\n" in res.errors
    assert "ValueError: the error document fails" in res.errors


# -- statuses returned by handlers ---------------------------------------------------------------


STATUS = """\
from mod_python import apache


def handler(req):
    which = req.args
    req.content_type = "text/plain"
    req.headers_out["X-Out"] = "o"
    req.write("discarded", 0)
    if which == "allow-none":
        return apache.HTTP_METHOD_NOT_ALLOWED
    if which == "allow-get":
        req.allow_methods(["GET"])
        return apache.HTTP_METHOD_NOT_ALLOWED
    if which == "allow-many":
        req.allow_methods(["PUT", "GET", "MKWORKSPACE"])
        req.allow_methods(["GET", "POST"])
        return apache.HTTP_NOT_IMPLEMENTED
    if which == "location":
        req.headers_out["Location"] = "http://example.com/t?a=1&b=<2>'"
        return int(req.headers_in["X-Status"])
    return int(which)
"""


def status_site(site):
    return site("""
        <Directory app>
            SetHandler mod_python
            PythonHandler status
        </Directory>
        """, {"app/status.py": STATUS})


@pytest.mark.parametrize("query, allow", [
    ("allow-none", "TRACE"),
    ("allow-get", "HEAD,GET,TRACE"),
    ("allow-many", "PUT,HEAD,GET,MKWORKSPACE,POST,TRACE"),
])
def test_allow_header_lists_what_the_handler_allowed(site, query, allow):
    res = status_site(site).get("/app/x?" + query)

    assert res.headers["Allow"] == allow
    assert "X-Out" not in res.headers


def test_405_page_names_the_method(site):
    res = status_site(site).get("/app/x?allow-get")

    assert res.status == "405 Method Not Allowed"
    assert res.headers["Content-Length"] == "260"
    assert res.text == (
        '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01//EN" "http://www.w3.org/TR/html4/strict.dtd">\n'
        "<html><head>\n<title>405 Method Not Allowed</title>\n</head><body>\n"
        "<h1>Method Not Allowed</h1>\n<p>The requested method GET is not allowed for this URL.</p>\n"
        "</body></html>\n")


@pytest.mark.parametrize("status", ["306", "418", "425", "299", "600", "1"])
def test_status_apache_does_not_know_becomes_a_500(site, status, caplog):
    res = status_site(site).get("/app/x?" + status)

    assert res.status == "500 Internal Server Error"
    assert res.text == PAGE_500


@pytest.mark.parametrize("status, line", [("200", "200 OK"), ("201", "201 Created"),
                                          ("226", "226 IM Used")])
def test_success_status_returned_as_a_result_gets_a_page_with_the_500_text(site, status, line):
    # Legacy code's ``return apache.HTTP_OK`` (Apache answers it like an error).
    res = status_site(site).get("/app/x?" + status)

    assert res.status == line
    assert res.headers["Content-Type"] == HTML_ERROR
    assert "X-Out" not in res.headers
    reason = line.split(" ", 1)[1]
    assert res.text == PAGE_500.replace("500 Internal Server Error", line).replace(
        "<h1>Internal Server Error</h1>", "<h1>%s</h1>" % reason)


def test_no_content_result_keeps_headers_and_sends_no_body(site):
    res = status_site(site).get("/app/x?204")

    assert res.status == "204 No Content"
    assert res.headers["X-Out"] == "o"
    assert "Content-Type" not in res.headers
    assert res.body == b""


@pytest.mark.parametrize("status, line, message", [
    ("301", "301 Moved Permanently", '<p>The document has moved <a href="%s">here</a>.</p>\n'),
    ("302", "302 Found", '<p>The document has moved <a href="%s">here</a>.</p>\n'),
    ("303", "303 See Other", '<p>The answer to your request is located <a href="%s">here</a>.</p>\n'),
    ("307", "307 Temporary Redirect", '<p>The document has moved <a href="%s">here</a>.</p>\n'),
    ("308", "308 Permanent Redirect", '<p>The document has moved <a href="%s">here</a>.</p>\n'),
])
def test_redirect_status_keeps_location_and_escapes_it_in_the_page(site, status, line, message):
    res = status_site(site).get("/app/x?location", headers={"X-Status": status})

    assert res.status == line
    assert res.headers["Location"] == "http://example.com/t?a=1&b=<2>'"
    reason = line.split(" ", 1)[1]
    assert res.text == (
        '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01//EN" "http://www.w3.org/TR/html4/strict.dtd">\n'
        "<html><head>\n<title>%s</title>\n</head><body>\n<h1>%s</h1>\n%s</body></html>\n"
        % (line, reason, message % "http://example.com/t?a=1&amp;b=&lt;2&gt;'"))


@pytest.mark.parametrize("status, message", [
    ("410", "<p>The requested resource is no longer available on this server and there is no "
            "forwarding address.\nPlease remove all references to this resource.</p>\n"),
    ("429", "<p>The user has sent too many requests\nin a given amount of time.</p>\n"),
    ("503", "<p>The server is temporarily unable to service your\nrequest due to maintenance "
            "downtime or capacity\nproblems. Please try again later.</p>\n"),
    ("409", PAGE_500[PAGE_500.index("<p>"):PAGE_500.index("</body>")]),
])
def test_built_in_pages_for_other_statuses(site, status, message):
    res = status_site(site).get("/app/x?" + status)

    line = res.status
    assert line.startswith(status + " ")
    assert res.text == (
        '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01//EN" "http://www.w3.org/TR/html4/strict.dtd">\n'
        "<html><head>\n<title>%s</title>\n</head><body>\n<h1>%s</h1>\n%s</body></html>\n"
        % (line, line.split(" ", 1)[1], message))


def test_errors_after_the_response_never_reach_the_client_even_with_debug(site):
    client = site("""
        <Directory app>
            SetHandler mod_python
            PythonDebug On
            PythonHandler late
            PythonLogHandler late::fail
            PythonCleanupHandler late::fail
        </Directory>
        """, {"app/late.py": """
        from mod_python import apache

        def handler(req):
            req.write("a" * 300000)  # large enough to stream
            return apache.OK

        def fail(req):
            raise ValueError("too late")
        """})

    res = client.get("/app/x")

    assert res.status == "200 OK"
    assert res.body == b"a" * 300000
    assert "PythonLogHandler late::fail: ValueError: too late" in res.errors
    assert "PythonCleanupHandler late::fail: ValueError: too late" in res.errors
def test_errordocument_with_an_opening_quote_only(make_site):
    app = make_site('DocumentRoot htdocs\nErrorDocument 404 "Sorry, not here\n', {"htdocs/x": "x"})
    r = app.get("/missing")
    assert r.status_int == 404
    assert r.body == b"Sorry, not here"
