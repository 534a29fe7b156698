"""The ``modpy-compat`` command: serve an Apache configuration on waitress."""
from __future__ import annotations

import argparse
import logging
import os
import signal
import sys

from modpy_compat import __version__


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="modpy-compat",
                                     description="Run mod_python applications on WSGI.")
    parser.add_argument("--version", action="version", version="modpy_compat " + __version__)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    serve = commands.add_parser("serve", help="serve a configuration on waitress")
    serve.add_argument("--config", required=True, metavar="FILE",
                       help="Apache configuration (an httpd.conf or a fragment)")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8080, help="port to listen on (default 8080; 0 picks one)")
    serve.add_argument("--threads", type=int, default=8, help="worker threads (default 8)")
    serve.add_argument("--document-root", metavar="DIR", help="overrides DocumentRoot")
    serve.add_argument("--debug", action="store_true", help="PythonDebug On everywhere")
    serve.add_argument("-D", dest="defines", action="append", default=[], metavar="NAME",
                       help="define NAME for <IfDefine> (repeatable)")
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    return serve_command(args)


def serve_command(args) -> int:
    import waitress
    from modpy_compat import make_app
    from modpy_compat.errors import ModPyCompatError
    logging.basicConfig(stream=sys.stderr, level=logging.INFO,
                        format="[%(asctime)s] [%(levelname)s] %(name)s: %(message)s")
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    try:
        app = make_app(args.config, document_root=args.document_root, debug=args.debug,
                       defines=args.defines)
    except ModPyCompatError as exc:
        print("modpy-compat: error: %s" % exc, file=sys.stderr)
        detail = getattr(exc, "traceback", None)
        if detail:
            print(detail, file=sys.stderr, end="")
        return 1
    app.threads = args.threads
    app.access_log = sys.stdout
    server = waitress.create_server(app, host=args.host, port=args.port, threads=args.threads,
                                    ident="modpy_compat/" + __version__)
    def stop(signum, frame):
        raise KeyboardInterrupt
    # Installed before the banner: whoever reads it may stop us at once.
    signal.signal(signal.SIGTERM, stop)
    try:
        print_banner(app.site, args, server.effective_port)
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
    print("modpy_compat stopped")
    return 0


def print_banner(site, args, port):
    print("modpy_compat %s serving http://%s:%s/" % (__version__, args.host, port))
    print("  configuration: %s" % site.config_file)
    print("  document root: %s" % site.main.document_root)
    print("  threads:       %d" % args.threads)
    for filename, lineno, message in site.warnings:
        print("  warning: %s:%d: %s" % (filename, lineno, message))
    if site.not_emulated:
        print("  warning: accepted but not emulated: %s" % site.not_emulated_summary())
    # The last line of the banner: the server is ready once it is out.
    print("  errors:        standard error; access log: standard output")
    sys.stdout.flush()


if __name__ == "__main__":
    sys.exit(main())
