"""The parsed site: servers, sections and the per-request match and merge.

:func:`load_config` reads an Apache configuration once, at start-up, into a
:class:`Site`.  Per request the gateway asks the site for the server a Host
header selects (:meth:`Site.select_server`), maps the URI to a file
(:mod:`modpy_compat.config.mapping`) and asks for the merged configuration of
the sections that apply (:meth:`ServerConfig.dir_config`), which is cached by
the set of matching sections.
"""
from __future__ import annotations

import dataclasses
import fnmatch
import logging
import os
import re
import socket

from modpy_compat.config import lexer
from modpy_compat.config.dirconfig import DirConfig
from modpy_compat.config.directives import (
    DIRECTIVES, DIRECTORY_SECTIONS, IGNORED_SECTIONS, NOT_EMULATED, TRANSPARENT_SECTIONS, S, V, D)
from modpy_compat.errors import ConfigError

log = logging.getLogger(__name__)

DEFAULT_MIME_TYPES = os.path.join(os.path.dirname(os.path.dirname(__file__)), "mime.types")
_MATCH_CACHE_SIZE = 4096
_WILDCARD = re.compile(r"[*?\[]")


class Section:
    """One ``<Directory>``, ``<Files>`` or ``<Location>`` section (or a Match form)."""

    def __init__(self, kind, pattern, regex, fragment, index, node, parent=None):
        self.kind = kind            # "directory", "files" or "location"
        self.name = node.name       # as written: "DirectoryMatch", "Files"...
        self.regex = regex
        self.pattern = pattern      # str, or compiled pattern when regex
        self.fragment = fragment
        self.index = index          # position in the configuration: identity and order
        self.filename, self.lineno = node.filename, node.lineno
        self.parent = parent        # the <Directory> a <Files> is nested in
        self.files = []             # <Files> nested in this <Directory>
        self.wildcard = not regex and bool(_WILDCARD.search(pattern))
        if kind == "directory" and not regex:
            self.depth = pattern.rstrip("/").count("/")
        if kind == "location" and self.wildcard:
            self.compiled = _pathname_pattern(pattern)

    def match_directory(self, dirpath: str) -> bool:
        """Does this (non-regex) directory section apply to files in ``dirpath`` (no trailing slash)?"""
        if self.wildcard:
            parts = self.pattern.rstrip("/").split("/")
            have = dirpath.split("/")
            return len(have) >= len(parts) and all(
                fnmatch.fnmatchcase(h, p) for h, p in zip(have, parts))
        root = self.pattern.rstrip("/")
        return not root or dirpath == root or dirpath.startswith(root + "/")

    def match_file(self, basename: str) -> bool:
        if self.regex:
            return bool(self.pattern.search(basename))
        return fnmatch.fnmatchcase(basename, self.pattern)

    def match_location(self, uri: str) -> bool:
        if self.regex:
            return bool(self.pattern.search(uri))
        if self.wildcard:
            # httpd matches wildcard Locations with FNM_PATHNAME: "*" stops at "/".
            return bool(self.compiled.match(uri))
        loc = self.pattern
        if loc.endswith("/"):
            return uri.startswith(loc) or uri + "/" == loc and loc == "/"
        return uri == loc or uri.startswith(loc + "/")


