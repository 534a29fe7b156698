"""Floor for scenario 1: a bare WebOb application (``wsgify``: Request in, Response out)."""
from webob import Response
from webob.dec import wsgify


@wsgify
def application(request):
    return Response(text="Hello World", content_type="text/plain")
