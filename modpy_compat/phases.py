"""The handler phases, run in Apache's order with mod_python's rules.

:func:`process` takes a request from post-read-request to the content phase
and returns what Apache would do next: ``OK``/``DONE`` (send the response as
it stands) or an HTTP status (send an error page).  :func:`run_phase` runs
the stacked ``Python*Handler`` entries of one phase (mod_python's
``HandlerDispatch``).  The log and cleanup phases run after the response was
sent (:func:`finish`).
"""
from __future__ import annotations

import logging
import sys
import traceback
from html import escape

from modpy_compat import auth, static
from modpy_compat.config import mapping
from modpy_compat.constants import (
    DECLINED, DEFAULT_FUNCTIONS, DIR_MAGIC_TYPE, DONE, HTTP_INTERNAL_SERVER_ERROR, OK, PHASES,
    SERVER_RETURN)
from modpy_compat.config.dirconfig import HandlerEntry
from modpy_compat.loader import resolve_object

log = logging.getLogger("mod_python")

PYTHON_HANDLERS = ("mod_python", "python-program")

# Results on which the next stacked handler still runs (Doc/directives.rst; the
# content phase follows 3.3.1 and the documentation: OK and DECLINED go on).
_RUN_ALL = frozenset([OK, DECLINED])
CONTINUE = {phase: _RUN_ALL for phase in PHASES}
for _phase in ("PythonTransHandler", "PythonAuthenHandler", "PythonAuthzHandler", "PythonTypeHandler"):
    CONTINUE[_phase] = frozenset([DECLINED])
ADDABLE = frozenset(PHASES) - {"PythonCleanupHandler"}
AFTER_RESPONSE = frozenset(["PythonLogHandler", "PythonCleanupHandler"])
_SKIPPED = object()  # what _call returns for a silent entry without its function


class HandlerList:
    """``req.hlist``: the handler being run in the current phase (``mp_hlist``)."""

    __slots__ = ("handler", "directory", "is_location", "silent", "parent")

    def __init__(self, entry: HandlerEntry, directory):
        self.handler = entry.handler
        self.directory = directory
        self.is_location = int(entry.is_location)
        self.silent = int(entry.silent)
        self.parent = None

    def next(self):
        self.handler = None


HandlerList.__name__ = HandlerList.__qualname__ = "mp_hlist"


def add_handler(req, phase, handler, directory=None):
    """``req.add_handler``: queue ``handler`` for ``phase`` of this request."""
    if phase not in ADDABLE:
        raise IndexError("Invalid phase: %s" % phase)
    if not isinstance(handler, str):
        raise TypeError("handler must be a string")
    hlist = req.hlist
    if directory is not None:
        directory = directory.rstrip("/") + "/"
    elif hlist is not None:
        directory = hlist.directory
    entry = HandlerEntry(handler, directory)
    running = req.__dict__.get("_running")
    if req.phase == phase and running is not None:
        running.append(entry)
    else:
        req._added_handlers.setdefault(phase, []).append(entry)


def _handler_entries(req, phase):
    config = req._config
    added = req._added_handlers.pop(phase, None) if req._added_handlers else None
    if phase not in config.handler_phases():
        return added or []
    table = config.python_handlers
    entries = table.get(phase, ())
    ext = _extension(req.filename)
    if ext and phase + ext in table:
        req.__dict__["_extension"] = ext
        entries = table[phase + ext]
    return list(entries) + added if added else list(entries)


def _extension(filename):
    # mod_python: everything after the first dot of the basename (a.tar.gz -> .tar.gz).
    if not filename:
        return None
    base = filename.rstrip("/").rsplit("/", 1)[-1]
    dot = base.find(".")
    return base[dot:] if dot > 0 else None


def run_phase(req, phase):
    """Run the handlers of ``phase``; None when there are none (mod_python declines)."""
    if not req._added_handlers and phase not in req._config.handler_phases():
        return None  # the common case: most phases have no Python handler
    entries = _handler_entries(req, phase)
    if not entries:
        return None
    d = req.__dict__
    d["_phase"] = phase
    d["_running"] = entries
    go_on = CONTINUE[phase]
    result = DECLINED
    try:
        i = 0
        while i < len(entries):
            entry = entries[i]
            i += 1
            try:
                result = _call(req, phase, entry)
                if result is _SKIPPED:
                    # PythonHandlerModule: a phase whose function the module lacks
                    result = DECLINED
                    continue
            except SERVER_RETURN as exc:
                try:
                    result = _server_return(req, exc)
                except Exception:
                    result = report_error(req, phase, entry, sys.exc_info())
                    break
            except (Exception, SystemExit):
                # mod_python's dispatcher has a bare except: even sys.exit() in
                # a handler becomes an error report, not the end of the server.
                result = report_error(req, phase, entry, sys.exc_info())
                break
            if type(result) is not int:
                try:
                    raise TypeError("Handler %s returned %r, not an int status (e.g. apache.OK)"
                                    % (entry.handler, result))
                except TypeError:
                    result = report_error(req, phase, entry, sys.exc_info())
                break
            if result not in go_on:
                break
    finally:
        d["_phase"] = None
        d["_running"] = None
    return result


def _server_return(req, exc):
    args = exc.args
    result = args[0]
    if len(args) > 1 and args[1]:
        req.status = args[1]
    if type(result) is not int:
        raise TypeError("SERVER_RETURN needs an int status, got %r" % (result,))
    return result


