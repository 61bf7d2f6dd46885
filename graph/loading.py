"""Writing releases into the store, then resolving them across releases.

Each release lives in its own named graph. :func:`load_records` writes many releases in batches,
in a background thread while the next batch is built, made crash-safe by a journal (a load
killed part-way leaves each release whole or absent, and the next load writes the absent ones):
locally through pyoxigraph's bulk loader in batches of about :data:`BATCH_TRIPLES` triples
(:mod:`graph.bulk`); on a remote server as Graph Store protocol ``POST`` requests of N-Quads of
about ``bulk_triples`` triples each, or SPARQL updates of ``chunk_triples`` if the server takes no
such request (:mod:`graph.remote_load`). On a remote server the stored states of :data:`LOOKAHEAD` releases
are read in one query (:func:`graph.store.graph_states`).
:func:`ingest_record` writes one release in one transaction (``DROP SILENT GRAPH`` +
``INSERT DATA`` in one update). Either way a release whose content hash and extractor version are
unchanged is not written again, and a changed one replaces its graph as a whole. After a batch,
:func:`load_records` rebuilds the resolution graph (:func:`graph.resolve.store_io.resolve_store`),
so instruments, not reports, are what the store counts; :func:`remove_releases` drops releases
and resolves again.

Examples
--------
>>> from graph.model import Record
>>> from graph.store import export, open_store
>>> store = open_store(":memory:")
>>> ingest_record(store, Record(id="r1", countries=("PAN",))).status
'added'
>>> ingest_record(store, Record(id="r1", countries=("PAN",))).status
'unchanged'
>>> b"/graph/release/r1>" in export(store, "nquads")
True
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone

import pyoxigraph as ox

from graph import remote_load
from graph.bulk import BatchWriter, recover
from graph.model import Record, Release
from graph.namespaces import REFERENCE_GRAPH
from graph.quads import parse_lines, record_nquads
from graph.reference import reference_graph
from graph.resolve.store_io import ResolveSummary, resolve_store
from graph.resources import reference_sources_hash
from graph.store import RemoteStore, StoreLike, graph_names, graph_state, graph_states, replace_graph
from graph.triples import record_content_hash, release_content_hash, release_graph_iri

__all__ = [
    "BATCH_TRIPLES",
    "LOOKAHEAD",
    "IngestResult",
    "IngestSummary",
    "ensure_reference_graph",
    "ingest_record",
    "load_records",
    "remove_releases",
]

log = logging.getLogger(__name__)

BATCH_TRIPLES = 250_000
"""Triples :func:`load_records` gathers before it writes them to a local store (one bulk load)."""
LOOKAHEAD = 500
"""Releases whose stored states :func:`load_records` reads in one query from a remote server."""


@dataclass(frozen=True)
class IngestResult:
    """What ingesting one record did: ``status`` is ``added``, ``replaced`` or ``unchanged``."""

    release_id: str
    graph: str
    status: str
    triples: int


@dataclass
class IngestSummary:
    """Counts over one ingest run."""

    added: int = 0
    replaced: int = 0
    unchanged: int = 0
    triples_written: int = 0
    results: list[IngestResult] = field(default_factory=list)
    resolution: ResolveSummary | None = None

    def count(self, result: IngestResult) -> None:
        """Add one result to the counts."""
        setattr(self, result.status, getattr(self, result.status) + 1)
        if result.status != "unchanged":
            self.triples_written += result.triples
        self.results.append(result)


@dataclass(frozen=True)
class _Written:
    """A graph ready to be written: what ingesting it did, its N-Quads lines and the state they record."""

    result: IngestResult
    lines: list[str]
    state: tuple[str, str]


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _prepare(
    store: StoreLike,
    record: Record,
    release: Release | None,
    extractor_version: str,
    force: bool,
    generated_at: str | None,
    states: Callable[[str], tuple[str | None, str | None] | None] = lambda graph: None,
) -> _Written | IngestResult:
    """The graph to write for ``record``, or the ``unchanged`` result when there is none to write.

    ``states`` gives the state of a graph prepared but not in the store yet, which wins over the
    store's.
    """
    if release is not None:
        content_hash = release_content_hash(release)
    else:  # the release's hash when the record carries it (extract's records do)
        content_hash = record.content_hash or record_content_hash(record)
    graph = str(release_graph_iri(record.id))
    old_hash, old_version = states(graph) or graph_state(store, graph)
    if not force and old_hash == content_hash and old_version == extractor_version:
        return IngestResult(record.id, graph, "unchanged", 0)
    lines = record_nquads(
        record,
        release,
        extractor_version=extractor_version,
        content_hash=content_hash,
        generated_at=generated_at or _now(),
    )
    status = "added" if old_hash is None else "replaced"
    return _Written(
        IngestResult(record.id, graph, status, len(lines)), lines, (content_hash, extractor_version)
    )


def _version() -> str:
    from graph import __version__

    return __version__


def ingest_record(
    store: StoreLike,
    record: Record,
    release: Release | None = None,
    *,
    extractor_version: str | None = None,
    force: bool = False,
    generated_at: str | None = None,
) -> IngestResult:
    """Write ``record``'s graph unless the store already holds it for the same input and version.

    The content hash is :func:`~graph.model.release_content_hash` of ``release`` when given, else the
    ``content_hash`` the record carries, else
    :func:`~graph.triples.record_content_hash` of ``record``; ``force`` rewrites regardless.
    """
    prepared = _prepare(store, record, release, extractor_version or _version(), force, generated_at)
    if isinstance(prepared, IngestResult):
        return prepared
    replace_graph(store, prepared.result.graph, parse_lines(prepared.lines))
    log.debug("%s %s (%d triples)", prepared.result.status, prepared.result.graph, prepared.result.triples)
    return prepared.result


def ensure_reference_graph(store: StoreLike, *, force: bool = False) -> bool:
    """(Re)write the reference graph when its sources changed; return whether it was written."""
    if not force and graph_state(store, str(REFERENCE_GRAPH)) == (reference_sources_hash(), _version()):
        return False
    graph = reference_graph()
    replace_graph(store, str(REFERENCE_GRAPH), [(s, p, o, REFERENCE_GRAPH) for s, p, o in graph])
    log.info("reference graph written (%d triples)", len(graph))
    return True


def load_records(
    store: StoreLike,
    items: Iterable[Record | tuple[Record, Release | None]],
    *,
    extractor_version: str | None = None,
    force: bool = False,
    generated_at: str | None = None,
    on_result: Callable[[IngestResult], None] | None = None,
    resolve: bool = True,
    batch_triples: int | None = None,
) -> IngestSummary:
    """Ingest many records (each alone or with its release) and the reference graph, then resolve.

    Parameters
    ----------
    store : StoreLike
        A local store (graphs are bulk-loaded in batches, see :mod:`graph.bulk`) or a remote one
        (graphs are posted in batches, see :mod:`graph.remote_load`); an earlier load that was
        killed is mended first.
    items : iterable of Record or (Record, Release or None)
        Read once, lazily: only the current batch is held in memory.
    extractor_version : str, optional
        Default ``graph.__version__``; a release recorded with another version is rewritten.
    force : bool
        Rewrite every release, changed or not.
    generated_at : str, optional
        The provenance time stamp (default: now, per graph written).
    on_result : callable, optional
        Called with each record's result once its graph is prepared (for progress bars).
    resolve : bool
        Rebuild the resolution graph afterwards (the default), whether or not anything changed.
    batch_triples : int, optional
        Triples gathered before a write: default :data:`BATCH_TRIPLES` locally,
        ``store.bulk_triples`` on a remote store (``store.chunk_triples`` if it takes no dataset
        ``POST``).

    Returns
    -------
    IngestSummary
        What happened to each record.
    """
    version = extractor_version or _version()
    remote = isinstance(store, RemoteStore)
    if isinstance(store, RemoteStore):
        remote_load.recover(store)
        limit = store.chunk_triples if store.dataset_post is False else store.bulk_triples
    else:
        recover(store)
        limit = BATCH_TRIPLES
    ensure_reference_graph(store)
    limit = batch_triples or limit
    summary = IngestSummary()
    pending: dict[str, _Written] = {}  # the batch being prepared
    writing: dict[str, tuple[str, str]] = {}  # the states of the batch being written
    known: dict[str, tuple[str, str | None]] = {}  # remote: the states of the releases read ahead

    def state(graph: str) -> tuple[str | None, str | None] | None:
        if graph in pending:
            return pending[graph].state
        return known.get(graph, (None, None)) if remote else writing.get(graph)

    with remote_load.DatasetWriter(store) if isinstance(store, RemoteStore) else BatchWriter(store) as writer:
        size = 0
        for group in _groups(items, LOOKAHEAD if remote else 1):
            if remote:  # the group's states: the store's, but those of graphs not written yet first
                graphs = [str(release_graph_iri(record.id)) for record, _ in group]
                known = {**writing, **{graph: written.state for graph, written in pending.items()}}
                known.update(graph_states(store, [g for g in dict.fromkeys(graphs) if g not in known]))
            for record, release in group:
                prepared = _prepare(store, record, release, version, force, generated_at, state)
                if isinstance(prepared, _Written):
                    earlier = pending.pop(prepared.result.graph, None)  # the same release twice in a batch
                    size += prepared.result.triples - (earlier.result.triples if earlier else 0)
                    pending[prepared.result.graph] = prepared
                    known[prepared.result.graph] = prepared.state
                    if size >= limit:
                        writing = _write(writer, pending)
                        pending, size = {}, 0
                    prepared = prepared.result
                summary.count(prepared)
                if on_result is not None:
                    on_result(prepared)
        if pending:
            _write(writer, pending)
    if resolve:
        summary.resolution = resolve_store(store)
    if not isinstance(store, RemoteStore):
        store.flush()
    return summary


def _groups(
    items: Iterable[Record | tuple[Record, Release | None]], size: int
) -> Iterator[list[tuple[Record, Release | None]]]:
    """``items`` as (record, release) pairs, in lists of ``size`` (the last one shorter)."""
    pairs = (item if isinstance(item, tuple) else (item, None) for item in items)
    while group := list(itertools.islice(pairs, size)):
        yield group


def _write(
    writer: BatchWriter | remote_load.DatasetWriter, batch: dict[str, _Written]
) -> dict[str, tuple[str, str]]:
    """Start writing ``batch`` in the background; return the states of its graphs."""
    writer.submit([(ox.NamedNode(graph), written.lines) for graph, written in batch.items()])
    log.debug("writing %d graphs", len(batch))
    return {graph: written.state for graph, written in batch.items()}


def remove_releases(store: StoreLike, release_ids: Iterable[str], *, resolve: bool = True) -> list[str]:
    """Drop the graphs of ``release_ids`` and resolve again; return the ids that were in the store.

    >>> from graph.model import Record
    >>> from graph.store import open_store
    >>> store = open_store(":memory:")
    >>> _ = load_records(store, [Record(id="a"), Record(id="b")])
    >>> remove_releases(store, ["a", "zzz"])
    ['a']
    """
    present = set(graph_names(store))
    removed = []
    for release_id in release_ids:
        graph = str(release_graph_iri(release_id))
        if graph in present:
            replace_graph(store, graph, [])
            removed.append(release_id)
    if resolve:
        resolve_store(store)
    return removed
