"""The publisher handler: maps ``/page.py/func`` to ``func(req, **form)``.

Emulates ``mod_python.publisher`` (``PythonHandler mod_python.publisher``):

* the URL names a module file (``index.py`` by default) and, in its path
  info, a dotted path of objects inside it (``index`` by default);
* names starting with ``_``, and objects whose type the traversal table
  forbids (modules, classes, builtins...), answer 403; a missing name 404;
* ``__auth__``, ``__access__`` and ``__auth_realm__`` of the module and of
  every object on the way (inside a function: nested definitions and
  constants, read from its code) ask for Basic credentials (401) and refuse
  users (403);
* a callable is called with the form fields it names (``req`` when asked
  for), its result published in turn; anything else is written as ``str()``
  (``bytes`` as they are) with a guessed Content-Type.

mod_python 3.5 is broken on Python 3 in places (credentials always give 400,
function-level checks read garbage, form fields never bind); there this
follows mod_python 3.3.1.  Every difference is listed in docs/publisher.md.
"""
from __future__ import annotations

import base64
import dis
import functools
import io
import os
import re
import sys
import threading
import types

from modpy_compat.constants import (
    APLOG_NOTICE, APLOG_WARNING, HTTP_BAD_REQUEST, HTTP_FORBIDDEN, HTTP_INTERNAL_SERVER_ERROR,
    HTTP_METHOD_NOT_ALLOWED, HTTP_NOT_FOUND, HTTP_UNAUTHORIZED, OK, SERVER_RETURN)
from modpy_compat.forms import FieldStorage, apply_fs_data
from modpy_compat.loader import LOADER

__all__ = ["handler", "process_auth", "resolve_object", "publish_object", "PageCache",
           "page_cache", "tp_rules", "default_tp_rule", "default_builtins_tp_rule", "re_html",
           "re_charset", "STREAM_OPTION"]

METHODS = ("GET", "POST", "HEAD")

# The publisher guesses text/html when a result ends with a closing html tag
# (looked for in its last 100 characters), text/plain otherwise.
re_html = re.compile(r"</html\s*>\s*$", re.IGNORECASE)
re_charset = re.compile(r"charset\s*=\s*([^\s;]+)", re.IGNORECASE)

# PythonOption that makes iterators stream instead of publishing their str().
STREAM_OPTION = "modpy_compat.publisher.stream_iterators"


# -- which objects may be traversed and published ------------------------------------

# type -> (traversable, publishable); types missing here get default_tp_rule.
default_tp_rule = (True, True)
default_builtins_tp_rule = (False, True)
tp_rules = {t: default_builtins_tp_rule for t in vars(types).values() if isinstance(t, type)}
# mod_python 3.3.1 (Python 2) found the built-in value types in the types module
# too, so a str, a dict or a file could be published but not traversed.  3.5 on
# Python 3 lost them (``/page.py/answer/real`` answers 200 there); keep 3.3.1's table.
tp_rules.update((t, default_builtins_tp_rule) for t in (
    str, bytes, bytearray, int, float, complex, bool, type(None), list, tuple, dict, set,
    frozenset, range, slice, memoryview, type(Ellipsis), type(NotImplemented), object,
    io.TextIOWrapper, io.BufferedReader, io.BufferedWriter, io.BufferedRandom, io.FileIO,
    io.StringIO, io.BytesIO))
tp_rules.update({
    types.ModuleType: (False, False),
    types.BuiltinFunctionType: (False, False),
    type: (False, False),
    # Each access to a property may build a fresh generator: publishable.
    types.GeneratorType: (False, True),
})


def _rule(obj):
    rule = tp_rules.get(type(obj))
    if rule is None:
        # A class whose metaclass is not ``type`` (an ABC, an Enum) is still a
        # class; mod_python would have traversed and called it.
        rule = tp_rules.get(type, default_tp_rule) if isinstance(obj, type) else default_tp_rule
    return rule


# -- the page cache ----------------------------------------------------------------------

