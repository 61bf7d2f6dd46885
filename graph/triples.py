"""Extraction records to RDF quads: one named graph per release, stable IRIs, no blank nodes.

Pure: no file, store or clock is touched (the caller passes the time, hash and version).
The same record and arguments always give the same quads, in the same order.

IRIs (all under ``https://w3id.org/seckg/``; made by :mod:`graph.iris`, re-exported here):

- ``id/release/<id>`` the release (``schema:NewsArticle``); its facts live in the named graph
  ``graph/release/<id>`` (a ``seckg:ReleaseGraph`` describing its own provenance);
- ``id/country/<ISO3>`` (``id/country/EU`` for the European Union; typed ``schema:Country`` or
  ``seckg:InternationalOrganization`` in the reference graph, which knows which codes exist),
  ``id/agency/<ISO3|int>/<slug>``,
  ``id/person/<slug>``, ``id/post/<ISO3|int>/<agency-slug>/<title-slug>``;
- ``id/report/<release>/<position>``: the release's report of an agreement (``seckg:AgreementReport``,
  the ``position``-th item of the record's ``agreements``), with its commitments
  (``.../commitment/<n>``) and references (``.../reference/<n>``). The instruments themselves
  (``seckg:Agreement``) are made across releases by :mod:`graph.resolve`;
- ``id/evidence/<release>/<field>/<index>/<part>-<start>-<end>``: the sentence a fact came from.

Examples
--------
>>> from graph.model import Agreement, Record
>>> from graph.namespaces import SECKG
>>> rec = Record(id="r1", date="2020-01-02", countries=("PAN", "USA"),
...              agreements=(Agreement("letter-of-intent", parties=("PAN", "USA")),))
>>> quads = record_to_quads(rec, extractor_version="0.1.0", content_hash="sha256:0",
...                         generated_at="2020-01-03T00:00:00Z")
>>> str(quads[0][3])
'https://w3id.org/seckg/graph/release/r1'
>>> any(p == SECKG.party and str(o).endswith("/country/PAN") for _, p, o, _ in quads)
True
>>> sorted({str(s) for s, p, o, _ in quads if o == SECKG.AgreementReport})
['https://w3id.org/seckg/id/report/r1/0']
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from graph.iris import (
    agency_iri,
    agreement_type_iri,
    country_iri,
    evidence_iri,
    focus_iri,
    person_iri,
    post_iri,
    release_graph_iri,
    release_iri,
    report_iri,
    slug,
)
from graph.model import Record, Release, release_content_hash
from graph.namespaces import XSD
from graph.quads import record_quads

__all__ = [
    "Quad",
    "agency_iri",
    "agreement_type_iri",
    "country_iri",
    "evidence_iri",
    "focus_iri",
    "person_iri",
    "post_iri",
    "record_content_hash",
    "record_graph",
    "record_to_quads",
    "release_content_hash",
    "release_graph_iri",
    "release_iri",
    "report_iri",
    "slug",
    "sort_quads",
]

Quad = tuple[Node, Node, Node, URIRef]
"""``(subject, predicate, object, graph)`` of rdflib terms."""

_XSD_STRING = ox.NamedNode(str(XSD.string))


# --- hashes -----------------------------------------------------------------------------------


def record_content_hash(record: Record) -> str:
    """``sha256:<hex>`` of the record's canonical JSON (for records loaded without their release)."""
    blob = json.dumps(record.to_dict(), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(blob.encode("utf-8")).hexdigest()


# --- rdflib view -----------------------------------------------------------------------------


def _rdflib_quad(quad: ox.Quad) -> tuple[Node, Node, Node, URIRef]:
    """A quad of a release graph as rdflib terms (its graph is named, its terms IRIs and literals)."""
    graph = quad.graph_name
    if not isinstance(graph, ox.NamedNode):
        raise TypeError(f"a quad of no named graph: {quad}")
    return (
        _rdflib_term(quad.subject),
        _rdflib_term(quad.predicate),
        _rdflib_term(quad.object),
        URIRef(graph.value),
    )


def _rdflib_term(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if not isinstance(term, ox.Literal):
        raise TypeError(f"neither an IRI nor a literal: {term}")
    if term.language:
        return Literal(term.value, lang=term.language)
    if term.datatype == _XSD_STRING:
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


def sort_quads(quads: Iterable[Quad]) -> list[Quad]:
    """Deduplicate and sort quads by their N-Triples forms (graph first)."""
    return sorted(set(quads), key=lambda q: (q[3].n3(), q[0].n3(), q[1].n3(), q[2].n3()))


def record_to_quads(
    record: Record,
    release: Release | None = None,
    *,
    extractor_version: str,
    content_hash: str,
    generated_at: str,
) -> list[Quad]:
    """Return the quads of ``record``'s named graph as rdflib terms, sorted and without repeats.

    The same quads as :func:`graph.quads.record_quads` (which loading writes to the store); the
    parameters are its parameters.

    Returns
    -------
    list of (subject, predicate, object, graph)
        All in graph :func:`release_graph_iri` of ``record.id``; no blank nodes.
    """
    quads = record_quads(
        record,
        release,
        extractor_version=extractor_version,
        content_hash=content_hash,
        generated_at=generated_at,
    )
    return sort_quads(map(_rdflib_quad, quads))


def record_graph(record: Record, release: Release | None = None, **kwargs: str) -> Graph:
    """Return :func:`record_to_quads` as an rdflib ``Graph`` named by the release graph IRI.

    >>> g = record_graph(Record(id="r"), extractor_version="0", content_hash="sha256:0",
    ...                  generated_at="2020-01-01T00:00:00Z")
    >>> str(g.identifier), len(g) > 5
    ('https://w3id.org/seckg/graph/release/r', True)
    """
    graph = Graph(identifier=release_graph_iri(record.id))
    for s, p, o, _ in record_to_quads(record, release, **kwargs):
        graph.add((s, p, o))
    return graph
