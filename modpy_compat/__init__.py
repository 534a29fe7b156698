"""modpy_compat: run Apache mod_python applications unchanged on any WSGI server.

    from modpy_compat import make_app
    application = make_app("/srv/site/site.conf")

Importing this package also makes ``import mod_python`` resolve to
modpy_compat's legacy face (:mod:`modpy_compat.mod_python`).
"""
from __future__ import annotations

__version__ = "0.1.0"
__all__ = ["make_app", "Gateway", "__version__"]

from modpy_compat.loader import install_legacy_namespace

install_legacy_namespace()


def make_app(config=None, *, document_root=None, handler=None, debug=False, defines=(), preload=True):
    """Build the WSGI application for an Apache configuration.

    :param config: path of an httpd.conf or fragment; relative paths in it
        resolve against its directory (its ServerRoot).
    :param document_root: overrides the configuration's DocumentRoot; without a
        configuration, the root served.
    :param handler: without a configuration, the ``PythonHandler`` to run for
        everything under ``document_root`` (``SetHandler mod_python``).
    :param debug: ``PythonDebug On`` everywhere.
    :param defines: names defined for ``<IfDefine>``.
    :returns: a :class:`Gateway`.
    :raises modpy_compat.errors.ConfigError: naming the file and line at fault.
    :raises modpy_compat.errors.HandlerImportError: when a configured handler does not import.
    """
    from modpy_compat.config.site import load_config
    from modpy_compat.gateway import Gateway
    if config is None:
        if document_root is None:
            raise TypeError("make_app() needs a configuration file or a document_root")
        text = "DocumentRoot %s\n<Directory %s>\n" % (_quote(document_root), _quote(document_root))
        if handler:
            text += "SetHandler mod_python\nPythonHandler %s\n" % handler
        text += "</Directory>\n"
        site = load_config(None, text=text, defines=defines, debug=debug)
    else:
        site = load_config(config, document_root=document_root, defines=defines, debug=debug)
    return Gateway(site, preload=preload)


def _quote(path):
    import os
    return '"%s"' % os.path.abspath(path).replace('"', '\\"')


def __getattr__(name):
    if name == "Gateway":
        from modpy_compat.gateway import Gateway
        return Gateway
    raise AttributeError(name)
