"""Measures over the projections, each a function returning a pandas ``DataFrame``.

Every frame keeps what its columns mean, in plain words, in ``frame.attrs["meaning"]``.
Counts of agreements are counts of *reported* agreements (one per release that reports it),
until agreements reported by several releases are merged.

Examples
--------
>>> import networkx as nx
>>> g = nx.Graph()
>>> g.add_edge("a", "b", weight=2)
>>> g.add_edge("b", "c", weight=1)
>>> for n in g:
...     g.nodes[n].update(label=n.upper(), code=n.upper(), agreements=1)
>>> central_countries(g)[["code", "partners", "betweenness"]].values.tolist()
[['B', 2, 1.0], ['A', 1, 0.0], ['C', 1, 0.0]]
"""

from __future__ import annotations

import itertools
import logging
from collections import Counter

import networkx as nx
import pandas as pd

from graph.analysis.projections import AGENCY, COUNTRY, FOCUS, PERSON, agreements

__all__ = [
    "COUNT_NOTE",
    "agreements_per_year",
    "central_agencies",
    "central_countries",
    "communities",
    "focus_by_country",
    "focus_by_year",
    "gaps_country_pairs",
    "gaps_focus_areas",
    "headline",
]

log = logging.getLogger(__name__)

COUNT_NOTE = (
    "Counts are of instruments: an agreement that several releases report (both sides, a signing "
    "and its entry into force) counts once, with every report listed."
)
"""The caveat to show wherever agreement counts are shown."""


def _frame(rows: list[dict], columns: list[str], meaning: dict[str, str]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=columns)
    frame.attrs["meaning"] = meaning
    frame.attrs["note"] = COUNT_NOTE
    return frame


def _betweenness(graph: nx.Graph) -> dict:
    return (
        nx.betweenness_centrality(graph, normalized=True)
        if graph.number_of_nodes() > 2
        else dict.fromkeys(graph, 0.0)
    )


def central_countries(countries: nx.Graph, top: int | None = None) -> pd.DataFrame:
    """Most central countries of the cooperation graph (:func:`~graph.analysis.projections.country_graph`).

    Sorted by ``partners``, then ``betweenness``, then code; ``top`` keeps the first rows.
    """
    between = _betweenness(countries)
    rows = [
        {
            "code": data.get("code"),
            "country": data.get("label"),
            "agreements": data.get("agreements", 0),
            "partners": countries.degree(node),
            "links": countries.degree(node, weight="weight"),
            "betweenness": round(between.get(node, 0.0), 4),
            "iri": node,
        }
        for node, data in countries.nodes(data=True)
    ]
    rows.sort(key=lambda r: (-r["partners"], -r["betweenness"], r["code"] or ""))
    meaning = {
        "agreements": "instruments the country is party to",
        "partners": "countries it has at least one agreement with (degree)",
        "links": "agreements summed over its partners (weighted degree)",
        "betweenness": "share of shortest paths between two other countries that pass through it",
    }
    columns = ["code", "country", "agreements", "partners", "links", "betweenness", "iri"]
    return _frame(rows[:top] if top else rows, columns, meaning)


def central_agencies(agencies: nx.Graph, top: int | None = None) -> pd.DataFrame:
    """Most central agencies of the agency graph (:func:`~graph.analysis.projections.agency_graph`)."""
    between = _betweenness(agencies)
    rows = []
    for node, data in agencies.nodes(data=True):
        edges = agencies.edges(node, data=True)
        rows.append({
            "agency": data.get("label"), "country": data.get("country"), "named": data.get("named", True),
            "degree": agencies.degree(node),
            "co_signed": len({a for _, _, d in edges for a in d.get("agreements", [])}),
            "betweenness": round(between.get(node, 0.0), 4), "iri": node,
        })  # fmt: skip
    rows.sort(key=lambda r: (-r["degree"], -r["betweenness"], r["agency"] or "", r["iri"]))
    meaning = {
        "named": "named in a release (False: only an ancestor of one that is)",
        "degree": "agencies it is linked to, as parent, child or co-signer",
        "co_signed": "instruments its people signed together with another agency's",
        "betweenness": "share of shortest paths between two other agencies that pass through it",
    }
    columns = ["agency", "country", "named", "degree", "co_signed", "betweenness", "iri"]
    return _frame(rows[:top] if top else rows, columns, meaning)


def communities(graph: nx.Graph, *, seed: int = 42, resolution: float = 1.0) -> pd.DataFrame:
    """Louvain communities (``networkx``, seeded, on ``weight``): groups that cooperate among themselves.

    One row per community, the largest first; ``members`` are node labels, sorted.

    >>> g = nx.Graph([("a", "b"), ("c", "d")])
    >>> communities(g)["members"].tolist()
    [['a', 'b'], ['c', 'd']]
    """
    if graph.number_of_nodes() == 0:
        found: list[set] = []
    else:
        found = nx.community.louvain_communities(graph, weight="weight", seed=seed, resolution=resolution)
    labelled = [sorted(str(graph.nodes[n].get("label", n)) for n in group) for group in found]
    labelled.sort(key=lambda members: (-len(members), members))
    rows = [{"community": i, "size": len(m), "members": m} for i, m in enumerate(labelled)]
    meaning = {"community": "0 is the largest", "members": "countries that cooperate more among themselves"}
    return _frame(rows, ["community", "size", "members"], meaning)


