"""Read what the projections need from a store: a few SPARQL ``SELECT`` queries, no files.

Every fact about a release (agreements, agencies, people, what a release mentions) is read
from the release graphs only; labels, notations and the agency hierarchy may come from any
graph, the reference graph included. The answer is plain Python data (:class:`Facts`), which
:mod:`graph.analysis.projections` turns into networkx graphs.

Examples
--------
>>> import pyoxigraph as ox
>>> facts = read_facts(ox.Store())
>>> facts.agreements, facts.people
({}, {})
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

import pyoxigraph as ox

from graph.namespaces import AGREEMENT_TYPE, FOCUS, ID, REFERENCE_GRAPH, RESOLUTION_GRAPH
from graph.store import StoreLike, execute

__all__ = ["Facts", "code_of", "read_facts"]

log = logging.getLogger(__name__)

_RELEASE_GRAPHS = f"FILTER(?g != <{REFERENCE_GRAPH}> && ?g != <{RESOLUTION_GRAPH}>)"

# instruments live in the resolution graph (or wherever a CONSTRUCT put them); their evidence in
# the graphs of the releases reporting them
_AGREEMENTS = f"""
SELECT ?s ?p ?o WHERE {{
  VALUES ?p {{ rdfs:label dcterms:type seckg:signedOn seckg:reportedBy seckg:party seckg:signatory
              seckg:focusArea seckg:status dcterms:date seckg:report seckg:possiblySame }}
  GRAPH ?g {{ ?s a seckg:Agreement ; ?p ?o }} FILTER(?g != <{REFERENCE_GRAPH}>)
}}"""
_EVIDENCE = f"""
SELECT ?s ?sentence ?part ?start WHERE {{
  GRAPH ?a {{ ?s a seckg:Agreement ; seckg:report ?r }}
  GRAPH ?g {{ ?r seckg:hasEvidence ?e . ?e seckg:sentence ?sentence .
             OPTIONAL {{ ?e seckg:textPart ?part }} OPTIONAL {{ ?e seckg:startOffset ?start }} }}
  {_RELEASE_GRAPHS}
}}"""
_REPORTS = f"""
SELECT ?s ?p ?o WHERE {{
  VALUES ?p {{ seckg:event seckg:reportedBy seckg:signedOn dcterms:type seckg:place rdfs:label }}
  GRAPH ?a {{ ?x seckg:report ?s }}
  GRAPH ?g {{ ?s a seckg:AgreementReport ; ?p ?o }} {_RELEASE_GRAPHS}
}}"""
_COMMITMENTS = f"""
SELECT ?s ?p ?o WHERE {{
  VALUES ?p {{ rdfs:label seckg:focusArea }}
  GRAPH ?g {{ ?r seckg:commitment ?s . ?s ?p ?o }} {_RELEASE_GRAPHS}
}}"""
_REPORT_COMMITMENTS = f"""
SELECT ?s ?o WHERE {{ GRAPH ?g {{ ?s seckg:commitment ?o }} {_RELEASE_GRAPHS} }}"""
_RELEASES = f"""
SELECT ?s ?p ?o WHERE {{
  VALUES ?p {{ dcterms:title dcterms:issued dcterms:source dcterms:subject dcterms:identifier
              schema:mentions }}
  GRAPH ?g {{ ?s a schema:NewsArticle ; ?p ?o }} {_RELEASE_GRAPHS}
}}"""
_PUBLISHERS = f"""
SELECT ?s ?o WHERE {{ GRAPH ?g {{ ?s a schema:NewsArticle ; dcterms:publisher ?x . ?x rdfs:label ?o }}
  {_RELEASE_GRAPHS} }}"""
_AGENCIES = f"""
SELECT ?s ?p ?o WHERE {{
  VALUES ?p {{ rdfs:label seckg:country }}
  GRAPH ?g {{ ?s a org:FormalOrganization ; ?p ?o }} {_RELEASE_GRAPHS}
}}"""
_PEOPLE = f"""
SELECT ?s ?p ?o WHERE {{
  VALUES ?p {{ rdfs:label seckg:country schema:jobTitle org:memberOf }}
  GRAPH ?g {{ ?s a foaf:Person ; ?p ?o }} {_RELEASE_GRAPHS}
}}"""
_POSTS = f"""
SELECT ?s ?o WHERE {{ GRAPH ?g {{ ?s org:holds ?post . ?post org:postIn ?o }} {_RELEASE_GRAPHS} }}"""
# labels and the hierarchy may come from any graph (GRAPH ?g: a remote default graph need not be the union)
_LABELS = """
SELECT ?s ?o WHERE { GRAPH ?g { ?s skos:prefLabel|rdfs:label ?o } FILTER(isIRI(?s) && isLITERAL(?o)) }"""
_INTERNATIONAL = "SELECT DISTINCT ?s WHERE { GRAPH ?g { ?s a seckg:InternationalOrganization } }"
_HIERARCHY = "SELECT DISTINCT ?s ?o WHERE { GRAPH ?g { ?s org:subOrganizationOf ?o } FILTER(isIRI(?o)) }"
_RESOLVED = f"""
SELECT ?s ?o WHERE {{ GRAPH <{RESOLUTION_GRAPH}> {{ ?s seckg:resolvedAs ?o }} }}"""
_AGENCY_COUNTRIES = """
SELECT DISTINCT ?s ?o WHERE { GRAPH ?g { ?s a org:FormalOrganization ; seckg:country ?o } }"""

_COUNTRY_BASE = str(ID) + "country/"


@dataclass
class Facts:
    """What the store says, as plain data keyed by IRI (every list sorted, no repeats).

    ``agreements`` (instruments), ``reports`` (each release's report of one), ``commitments``,
    ``releases``, ``agencies`` and ``people`` map an IRI to a dict of property name to list of
    values (IRIs or lexical forms); ``labels`` maps any IRI to its preferred
    label (English first); ``parents`` maps an agency to the agencies it is a sub-organization
    of; ``agency_country`` maps every agency the store knows to its country IRI.
    """

    agreements: dict[str, dict[str, list]] = field(default_factory=dict)
    reports: dict[str, dict[str, list]] = field(default_factory=dict)
    commitments: dict[str, dict[str, list]] = field(default_factory=dict)
    evidence: dict[str, list[str]] = field(default_factory=dict)
    releases: dict[str, dict[str, list]] = field(default_factory=dict)
    agencies: dict[str, dict[str, list]] = field(default_factory=dict)
    people: dict[str, dict[str, list]] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    international: set[str] = field(default_factory=set)
    parents: dict[str, list[str]] = field(default_factory=dict)
    agency_country: dict[str, str] = field(default_factory=dict)
    resolved: dict[str, str] = field(default_factory=dict)


def code_of(iri: str) -> str:
    """The short id at the end of an IRI: a country's code, a focus area's or a type's id.

    >>> code_of("https://w3id.org/seckg/id/country/PAN"), code_of("https://w3id.org/seckg/focus/cybersecurity")
    ('PAN', 'cybersecurity')
    """
    for base in (_COUNTRY_BASE, str(FOCUS), str(AGREEMENT_TYPE)):
        if iri.startswith(base):
            return iri[len(base) :]
    return iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def _value(term) -> str | None:
    return None if term is None else term.value


def _rows(store: StoreLike, query: str, width: int) -> Iterator[tuple]:
    for solution in execute(store, query):
        yield tuple(solution[i] for i in range(width))


def _properties(store: StoreLike, query: str) -> dict[str, dict[str, list]]:
    found: dict[str, dict[str, set]] = defaultdict(lambda: defaultdict(set))
    for s, p, o in _rows(store, query, 3):
        name = p.value.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
        found[s.value][name].add(o.value)
    return {s: {p: sorted(v) for p, v in props.items()} for s, props in found.items()}


def _labels(store: StoreLike) -> dict[str, str]:
    ranked: dict[str, tuple] = {}
    for s, o in _rows(store, _LABELS, 2):
        lang = getattr(o, "language", None) or ""
        rank = (0 if lang == "en" else 1 if lang == "" else 2, len(o.value), o.value)
        if s.value not in ranked or rank < ranked[s.value]:
            ranked[s.value] = rank
    return {s: rank[2] for s, rank in ranked.items()}


def _evidence(store: StoreLike) -> dict[str, list[str]]:
    found: dict[str, set] = defaultdict(set)
    for s, sentence, part, start in _rows(store, _EVIDENCE, 4):
        order = (0 if _value(part) == "title" else 1, int(start.value) if start is not None else 0)
        found[s.value].add((order, sentence.value))
    return {s: [text for _, text in sorted(items)] for s, items in found.items()}


def _pairs(store: StoreLike, query: str) -> dict[str, list[str]]:
    found: dict[str, set] = defaultdict(set)
    for s, o in _rows(store, query, 2):
        found[s.value].add(o.value)
    return {s: sorted(v) for s, v in found.items()}


def read_facts(store: StoreLike) -> Facts:
    """Run the projection queries over ``store`` (local or remote) and collect the answers.

    Parameters
    ----------
    store : pyoxigraph.Store or RemoteStore
        A store filled by :func:`graph.loading.load_records` (release graphs plus the reference graph).

    Returns
    -------
    Facts
        Plain data; ``Facts()`` for an empty store.
    """
    facts = Facts(
        agreements=_properties(store, _AGREEMENTS),
        reports=_properties(store, _REPORTS),
        commitments=_properties(store, _COMMITMENTS),
        evidence=_evidence(store),
        releases=_properties(store, _RELEASES),
        agencies=_properties(store, _AGENCIES),
        people=_properties(store, _PEOPLE),
        labels=_labels(store),
        international={s.value for (s,) in _rows(store, _INTERNATIONAL, 1) if isinstance(s, ox.NamedNode)},
        parents=_pairs(store, _HIERARCHY),
        agency_country={s: v[0] for s, v in _pairs(store, _AGENCY_COUNTRIES).items()},
    )
    for release, publishers in _pairs(store, _PUBLISHERS).items():
        facts.releases.setdefault(release, {})["publisher"] = publishers
    for report, items in _pairs(store, _REPORT_COMMITMENTS).items():
        if report in facts.reports:
            facts.reports[report]["commitment"] = items
    for person, units in _pairs(store, _POSTS).items():
        props = facts.people.setdefault(person, {})
        props["memberOf"] = sorted(set(props.get("memberOf", [])) | set(units))
    facts.resolved = {s: v[0] for s, v in _pairs(store, _RESOLVED).items()}
    for shorter, fuller in sorted(facts.resolved.items()):
        props = facts.people.pop(shorter, {})
        into = facts.people.setdefault(fuller, {})
        for key, values in props.items():
            merged = sorted(set(into.get(key, [])) | set(values))
            into[key] = into.get(key, values) if key == "label" else merged
    log.debug(
        "read %d agreements, %d releases, %d agencies, %d people",
        len(facts.agreements), len(facts.releases), len(facts.agencies), len(facts.people),
    )  # fmt: skip
    return facts
