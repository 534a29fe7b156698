from mod_python import apache


def helper(value):
    return 10 // value


def handler(req):
    req.content_type = "text/plain"
    if req.args == "nested":
        return helper(0)
    if req.args == "after_output":
        req.write("partial output\n")
        raise KeyError("after output")
    raise ValueError("a <tag> & \"quotes\"")
