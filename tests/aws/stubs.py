"""Helpers for building botocore responses the way AWS sends them."""

from __future__ import annotations

import base64
import io
import json

from botocore.response import StreamingBody
from PIL import Image


def streaming(data: bytes) -> StreamingBody:
    return StreamingBody(io.BytesIO(data), len(data))


def jpeg_b64(color=(30, 120, 200), size=(512, 512)) -> str:
    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, format="JPEG")
    return base64.b64encode(buf.getvalue()).decode()


def tgi_body(text: str) -> bytes:
    return json.dumps([{"generated_text": text}]).encode()


def sd_body(color=(30, 120, 200)) -> bytes:
    return json.dumps({"generated_images": [jpeg_b64(color)], "prompt": "p"}).encode()
