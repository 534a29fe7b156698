"""Send a case's requests to a server on 127.0.0.1, one cookie jar per case and server."""
from __future__ import annotations

import http.client
import http.cookiejar
import urllib.request
from dataclasses import dataclass


@dataclass
class Response:
    """What came back: status, every header line in order, the (de-chunked) body."""

    status: int
    headers: list  # (name, value) pairs as received
    body: bytes

    def header_values(self, name: str) -> list:
        wanted = name.lower()
        return [value for key, value in self.headers if key.lower() == wanted]


class Client:
    """Talks to one server for one case, keeping the cookies it sets (``http.cookiejar``)."""

    def __init__(self, port: int):
        self.port = port
        self.jar = http.cookiejar.CookieJar()

    def send(self, request, target: str) -> Response:
        """Send ``request`` (a :class:`tests.conformance.cases.Request`) to ``target``."""
        headers = list(request.headers)
        names = {name.lower() for name, _ in headers}
        if "host" not in names:
            headers.insert(0, ("Host", "127.0.0.1:%d" % self.port))
        url = "http://127.0.0.1:%d%s" % (self.port, target)
        if request.use_cookies and "cookie" not in names:
            probe = urllib.request.Request(url, method=request.method)
            self.jar.add_cookie_header(probe)
            cookie = probe.get_header("Cookie")
            if cookie:
                headers.append(("Cookie", cookie))
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=request.timeout)
        try:
            return self._exchange(conn, request, target, headers, url)
        except (OSError, http.client.HTTPException) as exc:
            # No answer is an answer too: recorded as status 0 with what went wrong.
            return Response(0, [], ("no response: %s" % type(exc).__name__).encode())
        finally:
            conn.close()

    def _exchange(self, conn, request, target, headers, url) -> Response:
        conn.putrequest(request.method, target, skip_host=True, skip_accept_encoding=True)
        for name, value in headers:
            conn.putheader(name, value)
        if request.body is not None:
            conn.putheader("Content-Length", str(len(request.body)))
        conn.endheaders(request.body)
        raw = conn.getresponse()
        body = raw.read() if request.method != "HEAD" else b""
        response = Response(raw.status, list(raw.getheaders()), body)
        if request.use_cookies:
            self.jar.extract_cookies(raw, urllib.request.Request(url, method=request.method))
        return response
