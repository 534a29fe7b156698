"""``modpy-compat check``: everything that can be wrong before the first request, all at once.

The configuration is read as ``serve`` reads it; then, with the ``sys.path``
the server would have (``PythonPath``, handler directories), every module a
``Python*Handler``, ``PythonImport`` or filter directive names is imported and
the object it names looked up, and every PSP page under the document roots
and aliased directories is compiled.  Unlike ``serve``, which stops at the
first problem, every problem is reported, each with the file and line to fix.
``PythonImport`` functions are looked up but not called.

:func:`routes` lists, for each section, the phases and handlers a request
under it runs, after Apache's merge (:func:`format_routes` prints them).
"""
from __future__ import annotations

import importlib
import os
import traceback
from typing import NamedTuple

from modpy_compat.constants import DEFAULT_FUNCTIONS, PHASES
from modpy_compat.errors import ConfigError

PSP_EXTENSIONS = (".psp",)


class Problem(NamedTuple):
    """One thing ``check`` found wrong (or worth a warning), where it is."""

    filename: str | None
    lineno: int | None
    message: str
    severity: str = "error"     # "error" or "warning"

    def __str__(self):
        where = self.filename or "<configuration>"
        if self.lineno:
            where = "%s:%d" % (where, self.lineno)
        return "%s: %s: %s" % (where, self.severity, self.message)


class Report:
    """What :func:`check_site` found: the problems, and what was checked."""

    def __init__(self):
        self.problems = []
        self.site = None
        self.modules = 0        # handler modules imported
        self.pages = 0          # PSP pages compiled
        self.notes = []         # what could not be checked, and why

    @property
    def errors(self):
        return [p for p in self.problems if p.severity == "error"]

    def add(self, filename, lineno, message, severity="error"):
        self.problems.append(Problem(filename, lineno, message, severity))


def check_site(config, *, document_root=None, defines=()) -> Report:
    """Check the configuration at ``config`` and everything it names.

    Imports modules into this process and may change ``sys.path`` as the
    server would: run it in a process of its own (``modpy-compat check``).

    :returns: a :class:`Report`; ``report.errors`` is empty when all is well.
    """
    from modpy_compat.config.site import load_config
    report = Report()
    try:
        site = load_config(config, document_root=document_root, defines=defines)
    except ConfigError as exc:
        # The configuration stops at its first mistake, as Apache's does.
        report.add(exc.filename, exc.lineno, exc.message)
        return report
    report.site = site
    for filename, lineno, message in site.warnings:
        report.add(filename, lineno, message, "warning")
    if site.not_emulated:
        report.notes.append("accepted but not emulated: %s" % site.not_emulated_summary())
    _check_handlers(site, report)
    _check_pages(site, report)
    return report


def run_check(config, *, document_root=None, defines=(), routes=False, out) -> int:
    """``modpy-compat check``: print the report (and the routes) to ``out``; 1 if anything is wrong."""
    report = check_site(config, document_root=document_root, defines=defines)
    if routes and report.site is not None:
        out.write(format_routes(report.site))
        out.write("\n")
    for problem in report.problems:
        out.write("%s\n" % (problem,))
    for note in report.notes:
        out.write("note: %s\n" % note)
    errors = len(report.errors)
    if report.site is None:
        out.write("modpy-compat check: the configuration does not parse\n")
    elif errors:
        out.write("modpy-compat check: %d problem%s\n" % (errors, "" if errors == 1 else "s"))
    else:
        out.write("modpy-compat check: OK (%d handler module%s imported, %d PSP page%s compiled)\n"
                  % (report.modules, "" if report.modules == 1 else "s",
                     report.pages, "" if report.pages == 1 else "s"))
    out.flush()
    return 1 if errors else 0


# -- handler modules ------------------------------------------------------------------

def _servers(site):
    return [site.main] + site.vhosts


def _all_sections(sections):
    for section in sections:
        yield section
        yield from _all_sections(section.files)


def handler_directives(site):
    """Every ``(server, fragment, directive, entry)`` the configuration names, in file order."""
    for server in _servers(site):
        for fragment in [server.body] + [s.fragment for s in _all_sections(server.sections)]:
            for key, entries in fragment.python_handlers.items():
                for entry in entries:
                    yield server, fragment, key.split(".", 1)[0], entry
            for key, table in (("PythonOutputFilter", fragment.output_filters),
                               ("PythonInputFilter", fragment.input_filters)):
                for entry in table.values():
                    yield server, fragment, key, entry