def agreements_per_year(typed: nx.MultiDiGraph, *, fill: bool = True) -> pd.DataFrame:
    """Instruments per year (signing year, else the year of the first release that reports it).

    ``fill`` adds the years in between with zero; agreements without a year are counted in
    ``frame.attrs["undated"]``.
    """
    years: Counter[int] = Counter()
    signed: Counter[int] = Counter()
    undated = 0
    for _, data in agreements(typed):
        if data.get("year") is None:
            undated += 1
            continue
        years[data["year"]] += 1
        signed[data["year"]] += data.get("date_basis") == "signed"
    span = range(min(years), max(years) + 1) if years and fill else sorted(years)
    rows = [{"year": y, "agreements": years[y], "dated_by_signing": signed[y]} for y in span]
    meaning = {
        "agreements": "instruments signed (else first reported) in that year",
        "dated_by_signing": "of which the release gives the signing date (else its own date counts)",
    }
    frame = _frame(rows, ["year", "agreements", "dated_by_signing"], meaning)
    frame.attrs["undated"] = undated
    return frame


def focus_by_country(country_focus: nx.Graph) -> pd.DataFrame:
    """Countries x focus areas: instruments of each country on each area (the heatmap).

    Takes the bipartite graph (:func:`~graph.analysis.projections.country_focus_graph`); rows are
    country labels, busiest first; columns focus-area labels, most covered first.
    """
    cells = {}
    for a, b, data in country_focus.edges(data=True):
        country, focus = (a, b) if country_focus.nodes[a].get("type") == COUNTRY else (b, a)
        cells[(country_focus.nodes[country]["label"], country_focus.nodes[focus]["label"])] = data["weight"]
    frame = pd.Series(cells, dtype="int64").unstack(fill_value=0) if cells else pd.DataFrame(dtype="int64")
    if cells:
        frame = frame.loc[
            sorted(frame.index, key=lambda r: (-frame.loc[r].sum(), r)),
            sorted(frame.columns, key=lambda c: (-frame[c].sum(), c)),
        ]
    frame.index.name, frame.columns.name = "country", "focus area"
    frame.attrs["meaning"] = {"cell": "instruments of the country (party) on the focus area"}
    frame.attrs["note"] = COUNT_NOTE
    return frame


def focus_by_year(typed: nx.MultiDiGraph) -> pd.DataFrame:
    """Years x focus areas: instruments of each year on each area (agreements' ``topics``)."""
    scheme = typed.graph.get("focus_scheme", {})
    cells: Counter = Counter()
    for _, data in agreements(typed):
        if data.get("year") is not None:
            for topic in data.get("topics", []):
                cells[(data["year"], scheme.get(topic, topic))] += 1
    frame = pd.Series(cells, dtype="int64").unstack(fill_value=0) if cells else pd.DataFrame(dtype="int64")
    if cells:
        frame = frame.sort_index().loc[:, sorted(frame.columns, key=lambda c: (-frame[c].sum(), c))]
    frame.index.name, frame.columns.name = "year", "focus area"
    frame.attrs["meaning"] = {"cell": "instruments of the year on the focus area"}
    frame.attrs["note"] = COUNT_NOTE
    return frame


def gaps_country_pairs(countries: nx.Graph, *, top: int | None = None) -> pd.DataFrame:
    """Pairs of countries of the cooperation graph that have no agreement with each other.

    ``common_partners`` counts the countries both have agreements with: pairs with many are the
    likeliest next agreements. Sorted by it (descending), then by the pair's codes.
    """
    rows = []
    nodes = sorted(countries.nodes, key=lambda n: countries.nodes[n].get("code") or n)
    for a, b in itertools.combinations(nodes, 2):
        if not countries.has_edge(a, b):
            rows.append({
                "country_a": countries.nodes[a].get("code"), "country_b": countries.nodes[b].get("code"),
                "label_a": countries.nodes[a].get("label"), "label_b": countries.nodes[b].get("label"),
                "common_partners": len(set(countries[a]) & set(countries[b])),
            })  # fmt: skip
    rows.sort(key=lambda r: (-r["common_partners"], r["country_a"], r["country_b"]))
    meaning = {"common_partners": "countries both have an agreement with (no agreement between the two)"}
    columns = ["country_a", "country_b", "label_a", "label_b", "common_partners"]
    return _frame(rows[:top] if top else rows, columns, meaning)


def gaps_focus_areas(typed: nx.MultiDiGraph) -> pd.DataFrame:
    """Focus areas of the scheme that no instrument covers (by its own or inherited areas)."""
    covered = {t for _, d in agreements(typed) for t in d.get("topics", [])}
    scheme = typed.graph.get("focus_scheme", {})
    rows = [{"focus": code, "label": label} for code, label in sorted(scheme.items()) if code not in covered]
    return _frame(rows, ["focus", "label"], {"focus": "focus areas with no agreement"})


def headline(typed: nx.MultiDiGraph) -> dict[str, object]:
    """The headline figures of a typed graph, as a dict (what ``seckg stats`` prints first).

    >>> headline(nx.MultiDiGraph())["instruments"]
    0
    """
    kinds = Counter(d.get("type") for _, d in typed.nodes(data=True))
    years = sorted(d["year"] for _, d in agreements(typed) if d.get("year") is not None)
    return {
        "releases": typed.graph.get("releases", 0),
        "instruments": len(agreements(typed)),
        "reports": sum(len(d.get("reports") or []) or 1 for _, d in agreements(typed)),
        "countries": kinds[COUNTRY],
        "agencies": kinds[AGENCY],
        "people": kinds[PERSON],
        "focus areas": kinds[FOCUS],
        "years": f"{years[0]}-{years[-1]}" if years else "none",
    }
