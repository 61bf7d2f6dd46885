"""A SPARQL 1.1 Protocol endpoint over the store (standard library HTTP server).

- ``GET``/``POST /query`` (also ``/sparql``): ``query`` (URL-encoded form, query string or an
  ``application/sparql-query`` body), ``default-graph-uri`` and ``named-graph-uri``; results by
  content negotiation (SPARQL JSON, XML, CSV, TSV; Turtle, N-Triples, RDF/XML, JSON-LD for graphs).
- ``POST /update`` (or ``update`` on ``/sparql``): only when started with ``writable=True``.
- ``GET /store?graph=IRI``: one named graph (Graph Store protocol, read-only), so another
  seckg command can use this server as its ``--store``.
- ``GET /query`` with no query: the query page (YASGUI, bundled) for a browser, else the SPARQL
  1.1 Service Description; ``/resource?iri=``: a page per resource; ``/queries``: the saved queries
  (:mod:`graph.server_routes`); ``/viewer``: the graph viewer of the served store, built on first
  request (or ``--viewer FILE``). With ``cors=True`` the protocol endpoints allow every origin.

Safety: binds to 127.0.0.1 by default; requests whose ``Host`` is not this server are refused
(DNS rebinding); writes from another origin are refused; ``SERVICE`` and ``LOAD`` are refused so
the engine never fetches a URL or reads a file, and ``FROM``/``FROM NAMED`` only select graphs of
the store. Each query has a time limit: on a local store it runs in a worker process
(:mod:`graph.server_workers`) that is killed when the time is up, and the client gets 503. Answers
have a row cap (the answer is cut and says so in the ``SECKG-Truncated`` header).

Examples
--------
>>> import pyoxigraph as ox, threading, urllib.request
>>> server = make_server(ox.Store(), port=0)
>>> threading.Thread(target=server.serve_forever, daemon=True).start()
>>> url = f"http://127.0.0.1:{server.server_address[1]}/sparql?query=ASK%7B%7D"
>>> urllib.request.urlopen(url).read()
b'{"head": {}, "boolean": true}'
>>> server.shutdown(); server.server_close()
"""

from __future__ import annotations

import contextlib
import logging
import re
import signal
import sys
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pyoxigraph as ox

from graph.isolation import NoNetworkThread
from graph.namespaces import PREFIXES
from graph.protocol import ProtocolError, quiet_clears, read_request, scope_update
from graph.query import QueryError, QueryRefused, QueryTimeout, run_query
from graph.remote import RemoteError, RemoteStore
from graph.results import GRAPH_MEDIA_TYPES, RESULT_MEDIA_TYPES, QueryResult, negotiate, serialize_media
from graph.server_page import PageError
from graph.server_routes import answer_page, cors_headers
from graph.server_workers import QueryProcesses
from graph.sparql_guard import RequestRefused, RequestSyntaxError, checked_query, checked_update
from graph.sparql_lex import query_form
from graph.store import StoreLike, read_dataset

__all__ = [
    "CLIENT_TIMEOUT",
    "DEFAULT_MAX_ANSWER_MB",
    "DEFAULT_MAX_MEMORY_MB",
    "MAX_BODY",
    "SparqlServer",
    "make_server",
    "run_until_interrupted",
    "serve",
]

log = logging.getLogger(__name__)

MAX_BODY = 1_000_000
#: Address space of each query worker (MiB): a query needing more gets 503, the server stays up.
DEFAULT_MAX_MEMORY_MB = 1024
#: Largest serialized answer (MiB).
DEFAULT_MAX_ANSWER_MB = 64
#: Seconds a client may stall while sending its request or reading the answer.
CLIENT_TIMEOUT = 30.0
_SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


