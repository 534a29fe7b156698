"""``mod_python.version``: the version and the build constants mod_python records.

modpy_compat emulates mod_python 3.5.0; there is no httpd or APR build
behind it, so those constants are empty.  The module's ``str()`` is the
version, for code that printed ``mod_python.version`` when it was a string.
"""
import sys
import types

version = "3.5.0"

# Build-time constants of a real mod_python (setup.py writes them).
HTTPD = ""
HTTPD_VERSION = ""
APR_VERSION = ""
LIBEXECDIR = ""
SYSCONFDIR = ""
TEST_MOD_PYTHON_SO = ""
TESTHOME = ""
PYTHON_BIN = sys.executable


class _VersionModule(types.ModuleType):
    def __str__(self):
        return version


sys.modules[__name__].__class__ = _VersionModule
