def index(req):
    return "sub index"
