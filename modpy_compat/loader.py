"""Importing handler modules the way mod_python does.

* A handler named by a bare module name that exists as ``<name>.py`` in the
  handler's directory is loaded *by path* into its own module object, keyed
  by interpreter name and path (mod_python 3.3.1's importer): two virtual
  hosts can each have an ``index.py`` or a ``handler.py`` without colliding.
  The module is registered in ``sys.modules`` under a unique ``_mp_<hash>``
  name so that pickling and ``inspect`` work (3.3.1 did not register it).
* Anything else is imported normally (``importlib``).
* With ``PythonAutoReload On`` (the default) a module whose file changed is
  loaded again on its next use: path modules into a fresh module object (the
  old one's ``__mp_clone__(new)`` and ``__mp_purge__()`` hooks are called),
  ordinary modules with ``importlib.reload``.
* ``PythonPath`` replaces ``sys.path`` the first time each distinct
  expression is seen; otherwise handler directories are prepended to
  ``sys.path`` (mod_python 3.4+ does this; code relying on it keeps working).

This module is the only place that touches ``sys.path`` and ``sys.modules``.
"""
from __future__ import annotations

import hashlib
import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import logging
import os
import sys
import threading

log = logging.getLogger(__name__)

_MAIN = "main_interpreter"


class Loader:
    """Loads, caches and reloads handler modules for one application."""

    def __init__(self):
        self._by_path = {}          # (interpreter, path) -> [module, mtime]
        self._mtimes = {}           # module name -> mtime when imported (ordinary modules)
        self._lock = threading.RLock()
        self._python_paths = set()
        self._found = {}            # (name, directory, path) -> module file found there

    # -- sys.path -------------------------------------------------------------

    def apply_python_path(self, expression: str):
        """Evaluate a ``PythonPath`` expression into ``sys.path``, once per distinct string."""
        if expression in self._python_paths:
            return
        with self._lock:
            if expression in self._python_paths:
                return
            # mod_python evaluates it in its apache module's namespace (sys, os,
            # time and the apache functions are there).
            from modpy_compat.mod_python import apache
            value = eval(expression, dict(vars(apache)))
            sys.path[:] = list(value)
            self._python_paths.add(expression)

    def add_directory(self, directory: str):
        """Prepend a handler directory to ``sys.path`` if it is not there yet."""
        directory = directory.rstrip("/") or "/"
        if directory not in sys.path:
            with self._lock:
                if directory not in sys.path:
                    sys.path.insert(0, directory)

    # -- importing -------------------------------------------------------------

    def import_module(self, name: str, *, directory: str | None = None, autoreload: bool = True,
                      log_imports: bool = False, interpreter: str = _MAIN, path=None):
        """Import handler module ``name`` as mod_python would for a handler in ``directory``.

        ``name`` may also be a path to a ``.py`` file (absolute, or relative to
        ``directory`` with ``./``, ``../`` or ``~/``), as 3.3.1 allowed.
        """
        filename = self._find_file(name, directory, path)
        if filename is not None:
            return self.load_file(filename, autoreload=autoreload, log_imports=log_imports,
                                  interpreter=interpreter)
        module = sys.modules.get(name)
        if module is None:
            if log_imports:
                log.info("mod_python: Importing module '%s'", name)
            module = importlib.import_module(name)
            self._mtimes[name] = _mtime(getattr(module, "__file__", None))
            return module
        if autoreload and not name.startswith(("mod_python", "modpy_compat")):
            current = _mtime(getattr(module, "__file__", None))
            # A module imported some other way (a plain ``import``) is timed
            # from now on, so that later edits are seen.
            known = self._mtimes.setdefault(name, current)
            if known is not None and current is not None and current != known:
                with self._lock:
                    if self._mtimes.get(name) != current:
                        if log_imports:
                            log.info("mod_python: Reimporting module '%s'", name)
                        module = importlib.reload(module)
                        self._mtimes[name] = current
        return module

    def _find_file(self, name, directory, path):
        if name.endswith(".py") and (name.startswith(("/", "./", "../", "~/"))):
            base = (directory or os.getcwd()).rstrip("/")
            if name.startswith("~/"):
                return os.path.normpath(os.path.join(base, name[2:]))
            return os.path.normpath(os.path.join(base, name))
        if "." in name or "/" in name:
            return None
        key = (name, directory, tuple(path) if path else None)
        found = self._found.get(key)
        if found is not None:
            return found
        for folder in list(path or ()) + ([directory] if directory else []):
            candidate = os.path.join(folder, name + ".py")
            if os.path.isfile(candidate):
                # Remembered: load_file's own stat notices if it goes away.
                found = self._found[key] = os.path.normpath(candidate)
                return found
        return None

    def load_file(self, filename: str, *, autoreload: bool = True, log_imports: bool = False,
                  interpreter: str = _MAIN):
        """Load the Python file ``filename`` as a module of its own, reloading it when changed."""
        key = (interpreter, filename)
        entry = self._by_path.get(key)
        if entry is not None and not autoreload:
            return entry[0]
        mtime = _mtime(filename)
        if mtime is None:
            self._found = {k: v for k, v in self._found.items() if v != filename}
            raise ImportError("No module file %r" % filename)
        if entry is not None and entry[1] == mtime:
            return entry[0]
        with self._lock:
            entry = self._by_path.get(key)
            if entry is not None and entry[1] == mtime:
                return entry[0]
            if log_imports:
                log.info("mod_python: %s module '%s'", "Reimporting" if entry else "Importing", filename)
            module = self._exec_file(filename, interpreter)
            if entry is not None:
                old = entry[0]
                if hasattr(old, "__mp_clone__"):
                    old.__mp_clone__(module)
                if hasattr(old, "__mp_purge__"):
                    old.__mp_purge__()
            self._by_path[key] = [module, mtime]
            return module

    def _exec_file(self, filename, interpreter):
        key = ("%s\0%s" % (interpreter, filename)).encode("utf-8", "surrogateescape")
        name = "_mp_" + hashlib.md5(key, usedforsecurity=False).hexdigest()
        spec = importlib.util.spec_from_file_location(name, filename)
        module = importlib.util.module_from_spec(spec)
        module.__mp_info__ = (interpreter, filename)
        previous = sys.modules.get(name)
        sys.modules[name] = module
        try:
            spec.loader.exec_module(module)
        except BaseException:
            if previous is not None:
                sys.modules[name] = previous
            else:
                sys.modules.pop(name, None)
            raise
        return module


