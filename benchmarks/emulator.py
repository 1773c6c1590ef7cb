"""An emulated SageMaker runtime and Personalize runtime on 127.0.0.1, for benchmarks.

Answers ``POST /endpoints/<name>/invocations`` like the SageMaker runtime does (TGI JSON for
text endpoints, JumpStart Stable Diffusion ``application/json;jpeg`` for image endpoints) and
``POST /recommendations`` like Personalize's ``GetRecommendations``. Each endpoint has a
latency and a capacity: at most ``capacity`` requests are served at once, the rest queue,
as on a real endpoint with that many workers. Real boto3 clients talk to it through
``endpoint_url=``, so connection pools, retries and threading are all measured.
"""

from __future__ import annotations

import base64
import io
import json
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Endpoint:
    """One emulated endpoint: what it answers, how long it takes, how many at once."""

    kind: str  # "text", "image" or "recommender"
    latency: float
    capacity: int
    calls: int = 0
    peak_in_flight: int = 0
    peak_waiting: int = 0
    _in_flight: int = 0
    _waiting: int = 0
    _slots: threading.Semaphore = field(init=False)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self._slots = threading.Semaphore(self.capacity)

    def serve(self, work: Callable[[], bytes]) -> bytes:
        with self._lock:
            self._waiting += 1
            self.peak_waiting = max(self.peak_waiting, self._waiting - self.capacity)
        with self._slots:  # beyond capacity, requests wait here: the endpoint's queue
            with self._lock:
                self._waiting -= 1
                self.calls += 1
                self._in_flight += 1
                self.peak_in_flight = max(self.peak_in_flight, self._in_flight)
            try:
                time.sleep(self.latency)
                return work()
            finally:
                with self._lock:
                    self._in_flight -= 1


def _jpeg(width: int, height: int, seed: int) -> str:
    """A photo-like JPEG (noise over a gradient), so decoding and encoding cost what real
    Stable Diffusion art costs; a flat image would flatter the client's CPU work."""
    import numpy as np
    from PIL import Image

    rng = np.random.default_rng(seed)
    ramp = np.linspace(40, 200, height)[:, None, None] * np.ones((1, width, 3))
    pixels = np.clip(ramp + rng.normal(0, 35, (height, width, 3)), 0, 255).astype("uint8")
    buf = io.BytesIO()
    Image.fromarray(pixels, "RGB").save(buf, format="JPEG", quality=90)
    return base64.b64encode(buf.getvalue()).decode()


class Emulator:
    """The server. Use as a context manager; ``url`` is the ``endpoint_url`` for boto3."""

    def __init__(
        self, endpoints: dict[str, Endpoint], recommend: Callable[[str, int], list[dict[str, Any]]]
    ) -> None:
        self.endpoints = endpoints
        self.recommend = recommend
        self.errors: Counter[str] = Counter()
        self._images: dict[tuple[int, int, int], str] = {}
        self._images_lock = threading.Lock()
        self._texts = 0
        self.server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self.server is not None
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def _image(self, width: int, height: int, seed: int) -> str:
        key = (width, height, seed % 8)
        with self._images_lock:
            if key not in self._images:
                self._images[key] = _jpeg(width, height, seed % 8)
            return self._images[key]

    def answer(self, path: str, body: bytes) -> tuple[int, str, bytes]:
        request = json.loads(body or b"{}")
        if path == "/recommendations":
            endpoint = self.endpoints["personalize"]
            items = endpoint.serve(
                lambda: json.dumps(
                    {
                        "itemList": self.recommend(
                            request["userId"], int(request.get("numResults", 25))
                        ),
                        "recommendationId": "emulated",
                    }
                ).encode()
            )
            return 200, "application/json", items
        parts = path.strip("/").split("/")
        if len(parts) != 3 or parts[0] != "endpoints" or parts[2] != "invocations":
            return 404, "application/json", b'{"message": "not found"}'
        endpoint = self.endpoints.get(parts[1])
        if endpoint is None:
            message = f"Endpoint {parts[1]} of account 123456789012 not found."
            return (
                400,
                "application/json",
                json.dumps({"__type": "ValidationError", "message": message}).encode(),
            )
        if endpoint.kind == "text":
            with self._images_lock:
                self._texts += 1
                text = f" Emulated tagline number {self._texts}."  # distinct, like a sampling LLM
            return (
                200,
                "application/json",
                endpoint.serve(lambda: json.dumps([{"generated_text": text}]).encode()),
            )
        width, height, seed = (
            int(request.get("width", 512)),
            int(request.get("height", 512)),
            int(request.get("seed", 0)),
        )
        payload = endpoint.serve(
            lambda: json.dumps(
                {
                    "generated_images": [self._image(width, height, seed)],
                    "prompt": request.get("prompt", ""),
                }
            ).encode()
        )
        return 200, "application/json", payload

    def __enter__(self) -> Emulator:
        emulator = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, like the real service

            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                try:
                    status, content_type, body = emulator.answer(
                        self.path.split("?")[0], self.rfile.read(length)
                    )
                except Exception as exc:  # a broken request: answer 500, count it
                    emulator.errors[type(exc).__name__] += 1
                    status, content_type, body = (
                        500,
                        "application/json",
                        b'{"message": "emulator error"}',
                    )
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("x-Amzn-Invoked-Production-Variant", "AllTraffic")
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.server.request_queue_size = 256
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: Any) -> None:
        assert self.server is not None
        self.server.shutdown()
        self.server.server_close()
