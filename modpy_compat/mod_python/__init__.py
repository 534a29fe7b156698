"""The ``mod_python`` package as legacy code imports it.

``import mod_python`` resolves here once :mod:`modpy_compat` is imported
(the gateway does it for the handlers it runs).  The modules hold mod_python's
names and delegate to the engine.
"""
version = mp_version = "3.5.0"
__all__ = ["apache", "cache", "cgihandler", "Cookie", "psp", "publisher", "Session",
           "testhandler", "util", "wsgi"]
