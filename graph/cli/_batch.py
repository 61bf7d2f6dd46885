"""Read and extract a batch of releases for the commands, reporting what cannot be used.

Each input is read and extracted by a worker process under a time and a memory limit (see
:mod:`graph.extraction_worker`); whatever one input does, the batch goes on. ``jobs`` workers run
at once (every core by default), and the results come back in the order of the inputs, so the
output is the same record for record whatever the number of jobs.

The tool's own work per release is kept small, since it takes a share of the cores the workers
run on: the workers' fork server is started before the inputs are listed, the pipes are watched
by one ``poll`` object kept for the whole batch (not a selector made for every reply), and with
``as_json`` a reply is the record's JSON line as bytes and the release's :class:`Origin`.
"""

from __future__ import annotations

import math
import os
import select
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path

from graph.extraction_worker import (
    DEFAULT_MEMORY_MB,
    DEFAULT_TIME_LIMIT,
    ExtractWorker,
    Origin,
    Result,
    extract_item,
    start_fork_server,
)
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
    """Records as the bytes of their JSON lines, releases as their :class:`Origin`
    (:func:`~graph.extraction_worker.extract_item`)."""


def extracted_releases(
    paths: Sequence[str],
    report: Callable[[IngestError], None],
    options: BatchOptions | None = None,
    results: Callable[..., Iterator] | None = None,
) -> Iterator[tuple[Record | bytes, Release | Origin]]:
    """Yield ``(record, release)`` for every readable release under ``paths`` (with
    ``options.as_json``, the record as the bytes of its JSON line and the release as its
    :class:`Origin`).

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
    if options.time_limit > 0:
        start_fork_server()  # it gets ready while the inputs are listed
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
#: that memory stays flat however long the batch. Results wait for the slowest input before them
#: (the output keeps the input order): while one worker spends seconds on one release, the others
#: go on for up to ``_WINDOW`` inputs each (a few seconds of work, some 10 MB of JSON lines).
_DEPTH = 8
_WINDOW = 512
#: The longest the tool lets replies gather before it reads them: each time the tool wakes up costs
#: more than the replies it reads then (and takes a core from a worker), so it reads several at once.
_GATHER = 0.010


class _Pool:
    """Feeds numbered inputs to workers in batches and yields their results in input order.

    Each worker holds a queue of the inputs sent to it and answers them in order, one reply each.
    An input gets ``time_limit`` seconds from the moment its worker starts it (the previous reply,
    or the sending of the batch); past that, the worker is killed, the input reported, and the
    inputs queued behind it go back to the front of the line for the next free worker. The same
    holds when a worker dies or runs out of memory: only the input it was reading is lost.

    The busy workers' pipes are watched by one :func:`select.poll` object, updated only when a
    worker starts or stops (where there is no ``poll``, by :func:`multiprocessing.connection.wait`).
    Before it waits, the tool lets replies gather for up to :data:`_GATHER` seconds, as long as
    every busy worker has queued inputs to go on with (:meth:`_gather_time`), then reads every
    reply waiting: a wake-up for several replies instead of one each. An input's time limit is
    then counted from the moment its previous reply is read, at most that long after it came.
    """

    def __init__(self, workers: list[ExtractWorker], time_limit: float) -> None:
        self.workers = workers
        self.time_limit = time_limit
        self.queued: dict[ExtractWorker, deque[tuple[int, Item]]] = {w: deque() for w in workers}
        self.deadline: dict[ExtractWorker, float] = {}
        self.retry: deque[tuple[int, Item]] = deque()
        self.done: dict[int, Result] = {}
        self.top = -1  # the highest input number taken so far
        self.poller = select.poll() if hasattr(select, "poll") else None
        self.polled: dict[int, ExtractWorker] = {}  # file descriptor -> worker, as registered
        self.pace: dict[ExtractWorker, float] = {}  # seconds the worker's last input took it

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

    def _ready(self, busy: list[ExtractWorker], timeout: float) -> set[ExtractWorker]:
        """The busy workers with a reply to read (or a closed pipe), waiting ``timeout`` s at most."""
        if self.poller is None:
            pipes: dict[object, ExtractWorker] = {_pipe(w): w for w in busy}
            return {pipes[pipe] for pipe in wait(list(map(_pipe, busy)), timeout)}
        wanted = {_pipe(w).fileno(): w for w in busy}
        if wanted != self.polled:  # a worker has started, stopped or finished its queue
            for fd in self.polled.keys() - wanted.keys():
                self.poller.unregister(fd)
            for fd in wanted.keys() - self.polled.keys():
                self.poller.register(fd, select.POLLIN)
            self.polled = wanted
        return {wanted[fd] for fd, _ in self.poller.poll(math.ceil(timeout * 1000))}

    def _gather_time(self, busy: list[ExtractWorker]) -> float:
        """Seconds to let replies gather before reading them: at most :data:`_GATHER`, and at
        most half the time the busy workers need for the inputs queued behind their current one
        (at the pace of their last input, as each worker measures it), so that none runs out of
        inputs meanwhile."""
        queued = min((len(self.queued[w]) - 1) * self.pace.get(w, 0.0) for w in busy)
        return min(_GATHER, queued / 2)

    def _wait(self, busy: list[ExtractWorker]) -> None:
        pause = self._gather_time(busy)
        if pause >= _GATHER / 10:
            time.sleep(pause)
        timeout = max(0.0, min(self.deadline[w] for w in busy) - time.monotonic())
        ready = self._ready(busy, timeout)
        while ready:  # every reply waiting in the pipes, one per worker a round
            for worker in busy:
                if worker in ready:
                    self._receive(worker)
                else:
                    self._check_time(worker)
            busy = [w for w in busy if self.queued[w]]
            ready = self._ready(busy, 0) if busy else set()
        for worker in busy:
            self._check_time(worker)

    def _receive(self, worker: ExtractWorker) -> None:
        queue = self.queued[worker]
        try:
            status, index, pairs, errors, seconds = worker.receive()
        except (EOFError, OSError):
            self._lost(worker, worker.failure(_where(queue[0][1])))
            return
        _, item = queue.popleft()
        self.pace[worker] = seconds
        if status == "ok":
            self.done[index] = (pairs, errors)
            self.deadline[worker] = time.monotonic() + self.time_limit
        else:  # out of memory: the worker has stopped
            queue.appendleft((index, item))
            worker.stop()
            self._lost(worker, IngestError(_where(item), worker.memory_message()))

    def _check_time(self, worker: ExtractWorker) -> None:
        if self.queued[worker] and time.monotonic() >= self.deadline[worker]:
            worker.stop()
            self._lost(worker, worker.timeout(_where(self.queued[worker][0][1])))

    def _lost(self, worker: ExtractWorker, error: IngestError) -> None:
        """The worker has stopped on its current input: that one fails, the rest wait for another."""
        queue = self.queued[worker]
        index, _ = queue.popleft()
        self.done[index] = ([], [error])
        self.retry.extendleft(reversed(queue))
        queue.clear()


def _pipe(worker: ExtractWorker) -> Connection:
    """The pipe of a busy worker: one with inputs queued is running (a worker that stops is
    :meth:`_Pool._lost`, which empties its queue)."""
    pipe = worker.connection
    if pipe is None:
        raise RuntimeError("an extraction worker with inputs queued has stopped")
    return pipe


def _where(item: Item) -> str | Path:
    return item if isinstance(item, str) else Path(item)
