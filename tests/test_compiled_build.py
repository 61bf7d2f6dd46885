"""The compiled build (``make compiled``: the extractor's modules through mypyc, ``setup.py``) runs
compiled code of the current sources and writes the same records, byte for byte, as the sources.

The build lives in its own venv (``.venv-compiled``); ``make test`` builds it first. It runs here in
a folder outside the checkout, so that Python finds the installed package, not ``graph/`` in the
working directory.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, SAMPLES

COMPILED = ROOT / ".venv-compiled"
PYTHON = COMPILED / "bin" / "python"


@pytest.fixture(scope="module")
def compiled(tmp_path_factory) -> Path:
    if not (COMPILED / ".installed").is_file():
        pytest.skip("the compiled build is missing: run `make compiled`")
    return tmp_path_factory.mktemp("compiled")


#: Where the compiled venv's ``graph.extract`` is (the name ``graph.extract`` is the function).
_WHERE = "import graph, pathlib, sys; print(pathlib.Path(sys.modules['graph.extract.doc'].__file__).parent)"


def _installed_extract(cwd: Path) -> Path:
    out = subprocess.run([str(PYTHON), "-c", _WHERE], cwd=cwd, capture_output=True, text=True, check=True)
    return Path(out.stdout.strip())


def _package_files(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in root.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and not p.name.endswith(".so")
    }


def test_the_compiled_build_is_compiled_and_current(compiled):
    folder = _installed_extract(compiled)
    installed = _package_files(folder.parent)  # the installed package: graph/, ontology in it
    sources = _package_files(ROOT / "graph") | {
        f"ontology/{name}": data for name, data in _package_files(ROOT / "ontology").items()
    }
    stale = sorted(name for name, data in sources.items() if installed.get(name) != data)
    assert not stale, f"the compiled build is older than {stale[:5]}: run `make compiled`"
    for name in sorted(p.name for p in (ROOT / "graph" / "extract").glob("*.py")):
        if name != "__init__.py":  # the package's __init__ stays Python (see setup.py)
            assert list(folder.glob(f"{name[:-3]}.*.so")), f"{name} is not compiled"


def test_the_compiled_build_says_so(compiled):
    out = subprocess.run(
        [str(COMPILED / "bin" / "seckg"), "--version"], cwd=compiled, capture_output=True, text=True
    )
    assert out.returncode == 0 and out.stdout.strip().endswith("(extractor compiled: yes)"), out.stdout


def _extract(command: list[str], inputs: list[Path], out: Path, cwd: Path) -> bytes:
    subprocess.run(
        [*command, "extract", *map(str, inputs), "--no-progress", "--jobs", "2", "--out", str(out)],
        cwd=cwd, check=True, capture_output=True,
    )  # fmt: skip
    return out.read_bytes()


def test_compiled_records_equal_the_sources_records(compiled, shared_corpus):
    inputs = [shared_corpus / "releases", SAMPLES / "releases"]
    pure = _extract([sys.executable, "-m", "graph"], inputs, compiled / "pure.jsonl", ROOT)
    fast = _extract([str(COMPILED / "bin" / "seckg")], inputs, compiled / "compiled.jsonl", compiled)
    assert pure.count(b"\n") > 100
    assert fast == pure


def test_a_graph_package_in_the_working_directory_does_not_reach_the_workers(compiled):
    """A folder with a ``graph/`` package of its own (another project's, a checkout's) is not what
    the workers import: their fork server starts with the working directory off ``sys.path``
    (``graph.extraction_worker.ensure_fork_server``). Before, every release failed there with
    "the worker failed" (``No module named 'graph.console'``)."""
    folder = compiled / "project"
    (folder / "graph").mkdir(parents=True)
    (folder / "graph" / "__init__.py").write_text("")
    release = folder / "release.txt"
    release.write_text("Canada and Mexico signed a memorandum of understanding on customs.", encoding="utf-8")
    out = folder / "out.jsonl"
    command = [str(COMPILED / "bin" / "seckg"), "extract", str(release), "--jobs", "2", "--no-progress"]
    run = subprocess.run([*command, "--out", str(out)], cwd=folder, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert '"countries": ["CAN", "MEX"]' in out.read_text(encoding="utf-8")
