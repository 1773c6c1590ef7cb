"""The art cache: single-flight, bounded in memory, shared through disk, failures not cached."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
from PIL import Image

from taglines.art import ArtCache


class Maker:
    def __init__(self, delay: float = 0.0, fail: int = 0) -> None:
        self.calls = 0
        self.fail = fail
        self.delay = delay
        self.lock = threading.Lock()

    def __call__(self) -> Image.Image:
        import time

        time.sleep(self.delay)
        with self.lock:
            self.calls += 1
            if self.calls <= self.fail:
                raise RuntimeError("endpoint down")
        image = Image.new("RGB", (64, 96), (200, 40, 40))
        image.info["taglines.source"] = "test model"
        return image


def test_single_flight_and_futures_carry_keys_not_pixels():
    cache, make = ArtCache(), Maker(delay=0.05)
    with ThreadPoolExecutor(4) as pool:
        futures = [cache.future(("m1", "Drama"), make, pool) for _ in range(8)]
        assert {f.result() for f in futures} == {("m1", "Drama")}
    assert make.calls == 1 and cache.misses == 1 and cache.hits == 7
    image = cache.image(("m1", "Drama"))
    assert image.size == (64, 96) and image.info["taglines.source"] == "test model"


def test_decoded_images_are_bounded_and_evicted_art_is_not_remade():
    cache, make = ArtCache(max_items=2), Maker()
    for i in range(5):
        cache.get((f"m{i}", "x"), make)
    assert len(cache._decoded) == 2
    again = cache.get(("m0", "x"), make)  # evicted from the decoded set, decoded again
    assert make.calls == 5
    assert np.abs(np.asarray(again, dtype=int) - [200, 40, 40]).max() < 8  # JPEG, near-lossless


def test_a_folder_is_shared_between_runs(tmp_path):
    first, make = ArtCache(folder=tmp_path), Maker()
    first.get(("m1", "Drama"), make)
    assert [p.name for p in tmp_path.iterdir()] == ["m1_Drama.jpg"]
    second, again = ArtCache(folder=tmp_path), Maker()
    assert second.get(("m1", "Drama"), again).size == (64, 96)
    assert again.calls == 0 and second.misses == 0 and second.hits == 1


def test_failures_reach_every_waiter_and_are_not_cached():
    cache, make = ArtCache(), Maker(delay=0.05, fail=1)
    with ThreadPoolExecutor(2) as pool:
        futures = [cache.future(("m1", "x"), make, pool) for _ in range(3)]
        for future in futures:
            with pytest.raises(RuntimeError, match="endpoint down"):
                future.result()
        assert cache.future(("m1", "x"), make, pool).result() == ("m1", "x")
    assert make.calls == 2


def test_asking_for_art_never_requested_is_an_error():
    with pytest.raises(KeyError, match="future"):
        ArtCache().image(("nope", "x"))
