"""Scenario 4: a 10 kB urlencoded POST read with mod_python.util.FieldStorage."""
from mod_python import apache, util


def handler(req):
    form = util.FieldStorage(req)
    names = form.keys()
    size = sum(len(form.getfirst(name)) for name in names)
    req.content_type = "text/plain"
    req.write("%d fields, %d bytes\n" % (len(names), size))
    return apache.OK
