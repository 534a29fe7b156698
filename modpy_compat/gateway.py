"""The WSGI application: environ in, mod_python request through the phases, response out.

:class:`Gateway` is built once from a parsed :class:`~modpy_compat.config.site.Site`
(configuration read, ``PythonImport`` run and configured handler modules
imported at start-up, so that mistakes surface before the first request).
Per request it builds the ``req`` object, runs :func:`modpy_compat.phases.process`,
turns an error status into Apache's error response (ErrorDocument or the
built-in page) and hands the body to the WSGI server; the log phase and the
cleanups run from the body's ``close()``.
"""
from __future__ import annotations

import logging
import os
import sys
import traceback
from urllib.parse import quote

from modpy_compat import filters, phases
from modpy_compat.accesslog import combined_line
from modpy_compat.config.mapping import BadURI, normalize_uri
from modpy_compat.constants import (
    DONE, HTTP_INTERNAL_SERVER_ERROR, HTTP_MOVED_TEMPORARILY, HTTP_NO_CONTENT, HTTP_NOT_MODIFIED, OK)
from modpy_compat.errors import APACHE_STATUSES, HandlerImportError, error_page
from modpy_compat.loader import LOADER, install_legacy_namespace
from modpy_compat.request import Request
from modpy_compat.request_helpers import allow_header
from modpy_compat.response import Output
from modpy_compat.server import Connection, Server

log = logging.getLogger(__name__)

MAX_REDIRECTS = 10  # Apache's LimitInternalRecursion default


