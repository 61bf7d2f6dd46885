"""Reading and extracting each input in a worker process the tool can stop.

Every file (or URL) of a batch is read and extracted by a separate process under a time limit
(:data:`DEFAULT_TIME_LIMIT` seconds, ``--time-limit``) and a memory limit (the worker's address
space, :data:`DEFAULT_MEMORY_MB` MiB, ``--memory-limit``). When an input takes longer, the worker
is killed and the input reported as one error line; when it needs more memory, the allocation
fails in the worker, never in the tool. A new worker takes over for the rest of the batch.

Workers start from a fork server that has already imported the extractor, read the lexicon and
built the city table (:mod:`graph.extraction_preload`), so starting one costs a fork, not an
import, and its first release costs what any other does. This module and the preload live
outside :mod:`graph.cli`: neither the fork server nor a worker imports the command line (Typer,
Rich, the store, the HTTP client). :func:`start_fork_server` starts the server without waiting
for it, so that it gets ready while the tool goes on. A worker is sent its inputs in batches (one
message each) and answers each input on its own, so the tool can hold the limits per input while
the worker never waits for it between two inputs.

With ``as_json`` (``seckg extract``), a reply carries each record as the UTF-8 bytes of its JSON
line and, of its release, only the :class:`Origin` (id, path, URL): the tool writes the bytes as
they come and reads nothing else.

Examples
--------
>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "a.txt").write_text("Panama and Mexico signed a memorandum on border security.")
>>> with ExtractWorker(time_limit=60) as worker:
...     pairs, errors = worker.run(folder / "a.txt")
>>> [record.countries for record, _ in pairs], errors
([('MEX', 'PAN')], [])
>>> with ExtractWorker(time_limit=60, as_json=True) as worker:
...     ((line, origin),), _ = worker.run(folder / "a.txt")
>>> line.startswith(b'{"id": "a"'), origin.id, origin.path.endswith("a.txt")
(True, 'a', True)
"""

from __future__ import annotations

import contextlib
import json
import logging
import multiprocessing
import multiprocessing.forkserver
import os
import time
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from types import TracebackType
from typing import NamedTuple

from graph.ingest import IngestError
from graph.model import Record, Release

__all__ = [
    "DEFAULT_MEMORY_MB",
    "DEFAULT_TIME_LIMIT",
    "ExtractWorker",
    "Origin",
    "Reply",
    "Result",
    "ensure_fork_server",
    "extract_item",
    "process_context",
    "start_fork_server",
]

log = logging.getLogger(__name__)

#: Seconds one input (a file, or a URL with what it links to) may take to be read and extracted.
DEFAULT_TIME_LIMIT = 60.0
#: Address space of the worker, in MiB (the tool itself, and the machine, keep the rest).
DEFAULT_MEMORY_MB = 2048
_START_TIMEOUT = 60.0
#: The module the fork server imports before it forks any worker.
_PRELOAD = "graph.extraction_preload"


class Origin(NamedTuple):
    """What the tool needs of a release beside its JSON line: its id and where it was read.

    ``path or url or id`` names the release when its id is already used in the batch (see
    :func:`graph.cli._batch.extracted_releases`). A tuple: the cheapest reply to send and read.
    """

    id: str
    path: str | None = None
    url: str | None = None


#: An input's ``(record, release)`` pairs (``(JSON line, Origin)`` with ``as_json``) and errors.
Result = tuple[list[tuple[Record | bytes, Release | Origin]], list[IngestError]]
#: A worker's answer for one input: status (``"ok"``, ``"memory"``), input number, pairs, errors,
#: and the seconds the worker spent on it (the pool's measure of the worker's pace).
Reply = tuple[str, int, list[tuple[Record | bytes, Release | Origin]], list[IngestError], float]


