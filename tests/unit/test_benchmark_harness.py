"""The benchmark harness keeps working (a tiny run; no timing is asserted here)."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT


def test_emulator_answers_boto3_like_sagemaker_and_personalize():
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from emulator import Emulator, Endpoint

    import taglines

    endpoints = {
        "falcon": Endpoint("text", 0.0, 2),
        "sd21": Endpoint("image", 0.0, 1),
        "personalize": Endpoint("recommender", 0.0, 4),
    }
    with Emulator(
        endpoints, lambda user, n: [{"itemId": f"m{i}", "score": 0.5} for i in range(n)]
    ) as emulator:
        runtime = taglines.make_client(
            "sagemaker-runtime", region="us-east-1", endpoint_url=emulator.url
        )
        personalize = taglines.make_client(
            "personalize-runtime", region="us-east-1", endpoint_url=emulator.url
        )
        arn = "arn:aws:personalize:us-east-1:123456789012:recommender/x"
        recs = taglines.PersonalizeRecommender(recommender_arn=arn, client=personalize).recommend(
            "u1", n=3
        )
        assert [r.item_id for r in recs] == ["m0", "m1", "m2"]
        assert (
            taglines.FalconEndpoint("falcon", client=runtime)
            .generate("hi")
            .startswith(" Emulated tagline")
        )
        assert taglines.StableDiffusionEndpoint("sd21", client=runtime).generate(
            "x", width=64, height=96
        ).size == (64, 96)
        try:
            taglines.FalconEndpoint("missing", client=runtime).generate("hi")
        except taglines.GenerationError as exc:
            assert "not found" in str(exc)
        assert (
            endpoints["falcon"].calls,
            endpoints["sd21"].calls,
            endpoints["personalize"].calls,
        ) == (1, 1, 1)


def test_tiny_benchmark_run_prints_the_table():
    args = [
        "--users",
        "6",
        "--seq-users",
        "2",
        "--concurrency",
        "1,2",
        "--target-concurrency",
        "2",
        "--text-latency",
        "0.01",
        "--image-latency",
        "0.01",
        "--rec-latency",
        "0.001",
        "--skip-extras",
    ]
    result = subprocess.run(
        [sys.executable, "benchmarks/bench.py", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert "wall/ideal" in result.stdout and "run_batch c2" in result.stdout, result.stderr
    assert "image calls ≤ distinct (movie, facet) pairs" in result.stdout
    assert "no 'connection pool is full' warnings" in result.stdout
