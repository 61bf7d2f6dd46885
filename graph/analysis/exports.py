"""Write a projection for Gephi (GraphML, GEXF) or spreadsheets (``nodes.csv`` + ``edges.csv``).

Attributes are flattened first: lists become ``"; "``-joined text, ``None`` is left out, and each
attribute gets one type across the graph (integer, float, boolean, else text), as GraphML wants.
Nodes and edges are written in sorted order and GEXF's modification date is left out, so the
same projection always gives the same bytes.

Examples
--------
>>> import networkx as nx, tempfile, pathlib
>>> g = nx.Graph(name="countries")
>>> g.add_node("a", label="A", years=[2019, 2020])
>>> g.add_edge("a", "b", weight=2)
>>> out = pathlib.Path(tempfile.mkdtemp())
>>> [p.name for p in write_projection(g, "csv", out)]
['nodes.csv', 'edges.csv']
>>> (out / "nodes.csv").read_text().splitlines()[1]
'a,A,2019; 2020'
"""

from __future__ import annotations

import csv
import json
import logging
import os
import re
from pathlib import Path

import networkx as nx

__all__ = ["EXPORT_FORMATS", "flatten", "write_projection"]

log = logging.getLogger(__name__)

EXPORT_FORMATS = ("graphml", "gexf", "csv")
"""Formats :func:`write_projection` writes."""
_FIRST = ("iri", "label", "type")


def _scalar(value: object) -> object:
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value, key=str) if isinstance(value, (set, frozenset)) else value
        return "; ".join(str(v) for v in items)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return value


def _unify(rows: list[dict]) -> None:
    """Give each key one type across ``rows`` (in place)."""
    keys = {k for row in rows for k in row}
    for key in keys:
        values = [row[key] for row in rows if key in row]
        if all(isinstance(v, bool) for v in values):
            continue
        if all(isinstance(v, int) and not isinstance(v, bool) for v in values):
            continue
        if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
            for row in rows:
                if key in row:
                    row[key] = float(row[key])
            continue
        for row in rows:
            if key in row:
                row[key] = str(row[key])


def flatten(graph: nx.Graph) -> nx.Graph:
    """A copy of ``graph`` with scalar, consistently typed attributes, nodes and edges sorted.

    >>> flatten(nx.Graph([(2, 1)])).edges()
    EdgeView([(1, 2)])
    """
    out = graph.__class__()
    out.graph.update({k: v for k, v in graph.graph.items() if isinstance(v, (str, int, float, bool))})
    nodes = sorted(graph.nodes(data=True), key=lambda item: str(item[0]))
    node_rows = [{k: _scalar(v) for k, v in data.items() if v is not None} for _, data in nodes]
    _unify(node_rows)
    for (node, _), row in zip(nodes, node_rows, strict=True):
        out.add_node(node, **row)
    if graph.is_multigraph():
        edges = sorted(graph.edges(keys=True, data=True), key=lambda e: (str(e[0]), str(e[1]), str(e[2])))
    else:
        edges = sorted(
            (
                (a, b, d) if graph.is_directed() or str(a) <= str(b) else (b, a, d)
                for a, b, d in graph.edges(data=True)
            ),
            key=lambda e: (str(e[0]), str(e[1])),
        )
    edge_rows = [{k: _scalar(v) for k, v in e[-1].items() if v is not None} for e in edges]
    _unify(edge_rows)
    for edge, row in zip(edges, edge_rows, strict=True):
        if graph.is_multigraph():
            out.add_edge(edge[0], edge[1], key=edge[2], **row)
        else:
            out.add_edge(edge[0], edge[1], **row)
    return out


def _columns(rows: list[dict], lead: tuple[str, ...]) -> list[str]:
    keys = {k for row in rows for k in row}
    return [k for k in lead if k in keys] + sorted(keys - set(lead))


def _write_csv(graph: nx.Graph, out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    nodes = [{"id": n, **d} for n, d in graph.nodes(data=True)]
    multi = graph.is_multigraph()
    edges = [
        {"source": e[0], "target": e[1], **({"key": e[2]} if multi else {}), **e[-1]}
        for e in (graph.edges(keys=True, data=True) if multi else graph.edges(data=True))
    ]
    written = []
    for name, rows, lead in (
        ("nodes.csv", nodes, ("id", *_FIRST)),
        ("edges.csv", edges, ("source", "target", "key", "relation", "weight")),
    ):
        path = out / name
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=_columns(rows, lead) or list(lead[:2]))
            writer.writeheader()
            writer.writerows(rows)
        written.append(path)
    return written


def write_projection(graph: nx.Graph, fmt: str, out: str | os.PathLike[str]) -> list[Path]:
    """Write ``graph`` (a projection) as ``graphml``, ``gexf`` or ``csv``; return the files written.

    Parameters
    ----------
    graph : networkx.Graph
        Any projection of :mod:`graph.analysis.projections`.
    fmt : str
        One of :data:`EXPORT_FORMATS`.
    out : path
        The file to write for GraphML and GEXF; a directory for CSV (``nodes.csv``, ``edges.csv``).
    """
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"unknown projection format {fmt!r} ({', '.join(EXPORT_FORMATS)})")
    flat = flatten(graph)
    target = Path(out)
    if fmt == "csv":
        written = _write_csv(flat, target)
    else:
        target.parent.mkdir(parents=True, exist_ok=True)
        if fmt == "graphml":
            text = "\n".join(nx.generate_graphml(flat)) + "\n"
        else:
            text = "\n".join(nx.generate_gexf(flat)) + "\n"
            text = re.sub(r' lastmodifieddate="[^"]*"', "", text, count=1)
        target.write_text(text, encoding="utf-8")
        written = [target]
    log.info("wrote %s projection %s to %s", fmt, graph.graph.get("name", ""), ", ".join(map(str, written)))
    return written
