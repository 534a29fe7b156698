"""``mod_python.apache``, ``_apache`` and ``mod_python.version``: every name, used from a handler.

Constant values are mod_python's (Doc/pythonapi.rst, src/include/mpversion.h
and APR's headers).  Function behaviour recorded from Apache 2.4 + mod_python
3.5 where the server does not decide it (error messages, ``mpm_query``'s
argument check, lock index range, ``stat`` of a missing file).
"""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

from tests.api.conftest import PROBE, Probe

CONSTANTS = {
    "OK": 0, "DECLINED": -1, "DONE": -2, "REQ_PROCEED": 0, "REQ_NOACTION": -1, "REQ_ABORTED": 500,
    "REQ_EXIT": "REQ_EXIT", "PROG_TRACEBACK": "PROG_TRACEBACK",
    "HTTP_CONTINUE": 100, "HTTP_SWITCHING_PROTOCOLS": 101, "HTTP_PROCESSING": 102, "HTTP_OK": 200,
    "HTTP_CREATED": 201, "HTTP_ACCEPTED": 202, "HTTP_NON_AUTHORITATIVE": 203, "HTTP_NO_CONTENT": 204,
    "HTTP_RESET_CONTENT": 205, "HTTP_PARTIAL_CONTENT": 206, "HTTP_MULTI_STATUS": 207,
    "HTTP_MULTIPLE_CHOICES": 300, "HTTP_MOVED_PERMANENTLY": 301, "HTTP_MOVED_TEMPORARILY": 302,
    "HTTP_SEE_OTHER": 303, "HTTP_NOT_MODIFIED": 304, "HTTP_USE_PROXY": 305,
    "HTTP_TEMPORARY_REDIRECT": 307, "HTTP_BAD_REQUEST": 400, "HTTP_UNAUTHORIZED": 401,
    "HTTP_PAYMENT_REQUIRED": 402, "HTTP_FORBIDDEN": 403, "HTTP_NOT_FOUND": 404,
    "HTTP_METHOD_NOT_ALLOWED": 405, "HTTP_NOT_ACCEPTABLE": 406, "HTTP_PROXY_AUTHENTICATION_REQUIRED": 407,
    "HTTP_REQUEST_TIME_OUT": 408, "HTTP_CONFLICT": 409, "HTTP_GONE": 410, "HTTP_LENGTH_REQUIRED": 411,
    "HTTP_PRECONDITION_FAILED": 412, "HTTP_REQUEST_ENTITY_TOO_LARGE": 413,
    "HTTP_REQUEST_URI_TOO_LARGE": 414, "HTTP_UNSUPPORTED_MEDIA_TYPE": 415,
    "HTTP_RANGE_NOT_SATISFIABLE": 416, "HTTP_EXPECTATION_FAILED": 417, "HTTP_IM_A_TEAPOT": 418,
    "HTTP_UNPROCESSABLE_ENTITY": 422, "HTTP_LOCKED": 423, "HTTP_FAILED_DEPENDENCY": 424,
    "HTTP_UPGRADE_REQUIRED": 426, "HTTP_INTERNAL_SERVER_ERROR": 500, "HTTP_NOT_IMPLEMENTED": 501,
    "HTTP_BAD_GATEWAY": 502, "HTTP_SERVICE_UNAVAILABLE": 503, "HTTP_GATEWAY_TIME_OUT": 504,
    "HTTP_VERSION_NOT_SUPPORTED": 505, "HTTP_VARIANT_ALSO_VARIES": 506, "HTTP_INSUFFICIENT_STORAGE": 507,
    "HTTP_NOT_EXTENDED": 510,
    "APLOG_EMERG": 0, "APLOG_ALERT": 1, "APLOG_CRIT": 2, "APLOG_ERR": 3, "APLOG_WARNING": 4,
    "APLOG_NOTICE": 5, "APLOG_INFO": 6, "APLOG_DEBUG": 7, "APLOG_NOERRNO": 8,
    "REMOTE_HOST": 0, "REMOTE_NAME": 1, "REMOTE_NOLOOKUP": 2, "REMOTE_DOUBLE_REV": 3,
    "PROXYREQ_NONE": 0, "PROXYREQ_PROXY": 1, "PROXYREQ_REVERSE": 2, "PROXYREQ_RESPONSE": 3,
    "M_GET": 0, "M_PUT": 1, "M_POST": 2, "M_DELETE": 3, "M_CONNECT": 4, "M_OPTIONS": 5, "M_TRACE": 6,
    "M_PATCH": 7, "M_PROPFIND": 8, "M_PROPPATCH": 9, "M_MKCOL": 10, "M_COPY": 11, "M_MOVE": 12,
    "M_LOCK": 13, "M_UNLOCK": 14, "M_VERSION_CONTROL": 15, "M_CHECKOUT": 16, "M_UNCHECKOUT": 17,
    "M_CHECKIN": 18, "M_UPDATE": 19, "M_LABEL": 20, "M_REPORT": 21, "M_MKWORKSPACE": 22,
    "M_MKACTIVITY": 23, "M_BASELINE_CONTROL": 24, "M_MERGE": 25, "M_INVALID": 26,
    "AP_REQ_ACCEPT_PATH_INFO": 0, "AP_REQ_REJECT_PATH_INFO": 1, "AP_REQ_DEFAULT_PATH_INFO": 2,
    "AP_MPMQ_NOT_SUPPORTED": 0, "AP_MPMQ_STATIC": 1, "AP_MPMQ_DYNAMIC": 2,
    "AP_MPMQ_MAX_DAEMON_USED": 1, "AP_MPMQ_IS_THREADED": 2, "AP_MPMQ_IS_FORKED": 3,
    "AP_MPMQ_HARD_LIMIT_DAEMONS": 4, "AP_MPMQ_HARD_LIMIT_THREADS": 5, "AP_MPMQ_MAX_THREADS": 6,
    "AP_MPMQ_MIN_SPARE_DAEMONS": 7, "AP_MPMQ_MIN_SPARE_THREADS": 8, "AP_MPMQ_MAX_SPARE_DAEMONS": 9,
    "AP_MPMQ_MAX_SPARE_THREADS": 10, "AP_MPMQ_MAX_REQUESTS_DAEMON": 11, "AP_MPMQ_MAX_DAEMONS": 12,
    "CGI_MAGIC_TYPE": "application/x-httpd-cgi", "INCLUDES_MAGIC_TYPE": "text/x-server-parsed-html",
    "INCLUDES_MAGIC_TYPE3": "text/x-server-parsed-html3", "DIR_MAGIC_TYPE": "httpd/unix-directory",
    "REQUEST_NO_BODY": 0, "REQUEST_CHUNKED_ERROR": 1, "REQUEST_CHUNKED_DECHUNK": 2,
    "AP_CONN_UNKNOWN": 0, "AP_CONN_CLOSE": 1, "AP_CONN_KEEPALIVE": 2,
    "APR_NOFILE": 0, "APR_REG": 1, "APR_DIR": 2, "APR_CHR": 3, "APR_BLK": 4, "APR_PIPE": 5,
    "APR_LNK": 6, "APR_SOCK": 7, "APR_UNKFILE": 127,
    "APR_FINFO_LINK": 0x1, "APR_FINFO_MTIME": 0x10, "APR_FINFO_CTIME": 0x20, "APR_FINFO_ATIME": 0x40,
    "APR_FINFO_SIZE": 0x100, "APR_FINFO_CSIZE": 0x200, "APR_FINFO_DEV": 0x1000,
    "APR_FINFO_INODE": 0x2000, "APR_FINFO_NLINK": 0x4000, "APR_FINFO_TYPE": 0x8000,
    "APR_FINFO_USER": 0x10000, "APR_FINFO_GROUP": 0x20000, "APR_FINFO_UPROT": 0x100000,
    "APR_FINFO_GPROT": 0x200000, "APR_FINFO_WPROT": 0x400000, "APR_FINFO_ICASE": 0x1000000,
    "APR_FINFO_NAME": 0x2000000, "APR_FINFO_MIN": 0x8170, "APR_FINFO_IDENT": 0x3000,
    "APR_FINFO_OWNER": 0x30000, "APR_FINFO_PROT": 0x700000, "APR_FINFO_NORM": 0x73b170,
    "APR_FINFO_DIRENT": 0x2000000,
    "FINFO_MODE": 0, "FINFO_INO": 1, "FINFO_DEV": 2, "FINFO_NLINK": 3, "FINFO_UID": 4, "FINFO_GID": 5,
    "FINFO_SIZE": 6, "FINFO_ATIME": 7, "FINFO_MTIME": 8, "FINFO_CTIME": 9, "FINFO_FNAME": 10,
    "FINFO_NAME": 11, "FINFO_FILETYPE": 12,
    "URI_SCHEME": 0, "URI_HOSTINFO": 1, "URI_USER": 2, "URI_PASSWORD": 3, "URI_HOSTNAME": 4,
    "URI_PORT": 5, "URI_PATH": 6, "URI_QUERY": 7, "URI_FRAGMENT": 8,
}