def _check_handlers(site, report):
    from modpy_compat.gateway import Gateway
    imports, site.python_imports = site.python_imports, []
    try:
        # The gateway applies the server's PythonPath as serve does; PythonImport is ours to run.
        gateway = Gateway(site, preload=False)
    finally:
        site.python_imports = imports
    loader = gateway.loader
    for spec, _interpreter, filename, lineno in reversed(imports):
        module_name, _, function = spec.partition("::")
        try:
            module = loader.import_module(module_name)
        except Exception as exc:
            _import_problem(report, exc, module_name, "PythonImport", filename, lineno)
            continue
        if function and not callable(getattr(module, function, None)):
            report.add(filename, lineno, "PythonImport %s: module %r has no function %r"
                       % (spec, module_name, function))
    seen = set()
    imported, failed = set(), set()     # a module that does not import is reported once
    for server, fragment, directive, entry in handler_directives(site):
        module_name, _, obj = entry.handler.partition("::")
        directory = None if entry.is_location else entry.directory
        interpreter = (fragment.python_config.get("PythonInterpreter")
                       or server.config.get("PythonInterpreter") or server.server_hostname)
        key = (module_name, obj, directive, directory, interpreter)
        if key in seen:
            continue
        seen.add(key)
        if entry.dir_pattern is not None:
            report.notes.append("%s:%s: %s %s: not imported (the directory of a regex <Directory> "
                                "is only known per request)" % (entry.filename, entry.lineno,
                                                                directive, entry.handler))
            continue
        python_path = fragment.python_config.get("PythonPath") or server.config.get("PythonPath")
        if (module_name, directory, interpreter, python_path) in failed:
            continue
        try:
            if python_path:
                loader.apply_python_path(python_path)
            elif directory:
                loader.add_directory(directory)
            module = loader.import_module(module_name, directory=directory, interpreter=interpreter)
        except Exception as exc:
            failed.add((module_name, directory, interpreter, python_path))
            _import_problem(report, exc, module_name, directive, entry.filename, entry.lineno)
            continue
        imported.add((module_name, directory, interpreter))
        report.modules = len(imported)
        wanted = obj or DEFAULT_FUNCTIONS.get(directive, "handler")
        if not entry.silent and _lookup(module, wanted) is None:
            report.add(entry.filename, entry.lineno, "%s %s: module %r (%s) has no %r"
                       % (directive, entry.handler, module_name,
                          getattr(module, "__file__", "built-in"), wanted))


def _lookup(module, dotted):
    # As mod_python's resolve_object, without instantiating classes on the way.
    obj = module
    for name in dotted.split("."):
        obj = getattr(obj, name, None)
        if obj is None:
            return None
    return obj


def _import_problem(report, exc, module_name, directive, filename, lineno):
    where = "%s %s at %s:%s" % (directive, module_name, filename, lineno)
    if isinstance(exc, SyntaxError) and exc.filename and exc.lineno:
        report.add(exc.filename, exc.lineno, "%s: %s (imported for %s)"
                   % (type(exc).__name__, exc.msg, where))
        return
    if isinstance(exc, ImportError) and _names_module(exc, module_name):
        report.add(filename, lineno, "%s: cannot import %r: %s" % (directive, module_name, exc))
        return
    frame = _last_user_frame(exc.__traceback__)
    if frame is None:
        report.add(filename, lineno, "%s: cannot import %r: %s: %s"
                   % (directive, module_name, type(exc).__name__, exc))
    else:
        report.add(frame.filename, frame.lineno, "%s: %s (imported for %s)"
                   % (type(exc).__name__, exc, where))


def _names_module(exc, module_name):
    # The module itself (or its package) is missing, not something it imports.
    missing = getattr(exc, "name", None)
    return missing is not None and (module_name == missing or module_name.startswith(missing + ".")) \
        or str(exc).startswith("No module file")


_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))


def _last_user_frame(tb):
    frames = [f for f in traceback.extract_tb(tb)
              if not f.filename.startswith("<") and not f.filename.startswith(_PACKAGE_DIR)
              and "importlib" not in f.filename]
    return frames[-1] if frames else None


# -- PSP pages ------------------------------------------------------------------------

