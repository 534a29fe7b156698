def handler(req):
    raise RuntimeError("debug shows this")
