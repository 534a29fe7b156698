from mod_python import apache


def fixuphandler(req):
    req.notes["from_fixup"] = "yes"
    req.my_attribute = ["set", "in", "fixup"]
    return apache.OK


def handler(req):
    req.content_type = "text/plain"
    req.write("notes=%r\n" % sorted(req.notes.items()))
    req.write("my_attribute=%r\n" % (req.my_attribute,))
    req.write("phase=%r\n" % req.phase)
    req.write("hlist.handler=%r directory=%r\n" % (req.hlist.handler, req.hlist.directory))
    req.write("main=%r prev=%r next=%r\n" % (req.main, req.prev, req.next))
    req.write("user=%r\n" % req.user)
    return apache.OK
