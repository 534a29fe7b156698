def index(req):
    return "directory index module"


def other(req):
    return "index.py other"