class PageCache:
    """Published modules by file name (``publisher.page_cache[req]`` loads ``req.filename``).

    A page is loaded by path into a module of its own (never imported by
    name, so two directories' ``index.py`` do not collide) and loaded again
    when its file changes, unless ``PythonAutoReload Off`` and it is loaded
    already.  With ``PythonDebug On`` loads are logged, as mod_python does.
    """

    def __init__(self):
        self._pages = {}            # (interpreter, filename) -> module last handed out
        self._lock = threading.Lock()

    def __getitem__(self, req):
        config = req.get_config()
        autoreload = int(config.get("PythonAutoReload", 1))
        filename = req.filename
        interpreter = req.interpreter
        module = LOADER.load_file(filename, autoreload=bool(autoreload), log_imports=False,
                                  interpreter=interpreter)
        key = (interpreter, filename)
        with self._lock:
            previous = self._pages.get(key)
            self._pages[key] = module
        if module is not previous and int(config.get("PythonDebug", 0)):
            req.log_error("Publisher %s page %s" % ("reloading" if previous else "loading", filename),
                          APLOG_NOTICE)
        return module


page_cache = PageCache()


# -- the handler -------------------------------------------------------------------------

def handler(req):
    """Publish the object the URL names; always OK (errors are raised as SERVER_RETURN)."""
    req.allow_methods(list(METHODS))
    if req.method not in METHODS:
        raise SERVER_RETURN(HTTP_METHOD_NOT_ALLOWED)
    req.filename, object_path = locate(req)
    module = page_cache[req]
    realm, user, passwd = process_auth(req, module)
    obj = resolve_object(req, module, object_path, realm, user, passwd)
    published = publish_object(req, obj)
    if not published and req._bytes_queued == 0 and req.next is None:
        if int(req.get_config().get("PythonDebug", 0)):
            req.log_error("mod_python.publisher: nothing to publish.")
    return OK


def locate(req):
    """``(module file, dotted object path)`` for the request.

    ``dir/name.ext/a/b`` -> ``dir/name.py`` and ``a.b``; a directory gives
    module ``index``; a module file that does not exist makes its name the
    first step of the path in ``dir/index.py``; an empty path is ``index``.
    One extension is taken off the name: ``.py``, one that AddHandler maps to
    mod_python here, or the ``| .ext`` that chose the handler.

    :raises SERVER_RETURN: 404 when neither module file exists.
    """
    directory, name = os.path.split(req.filename)
    name = name or "index"
    suffixes = ["py"] + req.get_addhandler_exts().split()
    if req.extension:
        suffixes.append(req.extension[1:])
    name = re.sub("|".join(r"\.%s$" % re.escape(s) for s in suffixes), "", name)
    path = req.path_info[1:] if req.path_info else ""
    if path.endswith("/"):
        path = path[:-1]
    filename = directory + "/" + name + ".py"
    if not os.path.exists(filename):
        path = name + "/" + path if path else name
        filename = directory + "/index.py"
        if not os.path.exists(filename):
            raise SERVER_RETURN(HTTP_NOT_FOUND)
    # A dot inside a URL segment separates names as a slash does.
    return os.path.normpath(filename), (path or "index").replace("/", ".")


# -- authentication ------------------------------------------------------------------------

def process_auth(req, obj, realm="unknown", user=None, passwd=None):
    """Check ``obj``'s ``__auth__`` and ``__access__``; returns ``(realm, user, passwd)``.

    For a function or method they are the nested definitions and constants
    of its body; for anything else its attributes.  Credentials come from
    the ``Authorization`` header, decoded once and passed on to the next
    object's check.

    :raises SERVER_RETURN: 400 for credentials that do not decode, 401
        (with a ``WWW-Authenticate`` challenge) when ``__auth__`` wants a user
        or refuses one, 403 when ``__access__`` refuses.
    """
    if hasattr(obj, "__auth_realm__"):
        realm = obj.__auth_realm__
    function = obj.__func__ if type(obj) is types.MethodType else obj
    if type(function) is types.FunctionType:
        found = _function_checks(req, function)
        if "__auth_realm__" in found:
            realm = found["__auth_realm__"]
    else:
        found = {name: getattr(obj, name) for name in ("__auth__", "__access__") if hasattr(obj, name)}
    if not found.keys() & {"__auth__", "__access__"}:
        return realm, user, passwd
    if not user and "Authorization" in req.headers_in:
        user, passwd = _credentials(req.headers_in["Authorization"])
    if "__auth__" in found:
        check = found["__auth__"]
        if not user:
            req.err_headers_out["WWW-Authenticate"] = 'Basic realm="%s"' % (realm,)
            raise SERVER_RETURN(HTTP_UNAUTHORIZED)
        if _callable(check):
            granted = check(req, user, passwd)
        elif isinstance(check, dict):
            granted = user in check and check[user] == passwd
        else:
            granted = check
        if not granted:
            # mod_python puts spaces around "=" in this challenge only.
            req.err_headers_out["WWW-Authenticate"] = 'Basic realm = "%s"' % (realm,)
            raise SERVER_RETURN(HTTP_UNAUTHORIZED)
    if "__access__" in found:
        check = found["__access__"]
        if _callable(check):
            granted = check(req, user)
        elif isinstance(check, (list, tuple, set, frozenset)):
            granted = user in check
        else:
            granted = check
        if not granted:
            raise SERVER_RETURN(HTTP_FORBIDDEN)
    return realm, user, passwd