def test_every_constant_has_mod_pythons_value(probe):
    values = eval(probe.eval("dict((n, getattr(apache, n)) for n in %r)" % sorted(CONSTANTS)))
    assert values == CONSTANTS


def test_server_return_is_the_apache_exception(probe):
    assert probe.eval("(apache.SERVER_RETURN is _apache.SERVER_RETURN, str(apache.SERVER_RETURN), "
                      "issubclass(apache.SERVER_RETURN, Exception))") == \
        "(True, \"<class '_apache.SERVER_RETURN'>\", True)"


@pytest.mark.parametrize("raise_, status", [
    ("apache.SERVER_RETURN(apache.HTTP_FORBIDDEN)", 403),
    ("apache.SERVER_RETURN(apache.DONE, 404)", 404),
])
def test_server_return_from_a_handler(probe, raise_, status):
    assert probe.request("raise " + raise_, mode="exec").status_int == status


def test_table_and_make_table(probe):
    assert probe.eval("(apache.table is apache.make_table, type(apache.table({'a': 1})).__name__, "
                      "apache.table([('a', 'b')])['A'])") == "(True, 'mp_table', 'b')"


def test_log_error(probe, caplog):
    with caplog.at_level("DEBUG", logger="mod_python"):
        out = probe.run("apache.log_error('module says', apache.APLOG_NOTICE, req.server)\n"
                        "apache.log_error(None)\ntry:\n    apache.log_error('x', 3, 'no server')\n"
                        "except TypeError:\n    out = 'TypeError'")
    assert out == "'TypeError'"
    assert [r.getMessage() for r in caplog.records if "says" in r.getMessage()] == ["module says"]


