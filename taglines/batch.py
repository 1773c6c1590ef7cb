"""Batch runs: many users, bounded concurrency, atomic outputs, resumable after a kill."""

from __future__ import annotations

import json
import logging
import os
import queue
import tempfile
import threading
import time
import zlib
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import ConfigError, TaglinesError

if TYPE_CHECKING:
    from PIL import Image

    from .pipeline import PendingUser, Pipeline

log = logging.getLogger(__name__)

RESULTS = "results.jsonl"
ERRORS = "errors.jsonl"
#: Users between "calls started" and "posters written", per unit of concurrency.
USERS_IN_FLIGHT = 8
#: Threads composing and encoding posters (CPU-bound, so about the number of cores).
COMPOSERS = max(1, min(4, os.cpu_count() or 1))


def write_atomically(path: Path, data: bytes) -> None:
    """Write bytes atomically: a temporary file in the same folder, fsync, then rename.

    A run killed at any moment leaves either the old file or the complete new one.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def save_png(image: Image.Image, path: Path) -> None:
    """Write a PNG atomically (see :func:`write_atomically`), keeping ``taglines.*`` metadata."""
    import io

    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    for key, value in image.info.items():
        if isinstance(value, str) and key.startswith("taglines."):
            info.add_text(key, value)
    buffer = io.BytesIO()
    # Encoding is the largest CPU cost per poster. Fast zlib level 1 with the run-length
    # strategy (Z_RLE) instead of the default level 6 (benchmarks/poster_cpu.py).
    image.save(buffer, format="PNG", pnginfo=info, compress_level=1, compress_type=zlib.Z_RLE)
    write_atomically(path, buffer.getvalue())


class JsonLines:
    """An append-only JSON Lines file written one whole group of lines at a time.

    Each :meth:`append` is a single ``write`` of complete lines followed by ``fsync``, under a
    lock, so concurrent writers never interleave and a kill never leaves half a group. On
    open, a torn last line (from a crash mid-write on some filesystems) is cut off.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()

    def read(self) -> list[dict[str, Any]]:
        if not self.path.is_file():
            return []
        data = self.path.read_bytes()
        records, good = [], 0
        for line in data.splitlines(keepends=True):
            if not line.endswith(b"\n"):
                break
            try:
                records.append(json.loads(line))
            except ValueError:
                break
            good += len(line)
        if good < len(data):
            log.warning(
                "%s: removing a torn last line (%d bytes) left by an interrupted run",
                self.path,
                len(data) - good,
            )
            with self.path.open("r+b") as fh:
                fh.truncate(good)
        return records

    def append(self, records: Iterable[dict[str, Any]]) -> None:
        payload = "".join(
            json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in records
        ).encode("utf-8")
        if not payload:
            return
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            try:
                written = os.write(fd, payload)
                if written != len(payload):  # pragma: no cover - a full disk
                    raise OSError(f"short write to {self.path}: {written} of {len(payload)} bytes")
                os.fsync(fd)
            finally:
                os.close(fd)


@dataclass
class BatchReport:
    """What a batch did: users done, failed and skipped, calls made, where the files are."""

    out_dir: Path
    users: int = 0
    done: int = 0
    failed: int = 0
    skipped: int = 0
    items: int = 0
    text_calls: int = 0
    image_calls: int = 0
    art_reused: int = 0
    seconds: float = 0.0
    errors: list[dict[str, str]] = field(default_factory=list)

    @property
    def results_path(self) -> Path:
        return self.out_dir / RESULTS

    def __str__(self) -> str:
        lines = [
            f"{self.users} users: {self.done} done, {self.failed} failed, {self.skipped} skipped (already done)",
            f"{self.items} posters written; {self.text_calls} text calls, {self.image_calls} image calls, "
            f"art reused {self.art_reused} times; {self.seconds:.1f} s",
            f"results: {self.results_path}",
            f"posters: {self.out_dir / 'posters'}",
        ]
        if self.errors:
            lines.append(f"errors:  {self.out_dir / ERRORS}")
            lines += [f"  {e['user_id']}: {e['error'][:160]}" for e in self.errors[:5]]
        return "\n".join(lines)


