"""The README's local-mode snippet runs as written."""

from __future__ import annotations

import re

from PIL import Image

from tests.conftest import MOVIES, ROOT


def test_local_poster_snippet_runs(tmp_path, monkeypatch):
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    (snippet,) = re.findall(r"```python\n(from taglines import \(.*?)```", text, re.S)
    monkeypatch.chdir(tmp_path)
    exec(snippet.replace('"data/movies"', repr(str(MOVIES))), {})
    poster = Image.open(tmp_path / "poster.png")
    assert poster.size == (512, 768)


def test_the_iam_policy_in_the_readme_is_valid_json():
    import json

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    (policy,) = re.findall(r"```json\n(.*?)```", text, re.S)
    document = json.loads(policy)
    actions = {a for s in document["Statement"] for a in s["Action"]}
    for needed in (
        "sagemaker:CreateEndpoint",
        "sagemaker:DeleteModel",
        "personalize:CreateRecommender",
        "iam:PassRole",
        "s3:PutObject",
    ):
        assert needed in actions
