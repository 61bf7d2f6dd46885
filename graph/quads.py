"""Extraction records to quads, made by pyoxigraph without rdflib: the lines a store is loaded with.

:func:`record_nquads` gives a release's graph as N-Quads lines, each term made and checked by
pyoxigraph (``NamedNode`` validates an IRI, ``Literal`` escapes its text) and written in its
N-Triples form once, however often it occurs. The lines go straight to pyoxigraph's bulk loader
(:mod:`graph.bulk`), which parses them in Rust: cheaper than handing it ``Quad`` objects, whose
terms pyo3 converts one by one (a literal object costs a ``Quad`` about eight times a node's).
:func:`record_quads` parses them into pyoxigraph quads, and :func:`graph.triples.record_to_quads`
gives the same quads as sorted rdflib terms. The vocabulary comes from :mod:`graph.namespaces`
(:class:`TermText`), IRIs from :mod:`graph.iris`. Pure: no file, store or clock is touched.

Examples
--------
>>> from graph.model import Agreement, Record
>>> rec = Record(id="r1", countries=("PAN", "USA"), agreements=(Agreement("treaty", parties=("PAN",)),))
>>> args = {"extractor_version": "0.1.0", "content_hash": "sha256:0", "generated_at": "2020-01-03T00:00:00Z"}
>>> print(record_nquads(rec, **args)[2].replace("https://w3id.org/seckg/", "seckg/"), end="")
<seckg/id/release/r1> <http://purl.org/dc/terms/identifier> "r1" <seckg/graph/release/r1> .
>>> quads = record_quads(rec, **args)
>>> sorted(q.subject.value for q in quads if str(q.object) == SECKG_TEXT.AgreementReport)
['https://w3id.org/seckg/id/report/r1/0']
"""

from __future__ import annotations

import functools
import hashlib
import logging
import re
from collections.abc import Iterable, Mapping, Sequence
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

__all__ = ["SECKG_TEXT", "TermText", "parse_lines", "record_nquads", "record_quads"]

log = logging.getLogger(__name__)

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_LANG = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")
_URL = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")


class TermText:
    """The N-Triples form (``<iri>``) of each term of an rdflib namespace, made once, on first use.

    A closed namespace stays closed: an undeclared term raises ``AttributeError``.

    >>> TermText(RDF).type
    '<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>'
    """

    def __init__(self, namespace: Namespace | type[DefinedNamespace]) -> None:
        self._namespace = namespace

    def __getattr__(self, name: str) -> str:
        text = _iri(getattr(self._namespace, name))
        setattr(self, name, text)  # later look-ups find the attribute and skip __getattr__
        return text


def _iri(value: str) -> str:
    """``<value>``, once pyoxigraph has checked that ``value`` is an IRI."""
    return str(ox.NamedNode(value))


def _literal(value: str | int, language: str | None = None, datatype: str | None = None) -> str:
    """The N-Triples form of a literal, escaped by pyoxigraph (``datatype`` is an IRI, not ``<iri>``)."""
    if language:
        return str(ox.Literal(value, language=language))
    return str(ox.Literal(value, datatype=ox.NamedNode(datatype) if datatype else None))


SECKG_TEXT = TermText(SECKG)
"""The seckg ontology's terms in their N-Triples form."""
_RDF, _RDFS, _SCHEMA, _PROV = TermText(RDF), TermText(RDFS), TermText(SCHEMA), TermText(PROV)
_DCTERMS, _ORG, _FOAF, _SKOS = TermText(DCTERMS), TermText(ORG), TermText(FOAF), TermText(SKOS)


@functools.cache
def _country(code: str) -> str:
    return _iri(country_iri(code))


@functools.lru_cache(maxsize=4096)
def _focus(focus_id: str) -> str:
    return _iri(focus_iri(focus_id))


@functools.lru_cache(maxsize=4096)
def _agreement_type(kind: str) -> str:
    return _iri(agreement_type_iri(kind))


