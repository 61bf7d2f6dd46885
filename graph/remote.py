"""A remote SPARQL 1.1 server as a store: Query and Update protocols to read and write, Graph Store
protocol to read whole graphs and to add quads to the dataset (Oxigraph server, Apache Jena
Fuseki, GraphDB, Virtuoso).

Two ways to write. :meth:`RemoteStore.replace_graphs` sends SPARQL updates in bounded chunks: each
request replaces whole release graphs (``DROP SILENT GRAPH`` then ``INSERT DATA``) and holds at
most about ``chunk_triples`` triples. A graph larger than a chunk is split over several requests
and its ``seckg:contentHash`` triple is sent last, so an interrupted push leaves that graph
looking unfinished and a re-run replaces it again. :meth:`RemoteStore.post_dataset` sends
N-Quads to the dataset endpoint of the Graph Store protocol (``POST`` without a ``graph``
parameter: Oxigraph's ``/store``, Fuseki's dataset URL); many releases are loaded that way by
:mod:`graph.remote_load`, crash-safe. A server that refuses such a ``POST`` (405, 415, or no such
endpoint) is noted once (``dataset_post`` becomes ``False``) and written with updates.

Examples
--------
>>> r = RemoteStore.from_url("http://127.0.0.1:7878")
>>> r.query_url, r.update_url, r.gsp_url
('http://127.0.0.1:7878/query', 'http://127.0.0.1:7878/update', 'http://127.0.0.1:7878/store')
>>> r.dataset_url
'http://127.0.0.1:7878/store?no_transaction'
>>> fuseki = RemoteStore.from_url("http://localhost:3030/ds/sparql")
>>> fuseki.update_url, fuseki.dataset_url
('http://localhost:3030/ds/update', 'http://localhost:3030/ds')
>>> g = RemoteStore.from_url("http://localhost:7200/repositories/seckg")
>>> g.query_url, g.update_url, g.gsp_url
('http://localhost:7200/repositories/seckg', 'http://localhost:7200/repositories/seckg/statements', 'http://localhost:7200/repositories/seckg/rdf-graphs/service')
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

import httpx
import pyoxigraph as ox

__all__ = ["RemoteError", "RemoteStore", "insert_data", "replace_graph_updates"]

log = logging.getLogger(__name__)

_RESULTS_ACCEPT = (
    "application/sparql-results+json, application/sparql-results+xml;q=0.9, "
    "application/n-triples;q=0.8, text/turtle;q=0.7"
)


_REFUSED = frozenset({404, 405, 415, 501})
"""Answers to a dataset ``POST`` that mean the server does not take one there."""


class RemoteError(RuntimeError):
    """The server refused a request or could not be reached (message says which and why)."""


@dataclass
class RemoteStore:
    """Endpoints of a SPARQL 1.1 server, and the HTTP client that talks to them.

    ``from_url`` derives the three endpoints from a base URL the Oxigraph way (``/query``,
    ``/update``, ``/store``); pass them explicitly for other layouts.
    """

    query_url: str
    update_url: str
    gsp_url: str
    timeout: float = 60.0
    chunk_triples: int = 5000
    client: httpx.Client = field(default_factory=lambda: httpx.Client(timeout=60.0), repr=False)
    bulk_triples: int = 100_000
    """Triples per dataset ``POST`` when many graphs are loaded (:mod:`graph.remote_load`)."""
    dataset_url: str = ""
    """Where :meth:`post_dataset` sends N-Quads (default ``gsp_url``; Fuseki: the dataset URL)."""
    dataset_post: bool | None = None
    """Whether the server takes N-Quads at ``dataset_url``: ``None`` until a ``POST`` tells,
    ``False`` to write with SPARQL Update only."""

    def __post_init__(self) -> None:
        self.dataset_url = self.dataset_url or self.gsp_url

    @classmethod
    def from_url(cls, url: str, **kwargs) -> RemoteStore:
        """Endpoints for base URL ``url``.

        A trailing ``/query`` or ``/sparql`` is the query endpoint (Oxigraph, Fuseki, ``seckg
        serve``); an RDF4J/GraphDB repository URL (``.../repositories/ID``) answers queries itself
        and takes updates at ``/statements`` and graphs at ``/rdf-graphs/service``. Quads go to
        Oxigraph's ``/store?no_transaction`` (its bulk loader: several times faster than a
        transaction, and :mod:`graph.remote_load`'s journal makes up for it), or with a
        ``/sparql`` URL to the dataset URL before it (Fuseki's ``/ds``), or to RDF4J's
        ``/statements``.
        """
        base = url.rstrip("/")
        if "/repositories/" in base:  # RDF4J adds the quads POSTed to /statements
            statements = {"dataset_url": base + "/statements", **kwargs}
            return cls(base, base + "/statements", base + "/rdf-graphs/service", **statements)
        if base.endswith("/sparql"):
            base = base[: -len("/sparql")]
            return cls(url.rstrip("/"), base + "/update", base + "/store", **{"dataset_url": base, **kwargs})
        query = base if base.endswith("/query") else base + "/query"
        base = query[: -len("/query")]
        bulk = {"dataset_url": base + "/store?no_transaction", **kwargs}
        return cls(query, base + "/update", base + "/store", **bulk)

    @property
    def location(self) -> str:
        """The query endpoint, as shown to users."""
        return self.query_url

    def close(self) -> None:
        """Close the HTTP client."""
        self.client.close()

    # --- protocol calls ---------------------------------------------------------------------

    def _post(self, url: str, data: dict, accept: str | None = None) -> httpx.Response:
        headers = {"Accept": accept} if accept else {}
        try:
            response = self.client.post(url, data=data, headers=headers, timeout=self.timeout)
        except httpx.HTTPError as err:
            raise RemoteError(f"{url}: {err}") from err
        if response.status_code >= 400:
            detail = response.text.strip()[:500] or response.reason_phrase
            if response.status_code == 400:
                raise SyntaxError(detail)
            raise RemoteError(f"{url} answered {response.status_code}: {detail}")
        return response

    def query(
        self,
        sparql: str,
        *,
        default_graph_uris: Sequence[str] = (),
        named_graph_uris: Sequence[str] = (),
    ) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples | list[ox.Triple]:
        """Run a query through the SPARQL 1.1 Protocol; results parsed into pyoxigraph terms."""
        data: dict = {"query": sparql}
        if default_graph_uris:
            data["default-graph-uri"] = list(default_graph_uris)
        if named_graph_uris:
            data["named-graph-uri"] = list(named_graph_uris)
        response = self._post(self.query_url, data, accept=_RESULTS_ACCEPT)
        media = response.headers.get("content-type", "").split(";")[0].strip().lower()
        results_format = ox.QueryResultsFormat.from_media_type(media) if media else None
        if results_format is not None:
            return ox.parse_query_results(response.content, results_format)
        rdf_format = ox.RdfFormat.from_media_type(media) if media else None
        if rdf_format is None:
            raise RemoteError(f"{self.query_url}: unexpected result type {media or 'none'!r}")
        return [ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(response.content, rdf_format)]

    def select(self, sparql: str, **dataset: Sequence[str]) -> ox.QuerySolutions:
        """:meth:`query` for a ``SELECT`` query: its solutions (``RemoteError`` for any other answer)."""
        answer = self.query(sparql, **dataset)
        if not isinstance(answer, ox.QuerySolutions):
            raise RemoteError(f"{self.query_url}: a SELECT query was answered with {type(answer).__name__}")
        return answer

    def construct(self, sparql: str) -> list[ox.Triple]:
        """:meth:`query` for a ``CONSTRUCT`` query: its triples (``RemoteError`` for any other answer)."""
        answer = self.query(sparql)
        if not isinstance(answer, list):
            raise RemoteError(
                f"{self.query_url}: a CONSTRUCT query was answered with {type(answer).__name__}"
            )
        return answer

    def update(self, sparql: str) -> None:
        """Run a SPARQL 1.1 Update through the protocol."""
        self._post(self.update_url, {"update": sparql})

    def graph_ntriples(self, graph: str) -> bytes:
        """Fetch one named graph as N-Triples through the Graph Store protocol.

        Servers whose Graph Store endpoint is elsewhere (Fuseki's ``/data``) answer 404 or 405 for
        every graph; then the graph is read with a ``CONSTRUCT`` query instead.
        """
        node = ox.NamedNode(graph)  # validates the IRI
        try:
            response = self.client.get(
                self.gsp_url,
                params={"graph": graph},
                headers={"Accept": "application/n-triples"},
                timeout=self.timeout,
            )
        except httpx.HTTPError as err:
            raise RemoteError(f"{self.gsp_url}: {err}") from err
        if response.status_code < 400:
            return response.content
        if response.status_code not in (404, 405, 400):
            raise RemoteError(f"{self.gsp_url} answered {response.status_code}: {response.text[:300]}")
        values = f"VALUES ?g {{ {node} }}"
        construct = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {values} GRAPH ?g {{ ?s ?p ?o }} }}"
        return ox.serialize(self.construct(construct), format=ox.RdfFormat.N_TRIPLES) or b""

    def post_dataset(self, nquads: bytes) -> bool:
        """Add ``nquads`` (an N-Quads document) to the dataset with one Graph Store protocol ``POST``.

        Returns False, without writing, when the server refuses such a request (405 Method Not
        Allowed, 415 Unsupported Media Type, 404, 501: this and every later call, logged once) or
        when ``dataset_post`` is False. Oxigraph server applies the request in one transaction
        (all of its quads or none, even when the client is cut off mid-body), or with
        ``?no_transaction`` through its bulk loader, not atomically. Other errors raise
        :class:`RemoteError`.
        """
        if self.dataset_post is False:
            return False
        try:
            response = self.client.post(
                self.dataset_url,
                content=nquads,
                headers={"Content-Type": "application/n-quads"},
                timeout=self.timeout,
            )
        except httpx.HTTPError as err:
            raise RemoteError(f"{self.dataset_url}: {err}") from err
        if response.status_code in _REFUSED:
            self.dataset_post = False
            log.warning(
                "%s answered %d to a dataset POST: writing with SPARQL Update instead (slower)",
                self.dataset_url,
                response.status_code,
            )
            return False
        if response.status_code >= 400:
            detail = response.text.strip()[:500] or response.reason_phrase
            raise RemoteError(f"{self.dataset_url} answered {response.status_code}: {detail}")
        self.dataset_post = True
        return True

    def replace_graphs(self, graphs: Iterable[tuple[ox.NamedNode, Sequence[ox.Quad]]]) -> int:
        """Replace each named graph by its quads, in bounded chunks; return the number of requests."""
        requests = 0
        for update in replace_graph_updates(graphs, self.chunk_triples):
            self.update(update)
            requests += 1
        return requests


def insert_data(graph: ox.NamedNode, quads: Iterable[ox.Quad]) -> str:
    """``INSERT DATA`` text for ``quads`` in ``graph``, terms written by pyoxigraph (N-Triples escaping).

    >>> q = ox.Quad(ox.NamedNode("http://e/s"), ox.NamedNode("http://e/p"), ox.Literal('a "b"'))
    >>> print(insert_data(ox.NamedNode("http://e/g"), [q]))
    INSERT DATA { GRAPH <http://e/g> {
    <http://e/s> <http://e/p> "a \\"b\\"" .
    } }
    """
    body = "\n".join(f"{q.subject} {q.predicate} {q.object} ." for q in quads)
    return f"INSERT DATA {{ GRAPH {graph} {{\n{body}\n}} }}"


def replace_graph_updates(
    graphs: Iterable[tuple[ox.NamedNode, Sequence[ox.Quad]]], chunk_triples: int, last_predicate: str = ""
) -> Iterator[str]:
    """Yield SPARQL updates that replace each graph, each holding at most ~``chunk_triples`` triples.

    Small graphs share a request; a graph larger than a chunk is dropped in its first request and
    filled over the next ones, with triples whose predicate ends in ``contentHash`` (or equals
    ``last_predicate``) sent in its final request.
    """
    chunk_triples = max(1, chunk_triples)
    pending: list[str] = []
    size = 0
    for graph, quads in graphs:
        ordered = sorted(quads, key=lambda q: _is_marker(q, last_predicate))
        if size and size + len(ordered) > chunk_triples:
            yield " ;\n".join(pending)
            pending, size = [], 0
        drop = f"DROP SILENT GRAPH {graph}"
        if len(ordered) <= chunk_triples:
            pending += [drop, insert_data(graph, ordered)] if ordered else [drop]
            size += len(ordered)
            continue
        for start in range(0, len(ordered), chunk_triples):
            part = insert_data(graph, ordered[start : start + chunk_triples])
            yield f"{drop} ;\n{part}" if start == 0 else part
    if pending:
        yield " ;\n".join(pending)


def _is_marker(quad: ox.Quad, last_predicate: str) -> bool:
    predicate = quad.predicate.value
    return predicate.endswith("#contentHash") or (bool(last_predicate) and predicate == last_predicate)
