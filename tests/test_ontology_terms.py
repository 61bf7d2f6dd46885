"""The ontology files: the closed namespace matches seckg.ttl, every seckg: term used exists,
the Turtle parses, and every saved query says what it answers and runs."""

from __future__ import annotations

import re

import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef

from graph import namespaces as ns
from graph import resources
from graph.query import PARAM_KINDS, load_saved_query, run_query, saved_queries
from graph.sparql_lex import query_form
from graph.triples import record_to_quads
from tests.graph_support import FIXED_TIME, fixture_items

SECKG_BASE = str(ns.SECKG._NS)
DECLARATIONS = {ns.OWL.Class, ns.OWL.ObjectProperty, ns.OWL.DatatypeProperty}


def declared_terms() -> set[str]:
    g = resources.ontology_graph("seckg.ttl")
    return {
        str(s)[len(SECKG_BASE) :]
        for s, o in g.subject_objects(ns.RDF.type)
        if o in DECLARATIONS and str(s).startswith(SECKG_BASE)
    }


def test_closed_namespace_matches_the_ontology():
    in_python = set(ns.SECKG.__annotations__)
    assert in_python == declared_terms()
    with pytest.raises(AttributeError):
        _ = ns.SECKG.noSuchTerm


def test_every_declared_term_has_a_label_and_definition():
    g = resources.ontology_graph("seckg.ttl")
    for term in declared_terms():
        iri = URIRef(SECKG_BASE + term)
        assert g.value(iri, ns.RDFS.label) is not None, term
        assert g.value(iri, ns.SKOS.definition) is not None, term


def used_seckg_terms(text: str) -> set[str]:
    full = set(re.findall(re.escape(SECKG_BASE) + r"(\w+)", text))
    return full | set(re.findall(r"\bseckg:(\w+)", text))


@pytest.mark.parametrize("name", ["shapes.ttl", *[f"queries/{q}.rq" for q in resources.saved_query_names()]])
def test_files_use_only_declared_terms(name):
    text = resources.ontology_text(name)
    assert used_seckg_terms(text) <= declared_terms()


def test_triples_use_only_declared_terms():
    used = set()
    for record, release in fixture_items():
        for quad in record_to_quads(
            record, release, extractor_version="0", content_hash="sha256:0", generated_at=FIXED_TIME
        ):
            used |= {str(t)[len(SECKG_BASE) :] for t in quad[:3] if str(t).startswith(SECKG_BASE)}
    assert used <= declared_terms()
    assert {"AgreementReport", "party", "signatory", "hasEvidence", "sentence", "event"} <= used


@pytest.mark.parametrize("name", [*resources.REFERENCE_FILES, "shapes.ttl"])
def test_ontology_files_parse(name):
    try:
        text = resources.ontology_text(name)
    except FileNotFoundError:
        pytest.skip(f"ontology/{name} not written yet")
    graph = Graph().parse(data=text, format="turtle")
    assert len(graph) > 10


def test_shapes_load_in_pyshacl():
    from pyshacl import validate

    conforms, _, _ = validate(Graph(), shacl_graph=resources.shapes_graph())
    assert conforms


def test_focus_scheme_matches_the_contract_ids():
    try:
        g = resources.ontology_graph("focus-areas.ttl")
    except FileNotFoundError:
        pytest.skip("ontology/focus-areas.ttl not written yet")
    concepts = set(g.subjects(ns.SKOS.inScheme, ns.FOCUS_SCHEME))
    assert concepts, "no concept is in the scheme <https://w3id.org/seckg/focus>"
    for concept in concepts:
        assert str(concept) == str(ns.FOCUS[str(g.value(concept, ns.SKOS.notation))])
    assert ns.FOCUS["cybersecurity"] in concepts and ns.FOCUS["counter-narcotics"] in concepts


def test_agreement_type_scheme_covers_the_contract_types():
    from graph.model import AGREEMENT_TYPES

    try:
        g = resources.ontology_graph("agreement-types.ttl")
    except FileNotFoundError:
        pytest.skip("ontology/agreement-types.ttl not written yet")
    concepts = set(g.subjects(ns.SKOS.inScheme, ns.AGREEMENT_TYPE_SCHEME))
    assert {ns.AGREEMENT_TYPE[t] for t in AGREEMENT_TYPES} <= concepts


def test_saved_queries_say_what_they_answer_and_run():
    names = resources.saved_query_names()
    assert {
        "dhs-partners-by-year",
        "agreements-by-focus",
        "signatories",
        "focus-areas-by-country",
        "agencies-by-country",
        "agreement-evidence",
    } <= set(names)
    store = ox.Store()
    samples = {"focus": "cybersecurity", "country": "PAN", "agency": "USA/department-of-homeland-security",
               "agreement": "treaty-0", "person": "Chad F. Wolf", "release": "r", "type": "treaty",
               "iri": "https://example.org/x", "date": "2020-01-01", "integer": "3",
               "string": "x"}  # fmt: skip
    for saved in saved_queries():
        assert saved.question.endswith("?"), saved.name
        assert query_form(saved.text) == "SELECT", saved.name
        for param in saved.params:
            assert param.kind in PARAM_KINDS
            assert re.search(rf"SELECT[^{{]*\?{param.name}\b", saved.text), (
                f"{saved.name}: ?{param.name} not projected"
            )
        run_query(store, saved.text, declared=saved.params)  # defaults only
        values = {p.name: samples[p.kind] for p in saved.params}
        result = run_query(store, saved.text, params=values, declared=saved.params)
        assert result.rows == []


def test_unknown_saved_query_names_the_known_ones():
    from graph.query import QueryError

    with pytest.raises(QueryError, match=r"known: .*signatories"):
        load_saved_query("no-such-query")
    with pytest.raises(QueryError, match="not a saved query name"):
        load_saved_query("../seckg")
