"""``apache.table`` as requests use it: ``headers_in``, ``headers_out``, options (reference §3).

The table itself is pinned case by case in tests/test_table.py; here its
behaviour is checked where handlers meet it, through real requests.
"""
from __future__ import annotations


def test_repeated_request_headers_arrive_joined_as_wsgi_hands_them(probe):
    # WSGI joins repeated headers with ", "; mod_python would have had two entries.
    assert probe.eval("req.headers_in['X-Rep']", environ={"HTTP_X_REP": "a, b"}) == "'a, b'"


def test_header_lookup_is_case_insensitive_and_keeps_the_spelling(probe):
    assert probe.eval("(req.headers_in['x-custom'], 'X-CUSTOM' in req.headers_in, "
                      "req.headers_in.has_key('x-custom'), [k for k in req.headers_in if k.lower() == "
                      "'x-custom'])", headers={"X-Custom": "v"}) == "('v', True, 1, ['X-Custom'])"


def test_added_response_headers_are_all_sent_and_set_replaces(probe):
    response = probe.response("req.headers_out.add('X-Multi', '1')\nreq.headers_out.add('x-multi', '2')\n"
                              "req.headers_out['X-One'] = 'a'\nreq.headers_out['x-one'] = 'b'\n"
                              "out = req.headers_out['X-MULTI']")
    assert response.headers.getall("X-Multi") == ["1", "2"]
    assert response.headers.getall("X-One") == ["b"]
    assert response.headers["X-Out"] == "['1', '2']"


def test_table_values_must_be_strings(probe):
    assert probe.run("try:\n    req.headers_out['X'] = 5\nexcept TypeError as e:\n    out = str(e)") == \
        "'table values must be strings'"


def test_table_repr_lists_entries_last_first_and_copy_collapses(probe):
    assert probe.eval("(lambda t: (t.add('a', '1'), t.add('b', '2'), t.add('A', '3'), repr(t), "
                      "dict(t.copy()), t.get('a'), t['a'], t.setdefault('c'), len(t), t.popitem()))"
                      "(apache.table())[3:]") == \
        "(\"{'A': '3', 'b': '2', 'a': '1'}\", {'a': '3', 'b': '2'}, '1', ['1', '3'], '', 4, ('a', '1'))"


def test_table_equals_a_dict_and_is_unhashable(probe):
    assert probe.eval("(req.get_options() == {'opt1': 'v1'}, req.get_options() == apache.table({'opt1': 'v1'}))") \
        == "(True, True)"
    assert probe.run("try:\n    hash(req.notes)\nexcept TypeError as e:\n    out = str(e)") == \
        "'mp_table objects are unhashable'"


def test_deleting_a_missing_key_is_not_an_error_and_iteration_guards_size(probe):
    assert probe.run("t = apache.table({'a': '1'})\ndel t['zz']\ntry:\n    for k in t:\n"
                     "        t.add('b', '2')\nexcept RuntimeError as e:\n    out = str(e)") == \
        "'table changed size during iteration'"
