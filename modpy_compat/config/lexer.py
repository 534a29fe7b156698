"""Read Apache httpd.conf syntax into a tree of directives and sections.

Emulates what httpd does while *reading* its configuration, before any
directive is interpreted: continuation lines, comments, ``ap_getword_conf``
argument quoting, ``<Section>`` nesting, the read-time conditionals
``<IfModule>``, ``<IfDefine>`` and ``<IfVersion>``, and ``Include`` /
``IncludeOptional``.  Every node keeps the file and line it came from, so later
stages can report errors as ``file:line: message``.

Deliberate differences from httpd: an unterminated quoted string is an error
(httpd silently runs it to the end of the line), an include cycle is reported
as such (httpd only stops at a nesting depth), and ``${VAR}`` substitution is
not performed.
"""
from __future__ import annotations

import glob
import operator
import os
import re
from dataclasses import dataclass

from modpy_compat.errors import ConfigError

# We emulate httpd 2.4 with the modules a mod_python site normally relies on.
# No MPM module is listed: the WSGI server owns the process model, so
# <IfModule mpm_prefork_module> blocks (StartServers, MaxClients...) are skipped.
LOADED_MODULES = frozenset({
    "core", "so", "python", "mime", "dir", "alias", "env",
    "auth_basic", "authn_core", "authn_file",
    "authz_core", "authz_host", "authz_user", "authz_groupfile",
    "setenvif", "log_config", "headers", "deflate", "filter",
    "access_compat", "unixd", "version",
})

APACHE_VERSION = (2, 4, 62)

# httpd splits on apr_isspace (ASCII whitespace), not on Unicode spaces.
_SPACE = " \t\n\r\f\v"

_CONDITIONALS = frozenset({"ifmodule", "ifdefine", "ifversion"})
_INCLUDES = frozenset({"include", "includeoptional"})

_VERSION_TESTS = {
    "=": operator.eq, "==": operator.eq,
    "<": operator.lt, "<=": operator.le,
    ">": operator.gt, ">=": operator.ge,
}

# How an open section's frame treats what is read until its closing tag.
_SECTION = "section"  # collected into a Section node
_SPLICE = "splice"    # true conditional: children go straight into the parent
_SKIP = "skip"        # false conditional: contents only checked for nesting


@dataclass(frozen=True)
class Directive:
    """One configuration line such as ``PythonHandler mymodule``.

    :param name: the directive name as written (case kept).
    :param args: the arguments split as httpd does (quotes removed).
    :param raw: the argument text as written, quotes kept, for RAW_ARGS directives.
    :param filename: absolute path of the file the line is in.
    :param lineno: 1-based line where the directive starts.
    """

    name: str
    args: tuple
    raw: str
    filename: str
    lineno: int


@dataclass(frozen=True)
class Section:
    """A ``<Name args>`` ... ``</Name>`` block such as ``<Directory /srv/app>``.

    :param name: the section name as written, without ``<``.
    :param args: the arguments inside the opening tag, split as httpd does.
    :param raw: the argument text of the opening tag as written.
    :param children: the :class:`Directive` and :class:`Section` nodes inside.
    :param filename: absolute path of the file the opening tag is in.
    :param lineno: 1-based line of the opening tag.
    """

    name: str
    args: tuple
    raw: str
    children: tuple
    filename: str
    lineno: int


def parse_file(path, *, server_root=None, defines=()) -> list:
    """Read a configuration file, with its includes, into a list of nodes.

    :param path: the httpd.conf (or fragment) to read.
    :param server_root: directory relative ``Include`` paths resolve against
        until a ``ServerRoot`` directive says otherwise; defaults to the
        directory of ``path``.
    :param defines: names that count as defined for ``<IfDefine>`` (httpd's ``-D``).
    :returns: the top-level :class:`Directive` and :class:`Section` nodes.
    :raises ConfigError: naming the file and line of the first problem.
    """
    path = os.path.abspath(os.fspath(path))
    try:
        text = _read(path)
    except OSError as e:
        raise ConfigError("cannot read configuration: %s" % (e.strerror or e), path) from None
    if server_root is None:
        server_root = os.path.dirname(path)
    reader = _Reader(server_root, defines)
    reader.reading.append(os.path.realpath(path))
    nodes = []
    reader.read_text(text, path, nodes, nested=False)
    return nodes


