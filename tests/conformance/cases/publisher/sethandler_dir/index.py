def index(req):
    return "setp index"


def hello(req):
    return "setp hello"
