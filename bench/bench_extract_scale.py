"""Extraction at scale beside a reference engine: generated releases, one job and two, in one run.

Generates ``--releases`` distinct releases (10,000 by default) from the shared corpus
(:mod:`generated_releases`: the corpus's sentences recombined, states swapped from the gazetteer,
the corpus's lengths) into a temporary folder, then times, over the same files:

* spaCy's blank English tokenizer (``spacy.blank("en")``, ``nlp.pipe`` over the texts) in one
  process: reading the files and tokenizing them (the interpreter's start and spaCy's import are
  reported apart, and not counted);
* ``seckg extract --jobs 1`` and ``seckg extract --jobs 2`` through the real command line, each a
  new process, its start included. The extractor's tables are read from their cache folder
  (:mod:`graph.extract.table_cache`), as on any run but the first after a change to the ontology
  or the extractor: the benchmark gives the runs a cache folder of their own and fills it before
  it starts the clock (that first build, about a second, is reported apart as ``table_build_s``,
  a read as ``table_read_s``).
* the same two runs with the compiled build (``make compiled``: the extractor's modules through
  mypyc, in ``.venv-compiled``; ``--compiled`` names another build's ``seckg``, ``--compiled ''``
  leaves them out), run from the temporary folder so that its Python finds the installed package and
  not the checkout's sources; its records are compared with the sources' byte for byte.

It prints releases per second, the ratios (extraction over tokenizer, one job over two), the load
average of the machine before and after, and how much two processes gain over one on a plain
CPU-bound loop just before and after the extraction runs (2.0 on two free cores): on a machine that
others share, that is the ceiling of the ``--jobs`` ratio, and the ratios are comparable only
within one run. ``--json`` prints the figures as one JSON object instead. Needs the
``bench`` extra (``pip install -e '.[bench]'``).

Run ``python bench/bench_extract_scale.py`` (``--releases 500`` for a smoke run).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from generated_releases import CORPUS, corpus_pieces, generate

#: The compiled build ``make compiled`` makes.
COMPILED = Path(__file__).resolve().parents[1] / ".venv-compiled" / "bin" / "seckg"

#: Run in a process of its own: read every file, tokenize every text, report seconds.
_TOKENIZER = """
import json, sys, time
started = time.perf_counter()
import spacy
from graph.ingest import read_paths
nlp = spacy.blank("en")
ready = time.perf_counter()
texts = [r.text for r in read_paths([sys.argv[1]])]
tokens = sum(len(doc) for doc in nlp.tokenizer.pipe(texts, batch_size=256))
done = time.perf_counter()
print(json.dumps({"import_s": ready - started, "seconds": done - ready, "texts": len(texts),
                  "tokens": tokens}))
"""


def _last_line(
    code: str,
    *args: str,
    env: dict[str, str] | None = None,
    python: str = sys.executable,
    cwd: Path | None = None,
) -> str:
    """The last line ``python -c code args`` prints, run in a process of its own."""
    command = [python, "-c", code, *args]
    out = subprocess.run(command, capture_output=True, text=True, check=True, env=env, cwd=cwd)
    return out.stdout.strip().splitlines()[-1]


def _tokenizer(folder: Path) -> dict:
    return json.loads(_last_line(_TOKENIZER, str(folder)))


def _spin(n: int) -> int:
    total = 0
    for i in range(n):
        total += i
    return total


def _machine_scaling(n: int = 15_000_000) -> float:
    """How much faster two processes do two equal CPU-bound jobs than one process does one
    (2.0 on two idle cores): the ceiling of ``--jobs 2`` over ``--jobs 1`` at this moment. The
    processes are started (and warmed) before the clock starts."""
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        pool.map(_spin, [1, 1], chunksize=1)
        start = time.perf_counter()
        pool.map(_spin, [n], chunksize=1)
        one = time.perf_counter() - start
        start = time.perf_counter()
        pool.map(_spin, [n, n], chunksize=1)
        return 2 * one / (time.perf_counter() - start)


#: Run in a process of its own: load (build, or read from the cache) the extractor's tables.
_TABLES = """
import time
started = time.perf_counter()
from graph.extract import cities, lexicon
lexicon.load()
cities.city_states()
print(time.perf_counter() - started)
"""


def _tables(env: dict[str, str], python: str = sys.executable, cwd: Path | None = None) -> float:
    """Seconds to load the extractor's tables in a new process (building them if the cache is cold)."""
    return float(_last_line(_TABLES, env=env, python=python, cwd=cwd))


def _extract(
    folder: Path,
    jobs: int,
    out: Path,
    env: dict[str, str],
    seckg: list[str] | None = None,
    cwd: Path | None = None,
) -> float:
    """Wall seconds of ``seckg extract FOLDER --jobs N``, from process start to exit."""
    command = [*(seckg or [sys.executable, "-m", "graph"]), "extract", str(folder), "--no-progress"]
    start = time.perf_counter()
    subprocess.run([*command, "--jobs", str(jobs), "--out", str(out)], check=True, env=env, cwd=cwd)
    return time.perf_counter() - start


