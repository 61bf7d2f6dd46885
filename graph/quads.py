"""Extraction records to pyoxigraph quads: the terms a store is loaded with, made without rdflib.

This is the builder behind :func:`graph.triples.record_to_quads` (which gives the same quads as
rdflib terms, sorted) and behind the bulk load of :mod:`graph.loading`, where a release's quads go
straight to the store. The vocabulary is read from :mod:`graph.namespaces` once per term
(:class:`OxTerms`); IRIs come from :mod:`graph.iris`. Pure: no file, store or clock is touched.

Examples
--------
>>> from graph.model import Agreement, Record
>>> rec = Record(id="r1", countries=("PAN", "USA"), agreements=(Agreement("treaty", parties=("PAN",)),))
>>> quads = record_quads(rec, extractor_version="0.1.0", content_hash="sha256:0",
...                      generated_at="2020-01-03T00:00:00Z")
>>> quads[0].graph_name.value
'https://w3id.org/seckg/graph/release/r1'
>>> sorted(q.subject.value for q in quads if q.object == SECKG_OX.AgreementReport)
['https://w3id.org/seckg/id/report/r1/0']
"""

from __future__ import annotations

import functools
import hashlib
import logging
import re
from datetime import date as _date
from datetime import datetime

import pyoxigraph as ox
from rdflib import Namespace
from rdflib.namespace import DefinedNamespace

from graph.iris import (
    agency_iri,
    agreement_type_iri,
    commitment_iri,
    country_code,
    country_iri,
    evidence_iri,
    focus_iri,
    path_part,
    person_iri,
    post_iri,
    reference_iri,
    release_graph_iri,
    release_iri,
    report_iri,
    slug,
)
from graph.model import Evidence, Record, Release
from graph.namespaces import DCTERMS, FOAF, ID, ORG, PROV, RDF, RDFS, SCHEMA, SECKG, SKOS, XSD

__all__ = ["SECKG_OX", "OxTerms", "record_quads"]

log = logging.getLogger(__name__)

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_LANG = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")
_URL = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")


class OxTerms:
    """The pyoxigraph ``NamedNode`` of each term of an rdflib namespace, made once, on first use.

    A closed namespace stays closed: an undeclared term raises ``AttributeError``.

    >>> OxTerms(RDF).type.value
    'http://www.w3.org/1999/02/22-rdf-syntax-ns#type'
    """

    def __init__(self, namespace: Namespace | type[DefinedNamespace]) -> None:
        self._namespace = namespace

    def __getattr__(self, name: str) -> ox.NamedNode:
        node = ox.NamedNode(str(getattr(self._namespace, name)))
        setattr(self, name, node)  # later look-ups find the attribute and skip __getattr__
        return node


SECKG_OX = OxTerms(SECKG)
"""The seckg ontology's terms as pyoxigraph nodes."""
_RDF, _RDFS, _SCHEMA, _PROV, _DCTERMS = (
    OxTerms(RDF),
    OxTerms(RDFS),
    OxTerms(SCHEMA),
    OxTerms(PROV),
    OxTerms(DCTERMS),
)
_ORG, _FOAF, _SKOS, _XSD = OxTerms(ORG), OxTerms(FOAF), OxTerms(SKOS), OxTerms(XSD)


@functools.cache
def _country(code: str) -> ox.NamedNode:
    return ox.NamedNode(country_iri(code))


@functools.lru_cache(maxsize=4096)
def _focus(focus_id: str) -> ox.NamedNode:
    return ox.NamedNode(focus_iri(focus_id))


@functools.lru_cache(maxsize=4096)
def _agreement_type(kind: str) -> ox.NamedNode:
    return ox.NamedNode(agreement_type_iri(kind))


