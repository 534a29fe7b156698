"""``dir()`` of ``mod_python.apache`` and of a live ``req`` lists every P0 and P1 name.

The lists are the names the reference (mod_python-api.md) tags P0 or P1.
"""
from __future__ import annotations

APACHE_P0_P1 = [
    "OK", "DECLINED", "DONE", "SERVER_RETURN", "table", "make_table", "log_error", "import_module",
    "APLOG_EMERG", "APLOG_ALERT", "APLOG_CRIT", "APLOG_ERR", "APLOG_WARNING", "APLOG_NOTICE",
    "APLOG_INFO", "APLOG_DEBUG", "APLOG_NOERRNO", "APR_DIR", "APR_REG", "parse_qs", "parse_qsl",
    "HTTP_CONTINUE", "HTTP_SWITCHING_PROTOCOLS", "HTTP_PROCESSING", "HTTP_OK", "HTTP_CREATED",
    "HTTP_ACCEPTED", "HTTP_NON_AUTHORITATIVE", "HTTP_NO_CONTENT", "HTTP_RESET_CONTENT",
    "HTTP_PARTIAL_CONTENT", "HTTP_MULTI_STATUS", "HTTP_MULTIPLE_CHOICES", "HTTP_MOVED_PERMANENTLY",
    "HTTP_MOVED_TEMPORARILY", "HTTP_SEE_OTHER", "HTTP_NOT_MODIFIED", "HTTP_USE_PROXY",
    "HTTP_TEMPORARY_REDIRECT", "HTTP_BAD_REQUEST", "HTTP_UNAUTHORIZED", "HTTP_PAYMENT_REQUIRED",
    "HTTP_FORBIDDEN", "HTTP_NOT_FOUND", "HTTP_METHOD_NOT_ALLOWED", "HTTP_NOT_ACCEPTABLE",
    "HTTP_PROXY_AUTHENTICATION_REQUIRED", "HTTP_REQUEST_TIME_OUT", "HTTP_CONFLICT", "HTTP_GONE",
    "HTTP_LENGTH_REQUIRED", "HTTP_PRECONDITION_FAILED", "HTTP_REQUEST_ENTITY_TOO_LARGE",
    "HTTP_REQUEST_URI_TOO_LARGE", "HTTP_UNSUPPORTED_MEDIA_TYPE", "HTTP_RANGE_NOT_SATISFIABLE",
    "HTTP_EXPECTATION_FAILED", "HTTP_IM_A_TEAPOT", "HTTP_UNPROCESSABLE_ENTITY", "HTTP_LOCKED",
    "HTTP_FAILED_DEPENDENCY", "HTTP_UPGRADE_REQUIRED", "HTTP_INTERNAL_SERVER_ERROR",
    "HTTP_NOT_IMPLEMENTED", "HTTP_BAD_GATEWAY", "HTTP_SERVICE_UNAVAILABLE", "HTTP_GATEWAY_TIME_OUT",
    "HTTP_VERSION_NOT_SUPPORTED", "HTTP_VARIANT_ALSO_VARIES", "HTTP_INSUFFICIENT_STORAGE",
    "HTTP_NOT_EXTENDED",
]

REQUEST_P0_P1 = [
    # attributes
    "method", "hostname", "status", "sent_bodyct", "headers_in", "headers_out", "err_headers_out",
    "subprocess_env", "notes", "content_type", "_content_type_set", "handler", "user",
    "unparsed_uri", "uri", "parsed_uri", "args", "filename", "path_info", "connection", "server",
    "phase",
    # methods
    "write", "flush", "read", "readline", "sendfile", "get_basic_auth_pw", "auth_type", "auth_name",
    "requires", "get_options", "get_config", "add_handler", "register_cleanup", "internal_redirect",
    "log_error", "add_common_vars", "add_cgi_vars", "document_root", "construct_url",
    "allow_methods", "send_http_header",
]

CONNECTION_P0_P1 = ["client_addr", "client_ip", "remote_addr", "remote_ip"]
SERVER_P0_P1 = ["server_hostname", "get_config", "get_options"]


def test_dir_of_mod_python_apache_has_every_p0_and_p1_name():
    import modpy_compat  # noqa: F401 - makes mod_python importable
    from mod_python import apache
    assert sorted(set(APACHE_P0_P1) - set(dir(apache))) == []


def test_dir_of_a_live_request_has_every_p0_and_p1_name(probe):
    missing = eval(probe.eval(
        "(sorted(set(%r) - set(dir(req))), sorted(set(%r) - set(dir(req.connection))), "
        "sorted(set(%r) - set(dir(req.server))))" % (REQUEST_P0_P1, CONNECTION_P0_P1, SERVER_P0_P1)))
    assert missing == ([], [], [])