def parse_string(text, filename="<string>", *, server_root=None, defines=()) -> list:
    """Read configuration text into a list of nodes, as :func:`parse_file` does.

    :param text: the configuration text.
    :param filename: the name errors and nodes report.
    :param server_root: directory relative ``Include`` paths resolve against;
        without it (and without a ``ServerRoot`` directive) a relative
        ``Include`` is an error, never resolved against the working directory.
    :param defines: names that count as defined for ``<IfDefine>``.
    :returns: the top-level :class:`Directive` and :class:`Section` nodes.
    :raises ConfigError: naming the file and line of the first problem.
    """
    reader = _Reader(server_root, defines)
    nodes = []
    reader.read_text(text, filename, nodes, nested=False)
    return nodes


def tokenize_args(text) -> tuple:
    """Split directive arguments as httpd's ``ap_getword_conf`` does.

    Words are separated by whitespace.  A word starting with ``"`` or ``'``
    runs to the matching quote, which may be escaped with a backslash; ``""``
    is an empty argument.  ``\\\\`` stands for one backslash, in or out of
    quotes; any other backslash is kept as is.

    :raises ConfigError: for an unterminated quoted string.
    """
    return _split_args(text, None, None)


def canonical_module_name(name) -> str:
    """Return the short key ``<IfModule>`` looks up in :data:`LOADED_MODULES`.

    ``mod_python.c`` (source file), ``python_module`` (module identifier) and
    ``mod_python`` all give ``"python"``.
    """
    name = name.lower()
    if name.endswith(".c"):
        name = name[:-2]
    if name.endswith("_module"):
        name = name[:-len("_module")]
    if name.startswith("mod_"):
        name = name[len("mod_"):]
    return name


@dataclass
class _Frame:
    """A section whose closing tag has not been read yet."""

    name: str
    args: tuple
    raw: str
    lineno: int
    children: list | None
    kind: str


