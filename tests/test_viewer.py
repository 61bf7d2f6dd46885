"""The viewer page without a browser: self-contained, escaped, deterministic, fast to build."""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
import time

import pytest

from graph.analysis.projections import agreements, typed_graph
from graph.analysis.synthetic import synthetic_typed
from graph.viewer import TYPE_STYLE, build_network, notebook_view, render_html, viewer_data, write_viewer
from tests.explore_support import hostile_items, sample_store, sample_typed
from tests.graph_support import build_store

__all__ = ["sample_store", "sample_typed"]  # fixtures used below

_EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["']?\s*(?:[a-z][a-z0-9+.-]*:)?//""", re.IGNORECASE)


def _scripts(page: str) -> list[str]:
    return re.findall(r"<script>(.*?)</script>", page, flags=re.DOTALL)


def _data(page: str) -> dict:
    match = re.search(r'<script type="application/json" id="seckg-data">(.*?)</script>', page, re.DOTALL)
    assert match
    return json.loads(match.group(1))


@pytest.fixture(scope="module")
def sample_page(sample_typed) -> str:
    return render_html(sample_typed)


@pytest.fixture(scope="module")
def hostile_typed(tmp_path_factory):
    return typed_graph(build_store(hostile_items(), tmp_path_factory.mktemp("hostile") / "store"))


def test_page_is_self_contained(sample_page):
    assert not _EXTERNAL.search(sample_page)
    for host in ("cdnjs.cloudflare.com", "cdn.jsdelivr.net", "unpkg.com", "fonts.googleapis.com"):
        assert host not in sample_page
    assert "@import" not in sample_page and "sourceMappingURL" not in sample_page
    assert re.findall(r"url\(([^)]*)\)", sample_page)
    assert all(u.strip("\"' ").startswith("data:") for u in re.findall(r"url\(([^)]*)\)", sample_page))
    assert len(_scripts(sample_page)) == 2  # vis-network and the page's own script, both inline


def test_content_security_policy_allows_only_the_inline_scripts(sample_page):
    csp = html.unescape(
        re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', sample_page).group(1)
    )
    assert "default-src 'none'" in csp and "connect-src" not in csp
    hashes = {
        "'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'"
        for s in _scripts(sample_page)
    }
    allowed = set(re.search(r"script-src ([^;]*)", csp).group(1).split())
    assert allowed == hashes


def test_page_holds_every_node_and_edge(sample_typed, sample_page):
    data = _data(sample_page)
    reports = [n for n in data["nodes"] if n["d"]["t"] == "report"]
    assert [n["id"] for n in data["nodes"] if n["d"]["t"] != "report"] == sorted(sample_typed.nodes)
    assert len(reports) == sum(len(d["reports"]) for _, d in agreements(sample_typed))
    assert len(data["edges"]) == sample_typed.number_of_edges() + len(reports)
    assert data["options"]["physics"]["enabled"] is False
    for node in data["nodes"]:
        kind = node["d"]["t"] if node["d"]["t"] == "report" else sample_typed.nodes[node["id"]]["type"]
        style = TYPE_STYLE[kind]
        assert (node["shape"], node["color"]) == (style["shape"], style["color"])
    degree = dict(sample_typed.degree())
    hub = max(degree, key=degree.get)
    assert max(data["nodes"], key=lambda n: n["size"])["id"] == hub
    assert set(data["relations"]) >= {"party", "signatory"}
    ids = [n["id"] for n in data["nodes"]]
    unpacked = {(ids[a], ids[b], data["relations"][r]) for a, b, r in data["edges"]}
    assert {(a, b, d["relation"]) for a, b, d in sample_typed.edges(data=True)} <= unpacked


def test_agreement_details_carry_parties_signatories_focus_source_and_evidence(sample_typed, sample_page):
    nodes = {n["id"]: n for n in _data(sample_page)["nodes"]}
    for iri, data in agreements(sample_typed):
        details = nodes[iri]["d"]
        assert details["party_codes"] == data["parties"]
        assert details["signatories"] == data["signatories"]
        assert details["evidence"] == data["evidence"]
        assert details["release"]["title"] == data["release_title"]
        assert len(details["focus"]) == len(data["topics"])


