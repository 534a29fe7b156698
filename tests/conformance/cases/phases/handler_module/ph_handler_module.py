"""PythonHandlerModule: every phase whose function exists runs; missing ones are skipped."""
from mod_python import apache


def fixuphandler(req):
    req.notes["fixup"] = "ran"
    return apache.OK


def handler(req):
    req.content_type = "text/plain"
    req.write("fixup=%s phase=%s\n" % (req.notes.get("fixup"), req.phase))
    return apache.OK