class _HttpError(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


_RELATIVE_IRI = re.compile(r"<(?![A-Za-z][A-Za-z0-9+.-]*:)[^<>\"{}|^`\\\s]*>")


class SparqlServer(ThreadingHTTPServer):
    """The HTTP server with its settings; create it with :func:`make_server`."""

    daemon_threads = True

    def __init__(self, address, store: StoreLike, *, writable: bool, timeout: float, max_rows: int,
                 viewer: Path | None, allowed_hosts: tuple[str, ...], workers: int,
                 max_memory_mb: int | None = None, max_answer_mb: int | None = None,
                 cors: bool = False):  # fmt: skip
        self.workers: ThreadPoolExecutor | None = None
        self.processes: QueryProcesses | None = None
        self.updater: NoNetworkThread | None = None
        super().__init__(address, _Handler)  # on a failed bind it calls server_close: all three are set
        self.store = store
        self.writable = writable
        self.query_timeout = timeout
        self.max_rows = max_rows
        self.viewer = viewer
        self.cors = cors
        self.page_cache: dict[str, bytes] = {}
        self.page_lock = threading.Lock()
        if isinstance(store, RemoteStore):  # network timeouts bound these; threads are enough
            self.workers = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="sparql")
        else:
            self.processes = QueryProcesses(
                store, workers=workers, timeout=timeout, max_rows=max_rows,
                max_memory=max_memory_mb * 2**20 if max_memory_mb else None,
                max_answer=max_answer_mb * 2**20 if max_answer_mb else None,
            )  # fmt: skip
        self.updater = NoNetworkThread() if writable and self.processes is not None else None
        host, port = self.authority.rsplit(":", 1)
        names = {"127.0.0.1", "localhost", "[::1]", host, *allowed_hosts}
        self.allowed_hosts = {f"{n}:{port}" for n in names} | set(allowed_hosts)

    @property
    def authority(self) -> str:
        """``host:port`` of the socket the server listens on (an IPv4 address: a text)."""
        host, port = self.server_address[:2]
        return f"{host.decode() if isinstance(host, bytes) else host}:{port}"

    def viewer_page(self) -> bytes:
        """The viewer of the store this server serves, built on first use (and after an update)."""
        with self.page_lock:
            if "viewer" not in self.page_cache:
                from graph.analysis.projections import typed_graph
                from graph.viewer import render_html

                self.page_cache["viewer"] = render_html(typed_graph(self.store)).encode("utf-8")
            return self.page_cache["viewer"]

    def handle_error(self, request, client_address) -> None:
        """One log line per failed connection (a client that went away is no stack trace)."""
        err = sys.exc_info()[1]
        if isinstance(err, (ConnectionError, TimeoutError)):
            log.info("%s: client went away (%s)", client_address[0], type(err).__name__)
        else:
            log.error("%s: request failed: %s: %s", client_address[0], type(err).__name__, err)
            log.debug("request failure", exc_info=True)

    def server_close(self) -> None:
        """Close the socket and stop the query workers."""
        super().server_close()
        if self.workers is not None:
            self.workers.shutdown(wait=False, cancel_futures=True)
        if self.processes is not None:
            self.processes.close()
        if self.updater is not None:
            self.updater.close()


def make_server(
    store: StoreLike,
    *,
    host: str = "127.0.0.1",
    port: int = 7878,
    writable: bool = False,
    timeout: float = 10.0,
    max_rows: int = 10_000,
    viewer: str | Path | None = None,
    allowed_hosts: tuple[str, ...] = (),
    workers: int = 4,
    max_memory_mb: int | None = DEFAULT_MAX_MEMORY_MB,
    max_answer_mb: int | None = DEFAULT_MAX_ANSWER_MB,
    cors: bool = False,
) -> SparqlServer:
    """Create (not start) the endpoint; ``port=0`` picks a free port (see ``server_address``).

    Parameters
    ----------
    store : pyoxigraph.Store or RemoteStore
    host, port : str, int
        Where to listen (127.0.0.1 unless you mean to expose the store).
    writable : bool
        Accept SPARQL updates (``LOAD`` and ``SERVICE`` stay refused).
    timeout : float
        Seconds a query may run before the client gets 503.
    max_rows : int
        Most rows (or triples) in one answer.
    viewer : path, optional
        HTML file served at ``/viewer`` (default ``out/viewer.html`` in the working directory).
    allowed_hosts : tuple of str
        Extra ``Host`` header values to accept (``name`` or ``name:port``), e.g. behind a proxy.
    workers : int
        Queries that may run at the same time.
    max_memory_mb : int, optional
        Address space of each query worker in MiB (a local store's queries; ``None``: no limit).
    max_answer_mb : int, optional
        Largest serialized answer in MiB (``None``: no limit).
    cors : bool
        Send ``Access-Control-Allow-Origin: *`` on the protocol endpoints (off by default).
    """
    checked_query("ASK {}")  # load the guard's parser now, not on the first request
    return SparqlServer(
        (host, port), store, writable=writable, timeout=timeout, max_rows=max_rows,
        viewer=Path(viewer) if viewer else None, allowed_hosts=tuple(allowed_hosts), workers=workers,
        max_memory_mb=max_memory_mb, max_answer_mb=max_answer_mb, cors=cors,
    )  # fmt: skip


def serve(store: StoreLike, **kwargs) -> None:
    """Run :func:`make_server` until interrupted (Ctrl-C)."""
    server = make_server(store, **kwargs)
    log.info("SPARQL endpoint on http://%s/query", server.authority)
    run_until_interrupted(server)


def run_until_interrupted(server: SparqlServer, ready: Callable[[], None] | None = None) -> None:
    """Serve requests until Ctrl-C or SIGTERM, then close the server (its query workers and their
    store snapshot included). ``ready`` runs once SIGTERM is handled, just before serving (the CLI
    prints its banner there, so a client that reads the banner may stop the server cleanly)."""

    def stop(signum, frame) -> None:
        raise KeyboardInterrupt

    previous = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGTERM, stop)
    try:
        if ready is not None:
            ready()
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


