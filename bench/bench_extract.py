"""Extraction throughput: releases per second and peak memory.

Reads the project's sample releases (and the shared corpus when it is beside the checkout),
extracts each one ``--repeat`` times, and prints the figures. Run with ``make bench`` or
``python bench/bench_extract.py``.
"""

from __future__ import annotations

import argparse
import resource
import time
from pathlib import Path

from graph import extract, read_paths
from graph.extract import gazetteer

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20, help="extract every release this many times")
    args = parser.parse_args()

    sources = [ROOT / "data" / "samples" / "releases"]
    shared = ROOT.parent / "shared" / "corpus" / "releases"
    if shared.is_dir():
        sources.append(shared)
    releases = list(read_paths(sources))

    start = time.perf_counter()
    gazetteer.load()
    load_seconds = time.perf_counter() - start

    chars = sum(len(r.text) for r in releases) * args.repeat
    start = time.perf_counter()
    for _ in range(args.repeat):
        for release in releases:
            extract(release)
    seconds = time.perf_counter() - start
    n = len(releases) * args.repeat
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"gazetteer load (once per process): {load_seconds:.2f} s")
    print(f"extracted {n} releases ({chars / 1e6:.1f} M characters) in {seconds:.2f} s")
    print(f"throughput: {n / seconds:.1f} releases/s, {chars / seconds / 1e3:.0f} k characters/s")
    print(f"peak RSS: {peak_mb:.0f} MiB")


if __name__ == "__main__":
    main()
