"""The persistent graph: an embedded Oxigraph directory or a remote SPARQL 1.1 server.

Functions take a *store*: a :class:`pyoxigraph.Store` (a directory, opened by :func:`open_store`)
or a :class:`~graph.remote.RemoteStore` (an ``http(s)://`` URL). Each release lives in its own
named graph, written in one transaction (``DROP SILENT GRAPH`` + ``INSERT DATA`` in one update);
re-ingesting a release whose content hash and extractor version are unchanged writes nothing.
Reference facts live in :data:`~graph.namespaces.REFERENCE_GRAPH`, replaced when their sources change.

Examples
--------
>>> from graph.model import Record
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
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from graph.files import write_atomic
from graph.model import Record, Release
from graph.namespaces import PREFIXES, REFERENCE_GRAPH, SECKG, sparql_prologue
from graph.reference import reference_graph
from graph.remote import RemoteError, RemoteStore, insert_data
from graph.resources import reference_sources_hash
from graph.sparql_lex import has_dataset_clause, inject_values
from graph.triples import record_content_hash, record_to_quads, release_content_hash, release_graph_iri

__all__ = [
    "DEFAULT_STORE",
    "EXPORT_FORMATS",
    "IngestResult",
    "IngestSummary",
    "RemoteError",
    "RemoteStore",
    "StoreError",
    "StoreLike",
    "canonical_nquads",
    "default_location",
    "ensure_reference_graph",
    "execute",
    "export",
    "graph_names",
    "graph_state",
    "ingest_record",
    "is_remote",
    "load_records",
    "open_rdflib_dataset",
    "open_store",
    "read_dataset",
    "replace_graph",
    "to_ox",
    "triple_count",
    "write_export",
]

log = logging.getLogger(__name__)

DEFAULT_STORE = ".seckg/store"
"""Default store location, relative to the working directory (``SECKG_STORE`` overrides it)."""
EXPORT_FORMATS = {
    "trig": ox.RdfFormat.TRIG,
    "nquads": ox.RdfFormat.N_QUADS,
    "turtle": ox.RdfFormat.TURTLE,
    "jsonld": ox.RdfFormat.JSON_LD,
}
StoreLike = ox.Store | RemoteStore


class StoreError(RuntimeError):
    """The store cannot be opened or used (the message says why and what to do)."""


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

    def count(self, result: IngestResult) -> None:
        """Add one result to the counts."""
        setattr(self, result.status, getattr(self, result.status) + 1)
        if result.status != "unchanged":
            self.triples_written += result.triples
        self.results.append(result)


def default_location() -> str:
    """Return ``$SECKG_STORE`` or :data:`DEFAULT_STORE`."""
    return os.environ.get("SECKG_STORE") or DEFAULT_STORE


def is_remote(location: str | os.PathLike[str]) -> bool:
    """True for an ``http://`` or ``https://`` location."""
    return str(location).lower().startswith(("http://", "https://"))


def open_store(
    location: str | os.PathLike[str] | None = None, *, create: bool = True, read_only: bool = False
) -> StoreLike:
    """Open the store at ``location`` (a directory, an ``http(s)://`` URL, or ``:memory:``).

    Parameters
    ----------
    location : str or path, optional
        Default :func:`default_location`.
    create : bool
        Create a missing directory store; with ``False`` a missing store raises :class:`StoreError`.
    read_only : bool
        Open a directory store read-only, as of now. Only safe while no other process writes it.
    """
    location = default_location() if location is None else location
    if str(location) == ":memory:":
        return ox.Store()
    if is_remote(location):
        return RemoteStore.from_url(str(location))
    path = Path(location)
    if not path.exists() and (read_only or not create):
        raise StoreError(f"no store at {path}: run `seckg ingest` first or pass --store")
    try:
        if read_only:
            return ox.Store.read_only(str(path))
        path.parent.mkdir(parents=True, exist_ok=True)
        return ox.Store(str(path))
    except OSError as err:
        if "lock" in str(err).lower():
            raise StoreError(
                f"store {path} is in use by another process: stop it, or while `seckg serve` runs "
                "pass its URL (--store http://127.0.0.1:7878)"
            ) from err
        raise StoreError(f"cannot open store {path}: {err}") from err


