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
from tests.graph_support import ROOT, SAMPLES, build_store, instrument_of

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


@cache
def sample_instruments() -> dict[tuple[str, int], str]:
    """``{(release id, position): instrument IRI}`` of the sample graph, as resolution makes them."""
    return instrument_of(build_store(sample_items()))


@dataclasses.dataclass(frozen=True)
class ExpectedInstrument:
    """What the documented rules make of one instrument's reports in the sample records."""

    iri: str
    release_id: str
    type: str
    parties: tuple[str, ...]
    year: int | None
    topics: tuple[str, ...]
    release_ids: tuple[str, ...]


@cache
def expected_instruments() -> tuple[ExpectedInstrument, ...]:
    """One entry per instrument: first release, commonest type, all parties, signing (else first
    release) year, own focus areas (else those of the releases that report it)."""
    from collections import Counter, defaultdict

    from graph.model import AGREEMENT_TYPES

    found = sample_instruments()
    groups: dict[str, list] = defaultdict(list)
    for record, release in sample_items():
        for i, a in enumerate(record.agreements):
            groups[found[(record.id, i)]].append((record, release, a))
    out = []
    for iri, items in sorted(groups.items()):
        items.sort(key=lambda x: (x[1].date or "9999", x[0].id))
        signed = sorted(a.date for _, _, a in items if a.date and a.event in ("signed", "announced"))
        first_date = signed[0] if signed else next((rel.date for _, rel, _ in items if rel.date), None)
        own = sorted({f for _, _, a in items for f in a.focus_areas})
        topics = own or sorted({f for r, _, _ in items for f in r.focus_areas})
        types = Counter(a.type for _, _, a in items)
        kind = min(types, key=lambda t: (-types[t], AGREEMENT_TYPES.index(t)))
        out.append(ExpectedInstrument(
            iri, items[0][0].id, kind, tuple(sorted({p for _, _, a in items for p in a.parties})),
            int(first_date[:4]) if first_date else None, tuple(topics), tuple(r.id for r, _, _ in items),
        ))  # fmt: skip
    return tuple(out)


def instrument_count(keep=lambda agreement: True) -> int:
    """How many instruments of the sample graph have a report that ``keep`` accepts."""
    found = sample_instruments()
    return len({found[(r.id, i)] for r in sample_records() for i, a in enumerate(r.agreements) if keep(a)})


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
