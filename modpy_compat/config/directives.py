"""The directive registry: every directive we understand, one line each.

Each entry says where the directive may appear, how many arguments it takes
and which function applies it to the section being built.  Directives of
modules we do not emulate are accepted and reported once at start-up
(:data:`NOT_EMULATED`); anything else unknown is an error, as in Apache.
"""
from __future__ import annotations

import os
import re

from modpy_compat.constants import DEFAULT_FUNCTIONS
from modpy_compat.config.dirconfig import Requirement, set_option
from modpy_compat.errors import ConfigError

# Contexts: S main server body, V virtual host body, D any per-directory section.
S, V, D = "S", "V", "D"
SV, SVD = S + V, S + V + D


def as_bool(value: str, node) -> bool:
    """Apache's On/Off flag."""
    lowered = value.lower()
    if lowered in ("on", "1", "yes", "true"):
        return True
    if lowered in ("off", "0", "no", "false"):
        return False
    raise ConfigError("%s must be On or Off, not %r" % (node.name, value), node.filename, node.lineno)


def as_extension(value: str) -> str:
    """mod_mime's extension spelling: lower-cased, with a leading dot."""
    value = value.lower()
    return value if value.startswith(".") else "." + value


def as_path(scope, value: str) -> str:
    """A filesystem path, relative ones resolved against the server root."""
    return os.path.normpath(os.path.join(scope.site.server_root, os.path.expanduser(value)))


# -- mod_python ---------------------------------------------------------------

def python_handler(scope, node, args):
    raw = node.raw.split("|", 1)
    handlers = raw[0].split()
    if not handlers:
        raise ConfigError("%s takes at least one handler" % node.name, node.filename, node.lineno)
    exts = raw[1].split() if len(raw) > 1 else []
    if exts and node.name in ("PythonPostReadRequestHandler", "PythonTransHandler"):
        raise ConfigError('%s does not accept "| .ext" syntax.' % node.name, node.filename, node.lineno)
    entries = tuple(scope.handler_entry(h, node) for h in handlers)
    for key in ([node.name + ext for ext in exts] or [node.name]):
        # Repeating a directive in the same section stacks the handlers.
        table = scope.fragment.python_handlers
        table[key] = table.get(key, ()) + entries


def python_handler_module(scope, node, args):
    entry = scope.handler_entry(args[0], node)._replace(silent=True)
    for phase in DEFAULT_FUNCTIONS:
        if phase.endswith("Handler") and phase != "PythonConnectionHandler":
            table = scope.fragment.python_handlers
            table[phase] = table.get(phase, ()) + (entry,)


def python_filter(scope, node, args):
    name = (args[1] if len(args) > 1 else args[0]).lower()
    table = scope.fragment.output_filters if node.name == "PythonOutputFilter" else scope.fragment.input_filters
    table[name] = scope.handler_entry(args[0], node)


def python_option(scope, node, args):
    value = args[1] if len(args) > 1 else ""  # no value, like "", removes the option
    set_option(scope.fragment.python_options, args[0], value)
    if scope.server_level:
        set_option(scope.server.options, args[0], value)


def python_flag(scope, node, args):
    value = "1" if as_bool(args[0], node) else "0"
    scope.set_python_config(node.name, value)


def python_interpreter(scope, node, args):
    scope.set_python_config("PythonInterpreter", args[0])


def python_path(scope, node, args):
    try:
        compile(node.raw.strip().strip("\"'"), node.filename, "eval")
    except SyntaxError as exc:
        raise ConfigError("PythonPath is not a valid Python expression: %s" % exc.msg,
                          node.filename, node.lineno)
    scope.set_python_config("PythonPath", args[0])


def python_import(scope, node, args):
    scope.site.python_imports.append((args[0], args[1], node.filename, node.lineno))


def python_connection_handler(scope, node, args):
    scope.site.warn(node, "PythonConnectionHandler cannot run over WSGI (the server owns the socket); ignored")


