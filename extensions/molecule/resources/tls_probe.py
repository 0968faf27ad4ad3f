"""Serve HTTPS on 127.0.0.1 with a given certificate for one request and fetch it with the system curl, which trusts
only the distro's system store. Prints curl's exit code and body as JSON.

Usage: python tls_probe.py CERT KEY   (exit code 0 when the probe ran; the JSON says whether curl trusted the server)
"""

from __future__ import annotations

import http.server
import json
import ssl
import subprocess
import sys
import threading

SERVER_NAME = "intranet.corp.example"
BODY = b"hello from the corporate intranet\n"


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Length", str(len(BODY)))
        self.end_headers()
        self.wfile.write(BODY)

    def log_message(self, *args):
        pass


def main(certificate: str, key: str) -> None:
    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(certificate, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        completed = subprocess.run(
            [
                "curl",
                "-sS",
                "--max-time",
                "10",
                "--resolve",
                f"{SERVER_NAME}:{port}:127.0.0.1",
                f"https://{SERVER_NAME}:{port}/",
            ],
            capture_output=True,
            text=True,
            check=False,
            timeout=30,
        )
    finally:
        server.shutdown()
    print(json.dumps({"rc": completed.returncode, "stdout": completed.stdout, "stderr": completed.stderr.strip()}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
