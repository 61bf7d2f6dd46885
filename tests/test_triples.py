"""Records to RDF: stable IRIs, provenance, evidence, no blank nodes (pure: no store, no files)."""

from __future__ import annotations

import logging

import pytest
from rdflib import BNode, Literal, URIRef

from graph import namespaces as ns
from graph.model import Agreement, Evidence, Person, Record, Release
from graph.reference import agency_reference, country_reference, reference_graph, skolemize
from graph.triples import (
    agency_iri,
    country_iri,
    evidence_iri,
    focus_iri,
    person_iri,
    record_content_hash,
    record_graph,
    record_to_quads,
    release_content_hash,
    release_graph_iri,
    release_iri,
    report_iri,
    slug,
)
from tests.graph_support import FIXED_TIME, fixture_items, fixture_records

ARGS = {"extractor_version": "0.1.0", "content_hash": "sha256:" + "0" * 64, "generated_at": FIXED_TIME}


def graph_of(record: Record, release: Release | None = None):
    return record_graph(record, release, **ARGS)


def test_iris_are_readable_and_stable():
    assert str(country_iri("pan")) == "https://w3id.org/seckg/id/country/PAN"
    assert str(country_iri("EU")) == "https://w3id.org/seckg/id/country/EU"
    assert str(agency_iri("Ministerio de Gobernación", "GTM")).endswith(
        "/agency/GTM/ministerio-de-gobernacion"
    )
    assert str(agency_iri("Europol", None)).endswith("/agency/int/europol")
    assert str(person_iri("Chad F. Wolf")).endswith("/id/person/chad-f-wolf")
    assert str(release_iri("a b/c")) == "https://w3id.org/seckg/id/release/a%20b%2Fc"
    assert str(release_graph_iri("x")) == "https://w3id.org/seckg/graph/release/x"
    assert str(focus_iri("cybersecurity")) == "https://w3id.org/seckg/focus/cybersecurity"
    assert slug("¡¿!").startswith("x-")
    with pytest.raises(ValueError):
        country_iri("Panama")


def test_report_iri_is_the_release_and_position_and_carries_the_richer_fields():
    assert str(report_iri("r/1", 2)) == "https://w3id.org/seckg/id/report/r%2F1/2"
    from graph.model import Commitment, Reference

    a = Agreement(
        "arrangement", parties=("USA", "HND"), date="2020-03-02", event="in-force", place="Tegucigalpa",
        place_country="HND", commitments=(Commitment("share data on X", ("information-sharing",), 5, 20),),
        references=(Reference("builds-on", "agreement", "the 2019 agreement", ("HND", "USA")),),
    )  # fmt: skip
    g = graph_of(Record(id="r", agreements=(a, a)))
    first, second = report_iri("r", 0), report_iri("r", 1)
    assert (first, ns.RDF.type, ns.SECKG.AgreementReport) in g and (
        second,
        ns.SECKG.position,
        Literal(1),
    ) in g
    assert g.value(first, ns.SECKG.event) == Literal("in-force")
    assert g.value(first, ns.SECKG.place) == Literal("Tegucigalpa")
    assert g.value(first, ns.SECKG.placeCountry) == country_iri("HND")
    commitment = g.value(first, ns.SECKG.commitment)
    assert str(g.value(commitment, ns.RDFS.label)) == "share data on X"
    assert (commitment, ns.SECKG.focusArea, focus_iri("information-sharing")) in g
    assert g.value(commitment, ns.SECKG.startOffset) == Literal(5)
    reference = g.value(first, ns.SECKG.reference)
    assert g.value(reference, ns.SECKG.relation) == Literal("builds-on")
    assert not list(g.subjects(ns.RDF.type, ns.SECKG.Agreement))  # instruments come from resolution


def test_same_record_gives_same_quads_and_no_blank_nodes():
    for record, release in fixture_items():
        first = record_to_quads(record, release, **ARGS)
        assert first == record_to_quads(record, release, **ARGS)
        assert len(first) == len(set(first))
        assert not any(isinstance(term, BNode) for quad in first for term in quad)
        assert {quad[3] for quad in first} == {release_graph_iri(record.id)}


