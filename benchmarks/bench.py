"""Endpoint-bound batch benchmark: how close does taglines get to what the endpoints allow?

Run from the repository root:  python benchmarks/bench.py   (about 2–3 minutes on 2 cores)

Scenarios, all in this process, all through real boto3 clients against an emulated SageMaker
and Personalize runtime on 127.0.0.1 (benchmarks/emulator.py):

* ``sequential``: the seed notebook's loop, per user: recommend, then per movie the tagline
  and then the image, no reuse. Measured on ``--seq-users`` users and scaled to ``--users``.
* ``batch cN``: ``Pipeline.run_batch`` at concurrency N. Concurrency 1 is measured on
  ``--seq-users`` users and scaled, like the sequential loop; the others run all users.

For each: wall time, calls per endpoint, the ideal bound (max over endpoints of
calls × latency ÷ capacity, plus one user's critical path), wall ÷ ideal, and speedup over the
sequential loop. Then pass/fail lines for the targets, memory, import time, the local demo
and the notebook.
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

# Nothing here may reach AWS: fake credentials, and every client gets the emulator's URL.
os.environ.update(
    {
        "AWS_ACCESS_KEY_ID": "bench",
        "AWS_SECRET_ACCESS_KEY": "bench",
        "AWS_DEFAULT_REGION": "us-east-1",
    }
)
for _var in [v for v in os.environ if v.startswith("TAGLINES_")]:
    del os.environ[_var]

from emulator import Emulator, Endpoint  # noqa: E402

import taglines  # noqa: E402
from taglines.recommend import LocalRecommender  # noqa: E402

ARN = "arn:aws:personalize:us-east-1:123456789012:recommender/bench"


@dataclass
class Row:
    name: str
    users: int
    measured_users: int
    wall: float
    text_calls: int
    image_calls: int
    rec_calls: int
    ideal: float
    pool_warnings: int
    distinct_art: int | None = None
    rss_growth_mb: float | None = None
    image_queue: int = 0

    @property
    def ratio(self) -> float:
        return self.wall / self.ideal


class PoolWarnings(logging.Handler):
    """Counts urllib3's "Connection pool is full, discarding connection" warnings."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        if "pool is full" in record.getMessage():
            self.count += 1


def rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def ideal_bound(args: argparse.Namespace, text: int, image: int, rec: int) -> float:
    per_endpoint = max(
        text * args.text_latency / args.text_capacity,
        image * args.image_latency / args.image_capacity,
        rec * args.rec_latency / args.rec_capacity,
    )
    critical_path = args.rec_latency + max(args.text_latency, args.image_latency)
    return per_endpoint + critical_path


def make_emulator(args: argparse.Namespace, catalog: taglines.Catalog) -> Emulator:
    local = LocalRecommender.fit(catalog)

    def recommend(user_id: str, n: int) -> list[dict]:
        return [{"itemId": r.item_id, "score": r.score} for r in local.recommend(user_id, n=n)]

    endpoints = {
        "falcon": Endpoint("text", args.text_latency, args.text_capacity),
        "sd21": Endpoint("image", args.image_latency, args.image_capacity),
        "personalize": Endpoint("recommender", args.rec_latency, args.rec_capacity),
    }
    return Emulator(endpoints, recommend)


def clients(emulator: Emulator, pool: int) -> dict:
    # One sagemaker-runtime client serves both the text and the image pool: twice the threads.
    return {
        "personalize-runtime": taglines.make_client(
            "personalize-runtime",
            region="us-east-1",
            endpoint_url=emulator.url,
            max_pool_connections=pool,
        ),
        "sagemaker-runtime": taglines.make_client(
            "sagemaker-runtime",
            region="us-east-1",
            endpoint_url=emulator.url,
            max_pool_connections=2 * pool,
        ),
    }


def settings() -> taglines.Settings:
    return taglines.Settings(
        mode="aws",
        region="us-east-1",
        recommender_arn=ARN,
        text_endpoint="falcon",
        image_endpoint="sd21",
    )