# One loader per process: sys.modules and sys.path are process-wide anyway, and
# ``apache.import_module`` must reach the same cache as the phases.
LOADER = Loader()


def _mtime(filename):
    if not filename:
        return None
    try:
        return os.stat(filename).st_mtime_ns
    except OSError:
        return None


def resolve_object(module, obj_str: str, arg=None, silent: bool = False):
    """Walk the dotted ``obj_str`` from ``module`` (``apache.resolve_object``).

    When the parent of an attribute is a class, the class is instantiated
    with ``arg`` first, so ``mod::Cls.method`` calls ``Cls(req).method(req)``.
    """
    obj = module
    parent = None
    for name in obj_str.split("."):
        if isinstance(obj, type):
            obj = obj(arg)
        parent = obj
        try:
            obj = getattr(obj, name)
        except AttributeError:
            if silent:
                return None
            if parent is module and getattr(module, "__file__", None):
                raise AttributeError("module '%s' contains no '%s'" % (module.__file__, name))
            raise
    return obj


# -- the legacy ``mod_python`` namespace -----------------------------------------

class _AliasLoader(importlib.abc.Loader):
    """Makes ``mod_python.X`` the very same module object as ``modpy_compat.mod_python.X``."""

    def __init__(self, target):
        self.target = target

    def create_module(self, spec):
        module = importlib.import_module(self.target)
        self.spec = module.__spec__
        return module

    def exec_module(self, module):
        module.__spec__ = self.spec  # keep the real spec so reload() still works


# Top-level modules legacy configurations name besides mod_python's own: ours stands in
# only when no module of that name is on sys.path (a site may ship its own copy).
_LEGACY_MODULES = {"modpython_gateway": "modpy_compat.legacy.modpython_gateway"}


class _AliasFinder(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == "mod_python" or name.startswith("mod_python."):
            real = "modpy_compat." + name
        elif name == "_apache":
            real = "modpy_compat.mod_python._apache"
        elif name in _LEGACY_MODULES and importlib.machinery.PathFinder.find_spec(name) is None:
            real = _LEGACY_MODULES[name]
        else:
            return None
        if importlib.util.find_spec(real) is None:
            return None
        return importlib.util.spec_from_loader(name, _AliasLoader(real))


def install_legacy_namespace():
    """Make ``import mod_python`` (and ``_apache``, ``modpython_gateway``) resolve to the legacy face."""
    if not any(isinstance(f, _AliasFinder) for f in sys.meta_path):
        sys.meta_path.insert(0, _AliasFinder())
