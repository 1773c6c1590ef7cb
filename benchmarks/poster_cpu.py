"""CPU cost of composing and encoding one poster (the batch's per-item CPU work).

Run from the repository root:  python benchmarks/poster_cpu.py
"""

from __future__ import annotations

import io
import statistics
import sys
import time
import zlib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np
from PIL import Image

from taglines import compose_poster


def per_call_ms(fn, runs: int = 40) -> float:
    times = []
    for i in range(runs):
        start = time.perf_counter()
        fn(i)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def encode(image: Image.Image, fmt: str, options: dict) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **options)
    return buffer.getvalue()


def main() -> None:
    # Photo-like art, as Stable Diffusion returns it (a flat image would flatter the encoders):
    # the same kind of image the benchmark's emulator sends.
    rng = np.random.default_rng(0)
    ramp = np.linspace(40, 200, 768)[:, None, None] * np.ones((1, 512, 3))
    art = Image.fromarray(np.clip(ramp + rng.normal(0, 35, (768, 512, 3)), 0, 255).astype("uint8"))
    title = "The Locked Room at Gull Island"
    poster = compose_poster(art, title, "Everyone on the island has an alibi.")
    ms = per_call_ms(
        lambda i: compose_poster(art, title, f"Tagline {i} that wraps onto a second line.")
    )
    print(f"compose_poster (same title, new tagline each call): {ms:.1f} ms")
    for label, options in (
        ("PNG encode, default (level 6)", {}),
        ("PNG encode, level 1", {"compress_level": 1}),
        (
            "PNG encode, level 1 + Z_RLE (save_png)",
            {"compress_level": 1, "compress_type": zlib.Z_RLE},
        ),
    ):
        size = len(encode(poster, "PNG", options)) // 1024
        print(
            f"{label}: {per_call_ms(lambda i, o=options: encode(poster, 'PNG', o)):.1f} ms, {size} KB"
        )
    for label, fmt, options in (
        ("PNG level 1", "PNG", {"compress_level": 1}),
        ("JPEG q92", "JPEG", {"quality": 92}),
    ):
        data = encode(art, fmt, options)
        ms = per_call_ms(lambda i, d=data: Image.open(io.BytesIO(d)).convert("RGB"))
        print(f"art decode from {label} ({len(data) // 1024} KB): {ms:.1f} ms")


if __name__ == "__main__":
    main()