@functools.lru_cache(maxsize=256)
def _date_time(value: str) -> ox.Literal:
    """An ``xsd:dateTime`` in the canonical form rdflib gives it (``Z`` written ``+00:00``)."""
    try:
        lexical = datetime.fromisoformat(value).isoformat()
    except ValueError:
        lexical = value
    return ox.Literal(lexical, datatype=_XSD.dateTime)


def _text(value: str, lang: str | None) -> ox.Literal:
    return ox.Literal(value, language=lang) if lang else ox.Literal(value)


def _date_literal(value: str | None, what: str) -> ox.Literal | None:
    if not value:
        return None
    try:
        if _DATE.match(value):
            _date.fromisoformat(value)
            return ox.Literal(value, datatype=_XSD.date)
    except ValueError:
        pass
    log.warning("%s: %r is not a YYYY-MM-DD date; left out", what, value)
    return None


def record_quads(
    record: Record,
    release: Release | None = None,
    *,
    extractor_version: str,
    content_hash: str,
    generated_at: str,
) -> list[ox.Quad]:
    """Return the quads of ``record``'s named graph without repeats, in a fixed order.

    Parameters
    ----------
    record : Record
        The extraction record.
    release : Release, optional
        The release it came from; its title, date, source and URL win over the record's.
    extractor_version : str
        Version of the extractor that produced the record (``graph.__version__``).
    content_hash : str
        ``sha256:<hex>`` of the input (:func:`graph.triples.release_content_hash` or
        :func:`graph.triples.record_content_hash`).
    generated_at : str
        ISO 8601 UTC time stamp for ``prov:generatedAtTime`` (e.g. ``2024-05-01T12:00:00Z``).

    Returns
    -------
    list of pyoxigraph.Quad
        All in graph :func:`graph.iris.release_graph_iri` of ``record.id``; no blank nodes.
    """
    rid = record.id
    g = ox.NamedNode(release_graph_iri(rid))
    rel = ox.NamedNode(release_iri(rid))
    lang = record.language if record.language and _LANG.match(record.language) else None
    out: list[ox.Quad] = []

    def add(s: ox.NamedNode, p: ox.NamedNode, o: ox.NamedNode | ox.Literal | None) -> None:
        if o is not None:
            out.append(ox.Quad(s, p, o, g))

    title = (release.title if release else None) or record.title
    issued = (release.date if release else None) or record.date
    source = (release.source if release else None) or record.source
    url = (release.url if release else None) or record.url

    # the release and the graph's own provenance
    add(rel, _RDF.type, _SCHEMA.NewsArticle)
    add(rel, _RDF.type, _PROV.Entity)
    add(rel, _DCTERMS.identifier, ox.Literal(rid))
    if title:
        add(rel, _DCTERMS.title, _text(title, lang))
    add(rel, _DCTERMS.issued, _date_literal(issued, f"release {rid} date"))
    if lang:
        add(rel, _DCTERMS.language, ox.Literal(lang))
    if source:
        publisher = ox.NamedNode(ID[f"publisher/{slug(source)}"])
        add(rel, _DCTERMS.publisher, publisher)
        add(publisher, _RDF.type, _DCTERMS.Agent)
        add(publisher, _RDFS.label, ox.Literal(source))
    if url and _URL.match(url):
        add(rel, _DCTERMS.source, ox.NamedNode(url))
    elif url:
        log.warning("release %s: URL %r is not a valid IRI; left out", rid, url)
    run = hashlib.sha256(f"{rid}|{content_hash}|{extractor_version}".encode()).hexdigest()[:16]
    activity = ox.NamedNode(ID[f"activity/extract/{run}"])
    agent = ox.NamedNode(ID[f"agent/seckg/{path_part(extractor_version)}"])
    add(g, _RDF.type, SECKG_OX.ReleaseGraph)
    add(g, _PROV.wasDerivedFrom, rel)
    add(g, _PROV.wasGeneratedBy, activity)
    add(g, _PROV.generatedAtTime, _date_time(generated_at))
    add(g, SECKG_OX.contentHash, ox.Literal(content_hash))
    add(g, SECKG_OX.extractorVersion, ox.Literal(extractor_version))
    add(activity, _RDF.type, _PROV.Activity)
    add(activity, _PROV.used, rel)
    add(activity, _PROV.wasAssociatedWith, agent)
    add(agent, _RDF.type, _PROV.SoftwareAgent)
    add(agent, _RDFS.label, ox.Literal(f"seckg {extractor_version}"))
    add(agent, _SCHEMA.softwareVersion, ox.Literal(extractor_version))

    def country(code: str | None) -> ox.NamedNode | None:
        checked = country_code(code)
        if checked is None:
            if code:
                log.warning("release %s: %r is not an ISO alpha-3 code or EU; left out", rid, code)
            return None
        iri = _country(checked)  # typed in the reference graph, which knows which codes exist
        add(iri, _SKOS.notation, ox.Literal(checked))
        return iri

    countries = [country(code) for code in record.countries]
    for iri in countries:
        add(rel, _SCHEMA.mentions, iri)

    # agencies, then the agencies people belong to
    agency_by_name: dict[tuple[str, str | None], ox.NamedNode] = {}

    def agency(name: str, code: str | None, international: bool) -> ox.NamedNode:
        iri = ox.NamedNode(agency_iri(name, code))
        add(iri, _RDF.type, _ORG.FormalOrganization)
        add(iri, _RDF.type, _SCHEMA.GovernmentOrganization)
        if international:
            add(iri, _RDF.type, SECKG_OX.InternationalOrganization)
        add(iri, _RDFS.label, ox.Literal(name, language="en"))
        add(iri, SECKG_OX.country, country(code))
        agency_by_name.setdefault((name.casefold(), country_code(code)), iri)
        agency_by_name.setdefault((name.casefold(), "*"), iri)
        return iri

    agencies = []
    for item in record.agencies:
        iri = agency(item.name, item.country, item.country is None)
        for alias in item.aliases:
            add(iri, _SKOS.altLabel, ox.Literal(alias))
        add(rel, _SCHEMA.mentions, iri)
        agencies.append(iri)

    def person(name: str) -> ox.NamedNode:
        iri = ox.NamedNode(person_iri(name))
        add(iri, _RDF.type, _FOAF.Person)
        add(iri, _RDF.type, _SCHEMA.Person)
        add(iri, _FOAF.name, ox.Literal(name))
        add(iri, _RDFS.label, ox.Literal(name))
        return iri

    people = []
    for item in record.people:
        iri = person(item.name)
        for alias in item.aliases:
            add(iri, _SKOS.altLabel, ox.Literal(alias))
        add(iri, SECKG_OX.country, country(item.country))
        if item.title:
            add(iri, _SCHEMA.jobTitle, _text(item.title, lang))
        if item.organization:
            key = item.organization.casefold()
            unit = (
                agency_by_name.get((key, country_code(item.country)))
                or (agency_by_name.get((key, "*")) if item.country is None else None)
                or agency(item.organization, item.country, False)
            )
            if item.title:
                post = ox.NamedNode(post_iri(unit.value, item.title))
                add(iri, _ORG.holds, post)
                add(post, _RDF.type, _ORG.Post)
                add(post, _RDFS.label, _text(item.title, lang))
                add(post, _ORG.postIn, unit)
            else:
                add(iri, _ORG.memberOf, unit)
        add(rel, _SCHEMA.mentions, iri)
        people.append(iri)

    agreements = []
    for position, item in enumerate(record.agreements):
        iri = ox.NamedNode(report_iri(rid, position))
        agreements.append(iri)
        add(iri, _RDF.type, SECKG_OX.AgreementReport)
        add(iri, _DCTERMS.type, _agreement_type(item.type))
        add(iri, SECKG_OX.position, ox.Literal(position))
        add(iri, SECKG_OX.reportedBy, rel)
        add(iri, SECKG_OX.event, ox.Literal(item.event or "signed"))
        if item.title:
            add(iri, _DCTERMS.title, _text(item.title, lang))
        label = item.title or f"{item.type} ({', '.join(item.parties) or 'no parties'})"
        add(iri, _RDFS.label, _text(label, lang))
        add(iri, SECKG_OX.signedOn, _date_literal(item.date, f"release {rid} agreement {position} date"))
        if item.place:
            add(iri, SECKG_OX.place, ox.Literal(item.place))
        add(iri, SECKG_OX.placeCountry, country(item.place_country))
        for code in item.parties:
            add(iri, SECKG_OX.party, country(code))
        for name in item.signatories:
            add(iri, SECKG_OX.signatory, person(name))
        for focus in item.focus_areas:
            add(iri, SECKG_OX.focusArea, _focus(focus))
        for number, commitment in enumerate(item.commitments):
            node = ox.NamedNode(commitment_iri(rid, position, number))
            add(iri, SECKG_OX.commitment, node)
            add(node, _RDF.type, SECKG_OX.Commitment)
            add(node, _RDFS.label, _text(commitment.text, lang))
            add(node, SECKG_OX.startOffset, ox.Literal(int(commitment.start)))
            add(node, SECKG_OX.endOffset, ox.Literal(int(commitment.end)))
            add(node, _PROV.wasQuotedFrom, rel)
            for focus in commitment.focus_areas:
                add(node, SECKG_OX.focusArea, _focus(focus))
        for number, ref in enumerate(item.references):
            node = ox.NamedNode(reference_iri(rid, position, number))
            add(iri, SECKG_OX.reference, node)
            add(node, _RDF.type, SECKG_OX.InstrumentReference)
            add(node, SECKG_OX.relation, ox.Literal(ref.relation))
            if ref.type:
                add(node, _DCTERMS.type, _agreement_type(ref.type))
            add(node, _RDFS.label, _text(ref.title or ref.type or ref.relation, lang))
            if ref.title:
                add(node, _DCTERMS.title, _text(ref.title, lang))
            for code in ref.parties:
                add(node, SECKG_OX.party, country(code))

    for focus in record.focus_areas:
        add(rel, _DCTERMS.subject, _focus(focus))

    targets = {"agreements": agreements, "people": people, "agencies": agencies, "countries": countries}
    for ev in record.evidence:
        item = _evidence_target(ev, targets, record)
        if item is None:
            log.debug("release %s: evidence for %s[%r] points at nothing; left out", rid, ev.field, ev.index)
            continue
        node = ox.NamedNode(evidence_iri(rid, ev))
        add(item, SECKG_OX.hasEvidence, node)
        add(node, _RDF.type, SECKG_OX.Evidence)
        add(node, SECKG_OX.field, ox.Literal(ev.field))
        add(node, SECKG_OX.sentence, _text(ev.sentence, lang))
        add(node, SECKG_OX.startOffset, ox.Literal(int(ev.start)))
        add(node, SECKG_OX.endOffset, ox.Literal(int(ev.end)))
        add(node, SECKG_OX.textPart, ox.Literal(ev.part))
        add(node, _PROV.wasQuotedFrom, rel)
    return list(dict.fromkeys(out))


def _evidence_target(ev: Evidence, targets: dict[str, list], record: Record) -> ox.NamedNode | None:
    if ev.field == "focus_areas":
        if isinstance(ev.index, int):
            ids = record.focus_areas
            return _focus(ids[ev.index]) if 0 <= ev.index < len(ids) else None
        return _focus(str(ev.index))
    items = targets.get(ev.field)
    if items is None:
        return None
    if ev.field == "countries" and isinstance(ev.index, str):
        checked = country_code(ev.index)
        return _country(checked) if checked else None
    if isinstance(ev.index, int) and 0 <= ev.index < len(items):
        return items[ev.index]
    return None
