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
