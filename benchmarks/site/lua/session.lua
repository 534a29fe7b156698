-- Scenario 5: keep the session cookie the server sets.  run.py gives wrk one thread per
-- connection, and each wrk thread has its own Lua state: so each connection keeps its cookie.
local cookie = nil

request = function()
  if cookie then
    return wrk.format(nil, nil, {["Cookie"] = cookie})
  end
  return wrk.format()
end

response = function(status, headers, body)
  local set = headers["Set-Cookie"] or headers["set-cookie"]
  if set then
    cookie = string.match(set, "^[^;]+")
  end
end
