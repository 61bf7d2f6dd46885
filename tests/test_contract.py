"""Records from outside keep the contract or are refused: the gold records and the extractor's own
records pass :func:`graph.contract.record_problems`; ``ingest --records`` reports each record that
breaks it in one line, loads the others and ends with status 1."""

from __future__ import annotations

import dataclasses
import json

import pytest

from graph.contract import record_problems
from graph.model import Agreement, Commitment, Evidence, Record, Reference
from graph.store import open_store, triple_count
from tests.graph_support import run_cli, sample_items


def test_the_gold_records_keep_the_contract(shared_corpus):
    gold = sorted((shared_corpus / "gold").glob("*.json"))
    assert len(gold) > 100
    for path in gold:
        record = Record.from_dict(json.loads(path.read_text(encoding="utf-8")))
        assert record_problems(record) == [], path.name


def test_the_extractors_records_keep_the_contract():
    for record, _ in sample_items():
        assert record_problems(record) == [], record.id


GOOD = Record(
    id="ok",
    date="2020-02-29",
    countries=("PAN", "USA"),
    agreements=(
        Agreement(
            "memorandum-of-understanding",
            parties=("EU", "PAN"),
            focus_areas=("cybersecurity",),
            commitments=(Commitment("Share data.", ("cybersecurity",), 3, 14),),
            references=(Reference("builds-on", "treaty", None, ("PAN",)),),
        ),
    ),
    evidence=(Evidence("agreements", 0, "A memorandum.", 0, 12),),
)


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"date": "2019-02-29"}, "date '2019-02-29' is not a date (YYYY-MM-DD)"),
        ({"date": "29/02/2020"}, "date '29/02/2020' is not a date"),
        ({"language": "English"}, "language 'English' is not a language tag"),
        ({"countries": ("PAN", "Panama")}, "countries 'Panama' is not a country code of the gazetteer"),
        ({"focus_areas": ("space",)}, "focus_areas 'space' is not a focus area"),
        (
            {"agreements": (dataclasses.replace(GOOD.agreements[0], type="pact"),)},
            "agreements[0].type 'pact' is not an agreement type",
        ),
        (
            {"agreements": (dataclasses.replace(GOOD.agreements[0], event="signing"),)},
            "agreements[0].event 'signing' is not one of signed, in-force",
        ),
        (
            {"agreements": (dataclasses.replace(GOOD.agreements[0], place_country="XX"),)},
            "agreements[0].place_country 'XX' is not a country code",
        ),
        (
            {
                "agreements": (
                    dataclasses.replace(GOOD.agreements[0], commitments=(Commitment("x", (), 9, 2),)),
                )
            },
            "agreements[0].commitments[0] offsets 9..2 are not a span of the text",
        ),
        (
            {
                "agreements": (
                    dataclasses.replace(GOOD.agreements[0], references=(Reference("cites", "treaty"),)),
                )
            },
            "agreements[0].references[0].relation 'cites' is not one of builds-on",
        ),
        ({"evidence": (Evidence("places", 0, "x", 0, 1),)}, "evidence[0].field 'places' is not one of"),
        ({"evidence": (Evidence("agreements", 0, "x", 0, 1, "body"),)}, "evidence[0].part 'body'"),
    ],
)
def test_each_broken_value_is_named(change, problem):
    assert record_problems(GOOD) == []
    problems = record_problems(dataclasses.replace(GOOD, **change))
    assert len(problems) == 1 and problems[0].startswith(problem), problems


def test_values_of_the_wrong_json_type_are_problems_not_crashes():
    data = GOOD.to_dict()
    data["agreements"][0]["type"] = ["treaty"]
    data["countries"] = [7]
    data["agreements"][0]["commitments"][0]["end"] = -1
    problems = record_problems(Record.from_dict(data))
    assert [p.split(" ", 1)[0] for p in problems] == [
        "countries",
        "agreements[0].type",
        "agreements[0].commitments[0]",
    ]


def test_ingest_records_refuses_each_record_that_breaks_the_contract(tmp_path):
    records = tmp_path / "records.jsonl"
    lines = [
        {"id": "r1", "countries": ["ZZZ"], "agreements": [{"type": "nonsense", "parties": ["QQQ"]}]},
        {"id": "r2", "date": "not-a-date"},
        GOOD.to_dict(),
    ]
    records.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    store = tmp_path / "store"
    result = run_cli("ingest", "--records", str(records), "--store", str(store))
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert errors == [
        f"error: {records}:1: record 'r1' breaks the contract: countries 'ZZZ' is not a country code of the "
        "gazetteer (or EU); agreements[0].type 'nonsense' is not an agreement type; agreements[0].parties "
        "'QQQ' is not a country code of the gazetteer (or EU)",
        f"error: {records}:2: record 'r2' breaks the contract: date 'not-a-date' is not a date (YYYY-MM-DD)",
    ]
    handle = open_store(str(store))
    graphs = {q.graph_name.value.rsplit("/", 1)[-1] for q in handle}
    assert "ok" in graphs and not {"r1", "r2"} & graphs
    assert triple_count(handle) > 0
