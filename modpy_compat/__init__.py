"""modpy_compat: Apache mod_python emulated over WSGI."""
__version__ = "0.1.0"
