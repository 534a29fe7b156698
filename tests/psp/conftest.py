"""Helpers for the PSP tests: a minimal request object and a page writer."""
from __future__ import annotations

import os

import pytest


class StubRequest:
    """Just enough of ``req`` for running a PSP program outside the gateway."""

    def __init__(self, filename=None, options=None, document_root="/"):
        self.filename = filename
        self.content_type = None
        self.writes = []            # (data, flush) in call order
        self.flushed = 0
        self._options = dict(options or {})
        self._document_root = document_root

    def write(self, data, flush=1):
        self.writes.append((data, flush))

    def flush(self):
        self.flushed += 1

    def get_options(self):
        return self._options

    def get_config(self):
        return {}

    def document_root(self):
        return self._document_root

    @property
    def body(self):
        return "".join(data if isinstance(data, str) else data.decode() for data, _ in self.writes)


def run_program(source, **names):
    """Run a generated program with a stub ``req``; returns (output, None) or (None, exception class)."""
    req = StubRequest()
    scope = dict(names, req=req)
    try:
        exec(compile(source, "page.psp", "exec", dont_inherit=True), scope)
    except Exception as exc:
        return None, type(exc)
    return req.body, None


@pytest.fixture
def pages(tmp_path):
    """Write PSP files: ``pages({"a.psp": text})``; returns the directory (str, no trailing slash)."""
    def write(files):
        for name, text in files.items():
            path = tmp_path / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(text, bytes):
                path.write_bytes(text)
            else:
                with open(path, "w", encoding="utf-8", newline="") as fh:
                    fh.write(text)
        return str(tmp_path)
    return write


def bump_mtime(path, seconds=10):
    """Move a file's mtime forward so caches see a change even within one clock tick."""
    info = os.stat(path)
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns + seconds * 1_000_000_000))
