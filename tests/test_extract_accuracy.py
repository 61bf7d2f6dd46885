"""The accuracy gate: the extractor on the shared corpus, scored by the shared scorer.

The corpus splits in two. Releases 001-066 are the ones the first rules were written on; 201-420
came later, from states, bodies and instrument kinds the first lack. Each part has its own floors,
set just under what the extractor measured on it (see the dates below): they are raised with
every gain and never lowered.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from graph import extract, read_paths
from tests.conftest import SAMPLES

# Measured with `python bench/crossval.py` (or the scorer on each half with --language).
# First part (001-066), reached on 2026-11-29: English overall 0.992 (countries 1.000, agencies
# 0.989, people 1.000, agreements 1.000, focus_areas 0.973); Spanish 0.978. With the one-pass
# extractor (2026-12-06): English 0.992 (countries 1.000, agencies 0.983, people 1.000, agreements
# 1.000, focus 0.976); Spanish 0.987. Floors sit a little under the measured figures.
FIRST = {
    "en": {"overall": 0.985, "countries": 0.99, "agencies": 0.975, "people": 0.99, "agreements": 0.99,
           "focus_areas": 0.97},
    "es": {"overall": 0.98},
}  # fmt: skip
# Later part (201-420). Before any rule was written on it (2026-12-06): English overall 0.775
# (countries 0.937, agencies 0.659, people 0.792, agreements 0.613, focus 0.874); Spanish 0.771.
# With the one-pass extractor and its general rules (2026-12-06): English 0.962 (countries 0.985,
# agencies 0.929, people 0.965, agreements 0.960, focus 0.970); Spanish 0.956 (countries 1.000,
# agencies 0.864, people 0.973, agreements 0.977, focus 0.967).
LATER = {
    "en": {"overall": 0.955, "countries": 0.98, "agencies": 0.92, "people": 0.955, "agreements": 0.955,
           "focus_areas": 0.965},
    "es": {"overall": 0.95, "countries": 0.99, "agencies": 0.855, "people": 0.965, "agreements": 0.97,
           "focus_areas": 0.96},
}  # fmt: skip
SAMPLES_FLOOR = 0.95
# The richer agreement fields (contract, "Richer agreements") on the whole shared corpus, per
# language: event and place accuracy over matched agreements, commitments F1 (span overlap).
# Before the rules (2026-12-06): event en 0.867 / es 0.957, place 0.43, commitments 0.000. With
# places, commitments and references read from grammar (2026-12-06): en event 0.907, place
# 0.853, commitments 0.513; es event 0.957, place 0.826, commitments 0.400. A later act in the
# sentence of the signing as the event (2026-12-06): en event 0.947.
RICHER = {
    "en": {"event": 0.94, "place": 0.85, "commitments": 0.51},
    "es": {"event": 0.95, "place": 0.82, "commitments": 0.39},
}


def _first_part(stem: str) -> bool:
    return int(stem[:3]) < 100


def _score(score_script: Path, gold: Path, records, tmp_path: Path, language: str | None) -> dict:
    pred = tmp_path / f"pred-{language}.jsonl"
    pred.write_text(
        "".join(json.dumps(r.to_dict(), ensure_ascii=False) + "\n" for r in records), encoding="utf-8"
    )
    cmd = [sys.executable, str(score_script), "--gold", str(gold), "--pred", str(pred), "--json"]
    if language:
        cmd += ["--language", language]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    return json.loads(out)


def _gold_part(shared_corpus: Path, tmp_path: Path, first: bool) -> Path:
    """A folder (in the test's temporary directory) with the gold records of one part."""
    folder = tmp_path / ("gold-first" if first else "gold-later")
    folder.mkdir()
    for path in (shared_corpus / "gold").glob("*.json"):
        if _first_part(path.stem) == first:
            shutil.copy(path, folder / path.name)
    return folder


@pytest.fixture(scope="module")
def corpus_releases(shared_corpus):
    return list(read_paths([shared_corpus / "releases"]))


@pytest.fixture(scope="module")
def corpus_records(corpus_releases):
    return [extract(r) for r in corpus_releases]


def test_every_evidence_offset_indexes_its_sentence(corpus_releases, corpus_records):
    """The contract's "Offsets": ``text[start:end]`` (or the title's, for title evidence) is the
    evidence sentence, on every release, every field (countries included)."""
    checked = 0
    for release, record in zip(corpus_releases, corpus_records, strict=True):
        for ev in record.evidence:
            source = release.title if ev.part == "title" else release.text
            assert source[ev.start : ev.end] == ev.sentence, (release.id, ev)
            checked += 1
        fields = {ev.field for ev in record.evidence}
        for field in ("countries", "agencies", "people", "agreements", "focus_areas"):
            assert not getattr(record, field) or field in fields, (release.id, field)
    assert checked > 1000


@pytest.mark.parametrize("first", [True, False], ids=["001-066", "201-420"])
@pytest.mark.parametrize("language", ["en", "es"])
def test_accuracy_floor(corpus_records, shared_corpus, score_script, tmp_path, first, language):
    gold = _gold_part(shared_corpus, tmp_path, first)
    scores = _score(score_script, gold, corpus_records, tmp_path, language)
    floors = (FIRST if first else LATER)[language]
    assert scores["overall_f1"] >= floors["overall"], scores
    for field, floor in floors.items():
        if field != "overall":
            assert scores["fields"][field]["f1"] >= floor, (field, scores["fields"][field])


@pytest.mark.parametrize("language", ["en", "es"])
def test_richer_fields_floor(corpus_records, shared_corpus, score_script, tmp_path, language):
    details = _score(score_script, shared_corpus / "gold", corpus_records, tmp_path, language)[
        "agreement_details"
    ]
    floors = RICHER[language]
    assert details["event"]["accuracy"] >= floors["event"], details["event"]
    assert details["place"]["accuracy"] >= floors["place"], details["place"]
    assert details["commitments"]["f1"] >= floors["commitments"], details["commitments"]


def test_every_commitment_offset_indexes_its_text(corpus_releases, corpus_records):
    """A commitment's ``start``/``end`` index the release text: ``text[start:end] == text``."""
    checked = 0
    for release, record in zip(corpus_releases, corpus_records, strict=True):
        for agreement in record.agreements:
            for c in agreement.commitments:
                assert release.text[c.start : c.end] == c.text, (release.id, c)
                checked += 1
    assert checked > 50


# Negatives that still get an agreement (none since 2026-12-06; never to grow).
KNOWN_NEGATIVE_ERRORS: set[str] = set()


def test_no_agreement_where_gold_has_none(corpus_records, shared_corpus):
    """A release whose gold record has no agreement, firm or optional, gets none."""
    by_id = {r.id: r for r in corpus_records}
    wrong = set()
    for gold_path in sorted((shared_corpus / "gold").glob("*.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        optional = (gold.get("optional") or {}).get("agreements") or []
        if gold["agreements"] or optional:
            continue
        if by_id[gold["id"]].agreements:
            wrong.add(gold["id"])
    assert wrong <= KNOWN_NEGATIVE_ERRORS, sorted(wrong - KNOWN_NEGATIVE_ERRORS)


def test_samples_match_their_expected_records(score_script, tmp_path):
    records = [extract(r) for r in read_paths([SAMPLES / "releases"])]
    assert len(records) == len(list((SAMPLES / "expected").glob("*.json")))
    scores = _score(score_script, SAMPLES / "expected", records, tmp_path, None)
    assert scores["overall_f1"] >= SAMPLES_FLOOR, scores
    assert scores["fields"]["agreements"]["f1"] >= SAMPLES_FLOOR, scores
