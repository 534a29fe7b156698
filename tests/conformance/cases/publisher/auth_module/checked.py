def __auth__(req, user, passwd):
    return user == "carol" and passwd == "pw"


def page(req):
    return "checked page for %s" % req.user