def calls(emulator: Emulator) -> tuple[int, int, int]:
    e = emulator.endpoints
    return e["falcon"].calls, e["sd21"].calls, e["personalize"].calls


def sequential(
    args: argparse.Namespace,
    catalog: taglines.Catalog,
    users: list[str],
    out: Path,
    warnings: PoolWarnings,
) -> Row:
    """The seed notebook's loop: one user after another, one call after another, no reuse."""
    from taglines.batch import save_png
    from taglines.prompts import build_poster_prompt, build_tagline_prompt, taste_facet

    with make_emulator(args, catalog) as emulator:
        c = clients(emulator, 1)
        recommender = taglines.PersonalizeRecommender(
            recommender_arn=ARN, client=c["personalize-runtime"]
        )
        falcon = taglines.FalconEndpoint("falcon", client=c["sagemaker-runtime"])
        sd = taglines.StableDiffusionEndpoint("sd21", client=c["sagemaker-runtime"])
        before = warnings.count
        start = time.perf_counter()
        for user_id in users:
            user = catalog.user(user_id)
            history = [
                catalog.item(i) for i in catalog.history(user_id, n=5, distinct=True)["ITEM_ID"]
            ]
            for rec in recommender.recommend(user_id, n=args.items):
                item = catalog.item(rec.item_id)
                prompt = build_tagline_prompt(user, item, history=history)
                tagline = taglines.clean_tagline(falcon.generate(prompt), prompt=prompt)
                art_prompt, negative = build_poster_prompt(item, taste=taste_facet(user, item))
                art = sd.generate(art_prompt, negative_prompt=negative, width=512, height=768)
                save_png(
                    taglines.compose_poster(art, item.title, tagline),
                    out / f"{user_id}_{item.item_id}.png",
                )
        wall = time.perf_counter() - start
        text, image, rec = calls(emulator)
    return Row(
        "sequential (seed loop)",
        len(users),
        len(users),
        wall,
        text,
        image,
        rec,
        ideal_bound(args, text, image, rec),
        warnings.count - before,
    )


def batch(
    args: argparse.Namespace,
    catalog: taglines.Catalog,
    users: list[str],
    concurrency: int,
    out: Path,
    warnings: PoolWarnings,
) -> Row:
    with make_emulator(args, catalog) as emulator:
        # What each endpoint serves at once: more in flight would only queue at the endpoint.
        limits = {"text_concurrency": args.text_capacity, "image_concurrency": args.image_capacity}
        pipeline = taglines.build_pipeline(
            settings(),
            catalog=catalog,
            concurrency=concurrency,
            clients=clients(emulator, concurrency),
            **(limits if args.limit else {}),
        )
        before = warnings.count
        samples: list[tuple[int, float]] = []
        results = out / "results.jsonl"
        stop = threading.Event()

        def sample() -> None:  # RSS against users done, to see whether memory grows with users
            while not stop.is_set():
                done = results.read_bytes().count(b"\n") // args.items if results.is_file() else 0
                samples.append((done, rss_mb()))
                stop.wait(0.2)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        start = time.perf_counter()
        report = pipeline.run_batch(users, out, n=args.items, progress=False)
        wall = time.perf_counter() - start
        stop.set()
        sampler.join()
        text, image, rec = calls(emulator)
        queue = emulator.endpoints["sd21"].peak_waiting
    if report.failed:
        raise SystemExit(
            f"batch c{concurrency} had {report.failed} failed users: {report.errors[:2]}"
        )
    records = taglines.read_results(out)
    distinct = len({(r["item_id"], r["facet"]) for r in records})
    growth = None
    half = [rss for done, rss in samples if done >= len(users) / 2]
    if half:  # the second half of the users should not need more memory than the first
        growth = max(rss for _, rss in samples) - half[0]
    return Row(
        f"run_batch c{concurrency}",
        len(users),
        len(users),
        wall,
        text,
        image,
        rec,
        ideal_bound(args, text, image, rec),
        warnings.count - before,
        distinct,
        growth,
        queue,
    )


