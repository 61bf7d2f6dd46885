"""Read the reports and people of every release graph, resolve them, write the resolution graph.

The resolution graph (:data:`~graph.namespaces.RESOLUTION_GRAPH`) is rebuilt as a whole from the
release graphs, so the same set of releases always gives the same bytes, whatever the order
they were ingested in. Each instrument (``seckg:Agreement``) states what its reports agree on
(type, parties, signatories, signing date, place, focus areas, the releases that report it) and
its status (the latest reported event); every merge and every undecided pair is a
``seckg:ResolutionLink`` with its rule and reason. Shorter names of people point to the fuller
name with ``seckg:resolvedAs``.

Examples
--------
>>> import pyoxigraph as ox
>>> from graph.loading import load_records
>>> from graph.model import Agreement, Record
>>> store = ox.Store()
>>> a = Record(id="a", date="2023-12-05", agreements=(Agreement("treaty", parties=("GBR", "RWA"),
...            date="2023-12-05", signatories=("James Cleverly",)),))
>>> b = Record(id="b", date="2023-12-06", agreements=(Agreement("agreement", parties=("GBR", "RWA"),
...            signatories=("Cleverly",)),))
>>> _ = load_records(store, [a, b])
>>> [(row["rule"], row["decision"]) for row in list_links(store)]
[('same-signatories', 'merged')]
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import URIRef

from graph.iris import agreement_type_iri, country_iri, link_iri, person_iri, release_iri
from graph.namespaces import (
    AGREEMENT_TYPE,
    DCTERMS,
    FOAF,
    ID,
    ORG,
    RDF,
    RDFS,
    REFERENCE_GRAPH,
    RESOLUTION_GRAPH,
    SCHEMA,
    SECKG,
    XSD,
)
from graph.resolve.instruments import Resolution, resolve_reports
from graph.resolve.matching import Report
from graph.resolve.people import PersonMention, resolve_people
from graph.store import RemoteStore, StoreLike, execute

__all__ = [
    "ResolveSummary",
    "list_links",
    "read_people",
    "read_reports",
    "resolution_quads",
    "resolve_store",
    "write_resolution",
]

log = logging.getLogger(__name__)

_COUNTRY = str(ID) + "country/"
_TYPE = str(AGREEMENT_TYPE)


@dataclass(frozen=True)
class ResolveSummary:
    """What one resolution found: reports, instruments, merges, undecided pairs, people joined."""

    reports: int
    instruments: int
    merges: int
    possible: int
    people: int
    triples: int


def _quads(
    store: StoreLike, predicate: URIRef, obj: URIRef | None = None
) -> list[tuple[str, ox.NamedNode | ox.BlankNode | ox.Literal, str]]:
    """``(subject, object, graph)`` of the statements with ``predicate`` (and ``obj``) in release graphs."""
    skip = {str(REFERENCE_GRAPH), str(RESOLUTION_GRAPH)}
    if isinstance(store, RemoteStore):
        target = f"<{obj}>" if obj is not None else "?o"
        rows = execute(store, f"SELECT ?s ?o ?g WHERE {{ GRAPH ?g {{ ?s <{predicate}> {target} }} }}")
        found = [
            (row["s"].value, row["o"] if obj is None else ox.NamedNode(str(obj)), row["g"].value)
            for row in rows
        ]
        return [row for row in found if row[2] not in skip]
    pattern = store.quads_for_pattern(
        None, ox.NamedNode(str(predicate)), ox.NamedNode(str(obj)) if obj is not None else None, None
    )
    out = []
    for q in pattern:
        graph, subject, value = q.graph_name, q.subject, q.object
        if isinstance(subject, ox.Triple) or isinstance(value, ox.Triple):
            continue  # release graphs hold no RDF-star triples
        if isinstance(graph, ox.NamedNode) and graph.value not in skip:
            out.append((subject.value, value, graph.value))
    return out


def _by_subject(store: StoreLike, predicate: URIRef) -> dict[str, list[str]]:
    found: dict[str, set[str]] = defaultdict(set)
    for s, o, _ in _quads(store, predicate):
        found[s].add(o.value)
    return {s: sorted(v) for s, v in found.items()}


def _strip(values: list[str], base: str) -> list[str]:
    return sorted(v[len(base) :] if v.startswith(base) else v for v in values)


def read_reports(store: StoreLike) -> list[Report]:
    """Every release's reports of agreements, with what resolution compares."""
    reports = {s for s, _, _ in _quads(store, RDF.type, SECKG.AgreementReport)}
    props = {
        name: _by_subject(store, predicate)
        for name, predicate in {
            "type": DCTERMS.type, "position": SECKG.position, "release": SECKG.reportedBy,
            "event": SECKG.event, "date": SECKG.signedOn, "title": DCTERMS.title, "party": SECKG.party,
            "signatory": SECKG.signatory, "place": SECKG.place, "country": SECKG.placeCountry,
            "focus": SECKG.focusArea,
        }.items()
    }  # fmt: skip
    releases = {s: v[0] for s, v in _by_subject(store, DCTERMS.identifier).items()}
    issued = {s: v[0] for s, v in _by_subject(store, DCTERMS.issued).items()}
    language = {s: v[0] for s, v in _by_subject(store, DCTERMS.language).items()}
    names = {s: v[0] for s, v in _by_subject(store, FOAF.name).items()}
    units: dict[str, set[str]] = {}
    international: set[str] = set()
    mentions: dict[str, list[str]] = {}
    if any(not props["party"].get(iri) for iri in reports):  # only agreements between organizations need them
        for (person, _), bodies in _units(store).items():
            units.setdefault(person, set()).update(bodies)
        international = {s for s, _, _ in _quads(store, RDF.type, SECKG.InternationalOrganization)}
        mentions = _by_subject(store, SCHEMA.mentions)
    out = []
    for iri in sorted(reports):
        p = {name: values.get(iri, []) for name, values in props.items()}
        release = p["release"][0] if p["release"] else ""
        parties = tuple(_strip(p["party"], _COUNTRY))
        organizations: tuple[str, ...] = ()
        if not parties:
            found = sorted({u for person in p["signatory"] for u in units.get(person, ())})
            organizations = tuple(found or sorted(m for m in mentions.get(release, []) if m in international))
        out.append(
            Report(
                iri=iri,
                release=releases.get(release, release),
                position=int(p["position"][0]) if p["position"] else 0,
                type=_strip(p["type"], _TYPE)[0] if p["type"] else "other",
                parties=parties,
                event=p["event"][0] if p["event"] else "signed",
                date=p["date"][0] if p["date"] else None,
                released=issued.get(release),
                title=p["title"][0] if p["title"] else None,
                signatories=tuple(sorted(names.get(s, s) for s in p["signatory"])),
                place=p["place"][0] if p["place"] else None,
                place_country=_strip(p["country"], _COUNTRY)[0] if p["country"] else None,
                organizations=organizations,
                focus_areas=tuple(p["focus"]),
                language=language.get(release),
            )
        )
    return out


