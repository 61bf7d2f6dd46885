"""Simulate seckg at scale: generated releases through extraction, loading and resolution.

Usage::

    .venv/bin/python bench/simulate_scale.py --releases 100000 [--workers 2] [--chunk 5000] [--json FILE]
    .venv/bin/python bench/simulate_scale.py --releases 2000      # a smoke run
    .venv/bin/python bench/simulate_scale.py --releases 20000 --server-releases 2000
    .venv/bin/python bench/simulate_scale.py --releases 20000 --server-only   # stages 1, 2 and 5

Stages, each timed, with the peak resident memory of everything it runs (the process and its
children, sampled with psutil; the Oxigraph server on its own line):

1. **generate** ``--releases`` release *text files* (seeded, every text distinct, lengths like the
   shared corpus: 0.45 to 2.7 KB, about 2 KB on average), naming states, their agencies (from the
   project's gazetteers), people, places, agreements and focus areas, so extraction does real work;
2. **extract, local engine**: ``seckg extract DIR --jobs W --out local.jsonl``;
3. **extract, Dask engine**: ``seckg extract DIR --engine dask --jobs W --out dask.jsonl`` (a
   ``LocalCluster`` of W worker processes); the two outputs must be byte for byte the same;
4. **load into the embedded store** (:func:`graph.loading.load_records`, records from the
   JSON Lines, no resolution), then **resolve** over it (:func:`graph.resolve.store_io.resolve_store`);
5. **load into an Oxigraph server** (``oxigraph serve``, from the ``oxigraph`` package of the
   ``test`` extra) what ``seckg ingest --records local.jsonl --store http://...`` does: the bulk
   path (Graph Store protocol ``POST`` of N-Quads, ``--post-triples`` triples each, under a
   journal, :mod:`graph.remote_load`), then resolve over the protocol; beside it, as references
   timed in the same run, the server's own offline loader (``oxigraph load --location DIR --file
   X.nq`` of the same releases' N-Quads, into a fresh directory) and the SPARQL Update path for
   ``--update-releases`` releases in updates of ``--chunk`` triples (``--server-releases`` loads
   only the first N into the server).
   ``--server-only`` runs stages 1, 2 and 5.

Then the figures are extrapolated linearly to a million releases: extraction divided over more
workers (the per-worker rate measured here), loading as one stream (the rate measured here).
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import hashlib
import itertools
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import psutil

from graph import __version__
from graph.loading import load_records
from graph.model import Record
from graph.quads import record_nquads
from graph.remote import RemoteStore
from graph.resolve.store_io import resolve_store
from graph.store import open_store, triple_count
from graph.triples import record_content_hash

ROOT = Path(__file__).resolve().parents[1]
GAZETTEER = ROOT / "ontology" / "gazetteer"
TARGET = 1_000_000
FIXED_TIME = "2024-01-01T00:00:00Z"

# Sentence shapes of a press release; the words they are filled with come from the gazetteers.
KINDS = ["memorandum of understanding", "letter of intent", "agreement", "arrangement", "joint declaration"]
SUBJECTS = ["border security", "customs cooperation", "cybersecurity", "counter-narcotics operations",
            "maritime security", "the fight against human trafficking", "aviation security",
            "information sharing", "police training", "migration management"]  # fmt: skip
TITLES = ["Minister of Foreign Affairs", "Minister of Security", "Secretary of Homeland Security",
          "Minister of the Interior", "Ambassador", "Attorney General"]  # fmt: skip
GIVEN = ["Ana", "Luis", "Maria", "Jorge", "Sofia", "Daniel", "Elena", "Tomas", "Lucia", "Pablo", "Irene"]
FAMILY = ["Morales", "Castillo", "Reyes", "Herrera", "Vargas", "Okafor", "Lindqvist", "Tanaka", "Novak",
          "Haddad", "Ferreira", "Kowalski", "Mensah", "Rahman", "Duarte", "Whitfield"]  # fmt: skip
CITIES = ["Panama City", "Mexico City", "Washington", "Ottawa", "Lima", "Bogota", "Madrid", "Canberra",
          "Nairobi", "Manila", "Quito", "San Jose"]  # fmt: skip
FILLER = [
    "Officials from {a} and {b} said the {kind} builds on years of work on {subject}.",
    "The {kind} provides for joint training, the exchange of liaison officers and regular meetings.",
    "{person_a} said that {subject} is a shared responsibility of {a} and {b}.",
    "Both delegations reviewed progress on {subject} and agreed to meet again in {year}.",
    "The {agency_a} will lead the work for {a}, with support from experts in {subject}.",
    "The ministers also discussed trade, investment and regional stability.",
    "Under the {kind}, the two countries will share information on {subject} in real time.",
    "The {agency_b} welcomed the signing and called it a milestone for the region.",
    "A working group will report on results within {months} months.",
]


def _vocabulary() -> tuple[list[tuple[str, str]], dict[str, list[str]]]:
    """States (code, English name) and their agencies' names, from the project's gazetteers."""
    with open(GAZETTEER / "countries.tsv", encoding="utf-8") as handle:
        rows = csv.DictReader((line for line in handle if not line.startswith("#")), delimiter="\t")
        states = [(row["alpha3"], row["names"].split("|")[0]) for row in rows]
    agencies: dict[str, list[str]] = {}
    with open(GAZETTEER / "agencies.tsv", encoding="utf-8") as handle:
        rows = csv.DictReader((line for line in handle if not line.startswith("#")), delimiter="\t")
        for row in rows:
            if row["country"]:
                agencies.setdefault(row["country"], []).append(row["name"])
    return [s for s in states if s[0] in agencies and "," not in s[1]], agencies


def release_text(rng: random.Random, number: int, states, agencies) -> str:
    """One release: a header, a lead paragraph with the signing, filler to a corpus-like length."""
    (code_a, a), (code_b, b) = rng.sample(states, 2)
    kind, subject = rng.choice(KINDS), rng.choice(SUBJECTS)
    year, month, day = rng.randint(2005, 2024), rng.randint(1, 12), rng.randint(1, 28)
    person_a = f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}"
    person_b = f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}"
    words = {
        "a": a, "b": b, "kind": kind, "subject": subject, "year": year + 1, "months": rng.randint(2, 18),
        "person_a": person_a, "agency_a": rng.choice(agencies[code_a]),
        "agency_b": rng.choice(agencies[code_b]),
    }  # fmt: skip
    article = "an" if kind[0] in "aeiou" else "a"
    dated = f"{year}-{month:02d}-{day:02d}"
    lead = (
        f"{rng.choice(CITIES)}, {dated}. {a} and {b} signed {article} {kind} on {subject}. "
        f"{rng.choice(TITLES)} {person_a} of {a} and {rng.choice(TITLES)} {person_b} of {b} signed the "
        f"{kind} for the {words['agency_a']} and the {words['agency_b']}."
    )
    target = min(2700, max(450, int(rng.gauss(2000, 450))))
    paragraphs, size = [lead], len(lead)
    filler = rng.sample(FILLER, len(FILLER))
    while size < target:
        sentence = filler[len(paragraphs) % len(filler)].format(**words)
        paragraphs.append(sentence)
        size += len(sentence) + 1
    paragraphs.append(f"Release {number} of the series, issued on {dated}.")
    header = f"---\ntitle: {a} and {b} sign {article} {kind} on {subject}\ndate: {dated}\n---\n"
    return header + "\n\n".join(paragraphs) + "\n"


def generate(folder: Path, n: int, seed: int) -> dict:
    """Write ``n`` distinct release files under ``folder`` (1,000 a subfolder); return their sizes."""
    rng = random.Random(seed)
    states, agencies = _vocabulary()
    digests, total = set(), 0
    for number in range(n):
        text = release_text(rng, number, states, agencies)
        data = text.encode("utf-8")
        digests.add(hashlib.blake2b(data, digest_size=16).digest())
        sub = folder / f"{number // 1000:04d}"
        if number % 1000 == 0:
            sub.mkdir(parents=True, exist_ok=True)
        (sub / f"r{number:07d}.txt").write_bytes(data)
        total += len(data)
    return {"files": n, "distinct": len(digests), "mean_bytes": round(total / max(n, 1))}


class Usage:
    """Peak summed resident memory and CPU seconds of ``pids`` and all their descendants.

    Sampled with psutil on a thread (every ``every`` seconds): the worker processes of a forkserver
    or of a Dask nanny are grandchildren that ``getrusage(RUSAGE_CHILDREN)`` never sees. CPU is
    counted from each process's first sample (a process that ends between two samples loses at
    most ``every`` seconds of it).
    """

    def __init__(self, *pids: int, fresh: bool = False, every: float = 0.2) -> None:
        self.pids, self.fresh, self.every, self.peak = pids, fresh, every, 0
        self._first: dict[tuple[int, float], float] = {}
        self._last: dict[tuple[int, float], float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> None:
        rss = 0
        for pid in self.pids:
            with contextlib.suppress(psutil.Error):
                process = psutil.Process(pid)
                for p in [process, *process.children(recursive=True)]:
                    with contextlib.suppress(psutil.Error):
                        with p.oneshot():
                            rss += p.memory_info().rss
                            times = p.cpu_times()
                            key = (p.pid, p.create_time())
                        used = times.user + times.system
                        self._first.setdefault(key, used if pid == p.pid and not self.fresh else 0.0)
                        self._last[key] = used
        self.peak = max(self.peak, rss)

    @property
    def cpu(self) -> float:
        """CPU seconds used since the start, over every process seen."""
        return sum(last - self._first[key] for key, last in self._last.items())

    def _run(self) -> None:
        while not self._stop.is_set():
            self._sample()
            self._stop.wait(self.every)

    def __enter__(self) -> Usage:
        self._sample()
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self._sample()


def _records(path: Path) -> Iterator[Record]:
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            yield Record.from_dict(json.loads(line))


def _stage(results: dict, name: str, n: int, seconds: float, usage: Usage, **extra) -> None:
    """Record and print a stage: wall time, rate, peak memory, CPU seconds (all processes) per release."""
    row = {"seconds": round(seconds, 1), "per_second": round(n / seconds, 1) if seconds else None,
           "peak_mib": round(usage.peak / 2**20), "cpu_ms_per_release": round(1000 * usage.cpu / n, 2),
           **extra}  # fmt: skip
    results["stages"][name] = row
    print(f"{name:<28} {row['seconds']:>8.1f} s {row['per_second'] or 0:>8.1f}/s {row['peak_mib']:>6} MiB "
          f"{row['cpu_ms_per_release']:>7.2f} CPU ms/release"
          + "".join(f"  {k}={v}" for k, v in extra.items()), flush=True)  # fmt: skip


def _extract(results: dict, name: str, folder: Path, out: Path, workers: int, *engine: str) -> None:
    command = [sys.executable, "-m", "graph", "extract", str(folder), "--jobs", str(workers),
               "--out", str(out), "--no-progress", *engine]  # fmt: skip
    start = time.perf_counter()
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    with Usage(process.pid, fresh=True) as usage:
        _, errors = process.communicate()
    if process.returncode:
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}): {errors[-2000:]}")
    with open(out, encoding="utf-8") as handle:
        lines = sum(1 for _ in handle)
    _stage(results, name, lines, time.perf_counter() - start, usage, records=lines)


def _du(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def _oxigraph_binary() -> str:
    binary = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or shutil.which("oxigraph")
    if binary is None:
        raise SystemExit("the oxigraph server binary is missing: pip install oxigraph (the test extra)")
    return binary


@contextlib.contextmanager
def _oxigraph(location: Path) -> Iterator[tuple[str, int]]:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    command = [_oxigraph_binary(), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            with contextlib.suppress(OSError):
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            time.sleep(0.1)
        yield url, server.pid
    finally:
        server.terminate()
        server.wait(30)


def _load(
    results: dict, name: str, store, records: Path, n: int, pids: tuple[int, ...], resolve: bool = True
) -> None:
    with Usage(os.getpid(), *pids) as usage:
        start = time.perf_counter()
        items = itertools.islice(_records(records), n)
        summary = load_records(store, items, generated_at=FIXED_TIME, resolve=False)
        seconds = time.perf_counter() - start
    triples = summary.triples_written
    _stage(
        results,
        f"load, {name}",
        n,
        seconds,
        usage,
        triples=triples,
        triples_per_second=round(triples / seconds),
    )
    if not resolve:
        return
    with Usage(os.getpid(), *pids) as usage:
        start = time.perf_counter()
        resolution = resolve_store(store)
        seconds = time.perf_counter() - start
    _stage(results, f"resolve, {name}", n, seconds, usage, instruments=resolution.instruments)


def _server_loader(results: dict, work: Path, records: Path, n: int) -> None:
    """The reference: ``oxigraph load`` of the N-Quads the bulk path sends, into a fresh directory."""
    nquads, triples = work / "server.nq", 0
    with open(nquads, "w", encoding="utf-8") as out:
        for record in itertools.islice(_records(records), n):
            content_hash = record.content_hash or record_content_hash(record)
            lines = record_nquads(record, None, extractor_version=__version__, content_hash=content_hash,
                                  generated_at=FIXED_TIME)  # fmt: skip
            out.writelines(lines)
            triples += len(lines)
    command = [_oxigraph_binary(), "load", "--location", str(work / "oxigraph-load"), "--file", str(nquads)]
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    with Usage(process.pid, fresh=True) as usage:
        _, errors = process.communicate()
    if process.returncode:
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}): {errors[-2000:]}")
    seconds = time.perf_counter() - start
    _stage(results, "oxigraph load (reference)", n, seconds, usage, triples=triples,
           triples_per_second=round(triples / seconds))  # fmt: skip


def _server(results: dict, work: Path, records: Path, n: int, update_n: int, sizes: dict[str, int]) -> None:
    """Stage 5: the server's own loader, the bulk path (then resolution), the Update path."""
    for name in ("oxigraph-load", "oxigraph", "oxigraph-update"):  # fresh stores, also in a reused --dir
        shutil.rmtree(work / name, ignore_errors=True)
    _server_loader(results, work, records, n)
    with _oxigraph(work / "oxigraph") as (url, pid):
        remote = RemoteStore.from_url(url, **sizes)
        _load(results, "oxigraph server, bulk", remote, records, n, (pid,))
        results["server triples"] = triple_count(remote)
        results["server took dataset POSTs"] = remote.dataset_post
        remote.close()
    results["oxigraph server bytes"] = _du(work / "oxigraph")
    with _oxigraph(work / "oxigraph-update") as (url, pid):
        remote = RemoteStore.from_url(url, **sizes, dataset_post=False)
        _load(results, "oxigraph server, update", remote, records, update_n, (pid,), resolve=False)
        remote.close()
    stages = results["stages"]
    for path in ("bulk", "update"):
        rate = stages[f"load, oxigraph server, {path}"]["triples_per_second"]
        results[f"{path} path / oxigraph load, triples per second"] = round(
            rate / stages["oxigraph load (reference)"]["triples_per_second"], 2
        )