def python_optimize(scope, node, args):
    scope.site.warn(node, "PythonOptimize has no effect: the interpreter is already running; ignored")


# -- core and mod_mime, mod_dir, mod_alias, mod_env, auth ---------------------

def set_handler(scope, node, args):
    name = args[0]
    scope.fragment.handler = "" if name.lower() in ("none", "default-handler") else name


def add_handler(scope, node, args):
    for ext in args[1:]:
        scope.fragment.add_handlers[as_extension(ext)] = args[0]


def remove_handler(scope, node, args):
    for ext in args:
        scope.fragment.add_handlers[as_extension(ext)] = ""


def _ext_table(field, multi=False):
    def apply(scope, node, args):
        table = getattr(scope.fragment, field)
        for ext in args[1:]:
            table[as_extension(ext)] = tuple(args[0].split(";")) if multi else args[0]
    return apply


def _override(field, convert=None):
    def apply(scope, node, args):
        setattr(scope.fragment, field, convert(scope, node, args) if convert else args[0])
    return apply


def force_type(scope, node, args):
    scope.fragment.force_type = "" if args[0].lower() == "none" else args[0]


def default_type(scope, node, args):
    scope.fragment.default_type = "" if args[0].lower() == "none" else args[0]


def directory_index(scope, node, args):
    scope.fragment.directory_index = () if args == ("disabled",) else tuple(args)


def require(scope, node, args):
    requirement = Requirement(" ".join(args), scope.limit_methods, scope.limit_negate)
    scope.requires.append(requirement)
    scope.fragment.requires = tuple(scope.requires)


def error_document(scope, node, args):
    try:
        code = int(args[0])
    except ValueError:
        raise ConfigError("ErrorDocument takes a status code, not %r" % args[0], node.filename, node.lineno)
    if not 300 <= code <= 599:
        raise ConfigError("ErrorDocument code %d is not an error or redirect status" % code,
                          node.filename, node.lineno)
    text = node.raw.split(None, 1)[1].strip()
    if text.startswith('"'):
        # A quoted text is a message; Apache keeps the leading quote as the marker.
        text = '"' + (text[1:-1] if text.endswith('"') and len(text) > 1 else text[1:])
    scope.fragment.error_documents[code] = text


def limit_request_body(scope, node, args):
    try:
        scope.fragment.limit_request_body = int(args[0])
    except ValueError:
        raise ConfigError("LimitRequestBody takes a number of bytes, not %r" % args[0],
                          node.filename, node.lineno)


def options(scope, node, args):
    absolute, added, removed = set(), set(), set()
    for word in args:
        sign, name = (word[0], word[1:]) if word[:1] in "+-" else ("", word)
        name = {"all": "All", "none": "None"}.get(name.lower(), name)
        names = {"Indexes", "Includes", "FollowSymLinks", "ExecCGI", "MultiViews"} if name == "All" else (
            set() if name == "None" else {name})
        {"+": added, "-": removed, "": absolute}[sign].update(names)
        if sign == "" and name == "None":
            absolute.add("")  # marks "Options None" as absolute
    if absolute:
        scope.fragment.options = (frozenset(absolute - {""}), frozenset(added), frozenset(removed))
    else:
        scope.fragment.options = (None, frozenset(added), frozenset(removed))


def set_env(scope, node, args):
    scope.fragment.set_env[args[0]] = args[1] if len(args) > 1 else ""


def unset_env(scope, node, args):
    for name in args:
        scope.fragment.set_env[name] = None


def alias(scope, node, args):
    scope.server.aliases.append(("prefix", args[0], as_path(scope, args[1])))


def alias_match(scope, node, args):
    try:
        pattern = re.compile(args[0])
    except re.error as exc:
        raise ConfigError("AliasMatch: bad regular expression: %s" % exc, node.filename, node.lineno)
    # The target is only complete after substitution: resolve it then (mapping.translate).
    scope.server.aliases.append(("regex", pattern, (args[1], scope.site.server_root)))


