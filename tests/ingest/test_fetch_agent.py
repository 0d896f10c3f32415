"""Fetching says who we are: the configured User-Agent reaches the server."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from crosscheck.ingest import http_fetch
from crosscheck.ingest.fetch import USER_AGENT


class _EchoAgent(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 — http.server's naming
        body = (self.headers.get("User-Agent") or "").encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):  # noqa: A002
        pass


def test_http_fetch_sends_the_default_or_the_configured_user_agent():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _EchoAgent)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}/"
    try:
        assert http_fetch(url).content.decode() == USER_AGENT
        assert http_fetch(url, user_agent="NewsroomBot/2 (+ops@example.org)").content == b"NewsroomBot/2 (+ops@example.org)"
    finally:
        server.shutdown()
