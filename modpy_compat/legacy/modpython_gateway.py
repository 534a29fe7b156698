"""``modpython_gateway``: the classic WSGI gateway for mod_python, as legacy configurations name it.

::

    <Location /app>
        SetHandler python-program
        PythonHandler modpython_gateway::handler
        PythonOption wsgi.application myapp.wsgi::application
        PythonOption SCRIPT_NAME /app
        PythonOption wsgi.startup myapp.setup::startup
        PythonOption wsgi.cleanup myapp.setup::shutdown
    </Location>

The names are those of Robert Brewer's module (``handler``, ``Handler``,
``InputWrapper``, ``ErrorWrapper``); the behaviour lives in
:mod:`modpy_compat.handlers.wsgi`.  Differences are listed in docs/handlers.md.
"""
from modpy_compat.handlers.wsgi import ErrorWrapper, InputWrapper  # noqa: F401 - the module's names
from modpy_compat.handlers.wsgi import GatewayHandler as Handler  # noqa: F401
from modpy_compat.handlers.wsgi import gateway_handler as handler  # noqa: F401

__all__ = ["handler", "Handler", "InputWrapper", "ErrorWrapper"]