@dataclasses.dataclass(eq=False)
class ServerConfig:
    """The main server or one ``<VirtualHost>``: identity, mapping and sections."""

    server_hostname: str = ""
    names: list = dataclasses.field(default_factory=list)
    server_admin: str = "[no address given]"
    port: int = 0
    document_root: str | None = None
    is_virtual: bool = False
    defn_name: str | None = None
    defn_line_number: int = 0
    error_fname: str = "logs/error_log"
    timeout: float = 60.0
    keep_alive_timeout: float = 5.0
    keep_alive_max: int = 100
    limit_req_line: int = 8190
    limit_req_fieldsize: int = 8190
    limit_req_fields: int = 100
    path: str | None = None
    use_canonical_name: bool = False
    aliases: list = dataclasses.field(default_factory=list)
    redirects: list = dataclasses.field(default_factory=list)
    body: DirConfig = dataclasses.field(default_factory=DirConfig)
    options: dict = dataclasses.field(default_factory=dict)   # PythonOption outside sections
    config: dict = dataclasses.field(default_factory=dict)    # PythonDebug etc. outside sections
    sections: list = dataclasses.field(default_factory=list)  # in configuration order

    def finish(self, main: "ServerConfig | None", site: "Site"):
        """Resolve inheritance from the main server and index the sections."""
        base = main.base if main is not None else DirConfig()
        self.base = base.merge(self.body)
        if main is not None:
            for attr in ("document_root", "server_admin", "error_fname"):
                if getattr(self, attr) in (None, "[no address given]", "logs/error_log"):
                    setattr(self, attr, getattr(main, attr))
            self.server_hostname = self.server_hostname or main.server_hostname
            self.aliases = self.aliases + main.aliases
            self.redirects = self.redirects + main.redirects
            sections = main.sections + self.sections
        else:
            sections = self.sections
        self.dir_sections = sorted((s for s in sections if s.kind == "directory" and not s.regex),
                                   key=lambda s: s.depth)
        self.dir_regex_sections = [s for s in sections if s.kind == "directory" and s.regex]
        self.files_sections = [s for s in sections if s.kind == "files"]
        self.location_sections = [s for s in sections if s.kind == "location"]
        self.wild_names = tuple(n for n in self.names if _WILDCARD.search(n))
        self._merged = {}
        self._matches = {}

    def matching_sections(self, filename: str | None, is_dir: bool, uri: str) -> tuple:
        """The sections that apply, in Apache's merge order (remembered per path)."""
        key = (filename, is_dir, uri)
        found = self._matches.get(key)
        if found is None:
            if len(self._matches) >= _MATCH_CACHE_SIZE:
                self._matches.clear()
            found = self._matches[key] = self._match(filename, is_dir, uri)
        return found

    def _match(self, filename, is_dir, uri):
        found = []
        if filename:
            dirpath = (filename if is_dir else os.path.dirname(filename)).rstrip("/")
            found = [s for s in self.dir_sections if s.match_directory(dirpath)]
            # httpd 2.4 tests <DirectoryMatch> and <Directory ~> against the whole
            # filename (a directory's with the URI's trailing slash), not against
            # each parent: "/sub/$" applies to /sub/ but not to /sub/f.txt.
            found += [s for s in self.dir_regex_sections if s.pattern.search(filename)]
            # httpd's file walk takes what follows the last "/": a directory
            # requested with its slash has an empty basename (<Files "*"> only).
            basename = os.path.basename(filename)
            files = [s for s in self.files_sections if s.match_file(basename)]
            for section in list(found):
                files += [s for s in section.files if s.match_file(basename)]
            found += files
        found += [s for s in self.location_sections if s.match_location(uri)]
        return tuple(found)

    def dir_config(self, sections: tuple) -> DirConfig:
        """The merged configuration for ``sections``, computed once per combination."""
        key = tuple(s.index for s in sections)
        merged = self._merged.get(key)
        if merged is None:
            merged = self.base
            for section in sections:
                merged = merged.merge(section.fragment)
            self._merged[key] = merged
        return merged

    def matches_host(self, host: str) -> bool:
        return host == self.server_hostname.lower() or host in self.names or any(
            fnmatch.fnmatchcase(host, pattern) for pattern in self.wild_names)


class Site:
    """Everything one configuration file describes."""

    def __init__(self, config_file: str, defines=()):
        self.config_file = os.path.abspath(config_file) if config_file else None
        self.config_dir = os.path.dirname(self.config_file) if config_file else os.getcwd()
        self.server_root = self.config_dir
        self.defines = frozenset(defines)
        self.main = ServerConfig(defn_name=self.config_file, defn_line_number=0)
        self.vhosts = []
        self.python_imports = []
        self.warnings = []          # (filename, lineno, message)
        self.not_emulated = {}      # directive name -> (filename, lineno) of first use
        self.mime_types = None
        self._section_count = 0
        self.tree = []

    def warn(self, node, message):
        self.warnings.append((node.filename, node.lineno, message))

    def load_mime_types(self, path, node=None):
        try:
            self.mime_types = read_mime_types(path)
        except OSError as exc:
            raise ConfigError("cannot read TypesConfig %s: %s" % (path, exc.strerror),
                              node.filename if node else None, node.lineno if node else None)

    def select_server(self, host: str | None) -> ServerConfig:
        """The server a request's Host header names (name-based virtual hosting).

        With virtual hosts, a request whose host matches none of them goes to
        the first, as Apache does for name-based hosts on one address.
        """
        if not self.vhosts:
            return self.main
        if host:
            host = host.rsplit(":", 1)[0].lower() if not host.endswith("]") else host.lower()
            host = host.rstrip(".")  # httpd ignores a fully qualified name's final dot
            for vhost in self.vhosts:
                if vhost.matches_host(host):
                    return vhost
        return self.vhosts[0]

    def not_emulated_summary(self) -> str:
        """One line listing every directive that was accepted but is not emulated."""
        return ", ".join("%s (%s:%d)" % (name, os.path.basename(f), line)
                         for name, (f, line) in sorted(self.not_emulated.items()))