QUERY = ("[apache.mpm_query(c) for c in (apache.AP_MPMQ_IS_THREADED, apache.AP_MPMQ_IS_FORKED, "
         "apache.AP_MPMQ_MAX_THREADS, apache.AP_MPMQ_MAX_DAEMONS, apache.AP_MPMQ_MIN_SPARE_THREADS)]")


@pytest.mark.parametrize("environ, answers", [
    ({"wsgi.multithread": True, "wsgi.multiprocess": False}, "[1, 0, 8, 1, 0]"),
    ({"wsgi.multithread": False, "wsgi.multiprocess": True}, "[0, 2, 1, 2, 0]"),
])
def test_mpm_query_answers_from_the_wsgi_server(make_probe, environ, answers):
    # The first request tells what the server is (wsgi.multithread, wsgi.multiprocess).
    assert make_probe().eval(QUERY, environ=environ) == answers


def test_mpm_query_wants_an_int(probe):
    assert probe.run("try:\n    apache.mpm_query('x')\nexcept TypeError as e:\n    out = str(e)") == \
        "'The argument must be an integer'"


def test_exists_config_define_and_its_alias(make_site):
    client = make_site("DocumentRoot htdocs\n<Directory htdocs/app>\nSetHandler mod_python\n"
                       "PythonHandler probe\n</Directory>\n", {"htdocs/app/probe.py": PROBE},
                       defines=("FOO",))
    probe = Probe(client, None)
    assert probe.eval("(apache.exists_config_define('FOO'), apache.exists_config_define('BAR'), "
                      "apache.exists_config('FOO'))") == "(True, False, True)"


def test_config_tree_and_server_root(probe):
    tree = eval(probe.eval("apache.config_tree()"))
    assert tree[0] == ("ServerName", "www.example.com")
    assert tree[2] == ("<Directory", "htdocs/app>")
    assert ("PythonHandler", "probe") in tree[3]
    assert probe.eval("apache.server_root()") == repr(str(probe.root))


def test_parse_qs_and_parse_qsl_aliases(probe):
    assert probe.eval("(apache.parse_qs('a=1&b=2&a=3;c=&=x&d'), _apache.parse_qsl('a=1&b=%41+c&c=', 1))") \
        == "({'a': ['1', '3'], 'b': ['2'], '': ['x']}, [('a', '1'), ('b', 'A c'), ('c', '')])"


