"""run_batch: outputs, failures, resume after a kill, exactly-once results, atomic files."""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import textwrap
import time

from taglines import Pipeline, Settings, read_results
from taglines.batch import JsonLines, save_png
from taglines.models import LocalPosterArt
from taglines.recommend import LocalRecommender
from tests.conftest import ROOT
from tests.fakes import CountingArt, ScriptedText


def _pipeline(movies, text=None, image=None, concurrency=4):
    return Pipeline(
        movies,
        LocalRecommender.fit(movies),
        text or ScriptedText(),
        image or CountingArt(),
        settings=Settings(mode="local"),
        concurrency=concurrency,
    )


def _pairs(out):
    return [(r["user_id"], r["item_id"]) for r in read_results(out)]


def test_writes_posters_and_one_line_per_user_and_item(movies, tmp_path):
    users = list(movies.users["USER_ID"][:10])
    report = _pipeline(movies).run_batch(users, tmp_path, n=3, progress=False)
    assert (report.users, report.done, report.failed, report.skipped, report.items) == (
        10,
        10,
        0,
        0,
        30,
    )
    pairs = _pairs(tmp_path)
    assert len(pairs) == 30 and len(set(pairs)) == 30
    records = read_results(tmp_path)
    for record in records:
        assert (tmp_path / record["poster"]).is_file()
        assert record["tagline"] and record["facet"] in record["genres"].split("|")
        assert record["text_backend"] == "scripted text"
    assert report.text_calls >= 30
    assert not list(tmp_path.rglob("*.tmp"))  # atomic writes leave no temporaries


def test_image_calls_are_bounded_by_distinct_movie_facet_pairs(movies, tmp_path):
    art = CountingArt()
    users = list(movies.users["USER_ID"][:40])
    report = _pipeline(movies, image=art).run_batch(users, tmp_path, n=3, progress=False)
    distinct = {(r["item_id"], r["facet"]) for r in read_results(tmp_path)}
    assert report.image_calls == len(art.calls) == len(distinct) < report.items
    assert report.art_reused == report.items - len(distinct)


def test_a_failing_user_is_recorded_and_the_batch_goes_on(movies, tmp_path):
    pipeline = _pipeline(movies, text=ScriptedText(fail_titles=("Final Hour Negotiator",)))
    report = pipeline.run_batch(["u0001", "u0002", "nobody", "u0003"], tmp_path, progress=False)
    assert (report.done, report.failed) == (2, 2)
    failed = {e["user_id"]: e for e in report.errors}
    assert set(failed) == {"u0001", "nobody"}
    assert "endpoint failed" in failed["u0001"]["error"] and failed["nobody"]["type"] == "DataError"
    logged = [json.loads(line) for line in (tmp_path / "errors.jsonl").read_text().splitlines()]
    assert {e["user_id"] for e in logged} == {"u0001", "nobody"}
    assert {u for u, _ in _pairs(tmp_path)} == {"u0002", "u0003"}
    assert "errors:" in str(report)


def test_resume_skips_done_users_and_retries_failed_ones(movies, tmp_path):
    users = ["u0001", "u0002", "u0003"]
    _pipeline(movies, text=ScriptedText(fail_titles=("Final Hour Negotiator",))).run_batch(
        users, tmp_path, progress=False
    )
    report = _pipeline(movies).run_batch(users, tmp_path, progress=False)
    assert (report.done, report.skipped, report.failed) == (1, 2, 0)
    pairs = _pairs(tmp_path)
    assert len(pairs) == 9 and len(set(pairs)) == 9


def test_restart_starts_over_and_reuses_the_art(movies, tmp_path):
    users = ["u0001", "u0002"]
    _pipeline(movies).run_batch(users, tmp_path, progress=False)
    art = CountingArt()
    report = _pipeline(movies, image=art).run_batch(users, tmp_path, resume=False, progress=False)
    assert report.done == 2 and report.skipped == 0 and len(_pairs(tmp_path)) == 6
    assert art.calls == []  # every (movie, facet) was already in out/art


def test_duplicate_user_ids_are_done_once(movies, tmp_path):
    report = _pipeline(movies).run_batch(["u0001", "u0001", "u0002"], tmp_path, progress=False)
    assert report.users == 2 and len(_pairs(tmp_path)) == 6


def test_concurrency_above_the_pools_is_clamped(movies, tmp_path, caplog):
    with caplog.at_level(logging.WARNING):
        report = _pipeline(movies, concurrency=2).run_batch(
            ["u0001"], tmp_path, concurrency=16, progress=False
        )
    assert report.done == 1 and "above the pipeline's connection pools" in caplog.text


