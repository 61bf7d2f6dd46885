"""The viewer in a real browser: Debian's Chromium, headless, driven by Playwright.

Checks that the page draws every node with no request to any host, that the filters hide what
:func:`graph.analysis.select.filter_typed` leaves out, that hovering an agreement shows its
evidence, and that a hostile release's payloads never run (``window.__xss`` stays unset).
Writes ``out/viewer.png`` (the README shows ``docs/viewer-samples.png``, made by ``make viewer-screenshots``).
"""

from __future__ import annotations

from collections import Counter

import networkx as nx
import pytest

from graph.analysis.projections import agreements, typed_graph
from graph.analysis.select import filter_typed
from graph.viewer import write_viewer
from tests.explore_support import OUT, hostile_items, sample_store, sample_typed
from tests.graph_support import build_store

__all__ = ["sample_store", "sample_typed"]  # fixtures used below

pytestmark = pytest.mark.browser


class Page:
    """A browser tab on a viewer file, with what it asked for and complained about."""

    def __init__(self, browser, path):
        self.tab = browser.new_page(viewport={"width": 1400, "height": 900})
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.tab.on("request", lambda r: self.requests.append(r.url))
        self.tab.on(
            "console", lambda m: self.errors.append(m.text) if m.type in ("error", "warning") else None
        )
        self.tab.on("pageerror", lambda e: self.errors.append(str(e)))
        self.tab.goto(path.resolve().as_uri())
        self.tab.wait_for_selector("body[data-ready='1']", timeout=30_000)

    def js(self, script: str, arg=None):
        return self.tab.evaluate(script, arg)

    def shown(self) -> set[str]:
        return set(self.js("() => window.seckgViewer.network.body.nodeIndices.slice()"))

    def hover(self, node: str, scale: float = 2.5) -> None:
        """Zoom onto ``node`` (to ``scale``) and move the mouse over it."""
        self.js(
            "([id, scale]) => { const n = window.seckgViewer.network;"
            " n.moveTo({position: n.getPositions([id])[id], scale: scale, animation: false}); }",
            [node, scale],
        )
        point = self.js(
            """id => { const n = window.seckgViewer.network;
                       const p = n.canvasToDOM(n.getPositions([id])[id]);
                       const r = document.getElementById('seckg-network').getBoundingClientRect();
                       return [r.left + p.x, r.top + p.y]; }""",
            node,
        )
        self.tab.mouse.move(point[0] - 40, point[1] - 40)
        self.tab.mouse.move(point[0], point[1], steps=4)

    def close(self) -> None:
        self.tab.close()


@pytest.fixture(scope="module")
def sample_file(sample_typed, tmp_path_factory):
    return write_viewer(sample_typed, tmp_path_factory.mktemp("viewer") / "viewer.html")


@pytest.fixture
def sample_page(browser, sample_file):
    page = Page(browser, sample_file)
    yield page
    page.close()


def test_page_draws_every_node_offline(sample_page, sample_typed, sample_file):
    assert sample_page.shown() == set(sample_typed.nodes)
    assert sample_page.js("() => window.seckgViewer.network.body.edgeIndices.length") == (
        sample_typed.number_of_edges()
    )
    assert sample_page.tab.inner_text("#seckg-count") == (
        f"{sample_typed.number_of_nodes()} of {sample_typed.number_of_nodes()} nodes shown"
    )
    assert sample_page.requests == [sample_file.resolve().as_uri()]
    assert sample_page.errors == []  # a script refused by the page's CSP would be reported here


def _visible_after(page: Page, action) -> set[str]:
    action()
    return page.shown()


def test_filters_hide_what_the_rule_leaves_out(sample_page, sample_typed):
    tab = sample_page.tab
    focus = Counter(t for _, d in agreements(sample_typed) for t in d["topics"]).most_common(1)[0][0]
    shown = _visible_after(sample_page, lambda: tab.select_option("#seckg-focus", focus))
    assert shown == set(filter_typed(sample_typed, focus=focus))
    assert len(shown) < sample_typed.number_of_nodes()
    assert tab.inner_text("#seckg-count").startswith(f"{len(shown)} of ")

    shown = _visible_after(sample_page, lambda: tab.select_option("#seckg-country", "USA"))
    assert shown == set(filter_typed(sample_typed, focus=focus, country="USA"))

    tab.click("#seckg-reset")
    # A CSS selector, not wait_for_function: the page's CSP forbids the eval that polling uses.
    tab.wait_for_selector(f"body[data-visible='{sample_typed.number_of_nodes()}']", state="attached")
    assert sample_page.shown() == set(sample_typed.nodes)

    kind = agreements(sample_typed)[0][1]["agreement_type"]
    shown = _visible_after(sample_page, lambda: tab.select_option("#seckg-type", kind))
    assert shown == set(filter_typed(sample_typed, agreement_type=kind))
    tab.select_option("#seckg-type", "")

    def years():
        tab.fill("#seckg-year-from", "2019")
        tab.fill("#seckg-year-to", "2019")
        tab.dispatch_event("#seckg-year-to", "change")

    shown = _visible_after(sample_page, years)
    assert shown == set(filter_typed(sample_typed, years=(2019, 2019)))
    assert all(
        sample_typed.nodes[n]["year"] == 2019 for n in shown if sample_typed.nodes[n]["type"] == "agreement"
    )

    tab.click("#seckg-reset")
    shown = _visible_after(sample_page, lambda: tab.fill("#seckg-search", "panama"))
    assert shown == set(filter_typed(sample_typed, text="panama")) and shown


