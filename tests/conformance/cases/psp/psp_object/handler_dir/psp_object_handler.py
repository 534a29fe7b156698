import os

from mod_python import apache, psp

HERE = os.path.dirname(__file__)


def handler(req):
    if req.args == "bytes":
        psp.PSP(req, string=b"from bytes: <%= 2 + 3 %> <%= who %>\n", vars={"who": "vars"}).run()
    elif req.args == "string":
        page = psp.PSP(req, string="from a string: <%= 2 + 3 %> <%= who %>\n", vars={"who": "vars"})
        page.run()
    elif req.args == "nested":
        inner = psp.PSP(req, filename=os.path.join(HERE, "inner.psp"))
        psp.PSP(req, filename=os.path.join(HERE, "outer.psp"), vars={"inner": inner}).run()
    else:
        page = psp.PSP(req, filename=os.path.join(HERE, "template.psp"), vars={"title": "T", "rows": 1})
        page.run({"rows": 2})
    return apache.OK
