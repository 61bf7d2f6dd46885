"""Extraction throughput: releases per second and peak memory.

Reads the project's sample releases (and the shared corpus when it is beside the checkout),
extracts each one ``--repeat`` times, and prints the figures. Run with ``make bench`` or
``python bench/bench_extract.py``.
"""

from __future__ import annotations

import argparse
import random
import resource
import time
from pathlib import Path

from graph import Release, extract, read_paths
from graph.extract import lexicon

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
    lexicon.load()
    load_seconds = time.perf_counter() - start

    chars = sum(len(r.text) for r in releases) * args.repeat
    start = time.perf_counter()
    for _ in range(args.repeat):
        for release in releases:
            extract(release)
    seconds = time.perf_counter() - start
    n = len(releases) * args.repeat
    # A hostile shape: one long paragraph of capitalised title and name words (worst case for the
    # name and body finders), to check that time grows about linearly with length.
    rng = random.Random(7)
    vocabulary = [
        "Ministry",
        "of",
        "Foreign",
        "Affairs",
        "Secretary",
        "Panama",
        "And",
        "The",
        "National",
        "Police",
        "Agency",
        "Signed",
    ]
    for n_words in (10_000, 50_000):
        hostile = " ".join(rng.choice(vocabulary) for _ in range(n_words))
        start = time.perf_counter()
        extract(Release(id="hostile", text=hostile))
        print(f"hostile text of {n_words} capitalised words: {time.perf_counter() - start:.2f} s")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"lexicon load (once per process): {load_seconds:.2f} s")
    print(f"extracted {n} releases ({chars / 1e6:.1f} M characters) in {seconds:.2f} s")
    print(f"throughput: {n / seconds:.1f} releases/s, {chars / seconds / 1e3:.0f} k characters/s")
    print(f"peak RSS: {peak_mb:.0f} MiB")


if __name__ == "__main__":
    main()
