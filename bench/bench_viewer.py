"""Benchmark the viewer on synthetic typed graphs: building the page, and opening it in Chromium.

Usage::

    .venv/bin/python bench/bench_viewer.py                       # 10k, 20k and 100k nodes
    .venv/bin/python bench/bench_viewer.py --sizes 1000 5000     # any sizes

For each size (:func:`graph.analysis.synthetic.synthetic_typed`, seeded) it times the layout
(:func:`graph.viewer_layout.layout_positions`: a seeded layout, then every node given room),
building the page (:func:`graph.viewer.render_html`) and, in headless Chromium, **opening** it:
from navigation until every node is in the page's data and index (searchable) and the first view
is drawn (the page sets ``data-ready`` after vis-network's first drawing; above
:data:`graph.viewer.GROUP_LIMIT` shown nodes that view draws aggregated groups). Then a search
(its time, inside the page) and opening one group. Beside each open time it times a *reference*:
the same bytes in a bare page whose only script parses the JSON (what any page holding the data
must pay), and prints the ratio. The machine's load average is printed with the figures, which
also go to ``out/bench/viewer.json``. Needs Debian's ``/usr/bin/chromium`` for the browser columns.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import time
from pathlib import Path

from graph.analysis.synthetic import synthetic_typed
from graph.viewer import render_html
from graph.viewer_layout import layout_positions

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip
_BARE = (
    "<!DOCTYPE html><html><body>{data}<script>JSON.parse(document.getElementById('seckg-data')"
    ".textContent); document.body.dataset.ready = '1';</script></body></html>"
)
_SEARCH = """(q) => { const box = document.getElementById('seckg-search'); const t = performance.now();
  box.value = q; box.dispatchEvent(new Event('input'));
  return [performance.now() - t, window.seckgViewer.visibleIds().length,
          window.seckgViewer.network.body.nodeIndices.length]; }"""
_OPEN_GROUP = """(key) => { const t = performance.now();
  window.seckgViewer.network.emit('click', {nodes: ['group:' + key], edges: []});
  return [performance.now() - t, window.seckgViewer.network.body.nodeIndices.length]; }"""


def _bare_page(page: str) -> str:
    match = re.search(r'<script type="application/json" id="seckg-data">.*?</script>', page, re.DOTALL)
    return _BARE.format(data=match.group(0))


def _open(browser, path: Path) -> tuple[float, object]:
    tab = browser.new_page(viewport={"width": 1400, "height": 900})
    start = time.perf_counter()
    tab.goto(path.resolve().as_uri(), timeout=300_000)
    tab.wait_for_selector("body[data-ready='1']", state="attached", timeout=300_000)
    return time.perf_counter() - start, tab


def _browser_row(path: Path, bare: Path, nodes: int) -> dict:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        reference, tab = _open(browser, bare)
        tab.close()
        opened, tab = _open(browser, path)
        loaded = tab.evaluate("() => window.seckgViewer.nodeCount()")
        shown = tab.evaluate("() => window.seckgViewer.visibleIds().length")
        drawn = tab.evaluate("() => window.seckgViewer.network.body.nodeIndices.length")
        search_ms, found, search_drawn = tab.evaluate(_SEARCH, f"person {nodes // 7}")
        tab.evaluate(_SEARCH, "")
        key = tab.evaluate("() => document.querySelector('#seckg-country').options[1].value")
        open_ms, opened_drawn = tab.evaluate(_OPEN_GROUP, key)
        browser.close()
    return {
        "open_s": round(opened, 2), "reference_s": round(reference, 2), "ratio": round(opened / reference, 2),
        "loaded": loaded, "shown": shown, "drawn": drawn, "search_ms": round(search_ms), "found": found,
        "search_drawn": search_drawn, "open_group_ms": round(open_ms), "group_drawn": opened_drawn,
    }  # fmt: skip


def bench(sizes: list[int], out: Path) -> list[dict]:
    """Run the benchmark for each size; return one row of figures per size."""
    out.mkdir(parents=True, exist_ok=True)
    rows = []
    for size in sizes:
        graph = synthetic_typed(size, seed=1)
        start = time.perf_counter()
        positions = layout_positions(graph)
        layout = time.perf_counter() - start
        start = time.perf_counter()
        page = render_html(graph, positions=positions, title=f"synthetic graph, {size} nodes")
        build = time.perf_counter() - start
        path, bare = out / f"viewer-{size}.html", out / f"viewer-{size}-reference.html"
        path.write_text(page, encoding="utf-8")
        bare.write_text(_bare_page(page), encoding="utf-8")
        row = {
            "nodes": graph.number_of_nodes(), "edges": graph.number_of_edges(),
            "layout_s": round(layout, 2), "build_s": round(build, 2),
            "html_mb": round(len(page.encode()) / 1e6, 1),
        }  # fmt: skip
        if CHROMIUM.exists():
            row.update(_browser_row(path, bare, size))
        row["load_avg"] = " ".join(f"{v:.2f}" for v in os.getloadavg())
        rows.append(row)
        print("  ".join(f"{k}={v}" for k, v in row.items()), flush=True)
    (out / "viewer.json").write_text(json.dumps(rows, indent=1) + "\n", encoding="utf-8")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 20_000, 100_000])
    parser.add_argument("--out", type=Path, default=ROOT / "out" / "bench")
    parser.add_argument("--json", action="store_true", help="end with the rows as one JSON object")
    args = parser.parse_args()
    print(f"load average before: {' '.join(f'{v:.2f}' for v in os.getloadavg())} ({os.cpu_count()} cores)")
    rows = bench(args.sizes, args.out)
    if args.json:
        print(json.dumps({"rows": rows}))


if __name__ == "__main__":
    main()