def redirect(scope, node, args):
    codes = {"permanent": 301, "temp": 302, "seeother": 303, "gone": 410}
    args = list(args)
    code = {"RedirectPermanent": 301, "RedirectTemp": 302}.get(node.name, 302)
    if node.name in ("Redirect", "RedirectMatch") and (
            len(args) == 3 or args[0].lower() in codes or args[0].isdigit()):
        word = args.pop(0)
        code = codes.get(word.lower()) or int(word) if word.isdigit() or word.lower() in codes else 302
    if code != 410 and len(args) < 2:
        raise ConfigError("%s needs a URL path and a target URL" % node.name, node.filename, node.lineno)
    target = args[1] if len(args) > 1 else None
    if target is not None and not (target.startswith("/") or re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", target)):
        # mod_alias: the target is an absolute URL or a URL-path starting with "/".
        raise ConfigError("%s to non-URL %r" % (node.name, target), node.filename, node.lineno)
    if node.name == "RedirectMatch":
        try:
            pattern = re.compile(args[0])
        except re.error as exc:
            raise ConfigError("RedirectMatch: bad regular expression: %s" % exc, node.filename, node.lineno)
        scope.server.redirects.append(("regex", pattern, target, code))
    else:
        # Kept as written: a trailing slash makes mod_alias require one in the URI.
        scope.server.redirects.append(("prefix", args[0], target, code))


def document_root(scope, node, args):
    scope.server.document_root = as_path(scope, args[0]).rstrip("/") or "/"


def server_name(scope, node, args):
    name, _, port = args[0].rpartition(":") if ":" in args[0].split("://")[-1] else (args[0], "", "")
    name = name.split("://")[-1]
    scope.server.server_hostname = name
    if port.isdigit():
        scope.server.port = int(port)


def server_alias(scope, node, args):
    scope.server.names.extend(a.lower() for a in args)


def server_attr(attr, convert=str):
    def apply(scope, node, args):
        try:
            setattr(scope.server, attr, convert(args[0]))
        except ValueError:
            raise ConfigError("%s: bad value %r" % (node.name, args[0]), node.filename, node.lineno)
    return apply


def server_root(scope, node, args):
    scope.site.server_root = os.path.normpath(os.path.join(scope.site.config_dir, args[0]))


def types_config(scope, node, args):
    scope.site.load_mime_types(as_path(scope, args[0]), node)


def use_canonical_name(scope, node, args):
    scope.server.use_canonical_name = args[0].lower() == "on"


def _flag(field):
    def apply(scope, node, args):
        setattr(scope.fragment, field, as_bool(args[0], node))
    return apply


def _filter_list(field):
    def apply(scope, node, args):
        setattr(scope.fragment, field, tuple(n.lower() for n in args[0].split(";") if n))
    return apply


def _ext_filters(field):
    def apply(scope, node, args):
        table = getattr(scope.fragment, field)
        for ext in args[1:]:
            table[as_extension(ext)] = tuple(n.lower() for n in args[0].split(";") if n)
    return apply


def accept_path_info(scope, node, args):
    value = args[0].lower()
    if value not in ("on", "off", "default"):
        raise ConfigError("AcceptPathInfo must be On, Off or Default", node.filename, node.lineno)
    scope.fragment.accept_path_info = value


def add_default_charset(scope, node, args):
    value = args[0]
    scope.fragment.add_default_charset = "" if value.lower() == "off" else (
        "iso-8859-1" if value.lower() == "on" else value)


# name: (contexts, min args, max args (None: any), apply)
DIRECTIVES = {
    "PythonHandler": (SVD, 1, None, python_handler),
    "PythonPostReadRequestHandler": (SV, 1, None, python_handler),
    "PythonTransHandler": (SV, 1, None, python_handler),
    "PythonHeaderParserHandler": (SVD, 1, None, python_handler),
    "PythonInitHandler": (SVD, 1, None, python_handler),
    "PythonAccessHandler": (SVD, 1, None, python_handler),
    "PythonAuthenHandler": (SVD, 1, None, python_handler),
    "PythonAuthzHandler": (SVD, 1, None, python_handler),
    "PythonTypeHandler": (SVD, 1, None, python_handler),
    "PythonFixupHandler": (SVD, 1, None, python_handler),
    "PythonLogHandler": (SVD, 1, None, python_handler),
    "PythonCleanupHandler": (SVD, 1, None, python_handler),
    "PythonHandlerModule": (SVD, 1, 1, python_handler_module),
    "PythonInputFilter": (SVD, 1, 2, python_filter),
    "PythonOutputFilter": (SVD, 1, 2, python_filter),
    "PythonConnectionHandler": (SV, 1, 1, python_connection_handler),
    "PythonOption": (SVD, 1, 2, python_option),
    "PythonPath": (SVD, 1, 1, python_path),
    "PythonDebug": (SVD, 1, 1, python_flag),
    "PythonAutoReload": (SVD, 1, 1, python_flag),   # defaults On
    "PythonEnablePdb": (SVD, 1, 1, python_flag),
    "PythonInterpPerDirectory": (SVD, 1, 1, python_flag),
    "PythonInterpPerDirective": (SVD, 1, 1, python_flag),
    "PythonInterpreter": (SVD, 1, 1, python_interpreter),
    "PythonImport": (S, 2, 2, python_import),
    "PythonOptimize": (S, 1, 1, python_optimize),
    "SetHandler": (SVD, 1, 1, set_handler),
    "AddHandler": (SVD, 2, None, add_handler),
    "RemoveHandler": (SVD, 1, None, remove_handler),
    "AddType": (SVD, 2, None, _ext_table("add_types")),
    "AddEncoding": (SVD, 2, None, _ext_table("add_encodings")),
    "AddLanguage": (SVD, 2, None, _ext_table("add_languages")),
    "AddCharset": (SVD, 2, None, _ext_table("add_charsets")),
    "AddDefaultCharset": (SVD, 1, 1, add_default_charset),
    "ForceType": (SVD, 1, 1, force_type),   # core's OR_FILEINFO: httpd accepts it at server level too
    "DefaultType": (SVD, 1, 1, default_type),
    "TypesConfig": (S, 1, 1, types_config),
    "DirectoryIndex": (SVD, 1, None, directory_index),
    "DirectorySlash": (SVD, 1, 1, _flag("directory_slash")),
    "AuthType": (D, 1, 1, _override("auth_type")),
    "AuthName": (D, 1, 1, _override("auth_name")),
    "Require": (D, 1, None, require),
    "ErrorDocument": (SVD, 2, None, error_document),
    "LimitRequestBody": (SVD, 1, 1, limit_request_body),
    "AcceptPathInfo": (SVD, 1, 1, accept_path_info),
    "Options": (SVD, 1, None, options),
    "SetOutputFilter": (SVD, 1, 1, _filter_list("set_output_filter")),
    "SetInputFilter": (SVD, 1, 1, _filter_list("set_input_filter")),
    "AddOutputFilter": (SVD, 2, None, _ext_filters("add_output_filters")),
    "AddInputFilter": (SVD, 2, None, _ext_filters("add_input_filters")),
    "SetEnv": (SVD, 1, 2, set_env),
    "UnsetEnv": (SVD, 1, None, unset_env),
    "Alias": (SV, 2, 2, alias),
    "AliasMatch": (SV, 2, 2, alias_match),
    "Redirect": (SV, 1, 3, redirect),
    "RedirectMatch": (SV, 2, 3, redirect),
    "RedirectPermanent": (SV, 2, 2, redirect),
    "RedirectTemp": (SV, 2, 2, redirect),
    "DocumentRoot": (SV, 1, 1, document_root),
    "ServerName": (SV, 1, 1, server_name),
    "ServerAlias": (V, 1, None, server_alias),
    "ServerAdmin": (SV, 1, 1, server_attr("server_admin")),
    "ServerPath": (V, 1, 1, server_attr("path")),
    "ServerRoot": (S, 1, 1, server_root),
    "UseCanonicalName": (SV, 1, 1, use_canonical_name),
    "Timeout": (SV, 1, 1, server_attr("timeout", float)),
    "KeepAliveTimeout": (SV, 1, 1, server_attr("keep_alive_timeout", float)),
    "MaxKeepAliveRequests": (SV, 1, 1, server_attr("keep_alive_max", int)),
    "LimitRequestLine": (SV, 1, 1, server_attr("limit_req_line", int)),
    "LimitRequestFieldSize": (SV, 1, 1, server_attr("limit_req_fieldsize", int)),
    "LimitRequestFields": (SV, 1, 1, server_attr("limit_req_fields", int)),
    "ErrorLog": (SV, 1, 1, server_attr("error_fname")),
}
DIRECTIVES = {name.lower(): (name,) + spec for name, spec in DIRECTIVES.items()}

# Accepted, never acted upon, and listed once in the start-up warning.
NOT_EMULATED = frozenset(name.lower() for name in """
    LoadModule LoadFile Listen NameVirtualHost User Group PidFile ServerTokens
    ServerSignature CustomLog LogFormat TransferLog LogLevel StartServers
    MinSpareServers MaxSpareServers MaxClients MaxRequestWorkers ServerLimit
    ThreadsPerChild ThreadLimit MinSpareThreads MaxSpareThreads
    MaxRequestsPerChild MaxConnectionsPerChild Mutex LockFile EnableSendfile
    EnableMMAP FileETag TraceEnable Header RequestHeader ExpiresActive
    ExpiresByType ExpiresDefault IndexOptions IndexIgnore IndexOrderDefault
    AddIcon AddIconByType AddIconByEncoding DefaultIcon ReadmeName HeaderName
    AddDescription CGIPassAuth MergeSlashes AllowEncodedSlashes ProxyPass
    ProxyPassReverse ProxyPreserveHost ProxyRequests RewriteEngine RewriteRule
    RewriteCond RewriteBase RewriteMap RewriteOptions SSLEngine
    SSLCertificateFile SSLCertificateKeyFile SSLCertificateChainFile
    SSLProtocol SSLCipherSuite SSLOptions SSLCACertificateFile
    AllowOverride AccessFileName Order Allow Deny Satisfy AuthUserFile
    AuthGroupFile AuthBasicProvider AuthBasicAuthoritative AuthAuthoritative
    AuthDigestProvider AuthDigestDomain KeepAlive HostnameLookups
    PassEnv SetEnvIf SetEnvIfNoCase BrowserMatch BrowserMatchNoCase
    DirectoryCheckHandler AddOutputFilterByType ContentDigest
    ServerSignature UseCanonicalPhysicalPort LimitXMLRequestBody
    LimitInternalRecursion ScriptAlias ScriptAliasMatch DAVLockDB
    WSGIScriptAlias WSGIDaemonProcess WSGIProcessGroup WSGIApplicationGroup
    WSGIPythonPath WSGIPythonHome WSGIPassAuthorization WSGISocketPrefix
    AuthMerging DirectoryListingType IncludeOptional GracefulShutdownTimeout
    ListenBacklog SendBufferSize ReceiveBufferSize CoreDumpDirectory
    DefaultRuntimeDir ErrorLogFormat ScoreBoardFile AddModule ClearModuleList
    Port BindAddress ResourceConfig AccessConfig
""".split())

DIRECTORY_SECTIONS = ("directory", "directorymatch", "files", "filesmatch",
                      "location", "locationmatch")
# Sections whose content we read as if the container were not there.
TRANSPARENT_SECTIONS = ("limit", "limitexcept", "requireall", "requireany", "requirenone")
# Sections of modules we do not emulate: accepted, skipped with a warning.
IGNORED_SECTIONS = ("proxy", "proxymatch", "ifversion", "macro", "authnprovideralias",
                    "authzprovideralias", "iffile", "ifdirective", "ifsection")
