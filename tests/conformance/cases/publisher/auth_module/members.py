__auth_realm__ = "Members"
__auth__ = {"alice": "wonder", "bob": "builder"}
__access__ = ["alice"]


def page(req):
    return "members page for %s" % req.user