@functools.lru_cache(maxsize=256)
def _date_time(value: str) -> str:
    """An ``xsd:dateTime`` in the canonical form rdflib gives it (``Z`` written ``+00:00``)."""
    try:
        lexical = datetime.fromisoformat(value).isoformat()
    except ValueError:
        lexical = value
    return _literal(lexical, datatype=str(XSD.dateTime))


def _text(value: str, lang: str | None) -> str:
    return _literal(value, language=lang)


def _date_literal(value: str | None, what: str) -> str | None:
    if not value:
        return None
    try:
        if _DATE.match(value):
            _date.fromisoformat(value)
            return _literal(value, datatype=str(XSD.date))
    except ValueError:
        pass
    log.warning("%s: %r is not a YYYY-MM-DD date; left out", what, value)
    return None


def parse_lines(lines: Iterable[str]) -> list[ox.Quad]:
    """N-Quads lines (each ending in a newline) as pyoxigraph quads, in their order.

    >>> [q.object.value for q in parse_lines(['<http://e/s> <http://e/p> "a" <http://e/g> .\\n'])]
    ['a']
    """
    return list(ox.parse("".join(lines), format=ox.RdfFormat.N_QUADS))


def record_quads(
    record: Record,
    release: Release | None = None,
    *,
    extractor_version: str,
    content_hash: str,
    generated_at: str,
) -> list[ox.Quad]:
    """:func:`record_nquads` as pyoxigraph quads (same parameters, same order)."""
    return parse_lines(
        record_nquads(
            record,
            release,
            extractor_version=extractor_version,
            content_hash=content_hash,
            generated_at=generated_at,
        )
    )


