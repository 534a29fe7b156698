"""The publisher part of the tutorial.

With ``AddHandler mod_python .py`` and ``PythonHandler mod_python.publisher``
for this directory, ``/PublisherExample/ModPythonExample.py/publisher_example``
calls :func:`publisher_example`; its return value is the page.  The text ends
with ``</html>``, so the publisher sends it as ``text/html``.
"""
import time


def publisher_example(req):
    now = time.strftime("%A %d %B %Y, %H:%M:%S", time.localtime())
    return ("<html>\n"
            "<head><title>mod_python.publisher</title></head>\n"
            "<body>\n"
            "<h1>Hello from mod_python.publisher!</h1>\n"
            "<p>The time on this server is %s.</p>\n"
            "</body>\n"
            "</html>\n" % now)
