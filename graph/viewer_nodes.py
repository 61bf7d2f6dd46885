"""How the viewer page sums up a node: its drawn size, its short label, its group.

A short label (at most :data:`SHORT` characters) is drawn where the full one does not fit; a
group is what the page draws as one aggregated node when too many nodes are shown (a country
with its bodies, people and instruments; the focus areas; the rest).

Examples
--------
>>> short_label({"type": "country", "label": "Panama", "code": "PAN"})
'PAN'
>>> short_label({"type": "person", "label": "Ana María Pérez"})
'Pérez'
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Hashable

import networkx as nx

from graph.analysis.projections import AGENCY, AGREEMENT, COUNTRY, FOCUS, PERSON, agreements

__all__ = ["SHORT", "node_groups", "node_size", "node_sizes", "short_label"]

SHORT = 16
"""The longest short label, in characters."""


def node_size(links: int) -> float:
    """vis-network's ``size`` (a radius, in pixels at zoom 1) of a node with ``links`` links.

    >>> node_size(0), node_size(4), node_size(10_000)
    (6.0, 11.0, 26)
    """
    return round(min(6 + 2.5 * math.sqrt(links), 26), 1)


def node_sizes(typed: nx.MultiDiGraph) -> dict[Hashable, float]:
    """:func:`node_size` of every node of a typed graph, by its degree."""
    return {node: node_size(links) for node, links in typed.degree()}


def _initials(text: str, *, capitalised: bool = False) -> str:
    """First letters of the words (of the capitalised words only, when asked), in capitals."""
    words = re.findall(r"\w+", text)
    return "".join(w[0] for w in words if not capitalised or w[0].isupper()).upper()


def short_label(data: dict) -> str:
    """A label of at most ``SHORT`` characters, drawn where the full one does not fit.

    A country's code, a body's initials, a person's last name, an instrument's type (initials
    when it has several words) and year, a focus area's first word.

    >>> short_label({"type": "agency", "label": "Immigration and Customs Enforcement"})
    'ICE'
    >>> short_label({"type": "agreement", "agreement_type_label": "Letter of intent", "year": 2019})
    'LOI 2019'
    """
    kind, label = data.get("type"), str(data.get("label") or "")
    if kind == COUNTRY and data.get("code"):
        text = str(data["code"])
    elif kind == AGENCY and len(label) > SHORT:
        text = _initials(label, capitalised=True)
    elif kind == PERSON:
        text = label.split()[-1] if label.split() else label
    elif kind == AGREEMENT:
        type_label = str(data.get("agreement_type_label") or data.get("agreement_type") or "")
        text = " ".join(p for p in (_initials(type_label) if " " in type_label else type_label,
                                    str(data.get("year") or "")) if p)  # fmt: skip
    elif kind == FOCUS:
        text = label.split()[0] if label.split() else label
    else:
        text = label
    text = text or label
    return text if len(text) <= SHORT else text[: SHORT - 1].rstrip() + "\u2026"


def node_groups(typed: nx.MultiDiGraph, pos: dict, codes: dict[str, str]) -> tuple[dict, dict]:
    """Each node's group (the page aggregates by it above :data:`graph.viewer.GROUP_LIMIT` shown
    nodes) and each group's label and position (its members' centroid).

    A country's group is its code; a body's and a person's, their country's; an instrument's,
    that of its party with the fewest instruments (the partner, not the hub); focus areas are
    one group, and nodes with no country another.
    """
    deals = Counter(p for _, d in agreements(typed) for p in d.get("parties", []))
    member: dict = {}
    for node, data in typed.nodes(data=True):
        kind = data.get("type")
        if kind == COUNTRY:
            key = data.get("code") or "other"
        elif kind == FOCUS:
            key = "focus"
        elif kind == AGREEMENT:
            parties = sorted(data.get("parties", []), key=lambda p: (deals[p], p))
            key = parties[0] if parties else "other"
        else:
            key = data.get("country") or "other"
        member[node] = str(key)
    sums: dict[str, list[float]] = {}
    for node, key in member.items():
        x, y = pos.get(node, (0.0, 0.0))
        acc = sums.setdefault(key, [0.0, 0.0, 0])
        acc[0], acc[1], acc[2] = acc[0] + x, acc[1] + y, acc[2] + 1
    names = {"focus": "Focus areas", "other": "Other (no country)"}
    table = {
        key: {"label": names.get(key) or codes.get(key, key), "x": round(sx / n, 2), "y": round(sy / n, 2)}
        for key, (sx, sy, n) in sorted(sums.items())
    }
    return member, table
