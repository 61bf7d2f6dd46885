"""The persistent graph: an embedded Oxigraph directory or a remote SPARQL 1.1 server.

Functions take a *store*: a :class:`pyoxigraph.Store` (a directory, opened by :func:`open_store`)
or a :class:`~graph.remote.RemoteStore` (an ``http(s)://`` URL). Each release lives in its own
named graph, replaced as a whole (:func:`replace_graph`, or :mod:`graph.bulk` for many);
re-ingesting a release whose content hash and extractor version are unchanged writes nothing.
Opening a directory store for writing first mends what a killed load left (:func:`graph.bulk.recover`).
Reference facts live in :data:`~graph.namespaces.REFERENCE_GRAPH`, replaced when their sources change.
Writing releases (and resolving them across releases) is :mod:`graph.loading`'s job.

Examples
--------
>>> store = open_store(":memory:")
>>> replace_graph(store, "https://w3id.org/seckg/graph/release/r1", [])
>>> graph_names(store)
[]
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterable, Sequence
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from graph.bulk import pending_graphs, recover, remove_orphan_files
from graph.files import write_atomic
from graph.namespaces import PREFIXES, SECKG, sparql_prologue
from graph.remote import RemoteError, RemoteStore, insert_data
from graph.sparql_lex import has_dataset_clause
from graph.sparql_values import bind_values

__all__ = [
    "DEFAULT_STORE",
    "EXPORT_FORMATS",
    "RemoteError",
    "RemoteStore",
    "StoreError",
    "StoreLike",
    "canonical_nquads",
    "default_location",
    "execute",
    "export",
    "graph_names",
    "graph_state",
    "graph_states",
    "is_remote",
    "missing_store",
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

    A directory store opened for writing is first rid of the graphs an interrupted bulk load left
    half written (:func:`graph.bulk.recover`) and of its temporary files
    (:func:`graph.bulk.remove_orphan_files`); read-only, a warning says the graphs are there.
    """
    location = default_location() if location is None else location
    if str(location) == ":memory:":
        return ox.Store()
    if is_remote(location):
        return RemoteStore.from_url(str(location))
    path = Path(location)
    if not path.exists() and (read_only or not create):
        raise missing_store(path)
    try:
        if read_only:
            store = ox.Store.read_only(str(path))
            if pending_graphs(store):
                log.warning("store %s holds graphs of an interrupted load: open it for writing to mend", path)
            return store
        path.parent.mkdir(parents=True, exist_ok=True)
        store = ox.Store(str(path))
    except OSError as err:
        if "lock" in str(err).lower():
            raise StoreError(
                f"store {path} is in use by another process: stop it, or while `seckg serve` runs "
                "pass its URL (--store http://127.0.0.1:7878)"
            ) from err
        raise StoreError(f"cannot open store {path}: {err}") from err
    recover(store)
    remove_orphan_files(path)
    return store


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


def missing_store(location: str | os.PathLike[str]) -> StoreError:
    """The error for a directory store that is not there (for commands that only read it)."""
    return StoreError(f"no store at {location}: run `seckg ingest` first or pass --store")


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


def _ox_quads(quads: Iterable[ox.Quad | tuple[Node, Node, Node, Node]]) -> list[ox.Quad]:
    return [q if isinstance(q, ox.Quad) else _ox_quad(q) for q in quads]


def _ox_quad(quad: tuple[Node, Node, Node, Node]) -> ox.Quad:
    """An rdflib ``(s, p, o, g)`` as a pyoxigraph quad; ``TypeError`` for a term out of place (a
    literal subject or graph name, a predicate that is no IRI)."""
    s, p, o, g = map(to_ox, quad)
    if isinstance(s, ox.Literal) or not isinstance(p, ox.NamedNode) or isinstance(g, ox.Literal):
        raise TypeError(f"not an RDF quad: {quad!r}")
    return ox.Quad(s, p, o, g)


# --- reading ----------------------------------------------------------------------------------


def execute(
    store: StoreLike,
    sparql: str,
    *,
    substitutions: dict[str, ox.NamedNode | ox.Literal] | None = None,
    default_graph_uris: Sequence[str] = (),
    named_graph_uris: Sequence[str] = (),
    dataset_clause: bool | None = None,
):
    """Run a SPARQL query; return pyoxigraph ``QuerySolutions``, ``QueryBoolean`` or triples.

    On a local store the default graph is the union of all graphs unless ``default_graph_uris``
    or the query's own ``FROM`` clauses choose graphs, and :data:`~graph.namespaces.PREFIXES` are
    predeclared. ``substitutions`` bind variables to RDF terms: pyoxigraph substitutions locally
    (the variables must be in the ``SELECT`` projection), ``VALUES`` blocks in every ``WHERE``
    group on a remote server (:func:`graph.sparql_values.bind_values`). ``dataset_clause`` says
    whether the query has ``FROM`` clauses, when the caller knows (read from the text otherwise).
    Raises ``SyntaxError`` with the parser's message.
    """
    subs = {ox.Variable(name): term for name, term in (substitutions or {}).items()}
    if isinstance(store, RemoteStore):
        text = sparql_prologue() + sparql
        if substitutions:  # every WHERE group, sub-queries included (graph.sparql_values)
            text = bind_values(text, substitutions)
        return store.query(text, default_graph_uris=default_graph_uris, named_graph_uris=named_graph_uris)
    kwargs: dict = {"prefixes": PREFIXES, "substitutions": subs or None}
    if default_graph_uris:
        kwargs["default_graph"] = [ox.NamedNode(uri) for uri in default_graph_uris]
    elif not (has_dataset_clause(sparql) if dataset_clause is None else dataset_clause):
        kwargs["use_default_graph_as_union"] = True
    if named_graph_uris:
        kwargs["named_graphs"] = [ox.NamedNode(uri) for uri in named_graph_uris]
    return store.query(sparql, **kwargs)