def test_hovering_an_agreement_shows_its_evidence(sample_page, sample_typed):
    iri, data = max(agreements(sample_typed), key=lambda item: (len(item[1]["signatories"]), item[0]))
    sample_page.hover(iri)
    tooltip = sample_page.tab.wait_for_selector("#seckg-tooltip:not([hidden])", timeout=5_000)
    text = tooltip.inner_text()
    assert data["label"] in text and data["evidence"][0] in text
    for name in data["signatories"]:
        assert name in text
    assert data["release_title"] in sample_page.tab.inner_text("#seckg-details")
    sample_page.hover(iri, scale=0.7)  # the README's screenshot: the whole graph, one tooltip
    sample_page.tab.wait_for_selector("#seckg-tooltip:not([hidden])", timeout=5_000)
    OUT.mkdir(exist_ok=True)
    sample_page.tab.screenshot(path=str(OUT / "viewer.png"))
    assert (OUT / "viewer.png").stat().st_size > 10_000


def test_an_instrument_lists_its_reports_and_the_toggle_shows_them(sample_page, sample_typed):
    iri, data = max(agreements(sample_typed), key=lambda item: (len(item[1]["reports"]), item[0]))
    assert len(data["reports"]) >= 2, "the samples report one instrument from both sides"
    sample_page.hover(iri)
    sample_page.tab.wait_for_selector("#seckg-tooltip:not([hidden])", timeout=5_000)
    details = sample_page.tab.inner_text("#seckg-details")
    assert f"Reported by {len(data['reports'])} release(s)" in details
    for report in data["reports"]:
        assert (report["release_title"] or report["release_id"]) in details
    before = sample_page.shown()
    assert not any("#report-" in node for node in before)
    sample_page.tab.check("#seckg-show-reports")
    after = sample_page.shown()
    reports = {node for node in after if "#report-" in node}
    assert after - reports == before
    assert len(reports) == sum(len(d["reports"]) for _, d in agreements(sample_typed))
    total = sample_typed.number_of_nodes() + len(reports)
    assert sample_page.tab.inner_text("#seckg-count") == f"{total} of {total} nodes shown"


@pytest.fixture(scope="module")
def hostile_file(tmp_path_factory):
    typed = typed_graph(build_store(hostile_items(), tmp_path_factory.mktemp("hostile") / "store"))
    return write_viewer(
        typed,
        tmp_path_factory.mktemp("hostile-page") / "viewer.html",
        title="<script>window.__xss=1</script>",
    ), typed


def test_hostile_release_never_runs_script(browser, hostile_file):
    path, typed = hostile_file
    page = Page(browser, path)
    try:
        loners = {n for n in typed if not typed.degree(n)}
        assert loners, "the hand-made person links to nothing: the toggle has something to show"
        assert page.shown() == set(typed.nodes) - loners  # unconnected nodes are hidden at first
        page.tab.check("#seckg-show-unconnected")
        assert page.shown() == set(typed.nodes)
        for node in sorted(typed.nodes):
            page.hover(node)
            page.tab.wait_for_selector("#seckg-tooltip:not([hidden])", timeout=5_000)
            page.tab.mouse.click(*page.js("() => [window.innerWidth - 5, window.innerHeight - 5]"))
        details = page.tab.inner_text("#seckg-tooltip") + page.tab.inner_text("body")
        assert "<script>window.__xss=1</script>" in details  # shown as text, not run
        page.tab.fill("#seckg-search", '<img src=x onerror="window.__xss=1">')
        page.tab.wait_for_timeout(200)
        assert page.js("() => window.__xss") is None
        assert page.js("() => document.querySelectorAll('script').length") == 3
        assert page.js("() => document.querySelectorAll('img, svg, iframe, [onerror], [onload]').length") == 0
        assert (
            page.js("() => [...document.querySelectorAll('a')].filter(a => !/^https?:/.test(a.href)).length")
            == 0
        )
        assert page.tab.title() == "<script>window.__xss=1</script>"
    finally:
        page.close()


