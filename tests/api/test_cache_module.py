"""``mod_python.cache``: the generic caches mod_python ships (reference §18)."""
from __future__ import annotations

import gc
import os

import modpy_compat  # noqa: F401 - makes mod_python importable
from mod_python import cache


class Squares(cache.Cache):
    def __init__(self, max_size=0):
        super().__init__(max_size)
        self.built = []

    def build(self, key, name, opened, entry):
        self.built.append(name)
        return name * name


def test_cache_builds_once_and_keeps_the_value():
    squares = Squares()
    assert (squares[3], squares[3], squares.built) == (9, 9, [3])
    squares[3] = "set"
    assert squares[3] == "set"
    del squares[3]
    assert (squares[3], squares.built) == (9, [3, 3])
    squares.clear()
    assert (squares.mru(), squares.lru()) == (None, None)


def test_cache_with_max_size_drops_the_least_recently_used():
    squares = Squares(max_size=2)
    squares[1], squares[2]
    squares[1]
    squares[3]
    assert (squares.mru(), squares.lru()) == (3, 1)
    squares[2]
    assert squares.built == [1, 2, 3, 2]


def test_file_cache_rereads_a_changed_file(tmp_path):
    path = tmp_path / "f.txt"
    path.write_bytes(b"one")
    files = cache.FileCache()
    assert files[str(path)] == b"one"
    path.write_bytes(b"two")
    os.utime(str(path), (1, 1))
    assert files[str(path)] == b"two"
    assert cache.FileCache(mode="r")[str(path)] == "two"


def test_module_cache_executes_the_file_outside_sys_modules(tmp_path):
    import sys
    path = tmp_path / "page.py"
    path.write_text("VALUE = 41 + 1\n")
    module = cache.ModuleCache()[str(path)]
    assert (module.VALUE, module.__file__, module.__name__ in sys.modules) == (42, str(path), False)


def test_function_cache_memoizes():
    calls = []
    add = cache.FunctionCache(lambda a, b=0: calls.append((a, b)) or a + b)
    assert (add(1, b=2), add(1, b=2), add(2), calls) == (3, 3, 2, [(1, 2), (2, 0)])


def test_weak_cache_forgets_values_nobody_holds():
    class Value:
        pass

    class Weak(cache.WeakCache):
        def build(self, key, name, opened, entry):
            return Value()
    weak = Weak()
    first = weak["a"]
    assert weak["a"] is first
    del first
    gc.collect()
    assert "a" not in weak._dict


def test_http_entity_and_rfc822_time():
    entity = cache.HTTPEntity(b"body", {"ETag": '"x"'})
    assert (str(entity), repr(entity)) == ("body", "HTTPEntity(b'body', {'ETag': '\"x\"'})")
    assert cache.parseRFC822Time("Thu, 01 Jan 1970 00:01:40 GMT") == 100
    assert cache.NOT_INITIALIZED is not None and issubclass(cache.HttpModuleCache, cache.HTTPCache)
