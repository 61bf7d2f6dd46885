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
import logging
import re
from collections.abc import Iterable
from datetime import date as _date

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

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
from graph.model import Evidence, Record, Release, release_content_hash
from graph.namespaces import (
    DCTERMS,
    FOAF,
    ID,
    ORG,
    PROV,
    RDF,
    RDFS,
    SCHEMA,
    SECKG,
    SKOS,
    XSD,
)

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

log = logging.getLogger(__name__)

Quad = tuple[Node, Node, Node, URIRef]
"""``(subject, predicate, object, graph)`` of rdflib terms."""

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_LANG = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")
_URL = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")


# --- hashes -----------------------------------------------------------------------------------


def record_content_hash(record: Record) -> str:
    """``sha256:<hex>`` of the record's canonical JSON (for records loaded without their release)."""
    blob = json.dumps(record.to_dict(), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(blob.encode("utf-8")).hexdigest()


# --- literals ---------------------------------------------------------------------------------


def _text(value: str, lang: str | None) -> Literal:
    return Literal(value, lang=lang) if lang else Literal(value)


def _date_literal(value: str | None, what: str) -> Literal | None:
    if not value:
        return None
    try:
        if _DATE.match(value):
            _date.fromisoformat(value)
            return Literal(value, datatype=XSD.date)
    except ValueError:
        pass
    log.warning("%s: %r is not a YYYY-MM-DD date; left out", what, value)
    return None


def sort_quads(quads: Iterable[Quad]) -> list[Quad]:
    """Deduplicate and sort quads by their N-Triples forms (graph first)."""
    return sorted(set(quads), key=lambda q: (q[3].n3(), q[0].n3(), q[1].n3(), q[2].n3()))


# --- records ----------------------------------------------------------------------------------


def record_to_quads(
    record: Record,
    release: Release | None = None,
    *,
    extractor_version: str,
    content_hash: str,
    generated_at: str,
) -> list[Quad]:
    """Return the quads of ``record``'s named graph, sorted and without repeats.

    Parameters
    ----------
    record : Record
        The extraction record.
    release : Release, optional
        The release it came from; its title, date, source and URL win over the record's.
    extractor_version : str
        Version of the extractor that produced the record (``graph.__version__``).
    content_hash : str
        ``sha256:<hex>`` of the input (:func:`release_content_hash` or :func:`record_content_hash`).
    generated_at : str
        ISO 8601 UTC time stamp for ``prov:generatedAtTime`` (e.g. ``2024-05-01T12:00:00Z``).

    Returns
    -------
    list of (subject, predicate, object, graph)
        All in graph :func:`release_graph_iri` of ``record.id``; no blank nodes.
    """
    rid = record.id
    g = release_graph_iri(rid)
    rel = release_iri(rid)
    lang = record.language if record.language and _LANG.match(record.language) else None
    out: list[Quad] = []

    def add(s: Node, p: Node, o: Node | None) -> None:
        if o is not None:
            out.append((s, p, o, g))

    title = (release.title if release else None) or record.title
    issued = (release.date if release else None) or record.date
    source = (release.source if release else None) or record.source
    url = (release.url if release else None) or record.url

    # the release and the graph's own provenance
    add(rel, RDF.type, SCHEMA.NewsArticle)
    add(rel, RDF.type, PROV.Entity)
    add(rel, DCTERMS.identifier, Literal(rid))
    if title:
        add(rel, DCTERMS.title, _text(title, lang))
    add(rel, DCTERMS.issued, _date_literal(issued, f"release {rid} date"))
    if lang:
        add(rel, DCTERMS.language, Literal(lang))
    if source:
        publisher = ID[f"publisher/{slug(source)}"]
        add(rel, DCTERMS.publisher, publisher)
        add(publisher, RDF.type, DCTERMS.Agent)
        add(publisher, RDFS.label, Literal(source))
    if url and _URL.match(url):
        add(rel, DCTERMS.source, URIRef(url))
    elif url:
        log.warning("release %s: URL %r is not a valid IRI; left out", rid, url)
    activity = ID[
        f"activity/extract/{hashlib.sha256(f'{rid}|{content_hash}|{extractor_version}'.encode()).hexdigest()[:16]}"
    ]
    agent = ID[f"agent/seckg/{path_part(extractor_version)}"]
    add(g, RDF.type, SECKG.ReleaseGraph)
    add(g, PROV.wasDerivedFrom, rel)
    add(g, PROV.wasGeneratedBy, activity)
    add(g, PROV.generatedAtTime, Literal(generated_at, datatype=XSD.dateTime))
    add(g, SECKG.contentHash, Literal(content_hash))
    add(g, SECKG.extractorVersion, Literal(extractor_version))
    add(activity, RDF.type, PROV.Activity)
    add(activity, PROV.used, rel)
    add(activity, PROV.wasAssociatedWith, agent)
    add(agent, RDF.type, PROV.SoftwareAgent)
    add(agent, RDFS.label, Literal(f"seckg {extractor_version}"))
    add(agent, SCHEMA.softwareVersion, Literal(extractor_version))

    def country(code: str | None) -> URIRef | None:
        checked = country_code(code)
        if checked is None:
            if code:
                log.warning("release %s: %r is not an ISO alpha-3 code or EU; left out", rid, code)
            return None
        iri = country_iri(checked)  # typed in the reference graph, which knows which codes exist
        add(iri, SKOS.notation, Literal(checked))
        return iri

    countries = [country(code) for code in record.countries]
    for iri in countries:
        add(rel, SCHEMA.mentions, iri)

    # agencies, then the agencies people belong to
    agency_by_name: dict[tuple[str, str | None], URIRef] = {}

    def agency(name: str, code: str | None, international: bool) -> URIRef:
        iri = agency_iri(name, code)
        add(iri, RDF.type, ORG.FormalOrganization)
        add(iri, RDF.type, SCHEMA.GovernmentOrganization)
        if international:
            add(iri, RDF.type, SECKG.InternationalOrganization)
        add(iri, RDFS.label, Literal(name, lang="en"))
        add(iri, SECKG.country, country(code))
        agency_by_name.setdefault((name.casefold(), country_code(code)), iri)
        agency_by_name.setdefault((name.casefold(), "*"), iri)
        return iri

    agencies = []
    for item in record.agencies:
        iri = agency(item.name, item.country, item.country is None)
        for alias in item.aliases:
            add(iri, SKOS.altLabel, Literal(alias))
        add(rel, SCHEMA.mentions, iri)
        agencies.append(iri)

    def person(name: str) -> URIRef:
        iri = person_iri(name)
        add(iri, RDF.type, FOAF.Person)
        add(iri, RDF.type, SCHEMA.Person)
        add(iri, FOAF.name, Literal(name))
        add(iri, RDFS.label, Literal(name))
        return iri

    people = []
    for item in record.people:
        iri = person(item.name)
        for alias in item.aliases:
            add(iri, SKOS.altLabel, Literal(alias))
        add(iri, SECKG.country, country(item.country))
        if item.title:
            add(iri, SCHEMA.jobTitle, _text(item.title, lang))
        if item.organization:
            key = item.organization.casefold()
            unit = (
                agency_by_name.get((key, country_code(item.country)))
                or (agency_by_name.get((key, "*")) if item.country is None else None)
                or agency(item.organization, item.country, False)
            )
            if item.title:
                post = post_iri(unit, item.title)
                add(iri, ORG.holds, post)
                add(post, RDF.type, ORG.Post)
                add(post, RDFS.label, _text(item.title, lang))
                add(post, ORG.postIn, unit)
            else:
                add(iri, ORG.memberOf, unit)
        add(rel, SCHEMA.mentions, iri)
        people.append(iri)

    agreements = []
    for position, item in enumerate(record.agreements):
        iri = report_iri(rid, position)
        agreements.append(iri)
        add(iri, RDF.type, SECKG.AgreementReport)
        add(iri, DCTERMS.type, agreement_type_iri(item.type))
        add(iri, SECKG.position, Literal(position))
        add(iri, SECKG.reportedBy, rel)
        add(iri, SECKG.event, Literal(item.event or "signed"))
        if item.title:
            add(iri, DCTERMS.title, _text(item.title, lang))
        label = item.title or f"{item.type} ({', '.join(item.parties) or 'no parties'})"
        add(iri, RDFS.label, _text(label, lang))
        add(iri, SECKG.signedOn, _date_literal(item.date, f"release {rid} agreement {position} date"))
        if item.place:
            add(iri, SECKG.place, Literal(item.place))
        add(iri, SECKG.placeCountry, country(item.place_country))
        for code in item.parties:
            add(iri, SECKG.party, country(code))
        for name in item.signatories:
            add(iri, SECKG.signatory, person(name))
        for focus in item.focus_areas:
            add(iri, SECKG.focusArea, focus_iri(focus))
        for number, commitment in enumerate(item.commitments):
            node = commitment_iri(rid, position, number)
            add(iri, SECKG.commitment, node)
            add(node, RDF.type, SECKG.Commitment)
            add(node, RDFS.label, _text(commitment.text, lang))
            add(node, SECKG.startOffset, Literal(int(commitment.start)))
            add(node, SECKG.endOffset, Literal(int(commitment.end)))
            add(node, PROV.wasQuotedFrom, rel)
            for focus in commitment.focus_areas:
                add(node, SECKG.focusArea, focus_iri(focus))
        for number, ref in enumerate(item.references):
            node = reference_iri(rid, position, number)
            add(iri, SECKG.reference, node)
            add(node, RDF.type, SECKG.InstrumentReference)
            add(node, SECKG.relation, Literal(ref.relation))
            if ref.type:
                add(node, DCTERMS.type, agreement_type_iri(ref.type))
            add(node, RDFS.label, _text(ref.title or ref.type or ref.relation, lang))
            if ref.title:
                add(node, DCTERMS.title, _text(ref.title, lang))
            for code in ref.parties:
                add(node, SECKG.party, country(code))

    for focus in record.focus_areas:
        add(rel, DCTERMS.subject, focus_iri(focus))

    targets = {"agreements": agreements, "people": people, "agencies": agencies, "countries": countries}
    for ev in record.evidence:
        item = _evidence_target(ev, targets, record)
        if item is None:
            log.debug("release %s: evidence for %s[%r] points at nothing; left out", rid, ev.field, ev.index)
            continue
        node = evidence_iri(rid, ev)
        add(item, SECKG.hasEvidence, node)
        add(node, RDF.type, SECKG.Evidence)
        add(node, SECKG.field, Literal(ev.field))
        add(node, SECKG.sentence, _text(ev.sentence, lang))
        add(node, SECKG.startOffset, Literal(int(ev.start)))
        add(node, SECKG.endOffset, Literal(int(ev.end)))
        add(node, SECKG.textPart, Literal(ev.part))
        add(node, PROV.wasQuotedFrom, rel)
    return sort_quads(out)


def _evidence_target(ev: Evidence, targets: dict[str, list], record: Record) -> URIRef | None:
    if ev.field == "focus_areas":
        if isinstance(ev.index, int):
            ids = record.focus_areas
            return focus_iri(ids[ev.index]) if 0 <= ev.index < len(ids) else None
        return focus_iri(str(ev.index))
    items = targets.get(ev.field)
    if items is None:
        return None
    if ev.field == "countries" and isinstance(ev.index, str):
        return country_iri(ev.index) if country_code(ev.index) else None
    if isinstance(ev.index, int) and 0 <= ev.index < len(items):
        return items[ev.index]
    return None


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
