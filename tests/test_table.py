"""Tests for modpy_compat.table: mod_python's ``apache.table`` (``mp_table``)."""
from __future__ import annotations

import copy
import pickle

import pytest

from modpy_compat.table import mp_table, table


def make(*pairs):
    """Build a table by adding *pairs* in order, duplicates kept."""
    t = table()
    for key, value in pairs:
        t.add(key, value)
    return t


class Text(str):
    """A str subclass, like mod_python.util.StringField."""


# -- the type ------------------------------------------------------------------

def test_table_is_mp_table():
    assert table is mp_table
    assert "mp_table" in str(type(table()))
    assert type(table()).__name__ == "mp_table"


def test_subclass_keeps_table_behaviour():
    class Headers(table):
        def first(self, key):
            return self.get(key)

    h = Headers({"A": "1"})
    h.add("a", "2")
    assert isinstance(h, mp_table)
    assert h["a"] == ["1", "2"]
    assert h.first("A") == "1"


def test_subclass_with_own_init_not_calling_super_still_works():
    class Notes(table):
        def __init__(self, owner):
            self.owner = owner

    n = Notes("req")
    n["k"] = "v"
    assert n.owner == "req"
    assert n.items() == [("k", "v")]


# -- construction --------------------------------------------------------------

def test_empty_constructor():
    t = table()
    assert len(t) == 0
    assert t.items() == []


def test_constructor_from_mapping_applies_str():
    t = table({"a": 1, 2: None})
    assert t.items() == [("a", "1"), ("2", "None")]


def test_constructor_from_mapping_uses_keys_and_getitem():
    class Mapping:
        def keys(self):
            return ["X", "Y"]

        def __getitem__(self, key):
            return key.lower()

    assert table(Mapping()).items() == [("X", "x"), ("Y", "y")]


def test_constructor_from_mapping_sets_case_insensitively():
    t = table({"Host": "a", "HOST": "b"})
    assert t.items() == [("Host", "b")]


def test_constructor_from_pairs_applies_str_and_set_semantics():
    t = table([("a", 1), ["B", "x"], ("A", 2)])
    assert t.items() == [("a", "2"), ("B", "x")]


def test_constructor_from_pairs_decodes_bytes_as_latin1():
    t = table([(b"K", b"caf\xe9")])
    assert t.items() == [("K", "caf\u00e9")]


def test_constructor_from_pairs_rejects_non_sequence_item():
    with pytest.raises(TypeError):
        table([("a", "1"), 5])


def test_constructor_from_pairs_rejects_wrong_length_item():
    with pytest.raises(ValueError):
        table([("a", "1", "extra")])
    with pytest.raises(ValueError):
        table([("a",)])


def test_constructor_from_table_collapses_duplicates_last_wins():
    t = table(make(("Set-Cookie", "a=1"), ("X", "y"), ("set-cookie", "b=2")))
    assert t.items() == [("Set-Cookie", "b=2"), ("X", "y")]


def test_from_pairs_unchecked_keeps_every_pair():
    t = table.from_pairs_unchecked([("Accept", "*/*"), ("X-A", "1"), ("x-a", "2")])
    assert t.items() == [("Accept", "*/*"), ("X-A", "1"), ("x-a", "2")]
    assert t["X-a"] == ["1", "2"]
    assert "accept" in t


def test_from_pairs_unchecked_returns_subclass():
    class Headers(table):
        pass

    assert type(Headers.from_pairs_unchecked([("a", "b")])) is Headers


# -- lookup --------------------------------------------------------------------

def test_getitem_is_case_insensitive():
    t = table({"Content-Type": "text/html"})
    assert t["content-type"] == "text/html"
    assert t["CONTENT-TYPE"] == "text/html"


def test_getitem_missing_raises_keyerror_with_key():
    with pytest.raises(KeyError) as info:
        table()["Missing"]
    assert info.value.args == ("Missing",)