def _units(store: StoreLike) -> dict[tuple[str, str], set[str]]:
    """``{(person, release graph): agencies}``: the bodies a release says a person holds a post in
    or belongs to."""
    post_in = _by_subject(store, ORG.postIn)
    found: dict[tuple[str, str], set[str]] = defaultdict(set)
    for person, post, graph in _quads(store, ORG.holds):
        found[(person, graph)].update(post_in.get(post.value, []))
    for person, unit, graph in _quads(store, ORG.memberOf):
        found[(person, graph)].add(unit.value)
    return found


def read_people(store: StoreLike) -> list[PersonMention]:
    """Every release's mention of every person: name, state, titles and the release's date."""
    derived = {
        g: v for g, v in _by_subject(store, URIRef("http://www.w3.org/ns/prov#wasDerivedFrom")).items()
    }
    issued = {s: v[0] for s, v in _by_subject(store, DCTERMS.issued).items()}
    names = {s: v[0] for s, v in _by_subject(store, FOAF.name).items()}
    countries: dict[tuple[str, str], str] = {}
    for s, o, g in _quads(store, SECKG.country):
        if s in names:
            countries[(s, g)] = o.value[len(_COUNTRY) :] if o.value.startswith(_COUNTRY) else o.value
    titles: dict[tuple[str, str], set[str]] = defaultdict(set)
    for s, o, g in _quads(store, SCHEMA.jobTitle):
        titles[(s, g)].add(o.value)
    units = _units(store)
    seen = {(s, g) for s, _, g in _quads(store, FOAF.name)}
    out = []
    for person, graph in sorted(seen):
        release = derived[graph][0] if derived.get(graph) else None
        out.append(
            PersonMention(
                person,
                names[person],
                countries.get((person, graph)),
                tuple(sorted(titles.get((person, graph), ()))),
                issued.get(release) if release else None,
                tuple(sorted(units.get((person, graph), ()))),
            )
        )
    return out