def _pathname_pattern(pattern: str):
    """A wildcard pattern read as apr_fnmatch reads it with FNM_PATHNAME, compiled."""
    parts = []
    i, n = 0, len(pattern)
    while i < n:
        c = pattern[i]
        i += 1
        if c == "*":
            parts.append("[^/]*")
        elif c == "?":
            parts.append("[^/]")
        elif c == "[":
            # A "]" right after "[" or "[!" belongs to the set.
            j = pattern.find("]", i + (pattern[i:i + 1] in ("!", "^")) + 1)
            if j < 0:
                parts.append(re.escape(c))
                continue
            body, i = pattern[i:j], j + 1
            if body[0] in "!^":
                body = "^" + body[1:]
            parts.append("[%s]" % body.replace("\\", "\\\\"))
        else:
            parts.append(re.escape(c))
    return re.compile("".join(parts) + r"\Z")


def read_mime_types(path: str) -> dict:
    """Read an Apache ``mime.types`` file into a ``{".ext": "type"}`` dict."""
    types = {}
    with open(path, encoding="utf-8", errors="replace") as fh:
        for line in fh:
            words = line.split("#", 1)[0].split()
            for ext in words[1:]:
                types["." + ext.lower()] = words[0]
    return types


def load_config(path: str | None, *, text: str | None = None, document_root: str | None = None,
                defines=(), debug: bool = False) -> Site:
    """Read the Apache configuration at ``path`` (or ``text``) into a :class:`Site`.

    :param path: an httpd.conf or a fragment of one.
    :param text: configuration text to read instead of a file.
    :param document_root: overrides the main server's DocumentRoot.
    :param defines: names that count as defined for ``<IfDefine>``.
    :param debug: ``PythonDebug On`` everywhere, whatever the sections say.
    :raises ConfigError: naming the file and line of the first problem.
    """
    site = Site(path, defines)
    if text is not None:
        site.tree = lexer.parse_string(text, path or "<configuration>", server_root=site.server_root,
                                       defines=tuple(defines))
    else:
        site.tree = lexer.parse_file(path, defines=tuple(defines))
    _Builder(site).build(site.tree)
    if debug:
        for fragment in [site.main.body] + [v.body for v in site.vhosts] + [
                s.fragment for v in [site.main] + site.vhosts for s in v.sections]:
            if "PythonDebug" in fragment.python_config or fragment is site.main.body:
                fragment.python_config["PythonDebug"] = "1"
    if document_root is not None:
        site.main.document_root = os.path.abspath(document_root)
    if site.main.document_root is None:
        site.main.document_root = site.config_dir
    if not site.main.server_hostname:
        site.main.server_hostname = socket.gethostname() or "localhost"
    site.main.finish(None, site)
    for vhost in site.vhosts:
        vhost.finish(site.main, site)
    if site.mime_types is None:
        site.load_mime_types(DEFAULT_MIME_TYPES)
    return site


class _Scope:
    """Where the builder is: the server being filled and the fragment being set."""

    def __init__(self, site, server, context, fragment, directory=None, is_location=False,
                 dir_pattern=None, section=None):
        self.site, self.server, self.context, self.fragment = site, server, context, fragment
        self.directory, self.is_location, self.dir_pattern = directory, is_location, dir_pattern
        self.section = section
        self.server_level = context in (S, V)
        self.requires = []
        self.limit_methods = None
        self.limit_negate = False

    def handler_entry(self, handler, node):
        from modpy_compat.config.dirconfig import HandlerEntry
        return HandlerEntry(handler, self.directory, self.is_location, False, self.dir_pattern,
                            node.filename, node.lineno)

    def set_python_config(self, name, value):
        self.fragment.python_config[name] = value
        if self.server_level:
            self.server.config[name] = value


