from mod_python import apache


def html(req):
    return "<html><body>an HTML page</body></html>\n"


def html_upper(req):
    return "<HTML><BODY>LOUD</BODY></HTML >  \n"


def html_not_last(req):
    return "<html></html> and then text"


def typed(req):
    req.content_type = "text/xml"
    return "<doc/>"


def charset(req):
    req.content_type = "text/plain; charset=latin-1"
    return "caf\u00e9"


def unicode_text(req):
    return "caf\u00e9 \u20ac"


def number(req):
    return 42


def empty(req):
    return ""


def nothing(req):
    return None


def writes(req):
    req.write("written directly")


def writes_and_returns(req):
    req.write("written, ")
    return "then returned"


def status_404(req):
    req.status = apache.HTTP_NOT_FOUND
    return "my own 404"


def raise_403(req):
    raise apache.SERVER_RETURN(apache.HTTP_FORBIDDEN)


def generator(req):
    yield "a"
    yield "b"


def returns_function(req):
    return html