class _Handler(BaseHTTPRequestHandler):
    server: SparqlServer
    server_version = "seckg-sparql"
    timeout = CLIENT_TIMEOUT  # a client that stalls (sends nothing, reads nothing) is dropped
    route = ""

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Errors the standard library answers itself (a bad request line) get a status line too,
        not an HTTP/0.9 body."""
        if getattr(self, "request_version", "") == "HTTP/0.9":
            self.request_version = "HTTP/1.0"
        super().send_error(code, message, explain)

    def log_message(self, format: str, *args) -> None:
        log.info("%s %s", self.address_string(), format % args)

    # --- plumbing ---------------------------------------------------------------------------

    def _send(self, status: int, body: bytes | str, content_type: str, headers: dict | None = None) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        extra = {**_SECURITY_HEADERS, **cors_headers(self.server.cors, self.route), **(headers or {})}
        for name, value in extra.items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _error(self, status: int, message: str) -> None:
        self._send(status, message.rstrip() + "\n", "text/plain; charset=utf-8")

    def _check_host(self) -> None:
        host = (self.headers.get("Host") or "").strip().lower()
        if host not in self.server.allowed_hosts:
            raise _HttpError(403, f"Host {host or '(none)'} is not allowed")

    def _same_origin(self) -> bool:
        origin = self.headers.get("Origin")
        if self.headers.get("Sec-Fetch-Site", "") == "cross-site":
            return False
        return origin is None or origin.lower() == f"http://{(self.headers.get('Host') or '').lower()}"

    def _body(self) -> tuple[bytes, str]:
        """The request body (empty for GET) and its Content-Type."""
        if self.command != "POST":
            return b"", ""
        declared = (self.headers.get("Content-Length") or "0").strip()
        if not declared.isdigit():
            raise _HttpError(400, f"Content-Length {declared[:40]!r} is not a byte count")
        length = int(declared)
        if length > MAX_BODY:
            raise _HttpError(413, f"request body over {MAX_BODY} bytes")
        return (self.rfile.read(length) if length > 0 else b""), self.headers.get("Content-Type") or ""

    # --- routes -----------------------------------------------------------------------------

    def do_GET(self) -> None:
        self._dispatch()

    def do_HEAD(self) -> None:
        self._dispatch()

    def do_POST(self) -> None:
        self._dispatch()

    def _not_allowed(self) -> None:
        self._error(405, f"{self.command} is not allowed here: use GET or POST")

    do_PUT = do_DELETE = do_PATCH = _not_allowed

    def do_OPTIONS(self) -> None:
        self.send_response(204)
        self.send_header("Allow", "GET, HEAD, POST, OPTIONS")
        route = urlsplit(self.path).path.rstrip("/") or "/"
        for name, value in cors_headers(self.server.cors, route, preflight=True).items():
            self.send_header(name, value)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _dispatch(self) -> None:
        try:
            self.route = ""  # no CORS header on an answer before the route is known
            self._check_host()
            route = self.route = urlsplit(self.path).path.rstrip("/") or "/"
            if answer_page(self, route):  # the query page, resources, saved queries (graph.server_routes)
                pass
            elif route == "/viewer" and self.command != "POST":
                self._viewer()
            elif route in ("/sparql", "/query", "/update"):
                self._sparql(route)
            elif route == "/store":
                self._graph_store()
            else:
                raise _HttpError(404, f"no such page: {route}")
        except (_HttpError, PageError) as err:
            self._error(err.status, str(err))
        except (ConnectionError, TimeoutError) as err:
            log.info("%s: client went away (%s)", self.address_string(), type(err).__name__)
            self.close_connection = True
        except Exception as err:  # every request gets an answer, even when this code is wrong
            log.error("%s %s failed: %s: %s", self.command, self.path[:200], type(err).__name__, err)
            log.debug("request failure", exc_info=True)
            with contextlib.suppress(OSError):
                self._error(500, f"the server failed on this request ({type(err).__name__})")

    def _viewer(self) -> None:
        if self.server.viewer is not None:  # a page the user chose (--viewer)
            if not self.server.viewer.is_file():
                raise _HttpError(404, f"no viewer at {self.server.viewer}")
            self._send(200, self.server.viewer.read_bytes(), "text/html; charset=utf-8")
            return
        self._send(200, self.server.viewer_page(), "text/html; charset=utf-8")

    def _sparql(self, route: str) -> None:
        body, content_type = self._body()
        method = "GET" if self.command == "HEAD" else self.command
        try:
            request = read_request(method, route, urlsplit(self.path).query, body, content_type)
            if request.kind == "update":
                scoped = scope_update(self._based(request.text), request.graphs, request.named)
                return self._update(quiet_clears(scoped))
        except ProtocolError as err:
            raise _HttpError(err.status, str(err)) from None
        self._query(self._based(request.text), request.graphs, request.named)

    def _graph_store(self) -> None:
        if self.command == "POST":
            raise _HttpError(405, "the Graph Store protocol is read-only here: write with SPARQL Update")
        graphs = parse_qs(urlsplit(self.path).query).get("graph", [])
        if len(graphs) != 1:
            raise _HttpError(400, "give exactly one 'graph' parameter (the named graph's IRI)")
        media = negotiate(self.headers.get("Accept"), "CONSTRUCT")
        if media is None:
            raise _HttpError(406, f"offered: {', '.join(GRAPH_MEDIA_TYPES)}")
        try:
            dataset = read_dataset(self.server.store, graphs[0])
        except (ValueError, RemoteError) as err:
            raise _HttpError(400, str(err)) from err
        if len(dataset) == 0:
            raise _HttpError(404, f"no graph {graphs[0]}")
        triples = [ox.Triple(q.subject, q.predicate, q.object) for q in dataset]
        result = QueryResult("CONSTRUCT", triples=sorted(triples, key=str))
        self._send(200, serialize_media(result, media), f"{media}; charset=utf-8")

    def _query(self, text: str, default_graphs: list[str], named_graphs: list[str]) -> None:
        form = query_form(text) or "SELECT"
        if form == "UPDATE":
            raise _HttpError(400, "this is an update: POST it as 'update' (to a writable server)")
        media = negotiate(self.headers.get("Accept"), form)
        if media is None:
            offered = RESULT_MEDIA_TYPES if form in ("SELECT", "ASK") else GRAPH_MEDIA_TYPES
            raise _HttpError(
                406, f"cannot answer in {self.headers.get('Accept')}; offered: {', '.join(offered)}"
            )
        if self.server.processes is not None:
            status, body, headers = self.server.processes.run(text, default_graphs, named_graphs, media)
            if status != 200:
                raise _HttpError(status, body.decode("utf-8", "replace"))
            self._send(200, body, f"{media}; charset=utf-8", headers)
            return
        workers = self.server.workers
        assert workers is not None  # a server has either query processes or threads
        cancel = threading.Event()
        future = workers.submit(
            run_query, self.server.store, text, default_graph_uris=default_graphs,
            named_graph_uris=named_graphs, max_rows=self.server.max_rows,
            timeout=self.server.query_timeout, cancel=cancel, declared=(),
        )  # fmt: skip
        try:
            result = future.result(timeout=self.server.query_timeout)
        except FutureTimeout:
            cancel.set()
            raise _HttpError(503, f"query timed out after {self.server.query_timeout:g} s") from None
        except QueryTimeout as err:
            raise _HttpError(503, f"query timed out after {self.server.query_timeout:g} s") from err
        except QueryRefused as err:
            raise _HttpError(403, str(err)) from err
        except QueryError as err:
            raise _HttpError(400, f"query error: {err}") from err
        except RemoteError as err:
            raise _HttpError(502, str(err)) from err
        headers = {"SECKG-Truncated": "true"} if result.truncated else {}
        self._send(200, serialize_media(result, media), f"{media}; charset=utf-8", headers)

    def _based(self, text: str) -> str:
        """The text with this endpoint's URL as its base when it holds relative IRIs (``<s>``):
        the protocol lets the service set the base."""
        if not _RELATIVE_IRI.search(text):
            return text
        host = self.headers.get("Host") or self.server.authority
        return f"BASE <http://{host}{urlsplit(self.path).path}> " + text

    def _update(self, text: str) -> None:
        if not self.server.writable:
            raise _HttpError(403, "this endpoint is read-only (start it with --writable to allow updates)")
        if not self._same_origin():
            raise _HttpError(403, "cross-origin updates are refused")
        try:
            text = checked_update(text)  # decided from a parse; the text that passed is the text that runs
        except RequestSyntaxError as err:
            raise _HttpError(400, f"update error: {err}") from err
        except RequestRefused as err:
            raise _HttpError(403, f"{err} (in updates)") from err
        store = self.server.store
        try:
            if isinstance(store, RemoteStore):
                store.update(text)
            else:  # on a thread with no network (when the platform allows): nothing to fetch from
                updater, processes = self.server.updater, self.server.processes
                assert updater is not None and processes is not None  # a writable local store has both
                updater.run(store.update, text, prefixes=PREFIXES)
                processes.refresh(store)
                self.server.page_cache.clear()  # the viewer shows the store as it is now
        except SyntaxError as err:
            raise _HttpError(400, f"update error: {err}") from err
        except (OSError, RuntimeError) as err:
            raise _HttpError(500, f"update failed: {err}") from err
        self._send(204, b"", "text/plain")
