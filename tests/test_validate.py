"""SHACL validation: the sample graph conforms; broken records give readable violations traced to
their release graph; a release without a date is only a warning."""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef

from graph import namespaces as ns
from graph.loading import ingest_record
from graph.model import Agreement, Evidence, Record
from graph.triples import release_graph_iri
from graph.validate import validate_graph, validate_store
from tests.graph_support import FIXED_TIME, build_sample_store, build_store, fixture_items


def test_the_whole_sample_graph_conforms():
    report = validate_store(build_sample_store())
    assert report.violations == [], report.text()
    assert report.graphs >= 17 and report.triples > 1000


def test_fixture_graph_conforms_with_one_warning_for_the_undated_release():
    report = validate_store(build_store(fixture_items()))
    assert report.conforms, report.text()
    assert [(w.severity, w.message, w.graphs) for w in report.warnings] == [
        ("Warning", "the release has no date", (str(release_graph_iri("fx-03-eu-statement")),))
    ]
    assert "WARNING    release fx-03-eu-statement: release:fx-03-eu-statement dcterms:issued" in report.text()


BROKEN = Record(
    id="broken",
    date="2020-01-01",
    countries=("PAN",),
    agreements=(
        Agreement("treaty"),  # no party
        Agreement("pact", parties=("XXX", "PAN"), focus_areas=("space-security",)),
    ),
    focus_areas=("space-security",),
    evidence=(Evidence("agreements", 1, "A pact.", 10, 3),),
)


@pytest.fixture(scope="module")
def broken_report():
    store = build_store(fixture_items())
    ingest_record(store, BROKEN, generated_at=FIXED_TIME)
    return validate_store(store)


def test_broken_records_give_violations_in_their_release(broken_report):
    assert not broken_report.conforms
    messages = {
        (i.message, i.value.rsplit("/", 1)[-1] if i.value else None) for i in broken_report.violations
    }
    assert messages >= {
        ("every party is a country or an international organization (such as the EU)", "XXX"),
        ("an agreement has exactly one type from the agreement-type scheme", "pact"),
        ("every focus area of an agreement is in the focus-area scheme", "space-security"),
        ("every focus area of a release is in the focus-area scheme", "space-security"),
        ("evidence has one start offset, a non-negative integer not after its end", "10"),
    }
    broken_graph = str(release_graph_iri("broken"))
    assert all(i.graphs == (broken_graph,) for i in broken_report.violations)
    # no party: right between international organizations (the contract's "parties": []), so a warning
    (partyless,) = [i for i in broken_report.warnings if i.path == str(ns.SECKG.party)]
    assert partyless.graphs == (broken_graph,) and partyless.focus.endswith("/broken/0")


def test_report_text_is_readable(broken_report):
    text = broken_report.text()
    first = text.splitlines()[0]
    assert first.startswith(f"{len(broken_report.violations)} violation(s), 2 warning(s)")
    assert first.endswith("does NOT conform")
    assert "VIOLATION  release broken: report:broken/1" in text
    assert "WARNING    release broken: report:broken/0 seckg:party: the agreement names no state" in text
    assert "seckg:party = country:XXX: every party is a country" in text
    assert text.index("VIOLATION") < text.index("WARNING")


def test_one_release_graph_can_be_validated_alone():
    store = build_store(fixture_items())
    ingest_record(store, BROKEN, generated_at=FIXED_TIME)
    clean = validate_store(store, graph=str(release_graph_iri("fx-01-panama-letter")))
    assert clean.conforms and clean.graphs == 2  # the release graph and the reference graph
    with pytest.raises(ValueError, match="no graph"):
        validate_store(store, graph="https://example.org/none")


def test_a_role_must_point_to_an_agency():
    g = Graph()
    person, post = URIRef("https://example.org/p"), URIRef("https://example.org/post")
    g.add((person, ns.RDF.type, ns.FOAF.Person))
    g.add((person, ns.ORG.holds, post))
    g.add((post, ns.RDF.type, ns.ORG.Post))
    g.add((post, ns.RDFS.label, Literal("Minister")))
    issues = validate_graph(g)
    assert [i.message for i in issues] == [
        "a person's role points to an agency (org:postIn an org:FormalOrganization)"
    ]


def test_the_contracts_own_records_conform(shared_corpus):
    """Every gold record of the shared corpus, loaded as it is, gives no violation: what the
    contract allows (an instrument between international organizations binds no state,
    ``parties: []``) is at most a warning, traced to the release graph that describes it."""
    import json

    from graph.loading import load_records
    from graph.store import open_store

    gold = sorted((shared_corpus / "gold").glob("*.json"))
    records = [Record.from_dict(json.loads(path.read_text(encoding="utf-8"))) for path in gold]
    store = open_store(":memory:")
    load_records(store, records, generated_at=FIXED_TIME)
    report = validate_store(store)
    assert report.violations == [], report.text()
    partyless = {r.id for r in records if any(not a.parties for a in r.agreements)}
    assert partyless, "the corpus has instruments between international organizations"
    flagged = {i.graphs for i in report.warnings if i.path == str(ns.SECKG.party)}
    assert flagged == {(str(release_graph_iri(rid)),) for rid in partyless}
