"""The notebook: committed clean, and executed top to bottom in local mode."""

from __future__ import annotations

import json

import nbformat
import pytest
from nbclient import NotebookClient

from tests.conftest import ROOT

NOTEBOOK = ROOT / "personalized-tag-lines.ipynb"


def test_committed_without_outputs():
    nb = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert code
    dirty = [
        i for i, c in enumerate(code) if c.get("outputs") or c.get("execution_count") is not None
    ]
    assert not dirty, f"code cells {dirty} carry outputs: clear them before committing"


def test_one_parameters_cell_and_only_the_public_api():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    tagged = [c for c in nb.cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1
    source = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert "taglines._" not in source and "from taglines." not in source.replace(
        "from taglines.provision import", ""
    )
    assert "boto3" not in source  # AWS calls live in the package


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    """Run once for the module, in a clean environment: no TAGLINES_* or AWS settings leak in."""
    import os

    out = tmp_path_factory.mktemp("notebook")
    with pytest.MonkeyPatch.context() as env:
        for var in list(os.environ):
            if var.startswith(("TAGLINES_", "AWS_")):
                env.delenv(var)
        env.setenv("AWS_ACCESS_KEY_ID", "testing")
        env.setenv("AWS_SECRET_ACCESS_KEY", "testing")
        env.setenv("AWS_DEFAULT_REGION", "us-east-1")
        env.setenv("AWS_CONFIG_FILE", str(out / "no-config"))
        env.setenv("AWS_SHARED_CREDENTIALS_FILE", str(out / "no-credentials"))
        return _execute(out)


def _execute(out):
    nb = nbformat.read(NOTEBOOK, as_version=4)
    index = next(
        i for i, c in enumerate(nb.cells) if "parameters" in c.get("metadata", {}).get("tags", [])
    )
    injected = nbformat.v4.new_code_cell(
        f"OUT_DIR = {str(out / 'batch')!r}\nBATCH_USERS = 8\nMODE = 'local'"
    )
    nb.cells.insert(index + 1, injected)  # like papermill's injected-parameters cell
    NotebookClient(
        nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}}
    ).execute()
    nbformat.write(nb, out / "executed.ipynb")
    return nb, out


def test_runs_top_to_bottom_in_local_mode(executed):
    nb, _ = executed
    errors = [
        o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"
    ]
    assert not errors
    text = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs)
    assert "LOCAL MODE" in text
    assert "<movie>" in text and "Tagline:" in text  # the prompt is shown in full


def test_posters_are_shown_inline_and_written(executed):
    nb, out = executed
    images = [
        o
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.outputs
        if "image/png" in o.get("data", {})
    ]
    assert len(images) >= 3  # genre chart, the user's posters, the side-by-side comparison
    posters = sorted((out / "batch" / "posters").glob("*.png"))
    assert len(posters) == 8 * 3
    lines = (out / "batch" / "results.jsonl").read_text().splitlines()
    assert len(lines) == 24 and all(json.loads(line)["local"] for line in lines)