def resolution_quads(resolution: Resolution, people: dict[str, str]) -> list[ox.Quad]:
    """The resolution graph's quads (pyoxigraph terms), sorted; ``people`` maps shorter names' IRIs
    to the fuller ones."""
    g = ox.NamedNode(str(RESOLUTION_GRAPH))
    iri = _iri_cache()
    out: set[ox.Quad] = {ox.Quad(g, iri(RDF.type), iri(SECKG.ResolutionGraph), g)}

    def add(s, p, o) -> None:
        if o is not None:
            out.add(ox.Quad(s, p, o, g))

    text = ox.Literal
    day = iri(XSD.date)
    for shorter, fuller in people.items():
        add(iri(shorter), iri(SECKG.resolvedAs), iri(fuller))
    for instrument in resolution.instruments:
        node = iri(instrument.iri)
        add(node, iri(RDF.type), iri(SECKG.Agreement))
        add(node, iri(DCTERMS.type), iri(agreement_type_iri(instrument.type)))
        title = instrument.title
        label = title or f"{instrument.type} ({', '.join(instrument.parties) or 'no parties'})"
        add(node, iri(RDFS.label), text(label))
        if title:
            add(node, iri(DCTERMS.title), text(title))
        if instrument.signed_on:
            add(node, iri(SECKG.signedOn), text(instrument.signed_on, datatype=day))
        if instrument.first_date:
            add(node, iri(DCTERMS.date), text(instrument.first_date, datatype=day))
        add(node, iri(SECKG.status), text(instrument.status))
        place, place_country = instrument.place
        if place:
            add(node, iri(SECKG.place), text(place))
        if place_country:
            add(node, iri(SECKG.placeCountry), iri(country_iri(place_country)))
        for code in instrument.parties:
            add(node, iri(SECKG.party), iri(country_iri(code)))
        for report in instrument.reports:
            add(node, iri(SECKG.report), iri(report.iri))
            add(iri(report.iri), iri(SECKG.reportOf), node)
            add(node, iri(SECKG.reportedBy), iri(release_iri(report.release)))
            for name in report.signatories:
                person = str(person_iri(name))
                add(node, iri(SECKG.signatory), iri(people.get(person, person)))
            for focus in report.focus_areas:
                add(node, iri(SECKG.focusArea), iri(focus))
        for link in instrument.links:
            _link(add, iri, node, link)
    for first, second, link in resolution.possible:
        a, b = iri(first), iri(second)
        add(a, iri(SECKG.possiblySame), b)
        add(b, iri(SECKG.possiblySame), a)
        node = _link(add, iri, a, link)
        add(b, iri(SECKG.resolutionLink), node)
    return sorted(out, key=str)


