"""Stable, readable IRIs of the graph's resources (all under ``https://w3id.org/seckg/``).

Countries by ISO code, agencies and people by canonical name, a release's reports of agreements
by release and position, instruments by their earliest report, evidence by field, item and
character span. No blank nodes: the same input always names the same resources.

Examples
--------
>>> str(country_iri("pan"))
'https://w3id.org/seckg/id/country/PAN'
>>> str(person_iri("Chad F. Wolf"))
'https://w3id.org/seckg/id/person/chad-f-wolf'
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from urllib.parse import quote

from rdflib import URIRef

from graph.model import Evidence
from graph.namespaces import AGREEMENT_TYPE, FOCUS, GRAPH, ID

__all__ = [
    "agency_iri",
    "agreement_type_iri",
    "commitment_iri",
    "country_code",
    "country_iri",
    "evidence_iri",
    "focus_iri",
    "instrument_iri",
    "link_iri",
    "path_part",
    "person_iri",
    "post_iri",
    "reference_iri",
    "release_graph_iri",
    "release_iri",
    "report_iri",
    "slug",
]

_CODE = re.compile(r"^(?:[A-Z]{3}|EU)$")
_INTERNATIONAL = "int"


def slug(text: str) -> str:
    """Lower-case ASCII words joined by ``-`` (accents dropped); a hash when nothing is left.

    >>> slug("Ministerio de Gobernación (MINGOB)")
    'ministerio-de-gobernacion-mingob'
    """
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    words = re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")
    return words or "x-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def path_part(value: str) -> str:
    """Percent-encode ``value`` for one IRI path segment (``/`` included)."""
    return quote(value, safe="-._~")


def release_iri(release_id: str) -> URIRef:
    """IRI of the release ``release_id`` (percent-encoded).

    >>> str(release_iri("a b"))
    'https://w3id.org/seckg/id/release/a%20b'
    """
    return ID[f"release/{path_part(release_id)}"]


def release_graph_iri(release_id: str) -> URIRef:
    """Name of the graph that holds what was extracted from release ``release_id``."""
    return GRAPH[f"release/{path_part(release_id)}"]


def country_code(code: str | None) -> str | None:
    """The upper-cased alpha-3 code (or ``EU``), or ``None`` when ``code`` is not one.

    >>> country_code(" pan "), country_code("Panama")
    ('PAN', None)
    """
    if not code:
        return None
    upper = code.strip().upper()
    return upper if _CODE.match(upper) else None


def country_iri(code: str) -> URIRef:
    """IRI of the state with alpha-3 ``code`` (or ``EU``); ``ValueError`` for anything else.

    >>> str(country_iri("pan"))
    'https://w3id.org/seckg/id/country/PAN'
    """
    checked = country_code(code)
    if checked is None:
        raise ValueError(f"not an ISO alpha-3 code or EU: {code!r}")
    return ID[f"country/{checked}"]


def agency_iri(name: str, country: str | None) -> URIRef:
    """IRI of an agency by canonical name within its country (``int`` when international).

    >>> str(agency_iri("Department of Homeland Security", "USA"))
    'https://w3id.org/seckg/id/agency/USA/department-of-homeland-security'
    """
    return ID[f"agency/{country_code(country) or _INTERNATIONAL}/{slug(name)}"]


def person_iri(name: str) -> URIRef:
    """IRI of a person by name (``id/person/chad-f-wolf``)."""
    return ID[f"person/{slug(name)}"]


def post_iri(agency: str, title: str) -> URIRef:
    """IRI of the post ``title`` in ``agency`` (an ``org:Post``)."""
    tail = str(agency).split("/agency/", 1)[-1]
    return ID[f"post/{tail}/{slug(title)}"]


def focus_iri(focus_id: str) -> URIRef:
    """IRI of the focus-area concept ``focus_id`` (``ontology/focus-areas.ttl``)."""
    return FOCUS[slug(focus_id)]


def agreement_type_iri(kind: str) -> URIRef:
    """IRI of the agreement-type concept ``kind`` (``ontology/agreement-types.ttl``)."""
    return AGREEMENT_TYPE[slug(kind)]


def report_iri(release_id: str, position: int) -> URIRef:
    """IRI of a release's report of an agreement: the ``position``-th item of its record's ``agreements``.

    >>> str(report_iri("r 1", 0))
    'https://w3id.org/seckg/id/report/r%201/0'
    """
    return ID[f"report/{path_part(release_id)}/{int(position)}"]


def commitment_iri(release_id: str, position: int, number: int) -> URIRef:
    """IRI of the ``number``-th commitment of a report (``id/report/<release>/<position>/commitment/<n>``)."""
    return URIRef(f"{report_iri(release_id, position)}/commitment/{int(number)}")


def reference_iri(release_id: str, position: int, number: int) -> URIRef:
    """IRI of the ``number``-th earlier instrument a report refers to."""
    return URIRef(f"{report_iri(release_id, position)}/reference/{int(number)}")


def instrument_iri(
    kind: str, parties: list[str] | tuple[str, ...], year: str | None, first: tuple[str, int]
) -> URIRef:
    """IRI of an instrument: readable type, parties and year, plus a hash of its earliest report.

    ``first`` is the ``(release id, position)`` of the report that names it, the smallest of its
    reports, so the IRI depends on the set of reports, never on the order they were read in.

    >>> str(instrument_iri("treaty", ["GBR", "RWA"], "2023", ("405", 0)))
    'https://w3id.org/seckg/id/agreement/treaty-gbr-rwa-2023-a9e2e1af'
    """
    digest = hashlib.sha256(json.dumps([first[0], int(first[1])]).encode("utf-8")).hexdigest()[:8]
    name = "-".join([slug(kind), *(slug(p) for p in sorted(parties)[:6]), *([year] if year else []), digest])
    return ID[f"agreement/{name}"]


def link_iri(decision: str, first: URIRef, second: URIRef) -> URIRef:
    """IRI of the resolution link between two reports (order-free)."""
    a, b = sorted((str(first), str(second)))
    digest = hashlib.sha256(f"{decision}|{a}|{b}".encode()).hexdigest()[:16]
    return ID[f"link/{slug(decision)}-{digest}"]


def evidence_iri(release_id: str, evidence: Evidence) -> URIRef:
    """IRI of one piece of evidence (field, item, text part and character span in a release)."""
    return ID[
        f"evidence/{path_part(release_id)}/{path_part(evidence.field)}/{path_part(str(evidence.index))}"
        f"/{path_part(evidence.part)}-{evidence.start}-{evidence.end}"
    ]