def record_nquads(
    record: Record,
    release: Release | None = None,
    *,
    extractor_version: str,
    content_hash: str,
    generated_at: str,
) -> list[str]:
    """Return the quads of ``record``'s named graph as N-Quads lines, without repeats, in a fixed order.

    Parameters
    ----------
    record : Record
        The extraction record.
    release : Release, optional
        The release it came from; its title, date, source and URL win over the record's.
    extractor_version : str
        Version of the extractor that produced the record (``graph.__version__``).
    content_hash : str
        ``sha256:<hex>`` of the input (:func:`graph.model.release_content_hash` or
        :func:`graph.triples.record_content_hash`).
    generated_at : str
        ISO 8601 UTC time stamp for ``prov:generatedAtTime`` (e.g. ``2024-05-01T12:00:00Z``).

    Returns
    -------
    list of str
        Lines ``subject predicate object graph .`` ending in a newline, all in graph
        :func:`graph.iris.release_graph_iri` of ``record.id``; no blank nodes.
    """
    rid = record.id
    graph = _iri(release_graph_iri(rid))
    tail = f" {graph} .\n"
    rel = _iri(release_iri(rid))
    lang = record.language if record.language and _LANG.match(record.language) else None
    out: list[str] = []

    def add(s: str, p: str, o: str | None) -> None:
        if o is not None:
            out.append(f"{s} {p} {o}{tail}")

    title = (release.title if release else None) or record.title
    issued = (release.date if release else None) or record.date
    source = (release.source if release else None) or record.source
    url = (release.url if release else None) or record.url

    # the release and the graph's own provenance
    add(rel, _RDF.type, _SCHEMA.NewsArticle)
    add(rel, _RDF.type, _PROV.Entity)
    add(rel, _DCTERMS.identifier, _literal(rid))
    if title:
        add(rel, _DCTERMS.title, _text(title, lang))
    add(rel, _DCTERMS.issued, _date_literal(issued, f"release {rid} date"))
    if lang:
        add(rel, _DCTERMS.language, _literal(lang))
    if source:
        publisher = _iri(ID[f"publisher/{slug(source)}"])
        add(rel, _DCTERMS.publisher, publisher)
        add(publisher, _RDF.type, _DCTERMS.Agent)
        add(publisher, _RDFS.label, _literal(source))
    if url and _URL.match(url):
        add(rel, _DCTERMS.source, _iri(url))
    elif url:
        log.warning("release %s: URL %r is not a valid IRI; left out", rid, url)
    run = hashlib.sha256(f"{rid}|{content_hash}|{extractor_version}".encode()).hexdigest()[:16]
    activity = _iri(ID[f"activity/extract/{run}"])
    agent = _iri(ID[f"agent/seckg/{path_part(extractor_version)}"])
    add(graph, _RDF.type, SECKG_TEXT.ReleaseGraph)
    add(graph, _PROV.wasDerivedFrom, rel)
    add(graph, _PROV.wasGeneratedBy, activity)
    add(graph, _PROV.generatedAtTime, _date_time(generated_at))
    add(graph, SECKG_TEXT.contentHash, _literal(content_hash))
    add(graph, SECKG_TEXT.extractorVersion, _literal(extractor_version))
    add(activity, _RDF.type, _PROV.Activity)
    add(activity, _PROV.used, rel)
    add(activity, _PROV.wasAssociatedWith, agent)
    add(agent, _RDF.type, _PROV.SoftwareAgent)
    add(agent, _RDFS.label, _literal(f"seckg {extractor_version}"))
    add(agent, _SCHEMA.softwareVersion, _literal(extractor_version))

    def country(code: str | None) -> str | None:
        checked = country_code(code)
        if checked is None:
            if code:
                log.warning("release %s: %r is not an ISO alpha-3 code or EU; left out", rid, code)
            return None
        iri = _country(checked)  # typed in the reference graph, which knows which codes exist
        add(iri, _SKOS.notation, _literal(checked))
        return iri

    countries = [country(code) for code in record.countries]
    for iri in countries:
        add(rel, _SCHEMA.mentions, iri)

    # agencies, then the agencies people belong to
    agency_by_name: dict[tuple[str, str | None], str] = {}

    def agency(name: str, code: str | None, international: bool) -> str:
        iri = _iri(agency_iri(name, code))
        add(iri, _RDF.type, _ORG.FormalOrganization)
        add(iri, _RDF.type, _SCHEMA.GovernmentOrganization)
        if international:
            add(iri, _RDF.type, SECKG_TEXT.InternationalOrganization)
        add(iri, _RDFS.label, _literal(name, "en"))
        add(iri, SECKG_TEXT.country, country(code))
        agency_by_name.setdefault((name.casefold(), country_code(code)), iri)
        agency_by_name.setdefault((name.casefold(), "*"), iri)
        return iri

    agencies = []
    for item in record.agencies:
        iri = agency(item.name, item.country, item.country is None)
        for alias in item.aliases:
            add(iri, _SKOS.altLabel, _literal(alias))
        add(rel, _SCHEMA.mentions, iri)
        agencies.append(iri)

    def person(name: str) -> str:
        iri = _iri(person_iri(name))
        add(iri, _RDF.type, _FOAF.Person)
        add(iri, _RDF.type, _SCHEMA.Person)
        add(iri, _FOAF.name, _literal(name))
        add(iri, _RDFS.label, _literal(name))
        return iri

    people = []
    for mention in record.people:
        iri = person(mention.name)
        for alias in mention.aliases:
            add(iri, _SKOS.altLabel, _literal(alias))
        add(iri, SECKG_TEXT.country, country(mention.country))
        if mention.title:
            add(iri, _SCHEMA.jobTitle, _text(mention.title, lang))
        if mention.organization:
            key = mention.organization.casefold()
            unit = (
                agency_by_name.get((key, country_code(mention.country)))
                or (agency_by_name.get((key, "*")) if mention.country is None else None)
                or agency(mention.organization, mention.country, False)
            )
            if mention.title:
                post = _iri(post_iri(unit[1:-1], mention.title))
                add(iri, _ORG.holds, post)
                add(post, _RDF.type, _ORG.Post)
                add(post, _RDFS.label, _text(mention.title, lang))
                add(post, _ORG.postIn, unit)
            else:
                add(iri, _ORG.memberOf, unit)
        add(rel, _SCHEMA.mentions, iri)
        people.append(iri)

    agreements = []
    for position, report in enumerate(record.agreements):
        iri = _iri(report_iri(rid, position))
        agreements.append(iri)
        add(iri, _RDF.type, SECKG_TEXT.AgreementReport)
        add(iri, _DCTERMS.type, _agreement_type(report.type))
        add(iri, SECKG_TEXT.position, _literal(position))
        add(iri, SECKG_TEXT.reportedBy, rel)
        add(iri, SECKG_TEXT.event, _literal(report.event or "signed"))
        if report.title:
            add(iri, _DCTERMS.title, _text(report.title, lang))
        label = report.title or f"{report.type} ({', '.join(report.parties) or 'no parties'})"
        add(iri, _RDFS.label, _text(label, lang))
        add(iri, SECKG_TEXT.signedOn, _date_literal(report.date, f"release {rid} agreement {position} date"))
        if report.place:
            add(iri, SECKG_TEXT.place, _literal(report.place))
        add(iri, SECKG_TEXT.placeCountry, country(report.place_country))
        for code in report.parties:
            add(iri, SECKG_TEXT.party, country(code))
        for name in report.signatories:
            add(iri, SECKG_TEXT.signatory, person(name))
        for focus in report.focus_areas:
            add(iri, SECKG_TEXT.focusArea, _focus(focus))
        for number, commitment in enumerate(report.commitments):
            node = _iri(commitment_iri(rid, position, number))
            add(iri, SECKG_TEXT.commitment, node)
            add(node, _RDF.type, SECKG_TEXT.Commitment)
            add(node, _RDFS.label, _text(commitment.text, lang))
            add(node, SECKG_TEXT.startOffset, _literal(int(commitment.start)))
            add(node, SECKG_TEXT.endOffset, _literal(int(commitment.end)))
            add(node, _PROV.wasQuotedFrom, rel)
            for focus in commitment.focus_areas:
                add(node, SECKG_TEXT.focusArea, _focus(focus))
        for number, ref in enumerate(report.references):
            node = _iri(reference_iri(rid, position, number))
            add(iri, SECKG_TEXT.reference, node)
            add(node, _RDF.type, SECKG_TEXT.InstrumentReference)
            add(node, SECKG_TEXT.relation, _literal(ref.relation))
            if ref.type:
                add(node, _DCTERMS.type, _agreement_type(ref.type))
            add(node, _RDFS.label, _text(ref.title or ref.type or ref.relation, lang))
            if ref.title:
                add(node, _DCTERMS.title, _text(ref.title, lang))
            for code in ref.parties:
                add(node, SECKG_TEXT.party, country(code))

    for focus in record.focus_areas:
        add(rel, _DCTERMS.subject, _focus(focus))

    targets: dict[str, Sequence[str | None]] = {
        "agreements": agreements,
        "people": people,
        "agencies": agencies,
        "countries": countries,
    }
    for ev in record.evidence:
        target = _evidence_target(ev, targets, record)
        if target is None:
            log.debug("release %s: evidence for %s[%r] points at nothing; left out", rid, ev.field, ev.index)
            continue
        node = _iri(evidence_iri(rid, ev))
        add(target, SECKG_TEXT.hasEvidence, node)
        add(node, _RDF.type, SECKG_TEXT.Evidence)
        add(node, SECKG_TEXT.field, _literal(ev.field))
        add(node, SECKG_TEXT.sentence, _text(ev.sentence, lang))
        add(node, SECKG_TEXT.startOffset, _literal(int(ev.start)))
        add(node, SECKG_TEXT.endOffset, _literal(int(ev.end)))
        add(node, SECKG_TEXT.textPart, _literal(ev.part))
        add(node, _PROV.wasQuotedFrom, rel)
    return list(dict.fromkeys(out))


def _evidence_target(ev: Evidence, targets: Mapping[str, Sequence[str | None]], record: Record) -> str | None:
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
