"""The saved query ``signatories`` reads a signatory's role, agency and country in the releases
that report the instrument, not in any release that names the person: a minister who signs one
instrument and is named in another release under another title keeps, for that instrument, the
title under which they signed it. A shorter spelling resolved to the fullest name (``Wolf`` ->
``Chad F. Wolf``) keeps the role its own release gives it, under the fullest name."""

from __future__ import annotations

from collections import Counter

import pyoxigraph as ox
import pytest

from graph.query import load_saved_query, run_query
from tests.graph_support import build_sample_store

E = "https://example.org/"

# e:mou is reported by release 1 (Ana, "Minister of X") and release 3 ("Wolf", resolved as
# Chad F. Wolf, "Acting Secretary"); release 2 reports only e:accord (signed by Luis) and names
# Ana as "Ambassador of Y" for country YYY and Chad F. Wolf as "Secretary": neither belongs to e:mou.
RELEASES = """
@prefix seckg: <https://w3id.org/seckg/ontology#> . @prefix org: <http://www.w3.org/ns/org#> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> . @prefix dcterms: <http://purl.org/dc/terms/> .
@prefix e: <https://example.org/> .
<https://w3id.org/seckg/graph/resolution> {
  e:mou a seckg:Agreement ; dcterms:title "Memorandum" ; seckg:signatory e:ana , e:chad-wolf .
  e:accord a seckg:Agreement ; seckg:signatory e:luis .
  e:report1 seckg:reportOf e:mou . e:report3 seckg:reportOf e:mou . e:report2 seckg:reportOf e:accord .
  e:wolf seckg:resolvedAs e:chad-wolf . }
e:release1 {
  e:report1 a seckg:AgreementReport ; seckg:signatory e:ana .
  e:ana foaf:name "Ana Ruiz" ; seckg:country e:x ; org:holds e:minister .
  e:minister rdfs:label "Minister of X" ; org:postIn e:ministry .
  e:ministry rdfs:label "Ministry of X" . e:x skos:notation "XXX" . }
e:release2 {
  e:report2 a seckg:AgreementReport ; seckg:signatory e:luis .
  e:luis foaf:name "Luis" ; org:memberOf e:police . e:police rdfs:label "Police" .
  e:ana foaf:name "Ana Ruiz" ; seckg:country e:y ; org:holds e:ambassador .
  e:ambassador rdfs:label "Ambassador of Y" ; org:postIn e:embassy .
  e:embassy rdfs:label "Embassy of Y" . e:y skos:notation "YYY" .
  e:chad-wolf foaf:name "Chad F. Wolf" ; seckg:country e:usa ; org:holds e:secretary .
  e:secretary rdfs:label "Secretary" ; org:postIn e:dhs .
  e:dhs rdfs:label "Department of Homeland Security" . e:usa skos:notation "USA" . }
e:release3 {
  e:report3 a seckg:AgreementReport ; seckg:signatory e:wolf .
  e:wolf foaf:name "Wolf" ; seckg:country e:usa ; org:holds e:acting .
  e:acting rdfs:label "Acting Secretary" ; org:postIn e:dhs .
  e:dhs rdfs:label "Department of Homeland Security" . e:usa skos:notation "USA" . }
"""

DHS = "Department of Homeland Security"
COLUMNS = ("agreement", "title", "name", "role", "agencyName", "country")


@pytest.fixture(scope="module")
def releases() -> ox.Store:
    store = ox.Store()
    store.load(RELEASES.encode(), format=ox.RdfFormat.TRIG)
    return store


def signatories(store: ox.Store, **params: str) -> list[tuple[str | None, ...]]:
    """The saved query's rows as tuples of its columns, in its order."""
    query = load_saved_query("signatories")
    result = run_query(store, query.text, params=params, declared=query.params)
    assert tuple(result.variables) == COLUMNS
    return [tuple(row[column] for column in COLUMNS) for row in result.records()]


def test_the_role_is_the_one_given_by_the_release_reporting_the_instrument(releases):
    rows = [row for row in signatories(releases) if row[0] == f"{E}mou"]
    assert ("Ana Ruiz", "Minister of X", "Ministry of X", "XXX") in {row[2:] for row in rows}
    assert not [row for row in rows if row[3] in {"Ambassador of Y", "Secretary"} or row[5] == "YYY"]


def test_a_shorter_spelling_resolved_to_the_fullest_name_keeps_its_role(releases):
    rows = [row for row in signatories(releases) if row[0] == f"{E}mou"]
    wolf = [row[2:] for row in rows if "Wolf" in row[2]]
    assert wolf == [("Chad F. Wolf", "Acting Secretary", DHS, "USA")]


def test_the_whole_answer(releases):
    assert signatories(releases) == [
        (f"{E}accord", None, "Luis", None, "Police", None),
        (f"{E}mou", "Memorandum", "Ana Ruiz", "Minister of X", "Ministry of X", "XXX"),
        (f"{E}mou", "Memorandum", "Chad F. Wolf", "Acting Secretary", DHS, "USA"),
    ]


@pytest.mark.parametrize("agreement", ["mou", "accord"])
def test_a_bound_agreement_gets_the_rows_of_the_whole_answer(releases, agreement):
    everything = Counter(row for row in signatories(releases) if row[0] == f"{E}{agreement}")
    assert everything
    assert Counter(signatories(releases, agreement=f"<{E}{agreement}>")) == everything


def test_on_the_samples_each_instrument_gets_the_titles_of_its_own_releases():
    """Kristi Noem is the "Secretary of Homeland Security" in the English releases of Belize's
    and Ecuador's instruments and the "secretaria de Seguridad Nacional" in the Spanish release of
    Guatemala's; the Spanish release of Panama's letter of intent spells Chad F. Wolf "Wolf"."""
    roles: dict[tuple[str, str], set[str | None]] = {}
    for agreement, _, name, role, _, _ in signatories(build_sample_store()):
        roles.setdefault((agreement.rsplit("/", 1)[1].rsplit("-", 1)[0], name), set()).add(role)
    secretary, secretaria = (
        "Secretary of Homeland Security",
        "secretaria de Seguridad Nacional de los Estados Unidos",
    )
    assert roles[("memorandum-of-cooperation-blz-usa-2025", "Kristi Noem")] == {secretary}
    assert roles[("memorandum-of-understanding-ecu-usa", "Kristi Noem")] == {secretary}
    assert roles[("memorandum-of-understanding-gtm-usa-2025", "Kristi Noem")] == {secretaria}
    assert roles[("letter-of-intent-pan-usa-2019", "Chad F. Wolf")] == {
        "Acting Secretary of Homeland Security",
        "secretario interino de Seguridad Nacional de los Estados Unidos",
    }
