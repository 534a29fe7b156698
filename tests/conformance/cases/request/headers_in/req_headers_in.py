from mod_python import apache


def handler(req):
    req.content_type = "text/plain"
    h = req.headers_in
    for name in ("X-Single", "x-single", "X-Repeated", "X-Empty", "Cookie", "X-Missing"):
        req.write("get(%s)=%r\n" % (name, h.get(name)))
    req.write("in=%r %r\n" % ("X-SINGLE" in h, "X-Missing" in h))
    req.write("keys=%r\n" % sorted(k for k in h.keys() if k.lower().startswith("x-")))
    req.write("items=%r\n" % sorted((k, v) for k, v in h.items() if k.lower().startswith("x-")))
    try:
        req.write("index=%r\n" % h["X-Missing"])
    except KeyError as exc:
        req.write("KeyError %s\n" % exc)
    req.write("type=%s\n" % type(h).__name__)
    return apache.OK
