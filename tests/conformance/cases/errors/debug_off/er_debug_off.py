def handler(req):
    req.err_headers_out["X-Err"] = "kept"
    req.headers_out["X-Out"] = "dropped"
    raise ValueError("hidden from the client")
