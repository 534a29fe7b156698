def hello(req):
    return "thing hello via %s" % req.extension
