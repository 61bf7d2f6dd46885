"""A fast, deterministic layout for the viewer: anchors first, everything else around them.

Force-directed layouts grow quadratically (networkx's ``spring_layout`` took 45 s at 5,000 nodes
without SciPy), so large graphs are laid out in linear time:

Each connected component is laid out alone and the components are packed in rows. A large
component is laid out in linear time:

1. *anchors* (countries, or the best-connected nodes when there are none) get a seeded spring
   layout of their own, small graph (two anchors are linked when a node links both);
2. *ring* nodes (focus areas) go on a circle around them, in id order;
3. every other node, in breadth-first order from the anchors, sits around the mean position of
   its already placed neighbours; nodes with the same placed neighbours share a sunflower
   spiral, so none overlap and nothing is random.

Components of up to :data:`REFINE_LIMIT` nodes get a seeded spring layout instead.
The same graph and seed always give the same positions.

Examples
--------
>>> import networkx as nx
>>> g = nx.Graph([("a", "b"), ("b", "c")])
>>> pos = fast_layout(g)
>>> sorted(pos) == ["a", "b", "c"] and pos == fast_layout(g)
True
"""

from __future__ import annotations

import itertools
import logging
import math
from collections import defaultdict, deque
from collections.abc import Hashable

import networkx as nx

__all__ = ["REFINE_LIMIT", "fast_layout"]

log = logging.getLogger(__name__)

REFINE_LIMIT = 400
"""Components with at most this many nodes get a seeded spring layout (quadratic, but small)."""
_GOLDEN = math.pi * (3 - math.sqrt(5))
_SPACING = 28.0


def _spiral(center: tuple[float, float], count: int, spacing: float) -> list[tuple[float, float]]:
    cx, cy = center
    out = []
    for i in range(count):
        r = spacing * math.sqrt(i + 0.5)
        out.append((cx + r * math.cos(i * _GOLDEN), cy + r * math.sin(i * _GOLDEN)))
    return out


def _anchor_positions(graph: nx.Graph, anchors: list, seed: int) -> dict:
    if len(anchors) == 1:
        return {anchors[0]: (0.0, 0.0)}
    links = nx.Graph()
    links.add_nodes_from(anchors)
    anchor_set = set(anchors)
    for node in graph:
        if node in anchor_set:
            continue
        near = sorted((n for n in graph[node] if n in anchor_set), key=str)
        if len(near) <= 12:
            for a, b in itertools.combinations(near, 2):
                weight = links.edges[a, b]["weight"] + 1 if links.has_edge(a, b) else 1
                links.add_edge(a, b, weight=weight)
    for a, b in graph.subgraph(anchors).edges():
        links.add_edge(a, b, weight=links.edges[a, b]["weight"] + 1 if links.has_edge(a, b) else 1)
    raw = nx.spring_layout(links, seed=seed, iterations=60)
    scale = _SPACING * 4 * math.sqrt(max(graph.number_of_nodes(), 1)) / 2
    return {n: (float(x) * scale, float(y) * scale) for n, (x, y) in raw.items()}