def extrapolate(results: dict, workers: int) -> dict:
    """Linear figures for :data:`TARGET` releases from the measured rates."""
    stages, n = results["stages"], results["releases"]
    loaded = stages.get("load, embedded store") or stages["load, oxigraph server, bulk"]
    per_release = loaded["triples"] / (n if "load, embedded store" in stages else results["server releases"])
    figures = {"releases": TARGET, "triples": round(per_release * TARGET)}
    for name, row in stages.items():
        if row.get("per_second"):
            figures[f"{name} hours"] = round(TARGET / row["per_second"] / 3600, 2)
    # Extraction parallelises: its CPU time per release, over a cluster's cores, bounds its hours.
    extracted = stages.get("extract, dask engine") or stages.get("extract, local engine")
    if extracted:
        cpu_ms = extracted["cpu_ms_per_release"]
        figures["extract CPU hours"] = round(TARGET * cpu_ms / 1000 / 3600, 2)
        for cluster in (8, 32, 128):
            figures[f"extract on {cluster} cores, hours"] = round(TARGET * cpu_ms / 1000 / cluster / 3600, 2)
    for name in ("load, embedded store", "load, oxigraph server, bulk", "load, oxigraph server, update"):
        if name in stages:
            figures[f"{name} CPU hours"] = round(TARGET * stages[name]["cpu_ms_per_release"] / 1000 / 3600, 2)
    if "embedded store bytes" in results:
        figures["embedded store bytes"] = round(results["embedded store bytes"] / n * TARGET)
    figures["oxigraph server bytes"] = round(
        results["oxigraph server bytes"] / results["server releases"] * TARGET
    )
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--releases", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--chunk", type=int, default=5000, help="triples per update request (Update path)")
    parser.add_argument(
        "--post-triples", type=int, default=100_000, help="triples per dataset POST (bulk path)"
    )
    parser.add_argument(
        "--server-releases", type=int, default=None, help="load only this many into the server (default: all)"
    )
    parser.add_argument(
        "--update-releases", type=int, default=500, help="load this many through the Update path (reference)"
    )
    parser.add_argument(
        "--server-only", action="store_true", help="skip the Dask engine and the embedded store (stages 3, 4)"
    )
    parser.add_argument(
        "--reuse", action="store_true", help="with --dir: keep the texts and records a run left there"
    )
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--dir", type=Path, default=None, help="work here (default: a temporary folder)")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = parser.parse_args(argv)
    n, workers = args.releases, args.workers
    results: dict = {"releases": n, "workers": workers, "cores": os.cpu_count(), "stages": {}}
    with contextlib.ExitStack() as stack:
        work = args.dir or Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="seckg-scale-")))
        work.mkdir(parents=True, exist_ok=True)
        print(f"{n} releases, {workers} workers, in {work}; load average {os.getloadavg()[0]:.1f}")
        local, dask = work / "local.jsonl", work / "dask.jsonl"
        if not (args.reuse and local.exists()):
            with Usage(os.getpid()) as usage:
                start = time.perf_counter()
                made = generate(work / "releases", n, args.seed)
            _stage(results, "generate texts", n, time.perf_counter() - start, usage, **made)
            _extract(results, "extract, local engine", work / "releases", local, workers)
        server_n = results["server releases"] = min(n, args.server_releases or n)
        if not args.server_only:
            _extract(results, "extract, dask engine", work / "releases", dask, workers, "--engine", "dask")
            results["dask output identical"] = local.read_bytes() == dask.read_bytes()
            print(f"dask output identical to local: {results['dask output identical']}")
            shutil.rmtree(work / "store", ignore_errors=True)
            store = open_store(work / "store")
            _load(results, "embedded store", store, local, n, ())
            results["triples"] = triple_count(store)
            store.flush()
            store.optimize()  # compacts: the size on disk without the write-ahead log
            del store
            results["embedded store bytes"] = _du(work / "store")
        sizes = {"chunk_triples": args.chunk, "bulk_triples": args.post_triples}
        _server(results, work, local, server_n, min(server_n, args.update_releases), sizes)
    results["load average"] = round(os.getloadavg()[0], 2)
    results["extrapolated"] = extrapolate(results, workers)
    print(json.dumps({k: v for k, v in results.items() if k != "stages"}, indent=1))
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    if args.server_only:
        return 0
    whole = args.server_releases is None or args.server_releases >= n
    same_graph = results["server triples"] == results["triples"] or not whole
    return 0 if results["dask output identical"] and same_graph else 1


if __name__ == "__main__":
    sys.exit(main())
