"""Module functions, index, nested objects, dots in the path."""


def index(req):
    return "pages index"


def hello(req):
    return "hello from pages"


class _Deep:
    def show(self, req):
        return "deep show"

    def __str__(self):
        return "a _Deep instance"


class _Thing:
    label = "thing label"
    deep = _Deep()

    def method(self, req):
        return "thing method"


thing = _Thing()
