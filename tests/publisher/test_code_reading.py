"""Reading ``__auth__``/``__access__``/``__auth_realm__`` out of a function body.

The publisher finds them in the function's bytecode without running it; the
bytecode differs between Python 3.9 and 3.13, the results must not.
"""
from __future__ import annotations

import textwrap

import pytest

from modpy_compat.handlers.publisher import _function_checks

REFUSED = False   # what a value computed at run time becomes

CASES = [
    ('__auth_realm__ = "Realm"', {"__auth_realm__": "Realm"}),
    ("__auth__ = 0", {"__auth__": 0}),
    ("__access__ = None", {"__access__": None}),
    ('__access__ = ["a"]', {"__access__": ["a"]}),
    ('__access__ = ["a", "b", "c"]', {"__access__": ["a", "b", "c"]}),
    ('__access__ = ("a", ("b", "c"))', {"__access__": ("a", ("b", "c"))}),
    ('__access__ = {"a", "b", "c"}', {"__access__": {"a", "b", "c"}}),
    ('__auth__ = {"k": "v"}', {"__auth__": {"k": "v"}}),
    ('__auth__ = {"k": "v", "k2": "v2", "k3": "v3"}', {"__auth__": {"k": "v", "k2": "v2", "k3": "v3"}}),
    ('__auth__ = {"k": "v", **{"k2": "v2"}}', {"__auth__": {"k": "v", "k2": "v2"}}),
    ('__access__ = {("a",), ["b"]}', {"__access__": REFUSED}),    # unhashable: fails when run
    ("__auth__ = USERS", {"__auth__": {"g": "h"}}),                 # a module-level name
    ("__auth__ = len", {"__auth__": len}),                          # a builtin
    ("__access__ = __auth__ = 1", {"__access__": 1, "__auth__": 1}),
    ("__auth__ = 1\n__auth__ = 0", {"__auth__": 1}),                # the first assignment counts
    ("__auth__ = make()", {"__auth__": REFUSED}),
    ('__access__ = ["a", USERS]', {"__access__": REFUSED}),
    ("__auth__ = {**USERS}", {"__auth__": REFUSED}),
    ("__access__ = (*LIST,)", {"__access__": REFUSED}),
    ("__auth__, __access__ = 1, 1", {"__auth__": REFUSED, "__access__": REFUSED}),
    ("for __access__ in LIST:\n    pass", {"__access__": REFUSED}),
    ("__access__ = MISSING", {"__access__": REFUSED}),
    ('__auth_realm__ = make()', {}),                                # an unknown realm is ignored
    ("x = __auth__", {}),                                           # read, not assigned
    ("def helper():\n    __auth__ = 0", {}),                        # inside a nested function
]


def _function(body):
    source = ("USERS = {'g': 'h'}\nLIST = ['a']\n\ndef make():\n    return 1\n\n"
              "def target(req):\n%s\n    return 'x'\n" % textwrap.indent(body, "    "))
    scope = {}
    exec(compile(source, "<page>", "exec"), scope)
    return scope["target"]


class Req:
    def __init__(self):
        self.logged = []

    def log_error(self, message, level=None):
        self.logged.append(message)


@pytest.mark.parametrize("body, expected", CASES, ids=[c[0].replace("\n", "; ") for c in CASES])
def test_value_found(body, expected):
    req = Req()
    assert _function_checks(req, _function(body)) == expected
    refused = [name for name, value in expected.items() if value is REFUSED and name != "__auth_realm__"]
    assert len(req.logged) == len(refused)


def test_nested_definitions_become_functions_over_the_module_globals():
    target = _function(
        "def __auth__(req, user, passwd, expected='pw', *, scheme='Basic'):\n"
        "    return (passwd == expected, scheme, USERS)\n"
        "def __access__(req, user):\n"
        "    return user\n")
    found = _function_checks(Req(), target)
    assert found["__auth__"](None, "u", "pw") == (True, "Basic", {"g": "h"})
    assert found["__access__"](None, "bob") == "bob"


def test_nested_definition_cannot_see_outer_variables():
    target = _function("secret = 'pw'\ndef __auth__(req, user, passwd):\n    return passwd == secret\n")
    with pytest.raises(NameError):
        _function_checks(Req(), target)["__auth__"](None, "u", "pw")
