"""Resolution across releases: reports of one instrument become one instrument, and nothing else does.

The gold test reads the shared corpus in place: its gold records are ingested as reports
(``seckg ingest --records``), resolved, and exported with ``seckg export --projection instruments``;
every firm group of ``same-agreement.tsv`` must be one instrument, and no two firm gold items of
different groups (or of no group, the near misses among them) may share one. The rule tests
use reports and sentences written for them.
"""

from __future__ import annotations

import csv
import json
from collections import defaultdict

import pyoxigraph as ox
import pytest

from graph.loading import load_records, remove_releases
from graph.model import Agreement, Person, Record
from graph.resolve import Report, compare, resolve_reports
from graph.resolve.people import PersonMention, resolve_people
from graph.resolve.store_io import list_links, read_reports
from graph.store import canonical_nquads, open_store
from tests.explore_support import sample_items
from tests.graph_support import FIXED_TIME, instrument_of, run_cli

run = run_cli


# --- the gold test --------------------------------------------------------------------------------


def test_gold_groups_are_one_instrument_each_and_nothing_else_merges(shared_corpus, tmp_path):
    store, out = str(tmp_path / "store"), tmp_path / "instruments.csv"
    gold = sorted(str(p) for p in (shared_corpus / "gold").glob("*.json"))
    result = run("ingest", "--records", *gold, "--store", store, "--no-progress")
    assert result.exit_code == 0, result.output
    result = run(
        "export", "--projection", "instruments", "--format", "csv", "--out", str(out), "--store", store
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert {
        "instrument",
        "release",
        "index",
        "type",
        "parties",
        "event",
        "date",
        "place",
        "title",
        "rule",
    } <= set(rows[0])
    instrument = {(r["release"], int(r["index"])): r["instrument"] for r in rows}
    reports = sum(
        len(json.loads(p.read_text(encoding="utf-8"))["agreements"])
        for p in (shared_corpus / "gold").glob("*.json")
    )
    assert len(instrument) == reports  # every firm gold agreement is a report

    groups: dict[str, set] = defaultdict(set)
    with (shared_corpus / "same-agreement.tsv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            if not row["index"].startswith("opt"):
                groups[row["cluster"]].add((row["release"], int(row["index"])))
    assert len(groups) >= 10
    for cluster, items in groups.items():
        assert len({instrument[item] for item in items}) == 1, cluster
    group_of = {item: cluster for cluster, items in groups.items() for item in items}
    members: dict[str, set] = defaultdict(set)
    for item, iri in instrument.items():
        members[iri].add(item)
    for iri, items in members.items():
        if len(items) > 1:
            clusters = {group_of.get(item) for item in items}
            assert len(clusters) == 1 and None not in clusters, (iri, sorted(items))
    merged = [r for r in rows if r["rule"]]
    assert merged and all(set(r["rule"].split(",")) <= RULES for r in merged)
    # the near miss of an undated "new agreement" and the 2025 treaty is linked, not merged
    links = run("links", "--decision", "possibly-same", "--format", "json", "--store", store)
    pairs = [
        {row["first"].rsplit("/", 2)[-2][:3], row["second"].rsplit("/", 2)[-2][:3]}
        for row in json.loads(links.output)
    ]
    assert {"414", "420"} in pairs


RULES = {
    "same-signatories",
    "same-name",
    "same-subject",
    "same-place",
    "later-event",
    "same-event",
    "same-date",
    "same-time",
}


# --- determinism -----------------------------------------------------------------------------------


def test_order_of_ingest_and_removal_give_the_same_bytes():
    items = list(sample_items())
    forward, backward = open_store(":memory:"), open_store(":memory:")
    load_records(forward, items, generated_at=FIXED_TIME)
    for item in reversed(items):  # one at a time, the other way round: resolution runs after each
        load_records(backward, [item], generated_at=FIXED_TIME)
    assert canonical_nquads(forward) == canonical_nquads(backward)
    merged = [
        iri
        for iri in set(instrument_of(forward).values())
        if list(instrument_of(forward).values()).count(iri) > 1
    ]
    assert merged, "the samples report an instrument from two releases"

    dropped = items[0][0].id
    without = open_store(":memory:")
    load_records(without, items[1:], generated_at=FIXED_TIME)
    assert remove_releases(forward, [dropped]) == [dropped]
    assert canonical_nquads(forward) == canonical_nquads(without)
    load_records(forward, items[:1], generated_at=FIXED_TIME)  # back again: the same as at first
    assert canonical_nquads(forward) == canonical_nquads(backward)


def test_instrument_iri_does_not_depend_on_which_release_came_first():
    a = Record(
        id="a",
        date="2021-03-02",
        agreements=(
            Agreement("treaty", parties=("AUS", "FJI"), date="2021-03-01", signatories=("Ann Lee",)),
        ),
    )
    b = Record(
        id="b",
        date="2021-03-04",
        agreements=(Agreement("agreement", parties=("AUS", "FJI"), signatories=("Lee",)),),
    )
    one, two = ox.Store(), ox.Store()
    load_records(one, [a, b], generated_at=FIXED_TIME)
    load_records(two, [b], generated_at=FIXED_TIME)
    load_records(two, [a], generated_at=FIXED_TIME)
    assert instrument_of(one) == instrument_of(two)
    assert len(set(instrument_of(one).values())) == 1
    (link,) = list_links(one)
    assert link["decision"] == "merged" and "Ann Lee" in link["reason"]


# --- the rules, on reports written for them --------------------------------------------------------


def report(release: str, kind: str = "agreement", parties=("CHL", "PER"), **fields) -> Report:
    return Report(f"r/{release}", release, 0, kind, tuple(parties), **fields)


def test_same_parties_and_type_in_other_years_stay_two():
    first = report("a", date="2015-05-04", signatories=("Rosa Díaz",))
    later = report("b", date="2019-05-04", signatories=("Rosa Díaz",))
    assert compare(first, later) is None


def test_two_sides_of_one_signing_merge_on_a_shared_signatory_or_place():
    ours = report(
        "a", "treaty", date="2022-06-01", place="Lima", place_country="PER", signatories=("Rosa Díaz",)
    )
    theirs = report("b", "agreement", released="2022-06-02", place="Lima, Peru", place_country="PER")
    found = compare(ours, theirs)
    assert found.decision == "merged" and found.rules == ("same-place",)


def test_other_proper_names_or_kinds_are_other_instruments():
    one = report("a", title="Maritime Surveillance Agreement", date="2022-06-01", signatories=("Rosa Díaz",))
    other = report(
        "b", title="Police Training Cooperation Agreement", date="2022-06-01", signatories=("Díaz",)
    )
    assert compare(one, other) is None
    letter = report("c", "letter-of-intent", date="2022-06-01", signatories=("Rosa Díaz",))
    assert compare(one, letter) is None
    convenio = report(
        "d", title="convenio sobre vigilancia marítima", date="2022-06-01", signatories=("Rosa Díaz",)
    )
    assert compare(convenio, letter).decision == "merged"  # a Spanish convenio may be a letter of intent


def test_a_later_entry_into_force_joins_the_one_signing_it_can_be():
    signed = report("a", date="2019-09-20", title="Border Data Agreement")
    in_force = report("b", event="in-force", released="2020-12-01", title="Border Data Agreement")
    too_early = report("c", event="in-force", released="2019-01-01")
    assert compare(signed, in_force).decision == "merged"
    assert compare(signed, too_early) is None  # in force before it was signed
    result = resolve_reports([signed, in_force])
    assert [len(i.reports) for i in result.instruments] == [2]
    assert result.instruments[0].status == "in-force" and result.instruments[0].signed_on == "2019-09-20"


def test_an_entry_into_force_that_two_signings_could_own_goes_to_the_latest_before_it():
    first = report("a", date="2018-02-01")
    second = report("b", date="2019-07-01")
    in_force = report("c", event="in-force", released="2020-01-10")
    result = resolve_reports([first, second, in_force])
    groups = sorted(sorted(r.release for r in i.reports) for i in result.instruments)
    assert groups == [["a"], ["b", "c"]]
    assert len(result.possible) == 1  # the older signing is linked to it as possibly the same


def test_a_release_reports_an_instrument_once():
    one = Report("r/a/0", "a", 0, "agreement", ("CHL", "PER"), date="2022-06-01", signatories=("Rosa Díaz",))
    two = Report("r/a/1", "a", 1, "agreement", ("CHL", "PER"), date="2022-06-01", signatories=("Rosa Díaz",))
    other = report("b", date="2022-06-01", signatories=("Rosa Díaz",))
    result = resolve_reports([one, two, other])
    assert sorted(len(i.reports) for i in result.instruments) == [1, 2]


def test_agreements_between_organizations_compare_by_their_organizations():
    a = report(
        "a",
        parties=(),
        organizations=("org/interpol", "org/afripol"),
        date="2024-10-16",
        place="Algiers",
        place_country="DZA",
    )
    b = report(
        "b",
        parties=(),
        organizations=("org/afripol", "org/interpol"),
        released="2024-10-17",
        place="Algiers",
        place_country="DZA",
    )
    c = report(
        "c",
        parties=(),
        organizations=("org/interpol", "org/wco"),
        released="2024-10-17",
        place="Algiers",
        place_country="DZA",
    )
    assert compare(a, b).decision == "merged"
    assert compare(a, c) is None


def test_the_order_of_reports_does_not_change_the_result():
    reports = [
        report("a", date="2022-06-01", signatories=("Rosa Díaz",)),
        report("b", "treaty", released="2022-06-03", signatories=("Díaz",)),
        report("c", event="in-force", released="2023-01-05"),
        report("d", date="2016-01-01"),
    ]
    first = resolve_reports(reports)
    assert resolve_reports(list(reversed(reports))) == first
    assert sorted(len(i.reports) for i in first.instruments) == [1, 3]  # in force: 2022's, not 2016's


# --- people ------------------------------------------------------------------------------------


def test_a_surname_joins_the_full_name_only_in_the_same_state_and_time():
    full = PersonMention("p/ana-m-ruiz", "Ana M. Ruiz", "CHL", ("Minister of the Interior",), "2022-06-01")
    short = PersonMention("p/ruiz", "Ruiz", "CHL", ("Interior Minister",), "2022-06-03")
    assert resolve_people([full, short]) == {"p/ruiz": "p/ana-m-ruiz"}
    elsewhere = PersonMention("p/ruiz", "Ruiz", "PER", (), "2022-06-03")
    assert resolve_people([full, elsewhere]) == {}
    decades = PersonMention("p/ruiz", "Ruiz", "CHL", (), "1990-06-03")
    assert resolve_people([full, decades]) == {}
    other_first_name = PersonMention("p/jose-ruiz", "José Ruiz", "CHL", (), "2022-06-03")
    assert resolve_people([full, other_first_name]) == {}
    two_fuller = PersonMention("p/luis-ruiz", "Luis Ruiz", "CHL", (), "2022-06-02")
    assert resolve_people([full, short, two_fuller]) == {}  # "Ruiz" could be either


def test_people_resolved_across_releases_are_one_signatory_of_the_instrument():
    a = Record(
        id="a", date="2022-06-01",
        people=(Person("Ana M. Ruiz", country="CHL", title="Minister of the Interior"),),
        agreements=(
            Agreement("agreement", parties=("CHL", "PER"), date="2022-06-01", signatories=("Ana M. Ruiz",)),
        ),
    )  # fmt: skip
    b = Record(
        id="b", date="2022-06-02",
        people=(Person("Ruiz", country="CHL", title="Interior Minister"),),
        agreements=(Agreement("agreement", parties=("CHL", "PER"), signatories=("Ruiz",)),),
    )  # fmt: skip
    store = ox.Store()
    load_records(store, [a, b], generated_at=FIXED_TIME)
    assert len(read_reports(store)) == 2 and len(set(instrument_of(store).values())) == 1
    rows = store.query(
        "SELECT ?p WHERE { GRAPH <https://w3id.org/seckg/graph/resolution> { ?a seckg:signatory ?p } }",
        prefixes={"seckg": "https://w3id.org/seckg/ontology#"},
    )
    assert [r["p"].value.rsplit("/", 1)[1] for r in rows] == ["ana-m-ruiz"]


@pytest.mark.parametrize("decision", ["merged", "possibly-same"])
def test_links_command_lists_each_decision(tmp_path, decision):
    store = str(tmp_path / "store")
    records = tmp_path / "records.jsonl"
    rows = [
        Record(
            id="a",
            date="2022-06-01",
            agreements=(
                Agreement("agreement", parties=("CHL", "PER"), date="2022-06-01", signatories=("Rosa Díaz",)),
            ),
        ),
        Record(
            id="b",
            date="2022-06-02",
            agreements=(Agreement("treaty", parties=("CHL", "PER"), signatories=("Díaz",)),),
        ),
        Record(
            id="c", agreements=(Agreement("agreement", parties=("CHL", "PER"), title="border agreement"),)
        ),
        Record(
            id="d",
            agreements=(
                Agreement(
                    "agreement", parties=("CHL", "PER"), title="new border agreement", event="in-force"
                ),
            ),
        ),
    ]
    records.write_text("".join(json.dumps(r.to_dict()) + "\n" for r in rows), encoding="utf-8")
    assert run("ingest", "--records", str(records), "--store", store, "--no-progress").exit_code == 0
    result = run("links", "--decision", decision, "--store", store)
    assert result.exit_code == 0, result.output
    assert decision in result.output and "links" in result.output.splitlines()[-1]
    removed = run("remove", "a", "zzz", "--store", store)
    assert removed.exit_code == 1 and "not in the store: zzz" in removed.output


def test_the_analysts_question_is_one_query_over_instruments():
    """How many instruments did DHS sign with Central American states in 2019, on what, and which are
    in force? One row per instrument, with every release that reports it."""
    from graph.query import load_saved_query, run_query

    store = open_store(":memory:")
    load_records(store, list(sample_items()), generated_at=FIXED_TIME)
    saved = load_saved_query("agency-instruments")
    rows = run_query(store, saved.text, params={"year": "2019"}, declared=saved.params).records()
    by_partner = {row["partners"]: row for row in rows}
    assert set(by_partner) == {"GTM", "PAN", "SLV"}
    assert by_partner["SLV"]["status"] == "in-force" and by_partner["PAN"]["status"] == "signed"
    assert set(by_partner["PAN"]["releases"].split(",")) == {
        "01-us-panama-letter-of-intent",
        "17-panama-estados-unidos-carta-de-intencion-es",
    }
    assert by_partner["PAN"]["label"] == "Letter of Intent for Security Cooperation"  # the English name
    assert "cybersecurity" in by_partner["PAN"]["focus"].split(",")