def _anchored(
    simple: nx.Graph, kind: dict, seed: int, anchor_type: str, ring_type: str
) -> dict[Hashable, tuple[float, float]]:
    nodes = sorted(simple.nodes, key=str)
    anchors = [n for n in nodes if kind[n] == anchor_type]
    if not anchors:
        k = max(1, min(200, len(nodes) // 20))
        anchors = sorted(sorted(nodes, key=lambda n: (-simple.degree(n), str(n)))[:k], key=str)
    pos = _anchor_positions(simple, anchors, seed)
    radius = max((math.hypot(x, y) for x, y in pos.values()), default=0.0) + 6 * _SPACING
    ring = [n for n in nodes if kind[n] == ring_type and n not in pos]
    for i, node in enumerate(ring):
        angle = 2 * math.pi * i / max(len(ring), 1)
        pos[node] = (radius * math.cos(angle), radius * math.sin(angle))
    fixed = set(pos)
    level = dict.fromkeys(anchors, 0)
    queue = deque(anchors)
    order = []
    while queue:
        node = queue.popleft()
        for nb in sorted(simple[node], key=str):
            if nb not in level and nb not in fixed:
                level[nb] = level[node] + 1
                order.append(nb)
                queue.append(nb)
    groups: dict[tuple, list] = defaultdict(list)
    for node in order:
        key = tuple(sorted((n for n in simple[node] if level.get(n, -1) == level[node] - 1), key=str))
        groups[key].append(node)
    for key in sorted(groups, key=lambda k: (level[groups[k][0]], [str(x) for x in k])):
        members = groups[key]
        known = [pos[n] for n in key if n in pos]
        cx = sum(x for x, _ in known) / len(known)
        cy = sum(y for _, y in known) / len(known)
        offset = _SPACING * (1.5 if len(members) > 1 else 1.0)
        start = (cx + offset * 0.7, cy + offset * 0.7) if len(key) == 1 else (cx, cy)
        for node, p in zip(members, _spiral(start, len(members), _SPACING * 0.8), strict=True):
            pos[node] = p
    rest = [n for n in nodes if n not in pos]
    for node, p in zip(rest, _spiral((radius * 1.2, 0.0), len(rest), _SPACING), strict=True):
        pos[node] = p
    return pos


def _spring(simple: nx.Graph, seed: int) -> dict[Hashable, tuple[float, float]]:
    raw = nx.spring_layout(simple, seed=seed, iterations=100)
    scale = _SPACING * 2.4 * math.sqrt(simple.number_of_nodes())
    return {n: (float(x) * scale, float(y) * scale) for n, (x, y) in raw.items()}


def _pack(parts: list[dict]) -> dict[Hashable, tuple[float, float]]:
    """Place component layouts in rows (shelves), the largest first, without overlap."""
    boxes = []
    for part in parts:
        xs, ys = [x for x, _ in part.values()], [y for _, y in part.values()]
        boxes.append((min(xs), min(ys), max(xs) - min(xs) + 3 * _SPACING, max(ys) - min(ys) + 3 * _SPACING))
    area = sum(w * h for _, _, w, h in boxes)
    row_width = max(max((w for _, _, w, _ in boxes), default=0.0), math.sqrt(area) * 1.3)
    out: dict = {}
    x0 = y0 = row_height = 0.0
    for part, (mx, my, w, h) in zip(parts, boxes, strict=True):
        if x0 > 0 and x0 + w > row_width:
            x0, y0, row_height = 0.0, y0 + row_height, 0.0
        for node, (x, y) in part.items():
            out[node] = (x - mx + x0, y - my + y0)
        x0 += w
        row_height = max(row_height, h)
    return out


def fast_layout(
    graph: nx.Graph,
    *,
    seed: int = 7,
    anchor_type: str = "country",
    ring_type: str = "focus area",
    type_attr: str = "type",
) -> dict[Hashable, tuple[float, float]]:
    """Positions ``{node: (x, y)}`` in pixel-like units, deterministic for a given ``seed``.

    Each connected component is laid out alone (a seeded spring layout up to
    :data:`REFINE_LIMIT` nodes, the anchored layout of the module docstring above that), and
    the components are packed in rows, the largest first.

    Parameters
    ----------
    graph : networkx.Graph
        Any graph (directed and multi graphs are read as undirected).
    seed : int
        Seed of the spring layouts.
    anchor_type, ring_type, type_attr : str
        Node ``type_attr`` values of the anchors and of the nodes put on the outer ring.
    """
    nodes = sorted(graph.nodes, key=str)
    if not nodes:
        return {}
    simple = nx.Graph()
    simple.add_nodes_from(nodes)
    simple.add_edges_from(sorted(((a, b) for a, b in graph.edges() if a != b), key=str))
    kind = {n: graph.nodes[n].get(type_attr) for n in nodes}
    components = sorted(
        (sorted(c, key=str) for c in nx.connected_components(simple)), key=lambda c: (-len(c), str(c[0]))
    )
    parts = []
    for component in components:
        sub = simple.subgraph(component)
        if len(component) == 1:
            parts.append({component[0]: (0.0, 0.0)})
        elif len(component) <= REFINE_LIMIT:
            parts.append(_spring(sub, seed))
        else:
            parts.append(_anchored(sub, kind, seed, anchor_type, ring_type))
    pos = _pack(parts)
    log.debug("layout of %d nodes in %d components", len(nodes), len(components))
    return {n: (round(pos[n][0], 2), round(pos[n][1], 2)) for n in nodes}
