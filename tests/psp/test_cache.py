"""The compiled-page cache: parsed once per process, recompiled when a file it was made from changes."""
from __future__ import annotations

import threading

import pytest

from modpy_compat.psp import codegen
from modpy_compat.psp.cache import PageCache
from tests.psp.conftest import bump_mtime


def test_page_compiled_once(pages):
    root = pages({"a.psp": "A<%= 1 %>"})
    cache = PageCache()
    first = cache.get_file(root + "/a.psp")
    assert cache.get_file(root + "/a.psp") is first
    assert cache.compiles == 1


def test_page_recompiled_when_it_changes(pages):
    root = pages({"a.psp": "A"})
    cache = PageCache()
    first = cache.get_file(root + "/a.psp")
    pages({"a.psp": "B"})
    bump_mtime(root + "/a.psp")
    second = cache.get_file(root + "/a.psp")
    assert second is not first
    assert second.program.source == 'req.write("""B""",0)\n'
    assert cache.compiles == 2


def test_same_mtime_different_size_is_a_change(pages):
    root = pages({"a.psp": "A"})
    cache = PageCache()
    cache.get_file(root + "/a.psp")
    stamp = cache.get_file(root + "/a.psp").program.stamps[root + "/a.psp"]
    pages({"a.psp": "longer"})
    import os
    os.utime(root + "/a.psp", ns=(stamp[0], stamp[0]))
    assert cache.get_file(root + "/a.psp").program.source == 'req.write("""longer""",0)\n'


@pytest.mark.parametrize("changed", ["inc.psp", "sub/deep.psp"])
def test_page_recompiled_when_an_included_file_changes(pages, changed):
    root = pages({"a.psp": '<%@ include file="inc.psp" %>', "inc.psp": 'I<%@ include file="sub/deep.psp" %>',
                  "sub/deep.psp": "D"})
    cache = PageCache()
    assert cache.get_file(root + "/a.psp").program.source == 'req.write("""ID""",0)\n'
    pages({changed: "X"})
    bump_mtime(root + "/" + changed)
    expected = 'req.write("""X""",0)\n' if changed == "inc.psp" else 'req.write("""IX""",0)\n'
    assert cache.get_file(root + "/a.psp").program.source == expected
    assert cache.compiles == 2


def test_deleted_include_forces_recompile_and_reports_it(pages):
    root = pages({"a.psp": '<%@ include file="inc.psp" %>', "inc.psp": "I"})
    cache = PageCache()
    cache.get_file(root + "/a.psp")
    import os
    os.remove(root + "/inc.psp")
    with pytest.raises(OSError):
        cache.get_file(root + "/a.psp")


def test_broken_page_is_not_cached(pages):
    root = pages({"a.psp": "<%= x"})
    cache = PageCache()
    for _ in range(2):
        with pytest.raises(SyntaxError):
            cache.get_file(root + "/a.psp")
    assert cache.compiles == 0


def test_string_pages_cached_by_text():
    cache = PageCache()
    first = cache.get_string("x<%= 1 %>")
    assert cache.get_string("x<%= 1 %>") is first
    assert cache.get_string(b"x<%= 1 %>") is not first
    assert cache.compiles == 2


def test_eviction_keeps_the_recently_used(pages):
    root = pages({"p%d.psp" % i: str(i) for i in range(6)})
    cache = PageCache(size=4)
    for i in range(4):
        cache.get_file(root + "/p%d.psp" % i)
    cache.get_file(root + "/p0.psp")        # p0 is now the most recently used
    cache.get_file(root + "/p4.psp")        # over size: drop down to 3, least recently used first
    kept = sorted(key[0].rsplit("/", 1)[1] for key in cache._files)
    assert kept == ["p0.psp", "p3.psp", "p4.psp"]


def test_concurrent_requests_compile_a_page_once(pages, monkeypatch):
    root = pages({"a.psp": "A" * 1000 + "<%= 1 %>"})
    cache = PageCache()
    started = threading.Barrier(8)
    original = codegen.generate_file
    calls = []

    def slow_generate(*args, **kwargs):
        calls.append(1)
        return original(*args, **kwargs)
    monkeypatch.setattr(codegen, "generate_file", slow_generate)
    results = []

    def worker():
        started.wait()
        results.append(cache.get_file(root + "/a.psp"))
    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(calls) == 1 and cache.compiles == 1
    assert len(set(map(id, results))) == 1
    assert cache._compiling == {}


def test_compiling_one_page_does_not_hold_up_another(pages, monkeypatch):
    root = pages({"slow.psp": "S", "fast.psp": "F"})
    cache = PageCache()
    entered, release = threading.Event(), threading.Event()
    original = codegen.generate_file

    def generate(path, *args, **kwargs):
        if path.endswith("slow.psp"):
            entered.set()
            release.wait(5)
        return original(path, *args, **kwargs)
    monkeypatch.setattr(codegen, "generate_file", generate)
    thread = threading.Thread(target=cache.get_file, args=(root + "/slow.psp",))
    thread.start()
    try:
        assert entered.wait(5)
        assert cache.get_file(root + "/fast.psp").program.source == 'req.write("""F""",0)\n'
    finally:
        release.set()
        thread.join()
