"""The endpoint's SPARQL 1.1 Service Description (``GET /query`` with no query and an RDF ``Accept``).

What the W3C recommendation asks a service to say about itself: its endpoint, the languages it
supports (SPARQL 1.1 Query; Update when started ``--writable``), the result formats it answers in,
its features (the default graph is the union of the named graphs), the entailment regime (simple)
and its dataset (the named graphs of a local store). Blank nodes have fixed labels, so the same
store gives the same description.

Examples
--------
>>> import pyoxigraph as ox
>>> triples = service_description("http://127.0.0.1:7878/query", ox.Store(), writable=False)
>>> service = ox.NamedNode("http://127.0.0.1:7878/query#service")
>>> ox.Triple(service, SD("endpoint"), ox.NamedNode("http://127.0.0.1:7878/query")) in triples
True
>>> ox.Triple(service, SD("supportedLanguage"), SD("SPARQL11Update")) in triples
False
"""

from __future__ import annotations

import pyoxigraph as ox

from graph.namespaces import DCTERMS, RDF
from graph.results import GRAPH_MEDIA_TYPES, RESULT_MEDIA_TYPES
from graph.store import StoreLike

__all__ = ["FORMATS", "SD", "SD_NS", "service_description"]

SD_NS = "http://www.w3.org/ns/sparql-service-description#"
FORMATS = tuple(
    sorted(
        {f.iri for media in RESULT_MEDIA_TYPES if (f := ox.QueryResultsFormat.from_media_type(media))}
        | {syntax.iri for syntax in GRAPH_MEDIA_TYPES.values()}
    )
)
"""The result formats the endpoint answers in (their W3C format IRIs, as the RDF library names them),
derived from what :func:`graph.results.serialize_media` offers."""


def SD(name: str) -> ox.NamedNode:
    """The Service Description term ``name``.

    >>> SD("Service").value
    'http://www.w3.org/ns/sparql-service-description#Service'
    """
    return ox.NamedNode(SD_NS + name)


def service_description(endpoint: str, store: StoreLike, *, writable: bool) -> list[ox.Triple]:
    """The triples describing the service at ``endpoint`` (sorted).

    Parameters
    ----------
    endpoint : str
        The endpoint's absolute URL, e.g. ``http://127.0.0.1:7878/query``.
    store : pyoxigraph.Store or RemoteStore
        Its named graphs are listed when it is a local store.
    writable : bool
        Whether the endpoint accepts SPARQL Update.
    """
    service = ox.NamedNode(endpoint + "#service")
    dataset = ox.NamedNode(endpoint + "#dataset")
    default_graph = ox.BlankNode("defaultGraph")
    type_ = ox.NamedNode(str(RDF.type))
    out = [
        ox.Triple(service, type_, SD("Service")),
        ox.Triple(service, SD("endpoint"), ox.NamedNode(endpoint)),
        ox.Triple(service, SD("supportedLanguage"), SD("SPARQL11Query")),
        ox.Triple(service, SD("feature"), SD("UnionDefaultGraph")),
        ox.Triple(
            service, SD("defaultEntailmentRegime"), ox.NamedNode("http://www.w3.org/ns/entailment/Simple")
        ),
        ox.Triple(service, SD("defaultDataset"), dataset),
        ox.Triple(service, ox.NamedNode(str(DCTERMS.title)), ox.Literal("seckg SPARQL endpoint")),
        ox.Triple(dataset, type_, SD("Dataset")),
        ox.Triple(dataset, SD("defaultGraph"), default_graph),
        ox.Triple(default_graph, type_, SD("Graph")),
    ]
    if writable:
        out.append(ox.Triple(service, SD("supportedLanguage"), SD("SPARQL11Update")))
    for iri in FORMATS:
        out.append(ox.Triple(service, SD("resultFormat"), ox.NamedNode(iri)))
    if isinstance(store, ox.Store):
        names = sorted(g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode))
        for number, name in enumerate(names):
            graph = ox.BlankNode(f"namedGraph{number}")
            out.append(ox.Triple(dataset, SD("namedGraph"), graph))
            out.append(ox.Triple(graph, type_, SD("NamedGraph")))
            out.append(ox.Triple(graph, SD("name"), ox.NamedNode(name)))
    return sorted(out, key=str)
