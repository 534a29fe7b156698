from mod_python import apache


def handler(req):
    return int(req.args)
