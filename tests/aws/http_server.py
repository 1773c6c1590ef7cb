"""A real HTTP server on 127.0.0.1 standing in for API Gateway, with SigV4 verification."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials


@dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class FakeGateway:
    """Answers each POST with ``respond(received) -> (status, body, delay_seconds)``."""

    respond: Callable[[Received], tuple[int, bytes, float]]
    requests: list[Received] = field(default_factory=list)
    server: Any = None

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/prod"

    def __enter__(self) -> FakeGateway:
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # keep test output quiet
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                received = Received(
                    "POST", self.path, dict(self.headers.items()), self.rfile.read(length)
                )
                gateway.requests.append(received)
                status, body, delay = gateway.respond(received)
                if delay:
                    time.sleep(delay)
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout tests)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.server.shutdown()
        self.server.server_close()


def verify_sigv4(received: Received, url: str, credentials: Credentials, region: str) -> bool:
    """Recompute the SigV4 signature over the headers the client signed and compare."""
    auth = received.headers.get("Authorization", "")
    if not auth.startswith("AWS4-HMAC-SHA256 "):
        return False
    fields = dict(
        part.strip().split("=", 1) for part in auth[len("AWS4-HMAC-SHA256 ") :].split(",")
    )
    signed = fields["SignedHeaders"].split(";")
    lower = {k.lower(): v for k, v in received.headers.items()}
    headers = {name: lower[name] for name in signed if name in lower}
    request = AWSRequest(method=received.method, url=url, data=received.body, headers=headers)
    request.context["timestamp"] = lower["x-amz-date"]
    signer = SigV4Auth(credentials, "execute-api", region)
    canonical = signer.canonical_request(request)
    expected = signer.signature(signer.string_to_sign(request, canonical), request)
    return fields["Signature"] == expected and fields["Credential"].startswith(
        f"{credentials.access_key}/"
    )
