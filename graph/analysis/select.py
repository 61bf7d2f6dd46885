"""Focused views of a typed graph: the viewer's filter rule, and graphs from ``CONSTRUCT`` results.

The filter rule (the viewer page applies the very same one in the browser):

1. With a focus area, country, agreement type or year range given, the *agreements kept* are
   those that match all of them: the focus area is one of its ``topics``, the country one of its
   ``parties``, the type its ``agreement_type``, its ``year`` within the range (inclusive; an
   agreement without a year is left out when a range is given). The nodes kept are those
   agreements, their neighbours (parties, signatories, focus areas) and the agencies those
   signatories are members of. Without any of them, every node is kept.
2. A search text keeps the nodes whose :func:`search_text` contains it (case-insensitive) and
   their neighbours, within what rule 1 kept.

Examples
--------
>>> import networkx as nx
>>> g = nx.MultiDiGraph()
>>> g.add_node("a", type="agreement", label="A", topics=["cybersecurity"], parties=["PAN"],
...            agreement_type="treaty", year=2020)
>>> g.add_node("p", type="country", label="Panama", code="PAN")
>>> g.add_node("x", type="country", label="Chile", code="CHL")
>>> _ = g.add_edge("a", "p", key="party", relation="party")
>>> sorted(filter_typed(g, focus="cybersecurity"))
['a', 'p']
>>> sorted(filter_typed(g, text="chile"))
['x']
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

import networkx as nx
import pyoxigraph as ox

from graph.analysis.projections import AGREEMENT, PERSON

__all__ = ["filter_typed", "search_text", "store_from_triples"]

log = logging.getLogger(__name__)


def search_text(data: dict) -> str:
    """The lower-case text a node is searched by: its label and code.

    >>> search_text({"label": "Panama", "code": "PAN"})
    'panama pan'
    """
    return " ".join(str(v) for v in (data.get("label"), data.get("code")) if v).lower()


def _matches(data: dict, focus, country, agreement_type, years) -> bool:
    if focus and focus not in data.get("topics", []):
        return False
    if country and country not in data.get("parties", []):
        return False
    if agreement_type and data.get("agreement_type") != agreement_type:
        return False
    if years:
        year = data.get("year")
        return year is not None and years[0] <= year <= years[1]
    return True


def filter_typed(
    typed: nx.MultiDiGraph,
    *,
    focus: str | None = None,
    country: str | None = None,
    agreement_type: str | None = None,
    years: tuple[int, int] | None = None,
    text: str | None = None,
) -> nx.MultiDiGraph:
    """The sub-graph of ``typed`` that the filter rule (module docstring) keeps, as a copy.

    Parameters
    ----------
    typed : networkx.MultiDiGraph
        A typed graph (:func:`~graph.analysis.projections.typed_graph`).
    focus : str, optional
        A focus-area id (``cybersecurity``).
    country : str, optional
        An ISO alpha-3 code (or ``EU``), as a party.
    agreement_type : str, optional
        An agreement type id (``memorandum-of-understanding``).
    years : (int, int), optional
        First and last year, inclusive.
    text : str, optional
        Search text.
    """
    keep = set(typed.nodes)
    if focus or country or agreement_type or years:
        keep = set()
        for node, data in typed.nodes(data=True):
            if data.get("type") != AGREEMENT or not _matches(data, focus, country, agreement_type, years):
                continue
            keep.add(node)
            for neighbour in set(typed.successors(node)) | set(typed.predecessors(node)):
                keep.add(neighbour)
                if typed.nodes[neighbour].get("type") == PERSON:
                    keep |= {u for _, u, k in typed.out_edges(neighbour, keys=True) if k == "member of"}
    needle = (text or "").strip().lower()
    if needle:
        found = set()
        for node, data in typed.nodes(data=True):
            if needle in search_text(data):
                found |= {node, *typed.successors(node), *typed.predecessors(node)}
        keep &= found
    view = typed.subgraph(sorted(keep, key=str)).copy()
    log.info("filter kept %d of %d nodes", view.number_of_nodes(), typed.number_of_nodes())
    return view


def store_from_triples(triples: Iterable[ox.Triple], reference: Iterable[ox.Quad] = ()) -> ox.Store:
    """An in-memory store holding ``triples`` (a ``CONSTRUCT`` result) as one release-like graph.

    ``reference`` quads (the store's reference graph, for labels and the agency hierarchy) are
    added as they are. The typed projection of the result shows what the query constructed.

    >>> t = ox.Triple(ox.NamedNode("http://a"), ox.NamedNode("http://p"), ox.Literal("x"))
    >>> len(store_from_triples([t]))
    1
    """
    store = ox.Store()
    name = ox.NamedNode("urn:x-seckg:construct")
    store.extend(ox.Quad(t.subject, t.predicate, t.object, name) for t in triples)
    store.extend(reference)
    return store