def test_release_metadata_and_provenance():
    record, release = fixture_items()[0]
    g = graph_of(record, release)
    rel, gname = release_iri(record.id), release_graph_iri(record.id)
    assert (rel, ns.RDF.type, ns.SCHEMA.NewsArticle) in g
    assert g.value(rel, ns.DCTERMS.issued) == Literal("2019-12-17", datatype=ns.XSD.date)
    assert str(g.value(rel, ns.DCTERMS.title)).startswith("Panama and the United States Sign")
    assert g.value(rel, ns.DCTERMS.source) == URIRef("https://example.org/seckg-fixtures/fx-01")
    assert (
        str(g.value(g.value(rel, ns.DCTERMS.publisher), ns.RDFS.label))
        == "seckg test fixture (invented wording)"
    )
    assert (gname, ns.RDF.type, ns.SECKG.ReleaseGraph) in g
    assert g.value(gname, ns.PROV.wasDerivedFrom) == rel
    assert str(g.value(gname, ns.SECKG.contentHash)) == ARGS["content_hash"]
    assert str(g.value(gname, ns.SECKG.extractorVersion)) == "0.1.0"
    assert g.value(gname, ns.PROV.generatedAtTime).datatype == ns.XSD.dateTime
    activity = g.value(gname, ns.PROV.wasGeneratedBy)
    assert g.value(activity, ns.PROV.used) == rel
    assert (g.value(activity, ns.PROV.wasAssociatedWith), ns.RDF.type, ns.PROV.SoftwareAgent) in g


def test_agreement_parties_signatories_roles_and_focus():
    record, release = fixture_items()[0]
    g = graph_of(record, release)
    agreement = report_iri(record.id, 0)
    assert set(g.objects(agreement, ns.SECKG.party)) == {country_iri("PAN"), country_iri("USA")}
    assert set(g.objects(agreement, ns.SECKG.signatory)) == {
        person_iri("Chad F. Wolf"),
        person_iri("Rolando Mirones"),
    }
    assert g.value(agreement, ns.SECKG.signedOn) == Literal("2019-12-17", datatype=ns.XSD.date)
    assert g.value(agreement, ns.SECKG.reportedBy) == release_iri(record.id)
    assert str(g.value(agreement, ns.DCTERMS.type)).endswith("/agreement-type/letter-of-intent")
    assert focus_iri("cybersecurity") in set(g.objects(agreement, ns.SECKG.focusArea))
    post = g.value(person_iri("Chad F. Wolf"), ns.ORG.holds)
    assert (post, ns.RDF.type, ns.ORG.Post) in g
    assert str(g.value(post, ns.RDFS.label)) == "Acting Secretary of Homeland Security"
    assert g.value(post, ns.ORG.postIn) == agency_iri("Department of Homeland Security", "USA")
    assert g.value(agency_iri("Department of Homeland Security", "USA"), ns.SECKG.country) == country_iri(
        "USA"
    )
    assert focus_iri("transnational-crime") in set(g.objects(release_iri(record.id), ns.DCTERMS.subject))


def test_two_instruments_in_one_release_stay_two():
    record = fixture_records()[1]
    assert record.agreements[0].type == record.agreements[1].type
    g = graph_of(record)
    assert len(set(g.subjects(ns.RDF.type, ns.SECKG.AgreementReport))) == 2
    # a person known only as a member of an agency
    assert g.value(person_iri("Julian Pacheco"), ns.ORG.memberOf) == agency_iri(
        "Secretariat of Security", "HND"
    )


def test_international_bodies_and_the_eu():
    record = fixture_records()[2]
    g = graph_of(record)
    europol = agency_iri("Europol", None)
    assert (europol, ns.RDF.type, ns.SECKG.InternationalOrganization) in g
    assert g.value(europol, ns.SECKG.country) is None
    agreement = report_iri(record.id, 0)
    assert country_iri("EU") in set(g.objects(agreement, ns.SECKG.party))
    assert g.value(release_iri(record.id), ns.DCTERMS.issued) is None


def test_every_evidence_points_at_its_sentence_in_the_release_text():
    for record, release in fixture_items():
        g = graph_of(record, release)
        nodes = set(g.subjects(ns.RDF.type, ns.SECKG.Evidence))
        assert len(nodes) == len(record.evidence)
        for ev in record.evidence:
            node = evidence_iri(record.id, ev)
            start, end = int(g.value(node, ns.SECKG.startOffset)), int(g.value(node, ns.SECKG.endOffset))
            assert release.text[start:end] == str(g.value(node, ns.SECKG.sentence))
            assert g.value(node, ns.PROV.wasQuotedFrom) == release_iri(record.id)
            assert len(set(g.subjects(ns.SECKG.hasEvidence, node))) == 1
    record = fixture_records()[0]
    g = graph_of(record)
    agreement = report_iri(record.id, 0)
    sentences = {str(g.value(n, ns.SECKG.sentence)) for n in g.objects(agreement, ns.SECKG.hasEvidence)}
    assert any(s.startswith("Panama and the United States signed") for s in sentences)
    focus_evidence = set(g.objects(focus_iri("cybersecurity"), ns.SECKG.hasEvidence))
    assert len(focus_evidence) == 1