def _credentials(header):
    # As mod_python: the scheme is not looked at (the first six characters are
    # dropped, "Basic "), the rest is base64 of "user:password" in UTF-8.  A
    # Digest header does not decode, hence 400.
    try:
        user, passwd = base64.decodebytes(header[6:].encode()).decode().split(":", 1)
    except ValueError:
        raise SERVER_RETURN(HTTP_BAD_REQUEST)
    return user, passwd


def _callable(obj):
    return callable(obj) or callable(getattr(obj, "__call__", None))


_UNKNOWN = object()   # a value the code computes at run time
_AUTH_NAMES = ("__auth__", "__access__", "__auth_realm__")


def _function_checks(req, function):
    """The ``__auth__``/``__access__``/``__auth_realm__`` a function's body defines.

    Nested ``def``s become functions over the outer function's globals;
    constants (and literal lists, tuples, dicts, sets of constants) are
    taken as they are; a module-level name is looked up now.  A check whose
    value the code computes at run time cannot be known without running it:
    it then refuses, and says so in the log (an unknown realm is ignored).
    """
    found = {}
    for name, value in _assignments(function.__code__).items():
        kind = value[0] if isinstance(value, tuple) else None
        if kind == "const":
            found[name] = value[1]
        elif kind == "function":
            found[name] = _make_function(value, function.__globals__)
        elif kind == "global" and value[1] in function.__globals__:
            found[name] = function.__globals__[value[1]]
        elif kind == "global" and value[1] in _builtins(function.__globals__):
            found[name] = _builtins(function.__globals__)[value[1]]
        elif name != "__auth_realm__":
            req.log_error("mod_python.publisher: %s in %s() is computed when the function runs; "
                          "refusing access" % (name, function.__qualname__), APLOG_WARNING)
            found[name] = False
    return found


def _builtins(scope):
    builtins = scope.get("__builtins__", {})
    return vars(builtins) if isinstance(builtins, types.ModuleType) else builtins


def _make_function(spec, scope):
    _, code, defaults, kwdefaults = spec
    closure = tuple(types.CellType() for _ in code.co_freevars) or None
    made = types.FunctionType(code, scope, code.co_name, defaults, closure)
    if kwdefaults:
        made.__kwdefaults__ = kwdefaults
    return made


