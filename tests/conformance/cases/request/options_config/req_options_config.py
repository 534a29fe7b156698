from mod_python import apache


def handler(req):
    req.content_type = "text/plain"
    options = req.get_options()
    req.write("options=%r\n" % sorted(options.items()))
    req.write("get(mixedcase)=%r\n" % options.get("mixedcase"))
    config = req.get_config()
    req.write("config=%r\n" % sorted(config.items()))
    req.write("server options=%r\n" % sorted(req.server.get_options().items()))
    return apache.OK
