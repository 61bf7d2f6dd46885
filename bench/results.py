"""Run every benchmark in one go and write ``bench/RESULTS.md``: each figure beside its reference.

Usage::

    .venv/bin/python bench/results.py            # the issue's sizes (about an hour on 2 cores)
    .venv/bin/python bench/results.py --quick    # small sizes, to check the pipeline (minutes)

Each benchmark runs as its own process, one after the other (so no two compete for the cores),
and prints its figures as JSON; this script turns them into tables of *work, seckg, reference,
ratio, target* and writes them with the machine (CPU, cores, memory, load average before each
benchmark), the date and the versions of Python, pyoxigraph, rdflib, spaCy and seckg's commit.
A benchmark that fails is reported in the file with its error; the others still run.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"


@dataclass
class Row:
    """One figure beside its reference."""

    work: str
    seckg: str
    reference: str
    ratio: str
    target: str = ""


@dataclass
class Section:
    """One benchmark: how it is run and how its JSON becomes rows."""

    title: str
    args: list[str]
    quick_args: list[str]
    rows: Callable[[dict], list[Row]]
    timeout: float = 7200


def _fmt(value: float, digits: int = 2) -> str:
    return f"{value:.{digits}f}"


def _last_json(text: str) -> dict:
    """The last JSON object a benchmark printed (they may print progress lines before it)."""
    start = text.rfind("\n{")
    start = 0 if start < 0 else start + 1
    while True:
        try:
            return json.loads(text[start:])
        except json.JSONDecodeError:
            start = text.rfind("\n{", 0, start - 1)
            if start < 0:
                raise
            start += 1


def machine() -> dict[str, str]:
    """CPU, cores, memory and versions, for the file's header."""
    cpu = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        total_kb = int(meminfo.read_text().split("MemTotal:")[1].split()[0])
        memory = f"{total_kb / 2**20:.1f} GiB"
    versions = {}
    for package in ("pyoxigraph", "rdflib", "spacy", "networkx", "dask", "playwright"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = "not installed"
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    return {
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "memory": memory,
        "python": platform.python_version(),
        "system": f"{platform.system()} {platform.release()}",
        "seckg": commit.stdout.strip() or "unknown",
        **versions,
    }


def run_section(section: Section, quick: bool) -> tuple[list[Row], str, float]:
    """Run one benchmark; return its rows, an error ('' when none) and the load average before it."""
    load = os.getloadavg()[0]
    command = [
        sys.executable,
        str(BENCH / section.args[0]),
        *(section.quick_args if quick else section.args[1:]),
    ]
    started = time.monotonic()
    try:
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=section.timeout)
    except subprocess.TimeoutExpired:
        return [], f"timed out after {section.timeout:.0f} s", load
    seconds = time.monotonic() - started
    if done.returncode != 0:
        return [], f"exit {done.returncode}: {done.stderr.strip().splitlines()[-1:] or ''}", load
    try:
        figures = _last_json(done.stdout)
    except (json.JSONDecodeError, ValueError):
        return [], "printed no JSON", load
    rows = section.rows(figures)
    print(f"{section.title}: {len(rows)} figures in {seconds:.0f} s", file=sys.stderr)
    return rows, "", load


def render_section(section: Section, rows: list[Row], error: str, load: float, measured: str) -> list[str]:
    """The Markdown lines of one section; ``measured`` says when and at which commit."""
    lines = [f"## {section.title}", "", f"Measured {measured}; load average before the run: {load:.2f}.", ""]
    if error:
        return [*lines, f"**Not measured**: {error}", ""]
    lines += ["| work | seckg | reference | ratio | target |", "|---|---|---|---|---|"]
    lines += [f"| {r.work} | {r.seckg} | {r.reference} | {r.ratio} | {r.target} |" for r in rows]
    return [*lines, ""]


def previous_sections(text: str) -> dict[str, list[str]]:
    """The sections of an earlier ``RESULTS.md``, by title, as their Markdown lines.

    >>> previous_sections("# Benchmark results\\n\\n## Viewer\\n\\nrow\\n")
    {'Viewer': ['## Viewer', '', 'row']}
    """
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in text.splitlines():
        if line.startswith("## "):
            current = sections.setdefault(line[3:].strip(), [])
        if current is not None:
            current.append(line)
    return sections


