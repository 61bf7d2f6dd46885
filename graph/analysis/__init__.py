"""Analysis of the graph: projections to networkx, measures as pandas DataFrames, exports, plots.

Pure: the functions take a store (read with SPARQL), networkx graphs or DataFrames and return
new ones; only :func:`~graph.analysis.exports.write_projection` writes files.

Examples
--------
>>> import pyoxigraph as ox
>>> typed = typed_graph(ox.Store())
>>> headline(typed)["instruments"]
0
"""

from graph.analysis.exports import EXPORT_FORMATS, write_projection
from graph.analysis.facts import Facts, read_facts
from graph.analysis.layout import fast_layout
from graph.analysis.measures import (
    COUNT_NOTE,
    agreements_per_year,
    central_agencies,
    central_countries,
    communities,
    focus_by_country,
    focus_by_year,
    gaps_country_pairs,
    gaps_focus_areas,
    headline,
)
from graph.analysis.projections import (
    NODE_TYPES,
    PROJECTIONS,
    agency_graph,
    agreements,
    country_focus_graph,
    country_graph,
    project,
    typed_graph,
)
from graph.analysis.select import filter_typed, store_from_triples

__all__ = [
    "COUNT_NOTE",
    "EXPORT_FORMATS",
    "NODE_TYPES",
    "PROJECTIONS",
    "Facts",
    "agency_graph",
    "agreements",
    "agreements_per_year",
    "central_agencies",
    "central_countries",
    "communities",
    "country_focus_graph",
    "country_graph",
    "fast_layout",
    "filter_typed",
    "focus_by_country",
    "focus_by_year",
    "gaps_country_pairs",
    "gaps_focus_areas",
    "headline",
    "project",
    "read_facts",
    "store_from_triples",
    "typed_graph",
    "write_projection",
]
