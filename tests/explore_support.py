"""Shared helpers of the exploration tests (analysis, viewer, notebooks, CLI).

The *sample graph* is what ``extract`` and the store make of ``data/samples/releases``: the
session fixture :func:`sample_store` ingests them once into a temporary store directory with
:func:`tests.graph_support.build_store`. Expected figures are computed from the records
themselves (:func:`sample_records`), so the tests follow the extractor as it improves.
"""

from __future__ import annotations

import dataclasses
from functools import cache
from pathlib import Path

import pytest

from graph.extract import extract
from graph.ingest import read_path, read_paths
from graph.model import Agency, Person, Record, Release
from tests.graph_support import ROOT, SAMPLES, build_store

EXPLORE = ROOT / "tests" / "data" / "explore"
OUT = ROOT / "out"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip
XSS = "window.__xss=1"

_opened: dict[str, object] = {}


@cache
def sample_items() -> tuple[tuple[Record, Release], ...]:
    """(record, release) pairs of the sample releases, as ``extract`` makes them."""
    return tuple((extract(r), r) for r in read_paths([SAMPLES / "releases"]))


def sample_records() -> list[Record]:
    """The records of the sample graph."""
    return [record for record, _ in sample_items()]


@pytest.fixture(scope="session")
def sample_store(tmp_path_factory):
    """The sample graph in a temporary Oxigraph directory (built once per test session)."""
    if "sample" not in _opened:
        _opened["sample"] = build_store(sample_items(), tmp_path_factory.mktemp("sample") / "store")
    return _opened["sample"]


@pytest.fixture(scope="session")
def sample_typed(sample_store):
    """The typed projection of the sample graph."""
    from graph.analysis.projections import typed_graph

    if "typed" not in _opened:
        _opened["typed"] = typed_graph(sample_store)
    return _opened["typed"]


def hostile_items() -> list[tuple[Record, Release]]:
    """The hostile release as extracted, plus a hand-made record of it whose names carry payloads.

    The extractor keeps the payloads in the title and evidence sentences; the hand-made record
    puts them also in a person's and an agency's name and the agreement's title, so the viewer is
    tested on every kind of text whatever the extractor makes of the names.
    """
    (release,) = read_path(EXPLORE / "hostile.txt")
    record = extract(release)
    name = 'Alice <script>window.__xss=1</script> Tremblay <img src=x onerror="window.__xss=1">'
    agency = 'Agency <img src=x onerror="window.__xss=1"> of <a href="javascript:window.__xss=1">Customs</a>'
    agreement = dataclasses.replace(
        record.agreements[0],
        title='MOU <script>window.__xss=1</script><a href="javascript:window.__xss=1">read</a>',
        signatories=(name,),
    )
    crafted = dataclasses.replace(
        record,
        id="hostile-names",
        people=(
            Person(
                name=name, title="Minister <svg onload=window.__xss=1>", organization=agency, country="CAN"
            ),
        ),
        agencies=(Agency(name=agency, country="CAN"),),
        agreements=(agreement,),
    )
    return [(record, release), (crafted, dataclasses.replace(release, id="hostile-names"))]


__all__ = [
    "CHROMIUM",
    "CHROMIUM_ARGS",
    "EXPLORE",
    "OUT",
    "XSS",
    "hostile_items",
    "sample_items",
    "sample_records",
    "sample_store",
    "sample_typed",
]
