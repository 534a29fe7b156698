"""Reference for scenario 3: the PSP page's table as a Mako template, compiled once."""
import os

from mako.template import Template

TEMPLATE = Template(filename=os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                          "table.mako"))


def application(environ, start_response):
    body = TEMPLATE.render(uri=environ.get("PATH_INFO", "/"), rows=range(100)).encode("utf-8")
    start_response("200 OK", [("Content-Type", "text/html"),
                              ("Content-Length", str(len(body)))])
    return [body]
