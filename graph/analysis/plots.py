"""Matplotlib figures of the measures (for the notebooks and the README), made without pyplot.

Each function takes a measure's DataFrame (or a projection) and returns a new
``matplotlib.figure.Figure``; nothing is shown or saved here (``fig.savefig(path)`` does that),
and no global pyplot state is touched. Titles say that counts are of instruments. Years are
labelled as whole years (never 2019.5), and where a colour means something a legend or colour bar
says what.

Examples
--------
>>> import pandas as pd
>>> fig = timeline(pd.DataFrame({"year": [2019, 2020], "agreements": [2, 1], "dated_by_signing": [2, 0]}))
>>> fig.axes[0].get_ylabel()
'instruments'
>>> fig.draw_without_rendering()
>>> [t.get_text() for t in fig.axes[0].get_xticklabels()]
['2019', '2020']
"""

from __future__ import annotations

import logging

import networkx as nx
import pandas as pd

from graph.analysis.layout import fast_layout

__all__ = ["centrality_bars", "community_map", "heatmap", "instrument_events", "timeline"]

log = logging.getLogger(__name__)

_NOTE = "counts are of instruments"


def _figure(width: float, height: float):
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), layout="constrained")


def _whole_years(axis, years) -> None:
    """Ticks of a numeric year ``axis`` at the whole ``years`` shown (at most a dozen), written
    without offset or separator."""
    from matplotlib.ticker import StrMethodFormatter

    shown = sorted({int(year) for year in years})
    axis.set_ticks(shown[:: max(1, -(-len(shown) // 12))])
    axis.set_major_formatter(StrMethodFormatter("{x:.0f}"))


def _date_ticks(axis, first, last) -> None:
    """Ticks of a date ``axis``: whole years over two years or more, else concise months."""
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter, DateFormatter, YearLocator

    if (last - first).days >= 2 * 365:
        axis.set_major_locator(YearLocator(base=max(1, (last.year - first.year) // 10)))
        axis.set_major_formatter(DateFormatter("%Y"))
    else:
        locator = AutoDateLocator()
        axis.set_major_locator(locator)
        axis.set_major_formatter(ConciseDateFormatter(locator))


def heatmap(frame: pd.DataFrame, *, title: str = "Agreements by country and focus area"):
    """A heat map of :func:`~graph.analysis.measures.focus_by_country` (or ``focus_by_year``)."""
    rows, cols = frame.shape
    fig = _figure(max(6.0, 0.45 * cols + 3), max(3.0, 0.32 * rows + 2.2))
    ax = fig.add_subplot()
    if frame.empty:
        ax.text(0.5, 0.5, "no agreement", ha="center", va="center")
        ax.set_axis_off()
        return fig
    image = ax.imshow(frame.values, cmap="Blues", aspect="auto", vmin=0)
    ax.set_xticks(range(cols), [str(c) for c in frame.columns], rotation=50, ha="right", fontsize=8)
    ax.set_yticks(range(rows), [str(r) for r in frame.index], fontsize=8)
    top = frame.values.max()
    for i in range(rows):
        for j in range(cols):
            value = int(frame.values[i, j])
            if value:
                ax.text(
                    j,
                    i,
                    value,
                    ha="center",
                    va="center",
                    fontsize=7,
                    color="white" if value > top / 2 else "black",
                )
    ax.set_xlabel(frame.columns.name or "")
    ax.set_ylabel(frame.index.name or "")
    ax.set_title(f"{title} ({_NOTE})", fontsize=10)
    fig.colorbar(image, ax=ax, shrink=0.6, label="instruments")
    return fig


def timeline(frame: pd.DataFrame, *, title: str = "Agreements per year"):
    """A bar chart of :func:`~graph.analysis.measures.agreements_per_year`."""
    fig = _figure(8, 3.2)
    ax = fig.add_subplot()
    ax.bar(frame["year"], frame["agreements"], color="#4e79a7", label="all instruments")
    if "dated_by_signing" in frame:
        ax.bar(frame["year"], frame["dated_by_signing"], color="#a0cbe8", label="dated by their signing")
    ax.set_xlabel("year")
    ax.set_ylabel("instruments")
    ax.yaxis.get_major_locator().set_params(integer=True)
    _whole_years(ax.xaxis, frame["year"])
    ax.set_title(f"{title} ({_NOTE})", fontsize=10)
    ax.legend(fontsize=8, frameon=False)
    return fig


_EVENT_MARKERS = {
    "signed": ("o", "#4e79a7"), "announced": ("o", "#a0cbe8"), "in-force": ("s", "#59a14f"),
    "renewed": ("D", "#f28e2b"), "extended": ("D", "#edc948"), "amended": ("^", "#e15759"),
}  # fmt: skip


def instrument_events(typed: nx.MultiDiGraph, *, top: int = 30, title: str = "Instruments and their events"):
    """A timeline of instruments: one row each, a marker per report at its release date (its event).

    Rows are the ``top`` instruments with the most reports (then the earliest), oldest at the top;
    a line joins an instrument's first and last report, and the legend names the events.

    >>> fig = instrument_events(nx.MultiDiGraph())
    >>> fig.axes[0].get_title()
    'Instruments and their events (no instrument)'
    """
    from datetime import date

    from graph.analysis.projections import agreements

    rows = []
    for _, data in agreements(typed):
        dated = [(r["release_date"], r["event"]) for r in data.get("reports") or [] if r.get("release_date")]
        if dated:
            rows.append((data.get("label") or "", sorted(dated)))
    rows.sort(key=lambda row: (-len(row[1]), row[1][0][0], row[0]))
    rows = sorted(rows[:top], key=lambda row: (row[1][0][0], row[0]))
    fig = _figure(9, max(2.5, 0.32 * len(rows) + 1.4))
    ax = fig.add_subplot()
    if not rows:
        ax.set_title(f"{title} (no instrument)", fontsize=10)
        ax.set_axis_off()
        return fig
    seen = set()
    every_day = [date.fromisoformat(d) for _, dated in rows for d, _ in dated]
    for y, (_, dated) in enumerate(rows):
        days = [date.fromisoformat(d) for d, _ in dated]
        ax.plot([days[0], days[-1]], [y, y], color="#cccccc", linewidth=1, zorder=1)
        for day, event in zip(days, (e for _, e in dated), strict=True):
            marker, color = _EVENT_MARKERS.get(event, ("o", "#9c9c9c"))
            ax.scatter([day], [y], marker=marker, color=color, s=36, zorder=2,
                       label=event if event not in seen else None)  # fmt: skip
            seen.add(event)
    ax.set_yticks(range(len(rows)), [label[:48] for label, _ in rows], fontsize=7)
    ax.invert_yaxis()
    _date_ticks(ax.xaxis, min(every_day), max(every_day))
    ax.set_xlabel("release date")
    ax.set_title(f"{title} ({len(rows)} instruments; one marker per report)", fontsize=10)
    ax.legend(fontsize=8, frameon=False, loc="lower right")
    return fig


def centrality_bars(
    frame: pd.DataFrame, *, label: str = "country", value: str = "betweenness", top: int = 10
):
    """Horizontal bars of one centrality column (``central_countries`` or ``central_agencies``)."""
    shown = frame.nlargest(top, value).iloc[::-1]
    fig = _figure(7, max(2.5, 0.35 * len(shown) + 1.2))
    ax = fig.add_subplot()
    ax.barh([str(v) for v in shown[label]], shown[value], color="#f28e2b")
    ax.set_xlabel(value)
    ax.set_title(f"Most central by {value}", fontsize=10)
    return fig


def community_map(countries: nx.Graph, communities: pd.DataFrame, *, seed: int = 7):
    """The cooperation graph, one colour per Louvain community (edge width = agreements).

    The legend names each colour's community and its size.
    """
    from matplotlib import colormaps
    from matplotlib.lines import Line2D

    fig = _figure(8, 6)
    ax = fig.add_subplot()
    ax.set_axis_off()
    if countries.number_of_nodes() == 0:
        return fig
    group = {label: row.community for row in communities.itertuples() for label in row.members}
    palette = colormaps["tab10"]
    pos = fast_layout(countries, seed=seed)
    colors = [palette(group.get(countries.nodes[n].get("label"), 0) % 10) for n in countries]
    widths = [0.6 + 0.8 * d.get("weight", 1) for _, _, d in countries.edges(data=True)]
    nx.draw_networkx_edges(countries, pos, ax=ax, width=widths, edge_color="#bbbbbb")
    nx.draw_networkx_nodes(countries, pos, ax=ax, node_color=colors, node_size=260)
    labels = {n: countries.nodes[n].get("code") or countries.nodes[n].get("label") for n in countries}
    nx.draw_networkx_labels(countries, pos, labels=labels, ax=ax, font_size=8)
    ax.set_title(f"Countries by community (Louvain, {len(communities)} communities)", fontsize=10)
    handles = [
        Line2D([], [], linestyle="", marker="o", markersize=8, color=palette(row.community % 10),
               label=f"community {row.community} ({len(row.members)} countries)")
        for row in communities.itertuples()
    ]  # fmt: skip
    if handles:
        ax.legend(handles=handles, fontsize=8, frameon=False, loc="best", title="colour")
    return fig
