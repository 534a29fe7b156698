"""``modpy_compat.testing``: make_client, and the plugin's options in a suite of its own."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

from modpy_compat.testing import TestClient, make_client
from tests.conftest import require

COOKIE_SITE = """\
    DocumentRoot htdocs
    <Directory htdocs>
        SetHandler mod_python
        PythonHandler counter
    </Directory>
"""
COUNTER = """\
    from mod_python import apache, Cookie
    def handler(req):
        cookies = Cookie.get_cookies(req)
        visits = int(cookies["visits"].value) + 1 if "visits" in cookies else 1
        Cookie.add_cookie(req, "visits", str(visits), path="/")
        req.content_type = "text/plain"
        req.write("visit %d from %s" % (visits, req.connection.remote_ip))
        return apache.OK
"""


def _site(root):
    (root / "htdocs").mkdir()
    (root / "htdocs" / "counter.py").write_text(textwrap.dedent(COUNTER))
    (root / "site.conf").write_text(textwrap.dedent(COOKIE_SITE))
    return str(root / "site.conf")


def test_make_client_keeps_cookies_between_requests(tmp_path):
    client = make_client(_site(tmp_path))
    assert isinstance(client, TestClient)
    assert client.get("/").text == "visit 1 from 127.0.0.1"
    assert client.get("/").text == "visit 2 from 127.0.0.1"
    client.reset()
    assert client.get("/").text == "visit 1 from 127.0.0.1"


def test_make_client_passes_the_make_app_options(tmp_path):
    (tmp_path / "files").mkdir()
    (tmp_path / "files" / "a.txt").write_text("A\n")
    client = make_client(document_root=str(tmp_path / "files"),
                         extra_environ={"REMOTE_ADDR": "10.0.0.1"})
    assert client.get("/a.txt").text == "A\n"
    assert client.extra_environ["REMOTE_ADDR"] == "10.0.0.1"
    assert client.get("/missing", status=404).status_int == 404


def _registered():
    from importlib.metadata import entry_points
    found = entry_points()
    group = found.select(group="pytest11") if hasattr(found, "select") else found.get("pytest11", [])
    return any((ep.name, ep.value) == ("modpy_compat", "modpy_compat.testing") for ep in group)


def test_plugin_is_registered_through_the_pytest11_entry_point():
    require(_registered(), "the modpy_compat pytest11 entry point (pip install -e .)")


USER_TEST = """\
    def test_counter(modpy_client):
        assert modpy_client.get("/").text == "visit 1 from 127.0.0.1"
        assert modpy_client.get("/").text == "visit 2 from 127.0.0.1"

    def test_fresh_client_per_test(modpy_client, modpy_app):
        assert modpy_client.app is modpy_app
        assert "visits" not in modpy_client.cookies
"""


def _run_pytest(args, cwd):
    env = {k: v for k, v in os.environ.items() if k not in ("PYTEST_ADDOPTS", "PYTEST_PLUGINS")}
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"] + args,
                          capture_output=True, text=True, timeout=120, cwd=str(cwd), env=env)


@pytest.fixture
def user_suite(tmp_path):
    """A user's project: site/site.conf and tests/test_site.py."""
    require(_registered(), "the modpy_compat pytest11 entry point (pip install -e .)")
    (tmp_path / "site").mkdir()
    _site(tmp_path / "site")
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_site.py").write_text(textwrap.dedent(USER_TEST))
    return tmp_path


def test_ini_option_names_the_configuration_relative_to_the_ini_file(user_suite, tmp_path):
    (user_suite / "pytest.ini").write_text("[pytest]\nmodpy_config = site/site.conf\n")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = _run_pytest([str(user_suite / "tests")], cwd=elsewhere)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 passed" in result.stdout


def test_command_line_option_is_relative_to_where_pytest_starts(user_suite):
    (user_suite / "pytest.ini").write_text("[pytest]\n")
    result = _run_pytest(["--modpy-config", os.path.join("site", "site.conf"), "tests"], cwd=user_suite)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 passed" in result.stdout


def test_without_a_configuration_the_fixture_says_how_to_give_one(user_suite):
    (user_suite / "pytest.ini").write_text("[pytest]\n")
    result = _run_pytest(["tests"], cwd=user_suite)
    assert result.returncode == 1
    assert "2 errors" in result.stdout
    assert ("no configuration for modpy_app: pass --modpy-config FILE, set 'modpy_config = FILE' in "
            "the pytest ini file, or define a 'modpy_config' fixture returning the path") in result.stdout
