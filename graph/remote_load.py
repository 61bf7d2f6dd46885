"""Whole named graphs loaded into a remote SPARQL server in bulk, crash-safe: the server-side twin of
:mod:`graph.bulk`.

:class:`DatasetWriter` writes each batch of graphs (about ``bulk_triples`` triples, a graph never
split) in two requests:

1. one SPARQL update that empties the journal of the previous batch, lists this batch's graphs in
   the journal (:data:`graph.bulk.JOURNAL_GRAPH`, ``<journal> rdfs:member <graph>``) and drops
   them (``DROP SILENT GRAPH``), in that order;
2. one Graph Store protocol ``POST`` of the batch's N-Quads to the dataset
   (:meth:`graph.remote.RemoteStore.post_dataset`). Oxigraph server takes it at
   ``/store?no_transaction`` into its bulk loader, at about its offline loader's speed but not as
   one transaction (without the parameter it is one transaction, about half as fast).

Leaving the ``with`` block after the last batch went through empties the journal. A load killed
at any moment leaves each graph as it was, absent, or listed in the journal, maybe part written.
:func:`recover` (run by :func:`graph.loading.load_records` before it writes) drops the graphs the
journal lists, then the journal: every graph is then whole or absent, and a release graph
dropped that way has lost its content hash, so the load writes it again. A server that refuses
dataset ``POST`` requests gets the batch as chunked ``INSERT DATA`` updates instead
(:meth:`graph.remote.RemoteStore.replace_graphs`), under the same journal. One load at a time
per server: a second one would empty the first one's journal.

Examples
--------
>>> g = ox.NamedNode("https://example.org/g")
>>> print(journal_update([g]).replace(str(JOURNAL_GRAPH), "<journal>"))
DROP SILENT GRAPH <journal> ;
INSERT DATA { GRAPH <journal> {
<journal> <http://www.w3.org/2000/01/rdf-schema#member> <https://example.org/g> .
} } ;
DROP SILENT GRAPH <https://example.org/g>
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import pyoxigraph as ox

from graph.bulk import JOURNAL_GRAPH, BatchWriter
from graph.namespaces import RDFS
from graph.quads import parse_lines
from graph.remote import RemoteStore, insert_data

__all__ = ["DatasetWriter", "journal_update", "pending_graphs", "recover"]

log = logging.getLogger(__name__)

_MEMBER = ox.NamedNode(str(RDFS.member))
Graphs = Sequence[tuple[ox.NamedNode, Sequence[str]]]


def pending_graphs(store: RemoteStore) -> list[str]:
    """IRIs of the graphs the server's journal lists (a load that did not finish wrote them), sorted."""
    query = f"SELECT ?g WHERE {{ GRAPH {JOURNAL_GRAPH} {{ {JOURNAL_GRAPH} {_MEMBER} ?g }} }}"
    return sorted(row["g"].value for row in store.select(query) if isinstance(row["g"], ox.NamedNode))


def recover(store: RemoteStore) -> list[str]:
    """Drop the graphs an unfinished load was writing, then the journal (one update); return their IRIs."""
    pending = pending_graphs(store)
    if pending:
        drops = [f"DROP SILENT GRAPH {ox.NamedNode(graph)}" for graph in pending]
        store.update(" ;\n".join([*drops, f"DROP SILENT GRAPH {JOURNAL_GRAPH}"]))
        log.warning("an interrupted load left %d graphs on %s: dropped them", len(pending), store.location)
    return pending


def journal_update(names: Sequence[ox.NamedNode]) -> str:
    """The update that starts writing ``names``: the previous journal emptied, these listed, then dropped."""
    listed = [ox.Quad(JOURNAL_GRAPH, _MEMBER, name, JOURNAL_GRAPH) for name in names]
    parts = [f"DROP SILENT GRAPH {JOURNAL_GRAPH}", insert_data(JOURNAL_GRAPH, listed)]
    return " ;\n".join([*parts, *(f"DROP SILENT GRAPH {name}" for name in names)])


class DatasetWriter:
    """Write batches of whole graphs to a remote server (the module's two requests), in a background
    thread, one batch at a time, while the caller builds the next.

    :meth:`submit` takes what :func:`graph.bulk.write_graphs` takes: each graph's complete
    N-Quads lines. An error of a write is raised by the next :meth:`submit`, :meth:`wait` or the
    end of the ``with`` block, and leaves the journal listing that batch.

    Parameters
    ----------
    store : RemoteStore
        The server; its ``dataset_post`` chooses (or learns) how quads are sent.
    """

    def __init__(self, store: RemoteStore) -> None:
        self.store = store
        self._batches = BatchWriter(store, self._write)
        self._failed = False
        self.requests = 0
        """Requests sent so far."""

    def _write(self, store: RemoteStore, graphs: Graphs) -> int:
        if not graphs:
            return 0
        self._failed = True  # until the batch is in
        names = list(dict.fromkeys(name for name, _ in graphs))
        store.update(journal_update(names))
        self.requests += 1
        count = sum(len(lines) for _, lines in graphs)
        nquads = "".join(line for _, lines in graphs for line in lines).encode("utf-8")
        if store.post_dataset(nquads):
            self.requests += 1
        else:
            self.requests += store.replace_graphs((name, parse_lines(lines)) for name, lines in graphs)
        self._failed = False
        return count

    def submit(self, graphs: Graphs) -> None:
        """Wait for the batch being written, then start writing ``graphs``."""
        self._batches.submit(graphs)

    def wait(self) -> None:
        """Wait until no batch is being written."""
        self._batches.wait()

    @property
    def written(self) -> int:
        """Quads written by the batches done."""
        return self._batches.written

    def __enter__(self) -> DatasetWriter:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._batches.__exit__(*exc_info)
        if self.requests and not self._failed:
            self.store.update(f"DROP SILENT GRAPH {JOURNAL_GRAPH}")
            self.requests += 1
