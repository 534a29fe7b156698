import os

from mod_python import apache


def handler(req):
    req.content_type = "text/plain"
    path = os.path.join(os.path.dirname(__file__), "data.txt")
    if req.args == "part":
        n = req.sendfile(path, 7, 6)
    elif req.args == "missing":
        try:
            req.sendfile(path + ".nope")
        except IOError as exc:
            req.write("IOError: %s\n" % exc)
            return apache.OK
    else:
        n = req.sendfile(path)
    req.write("\nsent %r\n" % n)
    return apache.OK
