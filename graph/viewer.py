"""The graph viewer: one self-contained, offline HTML page made with pyvis and vis-network.

The page inlines vis-network (``graph/viewer_assets/``) and makes no request to any host; a
Content-Security-Policy allows only its own scripts (by hash) and ``data:`` images. Node and
edge lists are filled directly (pyvis's ``from_nx`` is quadratic) with positions from
:func:`graph.viewer_layout.layout_positions` (seeded; no two nodes overlap), and physics stays
off. The page places node labels itself, keeps its state in the URL's fragment, exports what it
shows, and above :data:`GROUP_LIMIT` shown nodes draws groups
(:func:`graph.viewer_nodes.node_groups`), so a 100,000-node graph opens in seconds. Text from
releases travels as JSON inside a ``<script type="application/json">`` with ``<``, ``>`` and
``&`` escaped, and the page's script writes it with ``textContent`` only.

Examples
--------
>>> import networkx as nx
>>> g = nx.MultiDiGraph()
>>> g.add_node("c", iri="c", type="country", label="<b>Panama</b>", code="PAN")
>>> page = render_html(g)
>>> "<b>Panama" in page, "\\\\u003cb\\\\u003ePanama" in page
(False, True)
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import math
import os
from collections import Counter
from functools import cache
from importlib import resources
from pathlib import Path

import networkx as nx

from graph.analysis.measures import COUNT_NOTE
from graph.analysis.projections import AGREEMENT, NODE_TYPES, agreements
from graph.analysis.select import search_text
from graph.files import write_atomic
from graph.viewer_layout import layout_positions
from graph.viewer_nodes import node_groups, node_sizes, short_label

__all__ = [
    "GROUP_LIMIT",
    "TYPE_STYLE",
    "build_network",
    "notebook_view",
    "render_html",
    "viewer_data",
    "write_viewer",
]

log = logging.getLogger(__name__)

TYPE_STYLE: dict[str, dict[str, str]] = {
    "agreement": {"shape": "diamond", "color": "#e15759", "glyph": "\u25c6", "label": "Instrument"},
    "country": {"shape": "dot", "color": "#4e79a7", "glyph": "\u25cf", "label": "Country"},
    "agency": {"shape": "square", "color": "#f28e2b", "glyph": "\u25a0", "label": "Agency"},
    "person": {"shape": "triangle", "color": "#59a14f", "glyph": "\u25b2", "label": "Person"},
    "focus area": {"shape": "star", "color": "#b07aa1", "glyph": "\u2605", "label": "Focus area"},
    "report": {"shape": "dot", "color": "#bab0ac", "glyph": "\u2022", "label": "Report (shown on request)"},
}
"""Colour, vis-network shape and legend glyph of each node type."""
_OTHER = {"shape": "dot", "color": "#9c9c9c", "glyph": "\u25cf", "label": "Other"}
_BIG = 2000
_APP_SCRIPTS = ("viewer_labels.js", "viewer_state.js", "viewer_export.js", "viewer_groups.js", "viewer.js")
GROUP_LIMIT = 2500
"""Above this many shown nodes, the page draws groups (a country and its bodies, people and
instruments; the focus areas; the rest) as aggregated nodes that open on a click."""


def _asset(name: str) -> str:
    return resources.files("graph").joinpath("viewer_assets", name).read_text(encoding="utf-8")


@cache
def _assets() -> dict[str, str]:
    return {
        name: _asset(name) for name in ("vis-network.min.js", "vis-network.css", "viewer.css", *_APP_SCRIPTS)
    }


def _app_script() -> str:
    """The page's own script: its parts (labels, state, export, groups, then the viewer) in one."""
    assets = _assets()
    return "\n".join(assets[name] for name in _APP_SCRIPTS)


