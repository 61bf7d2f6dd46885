"""The accuracy gate: the extractor on the shared corpus, scored by the shared scorer.

Floors sit just under what the extractor reaches, so accuracy cannot silently regress.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from graph import extract, read_paths
from tests.conftest import SAMPLES

# Measured with `python ../shared/tools/score.py --gold ../shared/corpus/gold --pred P --language en`.
# Reached on 2026-11-29: overall 0.992; countries 1.000, agencies 0.989, people 1.000,
# agreements 1.000, focus_areas 0.973 (English); overall 0.961 (Spanish); 0.985 (samples).
EN_FLOORS = {
    "overall": 0.97,
    "countries": 0.97,
    "agencies": 0.95,
    "people": 0.95,
    "agreements": 0.95,
    "focus_areas": 0.94,
}
ES_FLOOR = 0.90
SAMPLES_FLOOR = 0.95


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


@pytest.fixture(scope="module")
def corpus_records(shared_corpus):
    return [extract(r) for r in read_paths([shared_corpus / "releases"])]


def test_english_accuracy_floor(corpus_records, shared_corpus, score_script, tmp_path):
    scores = _score(score_script, shared_corpus / "gold", corpus_records, tmp_path, "en")
    assert scores["overall_f1"] >= EN_FLOORS["overall"], scores
    for field, floor in EN_FLOORS.items():
        if field != "overall":
            assert scores["fields"][field]["f1"] >= floor, (field, scores["fields"][field])


def test_spanish_accuracy_floor(corpus_records, shared_corpus, score_script, tmp_path):
    scores = _score(score_script, shared_corpus / "gold", corpus_records, tmp_path, "es")
    assert scores["overall_f1"] >= ES_FLOOR, scores


def test_no_agreement_where_gold_has_none(corpus_records, shared_corpus):
    """A release whose gold record has no agreement, firm or optional, gets none."""
    by_id = {r.id: r for r in corpus_records}
    for gold_path in sorted((shared_corpus / "gold").glob("*.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        optional = (gold.get("optional") or {}).get("agreements") or []
        if gold["agreements"] or optional:
            continue
        assert by_id[gold["id"]].agreements == (), gold["id"]


def test_samples_match_their_expected_records(score_script, tmp_path):
    records = [extract(r) for r in read_paths([SAMPLES / "releases"])]
    assert len(records) == len(list((SAMPLES / "expected").glob("*.json")))
    scores = _score(score_script, SAMPLES / "expected", records, tmp_path, None)
    assert scores["overall_f1"] >= SAMPLES_FLOOR, scores
    assert scores["fields"]["agreements"]["f1"] >= SAMPLES_FLOOR, scores