class _Reader:
    """State shared by a file and everything it includes."""

    def __init__(self, server_root, defines):
        if server_root is not None:
            server_root = os.path.abspath(os.fspath(server_root))
        self.server_root = server_root
        self.defines = set(defines)
        self.reading = []  # real paths of the files and directories being included

    def read_text(self, text, filename, into, nested):
        """Append the nodes of ``text`` to ``into``; ``nested`` when inside a section."""
        # Sections cannot span files: each file is read with its own stack.
        stack = []
        for lineno, line in _logical_lines(text):
            if not line or line.startswith("#"):
                continue
            if line.startswith("</"):
                frame = _close_section(line, stack, filename, lineno)
                if frame.kind is _SECTION:
                    section = Section(frame.name, frame.args, frame.raw, tuple(frame.children),
                                      filename, frame.lineno)
                    _target(stack, into).append(section)
            elif line.startswith("<"):
                self._open_section(line, stack, into, filename, lineno)
            elif not (stack and stack[-1].kind is _SKIP):
                in_section = nested or any(frame.kind is _SECTION for frame in stack)
                self._directive(line, _target(stack, into), in_section, filename, lineno)
        if stack:
            frame = stack[-1]
            raise ConfigError("<%s> section opened here was never closed" % frame.name,
                              filename, frame.lineno)

    def _open_section(self, line, stack, into, filename, lineno):
        if stack and stack[-1].kind is _SKIP:
            # httpd's ap_soak_end_container only tracks the nesting of a
            # skipped block; nothing inside it is parsed.
            name, raw = _split_name(line[1:].rstrip(">"))
            stack.append(_Frame(name, (), raw, lineno, None, _SKIP))
            return
        if not line.endswith(">"):
            raise ConfigError("missing '>' in section tag", filename, lineno)
        name, raw = _split_name(line[1:-1])
        if not _is_name(name):
            raise ConfigError("invalid section name %r" % name, filename, lineno)
        args = _split_args(raw, filename, lineno)
        key = name.lower()
        if key not in _CONDITIONALS:
            stack.append(_Frame(name, args, raw, lineno, [], _SECTION))
        elif self._condition_holds(key, name, args, filename, lineno):
            stack.append(_Frame(name, args, raw, lineno, _target(stack, into), _SPLICE))
        else:
            stack.append(_Frame(name, args, raw, lineno, None, _SKIP))

    def _directive(self, line, target, in_section, filename, lineno):
        name, raw = _split_name(line)
        if not _is_name(name):
            raise ConfigError("invalid directive name %r" % name, filename, lineno)
        key = name.lower()
        if key == "errordocument" and raw.count('"') == 1:
            # Apache 2.0/2.2 wrote messages with an opening quote only
            # (ErrorDocument 404 "Sorry); httpd still accepts that.
            args = tuple(raw.split(None, 1))
        else:
            args = _split_args(raw, filename, lineno)
        if key in _INCLUDES:
            self._include(name, args, target, in_section, filename, lineno)
            return
        target.append(Directive(name, args, raw, filename, lineno))
        # ServerRoot, Define and UnDefine act while httpd reads (EXEC_ON_READ),
        # so they affect the Include and <IfDefine> lines after them.
        if key == "serverroot" and not in_section:
            self._set_server_root(args, filename, lineno)
        elif key == "define" and args:
            self.defines.add(args[0])
        elif key == "undefine" and args:
            self.defines.discard(args[0])

    def _set_server_root(self, args, filename, lineno):
        if len(args) != 1:
            raise ConfigError("ServerRoot takes one argument", filename, lineno)
        root = args[0]
        if not os.path.isabs(root):
            if self.server_root is None:
                raise ConfigError("ServerRoot %r must be an absolute path" % root,
                                  filename, lineno)
            root = os.path.join(self.server_root, root)
        self.server_root = os.path.normpath(root)

    def _condition_holds(self, key, name, args, filename, lineno):
        if key == "ifversion":
            return _version_matches(args, filename, lineno)
        if len(args) != 1 or args[0] in ("", "!"):
            raise ConfigError("<%s> takes exactly one argument" % name, filename, lineno)
        wanted = args[0]
        negate = wanted.startswith("!")
        if negate:
            wanted = wanted[1:]
        if key == "ifmodule":
            found = canonical_module_name(wanted) in LOADED_MODULES
        else:
            found = wanted in self.defines
        return found != negate

    def _include(self, name, args, target, in_section, filename, lineno):
        if len(args) != 1:
            raise ConfigError("%s takes one argument" % name, filename, lineno)
        optional = name.lower() == "includeoptional"
        path = args[0]
        if os.path.isabs(path):
            root = ""
        elif self.server_root is None:
            raise ConfigError("%s %r is a relative path but no ServerRoot is known"
                              % (name, path), filename, lineno)
        else:
            root = self.server_root
        if _has_wildcard(path):
            paths = glob.glob(os.path.normpath(os.path.join(glob.escape(root), path)))
            if not paths and not optional:
                raise ConfigError("%s: no files match %r" % (name, os.path.join(root, path)),
                                  filename, lineno)
        else:
            path = os.path.normpath(os.path.join(root, path))
            if os.path.exists(path):
                paths = [path]
            elif optional:
                # httpd 2.4.30 and later ignore a missing IncludeOptional path too.
                paths = []
            else:
                raise ConfigError("%s: %s does not exist" % (name, path), filename, lineno)
        for path in sorted(paths, key=_path_key):
            self._include_path(path, target, in_section, filename, lineno)

    def _include_path(self, path, target, in_section, filename, lineno):
        real = os.path.realpath(path)
        if real in self.reading:
            raise ConfigError("Include recursion: %s is already being read" % path,
                              filename, lineno)
        is_dir = os.path.isdir(path)
        try:
            if is_dir:
                entries = sorted(os.listdir(path))
            else:
                text = _read(path)
        except OSError as e:
            raise ConfigError("cannot read included %s: %s" % (path, e.strerror or e),
                              filename, lineno) from None
        self.reading.append(real)
        if is_dir:
            # httpd includes every file of a directory, recursing into
            # subdirectories, in name order (process_resource_config_nofnmatch).
            for entry in entries:
                self._include_path(os.path.join(path, entry), target, in_section,
                                   filename, lineno)
        else:
            self.read_text(text, path, target, in_section)
        self.reading.pop()


def _read(path):
    with open(path, encoding="utf-8", errors="surrogateescape", newline="") as f:
        text = f.read()
    # httpd 2.4 skips a UTF-8 byte order mark at the start of a file.
    return text[1:] if text.startswith("\ufeff") else text