_STATE_QUERY = (
    "SELECT ?g ?hash ?version WHERE { GRAPH ?g { ?g seckg:contentHash ?hash . "
    "OPTIONAL { ?g seckg:extractorVersion ?version } } }"
)


def graph_state(store: StoreLike, graph: str) -> tuple[str | None, str | None]:
    """Return the ``(content hash, extractor version)`` a graph records about itself, or ``(None, None)``."""
    return graph_states(store, [graph]).get(graph, (None, None))


def graph_states(store: StoreLike, graphs: Sequence[str]) -> dict[str, tuple[str, str | None]]:
    """``{graph: (content hash, extractor version)}`` of those of ``graphs`` that record a hash.

    On a remote server this is one query whatever the number of graphs, and it reads only those
    graphs: they are its named graphs (the protocol's ``named-graph-uri``). A ``VALUES`` block
    binding ``?g`` in ``GRAPH ?g`` instead makes Oxigraph server scan every graph of the store,
    a cost that grows with the store (about 0.6 s a release at 20,000 releases).

    >>> graph_states(open_store(":memory:"), ["https://example.org/g"])
    {}
    """
    nodes = [ox.NamedNode(graph) for graph in graphs]  # validates the IRIs
    if not nodes:
        return {}
    if isinstance(store, RemoteStore):
        rows = execute(store, _STATE_QUERY, named_graph_uris=[node.value for node in nodes])
        found = ((row["g"].value, row["hash"].value, row["version"]) for row in rows)
        return {g: (h, v.value if v is not None else None) for g, h, v in found}
    states = {}
    hash_term, version_term = ox.NamedNode(str(SECKG.contentHash)), ox.NamedNode(str(SECKG.extractorVersion))
    for node in nodes:
        marker = next(store.quads_for_pattern(node, hash_term, None, node), None)
        if marker is not None and isinstance(marker.object, ox.Literal):
            version = next(store.quads_for_pattern(node, version_term, None, node), None)
            written = version.object if version is not None else None
            states[node.value] = (
                marker.object.value,
                written.value if isinstance(written, ox.Literal) else None,
            )
    return states


def graph_names(store: StoreLike) -> list[str]:
    """IRIs of the named graphs that hold triples, sorted."""
    if isinstance(store, RemoteStore):
        rows = store.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        return sorted(row["g"].value for row in rows if isinstance(row["g"], ox.NamedNode))
    names = {g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode)}
    return sorted(g for g in names if next(store.quads_for_pattern(None, None, None, ox.NamedNode(g)), None))


def triple_count(store: StoreLike) -> int:
    """Number of quads in the store (triples over all graphs)."""
    if isinstance(store, RemoteStore):
        rows = list(store.select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"))
        return int(rows[0]["n"].value) if rows else 0
    return len(store)


# --- writing ----------------------------------------------------------------------------------


def replace_graph(
    store: StoreLike, graph: str, quads: Sequence[ox.Quad | tuple[Node, Node, Node, Node]]
) -> None:
    """Replace named graph ``graph`` by ``quads`` (pyoxigraph quads or rdflib tuples) as a whole,
    in one transaction locally. Many graphs at once go faster through :mod:`graph.bulk`."""
    name = ox.NamedNode(graph)
    converted = _ox_quads(quads)
    if isinstance(store, RemoteStore):
        store.replace_graphs([(name, converted)])
        return
    update = f"DROP SILENT GRAPH {name}"
    if converted:
        update += " ;\n" + insert_data(name, converted)
    store.update(update)


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


def _jsonld(quads: list[ox.Quad]) -> bytes:
    """Compacted JSON-LD of ``quads``: an ``@context`` of :data:`~graph.namespaces.PREFIXES`, so IRIs
    read as ``seckg:party`` or ``country:PAN``, and one ``@graph`` per named graph."""
    from rdflib import Dataset

    dataset = Dataset()
    dataset.parse(data=ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b"", format="nquads")
    text = dataset.serialize(format="json-ld", context=dict(PREFIXES), auto_compact=True)
    ordered = _sorted_json(json.loads(text))
    return (json.dumps(ordered, indent=1, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")


def _sorted_json(node, in_list: bool = False):
    """``node`` with every JSON-LD set (an array that is not an ``@list``) sorted: the same dataset
    gives the same bytes whatever order rdflib visited it in."""
    if isinstance(node, dict):
        return {key: _sorted_json(value, key == "@list") for key, value in node.items()}
    if isinstance(node, list):
        items = [_sorted_json(item) for item in node]
        return items if in_list else sorted(items, key=lambda item: json.dumps(item, sort_keys=True))
    return node


def export(store: StoreLike, fmt: str = "trig", *, graph: str | None = None) -> bytes:
    """Serialize the dataset (or one named ``graph``) as ``trig``, ``nquads``, ``turtle`` or ``jsonld``.

    Turtle has no graphs: it gets the merge of the selected graphs' triples. JSON-LD is compacted
    with an ``@context`` of the project's prefixes.

    >>> store = open_store(":memory:")
    >>> import json
    >>> json.loads(export(store, "jsonld"))["@context"]["seckg"]
    'https://w3id.org/seckg/ontology#'
    """
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"unknown export format {fmt!r} (one of {', '.join(EXPORT_FORMATS)})")
    dataset = read_dataset(store, graph)
    if graph and len(dataset) == 0:
        raise StoreError(f"no graph {graph} in the store")
    quads = sorted(dataset, key=str)
    if fmt == "jsonld":
        return _jsonld(quads)
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