def test_allow_methods_alias_applies_to_a_request(probe):
    response = probe.response("apache.allow_methods(req, apache.M_PUT, 'POST')\napache.allow_methods()\n"
                              "raw = 1\nresult = 405")
    assert response.headers["Allow"] == "PUT,POST,TRACE"


def test_register_cleanup_runs_at_exit_and_checks_the_callable(probe, monkeypatch):
    import atexit
    registered = []
    monkeypatch.setattr(atexit, "register", lambda *a: registered.append(a[1:]))
    assert probe.run("apache.register_cleanup(print, 'data')\ntry:\n    apache.register_cleanup(5)\n"
                     "except ValueError as e:\n    out = str(e)") == "'third argument must be a callable object'"
    assert registered == [(print, "data")]


def test_stat_of_a_file_a_directory_and_nothing(probe):
    path = probe.root / "htdocs" / "app" / "data.txt"
    os.chmod(str(path), 0o640)
    st = os.stat(str(path))
    out = eval(probe.eval("[(f.fname, f.filetype, f.valid, f.protection, f.size, f.mtime, f.inode, f.name) "
                          "for f in [apache.stat(here + '/data.txt', apache.APR_FINFO_MIN)]][0]"))
    assert out == (str(path), 1, 0x73f370, 0x640, 11, int(st.st_mtime), st.st_ino, None)
    assert probe.eval("(apache.stat(here, 0).filetype, apache.stat(here + '/nope', 0).filetype, "
                      "apache.stat(here + '/nope', 0).size, apache.stat(here + '/nope', 0).valid)") == \
        "(2, 0, None, None)"
    assert probe.run("try:\n    apache.stat(here + '/data.txt/x', 0)\nexcept OSError as e:\n"
                     "    out = (type(e).__name__, e.strerror)") == "('NotADirectoryError', 'apr_stat() failed')"


def test_finfo_sequence_access(probe):
    assert probe.eval("[f[apache.FINFO_SIZE], f[apache.FINFO_FNAME] == f.fname, f[apache.FINFO_FILETYPE]] "
                      "if 0 else None") == "None"
    assert probe.eval("(lambda f: (f[apache.FINFO_SIZE], f[apache.FINFO_FILETYPE], f[apache.FINFO_NAME]))"
                      "(apache.stat(here + '/data.txt', 0))") == "(11, 1, None)"


def test_interpreter_and_main_server(probe):
    assert probe.eval("(apache.interpreter, apache.main_server.server_hostname, sys.argv)") == \
        "('www.example.com', 'www.example.com', ['mod_python'])"


def test_import_module_by_name_and_by_path(probe):
    (probe.root / "htdocs" / "app" / "helper.py").write_text("VALUE = 'helper'\n")
    assert probe.eval("apache.import_module('helper', path=[here]).VALUE") == "'helper'"
    assert probe.eval("apache.import_module(here + '/helper.py').VALUE") == "'helper'"
    assert probe.eval("apache.import_module('os.path') is os.path") == "True"
    assert probe.eval("apache.ximport_module is apache.import_module") == "True"


def test_resolve_object_instantiates_classes_and_names_missing_attributes(probe):
    (probe.root / "htdocs" / "app" / "objs.py").write_text(textwrap.dedent("""
        class Handler:
            def __init__(self, arg):
                self.arg = arg
            def method(self):
                return self.arg
    """))
    assert probe.eval("apache.resolve_object(apache.import_module('objs', path=[here]), "
                      "'Handler.method', arg='given')()") == "'given'"
    assert probe.eval("apache.resolve_object(apache.import_module('objs', path=[here]), 'nope', silent=1)") \
        == "None"
    assert probe.run("try:\n    apache.resolve_object(apache.import_module('objs', path=[here]), 'nope')\n"
                     "except AttributeError as e:\n    out = str(e)") == \
        repr("module '%s' contains no 'nope'" % (probe.root / "htdocs" / "app" / "objs.py"))


def test_module_mtime(probe):
    assert probe.eval("apache.module_mtime(sys.modules[__name__] if False else apache.import_module("
                      "here + '/probe.py')) == os.path.getmtime(here + '/probe.py')") == "True"