def _logical_lines(text):
    """Yield ``(lineno, line)`` with continuations joined and whitespace stripped."""
    pieces = text.split("\n")
    last = len(pieces) - 1
    start = None
    parts = []
    for index, piece in enumerate(pieces):
        if piece.endswith("\r"):
            piece = piece[:-1]
        if start is None:
            start = index + 1
        # A backslash right before the newline continues the line
        # (ap_cfg_getline_core); comments are recognised only after joining,
        # so a comment ending in a backslash swallows the next line, as in httpd.
        if piece.endswith("\\") and index < last:
            parts.append(piece[:-1])
            continue
        parts.append(piece)
        yield start, "".join(parts).strip(_SPACE)
        start = None
        parts = []


def _split_name(text):
    """Split ``text`` into its first word and the stripped rest."""
    text = text.strip(_SPACE)
    for index, char in enumerate(text):
        if char in _SPACE:
            return text[:index], text[index:].strip(_SPACE)
    return text, ""


def _is_name(name):
    return (name[:1].isascii() and name[:1].isalpha()
            and all(char.isascii() and (char.isalnum() or char in "_-") for char in name))


def _split_args(text, filename, lineno):
    # ap_getword_conf and substring_conf from httpd's server/util.c.
    args = []
    index, end = 0, len(text)
    while True:
        while index < end and text[index] in _SPACE:
            index += 1
        if index == end:
            return tuple(args)
        quote = text[index]
        if quote in "\"'":
            chars = []
            index += 1
            while index < end and text[index] != quote:
                if text[index] == "\\" and index + 1 < end and text[index + 1] in (quote, "\\"):
                    index += 1
                chars.append(text[index])
                index += 1
            if index == end:
                raise ConfigError("unterminated quoted string", filename, lineno)
            args.append("".join(chars))
            index += 1
        else:
            start = index
            while index < end and text[index] not in _SPACE:
                index += 1
            args.append(text[start:index].replace("\\\\", "\\"))


def _target(stack, into):
    return stack[-1].children if stack else into


def _close_section(line, stack, filename, lineno):
    if not line.endswith(">"):
        raise ConfigError("missing '>' in section tag", filename, lineno)
    name = line[2:-1].strip(_SPACE)
    if not stack:
        raise ConfigError("</%s> without matching <%s> section" % (name, name), filename, lineno)
    frame = stack.pop()
    if frame.name.lower() != name.lower():
        raise ConfigError("expected </%s> but saw </%s>" % (frame.name, name), filename, lineno)
    return frame


def _version_matches(args, filename, lineno):
    # mod_version: <IfVersion [[!]operator] version>, "=" when no operator is given.
    if len(args) == 1:
        op, version = "=", args[0]
    elif len(args) == 2:
        op, version = args
    else:
        raise ConfigError("<IfVersion> takes an optional operator and a version", filename, lineno)
    negate = op.startswith("!")
    if negate:
        op = op[1:]
    if op == "~" or (op in ("=", "==") and version.startswith("/")):
        if op != "~":
            if len(version) < 2 or not version.endswith("/"):
                raise ConfigError("missing closing '/' of <IfVersion> regular expression",
                                  filename, lineno)
            version = version[1:-1]
        try:
            matched = re.search(version, "%d.%d.%d" % APACHE_VERSION) is not None
        except re.error as e:
            raise ConfigError("bad <IfVersion> regular expression %r: %s" % (version, e),
                              filename, lineno) from None
    elif op in _VERSION_TESTS:
        matched = _VERSION_TESTS[op](APACHE_VERSION, _parse_version(version, filename, lineno))
    else:
        raise ConfigError("unknown <IfVersion> operator %r" % op, filename, lineno)
    return matched != negate


def _parse_version(version, filename, lineno):
    # mod_version fills missing minor and patch numbers with 0: "2.4" is 2.4.0.
    parts = version.split(".")
    if not 1 <= len(parts) <= 3 or not all(p.isascii() and p.isdigit() for p in parts):
        raise ConfigError("invalid <IfVersion> version %r (expected major[.minor[.patch]])"
                          % version, filename, lineno)
    numbers = [int(p) for p in parts]
    return tuple(numbers + [0] * (3 - len(numbers)))


def _has_wildcard(path):
    return any(char in path for char in "*?[")


def _path_key(path):
    # httpd sorts the entries of each directory, so compare component by component.
    return path.split(os.sep)
