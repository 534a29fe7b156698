"""Top-level modules legacy configurations name that never belonged to mod_python.

``import modpython_gateway`` resolves to :mod:`modpy_compat.legacy.modpython_gateway`
once :mod:`modpy_compat` is imported, unless a module of that name is on ``sys.path``
(see :func:`modpy_compat.loader.install_legacy_namespace`).
"""