def _json_for_html(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for char, escaped in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e")):
        text = text.replace(char, escaped)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _report(report: dict) -> dict:
    """One release's report of an instrument, as the details panel lists it."""
    return {
        "id": report.get("release_id"), "title": report.get("release_title"),
        "date": report.get("release_date"), "url": report.get("release_url"), "event": report.get("event"),
        "type": report.get("type"),
        "name": report.get("title"), "place": report.get("place"),
    }  # fmt: skip


def _report_nodes(
    instrument: dict, x: float, y: float, size: float
) -> tuple[list[dict], list[tuple[str, str]]]:
    """Small nodes for an instrument's reports (hidden until the page's "show reports" is ticked)."""
    nodes, links = [], []
    for k, report in enumerate(instrument["d"].get("reports") or []):
        rid = f"{instrument['id']}#report-{k}"
        label = f"{report.get('id') or 'release'} ({report.get('event') or 'signed'})"
        nodes.append({
            "id": rid, "label": label, "s": report.get("id") or "release", "g": instrument["g"],
            "x": round(x + (size + 12) * math.cos(k), 2), "y": round(y + (size + 12) * math.sin(k), 2),
            "shape": TYPE_STYLE["report"]["shape"], "color": TYPE_STYLE["report"]["color"], "size": 6,
            "d": {"t": "report", "label": label, "kind": TYPE_STYLE["report"]["label"], "report": report,
                  "search": " ".join(str(v).lower() for v in report.values() if v)},
        })  # fmt: skip
        links.append((instrument["id"], rid))
    return nodes, links


def _details(node: str, data: dict, labels: dict[str, str], agreement_count: int) -> dict:
    kind = data.get("type", "")
    out = {"t": kind, "label": data.get("label") or str(node), "kind": TYPE_STYLE.get(kind, _OTHER)["label"],
           "search": search_text(data)}  # fmt: skip
    if kind == AGREEMENT:
        scheme = data.get("focus_scheme", {})
        out.update({
            "type": data.get("agreement_type"), "type_label": data.get("agreement_type_label"),
            "date": data.get("date") or data.get("release_date"), "date_basis": data.get("date_basis"),
            "year": data.get("year"), "party_codes": list(data.get("parties", [])),
            "parties": [labels.get(code, code) for code in data.get("parties", [])],
            "signatories": list(data.get("signatories", [])), "topics": list(data.get("topics", [])),
            "focus": [scheme.get(t, labels.get(t, t)) for t in data.get("topics", [])],
            "focus_basis": data.get("focus_basis"), "evidence": list(data.get("evidence", [])),
            "status": data.get("status"), "reports": [_report(r) for r in data.get("reports") or []],
            "commitments": [
                {"text": c.get("text"), "focus": [scheme.get(t, t) for t in c.get("focus_areas", [])]}
                for c in data.get("commitments") or []
            ],
            "possibly_same": len(data.get("possibly_same") or []),
            "release": {
                "id": data.get("release_id"), "title": data.get("release_title"),
                "date": data.get("release_date"), "url": data.get("release_url"),
                "publisher": data.get("release_publisher"),
            } if data.get("release") else None,
        })  # fmt: skip
    else:
        out.update({
            "code": data.get("code"), "title": data.get("title"), "organization": data.get("organization"),
            "country": labels.get(data.get("country") or "", data.get("country")),
            "agreements": agreement_count if kind in ("country", "focus area") else None,
            "first": data.get("first_reported"), "last": data.get("last_reported"),
        })  # fmt: skip
    return {key: value for key, value in out.items() if value is not None}  # absent reads as null


def viewer_data(typed: nx.MultiDiGraph, *, seed: int = 7, positions: dict | None = None) -> dict:
    """The JSON the page reads: vis nodes and edges (with positions and details), filter choices,
    node groups.

    Nodes and edges are sorted (nodes by id, edges by ends and relation), so the same graph
    always gives the same data. Without ``positions``, the layout is
    :func:`graph.viewer_layout.layout_positions` (no two nodes overlap).
    """
    sizes = node_sizes(typed)
    pos = positions if positions is not None else layout_positions(typed, seed=seed)
    codes = {d["code"]: d["label"] for _, d in typed.nodes(data=True) if d.get("code")}
    scheme = dict(typed.graph.get("focus_scheme", {}))
    linked = Counter(v for a, _ in agreements(typed) for _, v in typed.out_edges(a))
    member, groups = node_groups(typed, pos, codes)
    nodes = []
    for node in sorted(typed.nodes, key=str):
        data = dict(typed.nodes[node], focus_scheme=scheme)
        style = TYPE_STYLE.get(str(data.get("type")), _OTHER)
        x, y = pos.get(node, (0.0, 0.0))
        nodes.append({
            "id": str(node), "label": str(data.get("label") or node), "s": short_label(data), "x": x, "y": y,
            "shape": style["shape"], "color": style["color"], "size": sizes[node], "g": member[node],
            "d": _details(node, data, codes, linked.get(node, 0)),
        })  # fmt: skip
    triples = sorted(
        ((a, b, d.get("relation", k)) for a, b, k, d in typed.edges(keys=True, data=True)), key=str
    )
    for instrument in [n for n in nodes if n["d"]["t"] == AGREEMENT]:
        extra, links = _report_nodes(instrument, instrument["x"], instrument["y"], instrument["size"])
        nodes.extend(extra)
        triples.extend((a, b, "report") for a, b in links)
    edges = [
        {"id": i, "from": str(a), "to": str(b), "label": str(rel)} for i, (a, b, rel) in enumerate(triples)
    ]
    agreement_data = [d for _, d in agreements(typed)]
    focus_ids = sorted({t for d in agreement_data for t in d.get("topics", [])})
    party_codes = sorted({p for d in agreement_data for p in d.get("parties", [])})
    kinds = sorted({(d.get("agreement_type"), d.get("agreement_type_label")) for d in agreement_data})
    years = sorted(d["year"] for d in agreement_data if d.get("year") is not None)

    def choices(pairs):
        return [
            {"value": v, "label": label}
            for v, label in sorted(pairs, key=lambda p: (str(p[1]).lower(), p[0]))
        ]

    return {
        "nodes": nodes,
        "edges": edges,
        "groups": groups,
        "filters": {
            "focus": choices((f, scheme.get(f, f)) for f in focus_ids),
            "country": choices((c, codes.get(c, c)) for c in party_codes),
            "type": choices((k, label or k) for k, label in kinds if k),
            "years": [years[0], years[-1]] if years else [],
        },
    }


def _options(node_count: int, seed: int) -> dict:
    big = node_count > _BIG
    return {
        "autoResize": True,
        "physics": {"enabled": False},
        "layout": {"improvedLayout": False, "randomSeed": seed},
        "interaction": {"hover": True, "hideEdgesOnDrag": big, "hideEdgesOnZoom": big, "tooltipDelay": 120},
        "nodes": {"borderWidth": 1},
        "edges": {
            "smooth": False,
            "width": 0.7,
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.3}},
            "color": {"color": "#6e7681", "opacity": 0.22, "highlight": "#24292f", "hover": "#57606a"},
        },
    }


