"""Testing mod_python applications without Apache: a WebTest client and a pytest plugin.

In any test suite::

    from modpy_compat.testing import make_client

    client = make_client("site.conf")
    response = client.get("/app/index.py/say?what=hi")
    assert response.text == "hi"

With pytest the plugin (registered as ``modpy_compat`` through the
``pytest11`` entry point; disable it with ``-p no:modpy_compat``) provides:

* ``modpy_config``: the configuration file, from ``--modpy-config FILE`` on
  the command line (relative to where pytest was started) or
  ``modpy_config = FILE`` in the pytest ini file (relative to that file);
  override the fixture to choose it in code;
* ``modpy_app``: the :class:`~modpy_compat.gateway.Gateway` for it (handler
  modules imported, as ``serve`` does), built for each test;
* ``modpy_client``: a :class:`TestClient` on ``modpy_app``; cookies persist
  within a test.

``TestClient`` is a :class:`webtest.TestApp`: ``get``, ``post``,
``response.follow()``, forms, ``status=`` and ``expect_errors=`` behave as
WebTest documents.  WebTest is needed for the client (``pip install
webtest``); loading the plugin without it is harmless.  See docs/testing.md.
"""
from __future__ import annotations

import os

__all__ = ["make_client", "TestClient"]

# What a client sends unless a test says otherwise: a local client, as
# "Require local" and "Require ip 127.0.0.1" expect.
DEFAULT_ENVIRON = {"REMOTE_ADDR": "127.0.0.1"}


def make_client(config=None, *, document_root=None, handler=None, debug=False, defines=(),
                extra_environ=None, **options):
    """A :class:`TestClient` for the application ``config`` describes.

    The parameters are those of :func:`modpy_compat.make_app`;
    ``extra_environ`` is added to every request's environ (WebTest's
    parameter), ``options`` go to :class:`webtest.TestApp`.

    :raises modpy_compat.errors.ConfigError: naming the file and line at fault.
    :raises modpy_compat.errors.HandlerImportError: when a configured handler does not import.
    """
    from modpy_compat import make_app
    app = make_app(config, document_root=document_root, handler=handler, debug=debug,
                   defines=defines)
    return _client_class()(app, extra_environ=extra_environ, **options)


def _client_class():
    # Built on first use so that loading the pytest plugin never needs WebTest.
    cls = globals().get("TestClient")
    if cls is not None:
        return cls
    import webtest

    class TestClient(webtest.TestApp):
        """A WebTest client for a modpy_compat application.

        Unlike a bare :class:`webtest.TestApp` it does not lint responses
        (a response without Content-Type is legal: Apache sends such ones)
        and requests come from 127.0.0.1.  ``client.app`` is the gateway.
        """

        __test__ = False    # not a test class, whatever pytest thinks of the name

        def __init__(self, app, extra_environ=None, **options):
            environ = dict(DEFAULT_ENVIRON)
            environ.update(extra_environ or {})
            options.setdefault("lint", False)
            super().__init__(app, extra_environ=environ, **options)

    TestClient.__module__, TestClient.__qualname__ = __name__, "TestClient"
    globals()["TestClient"] = TestClient
    return TestClient


def __getattr__(name):
    if name == "TestClient":
        return _client_class()
    raise AttributeError("module %r has no attribute %r" % (__name__, name))


# -- the pytest plugin ----------------------------------------------------------------

try:
    import pytest
except ImportError:  # modpy_compat.testing without pytest: make_client only
    pytest = None

if pytest is not None:

    def pytest_addoption(parser):
        group = parser.getgroup("modpy_compat", "modpy_compat (mod_python applications)")
        group.addoption("--modpy-config", metavar="FILE", default=None,
                        help="the Apache configuration the modpy_app and modpy_client fixtures serve")
        parser.addini("modpy_config", "the Apache configuration the modpy_app and modpy_client "
                      "fixtures serve (relative to this ini file)", default=None)

    @pytest.fixture
    def modpy_config(request):
        """The configuration file the ``modpy_app`` fixture serves (override to choose it in code)."""
        config = request.config
        value = config.getoption("modpy_config", default=None)
        if value:
            return os.path.join(str(config.invocation_params.dir), value)
        value = config.getini("modpy_config")
        if value:
            base = config.inipath.parent if config.inipath else config.rootpath
            return os.path.join(str(base), value)
        pytest.fail("no configuration for modpy_app: pass --modpy-config FILE, set "
                    "'modpy_config = FILE' in the pytest ini file, or define a 'modpy_config' "
                    "fixture returning the path", pytrace=False)

    @pytest.fixture
    def modpy_app(modpy_config):
        """The WSGI application (:class:`~modpy_compat.gateway.Gateway`) for ``modpy_config``."""
        from modpy_compat import make_app
        return make_app(os.fspath(modpy_config))

    @pytest.fixture
    def modpy_client(modpy_app):
        """A :class:`TestClient` on ``modpy_app``: WebTest's get/post/follow, cookies kept."""
        return _client_class()(modpy_app)