def test_getitem_returns_list_for_repeated_keys():
    t = make(("Cookie", "a=1"), ("Other", "x"), ("cookie", "b=2"), ("COOKIE", "c=3"))
    assert t["cookie"] == ["a=1", "b=2", "c=3"]


def test_getitem_accepts_bytes_key():
    assert table({"Host": "h"})[b"host"] == "h"


def test_getitem_accepts_str_subclass_key():
    t = table({"Host": "h"})
    assert t[Text("HOST")] == "h"
    assert Text("host") in t


def test_lookup_with_non_string_key_raises_typeerror():
    t = table({"1": "one"})
    with pytest.raises(TypeError, match="table keys must be strings"):
        t[1]
    with pytest.raises(TypeError, match="table keys must be strings"):
        t.get(None)


def test_contains_is_case_insensitive_and_bool():
    t = table({"Host": "h"})
    assert ("HOST" in t) is True
    assert ("Port" in t) is False


def test_has_key_returns_int():
    t = table({"Host": "h"})
    assert t.has_key("host") == 1
    assert type(t.has_key("host")) is int
    assert t.has_key("port") == 0
    assert type(t.has_key("port")) is int


def test_get_returns_first_value_never_a_list():
    t = make(("Accept", "a"), ("accept", "b"))
    assert t.get("ACCEPT") == "a"


def test_get_missing_returns_default():
    t = table()
    assert t.get("x") is None
    assert t.get("x", "fallback") == "fallback"


def test_len_counts_duplicates():
    assert len(make(("a", "1"), ("A", "2"), ("b", "3"))) == 3


# -- set, add, delete ------------------------------------------------------------

def test_setitem_appends_new_key():
    t = table({"a": "1"})
    t["B"] = "2"
    assert t.items() == [("a", "1"), ("B", "2")]


def test_setitem_keeps_spelling_and_position():
    t = make(("Content-Type", "text/plain"), ("X", "y"))
    t["content-type"] = "text/html"
    assert t.items() == [("Content-Type", "text/html"), ("X", "y")]


def test_setitem_removes_other_entries_with_that_key():
    t = make(("A", "1"), ("b", "x"), ("a", "2"), ("c", "z"), ("A", "3"))
    t["a"] = "new"
    assert t.items() == [("A", "new"), ("b", "x"), ("c", "z")]
    assert t["A"] == "new"
    assert t["c"] == "z"


def test_add_appends_even_when_key_exists():
    t = table({"Set-Cookie": "a=1"})
    t.add("set-cookie", "b=2")
    assert t.items() == [("Set-Cookie", "a=1"), ("set-cookie", "b=2")]
    assert t["Set-Cookie"] == ["a=1", "b=2"]


def test_delitem_removes_every_entry_with_that_key():
    t = make(("A", "1"), ("b", "x"), ("a", "2"))
    del t["A"]
    assert t.items() == [("b", "x")]
    assert "a" not in t
    assert t["B"] == "x"


def test_delitem_absent_key_is_not_an_error():
    t = table({"a": "1"})
    del t["missing"]
    assert t.items() == [("a", "1")]


@pytest.mark.parametrize("key", [1, None, 1.5, ("a",)], ids=["int", "None", "float", "tuple"])
def test_setitem_and_add_reject_non_string_keys(key):
    t = table()
    with pytest.raises(TypeError, match="^table keys must be strings$"):
        t[key] = "v"
    with pytest.raises(TypeError, match="^table keys must be strings$"):
        t.add(key, "v")
    with pytest.raises(TypeError, match="^table keys must be strings$"):
        t.setdefault(key, "v")
    assert len(t) == 0


@pytest.mark.parametrize("value", [1, None, 1.5, ["a"]], ids=["int", "None", "float", "list"])
def test_setitem_and_add_reject_non_string_values(value):
    t = table()
    with pytest.raises(TypeError, match="^table values must be strings$"):
        t["k"] = value
    with pytest.raises(TypeError, match="^table values must be strings$"):
        t.add("k", value)
    with pytest.raises(TypeError, match="^table values must be strings$"):
        t.setdefault("k", value)
    assert len(t) == 0


