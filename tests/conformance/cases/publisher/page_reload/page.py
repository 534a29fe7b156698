def show(req):
    return "page version 1"