def _iri_cache():
    cache: dict[str, ox.NamedNode] = {}

    def iri(value) -> ox.NamedNode:
        key = str(value)
        node = cache.get(key)
        if node is None:
            node = cache[key] = ox.NamedNode(key)
        return node

    return iri


def _link(add, iri, instrument: ox.NamedNode, link) -> ox.NamedNode:
    node = iri(link_iri(link.decision, URIRef(link.first), URIRef(link.second)))
    add(instrument, iri(SECKG.resolutionLink), node)
    add(node, iri(RDF.type), iri(SECKG.ResolutionLink))
    add(node, iri(SECKG.decision), ox.Literal(link.decision))
    add(node, iri(SECKG.linkedReport), iri(link.first))
    add(node, iri(SECKG.linkedReport), iri(link.second))
    for rule in link.rules:
        add(node, iri(SECKG.rule), ox.Literal(rule))
    add(node, iri(SECKG.reason), ox.Literal(link.reason))
    return node


def write_resolution(store: StoreLike, quads: list[ox.Quad]) -> None:
    """Replace the resolution graph by ``quads``: pyoxigraph's bulk path locally (not a transaction,
    but the graph is derived: a run cut short is mended by the next ``ingest`` or ``resolve``, which
    rebuild it whole), bounded chunks of updates on a remote server."""
    name = ox.NamedNode(str(RESOLUTION_GRAPH))
    if isinstance(store, RemoteStore):
        store.replace_graphs([(name, quads)])
        return
    if store.contains_named_graph(name):
        store.remove_graph(name)
    store.bulk_extend(quads)


def resolve_store(store: StoreLike) -> ResolveSummary:
    """Rebuild the resolution graph of ``store`` from its release graphs; return what it found."""
    reports = read_reports(store)
    resolution = resolve_reports(reports)
    people = resolve_people(read_people(store))
    quads = resolution_quads(resolution, people)
    write_resolution(store, quads)
    summary = ResolveSummary(
        reports=len(reports),
        instruments=len(resolution.instruments),
        merges=sum(len(i.reports) - 1 for i in resolution.instruments),
        possible=len(resolution.possible),
        people=len(people),
        triples=len(quads),
    )
    log.info("resolved %d reports into %d instruments", summary.reports, summary.instruments)
    return summary


_LINKS = f"""
SELECT ?link ?decision ?rule ?reason ?first ?second ?instrument WHERE {{
  GRAPH <{RESOLUTION_GRAPH}> {{
    ?link a seckg:ResolutionLink ; seckg:decision ?decision ; seckg:reason ?reason ;
          seckg:linkedReport ?first , ?second .
    ?instrument seckg:resolutionLink ?link .
    FILTER(STR(?first) < STR(?second))
    {{ SELECT ?link (GROUP_CONCAT(?r; separator=",") AS ?rule) WHERE {{
        SELECT ?link ?r WHERE {{ ?link seckg:rule ?r }} ORDER BY ?r }} GROUP BY ?link }}
  }}
}}"""


def list_links(store: StoreLike, decision: str | None = None) -> list[dict[str, str]]:
    """Every resolution link: decision, rules, reason, the two reports and the instrument(s).

    Sorted by decision, then the reports; a possibly-same link lists both instruments.
    """
    rows: dict[tuple[str, str, str], dict[str, str]] = {}
    for row in execute(store, _LINKS):
        values = {
            k: row[k].value for k in ("link", "decision", "rule", "reason", "first", "second", "instrument")
        }
        if decision and values["decision"] != decision:
            continue
        key = (values["decision"], values["first"], values["second"])
        found = rows.setdefault(key, {**values, "instrument": ""})
        found["instrument"] = ",".join(
            sorted({*filter(None, found["instrument"].split(",")), values["instrument"]})
        )
    return [rows[k] for k in sorted(rows)]
