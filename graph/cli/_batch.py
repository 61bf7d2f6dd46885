"""Read and extract a batch of releases for the commands, reporting what cannot be used.

Each input is read and extracted by a worker process under a time and a memory limit (see
:mod:`graph.cli._worker`); whatever one input does, the batch goes on. ``jobs`` workers run at
once (every core by default), and the results come back in the order of the inputs, so the output
is the same record for record whatever the number of jobs.
"""

from __future__ import annotations

import os
import queue
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass

from graph.cli._worker import DEFAULT_MEMORY_MB, DEFAULT_TIME_LIMIT, ExtractWorker, extract_item
from graph.ingest import IngestError, expand_paths
from graph.model import Record, Release

__all__ = ["BatchOptions", "extracted_releases"]


@dataclass(frozen=True)
class BatchOptions:
    """How a batch is read: network use for linked pages (off unless the user asks) and the
    limits of each input (``time_limit`` 0: no worker process, no limits)."""

    fetch_linked: bool = False
    allow_private: bool = False
    time_limit: float = DEFAULT_TIME_LIMIT
    memory_mb: int | None = DEFAULT_MEMORY_MB
    jobs: int = 0
    """Worker processes at once (0: one per core)."""


def extracted_releases(
    paths: Sequence[str],
    report: Callable[[IngestError], None],
    options: BatchOptions | None = None,
    results: Callable[..., Iterator] | None = None,
) -> Iterator[tuple[Record, Release]]:
    """Yield ``(record, release)`` for every readable release under ``paths``.

    ``results(paths, report, options)``, when given, replaces the local pool: it yields the
    ``(pairs, errors)`` of each input in input order (the Dask engine, :mod:`graph.cli._engine`).

    Unreadable input, an input over its time or memory limit, an extractor failure and a
    release id already used earlier in the batch (two files named ``index.html`` in different
    folders would otherwise overwrite each other's graph) are passed to ``report`` and skipped;
    the batch goes on.
    """
    options = options or BatchOptions()
    seen: dict[str, str] = {}
    for pairs, errors in (results or _results)(paths, report, options):
        for error in errors:
            report(error)
        for record, release in pairs:
            where = release.path or release.url or release.id
            if release.id in seen:
                report(IngestError(where, f"release id {release.id!r} is already used by {seen[release.id]}"))
                continue
            seen[release.id] = where
            yield record, release


def _results(paths: Sequence[str], report: Callable[[IngestError], None], options: BatchOptions) -> Iterator:
    """``(pairs, errors)`` of each input, in input order, from ``jobs`` workers at once."""
    items = expand_paths(paths, report)
    if options.time_limit <= 0:  # no worker process, no limits: here, one by one
        for item in items:
            yield extract_item(item, fetch_linked=options.fetch_linked, allow_private=options.allow_private)
        return
    jobs = options.jobs or os.cpu_count() or 1
    with ExitStack() as stack:
        idle: queue.SimpleQueue[ExtractWorker] = queue.SimpleQueue()
        for _ in range(jobs):
            idle.put(stack.enter_context(ExtractWorker(
                time_limit=options.time_limit, memory_mb=options.memory_mb,
                fetch_linked=options.fetch_linked, allow_private=options.allow_private,
            )))  # fmt: skip

        def work(item):
            worker = idle.get()
            try:
                return worker.run(item)
            finally:
                idle.put(worker)

        if jobs == 1:
            yield from map(work, items)
            return
        pool = stack.enter_context(ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="extract"))
        window: list = []
        for item in items:  # a bounded window of inputs in flight keeps memory flat
            window.append(pool.submit(work, item))
            if len(window) >= 4 * jobs:
                yield window.pop(0).result()
        for future in window:
            yield future.result()
