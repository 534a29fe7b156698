from mod_python import apache, util


def handler(req):
    req.content_type = "text/plain"
    fs = util.FieldStorage(req)
    for field in fs.list:
        if field.filename is not None:
            data = field.file.read()
            req.write("file %r filename=%r type=%r value=%r len=%d\n"
                      % (field.name, field.filename, field.type, data, len(data)))
        else:
            req.write("field %r=%r type=%r\n" % (field.name, field.value, field.type))
    return apache.OK
