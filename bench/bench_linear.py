"""Extraction time against text length, 10 KB to 1 MB, on repetitive and list-heavy text.

Hostile input must not make extraction quadratic: each shape is generated at growing sizes and
extracted once; the script prints seconds and microseconds per character for every size, and the
ratio of the largest size's time per character to the smallest's (near 1 for linear work; the
target is under 3). Run with ``python bench/bench_linear.py`` (about two minutes at the default
sizes; ``--sizes 10000 100000`` for a quick look).
"""

from __future__ import annotations

import argparse
import time

from graph import Release, extract
from graph.extract import lexicon

SHAPES = {
    "repeated signing": "Panama and Mexico signed a Memorandum of Understanding, ",
    "Spanish signing": "Panamá y México firmaron un memorando de entendimiento, ",
    "list of states": "Panama, Mexico, Chile, Peru, Colombia, Ecuador, Brazil, Argentina, Honduras, ",
    "bulleted list": "- Panama and Mexico signed a memorandum on border security.\n",
    "people and bodies": "Secretary John Smith and Minister Maria Lopez of the Ministry of Security, ",
    "abbreviations": "U.S. Dept. Sec. Gen. Mr. Dr. ",
    "one state per line": "Peru\n",
    "line of capitals": "PANAMA MEXICO CHILE SECURITY AGREEMENT MINISTRY ",
}
TARGET = 3.0


def generate(unit: str, size: int) -> str:
    """``unit`` repeated to exactly ``size`` characters."""
    return (unit * (size // len(unit) + 1))[:size]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    args = parser.parse_args()
    lexicon.load()
    extract(Release(id="warm", text="Panama and Mexico signed a memorandum."))
    worst = 0.0
    print(f"{'shape':<20}" + "".join(f"{size:>16,}" for size in args.sizes) + "   ratio")
    for name, unit in SHAPES.items():
        per_char = []
        cells = []
        for size in args.sizes:
            text = generate(unit, size)
            start = time.perf_counter()
            extract(Release(id="bench", text=text))
            seconds = time.perf_counter() - start
            per_char.append(seconds / size)
            cells.append(f"{seconds:7.2f}s {1e6 * seconds / size:5.1f}us")
        ratio = per_char[-1] / per_char[0]
        worst = max(worst, ratio)
        print(f"{name:<20}" + "".join(f"{c:>16}" for c in cells) + f"   {ratio:5.2f}", flush=True)
    verdict = "near-linear" if worst < TARGET else "NOT linear"
    print(
        f"worst ratio of time per character, largest to smallest: {worst:.2f} ({verdict}, target < {TARGET})"
    )


if __name__ == "__main__":
    main()