def test_only_http_links_reach_the_page(browser, tmp_path):
    typed = nx.MultiDiGraph(focus_scheme={})
    for i, url in enumerate(("javascript:window.__xss=1", "https://example.org/release")):
        typed.add_node(
            f"a{i}", iri=f"a{i}", label=f"Agreement {i}", type="agreement", agreement_type="treaty",
            year=2020, parties=[], signatories=[], topics=[], evidence=["A sentence."], release=f"r{i}",
            release_title=f"Release {i}", release_url=url,
        )  # fmt: skip
    page = Page(browser, write_viewer(typed, tmp_path / "links.html"))
    try:
        page.tab.check("#seckg-show-unconnected")  # the two instruments link to nothing
        page.hover("a0")
        page.tab.wait_for_selector("#seckg-tooltip:not([hidden])")
        assert page.js("() => document.querySelectorAll('#seckg-details a').length") == 0
        page.hover("a1")
        page.tab.wait_for_selector("#seckg-details a", state="attached")
        assert page.js("() => document.querySelectorAll('#seckg-details a').length") == 1
        assert (
            page.js("() => document.querySelector('#seckg-details a').href") == "https://example.org/release"
        )
        assert page.js("() => window.__xss") is None
    finally:
        page.close()


def test_notebook_frame_runs_the_viewer_sandboxed(browser, sample_typed, sample_file):
    from graph.viewer import notebook_view

    tab = browser.new_page()
    try:
        tab.set_content(notebook_view(sample_file.read_text(encoding="utf-8"), height=500).data)
        frame = tab.frame_locator("iframe")
        frame.locator("body[data-ready='1']").wait_for(timeout=30_000)
        count = frame.locator("#seckg-count").inner_text()
        assert count == f"{sample_typed.number_of_nodes()} of {sample_typed.number_of_nodes()} nodes shown"
        assert tab.evaluate("() => window.seckgViewer") is None  # the frame cannot reach the notebook
    finally:
        tab.close()


def test_query_page_shows_hostile_results_as_text(browser):
    """The endpoint's query page (issue "Safe in a hostile world"): payloads in release text come
    back in query results and are shown, never run."""
    import threading

    from graph.server import make_server

    server = make_server(build_store(hostile_items()), port=0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    tab = browser.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda e: errors.append(str(e)))
    try:
        tab.goto(f"http://127.0.0.1:{server.server_address[1]}/query")  # YASGUI (graph/query_assets)
        tab.wait_for_selector("body[data-ready='1']", timeout=30_000)
        query = "SELECT ?s ?text WHERE { GRAPH ?g { ?s ?p ?text FILTER(CONTAINS(STR(?text), '<')) } }"
        tab.evaluate("text => window.seckgYasgui.getTab().getYasqe().setValue(text)", query)
        tab.click(".yasqe_queryButton")
        tab.wait_for_selector(".yasr_results table.dataTable tbody td", timeout=30_000)
        shown = tab.inner_text(".yasr_results")
        assert "<script>window.__xss=1</script>" in shown  # shown as text
        assert tab.evaluate("() => window.__xss") is None
        found = "() => document.querySelectorAll('.yasr_results script, .yasr_results img, [onerror]').length"
        assert tab.evaluate(found) == 0
        assert errors == []
    finally:
        tab.close()
        server.shutdown()
        server.server_close()


def test_the_view_fits_what_a_filter_leaves(sample_page, sample_typed):
    """After a filter, every node still shown is drawn inside the canvas, and the view did not zoom out."""
    tab = sample_page.tab
    before = sample_page.js("() => window.seckgViewer.network.getScale()")
    code = sorted({p for _, d in agreements(sample_typed) for p in d["parties"]} - {"USA"})[0]
    tab.select_option("#seckg-country", code)
    shown = sorted(sample_page.shown())
    assert 0 < len(shown) < sample_typed.number_of_nodes()
    inside = sample_page.js(
        """(ids) => { const n = window.seckgViewer.network, box = n.body.container.getBoundingClientRect();
        return ids.every((id) => { const p = n.canvasToDOM(n.getPosition(id));
          return p.x >= 0 && p.y >= 0 && p.x <= box.width && p.y <= box.height; }); }""",
        shown,
    )
    assert inside
    assert sample_page.js("() => window.seckgViewer.network.getScale()") >= before  # vis fits up to zoom 1


def test_the_legend_hides_and_shows_a_node_type(sample_page, sample_typed):
    tab = sample_page.tab
    people = {n for n, d in sample_typed.nodes(data=True) if d["type"] == "person"}
    assert people <= sample_page.shown()
    tab.click("#seckg-legend li[data-type='person']")
    assert not (people & sample_page.shown())
    assert sample_page.shown() == set(sample_typed.nodes) - people
    tab.click("#seckg-legend li[data-type='person']")
    assert sample_page.shown() == set(sample_typed.nodes)