def open_rdflib_dataset(path: str | os.PathLike[str]):
    """Open a store directory as an rdflib ``Dataset`` through oxrdflib (rdflib's API over Oxigraph).

    >>> import tempfile
    >>> ds = open_rdflib_dataset(tempfile.mkdtemp())
    >>> len(ds)
    0
    """
    from rdflib import Dataset

    dataset = Dataset(store="Oxigraph")
    dataset.open(str(path))
    return dataset


# --- terms ------------------------------------------------------------------------------------


def to_ox(term: Node) -> ox.NamedNode | ox.Literal | ox.BlankNode:
    """Convert an rdflib term to pyoxigraph."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        dtype = ox.NamedNode(str(term.datatype)) if term.datatype else None
        return ox.Literal(str(term), datatype=dtype)
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    raise TypeError(f"not an RDF term: {term!r}")


def _ox_quads(quads: Iterable[tuple[Node, Node, Node, Node]]) -> list[ox.Quad]:
    return [ox.Quad(to_ox(s), to_ox(p), to_ox(o), to_ox(g)) for s, p, o, g in quads]


# --- reading ----------------------------------------------------------------------------------


def execute(
    store: StoreLike,
    sparql: str,
    *,
    substitutions: dict[str, ox.NamedNode | ox.Literal] | None = None,
    default_graph_uris: Sequence[str] = (),
    named_graph_uris: Sequence[str] = (),
):
    """Run a SPARQL query; return pyoxigraph ``QuerySolutions``, ``QueryBoolean`` or triples.

    On a local store the default graph is the union of all graphs unless ``default_graph_uris``
    or the query's own ``FROM`` clauses choose graphs, and :data:`~graph.namespaces.PREFIXES` are
    predeclared. ``substitutions`` bind variables to RDF terms: pyoxigraph substitutions locally
    (the variables must be in the ``SELECT`` projection), a ``VALUES`` block at the start of the
    ``WHERE`` group on a remote server. Raises ``SyntaxError`` with the parser's message.
    """
    subs = {ox.Variable(name): term for name, term in (substitutions or {}).items()}
    if isinstance(store, RemoteStore):
        text = sparql_prologue() + sparql
        if subs:
            names = " ".join(str(v) for v in subs)
            values = " ".join(str(t) for t in subs.values())
            text = inject_values(text, f"VALUES ({names}) {{ ({values}) }}")
        return store.query(text, default_graph_uris=default_graph_uris, named_graph_uris=named_graph_uris)
    kwargs: dict = {"prefixes": PREFIXES, "substitutions": subs or None}
    if default_graph_uris:
        kwargs["default_graph"] = [ox.NamedNode(uri) for uri in default_graph_uris]
    elif not has_dataset_clause(sparql):
        kwargs["use_default_graph_as_union"] = True
    if named_graph_uris:
        kwargs["named_graphs"] = [ox.NamedNode(uri) for uri in named_graph_uris]
    return store.query(sparql, **kwargs)


def graph_state(store: StoreLike, graph: str) -> tuple[str | None, str | None]:
    """Return the ``(content hash, extractor version)`` a graph records about itself, or ``(None, None)``."""
    if not isinstance(store, RemoteStore):
        node = ox.NamedNode(graph)
        found = [
            next(store.quads_for_pattern(node, ox.NamedNode(str(p)), None, node), None)
            for p in (SECKG.contentHash, SECKG.extractorVersion)
        ]
        return tuple(q.object.value if q is not None else None for q in found)
    query = (
        "SELECT ?g ?hash ?version WHERE { GRAPH ?g { ?g seckg:contentHash ?hash . "
        "OPTIONAL { ?g seckg:extractorVersion ?version } } } LIMIT 1"
    )
    rows = list(execute(store, query, substitutions={"g": ox.NamedNode(graph)}))
    if not rows:
        return None, None
    version = rows[0]["version"]
    return rows[0]["hash"].value, version.value if version is not None else None


def graph_names(store: StoreLike) -> list[str]:
    """IRIs of the named graphs that hold triples, sorted."""
    if isinstance(store, RemoteStore):
        rows = store.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        return sorted(row["g"].value for row in rows if isinstance(row["g"], ox.NamedNode))
    names = {g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode)}
    return sorted(g for g in names if next(store.quads_for_pattern(None, None, None, ox.NamedNode(g)), None))


def triple_count(store: StoreLike) -> int:
    """Number of quads in the store (triples over all graphs)."""
    if isinstance(store, RemoteStore):
        rows = list(store.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"))
        return int(rows[0]["n"].value) if rows else 0
    return len(store)


# --- writing ----------------------------------------------------------------------------------


def replace_graph(store: StoreLike, graph: str, quads: Sequence[tuple[Node, Node, Node, Node]]) -> None:
    """Replace named graph ``graph`` by ``quads`` as a whole (one transaction locally)."""
    name = ox.NamedNode(graph)
    converted = _ox_quads(quads)
    if isinstance(store, RemoteStore):
        store.replace_graphs([(name, converted)])
        return
    update = f"DROP SILENT GRAPH {name}"
    if converted:
        update += " ;\n" + insert_data(name, converted)
    store.update(update)


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
    content_hash = release_content_hash(release) if release is not None else record_content_hash(record)
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
) -> IngestSummary:
    """Ingest many records (each alone or with its release) and the reference graph.

    On a remote store, graphs are pushed in chunks of about ``store.chunk_triples`` triples.
    ``generated_at`` fixes the provenance time stamp (default: now, per graph written);
    ``on_result`` is called after each record (for progress bars).
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
    else:
        store.flush()
    return summary


