"""What the benchmarks need on the machine, installed when missing, saying so.

* Debian packages ``apache2``, ``libapache2-mod-python``, ``apache2-dev``
  (apxs, to build mod_wsgi) and ``wrk``: installed with ``apt-get`` when
  missing and running as root; otherwise the command to run is printed.
  Apache is only ever started privately (own ServerRoot, 127.0.0.1); the
  system service is left alone (Debian may start it on installation: the
  benchmarks do not use it, and ``systemctl stop apache2`` stops it).
* ``mod_wsgi`` from PyPI, for ``mod_wsgi-express``, installed with this
  Python's pip when missing.
* As root, Apache's children and mod_wsgi's daemon run as ``www-data``: they
  need to reach this Python and this checkout, so the directories on the way
  get the search bit (``o+x``) where they lack it, each change printed.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig

from tests.support.apache import find_apache, find_modules_dir

APT_PACKAGES = ("apache2", "libapache2-mod-python", "apache2-dev", "wrk")


def _present(package):
    modules = find_modules_dir()
    if package == "apache2":
        return find_apache() is not None and modules is not None
    if package == "libapache2-mod-python":
        return bool(modules) and os.path.isfile(os.path.join(modules, "mod_python.so"))
    if package == "apache2-dev":
        return shutil.which("apxs") is not None or shutil.which("apxs2") is not None
    return shutil.which(package) is not None


def _run(command):
    print("  $ " + " ".join(command), flush=True)
    return subprocess.run(command).returncode == 0


def ensure(need_mod_wsgi=True) -> list:
    """Install what is missing; return the list of what is still missing afterwards."""
    missing = [p for p in APT_PACKAGES if not _present(p)]
    if missing:
        if os.geteuid() == 0 and shutil.which("apt-get"):
            print("installing %s with apt-get:" % ", ".join(missing), flush=True)
            env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
            for command in (["apt-get", "update"],
                            ["apt-get", "install", "-y", "--no-install-recommends"] + missing):
                print("  $ " + " ".join(command), flush=True)
                subprocess.run(command, env=env)
        else:
            print("missing: %s; install them with: sudo apt-get install %s"
                  % (", ".join(missing), " ".join(missing)))
        missing = [p for p in APT_PACKAGES if not _present(p)]
    if need_mod_wsgi and not _has_mod_wsgi():
        if _present("apache2-dev"):
            print("installing mod_wsgi (for mod_wsgi-express) with pip:", flush=True)
            _run([sys.executable, "-m", "pip", "install", "mod_wsgi"])
        if not _has_mod_wsgi():
            missing.append("mod_wsgi (pip install mod_wsgi; it builds against apache2-dev)")
    return missing


def _has_mod_wsgi():
    result = subprocess.run([sys.executable, "-c", "import mod_wsgi.server"],
                            capture_output=True)
    return result.returncode == 0


def grant_search(user, paths):
    """Let ``user`` reach ``paths``: add o+x to the directories leading to them, printing each."""
    targets = set(os.path.abspath(p) for p in paths)
    targets.update(os.path.abspath(p) for p in sysconfig.get_paths().values() if p)
    targets.update((sys.prefix, sys.base_prefix))
    changed = set()
    for target in sorted(targets):
        path = target
        while True:
            try:
                mode = os.stat(path).st_mode
            except OSError:
                break
            if not mode & 0o001 and path not in changed:
                print("  chmod o+x %s  (so that %s reaches %s)" % (path, user, target))
                os.chmod(path, (mode & 0o7777) | 0o001)
                changed.add(path)
            parent = os.path.dirname(path)
            if parent == path:
                break
            path = parent
    return changed
