"""Read and extract a batch of releases for the commands, reporting what cannot be used.

Each input is read and extracted by a worker process under a time and a memory limit (see
:mod:`graph.cli._worker`); whatever one input does, the batch goes on. ``jobs`` workers run at
once (every core by default), and the results come back in the order of the inputs, so the output
is the same record for record whatever the number of jobs.
"""

from __future__ import annotations

import os
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from multiprocessing.connection import wait
from pathlib import Path

from graph.cli._worker import DEFAULT_MEMORY_MB, DEFAULT_TIME_LIMIT, ExtractWorker, Result, extract_item
from graph.ingest import IngestError, expand_paths
from graph.model import Record, Release

__all__ = ["BatchOptions", "extracted_releases"]

Item = str | os.PathLike[str]


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
    as_json: bool = False
    """Records as their JSON lines, releases without text (:func:`~graph.cli._worker.extract_item`)."""


def extracted_releases(
    paths: Sequence[str],
    report: Callable[[IngestError], None],
    options: BatchOptions | None = None,
    results: Callable[..., Iterator] | None = None,
) -> Iterator[tuple[Record | str, Release]]:
    """Yield ``(record, release)`` for every readable release under ``paths`` (the record as its
    JSON line with ``options.as_json``).

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
            yield extract_item(
                item,
                fetch_linked=options.fetch_linked,
                allow_private=options.allow_private,
                as_json=options.as_json,
            )
        return
    jobs = options.jobs or os.cpu_count() or 1
    with ExitStack() as stack:
        workers = [
            stack.enter_context(ExtractWorker(
                time_limit=options.time_limit, memory_mb=options.memory_mb,
                fetch_linked=options.fetch_linked, allow_private=options.allow_private,
                as_json=options.as_json,
            ))
            for _ in range(jobs)
        ]  # fmt: skip
        yield from _Pool(workers, options.time_limit).run(enumerate(items))


#: Inputs queued in one worker at most (sent a batch at a time), so that it never waits for the
#: tool between two inputs; and the inputs in flight at most, per worker, results included, so
#: that memory stays flat however long the batch.
_DEPTH = 8
_WINDOW = 32


class _Pool:
    """Feeds numbered inputs to workers in batches and yields their results in input order.

    Each worker holds a queue of the inputs sent to it and answers them in order, one reply each.
    An input gets ``time_limit`` seconds from the moment its worker starts it (the previous reply,
    or the sending of the batch); past that, the worker is killed, the input reported, and the
    inputs queued behind it go back to the front of the line for the next free worker. The same
    holds when a worker dies or runs out of memory: only the input it was reading is lost.
    """

    def __init__(self, workers: list[ExtractWorker], time_limit: float) -> None:
        self.workers = workers
        self.time_limit = time_limit
        self.queued: dict[ExtractWorker, deque[tuple[int, Item]]] = {w: deque() for w in workers}
        self.deadline: dict[ExtractWorker, float] = {}
        self.retry: deque[tuple[int, Item]] = deque()
        self.done: dict[int, Result] = {}
        self.top = -1  # the highest input number taken so far

    def run(self, numbered: Iterator[tuple[int, Item]]) -> Iterator[Result]:
        next_out = 0
        exhausted = False
        limit = _WINDOW * len(self.workers)
        while True:
            for worker in self.workers:
                queue = self.queued[worker]
                if len(queue) > _DEPTH // 2:
                    continue
                batch: list[tuple[int, Item]] = []
                while len(queue) + len(batch) < _DEPTH:
                    if self.retry:
                        batch.append(self.retry.popleft())
                    elif exhausted or self._in_flight(next_out) >= limit:
                        break
                    else:
                        pair = next(numbered, None)
                        if pair is None:
                            exhausted = True
                            break
                        batch.append(pair)
                        self.top = pair[0]
                if batch:
                    self._send(worker, batch)
            while next_out in self.done:
                yield self.done.pop(next_out)
                next_out += 1
            busy = [w for w in self.workers if self.queued[w]]
            if not busy:
                if exhausted and not self.retry:
                    return
                continue
            self._wait(busy)

    def _in_flight(self, next_out: int) -> int:
        return self.top + 1 - next_out

    def _send(self, worker: ExtractWorker, batch: list[tuple[int, Item]]) -> None:
        idle = not self.queued[worker]
        self.queued[worker].extend(batch)
        try:
            worker.submit(batch)
        except (EOFError, OSError):
            self._lost(worker, worker.failure(_where(self.queued[worker][0][1])))
            return
        if idle:  # the first input starts now (after the worker's own start, if it was stopped)
            self.deadline[worker] = time.monotonic() + self.time_limit

    def _wait(self, busy: list[ExtractWorker]) -> None:
        timeout = max(0.0, min(self.deadline[w] for w in busy) - time.monotonic())
        ready = set(wait([w.connection for w in busy], timeout))
        for worker in busy:
            queue = self.queued[worker]
            if worker.connection in ready:
                try:
                    status, index, pairs, errors = worker.receive()
                except (EOFError, OSError):
                    self._lost(worker, worker.failure(_where(queue[0][1])))
                    continue
                _, item = queue.popleft()
                if status == "ok":
                    self.done[index] = (pairs, errors)
                    self.deadline[worker] = time.monotonic() + self.time_limit
                else:  # out of memory: the worker has stopped
                    queue.appendleft((index, item))
                    worker.stop()
                    self._lost(worker, IngestError(_where(item), worker.memory_message()))
            elif time.monotonic() >= self.deadline[worker]:
                worker.stop()
                self._lost(worker, worker.timeout(_where(queue[0][1])))

    def _lost(self, worker: ExtractWorker, error: IngestError) -> None:
        """The worker has stopped on its current input: that one fails, the rest wait for another."""
        queue = self.queued[worker]
        index, _ = queue.popleft()
        self.done[index] = ([], [error])
        self.retry.extendleft(reversed(queue))
        queue.clear()


def _where(item: Item) -> str | Path:
    return item if isinstance(item, str) else Path(item)