@functools.lru_cache(maxsize=1024)
def _assignments(code):
    """``{name: value}`` for the first assignment to each auth name in ``code``.

    A small stack machine over the bytecode: it follows what literal values
    (constants, displays of constants, nested function definitions, global
    names) are pushed, and anything else becomes unknown.  Nothing is run.
    """
    found = {}
    stack = []

    def pop(count):
        if count > len(stack):
            del stack[:]
            return None
        values = stack[len(stack) - count:] if count else []
        del stack[len(stack) - count:]
        return values

    def store(name):
        value = stack.pop() if stack else _UNKNOWN
        if name in _AUTH_NAMES and name not in found:
            found[name] = value

    def constants(values):
        if values is None or any(not (isinstance(v, tuple) and v[0] == "const") for v in values):
            return None
        return [v[1] for v in values]

    for ins in dis.get_instructions(code):
        op, arg = ins.opname, ins.arg
        if op in ("STORE_FAST", "STORE_NAME", "STORE_GLOBAL", "STORE_DEREF"):
            store(ins.argval)
            continue
        if op in ("STORE_FAST_STORE_FAST", "STORE_FAST_LOAD_FAST"):
            # Python 3.13's pairs: the first name takes the top of the stack.
            store(ins.argval[0])
            if op == "STORE_FAST_STORE_FAST":
                store(ins.argval[1])
            else:
                stack.append(_UNKNOWN)
            continue
        if op in ("NOP", "RESUME", "CACHE", "EXTENDED_ARG", "PRECALL", "PUSH_NULL"):
            continue
        if op == "LOAD_CONST":
            stack.append(("const", ins.argval))
        elif op in ("LOAD_GLOBAL", "LOAD_NAME"):
            stack.append(("global", ins.argval))
        elif op in ("DUP_TOP", "COPY") and len(stack) >= (arg or 1):
            stack.append(stack[-(arg or 1)])
        elif op in _DISPLAYS:
            count, build = _DISPLAYS[op]
            stack.append(_literal(build, constants(pop(count(arg)))))
        elif op in _UPDATES and arg == 1:
            stack.append(_literal(_UPDATES[op], constants(pop(2))))
        elif op == "LIST_TO_TUPLE" and stack:
            stack.append(_literal(lambda items: tuple(items[0]), constants(pop(1))))
        elif op == "MAKE_FUNCTION":
            stack.append(_make_function_spec(stack, arg or 0))
        elif op == "SET_FUNCTION_ATTRIBUTE":
            # Python 3.13: the function is on top, the attribute below it.
            function, attribute = (stack.pop() if stack else _UNKNOWN), (stack.pop() if stack else _UNKNOWN)
            stack.append(_set_attribute(function, attribute, arg))
        else:
            del stack[:]
            stack.append(_UNKNOWN)
    # A local of that name assigned some way not followed above (unpacking, a
    # with or for target...) is there all the same: its value is unknown.
    arguments = code.co_argcount + code.co_kwonlyargcount
    assigned = code.co_varnames[arguments:] + code.co_cellvars
    for name in _AUTH_NAMES:
        if name in assigned and name not in found:
            found[name] = _UNKNOWN
    return found


# Opcodes that build a display from the top of the stack: how many items they
# take for their argument, and how to build the value from them.
_DISPLAYS = {
    "BUILD_TUPLE": (lambda n: n, tuple),
    "BUILD_LIST": (lambda n: n, list),
    "BUILD_SET": (lambda n: n, set),
    "BUILD_MAP": (lambda n: 2 * n, lambda items: dict(zip(items[::2], items[1::2]))),
    "BUILD_CONST_KEY_MAP": (lambda n: n + 1, lambda items: dict(zip(items[-1], items[:-1]))),
}
# ... and those that extend the display below them with a constant (``[1, 2, 3]``).
_UPDATES = {
    "LIST_EXTEND": lambda items: items[0] + list(items[1]),
    "SET_UPDATE": lambda items: items[0] | set(items[1]),
    "DICT_UPDATE": lambda items: {**items[0], **items[1]},
    "DICT_MERGE": lambda items: {**items[0], **items[1]},
}


def _literal(build, items):
    if items is None:
        return _UNKNOWN
    try:
        return ("const", build(items))
    except TypeError:       # unhashable keys: the code would fail when run, too
        return _UNKNOWN


def _make_function_spec(stack, flags):
    if sys.version_info < (3, 11) and stack:
        stack.pop()                         # the qualified name
    code = stack.pop() if stack else _UNKNOWN
    if not (isinstance(code, tuple) and code[0] == "const" and isinstance(code[1], types.CodeType)):
        return _UNKNOWN
    function = ("function", code[1], None, None)
    # Before 3.13 MAKE_FUNCTION takes what its flags say from below the code,
    # in the order closure, annotations, keyword defaults, defaults.
    for flag in (0x08, 0x04, 0x02, 0x01):
        if flags & flag:
            function = _set_attribute(function, stack.pop() if stack else _UNKNOWN, flag)
    return function


def _set_attribute(function, attribute, flag):
    if not (isinstance(function, tuple) and function[0] == "function"):
        return _UNKNOWN
    known = attribute[1] if isinstance(attribute, tuple) and attribute[0] == "const" else _UNKNOWN
    if flag == 0x01:
        return function[:2] + (known if known is not _UNKNOWN else None,) + function[3:]
    if flag == 0x02:
        return function[:3] + (known if known is not _UNKNOWN else None,)
    return function        # annotations; a closure is replaced by empty cells


