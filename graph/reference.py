"""The reference graph: ontology, concept schemes and gazetteer facts in one named graph.

Labels, parents and Wikidata links of countries and agencies come from the gazetteer TSVs
(``ontology/gazetteer/countries.tsv``: ``alpha3 qid names demonyms``; ``agencies.tsv``:
``id name country parent qid acronyms aliases es_names``; pipe-separated lists, a leading ``~``
marks an ambiguous form). They live once in :data:`~graph.namespaces.REFERENCE_GRAPH`, not in every
release's graph, and carry the same IRIs as the extracted facts (:mod:`graph.triples`), so a query
joins them. The graph records a hash of its sources; :mod:`graph.store` replaces it when that changes.

Examples
--------
>>> g = reference_graph()
>>> str(g.identifier)
'https://w3id.org/seckg/graph/reference'
>>> from graph.namespaces import SECKG, OWL, RDF
>>> (SECKG.Agreement, RDF.type, OWL.Class) in g
True
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping
from functools import cache

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef

from graph import resources
from graph.iris import agency_iri, country_iri
from graph.namespaces import (
    BASE,
    ORG,
    OWL,
    RDF,
    RDFS,
    REFERENCE_GRAPH,
    SCHEMA,
    SECKG,
    SKOS,
    WD,
)

__all__ = ["agency_reference", "country_reference", "reference_graph", "skolemize"]

log = logging.getLogger(__name__)

_QID = re.compile(r"^Q[0-9]+$")
_ALPHA3 = re.compile(r"^(?:[A-Z]{3}|EU)$")
_GENID = BASE + ".well-known/genid/"


def _names(cell: str | None) -> list[str]:
    return [name.lstrip("~").strip() for name in resources.split_multi(cell) if name.lstrip("~").strip()]


def _qid(graph: Graph, node: URIRef, cell: str | None) -> None:
    qid = (cell or "").strip()
    if _QID.match(qid):
        graph.add((node, OWL.sameAs, WD[qid]))
    elif qid:
        log.warning("gazetteer: %r is not a Wikidata id; left out", qid)


def country_reference(rows: Iterable[Mapping[str, str]]) -> Graph:
    """Triples for the gazetteer's countries (type, ISO code, English labels, Wikidata link).

    >>> g = country_reference([{"alpha3": "PAN", "qid": "Q804", "names": "Panama|~Panamá", "demonyms": ""}])
    >>> sorted(str(o) for o in g.objects(country_iri("PAN"), SKOS.altLabel))
    ['Panamá']
    """
    graph = Graph()
    eu_seen = False
    for row in rows:
        code = (row.get("alpha3") or "").strip().upper()
        if not _ALPHA3.match(code):
            log.warning("gazetteer countries: %r is not an alpha-3 code; row left out", code)
            continue
        eu_seen = eu_seen or code == "EU"
        node = country_iri(code)
        graph.add((node, RDF.type, SECKG.InternationalOrganization if code == "EU" else SCHEMA.Country))
        graph.add((node, SKOS.notation, Literal(code)))
        names = _names(row.get("names"))
        if names:
            graph.add((node, RDFS.label, Literal(names[0], lang="en")))
            graph.add((node, SKOS.prefLabel, Literal(names[0], lang="en")))
        for name in names[1:]:
            graph.add((node, SKOS.altLabel, Literal(name)))
        _qid(graph, node, row.get("qid"))
    if not eu_seen:
        eu = country_iri("EU")
        graph.add((eu, RDF.type, SECKG.InternationalOrganization))
        graph.add((eu, SKOS.notation, Literal("EU")))
        graph.add((eu, RDFS.label, Literal("European Union", lang="en")))
        graph.add((eu, SKOS.prefLabel, Literal("European Union", lang="en")))
        graph.add((eu, OWL.sameAs, WD["Q458"]))
    return graph


def agency_reference(rows: Iterable[Mapping[str, str]]) -> Graph:
    """Triples for the gazetteer's agencies (labels, acronyms, Spanish names, parent, Wikidata link).

    ``parent`` names another row by ``id`` (or by name) and becomes ``org:subOrganizationOf``.

    >>> g = agency_reference([
    ...     {"id": "dhs", "name": "Department of Homeland Security", "country": "USA"},
    ...     {"id": "cbp", "name": "Customs and Border Protection", "country": "USA", "parent": "dhs"}])
    >>> cbp = agency_iri("Customs and Border Protection", "USA")
    >>> dhs = agency_iri("Department of Homeland Security", "USA")
    >>> (cbp, ORG.subOrganizationOf, dhs) in g
    True
    """
    entries = [dict(row) for row in rows if (row.get("name") or "").strip()]
    graph = Graph()
    by_key: dict[str, URIRef] = {}
    for row in entries:
        written = (row.get("country") or "").strip().upper()
        row["country"] = written if _ALPHA3.match(written) else ""
        node = agency_iri(row["name"], row["country"] or None)
        for key in (row.get("id"), row["name"]):
            if key and key.strip():
                by_key.setdefault(key.strip().casefold(), node)
    for row in entries:
        name, code = row["name"].strip(), row["country"] or None
        node = agency_iri(name, code)
        graph.add((node, RDF.type, ORG.FormalOrganization))
        graph.add((node, RDF.type, SCHEMA.GovernmentOrganization))
        if code is None or code == "EU":
            graph.add((node, RDF.type, SECKG.InternationalOrganization))
        if code:
            graph.add((node, SECKG.country, country_iri(code)))
        graph.add((node, RDFS.label, Literal(name, lang="en")))
        graph.add((node, SKOS.prefLabel, Literal(name, lang="en")))
        if (row.get("id") or "").strip():
            graph.add((node, SKOS.notation, Literal(row["id"].strip())))
        for alias in _names(row.get("acronyms")) + _names(row.get("aliases")):
            graph.add((node, SKOS.altLabel, Literal(alias)))
        for alias in _names(row.get("es_names")):
            graph.add((node, SKOS.altLabel, Literal(alias, lang="es")))
        parent = (row.get("parent") or "").strip()
        if parent:
            target = by_key.get(parent.casefold()) or agency_iri(parent, code)
            if target != node:
                graph.add((node, ORG.subOrganizationOf, target))
        _qid(graph, node, row.get("qid"))
    return graph


def skolemize(graph: Graph) -> Graph:
    """Replace blank nodes by IRIs that depend only on the graph's content (RDFC-1.0 labels).

    Graphs without blank nodes come back unchanged (same object).
    """
    if not any(isinstance(term, BNode) for triple in graph for term in triple):
        return graph
    dataset = ox.Dataset()
    for s, p, o in graph:
        dataset.add(ox.Quad(*(_to_ox(t) for t in (s, p, o))))
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    out = Graph(identifier=graph.identifier)
    for quad in dataset:
        out.add(tuple(_from_ox(t) for t in (quad.subject, quad.predicate, quad.object)))
    return out


def _to_ox(term):
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        dtype = ox.NamedNode(str(term.datatype)) if term.datatype else None
        return ox.Literal(str(term), language=term.language, datatype=None if term.language else dtype)
    return ox.NamedNode(str(term))


def _from_ox(term):
    if isinstance(term, ox.BlankNode):
        return URIRef(_GENID + term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    return URIRef(term.value)


def reference_graph(*, extractor_version: str | None = None) -> Graph:
    """Build the reference graph from the packaged ontology files and gazetteers.

    Missing files are logged (once per process) and left out: the graph is still usable. The graph
    describes itself as a ``seckg:ReferenceGraph`` with ``seckg:contentHash`` of its sources.
    Returns a new graph each time (built from a per-process cache).
    """
    if extractor_version is None:
        from graph import __version__ as extractor_version
    graph = Graph(identifier=REFERENCE_GRAPH)
    for triple in _reference_triples(extractor_version):
        graph.add(triple)
    return graph


@cache
def _reference_triples(extractor_version: str) -> tuple:
    graph = Graph()
    for name in resources.REFERENCE_FILES:
        try:
            part = resources.ontology_graph(name)
        except FileNotFoundError:
            log.warning("ontology/%s is missing: left out of the reference graph", name)
            continue
        for triple in skolemize(part):
            graph.add(triple)
    graph += country_reference(resources.gazetteer_rows("countries"))
    graph += agency_reference(resources.gazetteer_rows("agencies"))
    graph.add((REFERENCE_GRAPH, RDF.type, SECKG.ReferenceGraph))
    graph.add((REFERENCE_GRAPH, SECKG.contentHash, Literal(resources.reference_sources_hash())))
    graph.add((REFERENCE_GRAPH, SECKG.extractorVersion, Literal(extractor_version)))
    return tuple(graph)
