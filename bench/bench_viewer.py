"""Benchmark the viewer on synthetic typed graphs: layout, page build, write, and opening in Chromium.

Usage::

    .venv/bin/python bench/bench_viewer.py                 # 1k, 5k and 10k nodes
    .venv/bin/python bench/bench_viewer.py --sizes 20000   # any sizes

For each size it times the layout (:func:`graph.analysis.layout.fast_layout`), building the page
(:func:`graph.viewer.render_html`, pyvis lists filled directly), writing it, and headless
Chromium opening the file until the network is drawn (the page sets ``data-ready`` after vis's
first ``afterDrawing``), then one filter change. Prints a table and writes ``out/bench/viewer.json``.
Needs Debian's ``/usr/bin/chromium`` for the browser columns (they are skipped without it).
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from graph.analysis.layout import fast_layout
from graph.analysis.synthetic import synthetic_typed
from graph.viewer import render_html

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip


def _browser_times(path: Path) -> tuple[float, float, int]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        start = time.perf_counter()
        page.goto(path.resolve().as_uri())
        page.wait_for_selector("body[data-ready='1']", timeout=300_000)
        opened = time.perf_counter() - start
        drawn = page.evaluate("() => window.seckgViewer.network.body.nodeIndices.length")
        focus = page.evaluate("() => document.querySelector('#seckg-focus').options[1].value")
        start = time.perf_counter()
        page.select_option("#seckg-focus", focus)
        page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
        filtered = time.perf_counter() - start
        browser.close()
    return opened, filtered, drawn


def bench(sizes: list[int], out: Path) -> list[dict]:
    """Run the benchmark for each size; return one row of timings (seconds) per size."""
    out.mkdir(parents=True, exist_ok=True)
    rows = []
    for size in sizes:
        graph = synthetic_typed(size, seed=1)
        start = time.perf_counter()
        positions = fast_layout(graph)
        layout = time.perf_counter() - start
        start = time.perf_counter()
        page = render_html(graph, positions=positions, title=f"synthetic graph, {size} nodes")
        build = time.perf_counter() - start
        path = out / f"viewer-{size}.html"
        start = time.perf_counter()
        path.write_text(page, encoding="utf-8")
        write = time.perf_counter() - start
        row = {
            "nodes": graph.number_of_nodes(), "edges": graph.number_of_edges(),
            "layout_s": round(layout, 2), "build_s": round(build, 2), "write_s": round(write, 3),
            "html_mb": round(len(page.encode()) / 1e6, 1),
        }  # fmt: skip
        if CHROMIUM.exists():
            opened, filtered, drawn = _browser_times(path)
            row.update(open_s=round(opened, 2), filter_s=round(filtered, 2), drawn=drawn)
        rows.append(row)
        print("  ".join(f"{k}={v}" for k, v in row.items()), flush=True)
    (out / "viewer.json").write_text(json.dumps(rows, indent=1) + "\n", encoding="utf-8")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 10000])
    parser.add_argument("--out", type=Path, default=ROOT / "out" / "bench")
    args = parser.parse_args()
    bench(args.sizes, args.out)


if __name__ == "__main__":
    main()
