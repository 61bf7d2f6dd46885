"""Shared fixtures: where the shared corpus and the project's samples are, and a headless browser."""

from __future__ import annotations

import os
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


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium, headless, through Playwright: one per test module (skips without it,
    which fails under ``CI=true``)."""
    from tests.explore_support import CHROMIUM, CHROMIUM_ARGS

    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is absent (install Debian's chromium: make system-deps)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Under ``CI=true`` a test whose prerequisite is missing (Chromium, ``../shared``) fails: the
    continuous integration machine must have everything, so a skip there hides a broken setup."""
    outcome = yield
    report = outcome.get_result()
    if report.skipped and os.environ.get("CI", "").lower() in {"true", "1", "yes"}:
        report.outcome = "failed"
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.longrepr = f"skipped under CI=true, which needs every prerequisite: {reason}"
