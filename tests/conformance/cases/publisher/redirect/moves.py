from mod_python import util


def away(req):
    util.redirect(req, "/elsewhere")


def permanent(req):
    util.redirect(req, "target", permanent=1)


def target(req):
    return "target reached"
