"""Scenario 2: a mod_python.publisher function returning a short HTML page."""

PAGE = """<html>
<head><title>Publisher</title></head>
<body>
<h1>Hello %s</h1>
<p>This page was returned by a publisher function.</p>
</body>
</html>
"""


def hello(req, name="World"):
    return PAGE % name
