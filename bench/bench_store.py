"""Benchmark the graph store: load N synthetic records, re-ingest them, time three saved queries.

Usage::

    .venv/bin/python bench/bench_store.py [--n 2000] [--seed 7] [--remote URL] [--validate] [--json]

Records are generated with a seeded RNG (countries, agencies, people, agreements with parties,
signatories, focus areas and sentence evidence), loaded into a fresh temporary Oxigraph directory
store (or a remote SPARQL server with ``--remote``), then loaded again (every release unchanged).
Reports releases per second for both runs, the triple count, peak RSS and the median time of
three runs of three saved queries.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

from graph.loading import load_records
from graph.model import AGREEMENT_TYPES, Agency, Agreement, Evidence, Person, Record
from graph.query import load_saved_query, run_query
from graph.store import open_store, triple_count

COUNTRIES = ["USA", "MEX", "GTM", "HND", "SLV", "PAN", "CRI", "BLZ", "COL", "ECU", "CAN", "GBR", "AUS", "DOM"]
FOCUS = [
    "cybersecurity", "customs-trade", "border-security", "law-enforcement", "transnational-crime",
    "counter-narcotics", "human-smuggling", "human-trafficking", "financial-crime", "counter-terrorism",
    "irregular-migration", "migration-management", "asylum-protection", "information-sharing",
    "aviation-security", "maritime-security", "capacity-building", "emergency-management",
    "economic-development", "identity-documents",
]  # fmt: skip
AGENCIES = [
    "Ministry of Public Security",
    "Ministry of Foreign Affairs",
    "National Police",
    "Customs Service",
]
QUERIES = [
    ("dhs-partners-by-year", {}),
    ("agreements-by-focus", {"focus": "cybersecurity"}),
    ("focus-areas-by-country", {}),
]


def synthetic_record(rng: random.Random, number: int) -> Record:
    """One plausible record: 1-3 partners of the USA, their agencies and people, 0-3 agreements."""
    partners = rng.sample([c for c in COUNTRIES if c != "USA"], rng.randint(1, 3))
    countries = tuple(sorted({"USA", *partners}))
    agencies = [Agency("Department of Homeland Security", ("DHS",), "USA")]
    agencies += [Agency(rng.choice(AGENCIES), (), code) for code in partners]
    people = [Person(f"Secretary {rng.randint(1, 40)}", (), "Secretary of Homeland Security",
                     "Department of Homeland Security", "USA")]  # fmt: skip
    people += [Person(f"Minister {code} {rng.randint(1, 60)}", (), "Minister", a.name, code)
               for code, a in zip(partners, agencies[1:], strict=True)]  # fmt: skip
    year = rng.randint(2008, 2025)
    date = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    agreements, evidence = [], []
    text_at = 0
    for position in range(rng.choice([0, 1, 1, 1, 2, 3])):
        parties = tuple(sorted({"USA", rng.choice(partners)}))
        signers = tuple(p.name for p in people if p.country in parties)
        agreements.append(
            Agreement(rng.choice(AGREEMENT_TYPES), f"Instrument {number}-{position}", date, parties, signers,
                      tuple(sorted(rng.sample(FOCUS, rng.randint(1, 4)))))
        )  # fmt: skip
        sentence = f"The parties signed instrument {number}-{position} today."
        evidence.append(Evidence("agreements", position, sentence, text_at, text_at + len(sentence)))
        text_at += len(sentence) + 1
    focus = tuple(sorted({f for a in agreements for f in a.focus_areas} | set(rng.sample(FOCUS, 2))))
    for area in focus:
        sentence = f"They discussed {area.replace('-', ' ')}."
        evidence.append(Evidence("focus_areas", area, sentence, text_at, text_at + len(sentence)))
        text_at += len(sentence) + 1
    return Record(
        id=f"synthetic-{number:06d}", title=f"Synthetic release {number}", date=date,
        source="seckg benchmark", url=f"https://example.org/bench/{number}", countries=countries,
        agencies=tuple(agencies), people=tuple(people), agreements=tuple(agreements), focus_areas=focus,
        evidence=tuple(evidence),
    )  # fmt: skip


def peak_rss_mb() -> float:
    """Peak resident set size of this process in MiB (Linux reports KiB, macOS bytes)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def run(n: int, seed: int, remote: str | None, validate: bool) -> dict:
    """Generate, load, reload and query; return the figures."""
    rng = random.Random(seed)
    records = [synthetic_record(rng, i) for i in range(n)]
    with tempfile.TemporaryDirectory(prefix="seckg-bench-") as tmp:
        store = open_store(remote or Path(tmp) / "store")
        started = time.perf_counter()
        first = load_records(store, records)
        load_seconds = time.perf_counter() - started
        started = time.perf_counter()
        again = load_records(store, records)
        reload_seconds = time.perf_counter() - started
        figures = {
            "releases": n,
            "seed": seed,
            "store": remote or "oxigraph directory",
            "added": first.added,
            "unchanged_on_reload": again.unchanged,
            "triples": triple_count(store),
            "load_seconds": round(load_seconds, 2),
            "load_releases_per_second": round(n / load_seconds, 1),
            "reload_releases_per_second": round(n / reload_seconds, 1),
            "queries": {},
        }
        for name, params in QUERIES:
            saved = load_saved_query(name)
            times, rows = [], 0
            for _ in range(3):
                started = time.perf_counter()
                rows = len(run_query(store, saved.text, params=params, declared=saved.params).rows)
                times.append(time.perf_counter() - started)
            figures["queries"][name] = {"median_ms": round(statistics.median(times) * 1000, 1), "rows": rows}
        if validate:
            from graph.validate import validate_store

            started = time.perf_counter()
            report = validate_store(store)
            figures["validate_seconds"] = round(time.perf_counter() - started, 1)
            figures["violations"] = len(report.violations)
        figures["peak_rss_mb"] = round(peak_rss_mb(), 1)
        del store
    return figures


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000, help="synthetic releases (default 2000)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--remote", help="a SPARQL server URL instead of a temporary directory store")
    parser.add_argument("--validate", action="store_true", help="also time SHACL validation (slow)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    figures = run(args.n, args.seed, args.remote, args.validate)
    if args.json:
        print(json.dumps(figures, indent=1))
        return
    print(f"{figures['releases']} synthetic releases (seed {figures['seed']}) into {figures['store']}")
    print(f"  load:    {figures['load_seconds']} s, {figures['load_releases_per_second']} releases/s")
    reload_rate, unchanged = figures["reload_releases_per_second"], figures["unchanged_on_reload"]
    print(f"  reload:  {reload_rate} releases/s (all {unchanged} unchanged)")
    print(f"  triples: {figures['triples']}")
    for name, q in figures["queries"].items():
        print(f"  query {name}: {q['median_ms']} ms median of 3 ({q['rows']} rows)")
    if "validate_seconds" in figures:
        print(f"  validate: {figures['validate_seconds']} s, {figures['violations']} violations")
    print(f"  peak RSS: {figures['peak_rss_mb']} MiB")


if __name__ == "__main__":
    main()