def build_network(typed: nx.MultiDiGraph, *, seed: int = 7, positions: dict | None = None):
    """A ``pyvis.network.Network`` holding the typed graph's nodes, edges and options.

    The lists are filled directly (not through ``from_nx`` or ``add_node``, both quadratic); the
    details of each node are in its ``d`` field.
    """
    from pyvis.network import Network

    data = viewer_data(typed, seed=seed, positions=positions)
    net = Network(height="100%", width="100%", directed=True, cdn_resources="in_line")
    net.nodes = data["nodes"]
    net.edges = data["edges"]
    net.node_ids = [n["id"] for n in data["nodes"]]
    net.node_map = {n["id"]: n for n in data["nodes"]}
    net.options = _options(len(data["nodes"]), seed)
    net.seckg_filters = data["filters"]
    net.seckg_groups = data["groups"]
    return net


def _packed_edges(nodes: list[dict], edges: list[dict], relations: list[str]) -> list[list[int]]:
    """Edges as ``[from, to, relation]`` positions in the node and relation lists: a third of the
    bytes of IRI pairs (the page unpacks them)."""
    at = {node["id"]: i for i, node in enumerate(nodes)}
    kind = {relation: i for i, relation in enumerate(relations)}
    return [[at[e["from"]], at[e["to"]], kind[e["label"]]] for e in edges]


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def render_html(
    typed: nx.MultiDiGraph, *, title: str = "seckg graph viewer", seed: int = 7, positions: dict | None = None
) -> str:
    """The viewer page of a typed graph, as one self-contained HTML string.

    Parameters
    ----------
    typed : networkx.MultiDiGraph
        A typed graph (:func:`graph.analysis.projections.typed_graph`, possibly filtered).
    title : str
        Page title (escaped).
    seed : int
        Layout seed.
    positions : dict, optional
        Precomputed ``{node: (x, y)}``.
    """
    import pyvis
    from jinja2 import Environment
    from markupsafe import Markup

    from graph import __version__

    net = build_network(typed, seed=seed, positions=positions)
    nodes, edges, _, _, _, options = net.get_network_data()
    relations = sorted({e["label"] for e in edges})
    payload = {
        "nodes": nodes, "edges": _packed_edges(nodes, edges, relations), "relations": relations,
        "options": json.loads(options), "filters": net.seckg_filters, "groups": net.seckg_groups,
        "limit": GROUP_LIMIT,
    }  # fmt: skip
    assets = _assets()
    scripts = (assets["vis-network.min.js"], _app_script())
    csp = (
        "default-src 'none'; script-src " + " ".join(_sha256(s) for s in scripts) + "; "
        "style-src 'unsafe-inline'; img-src data:; font-src data:; base-uri 'none'; form-action 'none'"
    )
    counts = Counter(d.get("type") for _, d in typed.nodes(data=True))
    counts["report"] = sum(1 for n in nodes if n["d"]["t"] == "report")
    legend = [
        {"type": kind, "count": counts[kind], **TYPE_STYLE[kind]}
        for kind in (*NODE_TYPES, "report")
        if counts[kind]
    ]
    others = sum(n for kind, n in counts.items() if kind not in TYPE_STYLE)
    if others:
        legend.append({"type": "other", "count": others, **_OTHER})
    template = Environment(autoescape=True).from_string(_asset("viewer.html"))
    page = template.render(
        csp=csp, version=__version__, pyvis_version=getattr(pyvis, "__version__", "?"), title=title,
        summary=f"{len(nodes) - counts['report']} nodes, {counts[AGREEMENT]} instruments, "
        f"{counts['report']} reports of them.",
        note=COUNT_NOTE, legend=legend, relations=", ".join(relations) or "none",
        loners=sum(1 for n in typed if not typed.degree(n)),
        vis_css=Markup(assets["vis-network.css"]), page_css=Markup(assets["viewer.css"]),
        data_json=Markup(_json_for_html(payload)), vis_js=Markup(scripts[0]), app_js=Markup(scripts[1]),
    )  # fmt: skip
    log.info("viewer page: %d nodes, %d edges, %d bytes", len(nodes), len(edges), len(page))
    return page


def write_viewer(typed: nx.MultiDiGraph, out: str | os.PathLike[str], **kwargs) -> Path:
    """Write :func:`render_html` to ``out`` atomically (temporary file, then rename); return the path."""
    return write_atomic(out, render_html(typed, **kwargs).encode("utf-8"))


def notebook_view(page: str, *, height: int = 640):
    """Show a viewer page inline in Jupyter: an ``IPython.display.HTML`` sandboxed ``<iframe srcdoc>``.

    The page keeps its own Content-Security-Policy inside the frame; the frame may run scripts
    but has no access to the notebook (no ``allow-same-origin``).
    """
    from html import escape

    from IPython.display import HTML

    return HTML(
        f'<div class="seckg-viewer"><iframe srcdoc="{escape(page, quote=True)}" '
        f'sandbox="allow-scripts allow-popups" '
        f'style="width: 100%; height: {int(height)}px; border: 1px solid #ddd"></iframe></div>'
    )
