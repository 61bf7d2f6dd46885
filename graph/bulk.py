"""Whole named graphs written into an embedded Oxigraph store through its bulk loader, crash-safe.

pyoxigraph's bulk loader (:meth:`pyoxigraph.Store.bulk_load`) sorts quads into files that
RocksDB ingests whole, every index at once: several times faster than a transaction, and each
quad lands in all indexes or in none, but one call is not one transaction. A kill in the middle
can leave part of a graph, or a graph whose old content was dropped and whose new one is not in
yet. A journal makes the writes safe. :func:`write_graphs`

1. lists the graphs it is about to write in :data:`JOURNAL_GRAPH` (one transaction),
2. removes their old content and flushes the store (so the list and the removals are on disk
   before any new quad is),
3. bulk-loads the new quads,
4. empties the journal (one transaction).

A process killed at any point leaves each graph as it was, or listed in the journal.
:class:`BatchWriter` runs :func:`write_graphs` in a background thread, one batch at a time, so
the caller builds the next batch while the bulk loader (which lets go of the GIL) writes.
:func:`recover` (run when :func:`graph.store.open_store` opens a store for writing, and before every
load) removes the graphs the journal lists, then the journal: every graph is then whole or absent.
A release graph removed this way has lost its content hash with its content, so the next load
writes it again. :func:`remove_orphan_files` deletes the bulk loader's temporary files such a
kill leaves in the store's directory (Oxigraph does not).

Examples
--------
>>> import pyoxigraph as ox
>>> store = ox.Store()
>>> g, p = ox.NamedNode("https://example.org/g"), ox.NamedNode("https://example.org/p")
>>> line = f'<https://example.org/s> {p} "1" {g} .\\n'
>>> write_graphs(store, [(g, [line])])
1
>>> len(store), pending_graphs(store)
(1, [])
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from graph.namespaces import GRAPH, RDFS

__all__ = ["JOURNAL_GRAPH", "BatchWriter", "pending_graphs", "recover", "remove_orphan_files", "write_graphs"]

log = logging.getLogger(__name__)

JOURNAL_GRAPH = ox.NamedNode(str(GRAPH["load-journal"]))
"""Graphs being written: ``<journal> rdfs:member <graph>``, in the journal graph itself."""
_MEMBER = ox.NamedNode(str(RDFS.member))


def pending_graphs(store: ox.Store) -> list[ox.NamedNode]:
    """The graphs the journal lists: written by a load that did not finish, sorted.

    >>> pending_graphs(ox.Store())
    []
    """
    found = store.quads_for_pattern(JOURNAL_GRAPH, _MEMBER, None, JOURNAL_GRAPH)
    return sorted((q.object for q in found if isinstance(q.object, ox.NamedNode)), key=str)


def recover(store: ox.Store) -> list[str]:
    """Remove the graphs an unfinished load was writing, then the journal; return their IRIs.

    >>> store = ox.Store()
    >>> g = ox.NamedNode("https://example.org/half-written")
    >>> store.extend([ox.Quad(JOURNAL_GRAPH, _MEMBER, g, JOURNAL_GRAPH), ox.Quad(g, g, g, g)])
    >>> recover(store), len(store)
    (['https://example.org/half-written'], 0)
    """
    pending = pending_graphs(store)
    for graph in pending:
        store.remove_graph(graph)
    if store.contains_named_graph(JOURNAL_GRAPH):
        store.remove_graph(JOURNAL_GRAPH)
    if pending:
        store.flush()
        log.warning("an interrupted load left %d graphs half written: removed them", len(pending))
    return [graph.value for graph in pending]


def remove_orphan_files(directory: str | os.PathLike[str]) -> int:
    """Delete the bulk loader's temporary files that a killed load left in a store directory.

    pyoxigraph's bulk loader writes ``bulk-<random>.sst`` files in the store's directory and moves
    them into the database when it ingests them, so those left behind are orphans. Call this only
    while holding the store open for writing (its lock), when no load can be under way. Returns
    how many files were deleted.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "bulk-123.sst").write_bytes(b"x"), (folder / "000012.sst").write_bytes(b"x")
    >>> remove_orphan_files(folder), sorted(p.name for p in folder.iterdir())
    (1, ['000012.sst'])
    """
    orphans = sorted(Path(directory).glob("bulk-*.sst"))
    for path in orphans:
        path.unlink(missing_ok=True)
    if orphans:
        log.warning("deleted %d temporary files of an interrupted bulk load", len(orphans))
    return len(orphans)


def write_graphs(store: ox.Store, graphs: Sequence[tuple[ox.NamedNode, Sequence[str]]]) -> int:
    """Replace each graph by its quads as a whole (see the module's steps); return the quads written.

    Parameters
    ----------
    store : pyoxigraph.Store
        A local store (a directory or in memory) with no load of another process under way
        (Oxigraph's lock sees to that for a directory) and an empty journal (:func:`recover`).
    graphs : sequence of (graph name, N-Quads lines)
        Each graph's complete new content, one quad a line (each ending in a newline, as
        :func:`graph.quads.record_nquads` makes them); every quad's graph name must be its graph.
        A graph named twice gets the union of its quads.

    Returns
    -------
    int
        The number of quads handed to the bulk loader.
    """
    if not graphs:
        return 0
    names = list(dict.fromkeys(name for name, _ in graphs))
    store.extend([ox.Quad(JOURNAL_GRAPH, _MEMBER, name, JOURNAL_GRAPH) for name in names])
    for name in names:
        if store.contains_named_graph(name):
            store.remove_graph(name)
    store.flush()
    count = sum(len(lines) for _, lines in graphs)
    store.bulk_load("".join(line for _, lines in graphs for line in lines), format=ox.RdfFormat.N_QUADS)
    store.remove_graph(JOURNAL_GRAPH)
    return count


class BatchWriter:
    """Write batches of graphs with :func:`write_graphs` (or ``write``) in a background thread, one
    at a time.

    :meth:`submit` waits for the batch being written, then starts the next; leaving the ``with``
    block waits for the last one, also when the block raised. An error of a write is raised by
    the next :meth:`submit` or :meth:`wait`.

    >>> store = ox.Store()
    >>> g = ox.NamedNode("https://example.org/g")
    >>> with BatchWriter(store) as writer:
    ...     writer.submit([(g, [f'{g} {g} "1" {g} .\\n'])])
    ...     writer.submit([(g, [f'{g} {g} "2" {g} .\\n'])])
    >>> writer.written, [q.object.value for q in store]
    (2, ['2'])
    """

    def __init__(
        self,
        store: ox.Store | Any,
        write: Callable[[Any, Sequence[tuple[ox.NamedNode, Sequence[str]]]], int] | None = None,
    ) -> None:
        self._store = store
        self._write = write or write_graphs
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="seckg-bulk")
        self._running: Future[int] | None = None
        self.written = 0
        """Quads written by the batches done."""

    def submit(self, graphs: Sequence[tuple[ox.NamedNode, Sequence[str]]]) -> None:
        """Wait for the batch being written, then start writing ``graphs`` (as :func:`write_graphs`
        does, or the ``write`` function given)."""
        self.wait()
        self._running = self._pool.submit(self._write, self._store, graphs)

    def wait(self) -> None:
        """Wait until no batch is being written."""
        running, self._running = self._running, None
        if running is not None:
            self.written += running.result()

    def __enter__(self) -> BatchWriter:
        return self

    def __exit__(self, *exc_info: object) -> None:
        try:
            self.wait()
        finally:
            self._pool.shutdown()
