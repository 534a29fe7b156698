from mod_python import apache

CGI = ("GATEWAY_INTERFACE", "SERVER_PROTOCOL", "REQUEST_METHOD", "QUERY_STRING", "REQUEST_URI",
       "SCRIPT_NAME", "PATH_INFO", "PATH_TRANSLATED", "SCRIPT_FILENAME", "SERVER_NAME", "SERVER_PORT",
       "REMOTE_ADDR", "DOCUMENT_ROOT", "HTTP_X_CUSTOM", "HTTP_HOST", "CONTENT_TYPE", "CONTENT_LENGTH",
       "REQUEST_SCHEME", "CONTEXT_PREFIX", "SERVER_ADMIN", "SERVER_SOFTWARE", "CONF_VAR", "CONF_EMPTY")


def dump(req, title):
    env = req.subprocess_env
    req.write("%s:\n" % title)
    for name in CGI:
        req.write("  %s=%r\n" % (name, env.get(name)))


def handler(req):
    req.content_type = "text/plain"
    if req.args == "cgi":
        req.add_cgi_vars()
        dump(req, "after add_cgi_vars")
    elif req.args == "common":
        req.add_common_vars()
        dump(req, "after add_common_vars")
    else:
        dump(req, "as created")
    return apache.OK
