"""Benchmark cross-release resolution against loading, at several sizes, in one run.

Usage::

    .venv/bin/python bench/bench_resolve.py [--sizes 10000,30000,100000] [--seed 5] [--json]

For each size N, N synthetic releases are generated (seeded): instruments between pairs of 60
states, each reported by one to three releases (the other side's release a day later under a
compatible type name, or a later release of its entry into force), with signatories, titles and
places drawn so that look-alikes exist (the same parties and type in other years). They are
loaded into a fresh temporary Oxigraph store without resolving (``load_records(resolve=False)``),
then :func:`graph.resolve.store_io.resolve_store` runs over the whole store. The script prints
both times, their ratio (the target: resolution under half the load time), resolution time per
report and how it grows from one size to the next (n log n grows by a factor of about
``(n2 log n2) / (n1 log n1)``), the pairwise precision and recall of "same instrument" against
the generator's truth, and the machine's load average.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import os
import random
import resource
import sys
import tempfile
import time
from collections import defaultdict

from graph.loading import load_records
from graph.model import Agreement, Person, Record
from graph.resolve.store_io import read_reports, resolve_store
from graph.store import open_store, triple_count

STATES = [f"{a}{b}{c}" for a, b, c in itertools.islice(itertools.product("ABCDEFGH", "KLMN", "XYZ"), 60)]
TYPES = [
    "agreement",
    "memorandum-of-understanding",
    "letter-of-intent",
    "arrangement",
    "treaty",
    "declaration",
]
OTHER_NAME = {"agreement": "treaty", "memorandum-of-understanding": "protocol", "treaty": "agreement"}
SUBJECTS = ["Border Security", "Customs Data", "Maritime Patrol", "Cyber Defence", "Police Training",
            "Migration Management", "Aviation Security", "Counter Narcotics"]  # fmt: skip
PLACES = ["Lima", "Nairobi", "Canberra", "Rabat", "Manila", "Quito", "Accra", "Hanoi"]


def _day(rng: random.Random) -> str:
    return f"{rng.randint(2000, 2024)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def _later(day: str, days: int) -> str:
    from datetime import date, timedelta

    return (date.fromisoformat(day) + timedelta(days=days)).isoformat()


def generate(n: int, seed: int) -> tuple[list[Record], dict[tuple[str, int], int]]:
    """``n`` releases and the truth: ``{(release id, position): instrument number}``."""
    rng = random.Random(seed)
    records: list[Record] = []
    truth: dict[tuple[str, int], int] = {}
    number = 0
    while len(records) < n:
        a, b = sorted(rng.sample(STATES, 2))
        kind = rng.choice(TYPES)
        signed = _day(rng)
        people = (f"Ana {a} {rng.randint(1, 30)}", f"Luis {b} {rng.randint(1, 30)}")
        title = f"{rng.choice(SUBJECTS)} {kind.replace('-', ' ').title()}" if rng.random() < 0.6 else None
        place = rng.choice(PLACES)
        reports = [Agreement(kind, title, signed, (a, b), people, place=place, place_country=a)]
        roll = rng.random()
        if roll < 0.3:  # the other side's release, a day later, its own name for the type
            reports.append(Agreement(OTHER_NAME.get(kind, kind), title, None, (a, b), people[1:],
                                     place=place, place_country=a))  # fmt: skip
        if roll > 0.85:  # a later release of its entry into force
            reports.append(Agreement(kind, title, None, (a, b), (), event="in-force"))
        for k, agreement in enumerate(reports):
            rid = f"r{len(records):07d}"
            released = signed if k == 0 else _later(signed, 1 if agreement.event == "signed" else 200)
            people_of = tuple(
                Person(name, (), "Minister", None, code) for name, code in zip(people, (a, b), strict=True)
            )
            records.append(
                Record(id=rid, date=released, countries=(a, b), people=people_of, agreements=(agreement,))
            )
            truth[(rid, 0)] = number
            if len(records) >= n:
                break
        number += 1
    return records, truth


def pairwise(
    reports, resolution_of: dict[str, str], truth: dict[tuple[str, int], int]
) -> tuple[float, float]:
    """Precision and recall of the "same instrument" pairs."""
    predicted, actual = defaultdict(list), defaultdict(list)
    for r in reports:
        predicted[resolution_of[r.iri]].append((r.release, r.position))
        actual[truth[(r.release, r.position)]].append((r.release, r.position))

    def pairs(groups) -> set:
        return {frozenset(p) for g in groups.values() for p in itertools.combinations(sorted(g), 2)}

    got, want = pairs(predicted), pairs(actual)
    return (len(got & want) / len(got) if got else 1.0, len(got & want) / len(want) if want else 1.0)


def run_size(n: int, seed: int) -> dict:
    records, truth = generate(n, seed)
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(os.path.join(folder, "store"))
        start = time.perf_counter()
        load_records(store, records, generated_at="2024-01-01T00:00:00Z", resolve=False)
        load = time.perf_counter() - start
        start = time.perf_counter()
        summary = resolve_store(store)
        resolve = time.perf_counter() - start
        reports = read_reports(store)
        rows = store.query(
            "SELECT ?r ?a WHERE { GRAPH <https://w3id.org/seckg/graph/resolution> { ?r seckg:reportOf ?a } }",
            prefixes={"seckg": "https://w3id.org/seckg/ontology#"},
        )
        resolution_of = {row["r"].value: row["a"].value for row in rows}
        precision, recall = pairwise(reports, resolution_of, truth)
        triples = triple_count(store)
        del store
    return {
        "releases": n, "triples": triples, "load_s": round(load, 2), "resolve_s": round(resolve, 2),
        "resolve_over_load": round(resolve / load, 3),
        "ms_per_report": round(1000 * resolve / summary.reports, 4),
        "instruments": summary.instruments, "merges": summary.merges, "possible": summary.possible,
        "pair_precision": round(precision, 4), "pair_recall": round(recall, 4),
    }  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,30000,100000")
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    rows = []
    for n in sizes:
        rows.append(run_size(n, args.seed))
        if not args.json:
            print(json.dumps(rows[-1]), flush=True)
    growth = []
    for first, second in itertools.pairwise(rows):
        n1, n2 = first["releases"], second["releases"]
        growth.append({
            "from": n1, "to": n2, "time_factor": round(second["resolve_s"] / first["resolve_s"], 2),
            "n_log_n_factor": round(n2 * math.log(n2) / (n1 * math.log(n1)), 2),
        })  # fmt: skip
    result = {
        "sizes": rows,
        "growth": growth,
        "load_average": os.getloadavg(),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    if args.json:
        print(json.dumps(result, indent=1))
    else:
        for g in growth:
            factors = f"resolution time x{g['time_factor']} (n log n: x{g['n_log_n_factor']})"
            print(f"{g['from']} -> {g['to']}: {factors}")
        print(f"load average {result['load_average']}, peak RSS {result['peak_rss_mib']} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
