"""Writing releases into the store, then resolving them across releases.

Each release lives in its own named graph, written in one transaction (``DROP SILENT GRAPH`` +
``INSERT DATA`` in one update); re-ingesting a release whose content hash and extractor version
are unchanged writes nothing. After a batch, :func:`load_records` rebuilds the resolution graph
(:func:`graph.resolve.store_io.resolve_store`), so instruments, not reports, are what the store
counts; :func:`remove_releases` drops releases and resolves again.

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

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone

import pyoxigraph as ox

from graph.model import Record, Release
from graph.namespaces import REFERENCE_GRAPH
from graph.reference import reference_graph
from graph.resolve.store_io import ResolveSummary, resolve_store
from graph.resources import reference_sources_hash
from graph.store import RemoteStore, StoreLike, _ox_quads, graph_names, graph_state, replace_graph
from graph.triples import record_content_hash, record_to_quads, release_content_hash, release_graph_iri

__all__ = [
    "IngestResult",
    "IngestSummary",
    "ensure_reference_graph",
    "ingest_record",
    "load_records",
    "remove_releases",
]

log = logging.getLogger(__name__)


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


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _prepare(
    store: StoreLike,
    record: Record,
    release: Release | None,
    extractor_version: str,
    force: bool,
    generated_at: str | None,
) -> tuple[IngestResult, list | None]:
    if release is not None:
        content_hash = release_content_hash(release)
    else:  # the release's hash when the record carries it (extract's records do)
        content_hash = record.content_hash or record_content_hash(record)
    graph = str(release_graph_iri(record.id))
    old_hash, old_version = graph_state(store, graph)
    if not force and old_hash == content_hash and old_version == extractor_version:
        return IngestResult(record.id, graph, "unchanged", 0), None
    quads = record_to_quads(
        record,
        release,
        extractor_version=extractor_version,
        content_hash=content_hash,
        generated_at=generated_at or _now(),
    )
    status = "added" if old_hash is None else "replaced"
    return IngestResult(record.id, graph, status, len(quads)), quads


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

    The content hash is :func:`~graph.triples.release_content_hash` of ``release`` when given, else
    :func:`~graph.triples.record_content_hash` of ``record``; ``force`` rewrites regardless.
    """
    result, quads = _prepare(store, record, release, extractor_version or _version(), force, generated_at)
    if quads is not None:
        replace_graph(store, result.graph, quads)
        log.debug("%s %s (%d triples)", result.status, result.graph, result.triples)
    return result


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
) -> IngestSummary:
    """Ingest many records (each alone or with its release) and the reference graph, then resolve.

    On a remote store, graphs are pushed in chunks of about ``store.chunk_triples`` triples.
    ``generated_at`` fixes the provenance time stamp (default: now, per graph written);
    ``on_result`` is called after each record (for progress bars). With ``resolve`` (the
    default) the resolution graph is rebuilt afterwards, whether or not anything changed.
    """
    version = extractor_version or _version()
    ensure_reference_graph(store)
    summary = IngestSummary()
    batch: list[tuple[IngestResult, list]] = []

    def flush() -> None:
        if batch:
            store.replace_graphs((ox.NamedNode(r.graph), _ox_quads(q)) for r, q in batch)
            batch.clear()

    for item in items:
        record, release = item if isinstance(item, tuple) else (item, None)
        if isinstance(store, RemoteStore):
            result, quads = _prepare(store, record, release, version, force, generated_at)
            if quads is not None:
                batch.append((result, quads))
                if sum(r.triples for r, _ in batch) >= store.chunk_triples:
                    flush()
        else:
            result = ingest_record(
                store, record, release, extractor_version=version, force=force, generated_at=generated_at
            )
        summary.count(result)
        if on_result is not None:
            on_result(result)
    if isinstance(store, RemoteStore):
        flush()
    if resolve:
        summary.resolution = resolve_store(store)
    if not isinstance(store, RemoteStore):
        store.flush()
    return summary


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
