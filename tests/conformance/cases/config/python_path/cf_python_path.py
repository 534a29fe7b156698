import sys

from mod_python import apache


def handler(req):
    import cf_python_path_helper
    req.content_type = "text/plain"
    req.write("%s\n" % cf_python_path_helper.WHO)
    req.write("PythonPath=%r\n" % req.get_config().get("PythonPath"))
    return apache.OK
