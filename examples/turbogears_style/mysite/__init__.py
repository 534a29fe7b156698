"""The example wiki site (a WSGI application made with WebOb)."""