def roots(site):
    """The directories URLs map to: each server's DocumentRoot, then the Alias targets."""
    found = []
    for server in _servers(site):
        candidates = [server.document_root]
        candidates += [target for kind, _pattern, target in server.aliases if kind == "prefix"]
        for path in candidates:
            if path and os.path.isdir(path) and path not in found:
                found.append(path)
    return found


def psp_pages(site):
    """The PSP pages (``*.psp``) under :func:`roots`, each once."""
    pages = []
    seen = set()
    for root in roots(site):
        for folder, dirs, files in os.walk(root):
            dirs.sort()
            for name in sorted(files):
                if name.endswith(PSP_EXTENSIONS):
                    path = os.path.join(folder, name)
                    real = os.path.realpath(path)
                    if real not in seen:
                        seen.add(real)
                        pages.append(path)
    return pages


def config_files(site):
    """The configuration file and every file it included, in reading order."""
    files = [site.config_file] if site.config_file else []

    def walk(nodes):
        for node in nodes:
            if node.filename and node.filename not in files and os.path.isfile(node.filename):
                files.append(node.filename)
            walk(getattr(node, "children", ()))
    walk(site.tree)
    return files


def psp_compiler():
    """``(compile(path), None)``, or ``(None, why)`` when PSP support does not import.

    ``compile(path)`` raises :class:`modpy_compat.psp.PSPError` (with ``path``
    and ``line``) for a page that does not compile.
    """
    try:
        psp = importlib.import_module("modpy_compat.psp")
    except Exception as exc:
        return None, "PSP pages not compiled: modpy_compat.psp does not import (%s: %s)" % (
            type(exc).__name__, exc)
    return psp.compile_file, None


def _check_pages(site, report):
    pages = psp_pages(site)
    if not pages:
        return
    compile_page, why = psp_compiler()
    if compile_page is None:
        report.notes.append("%s (%d found)" % (why, len(pages)))
        return
    from modpy_compat.psp import PSPError
    for path in pages:
        try:
            compile_page(path)
        except PSPError as exc:
            report.add(getattr(exc, "path", None) or path, getattr(exc, "line", None),
                       "PSP: %s" % getattr(exc, "message", exc))
            continue
        except SyntaxError as exc:
            report.add(exc.filename or path, exc.lineno, "PSP: %s" % exc.msg)
            continue
        report.pages += 1


# -- the routes table -----------------------------------------------------------------

class Route(NamedTuple):
    """One row of the routes table."""

    path: str           # the URL path (or pattern) the section covers
    phase: str          # "authen", "content .py", "output filter X"...
    handlers: str       # "myauth (site.conf:14)"
    section: str        # "<Directory htdocs/app> site.conf:12"


_PHASE_NAMES = {phase: phase[len("Python"):-len("Handler")].lower() for phase in PHASES}
_PHASE_NAMES["PythonHandler"] = "content"
_ORDER = {phase: i for i, phase in enumerate(PHASES)}


def routes(site):
    """The rows of the routes table: per server, per section, the phases a request runs.

    Each section is shown with the configuration a request to a path it
    covers gets: the server's, merged with every section that applies there
    (Apache's order), so inherited handlers appear and overridden ones do not.
    """
    rows = []
    for server in _servers(site):
        name = "server %s" % (server.server_hostname or "main") if server.is_virtual else "main server"
        rows.append(Route("(%s)" % name, "", "", "DocumentRoot %s" % server.document_root))
        rows += _rows("*", "(outside any section)", server.base)
        for section in _all_sections(server.sections if not server.is_virtual
                                     else site.main.sections + server.sections):
            path, merged = _section_view(site, server, section)
            pattern = section.pattern.pattern if section.regex else section.pattern
            if section.kind == "directory" and not section.regex:
                pattern = _short(site, pattern)
            label = "<%s %s> %s:%d" % (section.name, pattern, _short(site, section.filename),
                                       section.lineno)
            rows += _rows(path, label, merged) or [Route(path, "-", "(no Python handlers)", label)]
    return rows