def read_results(out_dir: str | Path) -> list[dict[str, Any]]:
    """The records of a batch's ``results.jsonl`` (one per user and item)."""
    return JsonLines(Path(out_dir) / RESULTS).read()


def run_batch(
    pipeline: Pipeline,
    user_ids: Iterable[str],
    out_dir: str | Path,
    *,
    n: int = 3,
    concurrency: int | None = None,
    resume: bool = True,
    progress: bool = True,
) -> BatchReport:
    """Taglines and posters for many users, written to ``out_dir``.

    * ``posters/<user>_<item>.png`` and one JSON line per (user, item) in ``results.jsonl``;
      a user's lines are written together, after its posters, so a user is either complete
      or absent. Files are written atomically.
    * At most ``concurrency`` calls in flight per model (never more than the pipeline's
      connection pools, nor its ``text_concurrency`` / ``image_concurrency`` limits), and up
      to ``USERS_IN_FLIGHT × concurrency`` users between "calls started" and "written"; the
      posters are composed on a separate pool of about one thread per core.
    * Poster art is made once per (movie, taste facet), kept in ``art/`` and reused.
    * A user whose calls fail is logged to ``errors.jsonl`` and the batch goes on.
    * ``resume=True`` skips users already in ``results.jsonl``; rerunning after a kill
      finishes the rest, with every (user, item) exactly once. ``resume=False`` starts over.

    Returns:
        A :class:`BatchReport`.
    """
    from .art import ArtCache

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    requested = concurrency or pipeline.concurrency
    if requested < 1:
        raise ConfigError(f"concurrency must be at least 1, got {requested}")
    if requested > pipeline.concurrency:
        log.warning(
            "concurrency %d is above the pipeline's connection pools (%d); using %d — build the "
            "pipeline with build_pipeline(..., concurrency=%d) to go higher",
            requested, pipeline.concurrency, pipeline.concurrency, requested,
        )  # fmt: skip
    workers = min(requested, pipeline.concurrency)
    for folder in (out / "posters", out / "art"):  # temporaries of a killed run: never used
        for stale in folder.glob(".*.tmp") if folder.is_dir() else ():
            stale.unlink(missing_ok=True)
    results, errors = JsonLines(out / RESULTS), JsonLines(out / ERRORS)
    if not resume:
        for path in (results.path, errors.path):
            path.unlink(missing_ok=True)
    done = {r["user_id"] for r in results.read()}
    users = list(dict.fromkeys(str(u) for u in user_ids))
    todo = [u for u in users if u not in done]
    report = BatchReport(out, users=len(users), skipped=len(users) - len(todo))
    pipeline.art_cache = ArtCache(max_items=pipeline.art_cache.max_items, folder=out / "art")
    before = dict(pipeline.calls)
    clock_start = time.perf_counter()
    local = pipeline.is_local
    backends = {
        "text_backend": pipeline.text_model.name,
        "image_backend": pipeline.image_model.name,
        "local": local,
    }

    def write(user_id: str, pending: PendingUser) -> int:
        result = pipeline.finish(pending)
        records = []
        for item in result.items:
            name = f"{_safe(user_id)}_{_safe(item.item.item_id)}.png"
            save_png(item.poster, out / "posters" / name)
            created = datetime.now(timezone.utc).isoformat(timespec="seconds")
            records.append(
                {**item.record(), "poster": f"posters/{name}", **backends, "created": created}
            )
        results.append(records)
        return len(records)

    # Users move through three stages: start (recommendation, then text and image calls in
    # flight: the user pool), wait (no thread held), and finish (compose and write posters:
    # the CPU-bound compose pool). Up to USERS_IN_FLIGHT × workers users are between start and
    # written, so text calls for later users overlap image calls for earlier ones, while
    # memory stays bounded by users in flight, not users in the batch.
    outcomes: queue.Queue[tuple[str, int | BaseException]] = queue.Queue()
    slots = threading.BoundedSemaphore(USERS_IN_FLIGHT * workers)

    def finished(user_id: str, outcome: int | BaseException) -> None:
        slots.release()
        outcomes.put((user_id, outcome))

    def compose(user_id: str, pending: PendingUser) -> None:
        try:
            finished(user_id, write(user_id, pending))
        except BaseException as exc:  # reported by the main thread, never dropped
            finished(user_id, exc)

    def calls_started(user_id: str, future: Future[PendingUser]) -> None:
        try:
            pending = future.result()
        except BaseException as exc:
            finished(user_id, exc)
            return
        _when_all(pending.futures, lambda: compose_pool.submit(compose, user_id, pending))

    def record(user_id: str, outcome: int | BaseException) -> None:
        if isinstance(outcome, TaglinesError):
            report.failed += 1
            entry = {"user_id": user_id, "error": str(outcome), "type": type(outcome).__name__}
            report.errors.append(entry)
            errors.append(
                [{**entry, "created": datetime.now(timezone.utc).isoformat(timespec="seconds")}]
            )
            log.warning("user %s failed: %s", user_id, outcome)
        elif isinstance(outcome, BaseException):
            raise outcome  # a bug, not a backend failure: stop the batch and show it
        else:
            report.items += outcome
            report.done += 1
        bar.update(1)

    bar = _progress_bar(len(todo), enabled=progress)
    pending_outcomes = len(todo)
    with (
        ThreadPoolExecutor(workers, thread_name_prefix="taglines-user") as user_pool,
        ThreadPoolExecutor(workers, thread_name_prefix="taglines-text") as text_pool,
        ThreadPoolExecutor(workers, thread_name_prefix="taglines-image") as image_pool,
        ThreadPoolExecutor(COMPOSERS, thread_name_prefix="taglines-compose") as compose_pool,
    ):
        try:
            for user_id in todo:
                while not slots.acquire(timeout=0.1):  # keep the report moving while waiting
                    while not outcomes.empty():
                        record(*outcomes.get())
                        pending_outcomes -= 1
                future = user_pool.submit(
                    pipeline.start, user_id, n, text_pool=text_pool, image_pool=image_pool
                )
                future.add_done_callback(lambda f, u=user_id: calls_started(u, f))
            while pending_outcomes:
                record(*outcomes.get())
                pending_outcomes -= 1
        except BaseException:
            for pool in (user_pool, text_pool, image_pool, compose_pool):
                pool.shutdown(wait=False, cancel_futures=True)
            raise
    bar.close()
    report.text_calls = pipeline.calls["text"] - before.get("text", 0)
    report.image_calls = pipeline.calls["image"] - before.get("image", 0)
    report.art_reused = pipeline.art_cache.hits
    report.seconds = time.perf_counter() - clock_start
    return report


def _when_all(futures: list[Future[Any]], then: Any) -> None:
    """Call ``then()`` once every future is done (at once if there are none)."""
    if not futures:
        then()
        return
    remaining = [len(futures)]
    lock = threading.Lock()

    def one_done(_: Future[Any]) -> None:
        with lock:
            remaining[0] -= 1
            last = remaining[0] == 0
        if last:
            then()

    for future in futures:
        future.add_done_callback(one_done)


def _safe(value: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in value)


class _NoBar:
    def update(self, n: int = 1) -> None:
        pass

    def close(self) -> None:
        pass


def _progress_bar(total: int, *, enabled: bool) -> Any:
    if not enabled:
        return _NoBar()
    try:
        from tqdm.auto import tqdm
    except ImportError:  # tqdm is optional outside the notebook
        return _NoBar()
    return tqdm(total=total, desc="users", unit="user")
