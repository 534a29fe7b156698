-- Scenario 4: every request POSTs the same urlencoded body (BODY is filled in by run.py).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.body = BODY