def test_a_torn_last_line_is_cut_off_on_resume(movies, tmp_path):
    _pipeline(movies).run_batch(["u0001"], tmp_path, progress=False)
    with (tmp_path / "results.jsonl").open("ab") as fh:
        fh.write(b'{"user_id": "u0002", "item_id": "m00')  # a crash in the middle of a write
    report = _pipeline(movies).run_batch(["u0001", "u0002"], tmp_path, progress=False)
    assert report.done == 1 and report.skipped == 1
    lines = (tmp_path / "results.jsonl").read_text().splitlines()
    assert len(lines) == 6 and all(json.loads(line) for line in lines)


def test_json_lines_groups_never_interleave(tmp_path):
    import threading

    sink = JsonLines(tmp_path / "x.jsonl")
    threads = [
        threading.Thread(target=sink.append, args=([{"g": g, "i": i} for i in range(50)],))
        for g in range(8)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    records = sink.read()
    assert len(records) == 400
    groups = [r["g"] for r in records]
    assert all(groups[i * 50 : (i + 1) * 50] == [groups[i * 50]] * 50 for i in range(8))


def test_save_png_replaces_atomically(tmp_path):
    from PIL import Image

    path = tmp_path / "a" / "p.png"
    image = Image.new("RGB", (4, 4), (1, 2, 3))
    image.info["taglines.source"] = "test"
    save_png(image, path)
    save_png(Image.new("RGB", (4, 4), (9, 9, 9)), path)
    with Image.open(path) as reopened:
        assert reopened.getpixel((0, 0)) == (9, 9, 9)
    assert [p.name for p in path.parent.iterdir()] == ["p.png"]


KILL_SCRIPT = textwrap.dedent(
    """
    import sys
    from taglines import Pipeline, Settings, load_catalog
    from taglines.models import LocalPosterArt, LocalTaglineWriter
    from taglines.recommend import LocalRecommender

    class Slow(LocalPosterArt):
        def generate(self, prompt, **params):
            import time
            time.sleep(0.15)
            return super().generate(prompt, **params)

    catalog = load_catalog(sys.argv[2])
    pipeline = Pipeline(catalog, LocalRecommender.fit(catalog), LocalTaglineWriter(), Slow(), settings=Settings(), concurrency=4)
    pipeline.run_batch(list(catalog.users["USER_ID"][:40]), sys.argv[1], n=3, progress=False)
    """
)


def test_killing_a_batch_half_way_and_rerunning_gives_every_pair_once(movies, tmp_path):
    out = tmp_path / "out"
    script = tmp_path / "batch.py"
    script.write_text(KILL_SCRIPT)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, str(script), str(out), str(ROOT / "data" / "movies")], env=env
    )
    results = out / "results.jsonl"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and (
        not results.is_file() or results.read_text().count("\n") < 15
    ):
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    partial = _pairs(out)
    assert 15 <= len(partial) < 120, "the kill should land half way"
    report = _pipeline(movies, image=LocalPosterArt()).run_batch(
        list(movies.users["USER_ID"][:40]), out, n=3, progress=False
    )
    assert report.skipped == len({u for u, _ in partial}) and report.failed == 0
    pairs = _pairs(out)
    assert len(pairs) == 120 and len(set(pairs)) == 120
    assert {u for u, _ in pairs} == set(movies.users["USER_ID"][:40])
    assert not list(out.rglob("*.tmp"))


def test_calls_in_flight_respect_the_per_model_limits(movies, tmp_path):
    import threading

    class Gauge:
        def __init__(self):
            self.now = self.peak = 0
            self.lock = threading.Lock()

        def __enter__(self):
            with self.lock:
                self.now += 1
                self.peak = max(self.peak, self.now)

        def __exit__(self, *exc):
            with self.lock:
                self.now -= 1

    text_gauge, image_gauge = Gauge(), Gauge()

    class Text(ScriptedText):
        def generate(self, prompt, **params):
            with text_gauge:
                return super().generate(prompt, **params)

    class Art(CountingArt):
        def generate(self, prompt, **params):
            with image_gauge:
                return super().generate(prompt, **params)

    pipeline = Pipeline(
        movies, LocalRecommender.fit(movies), Text(delay=0.01), Art(delay=0.02), settings=Settings(mode="local"),
        concurrency=6, text_concurrency=2, image_concurrency=1,
    )  # fmt: skip
    report = pipeline.run_batch(list(movies.users["USER_ID"][:12]), tmp_path, progress=False)
    assert report.done == 12
    assert text_gauge.peak == 2 and image_gauge.peak == 1
