"""The ``modpy-compat`` command: serve, check, or write a mod_wsgi script for a configuration.

Options are named as mod_wsgi-express names them where they mean the same
thing (``--document-root``, ``--url-alias``, ``--mount-point``,
``--processes``, ``--threads``, ``--reload-on-changes``, ``--log-level``).
The work happens in :mod:`modpy_compat.serving` and :mod:`modpy_compat.check`.
"""
from __future__ import annotations

import argparse
import os
import sys

from modpy_compat import __version__

LOG_LEVELS = ("debug", "info", "warning", "error", "critical")


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:1] == ["psp2mako"]:
        from modpy_compat.psp.psp2mako import main as psp2mako
        return psp2mako(argv[1:])
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    _validate(parser, args)
    return args.run(args)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="modpy-compat",
                                     description="Run mod_python applications on WSGI.")
    parser.add_argument("--version", action="version", version="modpy_compat " + __version__)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    site = argparse.ArgumentParser(add_help=False)
    site.add_argument("--config", required=True, metavar="FILE",
                      help="Apache configuration (an httpd.conf or a fragment)")
    site.add_argument("--document-root", metavar="DIR", help="overrides DocumentRoot")
    site.add_argument("-D", dest="defines", action="append", default=[], metavar="NAME",
                      help="define NAME for <IfDefine> (repeatable)")

    serve = commands.add_parser("serve", parents=[site], help="serve a configuration on waitress")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8080, help="port to listen on (default 8080; 0 picks one)")
    serve.add_argument("--processes", type=int, default=1, metavar="N",
                       help="worker processes sharing the listening socket (default 1)")
    serve.add_argument("--threads", type=int, default=8, metavar="N",
                       help="threads per process (default 8)")
    serve.add_argument("--url-alias", dest="url_aliases", nargs=2, action="append", default=[],
                       metavar=("URL", "PATH"),
                       help="serve PATH at URL, as 'Alias URL PATH' ahead of the configuration's (repeatable)")
    serve.add_argument("--mount-point", metavar="URL",
                       help="serve the site below URL (SCRIPT_NAME), as WSGIScriptAlias URL does")
    serve.add_argument("--reload-on-changes", action="store_true",
                       help="restart the workers when a loaded module, a PSP page or the configuration changes")
    serve.add_argument("--access-log", metavar="FILE",
                       help="append the access log to FILE (default: standard output)")
    serve.add_argument("--error-log", metavar="FILE",
                       help="append the error log to FILE (default: standard error)")
    serve.add_argument("--log-level", choices=LOG_LEVELS, default="info", help="error log level (default info)")
    serve.add_argument("--debug", action="store_true", help="PythonDebug On everywhere")
    serve.set_defaults(run=_serve)

    check = commands.add_parser(
        "check", parents=[site],
        help="read the configuration, import its handler modules, compile its PSP pages; report every problem")
    check.add_argument("--routes", action="store_true",
                       help="also print the sections, phases and handlers that apply to each path")
    check.set_defaults(run=_check)

    script = commands.add_parser("wsgi-script", parents=[site],
                                 help="print a .wsgi script for mod_wsgi serving the configuration")
    script.add_argument("--debug", action="store_true", help="PythonDebug On everywhere")
    script.set_defaults(run=_wsgi_script)

    commands.add_parser("psp2mako", add_help=False,
                        help="convert PSP pages to Mako templates (psp2mako --help for its options)")
    return parser


def _validate(parser, args):
    for url, path in getattr(args, "url_aliases", ()):
        if not url.startswith("/"):
            parser.error("--url-alias %s %s: the URL must start with '/'" % (url, path))
        if not os.path.exists(path):
            parser.error("--url-alias %s %s: %s does not exist" % (url, path, path))
    mount = getattr(args, "mount_point", None)
    if mount is not None:
        if not mount.startswith("/"):
            parser.error("--mount-point must start with '/'")
        args.mount_point = mount.rstrip("/")
    for name in ("processes", "threads"):
        if getattr(args, name, 1) < 1:
            parser.error("--%s must be at least 1" % name)


def _serve(args) -> int:
    from modpy_compat.serving import serve
    return serve(args)


def _check(args) -> int:
    from modpy_compat.check import run_check
    return run_check(args.config, document_root=args.document_root, defines=args.defines,
                     routes=args.routes, out=sys.stdout)


def _wsgi_script(args) -> int:
    from modpy_compat.serving import wsgi_script
    sys.stdout.write(wsgi_script(args.config, document_root=args.document_root,
                                 debug=args.debug, defines=args.defines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
