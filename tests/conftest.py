"""Shared fixtures: where the shared corpus and the project's samples are."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"
SAMPLES = ROOT / "data" / "samples"


@pytest.fixture(scope="session")
def shared_corpus() -> Path:
    """The shared corpus beside the checkout (CI has it); tests that need it skip without it."""
    if not (CORPUS / "releases").is_dir():
        pytest.skip("../shared/corpus is not beside the checkout")
    return CORPUS


@pytest.fixture(scope="session")
def score_script() -> Path:
    path = SHARED / "tools" / "score.py"
    if not path.is_file():
        pytest.skip("../shared/tools/score.py is not beside the checkout")
    return path
