"""The viewer at its fitted zoom is readable, in headless Chromium (issue "An analyst's day").

Measured on the page itself (``window.seckgViewer.drawnLabels()``, the screen rectangles of the
labels it drew): at least half of the visible nodes carry a label at least 10 px high, and no two
labels overlap, for the whole graph, one country and one focus area, on the project's samples and
on a generated graph of more than 1,000 nodes (:func:`tests.viewer_support.generated_typed`).
Also: the view's state travels in the URL's fragment, and the shown subgraph exports as PNG and CSV.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from urllib.parse import quote

import pytest

from graph.analysis.projections import agreements
from graph.viewer import write_viewer
from tests.explore_support import sample_store, sample_typed
from tests.viewer_support import generated_typed, legibility

__all__ = ["sample_store", "sample_typed"]  # fixtures used below

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def generated():
    typed = generated_typed()
    assert typed.number_of_nodes() > 1000
    return typed


def _open(browser, path, fragment: str = ""):
    tab = browser.new_page(viewport={"width": 1400, "height": 900}, accept_downloads=True)
    errors: list[str] = []
    tab.on("pageerror", lambda e: errors.append(str(e)))
    tab.goto(path.resolve().as_uri() + fragment)
    tab.wait_for_selector("body[data-ready='1']", timeout=60_000)
    return tab, errors


def _views(typed) -> list[tuple[str, str, str]]:
    """The whole graph, the country with the most instruments but one, the commonest focus area."""
    parties = Counter(p for _, d in agreements(typed) for p in d["parties"]).most_common()
    topics = Counter(t for _, d in agreements(typed) for t in d["topics"]).most_common()
    return [
        ("whole graph", "", ""),
        ("country", "#seckg-country", parties[1][0]),
        ("focus", "#seckg-focus", topics[0][0]),
    ]


@pytest.mark.parametrize("graph", ["samples", "generated"])
def test_labels_are_legible_at_the_fitted_zoom(browser, graph, sample_typed, generated, tmp_path):
    typed = sample_typed if graph == "samples" else generated
    tab, errors = _open(browser, write_viewer(typed, tmp_path / "viewer.html"))
    try:
        for view, control, value in _views(typed):
            if control:
                tab.select_option("#seckg-country", "")
                tab.select_option("#seckg-focus", "")
                tab.select_option(control, value)
            figures = legibility(tab)
            assert figures["visible"] > 0, view
            assert figures["min_height"] >= 10, view
            assert figures["share"] >= 0.5, (view, figures["labelled"], figures["visible"])
            assert figures["overlaps"] == [], view
            print(f"{graph}, {view}: {figures['labelled']} of {figures['visible']} visible nodes labelled")
        assert errors == []
    finally:
        tab.close()


def test_zooming_in_shows_more_labels(browser, generated, tmp_path):
    tab, _ = _open(browser, write_viewer(generated, tmp_path / "viewer.html"))
    try:
        fitted = legibility(tab)
        tab.evaluate(
            "() => { const n = window.seckgViewer.network;"
            " n.moveTo({scale: n.getScale() * 3, animation: false}); n.redraw(); }"
        )
        zoomed = legibility(tab)
        assert zoomed["overlaps"] == []
        on_screen = tab.evaluate(
            """() => { const n = window.seckgViewer.network, c = n.body.container;
            return window.seckgViewer.visibleIds().filter((id) => {
              const p = n.canvasToDOM(n.getPosition(id));
              return p.x >= 0 && p.y >= 0 && p.x <= c.clientWidth && p.y <= c.clientHeight; }).length; }"""
        )
        assert zoomed["labelled"] / on_screen > fitted["share"]
    finally:
        tab.close()


def test_the_view_state_is_in_the_address(browser, sample_typed, tmp_path):
    path = write_viewer(sample_typed, tmp_path / "viewer.html")
    focus = _views(sample_typed)[2][2]
    person = sorted(n for n, d in sample_typed.nodes(data=True) if d["type"] == "person")[0]
    tab, _ = _open(browser, path)
    try:
        tab.select_option("#seckg-focus", focus)
        tab.click("#seckg-legend li[data-type='agency']")
        fragment = tab.evaluate("() => window.location.hash")
        assert f"focus={focus}" in fragment and "hide=agency" in fragment
        shown = sorted(tab.evaluate("() => window.seckgViewer.visibleIds()"))
    finally:
        tab.close()
    tab, _ = _open(browser, path, fragment)  # a shared link reopens the same view
    try:
        assert sorted(tab.evaluate("() => window.seckgViewer.visibleIds()")) == shown
        assert tab.input_value("#seckg-focus") == focus
        assert tab.get_attribute("#seckg-legend li[data-type='agency']", "aria-pressed") == "false"
    finally:
        tab.close()
    tab, _ = _open(browser, path, f"#q=&node={quote(person, safe='')}&country=NOWHERE")
    try:
        assert tab.evaluate("() => window.seckgViewer.selected()") == person
        assert sample_typed.nodes[person]["label"] in tab.inner_text("#seckg-details")
        assert tab.input_value("#seckg-country") == ""  # an unknown value is dropped
        labels = tab.evaluate("() => window.seckgViewer.drawnLabels()")
        assert labels[0]["id"] == person  # the selected node is labelled first
    finally:
        tab.close()


def test_exports_hold_what_is_shown(browser, sample_typed, tmp_path):
    focus = _views(sample_typed)[2][2]
    tab, _ = _open(browser, write_viewer(sample_typed, tmp_path / "viewer.html"))
    try:
        tab.select_option("#seckg-focus", focus)
        shown = set(tab.evaluate("() => window.seckgViewer.visibleIds()"))
        with tab.expect_download() as info:
            tab.click("#seckg-export-nodes")
        rows = list(csv.DictReader(io.StringIO(info.value.path().read_text(encoding="utf-8"))))
        assert {r["id"] for r in rows} == shown and len(rows) == len(shown)
        assert {r["label"] for r in rows} == {sample_typed.nodes[n]["label"] for n in shown}
        with tab.expect_download() as info:
            tab.click("#seckg-export-edges")
        rows = list(csv.DictReader(io.StringIO(info.value.path().read_text(encoding="utf-8"))))
        wanted = sorted(
            (a, b, d["relation"]) for a, b, d in sample_typed.edges(data=True) if a in shown and b in shown
        )
        assert sorted((r["from"], r["to"], r["relation"]) for r in rows) == wanted
        with tab.expect_download() as info:
            tab.click("#seckg-export-png")
        png = info.value.path().read_bytes()
        assert png[:8] == b"\x89PNG\r\n\x1a\n"
        width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
        assert (width, height) == tuple(
            tab.evaluate(
                "() => { const c = document.querySelector('#seckg-network canvas');"
                " return [c.width, c.height]; }"
            )
        )
        assert info.value.suggested_filename == "seckg-view.png"
    finally:
        tab.close()


def test_csv_cells_never_start_a_formula(browser, tmp_path):
    import networkx as nx

    typed = nx.MultiDiGraph(focus_scheme={})
    typed.add_node("c", iri="c", label='=HYPERLINK("http://x")', type="country", code="C")
    typed.add_node("p", iri="p", label="@SUM(A1)", type="person", country="C")
    typed.add_edge("p", "c", key="country", relation="country")
    tab, _ = _open(browser, write_viewer(typed, tmp_path / "viewer.html"))
    try:
        with tab.expect_download() as info:
            tab.click("#seckg-export-nodes")
        rows = list(csv.DictReader(io.StringIO(info.value.path().read_text(encoding="utf-8"))))
        assert sorted(r["label"] for r in rows) == ['\'=HYPERLINK("http://x")', "'@SUM(A1)"]
    finally:
        tab.close()
