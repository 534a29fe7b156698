"""``make_app`` without a configuration file: a document root and one handler."""
from __future__ import annotations

import pytest

from modpy_compat import make_app
from tests.conftest import Client, write_files


def test_document_root_and_handler_shortcut_serves_the_handler(tmp_path):
    write_files(tmp_path, {"app/hello.py": """
        from mod_python import apache
        def handler(req):
            req.content_type = "text/plain"
            req.write("hi from %s" % req.uri)
            return apache.OK
    """})
    client = Client(make_app(document_root=str(tmp_path / "app"), handler="hello"))
    r = client.get("/anything/here")
    assert r.status == "200 OK"
    assert r.headers["Content-Type"] == "text/plain"
    assert r.body == b"hi from /anything/here"


def test_document_root_alone_serves_static_files(tmp_path):
    write_files(tmp_path, {"site/a.txt": "text file\n"})
    client = Client(make_app(document_root=str(tmp_path / "site")), lint=False)
    r = client.get("/a.txt")
    assert r.status == "200 OK"
    assert r.headers["Content-Type"] == "text/plain"
    assert r.body == b"text file\n"


def test_make_app_needs_a_configuration_or_a_document_root():
    with pytest.raises(TypeError):
        make_app()
