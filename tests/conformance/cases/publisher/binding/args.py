def greet(req, who="world"):
    return "hello %s" % who


def needs(name):
    return "got %s" % name


def no_req():
    return "no arguments at all"


def everything(req, **fields):
    return "; ".join("%s=%r" % (k, fields[k]) for k in sorted(fields))


def form_type(req):
    return "%s %r" % (type(req.form).__name__, sorted(req.form.keys()))


def method(req):
    return "method %s" % req.method
