"""The PSP content handler: ``PythonHandler mod_python.psp``.

Sets ``req.content_type = "text/html"`` and runs the page named by
``req.filename``.  With ``PythonDebug On``, a request for ``page.psp_``
(the handler must be mapped for it: ``AddHandler mod_python .psp .psp_``)
shows the generated program next to ``page.psp`` instead of running it, as
mod_python does; with PythonDebug Off that file does not exist, so 404.
"""
from __future__ import annotations

from modpy_compat.constants import OK
from modpy_compat.psp.page import PSP


def handler(req):
    """Run (or, in debug mode for ``*.psp_``, display) the requested page."""
    req.content_type = "text/html"
    debug = int(req.get_config().get("PythonDebug", 0))
    if debug and req.filename and req.filename[-1] == "_":
        PSP(req, req.filename[:-1]).display_code()
    else:
        PSP(req).run()
    return OK
