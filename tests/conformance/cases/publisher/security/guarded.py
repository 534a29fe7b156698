import os
from html import escape

_private = "never"
__dunder = "never either"
length = len
numbers = [1, 2, 3]
mapping = {"a": 1}


def _hidden(req):
    return "hidden function"


def visible(req):
    return "visible"


class Klass:
    def method(self, req):
        return "method of a class"


class _Obj:
    attr = "attribute"

    def _priv(self, req):
        return "private method"


obj = _Obj()
