"""The art cache: poster art per (movie, taste facet), made once and shared by every user."""

from __future__ import annotations

import io
import threading
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from PIL import Image

Key = tuple[str, str]


class Now:
    """An executor that runs the task at once in the calling thread (for synchronous use)."""

    def submit(self, fn: Callable[..., Any], *args: Any) -> Future[Any]:
        future: Future[Any] = Future()
        try:
            future.set_result(fn(*args))
        except BaseException as exc:  # handed to whoever waits on the future
            future.set_exception(exc)
        return future


class ArtCache:
    """Poster art per (item, taste facet): generated once, reused across users.

    * Single-flight: a request for art that is being made gets the same future, so waiting
      happens in the requesting (user) thread and image-pool workers only make calls.
    * Futures resolve to the *key*, not the image: users in flight hold no pixels. The image
      comes from :meth:`image` when the poster is composed.
    * Kept as JPEG (a few dozen KB each; Stable Diffusion sends JPEG anyway): in ``folder``
      when given (the batch's ``art/``, which a rerun reuses), else in memory; plus the last
      ``max_items`` decoded images. Memory is bounded by the number of distinct arts, never
      by the number of users.
    """

    def __init__(self, max_items: int = 32, folder: Path | None = None, quality: int = 92) -> None:
        self.max_items = max_items
        self.folder = folder
        self.quality = quality
        self._decoded: OrderedDict[Key, Image.Image] = OrderedDict()
        self._encoded: dict[Key, bytes] = {}
        self._ready: set[Key] = set()
        self._pending: dict[Key, Future[Key]] = {}
        self._info: dict[Key, dict[str, str]] = {}
        self._guard = threading.Lock()
        self.requests = 0
        self.misses = 0

    @property
    def hits(self) -> int:
        """Requests answered without a new image call (memory, disk, or a call in flight)."""
        return self.requests - self.misses

    def _path(self, key: Key) -> Path | None:
        if self.folder is None:
            return None
        safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in f"{key[0]}_{key[1]}")
        return self.folder / f"{safe}.jpg"

    def future(self, key: Key, make: Callable[[], Image.Image], pool: Any) -> Future[Key]:
        """Resolves to ``key`` once the art exists: cached, being made, or made now on ``pool``."""
        with self._guard:
            self.requests += 1
            if key in self._ready:
                done: Future[Key] = Future()
                done.set_result(key)
                return done
            pending = self._pending.get(key)
            owner = pending is None
            if pending is None:
                pending = self._pending[key] = Future()
        if owner:
            produced = pool.submit(self._produce, key, make)
            produced.add_done_callback(lambda f: self._settle(key, pending, f))
        return pending

    def get(self, key: Key, make: Callable[[], Image.Image]) -> Image.Image:
        """The art for ``key``, made in this thread if needed."""
        return self.image(self.future(key, make, Now()).result())

    def image(self, key: Key) -> Image.Image:
        """The decoded art for a key whose future has resolved."""
        from PIL import Image

        with self._guard:
            image = self._decoded.get(key)
            if image is not None:
                self._decoded.move_to_end(key)
                return image
            data = self._encoded.get(key)
            info = dict(self._info.get(key, {}))
        if data is None:
            path = self._path(key)
            if path is None or not path.is_file():
                raise KeyError(f"no art for {key}: ask for it with future() first")
            data = path.read_bytes()
        with Image.open(io.BytesIO(data)) as stored:
            image = stored.convert("RGB")
        image.info.update(info)
        self._keep(key, image)
        return image

    def _keep(self, key: Key, image: Image.Image) -> None:
        with self._guard:
            self._decoded[key] = image
            self._decoded.move_to_end(key)
            while len(self._decoded) > self.max_items:
                self._decoded.popitem(last=False)

    def _produce(self, key: Key, make: Callable[[], Image.Image]) -> None:
        path = self._path(key)
        if path is not None and path.is_file():  # made by an earlier run
            return
        image = make()
        with self._guard:
            self.misses += 1
            self._info[key] = {
                k: v
                for k, v in image.info.items()
                if isinstance(v, str) and k.startswith("taglines.")
            }
        buffer = io.BytesIO()
        image.convert("RGB").save(buffer, format="JPEG", quality=self.quality)
        if path is not None:
            from .batch import write_atomically

            write_atomically(path, buffer.getvalue())
        else:
            with self._guard:
                self._encoded[key] = buffer.getvalue()
        self._keep(key, image)

    def _settle(self, key: Key, pending: Future[Key], produced: Future[None]) -> None:
        error = produced.exception()
        with self._guard:
            self._pending.pop(key, None)
            if error is None:
                self._ready.add(key)
        if error is None:
            pending.set_result(key)
        else:  # every waiter sees the failure; the next request tries again
            pending.set_exception(error)
