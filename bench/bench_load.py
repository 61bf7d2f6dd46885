"""Benchmark loading: ``load_records`` against pyoxigraph's own loaders, on the same quads, in one run.

Usage::

    .venv/bin/python bench/bench_load.py [--releases 6600] [--seed 7] [--repeat 1] [--batch N] [--json]

Synthetic records (bench_store's seeded generator, about 150 triples a release: 6,600 releases
make about a million triples) are loaded by :func:`graph.loading.load_records` into a fresh
temporary Oxigraph directory store, without resolving; the store's quads are then written as
N-Quads, and the same file is loaded into fresh stores by pyoxigraph's ``Store.bulk_load`` and
``Store.load``. Each load runs in its own subprocess, so its peak resident memory (``ru_maxrss``)
is its own; the records are generated in the subprocess before the clock starts, and count
towards its memory, as they would in a real ingest. The resolution that ``seckg ingest`` runs
after loading is timed apart. Prints each time and peak, and the ratios to ``bulk_load`` (the
targets: time within 1.5x, memory within 1.2x), with the CPU time (user plus system, all threads)
beside the wall-clock time: on a shared machine it is the steadier of the two. With
``--repeat N`` each load runs N times, in turn, and the fastest run of each counts; ``--batch``
sets ``load_records``'s ``batch_triples`` (default :data:`graph.loading.BATCH_TRIPLES`).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox
from bench_store import synthetic_record

from graph.loading import BATCH_TRIPLES, load_records
from graph.resolve.store_io import resolve_store
from graph.store import open_store

ENGINES = ("load_records", "bulk_load", "load")


def peak_mib() -> float:
    """Peak resident set size of this process in MiB (Linux reports KiB, macOS bytes)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def cpu_seconds() -> float:
    """User plus system CPU time of this process so far, all its threads (the bulk loader's too)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def child(engine: str, folder: Path, releases: int, seed: int, batch: int | None) -> dict:
    """One load in this (fresh) process; ``load_records`` also writes ``folder/quads.nq``."""
    location = folder / engine
    if engine == "load_records":
        rng = random.Random(seed)
        records = [synthetic_record(rng, number) for number in range(releases)]
        store = open_store(location)
        started, cpu = time.perf_counter(), cpu_seconds()
        load_records(store, records, generated_at="2024-01-01T00:00:00Z", resolve=False, batch_triples=batch)
        seconds, cpu = time.perf_counter() - started, cpu_seconds() - cpu
        figures = {"seconds": seconds, "cpu_seconds": cpu, "peak_mib": peak_mib(), "quads": len(store)}
        store.dump(output=str(folder / "quads.nq"), format=ox.RdfFormat.N_QUADS)
        started = time.perf_counter()
        resolve_store(store)
        figures["resolve_seconds"] = time.perf_counter() - started
        return figures
    store = ox.Store(str(location))
    started, cpu = time.perf_counter(), cpu_seconds()
    if engine == "bulk_load":
        store.bulk_load(path=str(folder / "quads.nq"), format=ox.RdfFormat.N_QUADS)
    else:
        store.load(path=str(folder / "quads.nq"), format=ox.RdfFormat.N_QUADS)
    store.flush()
    seconds, cpu = time.perf_counter() - started, cpu_seconds() - cpu
    return {"seconds": seconds, "cpu_seconds": cpu, "peak_mib": peak_mib(), "quads": len(store)}


def run_child(engine: str, folder: Path, releases: int, seed: int, batch: int | None) -> dict:
    """Run :func:`child` in a subprocess; return its figures."""
    command = [sys.executable, __file__, "--child", engine, "--folder", str(folder)]
    command += ["--releases", str(releases), "--seed", str(seed)] + (["--batch", str(batch)] if batch else [])
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.splitlines()[-1])


def run(releases: int, seed: int, repeat: int, batch: int | None) -> dict:
    """Every engine ``repeat`` times in turn; the fastest run of each, and the ratios to bulk_load."""
    best: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="seckg-bench-load-") as tmp:
        for turn in range(repeat):
            for engine in ENGINES:
                folder = Path(tmp) / f"turn-{turn}"
                folder.mkdir(exist_ok=True)
                figures = run_child(engine, folder, releases, seed, batch)
                if engine not in best or figures["seconds"] < best[engine]["seconds"]:
                    best[engine] = figures
    base = best["bulk_load"]
    return {
        "releases": releases,
        "seed": seed,
        "repeat": repeat,
        "batch_triples": batch or BATCH_TRIPLES,
        "quads": best["load_records"]["quads"],
        "engines": {name: {k: round(v, 2) for k, v in f.items()} for name, f in best.items()},
        "ratios_to_bulk_load": {
            name: {
                "time": round(f["seconds"] / base["seconds"], 2),
                "cpu": round(f["cpu_seconds"] / base["cpu_seconds"], 2),
                "memory": round(f["peak_mib"] / base["peak_mib"], 2),
            }
            for name, f in best.items()
        },
        "same_quads": len({f["quads"] for f in best.values()}) == 1,
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--releases", type=int, default=6600, help="synthetic releases (default 6600)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=1, help="runs of each load; the fastest counts")
    parser.add_argument("--batch", type=int, help="load_records's batch_triples")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--child", choices=ENGINES, help=argparse.SUPPRESS)
    parser.add_argument("--folder", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.child, args.folder, args.releases, args.seed, args.batch)))
        return 0
    result = run(args.releases, args.seed, args.repeat, args.batch)
    if args.json:
        print(json.dumps(result, indent=1))
        return 0
    print(
        f"{result['releases']} synthetic releases (seed {result['seed']}), {result['quads']} quads, "
        f"batches of {result['batch_triples']} triples"
    )
    for name, f in result["engines"].items():
        ratio = result["ratios_to_bulk_load"][name]
        extra = f", then resolve {f['resolve_seconds']} s" if "resolve_seconds" in f else ""
        print(
            f"  {name:13} {f['seconds']:7.2f} s ({f['cpu_seconds']:.2f} s CPU) peak {f['peak_mib']:6.1f} MiB "
            f"(x{ratio['time']} time, x{ratio['cpu']} CPU, x{ratio['memory']} memory of bulk_load){extra}"
        )
    print(f"  same quads in every store: {result['same_quads']}; load average {result['load_average']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