def scaled(row: Row, users: int) -> Row:
    k = users / row.measured_users
    text, image, rec = (
        round(row.text_calls * k),
        round(row.image_calls * k),
        round(row.rec_calls * k),
    )
    return Row(
        row.name,
        users,
        row.measured_users,
        row.wall * k,
        text,
        image,
        rec,
        0.0,
        row.pool_warnings,
        row.distinct_art,
    )


def import_time(runs: int = 7) -> float:
    times = []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", "import time; t = time.perf_counter(); import taglines; print(time.perf_counter() - t)"],
            capture_output=True, text=True, check=True, cwd=ROOT,
        )  # fmt: skip
        times.append(float(out.stdout))
    return statistics.median(times)


def demo_time(users: int = 5) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "taglines",
                "demo",
                "--users",
                str(users),
                "--out",
                tmp,
                "--quiet",
            ],
            check=True,
            capture_output=True,
            cwd=ROOT,
        )
        return time.perf_counter() - start


def notebook_time() -> float:
    import nbformat
    from nbclient import NotebookClient

    with tempfile.TemporaryDirectory() as tmp:
        nb = nbformat.read(ROOT / "personalized-tag-lines.ipynb", as_version=4)
        index = next(
            i
            for i, c in enumerate(nb.cells)
            if "parameters" in c.get("metadata", {}).get("tags", [])
        )
        nb.cells.insert(index + 1, nbformat.v4.new_code_cell(f"OUT_DIR = {tmp!r}\nMODE = 'local'"))
        start = time.perf_counter()
        NotebookClient(
            nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}}
        ).execute()
        return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--items", type=int, default=3, help="movies per user")
    parser.add_argument(
        "--seq-users", type=int, default=10, help="users measured for the sequential and c1 runs"
    )
    parser.add_argument(
        "--concurrency", default="1,4,16,32", help="comma-separated run_batch concurrencies"
    )
    parser.add_argument("--text-latency", type=float, default=0.2)
    parser.add_argument("--text-capacity", type=int, default=8)
    parser.add_argument("--image-latency", type=float, default=0.5)
    parser.add_argument("--image-capacity", type=int, default=4)
    parser.add_argument("--rec-latency", type=float, default=0.02)
    parser.add_argument("--rec-capacity", type=int, default=64)
    parser.add_argument("--target-concurrency", type=int, default=16)
    parser.add_argument(
        "--no-limit",
        dest="limit",
        action="store_false",
        help="don't cap calls in flight at each endpoint's capacity",
    )
    parser.add_argument(
        "--skip-extras", action="store_true", help="skip import/demo/notebook timings"
    )
    args = parser.parse_args(argv)

    warnings = PoolWarnings()
    logging.getLogger("urllib3").addHandler(warnings)
    catalog = with_users(taglines.load_catalog(ROOT / "data" / "movies"), args.users)
    users = list(catalog.users["USER_ID"][: args.users])
    few = users[: min(args.seq_users, len(users))]
    rows: list[Row] = []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        seq = sequential(args, catalog, few, Path(tmp) / "seq", warnings)
        rows.append(scaled(seq, len(users)) if len(few) < len(users) else seq)
        for c in [int(x) for x in args.concurrency.split(",")]:
            subset = few if c == 1 else users
            row = batch(args, catalog, subset, c, Path(tmp) / f"c{c}", warnings)
            rows.append(scaled(row, len(users)) if len(subset) < len(users) else row)
    for row in rows:
        if row.ideal == 0.0:  # scaled rows: bound from the scaled call counts
            row.ideal = ideal_bound(args, row.text_calls, row.image_calls, row.rec_calls)

    base = rows[0].wall
    print(f"\n{len(users)} users × {args.items} movies; text {args.text_latency}s×{args.text_capacity}, image "
          f"{args.image_latency}s×{args.image_capacity}, recommender {args.rec_latency}s; {os.cpu_count()} cores\n")  # fmt: skip
    header = f"{'scenario':<24}{'wall s':>9}{'text':>7}{'image':>7}{'recs':>6}{'ideal s':>9}{'wall/ideal':>11}{'speedup':>9}{'img queue':>10}  note"
    print(header)
    print("-" * len(header))
    for row in rows:
        note = (
            f"{row.measured_users} users measured, scaled" if row.measured_users < row.users else ""
        )
        print(
            f"{row.name:<24}{row.wall:>9.1f}{row.text_calls:>7}{row.image_calls:>7}{row.rec_calls:>6}{row.ideal:>9.1f}{row.ratio:>11.2f}{base / row.wall:>8.1f}×{row.image_queue:>10}  {note}"
        )

    target = next((r for r in rows if r.name == f"run_batch c{args.target_concurrency}"), None)
    checks: list[tuple[bool, str]] = []
    if target is not None:
        checks.append(
            (
                target.ratio <= 1.15,
                f"c{args.target_concurrency}: wall ≤ 1.15 × ideal ({target.wall:.1f} s vs {1.15 * target.ideal:.1f} s; ratio {target.ratio:.2f})",
            )
        )
        checks.append(
            (
                base / target.wall >= 10,
                f"c{args.target_concurrency}: ≥ 10× faster than the sequential loop ({base / target.wall:.1f}×)",
            )
        )
        checks.append(
            (
                target.image_calls <= (target.distinct_art or 0),
                f"c{args.target_concurrency}: image calls ≤ distinct (movie, facet) pairs ({target.image_calls} ≤ {target.distinct_art})",
            )
        )
        if target.rss_growth_mb is not None:
            checks.append(
                (
                    target.rss_growth_mb < 100,
                    f"c{args.target_concurrency}: memory flat in users (RSS grew {target.rss_growth_mb:.0f} MB from 50% to 100% of users)",
                )
            )
    pool = sum(r.pool_warnings for r in rows)
    checks.append((pool == 0, f"no 'connection pool is full' warnings ({pool})"))
    print()
    for ok, text in checks:
        print(f"{'PASS' if ok else 'FAIL'}  {text}")
    print(f"info  peak RSS of this process: {rss_peak_mb():.0f} MB")
    if not args.skip_extras:
        print(
            f"info  import taglines: {import_time() * 1000:.0f} ms (median of 7 fresh interpreters)"
        )
        print(f"info  python -m taglines demo --users 5 (local): {demo_time():.1f} s")
        print(f"info  notebook, local mode, top to bottom: {notebook_time():.1f} s")
    print(f"info  benchmark wall time: {time.perf_counter() - started:.0f} s")
    return 0 if all(ok for ok, _ in checks) else 1


def with_users(catalog: taglines.Catalog, count: int) -> taglines.Catalog:
    """The catalog with at least ``count`` users: extra ones copy existing profiles and histories
    under new ids (``u0001-2``), so any number of users has real tastes behind it."""
    import pandas as pd

    users, interactions = [catalog.users], [catalog.interactions]
    copy = 2
    while sum(len(u) for u in users) < count:
        suffix = f"-{copy}"
        users.append(catalog.users.assign(USER_ID=catalog.users["USER_ID"] + suffix))
        interactions.append(
            catalog.interactions.assign(USER_ID=catalog.interactions["USER_ID"] + suffix)
        )
        copy += 1
    if copy == 2:
        return catalog
    return taglines.Catalog(
        pd.concat(users, ignore_index=True),
        catalog.items,
        pd.concat(interactions, ignore_index=True),
        source=catalog.source,
    )


def rss_peak_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


if __name__ == "__main__":
    raise SystemExit(main())