def test_filter_choices_come_from_the_agreements(sample_typed, sample_page):
    filters = _data(sample_page)["filters"]
    topics = {t for _, d in agreements(sample_typed) for t in d["topics"]}
    assert {c["value"] for c in filters["focus"]} == topics
    assert {c["value"] for c in filters["country"]} == {
        p for _, d in agreements(sample_typed) for p in d["parties"]
    }
    years = [d["year"] for _, d in agreements(sample_typed) if d["year"]]
    assert filters["years"] == [min(years), max(years)]
    assert " instruments" in sample_page and "Counts are of instruments" in sample_page


def test_legend_lists_the_types_present(sample_page):
    legend = re.search(r'<ul id="seckg-legend">(.*?)</ul>', sample_page, re.DOTALL).group(1)
    for style in TYPE_STYLE.values():
        assert html.escape(style["label"]) in legend


def test_same_graph_same_page(sample_typed, sample_page):
    assert render_html(sample_typed) == sample_page


def test_hostile_text_is_escaped(hostile_typed):
    page = render_html(hostile_typed, title="<script>window.__xss=1</script>")
    labels = [d["label"] for _, d in hostile_typed.nodes(data=True)]
    assert any("<script>" in label for label in labels), (
        "payloads must reach the graph for this test to mean anything"
    )
    assert any('onerror="window.__xss=1"' in s for _, d in agreements(hostile_typed) for s in d["evidence"])
    for payload in ("<script>window", "<img src=x", "<svg onload", '<a href="javascript'):
        assert payload not in page
    assert "&lt;script&gt;window.__xss=1&lt;/script&gt;" in page  # the title, escaped by the template
    assert "\\u003cscript\\u003ewindow.__xss=1\\u003c/script\\u003e" in page  # data, escaped as JSON


def test_build_network_fills_pyvis_lists_directly(sample_typed):
    net = build_network(sample_typed)
    reports = sum(len(d["reports"]) for _, d in agreements(sample_typed))
    assert len(net.nodes) == sample_typed.number_of_nodes() + reports
    assert len(net.edges) == sample_typed.number_of_edges() + reports
    assert net.node_ids[: sample_typed.number_of_nodes()] == sorted(sample_typed.nodes)


def test_ten_thousand_nodes_build_in_seconds():
    graph = synthetic_typed(10_000, seed=5)
    start = time.perf_counter()
    page = render_html(graph)
    elapsed = time.perf_counter() - start
    assert elapsed < 15, f"{elapsed:.1f} s"
    assert len(_data(page)["nodes"]) == graph.number_of_nodes()


def test_viewer_data_uses_given_positions(sample_typed):
    positions = {node: (float(i), 0.0) for i, node in enumerate(sorted(sample_typed.nodes))}
    data = viewer_data(sample_typed, positions=positions)
    typed_nodes = [n for n in data["nodes"] if n["d"]["t"] != "report"]
    assert [n["x"] for n in typed_nodes] == [float(i) for i in range(len(positions))]


def test_write_viewer_and_notebook_view(sample_typed, tmp_path):
    path = write_viewer(sample_typed, tmp_path / "deep" / "viewer.html")
    assert path.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert [p.name for p in path.parent.iterdir()] == ["viewer.html"]
    shown = notebook_view(path.read_text(encoding="utf-8"), height=500).data
    assert (
        shown.startswith('<div class="seckg-viewer"><iframe srcdoc=')
        and 'sandbox="allow-scripts allow-popups"' in shown
    )
    assert "<script>" not in shown and "height: 500px" in shown


def test_layout_leaves_room_between_nodes(sample_typed):
    from graph.viewer_layout import min_gap

    for typed in (sample_typed, synthetic_typed(1500, seed=2)):
        nodes = [n for n in viewer_data(typed)["nodes"] if n["d"]["t"] != "report"]
        positions = {n["id"]: (n["x"], n["y"]) for n in nodes}
        assert min_gap(positions, {n["id"]: n["size"] for n in nodes}) > 0


def test_short_labels_and_groups(sample_typed):
    data = viewer_data(sample_typed)
    nodes = {n["id"]: n for n in data["nodes"]}
    for node, attrs in sample_typed.nodes(data=True):
        short = nodes[node]["s"]
        assert 0 < len(short) <= 16
        if attrs["type"] == "country":
            assert short == attrs["code"] and nodes[node]["g"] == attrs["code"]
        if attrs["type"] == "agreement":
            assert str(attrs["year"]) in short
            assert nodes[node]["g"] in attrs["parties"]
        if attrs["type"] == "focus area":
            assert nodes[node]["g"] == "focus"
    assert set(data["groups"]) == {n["g"] for n in data["nodes"]}
    assert data["groups"]["USA"]["label"] == "United States"
