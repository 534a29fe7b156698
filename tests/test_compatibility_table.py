"""docs/compatibility.md's "Every public name" table stays true.

The table lists every public name of mod_python's API with its status here:
``same``, ``different: how`` or ``absent: why``.  These tests read it and check
it against :data:`REFERENCE` (the names the reference, mod_python-api.md,
documents) and against what the ``mod_python`` package and live request
objects really have: a name said to be there must exist, a name said to be
absent must not, and no reference name may be missing from the table.
"""
from __future__ import annotations

import importlib
import os
import re

import pytest
import webtest

from modpy_compat import make_app

DOC = os.path.join(os.path.dirname(__file__), os.pardir, "docs", "compatibility.md")
STATUS = re.compile(r"^(same( \(.+\))?|different: \S.*|absent: \S.*)$")
# Prefixes naming objects of a live request rather than modules.
OBJECTS = ("req", "conn", "server", "hlist", "finfo", "filter", "table")

REFERENCE = {
    'mod_python': [
        'version', 'mp_version'
    ],
    'version': [
        'version', 'HTTPD', 'HTTPD_VERSION', 'APR_VERSION', 'LIBEXECDIR', 'SYSCONFDIR',
        'TEST_MOD_PYTHON_SO', 'TESTHOME', 'PYTHON_BIN'
    ],
    'apache': [
        'OK', 'DECLINED', 'DONE', 'REQ_PROCEED', 'REQ_NOACTION', 'REQ_ABORTED', 'REQ_EXIT',
        'SERVER_RETURN', 'PROG_TRACEBACK', 'HTTP_CONTINUE', 'HTTP_SWITCHING_PROTOCOLS',
        'HTTP_PROCESSING', 'HTTP_OK', 'HTTP_CREATED', 'HTTP_ACCEPTED', 'HTTP_NON_AUTHORITATIVE',
        'HTTP_NO_CONTENT', 'HTTP_RESET_CONTENT', 'HTTP_PARTIAL_CONTENT', 'HTTP_MULTI_STATUS',
        'HTTP_MULTIPLE_CHOICES', 'HTTP_MOVED_PERMANENTLY', 'HTTP_MOVED_TEMPORARILY', 'HTTP_SEE_OTHER',
        'HTTP_NOT_MODIFIED', 'HTTP_USE_PROXY', 'HTTP_TEMPORARY_REDIRECT', 'HTTP_BAD_REQUEST',
        'HTTP_UNAUTHORIZED', 'HTTP_PAYMENT_REQUIRED', 'HTTP_FORBIDDEN', 'HTTP_NOT_FOUND',
        'HTTP_METHOD_NOT_ALLOWED', 'HTTP_NOT_ACCEPTABLE', 'HTTP_PROXY_AUTHENTICATION_REQUIRED',
        'HTTP_REQUEST_TIME_OUT', 'HTTP_CONFLICT', 'HTTP_GONE', 'HTTP_LENGTH_REQUIRED',
        'HTTP_PRECONDITION_FAILED', 'HTTP_REQUEST_ENTITY_TOO_LARGE', 'HTTP_REQUEST_URI_TOO_LARGE',
        'HTTP_UNSUPPORTED_MEDIA_TYPE', 'HTTP_RANGE_NOT_SATISFIABLE', 'HTTP_EXPECTATION_FAILED',
        'HTTP_IM_A_TEAPOT', 'HTTP_UNPROCESSABLE_ENTITY', 'HTTP_LOCKED', 'HTTP_FAILED_DEPENDENCY',
        'HTTP_UPGRADE_REQUIRED', 'HTTP_INTERNAL_SERVER_ERROR', 'HTTP_NOT_IMPLEMENTED',
        'HTTP_BAD_GATEWAY', 'HTTP_SERVICE_UNAVAILABLE', 'HTTP_GATEWAY_TIME_OUT',
        'HTTP_VERSION_NOT_SUPPORTED', 'HTTP_VARIANT_ALSO_VARIES', 'HTTP_INSUFFICIENT_STORAGE',
        'HTTP_NOT_EXTENDED', 'APLOG_EMERG', 'APLOG_ALERT', 'APLOG_CRIT', 'APLOG_ERR', 'APLOG_WARNING',
        'APLOG_NOTICE', 'APLOG_INFO', 'APLOG_DEBUG', 'APLOG_NOERRNO', 'REMOTE_HOST', 'REMOTE_NAME',
        'REMOTE_NOLOOKUP', 'REMOTE_DOUBLE_REV', 'PROXYREQ_NONE', 'PROXYREQ_PROXY', 'PROXYREQ_REVERSE',
        'PROXYREQ_RESPONSE', 'M_GET', 'M_PUT', 'M_POST', 'M_DELETE', 'M_CONNECT', 'M_OPTIONS',
        'M_TRACE', 'M_PATCH', 'M_PROPFIND', 'M_PROPPATCH', 'M_MKCOL', 'M_COPY', 'M_MOVE', 'M_LOCK',
        'M_UNLOCK', 'M_VERSION_CONTROL', 'M_CHECKOUT', 'M_UNCHECKOUT', 'M_CHECKIN', 'M_UPDATE',
        'M_LABEL', 'M_REPORT', 'M_MKWORKSPACE', 'M_MKACTIVITY', 'M_BASELINE_CONTROL', 'M_MERGE',
        'M_INVALID', 'AP_REQ_ACCEPT_PATH_INFO', 'AP_REQ_REJECT_PATH_INFO', 'AP_REQ_DEFAULT_PATH_INFO',
        'AP_MPMQ_NOT_SUPPORTED', 'AP_MPMQ_STATIC', 'AP_MPMQ_DYNAMIC', 'AP_MPMQ_MAX_DAEMON_USED',
        'AP_MPMQ_IS_THREADED', 'AP_MPMQ_IS_FORKED', 'AP_MPMQ_HARD_LIMIT_DAEMONS',
        'AP_MPMQ_HARD_LIMIT_THREADS', 'AP_MPMQ_MAX_THREADS', 'AP_MPMQ_MIN_SPARE_DAEMONS',
        'AP_MPMQ_MIN_SPARE_THREADS', 'AP_MPMQ_MAX_SPARE_DAEMONS', 'AP_MPMQ_MAX_SPARE_THREADS',
        'AP_MPMQ_MAX_REQUESTS_DAEMON', 'AP_MPMQ_MAX_DAEMONS', 'CGI_MAGIC_TYPE', 'INCLUDES_MAGIC_TYPE',
        'INCLUDES_MAGIC_TYPE3', 'DIR_MAGIC_TYPE', 'REQUEST_NO_BODY', 'REQUEST_CHUNKED_ERROR',
        'REQUEST_CHUNKED_DECHUNK', 'AP_CONN_UNKNOWN', 'AP_CONN_CLOSE', 'AP_CONN_KEEPALIVE',
        'APR_NOFILE', 'APR_REG', 'APR_DIR', 'APR_CHR', 'APR_BLK', 'APR_PIPE', 'APR_LNK', 'APR_SOCK',
        'APR_UNKFILE', 'APR_FINFO_LINK', 'APR_FINFO_MTIME', 'APR_FINFO_CTIME', 'APR_FINFO_ATIME',
        'APR_FINFO_SIZE', 'APR_FINFO_CSIZE', 'APR_FINFO_DEV', 'APR_FINFO_INODE', 'APR_FINFO_NLINK',
        'APR_FINFO_TYPE', 'APR_FINFO_USER', 'APR_FINFO_GROUP', 'APR_FINFO_UPROT', 'APR_FINFO_GPROT',
        'APR_FINFO_WPROT', 'APR_FINFO_ICASE', 'APR_FINFO_NAME', 'APR_FINFO_MIN', 'APR_FINFO_IDENT',
        'APR_FINFO_OWNER', 'APR_FINFO_PROT', 'APR_FINFO_NORM', 'APR_FINFO_DIRENT', 'FINFO_MODE',
        'FINFO_INO', 'FINFO_DEV', 'FINFO_NLINK', 'FINFO_UID', 'FINFO_GID', 'FINFO_SIZE', 'FINFO_ATIME',
        'FINFO_MTIME', 'FINFO_CTIME', 'FINFO_FNAME', 'FINFO_NAME', 'FINFO_FILETYPE', 'URI_SCHEME',
        'URI_HOSTINFO', 'URI_USER', 'URI_PASSWORD', 'URI_HOSTNAME', 'URI_PORT', 'URI_PATH', 'URI_QUERY',
        'URI_FRAGMENT', 'MODULE_MAGIC_NUMBER_MAJOR', 'MODULE_MAGIC_NUMBER_MINOR', 'table', 'make_table',
        'log_error', 'import_module', 'ximport_module', 'resolve_object', 'build_cgi_env', 'setup_cgi',
        'NullIO', 'config_tree', 'stat', 'main_server', 'freeze_modules', 'restore_nocgi', 'CGIStdin',
        'CGIStdout', 'register_cleanup', 'mpm_query', 'exists_config_define', 'server_root',
        'interpreter', 'init', 'parse_qs', 'parse_qsl', 'exists_config', 'allow_methods',
        'modules_graph', 'request_modules_graph', 'module_info', 'get_current_config',
        'get_current_options', 'get_handler_root', 'CallBack'
    ],
    '_apache': [
        'SERVER_RETURN', 'table', 'log_error', 'mpm_query', 'config_tree', 'server_root',
        'exists_config_define', 'stat', 'register_cleanup', 'parse_qs', 'parse_qsl', '_global_lock',
        '_global_trylock', '_global_unlock'
    ],
    'req': [
        'the_request', 'method', 'method_number', 'header_only', 'protocol', 'proto_num', 'hostname',
        'request_time', 'status', 'status_line', 'allowed', 'allowed_xmethods', 'allowed_methods',
        'sent_bodyct', 'mtime', 'range', 'clength', 'remaining', 'read_length', 'read_chunked',
        'expecting_100', 'headers_out', 'err_headers_out', 'notes', 'content_type', '_content_type_set',
        'vlist_validator', 'handler', 'user', 'ap_auth_type', 'no_cache', 'uri', 'parsed_uri', 'args',
        'canonical_filename', 'path_info', 'used_path_info', 'finfo', 'eos_sent', 'useragent_addr',
        'useragent_ip', 'connection', 'server', 'next', 'prev', 'phase', 'hlist', 'extension',
        '_bytes_queued', 'assbackwards', 'proxyreq', 'no_local_copy', 'chunked', 'bytes_sent',
        'read_body', 'headers_in', 'subprocess_env', 'content_encoding', 'content_languages',
        'unparsed_uri', 'filename', 'main', 'interpreter', '_request_rec', 'write', 'flush', 'readline',
        'readlines', 'discard_request_body', 'set_content_length', 'get_basic_auth_pw', 'auth_type',
        'auth_name', 'get_options', 'get_config', 'add_input_filter', 'add_output_filter',
        'register_input_filter', 'register_output_filter', 'register_cleanup', 'internal_redirect',
        'add_common_vars', 'document_root', 'construct_url', 'get_remote_host', 'is_https',
        'allow_methods', 'meets_conditions', 'update_mtime', 'set_last_modified', 'set_etag',
        'get_addhandler_exts', 'send_http_header', 'build_wsgi_env', 'read', 'sendfile', 'requires',
        'add_handler', 'log_error', 'add_cgi_vars', 'ssl_var_lookup', 'wsgi_start_response'
    ],
    'table': [
        'add', 'clear', 'copy', 'get', 'has_key', 'items', 'iteritems', 'iterkeys', 'itervalues',
        'keys', 'popitem', 'setdefault', 'update', 'values'
    ],
    'conn': [
        'base_server', 'local_host', 'client_addr', 'client_ip', 'remote_host', 'remote_logname',
        'double_reverse', '_conn_rec', 'local_addr', 'local_ip', 'remote_addr', 'remote_ip', 'aborted',
        'keepalives', 'keepalive', 'id', 'notes', 'hlist', 'log_error', 'read', 'readline', 'write'
    ],
    'server': [
        'server_hostname', 'server_admin', 'defn_name', 'defn_line_number', 'loglevel', 'is_virtual',
        'timeout', 'keep_alive_timeout', 'keep_alive_max', 'keep_alive', 'path', 'pathlen', 'names',
        'wild_names', 'limit_req_line', 'limit_req_fieldsize', 'limit_req_fields', 'next',
        '_server_rec', 'get_config', 'get_options', 'port', 'error_fname', 'my_generation',
        'restart_time', 'log_error', 'register_cleanup'
    ],
    'filter': [
        'read', 'readline', 'flush', 'close', 'pass_on', 'disable', 'closed', 'name', 'req', 'is_input',
        'handler', 'dir', 'softspace', 'write'
    ],
    'finfo': [
        'fname', 'filetype', 'valid', 'protection', 'user', 'group', 'inode', 'device', 'nlink', 'size',
        'atime', 'mtime', 'ctime', 'name'
    ],
    'hlist': [
        'handler', 'directory', 'is_location', 'silent', 'next', 'parent', 'location'
    ],
    'util': [
        'FieldStorage', 'Field', 'StringField', 'FieldList', 'redirect', 'apply_fs_data', 'parse_qs',
        'parse_qsl', 'parse_header', 'readBlockSize', 'FieldStorage.get', 'FieldStorage.getfirst',
        'FieldStorage.getlist', 'FieldStorage.has_key', 'FieldStorage.keys', 'FieldStorage.items',
        'FieldStorage.add_field', 'FieldStorage.clear'
    ],
    'Cookie': [
        'Cookie', 'SignedCookie', 'MarshalCookie', 'add_cookie', 'get_cookies', 'get_cookie',
        'CookieError', 'Cookie.parse', 'Cookie.DOWNGRADE', 'Cookie.IGNORE', 'Cookie.EXCEPTION',
        'SignedCookie.unsign', 'MarshalCookie.unmarshal'
    ],
    'Session': [
        'Session', 'BaseSession', 'DbmSession', 'FileSession', 'MemorySession', 'COOKIE_NAME',
        'DFT_TIMEOUT', 'DFT_LOCK', 'CLEANUP_CHANCE', 'tempdir', 'DFT_FAST_CLEANUP',
        'DFT_VERIFY_CLEANUP', 'DFT_GRACE_PERIOD', 'DFT_CLEANUP_TIME_LIMIT', 'FS_STAT_VERSION',
        'validate_sid_re', 'true_or_false', 'unlock_session_cleanup', 'dbm_cleanup',
        'filesession_cleanup', 'make_filesession_dirs', 'mem_cleanup', 'md5_hash', 'BaseSession.is_new',
        'BaseSession.id', 'BaseSession.created', 'BaseSession.last_accessed', 'BaseSession.timeout',
        'BaseSession.set_timeout', 'BaseSession.load', 'BaseSession.save', 'BaseSession.delete',
        'BaseSession.invalidate', 'BaseSession.lock', 'BaseSession.unlock', 'BaseSession.init_lock',
        'BaseSession.cleanup', 'BaseSession.make_cookie'
    ],
    'psp': [
        'PSP', 'PSPInterface', 'parse', 'parsestring', 'handler', 'code2str', 'str2code', 'HitsCache',
        'FileCache', 'mem_scache', 'mem_fcache', 'path_split', 'tempdir', 'dbm_types', 'PSP.run',
        'PSP.display_code', 'PSPInterface.set_error_page', 'PSPInterface.apply_data',
        'PSPInterface.redirect', 'dbm_cache_type', 'dbm_cache_store', 'dbm_cache_get'
    ],
    '_psp': [
        'parse', 'parsestring'
    ],
    'publisher': [
        'handler', 'process_auth', 'resolve_object', 'publish_object', 'page_cache', 'PageCache',
        'tp_rules', 'default_tp_rule', 'default_builtins_tp_rule', 're_html', 're_charset'
    ],
    'cgihandler': [
        'handler'
    ],
    'testhandler': [
        'handler'
    ],
    'wsgi': [
        'handler'
    ],
    'cache': [
        'NOT_INITIALIZED', 'Entry', 'Cache', 'WeakCache', 'FileCache', 'ModuleCache', 'FunctionCache',
        'HTTPEntity', 'parseRFC822Time', 'Cache.key', 'Cache.check', 'Cache.build', 'Cache.commit',
        'Cache.mru', 'Cache.lru', 'Cache.clear', 'HTTPCache', 'HttpModuleCache'
    ],
}