def render(header: dict[str, str], blocks: list[list[str]], quick: bool) -> str:
    """The Markdown of ``bench/RESULTS.md``: the machine, then each section's lines."""
    lines = [
        "# Benchmark results",
        "",
        "Written by `python bench/results.py`"
        + (" --quick (small sizes)" if quick else "")
        + "; do not edit.",
        "Every figure is measured beside its reference in the same run, one benchmark at a time;",
        "each section says when it was measured (`--only` reruns some sections and keeps the others).",
        "",
        "| machine | |",
        "|---|---|",
        *(f"| {key} | {value} |" for key, value in header.items()),
        "",
    ]
    for block in blocks:
        lines += block
    return "\n".join(lines)


def main(sections: list[Section]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, to check the pipeline")
    parser.add_argument("--only", action="append", default=[], help="run only sections whose title has this")
    parser.add_argument("--out", type=Path, default=BENCH / "RESULTS.md")
    args = parser.parse_args()
    chosen = [s for s in sections if not args.only or any(word in s.title for word in args.only)]
    header = machine()
    measured = f"{header['date']} at {header['seckg']}"
    fresh = {s.title: render_section(s, *run_section(s, args.quick), measured) for s in chosen}
    kept = previous_sections(args.out.read_text(encoding="utf-8")) if args.only and args.out.exists() else {}
    blocks = [fresh.get(s.title) or kept.get(s.title) for s in sections]
    text = render(header, [block for block in blocks if block], args.quick)
    args.out.write_text(text.rstrip("\n") + "\n", encoding="utf-8")
    print(f"wrote {args.out}", file=sys.stderr)


# --- the benchmarks and how their figures become rows -------------------------------------------


def _extraction_rows(f: dict) -> list[Row]:
    n = f["releases"]
    return [
        Row(f"extract {n:,} generated releases, 1 job (process start included)",
            f"{f['extract_jobs1_s']} s ({f['jobs1_per_s']}/s)",
            f"spaCy blank tokenizer, 1 process: {f['tokenizer_s']} s ({f['tokenizer_per_s']}/s)",
            f"{f['jobs1_over_tokenizer']}x slower", "within 1.5x"),
        Row(f"extract {n:,} releases, 2 jobs (same output: {f['jobs_same_output']})",
            f"{f['extract_jobs2_s']} s ({f['jobs2_per_s']}/s)", f"1 job: {f['extract_jobs1_s']} s",
            f"{f['jobs1_over_jobs2']}x faster", "at least 1.9x"),
        *([
            Row(f"compiled (`make compiled`, mypyc), 1 job (same records: {f['compiled_same_output']})",
                f"{f['compiled_jobs1_s']} s ({f['compiled_jobs1_per_s']}/s)",
                f"spaCy blank tokenizer: {f['tokenizer_s']} s; the sources: {f['extract_jobs1_s']} s",
                f"{f['compiled_jobs1_over_tokenizer']}x slower ({f['compiled_speedup']}x the sources' speed)",
                "within 1.5x"),
            Row("compiled build, 2 jobs", f"{f['compiled_jobs2_s']} s", f"1 job: {f['compiled_jobs1_s']} s",
                f"{f['compiled_jobs1_over_jobs2']}x faster", "at least 1.9x"),
        ] if "compiled_jobs1_s" in f else []),
        Row("two processes over one on a CPU-bound loop (the ceiling of the line above)",
            f"{f['machine_scaling_before']}x before, {f['machine_scaling_after']}x after",
            "2.0 on two idle cores",
            "", ""),
        Row("the extractor's tables in a new process, read from their cache (counted in the lines above)",
            f"{f.get('table_read_s', '?')} s", f"built afresh (cold cache): {f.get('table_build_s', '?')} s",
            "", ""),
    ]  # fmt: skip


def _load_rows(f: dict) -> list[Row]:
    engines, ratios = f["engines"], f["ratios_to_bulk_load"]
    quads = f"{f['quads']:,} quads ({f['releases']:,} releases; same in every store: {f['same_quads']})"
    ours, bulk, plain = engines["load_records"], engines["bulk_load"], engines["load"]
    return [
        Row(f"load {quads} into a fresh store (wall)", f"{ours['seconds']} s",
            f"pyoxigraph bulk_load of the same quads: {bulk['seconds']} s; Store.load: {plain['seconds']} s",
            f"{ratios['load_records']['time']}x", "within 1.5x"),
        Row("the same, CPU time", f"{ours['cpu_seconds']} s", f"bulk_load: {bulk['cpu_seconds']} s",
            f"{ratios['load_records']['cpu']}x", ""),
        Row("peak memory", f"{ours['peak_mib']} MiB",
            f"bulk_load: {bulk['peak_mib']} MiB; Store.load: {plain['peak_mib']} MiB",
            f"{ratios['load_records']['memory']}x", "within 1.2x"),
    ]  # fmt: skip


def _query_rows(f: dict) -> list[Row]:
    rows = []
    for size in f["sizes"]:
        for q in size["queries"]:
            rdflib = q.get("rdflib_ms")
            reference = f"pyoxigraph {q['oxigraph_ms']} ms"
            if q.get("oxigraph_unsorted_ms") is not None:
                reference += f" (without its ORDER BY: {q['oxigraph_unsorted_ms']} ms)"
            if "rdflib_ms" in q:
                if rdflib is not None:
                    reference += f"; rdflib {rdflib} ms"
                elif str(q.get("rdflib", "")).startswith("failed"):
                    reference += f"; rdflib {q['rdflib']}"
                else:
                    reference += "; rdflib over its time limit"
            kind = "generated releases, extracted" if size.get("kind") == "generated" else "synthetic"
            at = f"at {size['triples']:,} triples ({kind})"
            runs = f", median of {q['runs']} runs" if q.get("runs", 1) > 1 else ""
            rows.append(Row(f"{q['query']} ({q['case']}, {q['rows']} rows{runs}) {at}",
                            f"{q['seckg_ms']} ms", reference, f"{q['seckg_over_oxigraph']}x",
                            "under 300 ms; within 1.10x"))  # fmt: skip
    return rows


def _viewer_rows(f: dict) -> list[Row]:
    return [
        Row(f"viewer: {r['nodes']:,} nodes ({r['html_mb']} MB page) loaded, searchable, first view drawn",
            f"{r.get('open_s', '-')} s", f"a bare page parsing the same JSON: {r.get('reference_s', '-')} s",
            f"{r.get('ratio', '-')}x", "under 5 s at 100k nodes")
        for r in f["rows"]
    ]  # fmt: skip


def _resolve_rows(f: dict) -> list[Row]:
    rows = [
        Row(f"resolve {r['releases']:,} generated releases ({r['triples']:,} triples)", f"{r['resolve_s']} s",
            f"loading them: {r['load_s']} s", f"{r['resolve_over_load']}x",
            f"under 0.5x; pair precision {r['pair_precision']}, recall {r['pair_recall']}")
        for r in f["sizes"]
    ]  # fmt: skip
    rows += [
        Row(f"resolution time growth {g['from']:,} -> {g['to']:,}", f"x{g['time_factor']}",
            f"n log n: x{g['n_log_n_factor']}", "", "about n log n")
        for g in f["growth"]
    ]  # fmt: skip
    rows.append(Row("peak memory of the resolution benchmark", f"{f['peak_rss_mib']} MiB", "", "", ""))
    return rows


SECTIONS = [
    Section("Extraction", ["bench_extract_scale.py", "--json"], ["--releases", "400", "--json"],
            _extraction_rows),
    Section("Loading (about 1M triples)", ["bench_load.py", "--releases", "6600", "--json"],
            ["--releases", "300", "--json"], _load_rows),
    Section("Saved queries at 100k and 1M triples",
            ["bench_queries.py", "--releases", "800,8400", "--generated", "2800", "--runs", "3",
             "--rdflib-timeout", "40", "--json"],
            ["--releases", "150", "--generated", "60", "--runs", "1", "--max-runs", "1", "--rdflib-timeout",
             "10", "--json"],
            _query_rows),
    Section("Viewer", ["bench_viewer.py", "--sizes", "10000", "20000", "100000", "--json"],
            ["--sizes", "2000", "--json"], _viewer_rows),
    Section("Cross-release resolution", ["bench_resolve.py", "--sizes", "10000,30000", "--json"],
            ["--sizes", "1000,3000", "--json"], _resolve_rows),
]  # fmt: skip


if __name__ == "__main__":
    main(SECTIONS)