def test_str_subclass_key_and_value_stored_as_plain_str():
    t = table()
    t[Text("Key")] = Text("value")
    t.add(Text("Other"), Text("v2"))
    for key, value in t.items():
        assert type(key) is str
        assert type(value) is str
    assert t.items() == [("Key", "value"), ("Other", "v2")]


def test_bytes_key_and_value_decoded_as_latin1():
    t = table()
    t[b"X-Name"] = b"\xe9t\xe9"
    t.add(b"X-Other", b"v")
    assert t.items() == [("X-Name", "\u00e9t\u00e9"), ("X-Other", "v")]


def test_setdefault_present_returns_first_value_unchanged():
    t = make(("A", "1"), ("a", "2"))
    assert t.setdefault("a", "other") == "1"
    assert t.items() == [("A", "1"), ("a", "2")]


def test_setdefault_absent_sets_and_returns_default():
    t = table()
    assert t.setdefault("Key", "v") == "v"
    assert t.items() == [("Key", "v")]


def test_setdefault_absent_without_default_uses_empty_string():
    t = table()
    assert t.setdefault("Key") == ""
    assert t.items() == [("Key", "")]


def test_setdefault_present_ignores_non_string_default():
    assert table({"a": "1"}).setdefault("a", None) == "1"


# -- iteration -------------------------------------------------------------------

def test_keys_values_items_in_insertion_order_with_duplicates():
    t = make(("b", "1"), ("A", "2"), ("B", "3"))
    assert t.keys() == ["b", "A", "B"]
    assert t.values() == ["1", "2", "3"]
    assert t.items() == [("b", "1"), ("A", "2"), ("B", "3")]
    assert type(t.keys()) is list
    assert type(t.values()) is list
    assert type(t.items()) is list


def test_iter_and_iter_methods_return_iterators():
    t = make(("b", "1"), ("A", "2"), ("B", "3"))
    assert list(t) == ["b", "A", "B"]
    for it in (iter(t), t.iterkeys(), t.itervalues(), t.iteritems()):
        assert iter(it) is it
    assert list(t.iterkeys()) == ["b", "A", "B"]
    assert list(t.itervalues()) == ["1", "2", "3"]
    assert list(t.iteritems()) == [("b", "1"), ("A", "2"), ("B", "3")]


def test_raw_items_is_the_live_entry_list():
    t = make(("a", "1"), ("A", "2"))
    raw = t._raw_items()
    assert raw == [("a", "1"), ("A", "2")]
    t.add("b", "3")
    assert raw[-1] == ("b", "3")


def test_items_is_a_copy():
    t = table({"a": "1"})
    items = t.items()
    items.append(("b", "2"))
    assert t.items() == [("a", "1")]


@pytest.mark.parametrize("method", ["__iter__", "iterkeys", "itervalues", "iteritems"])
def test_iteration_raises_when_table_grows(method):
    t = table({"a": "1", "b": "2"})
    with pytest.raises(RuntimeError, match="^table changed size during iteration$"):
        for _ in getattr(t, method)():
            t.add("c", "3")


def test_iteration_raises_when_table_shrinks():
    t = table({"a": "1", "b": "2"})
    with pytest.raises(RuntimeError, match="^table changed size during iteration$"):
        for key in t:
            del t[key]


def test_iteration_raises_when_changed_before_first_step():
    t = table({"a": "1"})
    it = iter(t)
    t.add("b", "2")
    with pytest.raises(RuntimeError, match="^table changed size during iteration$"):
        next(it)


def test_iteration_allows_replacing_values():
    t = table({"a": "1", "b": "2"})
    for key in t:
        t[key] = "x"
    assert t.items() == [("a", "x"), ("b", "x")]


# -- update, copy, clear, popitem --------------------------------------------------

