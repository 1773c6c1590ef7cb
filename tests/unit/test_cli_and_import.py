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
