"""Benchmark every saved query at about 100k and 1M triples: seckg's run path beside the same text
on pyoxigraph and on rdflib's in-memory engine, in one run.

Usage::

    .venv/bin/python bench/bench_queries.py [--releases 800,8400] [--generated 2800] [--seed 5]
        [--runs 3] [--max-runs 15] [--keep DIR] [--rdflib-timeout 40] [--json]

For each size, :mod:`query_data` builds a seeded store (bench_resolve's synthetic releases, made
richer, loaded and resolved; 800 releases give about 100k triples, 8400 about 1M), and
``--generated`` a store of releases generated from the shared corpus and extracted by
``seckg ingest`` (2,800 give about 1M triples), where the same ministers and agencies recur in
hundreds of releases as in real ones; rdflib is timed on the synthetic stores only. Each saved
query runs once with its defaults ("all") and once per declared parameter with that parameter
bound, ``--runs`` times, each time with another value drawn from the store, so no answer is ever
computed twice (cold as far as results go; pyoxigraph keeps no result cache anyway). A fast case
runs with more values (up to ``--max-runs``, 5 x ``--runs`` by default) until seckg's runs of it
have taken half a second: the median of three sub-millisecond runs is tipped by whichever
engine first met a value's data cold (the first of each value's runs reads it from disk), so
those cases would otherwise show ratios of 1.2-1.3x that are not there. Each run times:

- ``seckg``: :func:`graph.query.run_query`, the path ``seckg query`` takes (guard, binding,
  engine, rows collected as Python tuples);
- ``oxigraph``: the same final text (parameters in a ``VALUES`` block, as
  :func:`graph.sparql_values.bind_values` writes it) straight on ``pyoxigraph.Store.query``, solutions
  consumed with ``list``;
- ``unsorted``: that text without its final ``ORDER BY`` on pyoxigraph, the engine's own work in
  seckg's path (which sorts the rows itself, :mod:`graph.sparql_order`);
- ``rdflib``: the same final text on rdflib's engine over the store's quads in memory
  (one run, in a child process killed after ``--rdflib-timeout`` seconds: "timeout"; 40 s by
  default, where the slowest answer rdflib ever gave in these runs took 25 s: at 1M triples about
  25 cases run out of time, and each costs the whole limit).

The table shows the median milliseconds of each, the row count, seckg over oxigraph (the
target: at most 1.10) and rdflib over oxigraph, and the load average of the machine (timings
on a busy machine are slower; the ratios, measured side by side, much less so). ``--keep DIR``
keeps the built stores in DIR and reuses them on the next run. ``--json`` prints the figures as
JSON for a results writer.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox
from query_data import build_generated_store, build_store, parameter_values

from graph.namespaces import PREFIXES
from graph.query import SavedQuery, bind_params, run_query, saved_queries
from graph.sparql_order import split_order_by
from graph.sparql_values import bind_values
from graph.store import triple_count

TARGET_MS = 300
TARGET_RATIO = 1.10
MORE_RUNS = 5  # a fast case takes up to this many times --runs values ...
BUDGET_S = 0.5  # ... until seckg's runs of it have taken this long


def cases(query: SavedQuery) -> list[tuple[str, str | None]]:
    """``(label, parameter)`` pairs: the query with its defaults, then each parameter bound."""
    return [("all", None)] + [(f"{p.name}=", p.name) for p in query.params]


def _direct(store: ox.Store, text: str, bindings: dict) -> int:
    """The final text seckg runs (parameters in a ``VALUES`` block), straight on the engine."""
    answer = store.query(bind_values(text, bindings), prefixes=PREFIXES, use_default_graph_as_union=True)
    return len(list(answer))


def time_case(
    store: ox.Store,
    query: SavedQuery,
    param: str | None,
    runs: int,
    seed: int,
    max_runs: int | None = None,
    budget_s: float = BUDGET_S,
) -> dict:
    """Median milliseconds of seckg's path and of pyoxigraph over values of ``param``: at least
    ``runs`` values, then more (up to ``max_runs``, each another value) while seckg's runs have
    taken less than ``budget_s`` in all, so that a case of a millisecond or less is the median of
    many values, not of three that one cold cache can tip."""
    kind = next((p.kind for p in query.params if p.name == param), None)
    most = max(runs, max_runs if max_runs is not None else runs * MORE_RUNS)
    values = parameter_values(store, kind, most, seed) if kind else [None] * most
    unsorted = split_order_by(query.text)
    times: dict[str, list[float]] = {"seckg": [], "oxigraph": [], "unsorted": []}
    rows = []
    for number, value in enumerate(values):
        if number >= runs and sum(times["seckg"]) >= budget_s:
            values = values[:number]
            break
        params = {param: value} if param else {}
        bindings = bind_params(params, query.params, store)
        order = list(times)[number % 3 :] + list(times)[: number % 3]
        for engine in order:  # rotate which goes first, so none always meets a warmer cache
            started = time.perf_counter()
            if engine == "seckg":
                rows.append(len(run_query(store, query.text, params=params, declared=query.params).rows))
            elif engine == "oxigraph":
                _direct(store, query.text, bindings)
            elif unsorted is not None:
                _direct(store, unsorted.text, bindings)
            times[engine].append(time.perf_counter() - started)
    seckg_ms, direct_ms, unsorted_ms = (1000 * statistics.median(times[k]) for k in times)
    bare = unsorted is not None and unsorted_ms > 0
    return {
        "query": query.name,
        "case": f"{param}=" if param else "all",
        "values": [v for v in values if v is not None],
        "runs": len(values),
        "rows": int(statistics.median(rows)),
        "seckg_ms": round(seckg_ms, 1),
        "oxigraph_ms": round(direct_ms, 1),
        "seckg_over_oxigraph": round(seckg_ms / direct_ms, 3) if direct_ms else None,
        "oxigraph_unsorted_ms": round(unsorted_ms, 1) if bare else None,
        "seckg_over_unsorted": round(seckg_ms / unsorted_ms, 3) if bare else None,
    }


# --- rdflib, each query in a forked child that can be killed ------------------------------------


def _rdflib_one(dataset, text: str, bindings: dict, send) -> None:
    started = time.perf_counter()
    rows = len(list(dataset.query(text, initNs=PREFIXES, initBindings=bindings)))
    send.send((rows, time.perf_counter() - started))


def time_rdflib(nquads: Path, jobs: list[tuple[str, dict]], timeout: float) -> list[dict]:
    """rdflib's milliseconds and rows for each ``(text, bindings)`` over the quads of ``nquads``
    (loaded once in this process; each query runs in a forked child, killed after ``timeout``)."""
    from rdflib import Dataset
    from rdflib.util import from_n3

    dataset = Dataset(default_union=True)
    dataset.parse(str(nquads), format="nquads")
    fork = multiprocessing.get_context("fork")
    results = []
    for text, bindings in jobs:
        terms = {name: from_n3(str(term)) for name, term in bindings.items()}
        receive, send = fork.Pipe(duplex=False)
        child = fork.Process(target=_rdflib_one, args=(dataset, text, terms, send))
        child.start()
        send.close()  # the child holds the only sending end: its exit ends the wait
        if receive.poll(timeout):
            try:
                rows, seconds = receive.recv()
                results.append({"rdflib_ms": round(1000 * seconds, 1), "rdflib_rows": rows})
            except EOFError:  # it ended without an answer (rdflib raised): say so, not "timeout"
                child.join()
                failed = f"failed (exit {child.exitcode})"
                results.append({"rdflib_ms": None, "rdflib_rows": None, "rdflib": failed})
        else:
            child.kill()
            results.append({"rdflib_ms": None, "rdflib_rows": None, "rdflib": f"timeout >{timeout:g}s"})
        child.join()
    return results


# --- the run ------------------------------------------------------------------------------------


def run_size(
    releases: int,
    seed: int,
    runs: int,
    folder: Path,
    rdflib_timeout: float,
    *,
    generated: bool = False,
    max_runs: int | None = None,
) -> dict:
    """Build (or reuse) the store of ``releases`` releases and time every saved query on it:
    synthetic records (:func:`query_data.build_store`), or with ``generated`` releases written from
    the shared corpus and extracted (:func:`query_data.build_generated_store`)."""
    build = build_generated_store if generated else build_store
    store, load_s = build(releases, seed, folder)
    figures = {
        "releases": releases,
        "kind": "generated" if generated else "synthetic",
        "triples": triple_count(store),
        "load_s": round(load_s, 1),
        "queries": [],
    }
    jobs = []
    for query in saved_queries():
        for _, param in cases(query):
            row = time_case(store, query, param, runs, seed, max_runs)
            figures["queries"].append(row)
            first = {param: row["values"][0]} if param else {}
            jobs.append((bind_values(query.text, bind_params(first, query.params, store)), {}))
            print(
                f"  {releases}: {row['query']} {row['case']} {row['seckg_ms']} ms",
                file=sys.stderr,
                flush=True,
            )
    nquads = folder / f"dataset-{releases}.nq"
    store.dump(str(nquads), ox.RdfFormat.N_QUADS)
    del store  # closed before rdflib's children are forked
    if rdflib_timeout > 0:
        for row, found in zip(figures["queries"], time_rdflib(nquads, jobs, rdflib_timeout), strict=True):
            row.update(found)
            if row["rdflib_ms"] is not None:
                row["rdflib_over_oxigraph"] = round(row["rdflib_ms"] / row["oxigraph_ms"], 1)
    nquads.unlink()
    return figures


def table(result: dict) -> str:
    """The figures as an aligned text table, one block per size."""
    lines = []
    head = (
        f"{'query':24} {'case':12} {'rows':>6} {'seckg ms':>9} {'oxigraph ms':>11} {'unsorted':>9} "
        f"{'ratio':>6} {'rdflib ms':>14} {'rdflib/ox':>9}"
    )
    for size in result["sizes"]:
        title = f"{size['releases']} {size['kind']} releases, {size['triples']} triples"
        lines += ["", title, head, "-" * len(head)]
        for q in size["queries"]:
            rdflib = q.get("rdflib") or (f"{q['rdflib_ms']:.1f}" if q.get("rdflib_ms") is not None else "-")
            slow = " *" if q["seckg_ms"] > TARGET_MS or (q["seckg_over_oxigraph"] or 0) > TARGET_RATIO else ""
            lines.append(
                f"{q['query']:24} {q['case']:12} {q['rows']:>6} {q['seckg_ms']:>9.1f} "
                f"{q['oxigraph_ms']:>11.1f} {q['oxigraph_unsorted_ms'] or 0:>9.1f} "
                f"{q['seckg_over_oxigraph']:>6.2f} {rdflib:>14} {q.get('rdflib_over_oxigraph', '-'):>9}{slow}"
            )
    lines += [
        "",
        f"* over {TARGET_MS} ms or seckg/oxigraph over {TARGET_RATIO}",
        f"load average {result['load_average']}",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--releases", default="800,8400", help="sizes in releases (800: ~100k triples)")
    parser.add_argument(
        "--generated", default="2800", help="sizes in generated, extracted releases (2800: ~1M triples)"
    )
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--runs", type=int, default=3, help="runs per case, each with another value")
    parser.add_argument(
        "--max-runs",
        type=int,
        help=f"runs of a fast case (default {MORE_RUNS} x --runs), while under {BUDGET_S} s in all",
    )
    parser.add_argument("--keep", type=Path, help="keep the built stores here and reuse them")
    parser.add_argument("--rdflib-timeout", type=float, default=40.0, help="seconds; 0 skips rdflib")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="seckg-bench-queries-") as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        sizes = [
            run_size(int(n), args.seed, args.runs, folder, args.rdflib_timeout, max_runs=args.max_runs)
            for n in args.releases.split(",")
            if n
        ]
        sizes += [  # rdflib is timed on the synthetic stores only
            run_size(int(n), args.seed, args.runs, folder, 0, generated=True, max_runs=args.max_runs)
            for n in args.generated.split(",")
            if n
        ]
    result = {"seed": args.seed, "runs": args.runs, "sizes": sizes, "load_average": os.getloadavg()}
    print(json.dumps(result, indent=1) if args.json else table(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