def test_update_sets_case_insensitively_and_applies_str():
    t = make(("Host", "a"), ("X", "1"), ("x", "2"))
    t.update({"HOST": "b", "x": 3, "New": "n"})
    assert t.items() == [("Host", "b"), ("X", "3"), ("New", "n")]


def test_update_from_table_collapses_duplicates():
    t = table({"a": "0"})
    t.update(make(("A", "1"), ("b", "2"), ("a", "3")))
    assert t.items() == [("a", "3"), ("b", "2")]


def test_update_none_raises_attributeerror():
    with pytest.raises(AttributeError):
        table().update(None)


def test_update_propagates_mapping_errors():
    class Broken:
        def keys(self):
            return ["a"]

        def __getitem__(self, key):
            raise LookupError("boom")

    with pytest.raises(LookupError, match="boom"):
        table().update(Broken())


def test_copy_collapses_duplicates_last_wins():
    t = make(("Accept", "a"), ("X", "x"), ("accept", "b"))
    c = t.copy()
    assert c.items() == [("Accept", "b"), ("X", "x")]
    assert t.items() == [("Accept", "a"), ("X", "x"), ("accept", "b")]


def test_copy_is_independent_and_same_class():
    class Headers(table):
        pass

    h = Headers({"a": "1"})
    c = h.copy()
    c["a"] = "2"
    c.add("b", "3")
    assert type(c) is Headers
    assert h.items() == [("a", "1")]


def test_copy_module_keeps_duplicates_and_is_independent():
    t = make(("a", "1"), ("A", "2"))
    for c in (copy.copy(t), copy.deepcopy(t), pickle.loads(pickle.dumps(t))):
        assert type(c) is mp_table
        assert c.items() == [("a", "1"), ("A", "2")]
        c["a"] = "x"
        assert t.items() == [("a", "1"), ("A", "2")]


def test_clear_removes_everything():
    t = make(("a", "1"), ("A", "2"))
    t.clear()
    assert len(t) == 0
    assert "a" not in t
    t["a"] = "3"
    assert t.items() == [("a", "3")]


def test_popitem_removes_and_returns_first_entry():
    t = make(("a", "1"), ("b", "2"), ("A", "3"))
    assert t.popitem() == ("a", "1")
    assert t.items() == [("b", "2"), ("A", "3")]
    assert t["a"] == "3"


def test_popitem_empty_raises_keyerror():
    with pytest.raises(KeyError) as info:
        table().popitem()
    assert info.value.args == ("popitem(): table is empty",)


# -- comparison, repr, hash ----------------------------------------------------------

def test_equals_dict_with_same_content():
    t = table({"testing": "123"})
    assert t == {"testing": "123"}
    assert {"testing": "123"} == t
    assert not t != {"testing": "123"}
    assert t != {"testing": "456"}


def test_equality_uses_key_spelling_like_dict_conversion():
    assert table({"Host": "h"}) != {"host": "h"}


def test_equals_table_with_same_content():
    assert table({"a": "1", "b": "2"}) == table([("a", "1"), ("b", "2")])
    assert table({"a": "1"}) != table({"a": "2"})


def test_duplicates_compare_as_list_values():
    assert make(("a", "1"), ("a", "2")) == {"a": ["1", "2"]}


def test_compare_with_non_mapping():
    t = table()
    assert (t == 5) is False
    assert (t != 5) is True
    assert t.__eq__(5) is NotImplemented


def test_ordering_raises_typeerror_as_for_dicts():
    with pytest.raises(TypeError):
        table() < table()


def test_repr_lists_entries_in_reverse_insertion_order():
    t = make(("a", "1"), ("B", "2"), ("a", "3"))
    assert repr(t) == "{'a': '3', 'B': '2', 'a': '1'}"
    assert repr(table()) == "{}"


def test_hash_raises_typeerror():
    with pytest.raises(TypeError, match="^mp_table objects are unhashable$"):
        hash(table())
