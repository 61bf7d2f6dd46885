"""The notebooks: stored without outputs, calling ``graph.*`` only, and running on the sample graph."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from tests.explore_support import sample_records
from tests.graph_support import ROOT

NOTEBOOKS = ROOT / "notebooks"
NAMES = ["01-explore", "02-network-analysis", "03-your-own-releases"]


def _read(name: str) -> nbformat.NotebookNode:
    return nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)


def _run(name: str, out: Path, monkeypatch, **env: str) -> nbformat.NotebookNode:
    monkeypatch.setenv("SECKG_OUT", str(out))
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    notebook = _read(name)
    NotebookClient(
        notebook, timeout=240, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOKS)}}
    ).execute()
    return notebook


def _text(notebook: nbformat.NotebookNode) -> str:
    parts = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            parts.append(output.get("text", ""))
            parts.extend(str(v) for v in output.get("data", {}).values())
    return "\n".join(parts)


@pytest.mark.parametrize("name", NAMES)
def test_notebooks_are_stored_without_outputs(name):
    notebook = _read(name)
    nbformat.validate(notebook)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, f"{name}: strip the outputs"


@pytest.mark.parametrize("name", NAMES)
def test_notebooks_call_graph_functions_only(name):
    source = "\n".join(c.source for c in _read(name).cells if c.cell_type == "code")
    assert not re.search(r"^\s*(def|class) ", source, flags=re.MULTILINE), "no logic copied into notebooks"
    imported = set(re.findall(r"^\s*(?:from|import) ([\w.]+)", source, flags=re.MULTILINE))
    assert imported <= {"os", "pathlib", "pandas"} | {
        m for m in imported if m == "graph" or m.startswith("graph.")
    }


def test_explore_notebook(tmp_path, monkeypatch):
    notebook = _run("01-explore", tmp_path, monkeypatch)
    text = _text(notebook)
    assert f"{len(sample_records())} releases ->" in text
    assert "Counts are of instruments" in text
    assert '<iframe srcdoc="&lt;!DOCTYPE html&gt;' in text
    assert (tmp_path / "viewer.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_network_analysis_notebook(tmp_path, monkeypatch):
    notebook = _run("02-network-analysis", tmp_path, monkeypatch)
    images = [o for c in notebook.cells for o in c.get("outputs", []) if "image/png" in o.get("data", {})]
    assert len(images) >= 5  # centrality, communities, heat map, timeline, year x focus
    heat = tmp_path / "notebook-heatmap.png"
    assert heat.read_bytes().startswith(b"\x89PNG") and heat.stat().st_size > 20_000
    assert "United States" in _text(notebook)


def test_your_own_releases_notebook(tmp_path, monkeypatch):
    store = tmp_path / "store"
    notebook = _run("03-your-own-releases", tmp_path, monkeypatch, SECKG_NOTEBOOK_STORE=str(store))
    text = _text(notebook)
    count = len(sample_records())
    assert f"{count} releases read (0 could not be read): {count} added" in text
    assert (tmp_path / "my-countries.gexf").is_file() and (tmp_path / "my-countries" / "nodes.csv").is_file()
    again = _run("03-your-own-releases", tmp_path, monkeypatch, SECKG_NOTEBOOK_STORE=str(store))
    assert f"0 added, 0 replaced, {count} unchanged" in _text(again)


def test_make_notebooks_installs_jupyterlab_and_opens_the_notebooks():
    import shutil
    import subprocess

    from tests.test_packaging import ROOT as PROJECT
    from tests.test_packaging import tomllib

    extras = tomllib.loads((PROJECT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert any(r.startswith("jupyterlab>=4") for r in extras["optional-dependencies"]["notebooks"])
    make = shutil.which("make")
    assert make, "make is needed to check the Makefile"

    def dry_run(target: str) -> str:
        done = subprocess.run([make, "-n", target], cwd=PROJECT, capture_output=True, text=True, check=True)
        return done.stdout

    planned = dry_run("notebooks")
    assert re.search(r"pip install -q -e '\.\[[\w,]*notebooks[\w,]*\]'", planned)
    assert "jupyter lab --notebook-dir=notebooks" in planned
    for target in ("install", "test"):
        assert "notebooks]" not in dry_run(target) and "jupyter" not in dry_run(target)
