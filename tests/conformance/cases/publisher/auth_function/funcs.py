def closed(req):
    __access__ = []
    return "never shown"


def open_page(req):
    return "open to all"


def attr_protected(req):
    return "attribute-protected page for %s" % req.user


attr_protected.__auth__ = {"dave": "pw"}
attr_protected.__auth_realm__ = "Attr"


class _Vault:
    __auth__ = {"eve": "pw"}
    __auth_realm__ = "Vault"

    def open(self, req):
        return "vault opened by %s" % req.user


vault = _Vault()
