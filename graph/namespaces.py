"""Namespaces of the seckg graph: the closed ontology namespace and the IRI bases of instances.

:class:`SECKG` is a closed rdflib ``DefinedNamespace``: asking it for a term that
``ontology/seckg.ttl`` does not declare raises ``AttributeError`` (a test checks both lists agree).
Everything else is reused from W3C and schema.org vocabularies.

Examples
--------
>>> str(SECKG.Agreement)
'https://w3id.org/seckg/ontology#Agreement'
>>> str(FOCUS["cybersecurity"])
'https://w3id.org/seckg/focus/cybersecurity'
>>> PREFIXES["org"]
'http://www.w3.org/ns/org#'
"""

from __future__ import annotations

from rdflib import DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SDO, SKOS, XSD, Namespace, URIRef
from rdflib.namespace import DefinedNamespace

__all__ = [
    "AGREEMENT_TYPE",
    "AGREEMENT_TYPE_SCHEME",
    "BASE",
    "DCTERMS",
    "FOAF",
    "FOCUS",
    "FOCUS_SCHEME",
    "GRAPH",
    "ID",
    "ONTOLOGY_IRI",
    "ORG",
    "OWL",
    "PREFIXES",
    "PROV",
    "RDF",
    "RDFS",
    "REFERENCE_GRAPH",
    "RESOLUTION_GRAPH",
    "SCHEMA",
    "SECKG",
    "SKOS",
    "WD",
    "XSD",
    "sparql_prologue",
]

BASE = "https://w3id.org/seckg/"


class SECKG(DefinedNamespace):
    """The seckg ontology's own terms (``https://w3id.org/seckg/ontology#``), closed."""

    _NS = Namespace(BASE + "ontology#")
    _fail = True

    # classes
    Agreement: URIRef
    AgreementReport: URIRef
    Commitment: URIRef
    Evidence: URIRef
    InstrumentReference: URIRef
    InternationalOrganization: URIRef
    ReferenceGraph: URIRef
    ReleaseGraph: URIRef
    ResolutionGraph: URIRef
    ResolutionLink: URIRef
    # object properties
    commitment: URIRef
    country: URIRef
    focusArea: URIRef
    hasEvidence: URIRef
    linkedReport: URIRef
    party: URIRef
    placeCountry: URIRef
    possiblySame: URIRef
    reference: URIRef
    report: URIRef
    reportOf: URIRef
    reportedBy: URIRef
    resolutionLink: URIRef
    resolvedAs: URIRef
    signatory: URIRef
    # datatype properties
    contentHash: URIRef
    decision: URIRef
    endOffset: URIRef
    event: URIRef
    extractorVersion: URIRef
    field: URIRef
    place: URIRef
    position: URIRef
    reason: URIRef
    relation: URIRef
    rule: URIRef
    sentence: URIRef
    signedOn: URIRef
    startOffset: URIRef
    status: URIRef
    textPart: URIRef


SCHEMA = SDO
ONTOLOGY_IRI = URIRef(BASE + "ontology")
ID = Namespace(BASE + "id/")
"""Instances: ``id/country/PAN``, ``id/agency/USA/department-of-homeland-security``, ..."""
FOCUS = Namespace(BASE + "focus/")
"""Focus-area concepts (``ontology/focus-areas.ttl``), ``skos:notation`` = the contract's id."""
FOCUS_SCHEME = URIRef(BASE + "focus/")
AGREEMENT_TYPE = Namespace(BASE + "agreement-type/")
"""Agreement-type concepts (``ontology/agreement-types.ttl``), ``skos:notation`` = the type."""
AGREEMENT_TYPE_SCHEME = URIRef(BASE + "agreement-type/")
GRAPH = Namespace(BASE + "graph/")
"""Named graphs: ``graph/release/<id>`` per release, :data:`REFERENCE_GRAPH`, :data:`RESOLUTION_GRAPH`."""
REFERENCE_GRAPH = URIRef(BASE + "graph/reference")
RESOLUTION_GRAPH = URIRef(BASE + "graph/resolution")
"""Instruments, their reports and resolution links, people resolved across releases (rebuilt after ingest)."""
WD = Namespace("http://www.wikidata.org/entity/")

PREFIXES: dict[str, str] = {
    "seckg": str(SECKG._NS),
    "id": str(ID),
    "country": str(ID) + "country/",
    "agency": str(ID) + "agency/",
    "person": str(ID) + "person/",
    "release": str(ID) + "release/",
    "agreement": str(ID) + "agreement/",
    "report": str(ID) + "report/",
    "focus": str(FOCUS),
    "atype": str(AGREEMENT_TYPE),
    "sgraph": str(GRAPH),
    "org": str(ORG),
    "schema": str(SCHEMA),
    "foaf": str(FOAF),
    "dcterms": str(DCTERMS),
    "prov": str(PROV),
    "skos": str(SKOS),
    "owl": str(OWL),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
    "wd": str(WD),
}
"""Prefixes every query may use without declaring them (and that exports use)."""


def sparql_prologue(prefixes: dict[str, str] | None = None) -> str:
    """Return ``PREFIX`` declarations for ``prefixes`` (default :data:`PREFIXES`).

    Examples
    --------
    >>> sparql_prologue({"ex": "http://example.org/"})
    'PREFIX ex: <http://example.org/>\\n'
    """
    items = (prefixes if prefixes is not None else PREFIXES).items()
    return "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in items)