# -- traversal ------------------------------------------------------------------------------

def resolve_object(req, obj, object_str, realm=None, user=None, passwd=None):
    """Follow the dotted ``object_str`` from ``obj`` (the module), checking each step.

    :raises SERVER_RETURN: 403 for a name starting with ``_`` or an object
        that may not be traversed or published, 404 for a missing name, and
        the statuses of :func:`process_auth` for each object reached.
    """
    names = object_str.split(".")
    for position, name in enumerate(names):
        if not name:
            # mod_python fails on an empty name ("a..b", "a.", ".a"): a 500.
            req.log_error("Cannot traverse an empty name in %s" % req.unparsed_uri, APLOG_WARNING)
            raise SERVER_RETURN(HTTP_INTERNAL_SERVER_ERROR)
        if name[0] == "_":
            req.log_error("Cannot traverse %s in %s because it starts with an underscore"
                          % (name, req.unparsed_uri), APLOG_WARNING)
            raise SERVER_RETURN(HTTP_FORBIDDEN)
        if position and not _rule(obj)[0]:
            req.log_error("Cannot traverse %s in %s because %s is not a traversable object"
                          % (name, req.unparsed_uri, _describe(obj)), APLOG_WARNING)
            raise SERVER_RETURN(HTTP_FORBIDDEN)
        # getattr may run code (properties, __getattr__), as in mod_python.
        try:
            obj = getattr(obj, name)
        except AttributeError:
            raise SERVER_RETURN(HTTP_NOT_FOUND)
        realm, user, passwd = process_auth(req, obj, realm, user, passwd)
    if not _rule(obj)[1]:
        req.log_error("Cannot publish %s in %s because %s is not publishable"
                      % (names[-1], req.unparsed_uri, _describe(obj)), APLOG_WARNING)
        raise SERVER_RETURN(HTTP_FORBIDDEN)
    return obj


def _describe(obj):
    return "%s object" % type(obj).__name__


# -- publishing ------------------------------------------------------------------------------

def publish_object(req, obj):
    """Write ``obj`` to the client; returns whether anything was published.

    A callable is called with the request's form (a fresh
    ``FieldStorage(req, keep_blank_values=1)`` in ``req.form``) and its result
    published in turn; ``None`` publishes nothing; ``bytes`` are written as
    they are and anything else as ``str(obj)`` encoded UTF-8.  Unless the code
    set ``req.content_type``, it becomes ``text/html`` when the text ends
    with ``</html>``, else ``text/plain``.  With ``PythonOption
    modpy_compat.publisher.stream_iterators On`` an iterator (a generator, a
    file...) is written item by item instead of as its ``str()``.
    """
    if _callable(obj):
        req.form = FieldStorage(req, keep_blank_values=1)
        return publish_object(req, apply_fs_data(obj, req.form, req=req))
    if obj is None:
        return False
    if _streams(req, obj):
        return _stream(req, obj)
    _write(req, obj)
    return True


def _write(req, obj):
    if isinstance(obj, (bytes, bytearray)):
        data = bytes(obj)
        tail = data[-100:].decode("latin-1")
    else:
        data = tail = str(obj)
        tail = tail[-100:]
    if not req._content_type_set:
        req.content_type = "text/html" if re_html.search(tail) else "text/plain"
    # Not flushed: the response keeps its Content-Length (MODPYTHON-107).
    req.write(data, 0)


def _streams(req, obj):
    if not hasattr(obj, "__next__") or isinstance(obj, (str, bytes, bytearray)):
        return False
    option = req.get_options().get(STREAM_OPTION, "")
    return option.lower() in ("on", "1", "yes", "true")


def _stream(req, iterator):
    # Each item is published as a value of its own, so the first one decides
    # the Content-Type (mod_python 3.2's development tree did it this way).
    published = False
    try:
        for item in iterator:
            if item is None:
                continue
            _write(req, item)
            req.flush()
            published = True
    finally:
        close = getattr(iterator, "close", None)
        if close is not None:
            close()
    return published
