import os

print("Content-Type: text/plain")
print()
for name in ("GATEWAY_INTERFACE", "REQUEST_METHOD", "QUERY_STRING", "SCRIPT_NAME", "PATH_INFO", "SERVER_NAME",
             "HTTP_X_CUSTOM"):
    print("%s=%r" % (name, os.environ.get(name)))