def test_importer_extras_of_3_3_1(probe):
    out = eval(probe.eval(
        "(apache.modules_graph().splitlines()[:2], any(here + '/probe.py' in l for l in "
        "apache.modules_graph().splitlines()), apache.request_modules_graph(req=req).startswith("
        "'digraph REQUEST {'), apache.module_info(sys.modules[apache.import_module(here + '/probe.py')"
        ".__name__].__name__).file == here + '/probe.py', apache.get_handler_root(req) == here, "
        "apache.get_current_config(req) is req.get_config(), apache.get_current_options(req)['opt1'], "
        "type(apache.get_current_config()).__name__, apache.get_handler_root())"))
    assert out == (["digraph GLOBAL {", "node [shape=box];"], True, True, True, True, True, "v1",
                   "mp_table", None)
    assert probe.run("try:\n    apache.module_info('nope')\nexcept KeyError:\n    out = 'KeyError'") == "'KeyError'"


def test_freeze_modules_stops_reloading(probe):
    from modpy_compat.loader import LOADER
    helper = probe.root / "htdocs" / "app" / "frozen_helper.py"
    helper.write_text("VALUE = 1\n")
    try:
        assert probe.eval("apache.import_module('frozen_helper', path=[here]).VALUE") == "1"
        probe.run("apache.freeze_modules()\nout = 1")
        helper.write_text("VALUE = 2  # changed\n")
        os.utime(str(helper), (1, 1))
        assert probe.eval("apache.import_module('frozen_helper', path=[here]).VALUE") == "1"
    finally:
        for name in ("import_module", "load_file", "_frozen"):
            LOADER.__dict__.pop(name, None)


CGI_SCRIPT = r'''
saved = apache.setup_cgi(req)
try:
    inside = (os.environ["REQUEST_METHOD"], os.environ["GATEWAY_INTERFACE"], sys.argv, sys.stdin.read())
    print("Status: 201 Made")
    print("Content-Type: text/x-cgi")
    print("X-Cgi: 1")
    print()
    print("body", inside)
finally:
    apache.restore_nocgi(*saved)
out = None
raw = 1
'''


def test_setup_cgi_and_restore_nocgi(probe):
    before = (dict(os.environ), sys.stdin, sys.stdout, list(sys.argv))
    response = probe.response(CGI_SCRIPT, method="POST", body=b"posted")
    assert (response.status, response.headers["Content-Type"], response.headers["X-Cgi"]) == \
        ("201 Created", "text/x-cgi", "1")
    assert response.text == "body ('POST', 'Python-CGI/1.1', [], 'posted')\n"
    assert (dict(os.environ), sys.stdin, sys.stdout) == before[:3]


def test_cgi_stdout_takes_bytes_and_crlf_headers(probe):
    response = probe.response("o = apache.CGIStdout(req)\no.write(b'Content-Type: a/b\\r\\nX-B: 2\\r\\n')\n"
                              "o.write(b'\\r\\n\\xff raw')\no.buffer.write(b'!')\nraw = 1\nout = o.tell()")
    assert (response.headers["Content-Type"], response.headers["X-B"], response.body) == \
        ("a/b", "2", b"\xff raw!")


def test_cgi_stdout_header_line_without_colon_is_an_error(probe):
    assert probe.run("try:\n    apache.CGIStdout(req).write('no colon here\\n\\nbody')\nexcept ValueError:\n"
                     "    out = 'ValueError'") == "'ValueError'"


def test_cgi_stdin_reads_the_body(probe):
    assert probe.eval("(lambda i: (i.readline(), i.read(3), i.readlines(), i.read(), i.tell()))"
                      "(apache.CGIStdin(req))", method="POST", body=b"line\nabcdef\nxy") == \
        "('line\\n', 'abc', ['def\\n', 'xy\\n'], '', 14)"
    assert probe.eval("apache.CGIStdin(req).buffer.read()", method="POST", body=b"\xff") == "b'\\xff'"


def test_null_io(probe):
    assert probe.eval("(lambda n: (n.read(), n.readline(), n.readlines(), n.write('x'), n.isatty(), "
                      "n.tell(), n.flush(), n.close(), n.seek(3), n.detach()))(apache.NullIO())") == \
        "('', '', [], None, 0, 0, None, None, None, None)"


# -- _apache's global mutexes --------------------------------------------------------------------------