# --- export -----------------------------------------------------------------------------------


def read_dataset(store: StoreLike, graph: str | None = None) -> ox.Dataset:
    """All quads of the store's named graphs (or of one ``graph``) as a pyoxigraph ``Dataset``."""
    names = [graph] if graph else graph_names(store)
    dataset = ox.Dataset()
    for name in names:
        node = ox.NamedNode(name)
        if isinstance(store, RemoteStore):
            for q in ox.parse(store.graph_ntriples(name), ox.RdfFormat.N_TRIPLES):
                dataset.add(ox.Quad(q.subject, q.predicate, q.object, node))
        else:
            for q in store.quads_for_pattern(None, None, None, node):
                dataset.add(q)
    return dataset


def export(store: StoreLike, fmt: str = "trig", *, graph: str | None = None) -> bytes:
    """Serialize the dataset (or one named ``graph``) as ``trig``, ``nquads``, ``turtle`` or ``jsonld``.

    Turtle has no graphs: it gets the merge of the selected graphs' triples.
    """
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"unknown export format {fmt!r} (one of {', '.join(EXPORT_FORMATS)})")
    dataset = read_dataset(store, graph)
    if graph and len(dataset) == 0:
        raise StoreError(f"no graph {graph} in the store")
    quads = sorted(dataset, key=str)
    rdf_format = EXPORT_FORMATS[fmt]
    if not rdf_format.supports_datasets:
        quads = sorted({ox.Triple(q.subject, q.predicate, q.object) for q in quads}, key=str)
    prefixes = PREFIXES if fmt in ("trig", "turtle") else None
    return ox.serialize(quads, format=rdf_format, prefixes=prefixes) or b""


def write_export(
    store: StoreLike, out: str | os.PathLike[str], fmt: str = "trig", *, graph: str | None = None
) -> int:
    """Write :func:`export` to ``out`` atomically (temporary file, then rename); return its size."""
    data = export(store, fmt, graph=graph)
    write_atomic(out, data)
    return len(data)


def canonical_nquads(store: StoreLike) -> bytes:
    """The whole dataset as canonical N-Quads (RDFC-1.0, lines sorted): equal bytes, equal graphs."""
    dataset = read_dataset(store, None)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return "".join(sorted(f"{q} .\n" for q in dataset)).encode("utf-8")
