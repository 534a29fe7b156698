"""``mod_python.publisher``: the publisher handler under mod_python's names.

``PythonHandler mod_python.publisher`` runs :func:`handler`.  The behaviour
lives in :mod:`modpy_compat.handlers.publisher`; the objects here are the
same objects, so ``tp_rules[SomeType] = (True, True)`` changes what the
handler traverses, as it did in mod_python.  Differences are listed in
docs/publisher.md.
"""
from modpy_compat.handlers.publisher import (  # noqa: F401 - mod_python's names
    PageCache, default_builtins_tp_rule, default_tp_rule, handler, page_cache, process_auth,
    publish_object, re_charset, re_html, resolve_object, tp_rules)
from modpy_compat.mod_python import apache, util  # noqa: F401 - mod_python's module has them

__all__ = ["handler", "process_auth", "resolve_object", "publish_object", "page_cache",
           "PageCache", "tp_rules", "default_tp_rule", "default_builtins_tp_rule", "re_html",
           "re_charset"]
