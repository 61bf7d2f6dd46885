"""The endpoint's routes for people and for discovery, beside the SPARQL protocol itself.

- ``GET /query`` (and its alias ``/sparql``) with no ``query``: the query page when the client
  prefers HTML (a browser), else the SPARQL 1.1 Service Description in RDF
  (:mod:`graph.service_description`). ``GET /`` redirects to ``/query``.
- ``/query-assets/<file>``: the page's bundled scripts and style sheets (:mod:`graph.server_page`).
- ``/queries``: the saved queries with their parameters, as JSON; ``/queries/run``: a query run
  with parameters (``param=NAME=VALUE``) bound as RDF terms, answered like ``/query``.
- ``/resource?iri=...``: a page about one resource (:mod:`graph.resource_page`).

With ``cors`` on, the protocol endpoints (:data:`CORS_ROUTES`) send
``Access-Control-Allow-Origin: *`` (:func:`cors_headers`); nothing else does.

Examples
--------
>>> cors_headers(True, "/query")["Access-Control-Allow-Origin"]
'*'
>>> cors_headers(True, "/resource"), cors_headers(False, "/query")
({}, {})
"""

from __future__ import annotations

import json
from email.message import Message
from typing import Any, Protocol
from urllib.parse import parse_qs, urlsplit

from graph.protocol import ProtocolError, form_params
from graph.resource_page import RESOURCE_CSP, resource_html, run_select
from graph.results import GRAPH_MEDIA_TYPES, QueryResult, negotiate, serialize_media
from graph.server_page import (
    ASSET_ROUTE,
    PAGE_CSP,
    PageError,
    asset,
    bound_query,
    page_html,
    saved_query_listing,
    wants_page,
)
from graph.service_description import service_description

__all__ = ["CORS_ROUTES", "PageHandler", "answer_page", "cors_headers"]

CORS_ROUTES = frozenset({"/query", "/sparql", "/queries/run", "/store"})
"""Routes that answer other origins when the server runs with ``cors`` (the protocol endpoints)."""
_HTML = "text/html; charset=utf-8"


class PageHandler(Protocol):
    """What these routes use of the server's request handler (:mod:`graph.server`)."""

    command: str
    path: str
    headers: Message
    server: Any  # graph.server.SparqlServer (not imported: it imports this module)

    def _send(self, status: int, body: bytes | str, content_type: str, headers: dict | None = None) -> None:
        """Send one complete answer."""

    def _body(self) -> tuple[bytes, str]:
        """The request's body and its Content-Type."""

    def _query(self, text: str, default_graphs: list[str], named_graphs: list[str]) -> None:
        """Run a query and send its answer as the SPARQL protocol does."""


def cors_headers(enabled: bool, route: str, preflight: bool = False) -> dict[str, str]:
    """The CORS headers of an answer on ``route`` (none unless ``enabled`` and a protocol route)."""
    if not enabled or route not in CORS_ROUTES:
        return {}
    headers = {"Access-Control-Allow-Origin": "*", "Access-Control-Expose-Headers": "SECKG-Truncated"}
    if preflight:
        headers["Access-Control-Allow-Methods"] = "GET, HEAD, POST, OPTIONS"
        headers["Access-Control-Allow-Headers"] = "Accept, Content-Type"
        headers["Access-Control-Max-Age"] = "600"
    return headers


def _describe(handler: PageHandler, route: str) -> None:
    """The page for a browser, else the service description in the RDF syntax asked for."""
    accept = handler.headers.get("Accept")
    if wants_page(accept):
        handler._send(200, page_html(), _HTML, {"Content-Security-Policy": PAGE_CSP})
        return
    media = negotiate(accept, "CONSTRUCT")
    if media is None:
        raise PageError(406, f"the service description comes as {', '.join(GRAPH_MEDIA_TYPES)} or HTML")
    server = handler.server
    host = handler.headers.get("Host") or server.authority
    triples = service_description(f"http://{host}{route}", server.store, writable=server.writable)
    body = serialize_media(QueryResult("CONSTRUCT", triples=triples), media)
    handler._send(200, body, f"{media}; charset=utf-8")


def answer_page(handler: PageHandler, route: str) -> bool:
    """Answer ``route`` if it is one of this module's; return False to let the protocol have it.

    ``handler`` is the server's request handler (:mod:`graph.server`): its ``_send``, ``_body``
    and ``_query`` do the HTTP. ``PageError`` says what went wrong.
    """
    reading = handler.command in ("GET", "HEAD")
    query_string = parse_qs(urlsplit(handler.path).query, keep_blank_values=True)
    if route == "/" and reading:
        handler._send(303, "see /query\n", "text/plain; charset=utf-8", {"Location": "/query"})
    elif route in ("/query", "/sparql") and reading and not {"query", "update"} & set(query_string):
        _describe(handler, route)
    elif route.startswith(ASSET_ROUTE) and reading:
        body, media = asset(route[len(ASSET_ROUTE) :])
        handler._send(200, body, media, {"Cache-Control": "no-cache"})
    elif route == "/queries" and reading:
        handler._send(200, json.dumps(saved_query_listing()), "application/json")
    elif route == "/queries/run":
        try:
            params = form_params(urlsplit(handler.path).query, *handler._body())
        except ProtocolError as err:
            raise PageError(err.status, str(err)) from None
        text = bound_query(params, handler.server.store)
        handler._query(text, params.get("default-graph-uri", []), params.get("named-graph-uri", []))
    elif route == "/resource" and reading:
        iris = query_string.get("iri", [])
        if len(iris) != 1:
            raise PageError(400, "give exactly one 'iri' parameter")
        page = resource_html(iris[0], lambda text: run_select(handler.server, text))
        handler._send(200, page, _HTML, {"Content-Security-Policy": RESOURCE_CSP})
    else:
        return False
    return True
