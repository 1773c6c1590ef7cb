"""The command line and the import-time contract."""

from __future__ import annotations

import json
import subprocess
import sys

from taglines.cli import main
from tests.conftest import ROOT
from tests.helpers import write_dataset


def test_recommend_prints_a_table_of_titles(capsys):
    assert main(["recommend", "--user", "u0001", "--n", "3"]) == 0
    out = capsys.readouterr().out
    assert "Top 3 for u0001" in out and "local mode" in out
    lines = [line for line in out.splitlines() if line.strip().startswith(("1 ", "2 ", "3 "))]
    assert len(lines) == 3
    assert "TITLE" in out and "GENRES" in out and "score" in out


def test_recommend_reads_another_folder(tmp_path, capsys):
    assert (
        main(["recommend", "--user", "u2", "--n", "2", "--data", str(write_dataset(tmp_path))]) == 0
    )
    out = capsys.readouterr().out
    assert "Night Cab" in out or "Glass Tower" in out


def test_errors_exit_2_with_the_message(capsys):
    assert main(["recommend", "--user", "nobody"]) == 2
    assert "error: unknown user 'nobody'" in capsys.readouterr().err


def test_evaluate_prints_hit_rates(capsys):
    assert main(["evaluate", "--k", "10"]) == 0
    out = capsys.readouterr().out
    assert "hit_rate@10" in out and "popularity" in out


def test_python_dash_m_works_in_a_fresh_interpreter():
    result = subprocess.run(
        [sys.executable, "-m", "taglines", "recommend", "--user", "u0002", "--n", "2"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Top 2 for u0002" in result.stdout


def test_import_taglines_loads_no_heavy_dependencies():
    """`import taglines` must not pull in pandas, numpy, boto3, PIL, sagemaker, matplotlib, tqdm."""
    code = "import sys, json, taglines; print(json.dumps(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    loaded = set(json.loads(out))
    heavy = {"pandas", "numpy", "boto3", "botocore", "PIL", "sagemaker", "matplotlib", "tqdm"}
    assert not heavy & loaded


def test_public_names_resolve():
    import taglines

    for name in taglines.__all__:
        assert getattr(taglines, name) is not None, name
    assert set(taglines.__all__) <= set(dir(taglines))


def _fresh(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {"PATH": "/usr/bin:/bin", "HOME": "/nonexistent", **env}
    return subprocess.run(
        [sys.executable, "-m", "taglines", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=clean,
        timeout=120,
        check=False,
    )


def test_provision_dry_run_on_a_machine_without_aws():
    """Fake credentials, no config files, no network: the plan prints and nothing is called."""
    result = _fresh(
        "provision",
        "--dry-run",
        env={
            "AWS_ACCESS_KEY_ID": "fake",
            "AWS_SECRET_ACCESS_KEY": "fake",
            "AWS_REGION": "eu-west-1",
            "TAGLINES_BUCKET": "my-bucket",
        },
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Plan for region eu-west-1 (nothing has been created)" in out
    assert "ml.g5.12xlarge" in out and "ml.g5.2xlarge" in out and "aws-vod-top-picks" in out
    assert "s3://my-bucket/taglines/movies/interactions.csv" in out
    assert "billed per hour" in out and "TAGLINES_PERSONALIZE_ROLE_ARN" in out


def test_provision_dry_run_only_one_part(capsys):
    assert (
        main(
            ["provision", "--dry-run", "--only", "image", "--image-instance-type", "ml.g4dn.xlarge"]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "ml.g4dn.xlarge" in out and "falcon" not in out and "dataset group" not in out


def test_teardown_dry_run_lists_and_deletes_nothing():
    result = _fresh(
        "teardown", "--dry-run", env={"TAGLINES_BUCKET": "b", "TAGLINES_NAME_PREFIX": "ws7"}
    )
    assert result.returncode == 0, result.stderr
    assert "would delete" in result.stdout and "endpoint ws7-falcon-40b-instruct" in result.stdout
    assert "s3://b/ws7/movies/users.csv" in result.stdout


def test_provision_for_real_without_a_region_is_refused(capsys, monkeypatch):
    monkeypatch.delenv("AWS_DEFAULT_REGION")
    assert main(["provision", "--only", "text"]) == 2
    assert "provisioning needs a region: set AWS_REGION" in capsys.readouterr().err


def test_demo_writes_posters_results_and_a_contact_sheet(tmp_path, capsys):
    from PIL import Image

    out = tmp_path / "demo"
    assert main(["demo", "--out", str(out), "--users", "3", "--quiet"]) == 0
    text = capsys.readouterr().out
    assert "LOCAL MODE" in text and "3 users: 3 done" in text and "contact sheet:" in text
    records = [json.loads(line) for line in (out / "results.jsonl").read_text().splitlines()]
    assert len(records) == 9 and len({r["user_id"] for r in records}) == 3
    from taglines import load_catalog

    catalog = load_catalog(ROOT / "data" / "movies")
    firsts = {catalog.user(u).favorite_genres[0] for u in {r["user_id"] for r in records}}
    assert len(firsts) == 3  # sample users with different tastes
    with Image.open(out / "contact_sheet.png") as sheet:
        assert sheet.width > 3 * 256
    assert all((out / r["poster"]).is_file() for r in records)


def test_batch_from_a_file_and_resume(tmp_path, capsys):
    users = tmp_path / "users.txt"
    users.write_text("# sample\nu0001\nu0002\n\nu0003\n")
    out = tmp_path / "out"
    assert (
        main(["batch", "--users", str(users), "--out", str(out), "--quiet", "--concurrency", "2"])
        == 0
    )
    assert "3 users: 3 done" in capsys.readouterr().out
    assert main(["batch", "--users", str(users), "--out", str(out), "--quiet"]) == 0
    assert "0 done, 0 failed, 3 skipped" in capsys.readouterr().out
    assert main(["batch", "--users", str(tmp_path / "nope.txt"), "--out", str(out)]) == 2
    assert "not a file" in capsys.readouterr().err


def test_batch_with_an_unknown_user_exits_1_and_says_why(tmp_path, capsys):
    users = tmp_path / "users.txt"
    users.write_text("u0001\nghost\n")
    assert main(["batch", "--users", str(users), "--out", str(tmp_path / "o"), "--quiet"]) == 1
    assert "ghost: unknown user" in capsys.readouterr().out
