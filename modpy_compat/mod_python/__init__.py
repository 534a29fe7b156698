"""The ``mod_python`` package as legacy code imports it.

``import mod_python`` resolves here once :mod:`modpy_compat` is imported
(the gateway does it for the handlers it runs).  The modules hold mod_python's
names and delegate to the engine.  As in mod_python, importing the package
brings ``version`` (``mp_version`` is its version string) and ``apache``.
"""
import os as _os

from . import version
from . import apache  # noqa: F401 - mod_python imports it too (silently, if it can)

mp_version = version.version

# The submodules that exist here (mod_python's __all__ names the ones it ships).
__all__ = sorted(
    name[:-3] for name in _os.listdir(_os.path.dirname(__file__))
    if name.endswith(".py") and not name.startswith("_"))