def _compiled_runs(compiled: Path, folder: Path, tmp: Path, env: dict[str, str]) -> dict:
    """The compiled build's tables, one job and two, run from ``tmp`` (outside the checkout)."""
    python = str(compiled.parent / "python")
    _tables(env, python, tmp)  # its own table cache entry, if its key differs
    one = _extract(folder, 1, tmp / "compiled1.jsonl", env, [str(compiled)], tmp)
    two = _extract(folder, 2, tmp / "compiled2.jsonl", env, [str(compiled)], tmp)
    reference = (tmp / "jobs1.jsonl").read_bytes()
    same = (tmp / "compiled1.jsonl").read_bytes() == reference == (tmp / "compiled2.jsonl").read_bytes()
    return {"one": one, "two": two, "same": same}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--releases", type=int, default=10_000, help="releases to generate")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="releases to recombine")
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    parser.add_argument(
        "--compiled", default=str(COMPILED), help="the compiled build's seckg ('' leaves it out)"
    )
    args = parser.parse_args()
    compiled = Path(args.compiled) if args.compiled else None
    if compiled is not None and not compiled.is_file():
        parser.error(f"{compiled}: no compiled build there (make compiled), or give --compiled ''")

    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="seckg-bench-") as tmp:
        folder = Path(tmp) / "releases"
        folder.mkdir()
        start = time.perf_counter()
        paths = generate(corpus_pieces(args.corpus), folder, args.releases, seed=args.seed)
        generation = time.perf_counter() - start
        characters = sum(len(p.read_text(encoding="utf-8")) for p in paths)
        tokenizer = _tokenizer(folder)
        env = {**os.environ, "SECKG_CACHE_DIR": str(Path(tmp) / "cache")}
        table_build = _tables(env)  # a cold cache: built, and written
        table_read = _tables(env)
        scaling_before = _machine_scaling()
        one = _extract(folder, 1, Path(tmp) / "jobs1.jsonl", env)
        two = _extract(folder, 2, Path(tmp) / "jobs2.jsonl", env)
        fast = _compiled_runs(compiled, folder, Path(tmp), env) if compiled else None
        scaling_after = _machine_scaling()
        same = (Path(tmp) / "jobs1.jsonl").read_bytes() == (Path(tmp) / "jobs2.jsonl").read_bytes()
        records = len((Path(tmp) / "jobs1.jsonl").read_bytes().splitlines())
    n = len(paths)
    figures = {
        "releases": n,
        "records": records,
        "megabytes": round(characters / 1e6, 2),
        "generation_s": round(generation, 2),
        "tokenizer_s": round(tokenizer["seconds"], 2),
        "tokenizer_import_s": round(tokenizer["import_s"], 2),
        "tokens": tokenizer["tokens"],
        "table_build_s": round(table_build, 3),
        "table_read_s": round(table_read, 3),
        "extract_jobs1_s": round(one, 2),
        "extract_jobs2_s": round(two, 2),
        "tokenizer_per_s": round(n / tokenizer["seconds"], 1),
        "jobs1_per_s": round(n / one, 1),
        "jobs2_per_s": round(n / two, 1),
        "jobs1_over_tokenizer": round(one / tokenizer["seconds"], 2),
        "jobs1_over_jobs2": round(one / two, 2),
        "jobs_same_output": same,
        "machine_scaling_before": round(scaling_before, 2),
        "machine_scaling_after": round(scaling_after, 2),
        "load_before": [round(x, 2) for x in load_before],
        "load_after": [round(x, 2) for x in os.getloadavg()],
        "cpus": os.cpu_count(),
    }
    if fast is not None:
        figures.update({
            "compiled_jobs1_s": round(fast["one"], 2),
            "compiled_jobs2_s": round(fast["two"], 2),
            "compiled_jobs1_per_s": round(n / fast["one"], 1),
            "compiled_jobs1_over_tokenizer": round(fast["one"] / tokenizer["seconds"], 2),
            "compiled_jobs1_over_jobs2": round(fast["one"] / fast["two"], 2),
            "compiled_speedup": round(one / fast["one"], 2),
            "compiled_same_output": fast["same"],
        })  # fmt: skip
    if args.json:
        print(json.dumps(figures))
        return
    print(f"{n} generated releases ({figures['megabytes']} MB), {records} records")
    rate = figures["tokenizer_per_s"]
    print(f"spaCy blank tokenizer, one process: {tokenizer['seconds']:.2f} s ({rate}/s)")
    print(f"seckg extract --jobs 1 (start included): {one:.2f} s ({figures['jobs1_per_s']}/s)")
    print(f"seckg extract --jobs 2 (start included): {two:.2f} s ({figures['jobs2_per_s']}/s)")
    print(f"extract --jobs 1 / tokenizer: {figures['jobs1_over_tokenizer']}x (target <= 1.5)")
    print(f"--jobs 1 / --jobs 2: {figures['jobs1_over_jobs2']}x (target >= 1.9); same output: {same}")
    if fast is not None:
        print(
            f"compiled build, --jobs 1: {fast['one']:.2f} s ({figures['compiled_jobs1_over_tokenizer']}x the "
            f"tokenizer, {figures['compiled_speedup']}x faster than the sources); --jobs 2: "
            f"{fast['two']:.2f} s; same records: {fast['same']}"
        )
    print(
        f"two processes over one on a CPU-bound loop, now: {scaling_before:.2f}x before, "
        f"{scaling_after:.2f}x after (2.0: two free cores; the ceiling of the ratio above)"
    )
    before, after = figures["load_before"], figures["load_after"]
    print(f"load average before {before}, after {after}, {os.cpu_count()} cpus")


if __name__ == "__main__":
    main()
