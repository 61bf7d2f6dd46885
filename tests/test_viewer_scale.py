"""The viewer above :data:`graph.viewer.GROUP_LIMIT` shown nodes, in headless Chromium (issue
"Fast at a million"): every node is in the page and searchable, the first view draws aggregated
groups, a search draws what it finds one by one, and a click opens a group. The timings at 10k,
20k and 100k nodes are in ``bench/bench_viewer.py``.
"""

from __future__ import annotations

import pytest

from graph.analysis.synthetic import synthetic_typed
from graph.viewer import GROUP_LIMIT, viewer_data, write_viewer

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def big():
    typed = synthetic_typed(GROUP_LIMIT + 1500, seed=4)
    return typed, viewer_data(typed)


@pytest.fixture(scope="module")
def tab(big, browser, tmp_path_factory):
    typed, _ = big
    path = write_viewer(typed, tmp_path_factory.mktemp("big") / "viewer.html")
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.goto(path.resolve().as_uri())
    page.wait_for_selector("body[data-ready='1']", timeout=60_000)
    yield page
    page.close()


def _drawn(tab) -> list[str]:
    return tab.evaluate("() => window.seckgViewer.network.body.nodeIndices.slice()")


def test_first_view_draws_groups_of_all_nodes(tab, big):
    typed, data = big
    assert tab.evaluate("() => window.seckgViewer.nodeCount()") == len(data["nodes"])
    shown = tab.evaluate("() => window.seckgViewer.visibleIds()")
    loners = {n for n in typed if not typed.degree(n)}
    assert set(shown) == set(typed.nodes) - loners
    drawn = _drawn(tab)
    groups = {n["g"] for n in data["nodes"] if n["id"] in set(shown)}
    assert sorted(drawn) == sorted(f"group:{g}" for g in groups)
    assert len(drawn) < GROUP_LIMIT / 10
    assert "in groups" in tab.inner_text("#seckg-count")
    labels = tab.evaluate("() => window.seckgViewer.drawnLabels()")
    assert labels and all(label["id"].startswith("group:") for label in labels)


def test_search_draws_what_it_finds(tab, big):
    typed, _ = big
    person = next(n for n, d in sorted(typed.nodes(data=True)) if d["type"] == "person" and typed.degree(n))
    tab.fill("#seckg-search", typed.nodes[person]["label"].lower())
    drawn = set(_drawn(tab))
    assert person in drawn and not any(node.startswith("group:") for node in drawn)
    tab.fill("#seckg-search", "")
    assert all(node.startswith("group:") for node in _drawn(tab))


def test_a_click_opens_a_group(tab, big):
    _, data = big
    sizes: dict[str, int] = {}
    for node in data["nodes"]:
        sizes[node["g"]] = sizes.get(node["g"], 0) + 1
    key = max((g for g in sizes if sizes[g] < GROUP_LIMIT // 2), key=lambda g: (sizes[g], g))
    tab.evaluate(
        "(key) => { window.seckgViewer.network.emit('click', {nodes: ['group:' + key], edges: []}); }", key
    )
    drawn = set(_drawn(tab))
    members = {n["id"] for n in data["nodes"] if n["g"] == key} & set(
        tab.evaluate("() => window.seckgViewer.visibleIds()")
    )
    assert members <= drawn and f"group:{key}" not in drawn
    assert f"open={key}" in tab.evaluate("() => decodeURIComponent(window.location.hash)")
