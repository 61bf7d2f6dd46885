"""Helpers of the viewer's browser tests and screenshots: a generated graph and legibility figures.

:func:`generated_records` makes a seeded set of extraction records whose names are as long as real
ones (bodies of the project's gazetteer, invented people, instruments named "type on focus area"),
never text from the shared corpus; :func:`generated_typed` loads them in a store and projects them,
so the viewer sees what the pipeline makes. :func:`legibility` reads the page's drawn labels
(``window.seckgViewer.drawnLabels()``) and says how many visible nodes carry one and whether two
overlap.

``python -m tests.viewer_support`` (``make viewer-screenshots``) rewrites ``docs/viewer-samples.png``
and ``docs/viewer-1000.png``.
"""

from __future__ import annotations

import argparse
import random
from functools import cache
from pathlib import Path

import networkx as nx

from graph.model import AGREEMENT_TYPES, Agency, Agreement, Evidence, Person, Record
from graph.resources import concept_ids, gazetteer_rows

__all__ = ["DRAWN_LABELS", "generated_records", "generated_typed", "legibility", "overlaps"]

_SYLLABLES = ("ba", "ri", "to", "ma", "ne", "lu", "sa", "ko", "de", "vi", "ra", "mo", "ta", "li", "na", "ge")
DRAWN_LABELS = "() => window.seckgViewer.drawnLabels()"
"""The page's read-only report of the labels it drew: ``[{id, text, x, y, w, h}]`` in CSS pixels."""


def _name(rng: random.Random, parts: int) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(parts)).capitalize()


def generated_records(releases: int = 420, *, seed: int = 11) -> list[Record]:
    """``releases`` seeded records between states of the gazetteer that have bodies in it.

    Each release names two or three states, one body and one person of each, and one or two
    instruments (type and focus areas from the ontology's schemes) between two of them. With the
    default size the typed graph has more than 1,000 nodes.

    >>> records = generated_records(3, seed=1)
    >>> len(records), records == generated_records(3, seed=1)
    (3, True)
    """
    rng = random.Random(seed)
    bodies: dict[str, list[str]] = {}
    for row in gazetteer_rows("agencies"):
        if row.get("country"):
            bodies.setdefault(row["country"], []).append(row["name"])
    states = sorted(bodies)
    focus = concept_ids("focus-areas.ttl")
    people = {
        code: [(f"{_name(rng, 2)} {_name(rng, 3)}", rng.choice(names)) for _ in range(4 + 2 * len(names))]
        for code, names in sorted(bodies.items())
    }
    records = []
    for number in range(releases):
        named = sorted({states[int(rng.paretovariate(0.9)) % len(states)], *rng.sample(states, 2)})
        chosen = {code: rng.choice(people[code]) for code in named}
        agencies = tuple(Agency(body, (), code) for code, (_, body) in chosen.items())
        persons = tuple(Person(name, (), "Minister", body, code) for code, (name, body) in chosen.items())
        year = rng.randint(2005, 2025)
        date = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        agreements, evidence = [], []
        for position in range(rng.choice((1, 1, 2))):
            parties = tuple(sorted(rng.sample(named, 2)))
            topics = tuple(sorted(rng.sample(focus, rng.randint(1, 3))))
            kind = rng.choice(AGREEMENT_TYPES[:-1])
            title = f"{kind.replace('-', ' ').capitalize()} on {topics[0].replace('-', ' ')} {number}"
            signers = tuple(chosen[code][0] for code in parties)
            agreements.append(Agreement(kind, title, date, parties, signers, topics))
            sentence = f"The ministers signed the {title} today."
            evidence.append(Evidence("agreements", position, sentence, 0, len(sentence)))
        areas = tuple(sorted({t for a in agreements for t in a.focus_areas}))
        records.append(
            Record(
                id=f"generated-{number:05d}",
                title=f"Generated release {number}",
                date=date,
                source="seckg viewer test",
                url=f"https://example.org/generated/{number}",
                countries=tuple(named),
                agencies=agencies,
                people=persons,
                agreements=tuple(agreements),
                focus_areas=areas,
                evidence=tuple(evidence),
            )
        )
    return records


@cache
def generated_typed(releases: int = 420, seed: int = 11) -> nx.MultiDiGraph:
    """The typed projection of :func:`generated_records` loaded into an in-memory store."""
    from graph.analysis.projections import typed_graph
    from tests.graph_support import build_store

    return typed_graph(build_store(generated_records(releases, seed=seed)))


def overlaps(rects: list[dict]) -> list[tuple[str, str]]:
    """Pairs of label rectangles (``x, y, w, h``) that share some area (sweep over ``x``).

    >>> a = {"id": "a", "x": 0, "y": 0, "w": 10, "h": 10}
    >>> overlaps([a, {"id": "b", "x": 9, "y": 9, "w": 5, "h": 5}])
    [('a', 'b')]
    >>> overlaps([a, {"id": "b", "x": 10, "y": 0, "w": 5, "h": 5}])
    []
    """
    order = sorted(rects, key=lambda r: (r["x"], r["id"]))
    found = []
    for i, a in enumerate(order):
        for b in order[i + 1 :]:
            if b["x"] >= a["x"] + a["w"]:
                break
            if b["y"] < a["y"] + a["h"] and a["y"] < b["y"] + b["h"]:
                found.append(tuple(sorted((a["id"], b["id"]))))
    return sorted(found)


def legibility(tab) -> dict:
    """What a Playwright tab on the viewer shows: visible nodes, labelled ones, sizes, overlaps.

    A label counts when it is at least 10 px high and lies inside the canvas.
    """
    rects = tab.evaluate(DRAWN_LABELS)
    box = tab.evaluate(
        "() => { const r = document.getElementById('seckg-network').getBoundingClientRect();"
        " return [r.width, r.height]; }"
    )
    visible = tab.evaluate("() => window.seckgViewer.visibleIds().length")
    inside = [
        r
        for r in rects
        if r["x"] >= 0 and r["y"] >= 0 and r["x"] + r["w"] <= box[0] and r["y"] + r["h"] <= box[1]
    ]
    tall = [r for r in inside if r["h"] >= 10]
    return {
        "visible": visible,
        "labelled": len({r["id"] for r in tall}),
        "share": len({r["id"] for r in tall}) / visible if visible else 0.0,
        "min_height": min((r["h"] for r in rects), default=0),
        "overlaps": overlaps(rects),
        "rects": rects,
    }


def _screenshots(out: Path) -> None:
    from playwright.sync_api import sync_playwright

    from graph.analysis.projections import typed_graph
    from graph.viewer import write_viewer
    from tests.explore_support import CHROMIUM, CHROMIUM_ARGS, sample_items
    from tests.graph_support import build_store

    graphs = {
        "viewer-samples": typed_graph(build_store(sample_items())),
        "viewer-1000": generated_typed(),
    }
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        for name, typed in graphs.items():
            page = write_viewer(typed, out / f"{name}.html", title=f"seckg viewer: {name}")
            tab = browser.new_page(viewport={"width": 1400, "height": 900})
            tab.goto(page.resolve().as_uri())
            tab.wait_for_selector("body[data-ready='1']", timeout=60_000)
            tab.screenshot(path=str(out / f"{name}.png"))
            figures = legibility(tab)
            print(f"{name}.png: {figures['labelled']} of {figures['visible']} visible nodes labelled")
            page.unlink()
            tab.close()
        browser.close()


def main() -> None:
    """Write the viewer's screenshots (the README shows them)."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[1] / "docs")
    _screenshots(parser.parse_args().out)


if __name__ == "__main__":
    main()