def _section_view(site, server, section):
    """(URL path or pattern, merged configuration) for a section."""
    if section.regex:
        return "~ %s" % section.pattern.pattern, server.dir_config(
            tuple(s for s in _parents(section)) + (section,))
    if section.kind == "location":
        uri = section.pattern
        filename = _to_file(server, uri)
        found = server.matching_sections(filename, bool(filename and os.path.isdir(filename)), uri)
        return uri, server.dir_config(found if section in found else found + (section,))
    if section.kind == "directory":
        directory = section.pattern.rstrip("/")
        uri = _to_url(server, directory)
        found = server.matching_sections(directory + "/", True, uri if uri else "\0")
        found = tuple(s for s in found if s.kind != "files")
        return (uri or directory + "/"), server.dir_config(found if section in found else found + (section,))
    # <Files> (maybe inside a <Directory>): the directory's view plus the section.
    parent = section.parent
    base = ()
    where = ""
    if parent is not None and not parent.regex:
        where = (_to_url(server, parent.pattern.rstrip("/")) or parent.pattern.rstrip("/") + "/")
        base = tuple(s for s in server.matching_sections(parent.pattern.rstrip("/") + "/", True,
                                                         where if where.startswith("/") else "\0")
                     if s.kind != "files")
    return where + section.pattern, server.dir_config(base + (section,))


def _parents(section):
    parents = []
    while section.parent is not None:
        section = section.parent
        parents.insert(0, section)
    return parents


def _to_url(server, directory):
    """The URL path a directory is served at (DocumentRoot or a prefix Alias), or None."""
    for kind, pattern, target in server.aliases:
        if kind == "prefix" and _inside(directory, target.rstrip("/")):
            return pattern.rstrip("/") + directory[len(target.rstrip("/")):] + "/"
    root = (server.document_root or "").rstrip("/")
    if _inside(directory, root):
        return directory[len(root):] + "/"
    return None


def _to_file(server, uri):
    for kind, pattern, target in server.aliases:
        if kind == "prefix" and (uri == pattern or uri.startswith(pattern.rstrip("/") + "/")):
            return target.rstrip("/") + uri[len(pattern.rstrip("/")):]
    return (server.document_root or "").rstrip("/") + uri


def _inside(path, root):
    return path == root or path.startswith(root + "/")


def _short(site, path):
    # Paths under the server root as the configuration would write them.
    root = site.server_root.rstrip("/")
    return path[len(root) + 1:] if path.startswith(root + "/") else path


def _rows(path, label, merged):
    rows = []
    files = _python_files(merged)
    keys = sorted(merged.python_handlers, key=lambda k: (_ORDER.get(k.split(".", 1)[0], 99), k))
    for key in keys:
        directive, _, ext = key.partition(".")
        phase = _PHASE_NAMES.get(directive, directive)
        if ext:
            phase += " (| .%s)" % ext
        elif directive == "PythonHandler" and files:
            phase += " " + files
        handlers = ", ".join(_describe(e) for e in merged.python_handlers[key])
        rows.append(Route(path, phase, handlers, label))
    for kind, table in (("output filter", merged.output_filters), ("input filter", merged.input_filters)):
        for name, entry in sorted(table.items()):
            rows.append(Route(path, "%s %s" % (kind, name), _describe(entry), label))
    return rows


def _python_files(merged):
    """Which files mod_python's content phase serves: "" for all, else their extensions."""
    if merged.handler in ("mod_python", "python-program"):
        return ""
    if merged.handler is not None:
        return "(SetHandler %s)" % (merged.handler or "None")
    exts = sorted(ext for ext, name in merged.add_handlers.items()
                  if name in ("mod_python", "python-program"))
    return " ".join(exts) if exts else "(no SetHandler/AddHandler mod_python)"


def _describe(entry):
    return "%s (%s:%s)" % (entry.handler, os.path.basename(entry.filename or "?"), entry.lineno)


def format_routes(site) -> str:
    """:func:`routes` as an aligned text table, one block per server."""
    rows = routes(site)
    header = Route("PATH", "PHASE", "HANDLERS", "SECTION")
    widths = [max(len(getattr(r, field)) for r in rows + [header]) for field in Route._fields[:3]]
    lines = []
    previous = None
    for row in [header] + rows:
        if row.phase == "" and row is not header:
            lines += ["", "%s  %s" % (row.path, row.section)]
            previous = None
            continue
        same = previous is not None and (row.path, row.section) == (previous.path, previous.section)
        cells = ["", row.phase, row.handlers, ""] if same else list(row)
        lines.append("  ".join(cell.ljust(width) for cell, width in zip(cells, widths + [0])).rstrip())
        previous = row
    return "\n".join(lines) + "\n"