class _Builder:
    def __init__(self, site):
        self.site = site

    def build(self, nodes):
        self.apply(_Scope(self.site, self.site.main, S, self.site.main.body), nodes)

    def apply(self, scope, nodes):
        for node in nodes:
            if isinstance(node, lexer.Section):
                self.section(scope, node)
            else:
                self.directive(scope, node)

    def directive(self, scope, node):
        key = node.name.lower()
        spec = DIRECTIVES.get(key)
        if spec is None:
            if key in NOT_EMULATED:
                self.site.not_emulated.setdefault(node.name, (node.filename, node.lineno))
                return
            raise ConfigError("Invalid command '%s', perhaps misspelled or defined by a module "
                              "not included in the server configuration" % node.name,
                              node.filename, node.lineno)
        name, contexts, least, most, apply = spec
        if scope.context not in contexts:
            where = {S: "at server level", V: "in <VirtualHost>", D: "in a <Directory>, <Files> or <Location> section"}
            raise ConfigError("%s is not allowed %s" % (name, where[scope.context]),
                              node.filename, node.lineno)
        count = len(node.args)
        if count < least or (most is not None and count > most):
            wanted = (str(least) if least == most else
                      "at least %d" % least if most is None else "%d to %d" % (least, most))
            raise ConfigError("%s takes %s argument%s, %d given" % (
                name, wanted, "" if wanted == "1" else "s", count), node.filename, node.lineno)
        apply(scope, dataclasses.replace(node, name=name) if name != node.name else node, node.args)

    def section(self, scope, node):
        kind = node.name.lower()
        if kind == "virtualhost":
            if scope.context != S:
                raise ConfigError("<VirtualHost> cannot occur within another section",
                                  node.filename, node.lineno)
            vhost = ServerConfig(is_virtual=True, defn_name=node.filename, defn_line_number=node.lineno)
            self.site.vhosts.append(vhost)
            self.apply(_Scope(self.site, vhost, V, vhost.body), node.children)
        elif kind in DIRECTORY_SECTIONS:
            self.directory_section(scope, node, kind)
        elif kind in TRANSPARENT_SECTIONS:
            inner = _Scope(self.site, scope.server, scope.context, scope.fragment, scope.directory,
                           scope.is_location, scope.dir_pattern, scope.section)
            inner.requires = scope.requires
            if kind in ("limit", "limitexcept"):
                inner.limit_methods = frozenset(a.upper() for a in node.args)
                inner.limit_negate = kind == "limitexcept"
            self.apply(inner, node.children)
        elif kind in IGNORED_SECTIONS:
            self.site.not_emulated.setdefault("<%s>" % node.name, (node.filename, node.lineno))
        else:
            raise ConfigError("unknown section <%s>" % node.name, node.filename, node.lineno)

    def directory_section(self, scope, node, kind):
        args = node.args
        regex = kind.endswith("match") or (len(args) == 2 and args[0] == "~")
        if len(args) != (2 if args and args[0] == "~" else 1):
            raise ConfigError("<%s> takes one argument" % node.name, node.filename, node.lineno)
        family = kind.replace("match", "")
        inside = scope.section.kind if scope.section else None
        if scope.context == D and not (family == "files" and inside == "directory"):
            # Only <Files> may be nested, and only in a <Directory> (as in httpd).
            raise ConfigError("<%s> cannot occur within <%s> section" % (node.name, scope.section.name),
                              node.filename, node.lineno)
        text = args[-1]
        if regex:
            try:
                pattern = re.compile(text)
            except re.error as exc:
                raise ConfigError("<%s>: bad regular expression %r: %s" % (node.name, text, exc),
                                  node.filename, node.lineno)
        elif family == "directory":
            pattern = os.path.normpath(os.path.join(self.site.server_root, os.path.expanduser(text)))
        else:
            pattern = text
        self.site._section_count += 1
        fragment = DirConfig()
        section = Section(family, pattern, regex, fragment, self.site._section_count, node,
                          parent=scope.section)
        if family == "directory":
            inner = _Scope(self.site, scope.server, D, fragment,
                           directory=None if regex else pattern.rstrip("/") + "/",
                           dir_pattern=pattern if regex else None, section=section)
        elif family == "files":
            inner = _Scope(self.site, scope.server, D, fragment, directory=scope.directory,
                           dir_pattern=scope.dir_pattern, section=section)
        else:
            inner = _Scope(self.site, scope.server, D, fragment, directory=text,
                           is_location=True, section=section)
        self.apply(inner, node.children)
        if scope.section is not None:
            scope.section.files.append(section)
        else:
            scope.server.sections.append(section)
