def index(req):
    return "other index"
