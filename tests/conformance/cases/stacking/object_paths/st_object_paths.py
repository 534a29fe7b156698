from mod_python import apache

NOT_CALLABLE = None


class Greeter:
    def __init__(self, req):
        self.uri = req.uri

    def greet(self, req):
        req.content_type = "text/plain"
        req.write("Greeter(req).greet for %s\n" % self.uri)
        return apache.OK


class _Inner:
    def run(self, req):
        req.content_type = "text/plain"
        req.write("holder.inner.run\n")
        return apache.OK


class _Holder:
    inner = _Inner()


holder = _Holder()