class Gateway:
    """A WSGI application running mod_python handlers as an Apache configuration wires them.

    :param site: the parsed configuration (:func:`modpy_compat.config.site.load_config`).
    :param preload: import every configured handler module now (errors abort start-up).
    """

    def __init__(self, site, *, preload: bool = True, threads: int = 8, processes: int = 1,
                 access_log=None):
        from modpy_compat import __version__
        self.site = site
        self.access_log = access_log
        self.threads, self.processes = threads, processes
        self.mpm = None
        self.loader = LOADER
        self.server_software = "modpy_compat/%s Python/%d.%d.%d" % ((__version__,) + sys.version_info[:3])
        self.main_server = Server(site.main, site)
        self.servers = {id(site.main): self.main_server}
        previous = self.main_server
        for vhost in site.vhosts:
            server = Server(vhost, site)
            previous.__dict__["_next"] = server
            previous = self.servers[id(vhost)] = server
        install_legacy_namespace()
        from modpy_compat.mod_python import apache
        apache.init(self)
        self._run_python_imports()
        if preload:
            self.preload_handlers()

    # -- start-up ---------------------------------------------------------------------

    def _run_python_imports(self):
        # mod_python processes PythonImport directives in reverse order of appearance.
        python_path = self.site.main.config.get("PythonPath")
        if python_path:
            self.loader.apply_python_path(python_path)
        for spec, _interpreter, filename, lineno in reversed(self.site.python_imports):
            module_name, _, function = spec.partition("::")
            try:
                module = self.loader.import_module(module_name)
                if function:
                    getattr(module, function)()
            except Exception:
                log.error("%s:%d: PythonImport %s failed:\n%s", filename, lineno, spec,
                          traceback.format_exc())

    def handler_entries(self):
        """Every (server config, fragment config, entry) the configuration names."""
        for config in [self.site.main] + self.site.vhosts:
            for fragment in [config.body] + [s.fragment for s in _all_sections(config.sections)]:
                for entries in fragment.python_handlers.values():
                    for entry in entries:
                        yield config, fragment, entry
                for entry in list(fragment.output_filters.values()) + list(fragment.input_filters.values()):
                    yield config, fragment, entry

    def preload_handlers(self):
        """Import every handler module named in the configuration.

        :raises HandlerImportError: naming the directive's file and line.
        """
        seen = set()
        for config, fragment, entry in self.handler_entries():
            module_name = entry.handler.partition("::")[0]
            directory = None if entry.is_location else entry.directory
            key = (module_name, directory, fragment.python_config.get("PythonInterpreter"),
                   config.server_hostname)
            if key in seen or entry.dir_pattern is not None:
                continue
            seen.add(key)
            python_path = fragment.python_config.get("PythonPath") or config.config.get("PythonPath")
            # Load it for the interpreter requests will use, so it is not loaded twice.
            interpreter = (fragment.python_config.get("PythonInterpreter")
                           or config.config.get("PythonInterpreter") or config.server_hostname)
            try:
                if python_path:
                    self.loader.apply_python_path(python_path)
                elif directory:
                    self.loader.add_directory(directory)
                self.loader.import_module(module_name, directory=directory, interpreter=interpreter)
            except Exception as exc:
                error = HandlerImportError(module_name, "%s:%s" % (entry.filename, entry.lineno), exc)
                error.traceback = traceback.format_exc()
                raise error from exc

    # -- per request --------------------------------------------------------------------

    def interpreter_name(self, req):
        """The mod_python interpreter name for ``req`` (directives.md §9)."""
        config = req._config.python_config
        if "PythonInterpreter" in config:
            return config["PythonInterpreter"]
        if config.get("PythonInterpPerDirectory") == "1":
            if not req.filename:
                return "main_interpreter"
            info = req.__dict__.get("_stat")
            directory = req.filename if info is not None and os.path.isdir(req.filename) \
                else os.path.dirname(req.filename)
            return directory.rstrip("/") + "/"
        if config.get("PythonInterpPerDirective") == "1":
            hlist = req.hlist
            return hlist.directory if hlist is not None and hlist.directory else "main_interpreter"
        return req.server.server_hostname

    def mpm_facts(self):
        """(threaded, forked, threads, processes) of the server we run in, for mpm_query."""
        return self.mpm

    def __call__(self, environ, start_response):
        if self.mpm is None:
            multiprocess = bool(environ.get("wsgi.multiprocess"))
            # A server that says it runs several processes has at least two.
            processes = max(self.processes, 2) if multiprocess else self.processes
            self.mpm = (bool(environ.get("wsgi.multithread", True)), multiprocess,
                        self.threads, processes)
        output = Output(environ, start_response)
        server = self.servers[id(self.site.select_server(environ.get("HTTP_HOST") or environ.get("SERVER_NAME")))]
        script_name = environ.get("SCRIPT_NAME", "")
        raw = environ.get("REQUEST_URI") or environ.get("RAW_URI")
        query = environ.get("QUERY_STRING", "")
        if raw:
            if "://" in raw.split("?", 1)[0]:
                raw = "/" + raw.split("://", 1)[1].partition("/")[2]
            raw_path = raw.partition("?")[0]
            args = raw.partition("?")[2] if "?" in raw else None
        else:
            path = (script_name + environ.get("PATH_INFO", "")).encode("latin-1")
            raw_path = quote(path, safe="/;:@&=+$,!~*'()")
            raw = raw_path + ("?" + query if query else "")
            args = query or None
        if args and not args.isascii():
            # WSGI hands us latin-1 decoded bytes; the query was UTF-8 on the wire.
            args = args.encode("latin-1").decode("utf-8", "surrogateescape")
        try:
            uri = normalize_uri(raw_path)
            # Apache refuses a request-target with a fragment.
            bad = 400 if "#" in raw else None
        except BadURI as exc:
            uri, bad = "/", exc.status
        req = Request(self, environ, server, Connection(environ, server), output, uri, args, raw)
        req.__dict__["_mount"] = script_name.rstrip("/")
        if bad is not None:
            self.conclude(req, bad)
        else:
            self.run(req, initial=True)
        final = req
        while final.next is not None:
            final = final.next
        return self.respond(req, final)

    def run(self, req, initial):
        """Run the phases for ``req`` and render an error response if they end in one."""
        try:
            result = phases.process(req, initial)
        except Exception:
            self.log_exception(req)
            result = HTTP_INTERNAL_SERVER_ERROR
        self.conclude(req, result)

    def respond(self, req, final):
        def on_close():
            try:
                phases.finish(req)
            except Exception:
                self.log_exception(final)
            if self.access_log is not None:
                output = final._output
                self.access_log.write(combined_line(final, output.status or final.status, output.bytes_sent))
                self.access_log.flush()
        try:
            filters.finish(final)
            return req._output.finish(final, on_close)
        except Exception:
            # A header that cannot be sent (CR/LF in it) or similar: answer 500 instead.
            self.log_exception(final)
            if final._output.write_fn is not None:
                raise
            final._output.committed = False
            filters.abandon(final)
            final.__dict__["_error"] = True
            final.headers_out.clear()
            final.err_headers_out.clear()
            self.render_error(final, HTTP_INTERNAL_SERVER_ERROR)
            return final._output.finish(final, on_close)

    def log_exception(self, req):
        errors = req._environ.get("wsgi.errors", sys.stderr)
        errors.write("[client %s] error handling %s:\n%s" % (
            req.connection.client_ip, req.the_request, traceback.format_exc()))
        errors.flush()

    def conclude(self, req, result):
        """Turn a phase result into the request's response (an error page when it is a status)."""
        if result == OK or result == DONE or result is None:
            return
        if result not in APACHE_STATUSES:
            # Apache has no status line for it: a 500 (checked on Apache 2.4).
            req.log_error("%s: handler result %r is not an HTTP status Apache knows; answering 500"
                          % (req.uri, result))
            result = HTTP_INTERNAL_SERVER_ERROR
        if result in (HTTP_NO_CONTENT, HTTP_NOT_MODIFIED):
            # No body: Apache finishes the response as it stands, headers_out included.
            req.status = result
            return
        if req._output.committed:
            # The status line and headers are out: Apache still sends its error
            # page, after what the client already has (FINDINGS c, j), and not
            # through the output filters, which never see the end of the stream.
            filters.abandon(req)
            self._write_raw(req, self._builtin_page(req, result))
            return
        self.render_error(req, result)

    def render_error(self, req, status, additional=None, error_document=True):
        """Send ErrorDocument or Apache's built-in page for ``status``.

        :param additional: the status an ErrorDocument itself ended with; the
            built-in page then says so, and no ErrorDocument is tried again.
        """
        output = req._output
        output.discard()
        # Apache's error pages bypass the request's output filters.
        filters.abandon(req)
        req.__dict__["_error"] = True
        document = None
        if additional is None and error_document:
            document = req._config.error_documents.get(status)
        req.status = status
        if status in (405, 501):
            req.err_headers_out["Allow"] = allow_header(req)
        if document:
            if document.startswith('"'):
                # A quoted message is the whole body, sent as Apache's pages are.
                req.content_type = "text/html; charset=iso-8859-1"
                self._write_raw(req, document[1:])
                return
            if document.startswith(("http://", "https://")):
                req.status = HTTP_MOVED_TEMPORARILY
                req.err_headers_out["Location"] = document
                status = HTTP_MOVED_TEMPORARILY
            else:
                self.internal_redirect(req, document, error_status=status)
                return
        req.content_type = "text/html; charset=iso-8859-1"
        self._write_raw(req, self._builtin_page(req, status, additional))

    @staticmethod
    def _write_raw(req, text):
        """Write an error page past the output filters (Apache resets them for error pages)."""
        req._output.write(req, text.encode("utf-8"), 0)

    def _builtin_page(self, req, status, additional=None):
        location = req.err_headers_out.get("Location") or req.headers_out.get("Location") or ""
        return error_page(status, method=req.method, uri=req.uri, location=location,
                          admin=req.server.server_admin, additional=additional)

    def internal_redirect(self, prev, new_uri, error_status=None, fast=False):
        """Run the phases for ``new_uri`` as a new request chained after ``prev``.

        As Apache's ``ap_internal_redirect``: the new request starts with the
        status and the ``err_headers_out`` of ``prev`` (``headers_out`` and
        anything ``prev`` buffered are dropped), ``REDIRECT_``-prefixed copies
        of its environment and fresh notes.  For an ErrorDocument
        (``error_status``) the method becomes GET.  A ``fast`` redirect
        (mod_dir's DirectoryIndex) replaces the request instead: the new one
        keeps the notes and has no ``req.prev``.
        """
        depth = 0
        r = prev
        while r is not None:
            depth += 1
            r = r.prev
        path, mark, query = new_uri.partition("?")
        method = "GET" if error_status else prev.method
        try:
            uri, bad = normalize_uri(path), None
        except BadURI as exc:
            uri, bad = "/", exc.status
        # After mod_dir's fast redirect the request line is still the client's.
        new = Request(self, prev._environ, prev._server, prev.connection, prev._output,
                      uri, query if mark else None, prev.unparsed_uri if fast else new_uri,
                      method=method)
        prev.__dict__["_next"] = new
        new.__dict__["_mount"] = prev.__dict__.get("_mount", "")
        new.__dict__["_the_request"] = prev.the_request  # the line the client sent
        if fast:
            for key, value in prev.notes.items():
                new.notes.add(key, value)
            if bad is not None:
                self.conclude(new, bad)
            else:
                self.run(new, initial=False)
            return
        new.__dict__["_prev"] = prev
        new.__dict__["_err_headers_out"] = prev.err_headers_out
        new.status = prev.status
        filters.abandon(prev)
        if not prev._output.committed:
            prev._output.discard()
        # Apache renames the old environment REDIRECT_* and adds REDIRECT_STATUS;
        # REDIRECT_URL comes with add_common_vars() (request_helpers.common_vars).
        env = {"REDIRECT_" + key: value for key, value in prev.subprocess_env.items()}
        env["REDIRECT_STATUS"] = str(prev.status)
        # Added once the new request is mapped (phases.process), so that its own
        # CGI variables describe the new URI.
        new.__dict__["_redirect_env"] = env
        if depth > MAX_REDIRECTS:
            # Apache's LimitInternalRecursion: a 500, never the ErrorDocument.
            new.log_error("Request exceeded the limit of %d internal redirects" % MAX_REDIRECTS)
            self.render_error(new, HTTP_INTERNAL_SERVER_ERROR, error_document=False)
            return
        if bad is not None:
            self.conclude(new, bad)
            return
        if not error_status:
            self.run(new, initial=False)
            return
        try:
            result = phases.process(new, initial=False)
        except Exception:
            self.log_exception(new)
            result = HTTP_INTERNAL_SERVER_ERROR
        if result not in (OK, DONE) and not new._output.committed:
            # The ErrorDocument failed too: Apache's page for the first error, with a note.
            new.status = error_status
            self.render_error(new, error_status, additional=result)


def _all_sections(sections):
    for section in sections:
        yield section
        yield from _all_sections(section.files)

