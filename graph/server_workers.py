"""Query processes for the endpoint: every query on a local store runs in a worker process that is
killed when its time is up, so a runaway query (a huge aggregate) never keeps burning CPU.

Workers read a snapshot of the store (a RocksDB checkpoint made with ``Store.backup``, hard links
and cheap; an in-memory store is copied instead), opened read-only. A SPARQL update on a writable
server refreshes the snapshot; workers of the old snapshot are retired.

Examples
--------
>>> import pyoxigraph as ox
>>> pool = QueryProcesses(ox.Store(), workers=1, timeout=10, max_rows=10)
>>> pool.run("ASK {}", (), (), "application/sparql-results+json")
(200, b'{"head": {}, "boolean": true}', {})
>>> pool.close()
"""

from __future__ import annotations

import atexit
import logging
import multiprocessing
import os
import shutil
import tempfile
import threading
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

import pyoxigraph as ox

from graph.extraction_worker import ensure_fork_server, process_context

__all__ = ["QueryProcesses", "remove_stale_snapshots", "snapshot"]

log = logging.getLogger(__name__)

_STARTUP_TIMEOUT = 60.0
_MEMORY_MESSAGE = "the query needs more memory than {} MiB (--max-memory)\n"
_PREFIX = "seckg-serve-"


def snapshot(store: ox.Store, target: Path) -> Path:
    """Write a read-only copy of ``store`` to the new directory ``target`` and return it."""
    try:
        store.backup(str(target))
    except RuntimeError:  # an in-memory store cannot be backed up: copy its quads
        copy = ox.Store(str(target))
        copy.bulk_extend(iter(store))
        copy.flush()
        del copy
    return target


def remove_stale_snapshots() -> list[Path]:
    """Delete the snapshots that servers killed without a chance to clean up left in the temporary
    folder (their process is gone); return what was removed.

    Examples
    --------
    >>> isinstance(remove_stale_snapshots(), list)
    True
    """
    removed = []
    for folder in Path(tempfile.gettempdir()).glob(f"{_PREFIX}*-*"):
        pid = folder.name[len(_PREFIX) :].split("-", 1)[0]
        if not pid.isdigit() or not folder.is_dir():
            continue
        try:
            os.kill(int(pid), 0)
            continue  # its server still runs
        except ProcessLookupError:
            pass
        except (PermissionError, OverflowError, OSError):
            continue
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(folder)
    return removed