def test_global_lock_is_not_reentrant_and_trylock_reports_it(probe):
    assert probe.eval(
        "[_apache._global_lock(req.server, 'k1'), _apache._global_trylock(req.server, 'k1'), "
        "_apache._global_unlock(req.server, 'k1'), _apache._global_trylock(req.server, 'k1'), "
        "_apache._global_unlock(req.server, 'k1'), [_apache._global_trylock(req.server, None, i) "
        "for i in range(8)], [_apache._global_unlock(req.server, None, i) for i in range(8)][0]]") == \
        "[None, False, None, True, None, [True, True, True, True, True, True, True, True], None]"


def test_global_lock_arguments_are_checked(probe):
    assert probe.run("out = []\nfor args in [(None, 'k'), (req.server, 'k', 99)]:\n    try:\n"
                     "        _apache._global_lock(*args)\n    except (TypeError, ValueError) as e:\n"
                     "        out.append(str(e))") == repr([
                         "First argument must be a server object",
                         "Lock index is out of range for number of global mutex locks"])


def test_global_lock_count_and_directory_come_from_the_options(make_site, tmp_path):
    lock_dir = tmp_path / "locks"
    lock_dir.mkdir()
    client = make_site("PythonOption mod_python.mutex_directory %s\nPythonOption mod_python.mutex_locks 3\n"
                       "DocumentRoot htdocs\n<Directory htdocs/app>\nSetHandler mod_python\n"
                       "PythonHandler probe\n</Directory>\n" % lock_dir, {"htdocs/app/probe.py": PROBE})
    probe = Probe(client, None)
    assert probe.run("_apache._global_lock(req.server, None, 2)\n_apache._global_unlock(req.server, None, 2)\n"
                     "try:\n    _apache._global_lock(req.server, None, 3)\nexcept ValueError:\n"
                     "    out = 'only 3'") == "'only 3'"
    assert [p.name.startswith("mod_python_mutex_") for p in lock_dir.iterdir()] == [True]


def test_global_lock_is_seen_by_other_processes(make_site, tmp_path):
    lock_dir = tmp_path / "locks"
    lock_dir.mkdir()
    conf = ("PythonOption mod_python.mutex_directory %s\nDocumentRoot htdocs\n<Directory htdocs/app>\n"
            "SetHandler mod_python\nPythonHandler probe\n</Directory>\n" % lock_dir)
    client = make_site(conf, {"htdocs/app/probe.py": PROBE})
    probe = Probe(client, None)
    other = textwrap.dedent("""
        import sys
        from modpy_compat import make_app
        make_app(sys.argv[1])
        from mod_python import _apache, apache
        print(_apache._global_trylock(apache.main_server, "shared"))
    """)
    config = str(make_site.root / "site.conf")
    probe.run("_apache._global_lock(req.server, 'shared')\nout = 1")
    try:
        held = subprocess.run([sys.executable, "-c", other, config], capture_output=True, text=True,
                              cwd=os.path.dirname(os.path.dirname(os.path.dirname(__file__))))
        assert held.stdout.strip() == "False", held.stderr
    finally:
        probe.run("_apache._global_unlock(req.server, 'shared')\nout = 1")
    free = subprocess.run([sys.executable, "-c", other, config], capture_output=True, text=True,
                          cwd=os.path.dirname(os.path.dirname(os.path.dirname(__file__))))
    assert free.stdout.strip() == "True", free.stderr


def test_apache_register_cleanup_of_apache_module_is_in_apache_too(probe):
    assert probe.eval("sorted(n for n in ('_global_lock', '_global_trylock', '_global_unlock', "
                      "'register_cleanup', 'parse_qs', 'parse_qsl', 'stat', 'table') if hasattr(_apache, n))") \
        == repr(sorted(["_global_lock", "_global_trylock", "_global_unlock", "register_cleanup",
                        "parse_qs", "parse_qsl", "stat", "table"]))


def test_version_module(probe):
    assert probe.eval("(lambda mp: (mp.mp_version, mp.version.version, str(mp.version), "
                      "sorted(n for n in vars(mp.version) if n.isupper())))(__import__('mod_python'))") == \
        repr(("3.5.0", "3.5.0", "3.5.0", ["APR_VERSION", "HTTPD", "HTTPD_VERSION", "LIBEXECDIR",
                                          "PYTHON_BIN", "SYSCONFDIR", "TESTHOME", "TEST_MOD_PYTHON_SO"]))