def extract_item(
    item: str | os.PathLike[str],
    *,
    fetch_linked: bool = False,
    allow_private: bool = False,
    as_json: bool = False,
) -> Result:
    """Read one input and extract its releases; every failure is an :class:`IngestError` in the list.

    With ``as_json``, each record comes as the UTF-8 bytes of its JSON line (without the line
    end) and each release as its :class:`Origin`: what ``seckg extract`` writes and needs, made
    where the record is, so the tool only copies bytes (and a worker's reply is a few strings,
    not a tree of objects to rebuild).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "b.txt"
    >>> _ = path.write_text("Canada and Mexico signed a memorandum of understanding on customs.")
    >>> ((record, release),), errors = extract_item(path)
    >>> record.countries, release.id, errors
    (('CAN', 'MEX'), 'b', [])
    >>> ((line, origin),), _ = extract_item(path, as_json=True)
    >>> json.loads(line)["countries"], origin == Origin("b", str(path))
    (['CAN', 'MEX'], True)
    """
    from graph.extract import extract
    from graph.ingest import read_item

    errors: list[IngestError] = []
    pairs: list[tuple[Record | bytes, Release | Origin]] = []
    try:
        releases = read_item(
            item, on_error=errors.append, fetch_linked=fetch_linked, allow_private=allow_private
        )
    except IngestError as err:
        return [], [err]
    for release in releases:
        where = release.path or release.url or release.id
        try:
            record = extract(release)
            if as_json:
                line = json.dumps(record.to_dict(), ensure_ascii=False).encode("utf-8")
                pairs.append((line, Origin(release.id, release.path, release.url)))
            else:
                pairs.append((record, release))
        except RecursionError:
            errors.append(IngestError(where, "extraction failed: nested too deeply"))
        except MemoryError:
            raise
        except Exception as exc:  # an extractor bug must not stop the batch
            errors.append(IngestError(where, f"extraction failed: {type(exc).__name__}: {exc}"))
    return pairs, errors


def _serve(conn, memory_mb: int | None, fetch_linked: bool, allow_private: bool, as_json: bool) -> None:
    from graph.console import warnings_to_stderr
    from graph.isolation import limit_memory

    warnings_to_stderr()  # a worker's warnings read as the tool's own ("warning: FILE: ...")
    limit_memory(memory_mb * 1024 * 1024 if memory_mb else None)
    conn.send("ready")
    options = {"fetch_linked": fetch_linked, "allow_private": allow_private, "as_json": as_json}
    while True:
        try:
            batch = conn.recv()
        except (EOFError, OSError):
            return
        for index, item in batch:
            started = time.perf_counter()
            try:
                reply = ("ok", index, *extract_item(item, **options), time.perf_counter() - started)
            except MemoryError:
                reply = ("memory", index, [], [], time.perf_counter() - started)
            try:
                conn.send(reply)
            except MemoryError:
                reply = ("memory", index, [], [], time.perf_counter() - started)
                conn.send(reply)
            if reply[0] == "memory":
                return  # the heap may be in any state: a new worker takes over


ProcessContext = multiprocessing.context.ForkServerContext | multiprocessing.context.SpawnContext


def process_context() -> ProcessContext:
    """Where the tool's worker processes start from: multiprocessing's fork server where the
    platform has one (no fork of a threaded process), else fresh interpreters.

    >>> process_context().get_start_method() in ("forkserver", "spawn")
    True
    """
    if "forkserver" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("forkserver")
    return multiprocessing.get_context("spawn")


def _context() -> ProcessContext:
    """Workers start from a fork server that has read the lexicon and built the city table once:
    each new worker starts with them in memory (and shares their pages), without building them."""
    context = process_context()
    if isinstance(context, multiprocessing.context.ForkServerContext):
        context.set_forkserver_preload([_PRELOAD])
    return context


def start_fork_server() -> None:
    """Start the workers' fork server now, without waiting for it to be ready.

    The server imports the extractor and builds its tables (a second or so) while the caller goes
    on; the first :class:`ExtractWorker` to start waits only for what is left. Nothing to do where
    workers are spawned (no fork server on the platform) or when the server already runs.

    Examples
    --------
    >>> start_fork_server()
    """
    ensure_fork_server(_context())


def ensure_fork_server(context: multiprocessing.context.BaseContext) -> None:
    """Start multiprocessing's fork server if ``context`` starts its processes from one and it is
    not running, with the working directory left off its ``sys.path``.

    The server runs as ``python -c ...``, which puts the working directory first on ``sys.path``,
    and imports its preload modules before anything else: run from a folder that holds a
    ``graph/`` package of its own (a checkout of seckg, another project's package of that name),
    the workers would import that package instead of the installed one (Python 3.11 passes the
    parent's ``sys.path`` to the server but does not apply it). ``PYTHONSAFEPATH=1`` (Python 3.11
    and later) keeps the working directory off; it is set only while the server starts.

    Examples
    --------
    >>> ensure_fork_server(multiprocessing.get_context())
    """
    if context.get_start_method() != "forkserver":
        return
    saved = os.environ.get("PYTHONSAFEPATH")
    os.environ["PYTHONSAFEPATH"] = "1"
    try:
        multiprocessing.forkserver.ensure_running()
    finally:
        if saved is None:
            os.environ.pop("PYTHONSAFEPATH", None)
        else:
            os.environ["PYTHONSAFEPATH"] = saved


