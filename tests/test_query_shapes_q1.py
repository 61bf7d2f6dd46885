"""Saved queries reshaped for speed keep their answers: a person's posts come once per title and
release, however many releases name the person; a bound parameter, which the reshaped queries
also bind inside their sub-SELECTs, keeps the rows of the whole answer that carry its value."""

from __future__ import annotations

from collections import Counter

import pyoxigraph as ox
import pytest

from graph.query import load_saved_query, run_query
from tests.graph_support import build_sample_store

E = "https://example.org/"

POSTS = """
@prefix seckg: <https://w3id.org/seckg/ontology#> . @prefix schema: <https://schema.org/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> . @prefix prov: <http://www.w3.org/ns/prov#> .
@prefix dcterms: <http://purl.org/dc/terms/> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix e: <https://example.org/> .
<https://w3id.org/seckg/graph/resolution> { e:wolf seckg:resolvedAs e:chad-wolf . }
e:g1 {
  e:g1 prov:wasDerivedFrom e:r1 . e:r1 dcterms:issued "2019-01-01"^^xsd:date .
  e:ana foaf:name "Ana" ; schema:jobTitle "Minister" .
  e:chad-wolf foaf:name "Chad Wolf" ; schema:jobTitle "Acting Secretary" . }
e:g2 {
  e:g2 prov:wasDerivedFrom e:r2 .
  e:ana foaf:name "Ana" ; schema:jobTitle "Ambassador" .
  e:wolf foaf:name "Wolf" ; schema:jobTitle "Secretary" .
  e:chad-wolf foaf:name "Chad Wolf" . }
e:g3 { e:g3 prov:wasDerivedFrom e:r3 . e:ana foaf:name "Ana" . }
"""


@pytest.fixture(scope="module")
def posts_store() -> ox.Store:
    store = ox.Store()
    store.load(POSTS.encode(), format=ox.RdfFormat.TRIG)
    return store


def person_posts(store: ox.Store, **params: str) -> Counter:
    query = load_saved_query("person-posts")
    rows = run_query(store, query.text, params=params, declared=query.params).records()
    return Counter(
        (r["person"].removeprefix(E), r["name"], r["title"], r["issued"], r["release"].removeprefix(E))
        for r in rows
    )


def test_a_person_named_in_several_releases_gets_one_row_per_title_and_release(posts_store):
    """Ana is named in three releases and has a post in two: two rows, not one per naming graph;
    "Wolf" was resolved as Chad Wolf, so his post counts for Chad Wolf, under the fuller name."""
    assert person_posts(posts_store) == Counter(
        {
            ("ana", "Ana", "Minister", "2019-01-01", "r1"): 1,
            ("ana", "Ana", "Ambassador", None, "r2"): 1,
            ("chad-wolf", "Chad Wolf", "Acting Secretary", "2019-01-01", "r1"): 1,
            ("chad-wolf", "Chad Wolf", "Secretary", None, "r2"): 1,
        }
    )


def test_a_bound_person_gets_the_same_rows_as_in_the_whole_answer(posts_store):
    everything = person_posts(posts_store)
    for person in ("ana", "chad-wolf"):
        one = person_posts(posts_store, person=f"<{E}{person}>")
        assert one == Counter({row: n for row, n in everything.items() if row[0] == person})


def signatories(store: ox.Store, **params: str) -> Counter:
    query = load_saved_query("signatories")
    rows = run_query(store, query.text, params=params, declared=query.params).records()
    return Counter(tuple(row.values()) for row in rows)


def test_a_bound_agreement_gets_its_rows_of_the_whole_signatories_answer():
    """Each piece of the query starts from the signatories of the bound agreement: it must keep
    every row of that agreement (name, role, agency and country), and no other."""
    store = build_sample_store()
    everything = signatories(store)
    agreements = {row[0] for row in everything}
    assert len(agreements) > 1 and any(row[3] for row in everything)  # roles, several instruments
    for agreement in sorted(agreements):
        one = signatories(store, agreement=f"<{agreement}>")
        assert one == Counter({row: n for row, n in everything.items() if row[0] == agreement})