def table_rows():
    """``[(names, status)]`` of the "Every public name" section."""
    with open(DOC, encoding="utf-8") as fh:
        text = fh.read()
    section = text.split("\n## Every public name", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        if not line.startswith("| `"):
            continue
        names_cell, status = line.strip()[1:-1].split(" | ", 1)
        rows.append((re.findall(r"`([^`]+)`", names_cell), status.strip()))
    return rows


def listed():
    """``{(prefix, name): status}`` for every name in the table."""
    names = {}
    for row_names, status in table_rows():
        for qualified in row_names:
            prefix, _, name = qualified.partition(".")
            assert (prefix, name) not in names, "%s is listed twice" % qualified
            names[(prefix, name)] = status
    return names


def test_every_row_names_something_and_has_a_status():
    rows = table_rows()
    assert len(rows) > 50
    for names, status in rows:
        assert names, "a row without names"
        assert STATUS.match(status), "bad status %r for %s" % (status, names)


def test_every_listed_name_is_a_reference_name():
    unknown = [p + "." + n for (p, n) in listed() if n not in REFERENCE.get(p, ())]
    assert unknown == []


def test_every_reference_name_is_listed():
    names = listed()
    missing = [p + "." + n for p, group in REFERENCE.items() for n in group if (p, n) not in names]
    assert missing == []


LIVE = """
DocumentRoot htdocs
<Directory htdocs>
    SetHandler mod_python
    PythonHandler capture
    PythonOutputFilter capture CAPTURE
    SetOutputFilter CAPTURE
</Directory>
"""

CAPTURE = """
from mod_python import apache

def handler(req):
    req.server.captured = {"req": req, "conn": req.connection, "server": req.server,
                           "hlist": req.hlist, "finfo": req.finfo, "table": apache.table}
    req.write("captured")
    return apache.OK

def outputfilter(filter):
    filter.req.server.captured["filter"] = filter
    filter.pass_on()
"""


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    root = tmp_path_factory.mktemp("live")
    (root / "htdocs").mkdir()
    (root / "htdocs" / "capture.py").write_text(CAPTURE)
    (root / "site.conf").write_text(LIVE)
    app = make_app(str(root / "site.conf"))
    assert webtest.TestApp(app, lint=False).get("/x").text == "captured"
    return app.main_server.captured


def exists(prefix, name, live):
    if prefix in OBJECTS:
        obj = live[prefix]
    else:
        module = {"mod_python": "mod_python", "version": "mod_python.version",
                  "_apache": "_apache"}.get(prefix, "mod_python." + prefix)
        try:
            obj = importlib.import_module(module)
        except ImportError:
            return False
    for part in name.split("."):
        if not hasattr(obj, part):
            return False
        obj = getattr(obj, part)
    return True


def test_names_said_to_be_there_exist_and_absent_ones_do_not(live):
    wrong = []
    for (prefix, name), status in sorted(listed().items()):
        there = exists(prefix, name, live)
        if status.startswith("absent") == there:
            wrong.append("%s.%s is %s but the table says %r" % (
                prefix, name, "there" if there else "missing", status))
    assert wrong == []