class ExtractWorker:
    """A worker process that reads and extracts the inputs it is sent, in order, one reply each.

    :meth:`submit` sends a batch of ``(index, item)`` pairs in one message; :meth:`receive` waits
    for the next reply, ``(status, index, pairs, errors, seconds)`` with status ``"ok"`` or ``"memory"``
    (the worker then stops). :meth:`run` does both for one input and turns a limit exceeded into
    an :class:`IngestError` naming it. A stopped worker starts again on the next submit.

    Parameters
    ----------
    time_limit : float
        Seconds per input; then the worker is killed and the input reported.
    memory_mb : int, optional
        Address-space limit of the worker in MiB (``None``: no limit).
    fetch_linked, allow_private : bool
        Passed to :func:`graph.ingest.read_item`.
    as_json : bool
        Records as the bytes of their JSON lines, releases as their :class:`Origin` (see
        :func:`extract_item`).
    """

    def __init__(
        self,
        *,
        time_limit: float = DEFAULT_TIME_LIMIT,
        memory_mb: int | None = DEFAULT_MEMORY_MB,
        fetch_linked: bool = False,
        allow_private: bool = False,
        as_json: bool = False,
    ) -> None:
        self.time_limit = time_limit
        self.memory_mb = memory_mb
        self._options = (memory_mb, fetch_linked, allow_private, as_json)
        self._ctx = _context()
        self._process: BaseProcess | None = None
        self._conn: Connection | None = None

    def _start(self) -> None:
        ensure_fork_server(self._ctx)
        parent, child = self._ctx.Pipe()
        process = self._ctx.Process(target=_serve, args=(child, *self._options), daemon=True)
        process.start()
        child.close()
        self._process, self._conn = process, parent
        if not parent.poll(_START_TIMEOUT) or parent.recv() != "ready":
            self.stop()
            raise RuntimeError("the extraction worker did not start")

    @property
    def connection(self) -> Connection | None:
        """The pipe to the worker (to wait for its replies), ``None`` if stopped."""
        return self._conn

    def _pipe(self) -> Connection:
        """The pipe to the running worker; ``EOFError`` (as from a worker that died) if stopped."""
        if self._conn is None:
            raise EOFError("the extraction worker is stopped")
        return self._conn

    def stop(self) -> None:
        """Kill the worker now (its pending inputs are lost); the next submit starts another."""
        if self._process is not None:
            self._process.kill()
            self._process.join(5)
        if self._conn is not None:
            self._conn.close()
        self._process = self._conn = None

    def exit_code(self) -> int | None:
        """The worker's exit status once it has ended (``None`` while it runs)."""
        return self._process.exitcode if self._process is not None else None

    def submit(self, batch: list[tuple[int, str | os.PathLike[str]]]) -> None:
        """Send ``(index, item)`` pairs to read and extract, in one message."""
        if self._process is None or not self._process.is_alive():
            self.stop()
            self._start()
        self._pipe().send(batch)

    def receive(self) -> Reply:
        """The next reply (raises ``EOFError`` or ``OSError`` if the worker died)."""
        return self._pipe().recv()

    def run(self, item: str | os.PathLike[str]) -> Result:
        """Read and extract ``item``; limits exceeded become an :class:`IngestError` naming it."""
        where = item if isinstance(item, str) else Path(item)
        try:
            self.submit([(0, item)])
            if self._pipe().poll(self.time_limit):
                status, _, pairs, errors, _ = self.receive()
                if status == "ok":
                    return pairs, errors
                self.stop()
                return [], [IngestError(where, self.memory_message())]
        except (EOFError, OSError):
            return [], [self.failure(where)]
        self.stop()
        return [], [self.timeout(where)]

    def failure(self, where: str | os.PathLike[str]) -> IngestError:
        """The error of an input whose worker died; the worker is stopped."""
        if self._process is not None:
            self._process.join(1)  # a worker that just died has its exit status a moment later
        code = self.exit_code()
        self.stop()
        reason = self.memory_message() if code is not None and code < 0 else "the worker failed"
        return IngestError(where, f"{reason} (worker exit status {code})")

    def timeout(self, where: str | os.PathLike[str]) -> IngestError:
        """The error of an input over the time limit (the caller has stopped the worker)."""
        log.info("%s: worker killed after %.1f s", where, self.time_limit)
        return IngestError(
            where, f"took longer than {self.time_limit:g} s to read and extract (--time-limit); skipped"
        )

    def memory_message(self) -> str:
        """The reason given for an input over the memory limit."""
        limit = f"{self.memory_mb} MiB" if self.memory_mb else "the machine's memory"
        return f"needs more memory than {limit} to read and extract (--memory-limit); skipped"

    def close(self) -> None:
        """Stop the worker."""
        if self._conn is not None:
            with contextlib.suppress(OSError):
                self._conn.close()
        if self._process is not None:
            self._process.join(2)
            if self._process.is_alive():
                self._process.kill()
                self._process.join(5)
        self._process = self._conn = None

    def __enter__(self) -> ExtractWorker:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
