"""Where the viewer draws each node: a seeded layout, then a pass that gives every node room.

A force or anchored layout (:func:`graph.analysis.layout.fast_layout`) puts linked nodes near each
other but leaves dense knots and empty space; at the zoom that fits the whole graph the knots'
labels pile up. :func:`spread_positions` keeps the layout's arrangement and removes the overlap:
it cuts the plane in two, again and again (along the longer side, at the weighted median of the
nodes' coordinates), until each node has a cell of its own whose area grows with the node's size,
and puts the node in its cell. Neighbours stay neighbours (a cut never swaps two nodes along its
axis), the density is even, and a last pass pushes apart the few nodes whose discs still touch
(a hub in a thin cell), so that no two nodes overlap and a label fits beside most nodes. The
cells are wider than high (:data:`CELL_ASPECT`), as labels are.

Examples
--------
>>> sizes = {"a": 8, "b": 8, "c": 20}
>>> pos = spread_positions({"a": (0.0, 0.0), "b": (0.1, 0.0), "c": (0.0, 0.1)}, sizes)
>>> sorted(pos) == ["a", "b", "c"], min_gap(pos, sizes) > 0
(True, True)
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping

import networkx as nx

from graph.analysis.layout import fast_layout
from graph.viewer_nodes import node_sizes

__all__ = ["CELL_ASPECT", "LABEL_ROOM", "layout_positions", "min_gap", "spread_positions"]

CELL_ASPECT = 2.4
"""Width over height of the cell a node gets (labels are wider than high)."""
LABEL_ROOM = (44.0, 18.0)
"""Room (width, height, in pixels at zoom 1) kept beside every node for a short label."""

Point = tuple[float, float]
_GAP = 2.0
_SEPARATE_ROUNDS = 200


def _cut(
    items: list[tuple[Point, float, str, Hashable, float]],
    box: tuple[float, float, float, float],
    out: dict[Hashable, Point],
) -> None:
    """Give each item a cell of ``box`` (x, y, width, height) by weighted median cuts."""
    stack = [(items, box)]
    while stack:
        part, (x, y, w, h) = stack.pop()
        if len(part) == 1:
            out[part[0][3]] = (x + min(w / 2, part[0][4] + 4), y + h / 2)
            continue
        across = w / CELL_ASPECT >= h
        axis = 0 if across else 1
        part = sorted(part, key=lambda it: (it[0][axis], it[2]))
        total = sum(it[1] for it in part)
        run, split = 0.0, 1
        for i, it in enumerate(part[:-1], start=1):
            run += it[1]
            split = i
            if run >= total / 2:
                break
        share = sum(it[1] for it in part[:split]) / total
        if across:
            stack.append((part[:split], (x, y, w * share, h)))
            stack.append((part[split:], (x + w * share, y, w * (1 - share), h)))
        else:
            stack.append((part[:split], (x, y, w, h * share)))
            stack.append((part[split:], (x, y + h * share, w, h * (1 - share))))


def _separate(pos: dict[Hashable, list[float]], radius: dict[Hashable, float], gap: float) -> None:
    """Push apart, pair by pair, the few nodes whose discs (plus ``gap``) still overlap: a hub in
    a thin cell. Buckets of the largest diameter find the pairs; after the first round only the
    nodes that moved are checked again. The order is the nodes' string order."""
    cell = 2 * max(radius.values()) + gap
    name = {node: str(node) for node in pos}
    active = sorted(pos, key=name.__getitem__)
    home: dict[Hashable, tuple[int, int]] = {}
    buckets: dict[tuple[int, int], list[Hashable]] = {}
    for node in active:
        home[node] = (int(pos[node][0] // cell), int(pos[node][1] // cell))
        buckets.setdefault(home[node], []).append(node)

    def shift(node: Hashable, dx: float, dy: float) -> None:
        pos[node][0] += dx
        pos[node][1] += dy
        key = (int(pos[node][0] // cell), int(pos[node][1] // cell))
        if key != home[node]:
            buckets[home[node]].remove(node)
            buckets.setdefault(key, []).append(node)
            home[node] = key

    for _ in range(_SEPARATE_ROUNDS):
        checking = set(active)
        moved: dict[Hashable, None] = {}
        for a in active:
            i, j = home[a]
            for b in [n for di in (-1, 0, 1) for dj in (-1, 0, 1) for n in buckets.get((i + di, j + dj), ())]:
                if b == a or (b in checking and name[b] < name[a]):
                    continue
                dx, dy = pos[b][0] - pos[a][0], pos[b][1] - pos[a][1]
                dist = math.hypot(dx, dy)
                need = radius[a] + radius[b] + gap
                if dist >= need:
                    continue
                ux, uy = (dx / dist, dy / dist) if dist > 1e-9 else (1.0, 0.0)
                push = (need - dist) / 2 + 0.01
                shift(a, -ux * push, -uy * push)
                shift(b, ux * push, uy * push)
                moved[a] = moved[b] = None
        if not moved:
            return
        active = sorted(moved, key=name.__getitem__)


def spread_positions(
    positions: Mapping[Hashable, Point], sizes: Mapping[Hashable, float], *, aspect: float = 1.2
) -> dict[Hashable, Point]:
    """Positions with the same arrangement as ``positions`` and one cell of room per node.

    Parameters
    ----------
    positions : mapping
        ``{node: (x, y)}`` of a layout (any units).
    sizes : mapping
        ``{node: radius}`` in pixels at zoom 1 (vis-network's ``size``).
    aspect : float
        Width over height of the whole drawing (a screen's, by default).

    Returns
    -------
    dict
        ``{node: (x, y)}`` in pixels at zoom 1, rounded to hundredths; the same input always
        gives the same output (ties are broken by the nodes' string forms).
    """
    if not positions:
        return {}
    room_w, room_h = LABEL_ROOM
    items = []
    for node, point in positions.items():
        r = float(sizes.get(node, 8.0))
        items.append((point, (2 * r + room_w) * (2 * r + room_h), str(node), node, r))
    area = sum(it[1] for it in items)
    height = math.sqrt(area / aspect)
    out: dict[Hashable, Point] = {}
    _cut(items, (0.0, 0.0, height * aspect, height), out)
    moving = {node: [x, y] for node, (x, y) in out.items()}
    _separate(moving, {it[3]: it[4] for it in items}, _GAP)
    return {node: (round(x, 2), round(y, 2)) for node, (x, y) in moving.items()}


def min_gap(positions: Mapping[Hashable, Point], sizes: Mapping[Hashable, float]) -> float:
    """The smallest distance between the edges of two nodes' discs (negative when two overlap).

    A sweep along ``x``: pairs farther apart in ``x`` than the two largest radii are skipped.

    >>> min_gap({"a": (0, 0), "b": (30, 0)}, {"a": 10, "b": 10})
    10.0
    """
    order = sorted(positions, key=lambda n: (positions[n][0], str(n)))
    reach = 2 * max((float(sizes.get(n, 0)) for n in order), default=0.0)
    best = math.inf
    for i, a in enumerate(order):
        ax, ay = positions[a]
        for b in order[i + 1 :]:
            bx, by = positions[b]
            if bx - ax > reach + max(best, 0.0):
                break
            gap = math.hypot(bx - ax, by - ay) - float(sizes.get(a, 0)) - float(sizes.get(b, 0))
            best = min(best, gap)
    return best


def layout_positions(typed: nx.MultiDiGraph, *, seed: int = 7) -> dict[Hashable, Point]:
    """The viewer's layout of a typed graph: :func:`graph.analysis.layout.fast_layout` (seeded),
    spread by :func:`spread_positions` with the nodes' drawn sizes
    (:func:`graph.viewer_nodes.node_sizes`).

    >>> g = nx.MultiDiGraph([("a", "b"), ("b", "c")])
    >>> layout_positions(g) == layout_positions(g) and len(layout_positions(g)) == 3
    True
    """
    return spread_positions(fast_layout(typed, seed=seed), node_sizes(typed))