def test_bad_values_are_left_out_and_logged(caplog):
    record = Record(
        id="bad",
        date="17/12/2019",
        url="not a url with spaces",
        countries=("PAN", "Panama"),
        people=(Person("Ana Example", organization="Ministry of Examples"),),
        agreements=(Agreement("treaty", parties=("PAN", "??"), date="2019-02-30"),),
        evidence=(Evidence("agreements", 5, "Nothing.", 0, 8), Evidence("people", 0, "Ana.", 0, 4)),
    )
    with caplog.at_level(logging.WARNING, logger="graph.triples"):
        g = graph_of(record)
    text = caplog.text
    assert "'17/12/2019' is not a YYYY-MM-DD date" in text
    assert "'Panama' is not an ISO alpha-3 code" in text and "'??'" in text
    assert "not a valid IRI" in text
    assert g.value(release_iri("bad"), ns.DCTERMS.issued) is None
    agreement = report_iri("bad", 0)
    assert set(g.objects(agreement, ns.SECKG.party)) == {country_iri("PAN")}
    assert g.value(agreement, ns.SECKG.signedOn) is None
    assert len(set(g.subjects(ns.RDF.type, ns.SECKG.Evidence))) == 1  # the one pointing at nothing is dropped


def test_content_hashes():
    a = Release(id="a", text="Body.", title="T")
    assert release_content_hash(a) == release_content_hash(Release(id="a", text="Body.", title="T"))
    assert release_content_hash(a) != release_content_hash(Release(id="a", text="Body!", title="T"))
    assert release_content_hash(a) != release_content_hash(Release(id="a", text="Body.", title="U"))
    r = fixture_records()[0]
    assert record_content_hash(r) == record_content_hash(Record.from_dict(r.to_dict()))
    assert record_content_hash(r).startswith("sha256:") and len(record_content_hash(r)) == 71


def test_reference_graph_holds_ontology_and_gazetteer_facts():
    g = reference_graph()
    assert g.identifier == ns.REFERENCE_GRAPH
    assert (ns.SECKG.Agreement, ns.RDF.type, ns.OWL.Class) in g
    assert (country_iri("EU"), ns.RDF.type, ns.SECKG.InternationalOrganization) in g
    assert g.value(ns.REFERENCE_GRAPH, ns.SECKG.contentHash).startswith("sha256:")
    assert not any(isinstance(term, BNode) for triple in g for term in triple)
    assert set(g) == set(reference_graph())  # deterministic


def test_gazetteer_rows_become_reference_triples():
    countries = country_reference(
        [
            {
                "alpha3": "PAN",
                "qid": "Q804",
                "names": "Panama|~Panamá|República de Panamá",
                "demonyms": "Panamanian",
            },
            {"alpha3": "bad!", "qid": "", "names": "Nowhere"},
            {"alpha3": "MEX", "qid": "not-a-qid", "names": "Mexico"},
        ]
    )
    pan = country_iri("PAN")
    assert (pan, ns.RDF.type, ns.SCHEMA.Country) in countries
    assert (pan, ns.OWL.sameAs, ns.WD.Q804) in countries
    assert countries.value(pan, ns.RDFS.label) == Literal("Panama", lang="en")
    assert {str(o) for o in countries.objects(pan, ns.SKOS.altLabel)} == {"Panamá", "República de Panamá"}
    assert countries.value(country_iri("MEX"), ns.OWL.sameAs) is None
    assert (country_iri("EU"), ns.OWL.sameAs, ns.WD.Q458) in countries
    agencies = agency_reference(
        [
            {"id": "dhs", "name": "Department of Homeland Security", "country": "USA", "qid": "Q11208",
             "acronyms": "DHS", "es_names": "Departamento de Seguridad Nacional"},
            {"id": "cbp", "name": "Customs and Border Protection", "country": "USA", "parent": "dhs"},
            {"id": "interpol", "name": "INTERPOL", "country": ""},
        ]
    )  # fmt: skip
    dhs = agency_iri("Department of Homeland Security", "USA")
    assert (agency_iri("Customs and Border Protection", "USA"), ns.ORG.subOrganizationOf, dhs) in agencies
    assert (dhs, ns.SKOS.altLabel, Literal("Departamento de Seguridad Nacional", lang="es")) in agencies
    assert (dhs, ns.OWL.sameAs, ns.WD.Q11208) in agencies
    assert (agency_iri("INTERPOL", None), ns.RDF.type, ns.SECKG.InternationalOrganization) in agencies


def test_skolemize_replaces_blank_nodes_deterministically():
    from rdflib import Graph

    def build():
        g = Graph()
        g.parse(data="<http://e/a> <http://e/p> [ <http://e/q> 1 ] .", format="turtle")
        return skolemize(g)

    first, second = build(), build()
    assert set(first) == set(second)
    assert not any(isinstance(t, BNode) for triple in first for t in triple)
    assert any(
        str(t).startswith("https://w3id.org/seckg/.well-known/genid/") for triple in first for t in triple
    )