def _serve_jobs(conn, path: str, max_memory: int | None = None, max_answer: int | None = None) -> None:
    # runs in the worker process
    from graph.isolation import isolate_network, limit_memory
    from graph.query import QueryError, QueryRefused, QueryTimeout, run_query
    from graph.results import serialize_media

    isolated = isolate_network()  # no address is reachable from here (when the platform allows)
    store = ox.Store.read_only(path)
    limit_memory(max_memory)  # an allocation past it fails here, in this process only
    conn.send(("ready", isolated))
    while True:
        try:
            job = conn.recv()
        except EOFError:
            return
        text, default_graphs, named_graphs, media, max_rows = job
        try:
            result = run_query(
                store, text, default_graph_uris=default_graphs, named_graph_uris=named_graphs,
                max_rows=max_rows, declared=(),
            )  # fmt: skip
            headers = {"SECKG-Truncated": "true"} if result.truncated else {}
            body = serialize_media(result, media)
            if max_answer is not None and len(body) > max_answer:
                message = (
                    f"the answer is larger than {max_answer // 2**20} MiB (--max-answer): "
                    "ask for fewer rows (LIMIT) or fewer columns\n"
                )
                conn.send((503, message.encode(), {}))
                continue
            del result
            conn.send((200, body, headers))
        except MemoryError:
            conn.send((503, _MEMORY_MESSAGE.format(max_memory // 2**20 if max_memory else 0).encode(), {}))
            return  # the heap may be in any state: a new worker takes over
        except QueryRefused as err:
            conn.send((403, f"{err}\n".encode(), {}))
        except QueryTimeout as err:
            conn.send((503, f"{err}\n".encode(), {}))
        except QueryError as err:
            conn.send((400, f"query error: {err}\n".encode(), {}))
        except Exception as err:  # report, keep serving
            conn.send((500, f"query failed: {err}\n".encode(), {}))


@dataclass
class _Worker:
    process: multiprocessing.process.BaseProcess
    conn: Connection
    generation: int

    def kill(self) -> None:
        self.process.kill()
        self.process.join(5)
        self.conn.close()


class QueryProcesses:
    """A small pool of query processes over a snapshot of ``store``.

    Parameters
    ----------
    store : pyoxigraph.Store
    workers : int
        Queries that may run at once; more wait for a free slot (up to ``timeout``).
    timeout : float
        Seconds a query may take; then its process is killed and the client gets 503.
    max_rows : int
        Most rows (or triples) in one answer.
    """

    def __init__(
        self,
        store: ox.Store,
        *,
        workers: int,
        timeout: float,
        max_rows: int,
        max_memory: int | None = None,
        max_answer: int | None = None,
    ):
        self.timeout = timeout
        self.max_rows = max_rows
        self.max_memory = max_memory
        self.max_answer = max_answer
        remove_stale_snapshots()
        self._dir = Path(tempfile.mkdtemp(prefix=f"{_PREFIX}{os.getpid()}-"))
        atexit.register(shutil.rmtree, self._dir, True)
        self._generation = 0
        self._path = snapshot(store, self._dir / "snapshot-0")
        self._ctx = process_context()
        self._idle: list[_Worker] = []
        self._lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(workers)
        self._closed = False
        #: Whether the last worker started has no network at all (a namespace of its own).
        self.network_isolated = False

    def refresh(self, store: ox.Store) -> None:
        """Take a new snapshot after a write; idle workers of the old one are retired."""
        with self._lock:
            self._generation += 1
            self._path = snapshot(store, self._dir / f"snapshot-{self._generation}")
            stale, self._idle = self._idle, []
        for worker in stale:
            worker.kill()

    def _start(self) -> _Worker:
        with self._lock:
            path, generation = self._path, self._generation
        ensure_fork_server(self._ctx)  # the working directory off the workers' sys.path
        parent, child = self._ctx.Pipe()
        process = self._ctx.Process(
            target=_serve_jobs, args=(child, str(path), self.max_memory, self.max_answer), daemon=True
        )
        process.start()
        child.close()
        worker = _Worker(process, parent, generation)
        try:
            hello = parent.recv() if parent.poll(_STARTUP_TIMEOUT) else None
        except (EOFError, OSError):
            hello = None
        if not (isinstance(hello, tuple) and hello[0] == "ready"):
            worker.kill()
            raise RuntimeError("a query worker did not start")
        self.network_isolated = bool(hello[1])
        return worker

    def _take(self) -> _Worker:
        with self._lock:
            while self._idle:
                worker = self._idle.pop()
                if worker.generation == self._generation and worker.process.is_alive():
                    return worker
                worker.kill()
        return self._start()

    def _give_back(self, worker: _Worker) -> None:
        with self._lock:
            if not self._closed and worker.generation == self._generation:
                self._idle.append(worker)
                return
        worker.kill()

    def run(self, text: str, default_graphs, named_graphs, media: str) -> tuple[int, bytes, dict]:
        """Run one query; return ``(HTTP status, body, extra headers)``."""
        if not self._slots.acquire(timeout=self.timeout):
            return 503, b"all query workers are busy; try again later\n", {}
        try:
            try:
                worker = self._take()
            except (RuntimeError, OSError) as err:
                log.error("a query worker could not start: %s", err)
                return 503, b"a query worker could not start; try again later\n", {}
            try:
                worker.conn.send((text, list(default_graphs), list(named_graphs), media, self.max_rows))
                if worker.conn.poll(self.timeout):
                    reply = worker.conn.recv()
                    self._give_back(worker)
                    return reply
            except (EOFError, OSError):
                worker.kill()
                code = worker.process.exitcode
                log.warning("a query worker ended (exit status %s)", code)
                if self.max_memory:  # Oxigraph aborts when an allocation fails
                    limit = self.max_memory // 2**20
                    return 503, f"the query worker ended: {_MEMORY_MESSAGE.format(limit)}".encode(), {}
                return 500, f"the query worker ended (exit status {code})\n".encode(), {}
            worker.kill()
            log.info("query killed after %.1f s", self.timeout)
            return 503, f"query timed out after {self.timeout:g} s\n".encode(), {}
        finally:
            self._slots.release()

    def close(self) -> None:
        """Stop every worker and delete the snapshots."""
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
        for worker in idle:
            worker.kill()
        shutil.rmtree(self._dir, ignore_errors=True)