def handler_directory(req, entry):
    if entry.dir_pattern is not None and req.filename:
        parts = req.filename.split("/")
        for i in range(2, len(parts) + 1):
            candidate = "/".join(parts[:i])
            if entry.dir_pattern.search(candidate) or entry.dir_pattern.search(candidate + "/"):
                return candidate + "/"
    return entry.directory


def _call(req, phase, entry):
    config = req._config
    gateway = req._gateway
    directory = handler_directory(req, entry)
    req.__dict__["_hlist"] = HandlerList(entry, directory)
    module_name, _, obj_str = entry.handler.partition("::")
    python_path = config.python_config.get("PythonPath")
    if python_path:
        gateway.loader.apply_python_path(python_path)
    elif directory and not entry.is_location:
        gateway.loader.add_directory(directory)
    module = gateway.loader.import_module(
        module_name, directory=None if entry.is_location else directory,
        autoreload=config.autoreload(), log_imports=config.debug(), interpreter=req.interpreter)
    obj = resolve_object(module, obj_str or DEFAULT_FUNCTIONS[phase], req, silent=entry.silent)
    if obj is None and entry.silent:
        return _SKIPPED
    return obj(req)


def report_error(req, phase, entry, exc_info):
    """Log a handler's exception; with PythonDebug send the traceback, as mod_python does."""
    lines = traceback.format_exception(*exc_info)
    handler = entry.handler if isinstance(entry, HandlerEntry) else str(entry)
    errors = req._environ.get("wsgi.errors", sys.stderr)
    head = "%s %s" % (phase, handler)
    errors.write("[client %s] %s: error handling %s\n" % (req.connection.client_ip, head, req.the_request))
    for line in "".join(lines).splitlines():
        errors.write("%s: %s\n" % (head, line))
    errors.flush()
    if not req._config.debug() or phase in AFTER_RESPONSE:
        # The response is gone by the log and cleanup phases: only the log hears of it.
        return HTTP_INTERNAL_SERVER_ERROR
    if not req._output.committed:
        req.status = HTTP_INTERNAL_SERVER_ERROR
        req.content_type = "text/html"
    # mod_python escapes the traceback with quote=True: " and ' become entities.
    report = ['\n<pre>\nMod_python error: "%s"\n\n' % escape(head, quote=False)]
    report.extend(escape(line) + "\n" for line in lines)
    report.append("</pre>\n")
    try:
        req.write("".join(report))
    except Exception:
        log.exception("could not send the error report")
    return DONE


def _stop(result):
    """True when a phase result ends normal processing (DONE or an HTTP status)."""
    return result is not None and result != OK and result != DECLINED


def process(req, initial=True):
    """Run the phases up to content; returns OK/DONE or the HTTP status to answer with."""
    if initial:
        for phase in ("PythonInitHandler", "PythonPostReadRequestHandler"):
            result = run_phase(req, phase)
            if phase == "PythonInitHandler":
                req.notes["python_init_ran"] = "1"
            if _stop(result):
                return result
    result = run_phase(req, "PythonTransHandler")
    if _stop(result) and result != OK:
        return result
    if result != OK:
        result = mapping.translate(req)
        if result != OK:
            return result
    result = mapping.map_to_storage(req)
    _add_redirect_env(req)
    if result != OK:
        return result
    if "python_init_ran" not in req.notes:
        # Only an internal redirect gets here without the note (fresh notes):
        # mod_python's header-parser hook runs PythonInitHandler and notes it.
        result = run_phase(req, "PythonInitHandler")
        req.notes["python_init_ran"] = "1"
        if _stop(result):
            return result
    for phase in ("PythonHeaderParserHandler", "PythonAccessHandler"):
        result = run_phase(req, phase)
        if _stop(result):
            return result
    result = auth.check(req)
    if result != OK:
        return result
    mapping.set_type(req)
    result = run_phase(req, "PythonTypeHandler")
    if _stop(result) and result != OK:
        return result
    mapping.apply_overrides(req)
    result = run_phase(req, "PythonFixupHandler")
    if _stop(result):
        return result
    result = static.fixup_directory(req)
    if result is not None:
        return result
    return content(req)


def _add_redirect_env(req):
    # The REDIRECT_* variables an internal redirect passes on (gateway.internal_redirect).
    env = req.__dict__.pop("_redirect_env", None)
    if env:
        subprocess_env = req.subprocess_env
        for key, value in env.items():
            subprocess_env[key] = value


def content(req):
    """The content phase: PythonHandler when req.handler is mod_python, else the default handler."""
    if req.handler in PYTHON_HANDLERS:
        result = run_phase(req, "PythonHandler")
        if result is not None and result != DECLINED:
            return result
    return static.default_handler(req)


def finish(first):
    """After the response: the log phase, registered cleanups, then PythonCleanupHandler.

    ``first`` is the request the client sent.  Apache runs the log phase for
    that request, not for the one its internal redirects led to (checked on
    Apache 2.4 + mod_python 3.5); a fast redirect (DirectoryIndex) replaced
    it, so its successor stands in.  Cleanups run for every request in the
    chain.
    """
    logged = first
    while logged.next is not None and logged.next.prev is None:
        logged = logged.next
    run_phase(logged, "PythonLogHandler")
    r = first
    while r is not None:
        for callable_, data in reversed(r._cleanups):
            try:
                callable_(data)
            except Exception:
                exc = sys.exc_info()
                log.error("python_cleanup: Error calling cleanup object %r\n    %s: %s",
                          callable_, exc[0].__name__, exc[1])
        del r._cleanups[:]
        run_phase(r, "PythonCleanupHandler")
        r = r.next
