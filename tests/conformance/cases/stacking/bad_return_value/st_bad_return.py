from mod_python import apache


def handler(req):
    if "none" in (req.args or ""):
        return None
    if "bool" in (req.args or ""):
        return True
    return "a string"
