"""The endpoint's query page: YASGUI bundled in the package, the saved queries and their parameters.

``GET /query`` from a browser (``Accept`` prefers HTML) gets :func:`page_html`; its script and style
sheets are package files (``graph/query_assets/``, see its README) served by :func:`asset`, so the
page makes no request to another host. The saved queries (``ontology/queries/*.rq``) are listed
with their declared parameters by :func:`saved_query_listing`; a run with parameters
(``/queries/run``) gets its text from :func:`bound_query`: each value becomes an RDF term
(:func:`graph.query.bind_params`) written into a ``VALUES`` block at the start of each ``WHERE``
group (:func:`graph.sparql_values.bind_values`), never pasted into the text as typed.

Examples
--------
>>> wants_page("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
True
>>> wants_page("text/turtle"), wants_page(None)
(False, False)
>>> body, media = asset("page.css")
>>> media
'text/css; charset=utf-8'
>>> text = "# param: country country\\nSELECT ?country WHERE { ?x seckg:country ?country }"
>>> print(bound_query({"query": [text], "param": ["country=PAN"]}))
# param: country country
SELECT ?country WHERE {
VALUES (?country) { (<https://w3id.org/seckg/id/country/PAN>) }
 ?x seckg:country ?country }
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources

from graph.namespaces import PREFIXES
from graph.query import QueryError, bind_params, parse_header, parse_param_args, saved_queries
from graph.sparql_values import bind_values
from graph.store import StoreLike

__all__ = [
    "ASSET_ROUTE",
    "PAGE_CSP",
    "PageError",
    "asset",
    "bound_query",
    "page_html",
    "saved_query_listing",
    "wants_page",
]

ASSET_ROUTE = "/query-assets/"
"""Where the page's scripts and style sheets are served (file name after it)."""
PAGE_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'self'"
)
"""The page's Content-Security-Policy: every script, style sheet and request stays on this server."""

_ASSETS = {
    "yasgui.min.js": "text/javascript; charset=utf-8",
    "yasgui.min.css": "text/css; charset=utf-8",
    "page.js": "text/javascript; charset=utf-8",
    "page.css": "text/css; charset=utf-8",
    "LICENSE": "text/plain; charset=utf-8",
}
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_MEDIA_RANGE = re.compile(r"^\s*([^;\s]+)\s*(?:;(.*))?$")
_DEFAULT_QUERY = """\
PREFIX seckg: <https://w3id.org/seckg/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>

SELECT ?agreement ?title ?date WHERE {
  ?agreement a seckg:Agreement .
  OPTIONAL { ?agreement dcterms:title ?title }
  OPTIONAL { ?agreement seckg:signedOn ?date }
} ORDER BY ?date ?agreement LIMIT 50
"""

_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>seckg SPARQL query</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<link rel="stylesheet" href="{assets}yasgui.min.css">
<link rel="stylesheet" href="{assets}page.css">
<script type="application/json" id="seckg-config">{config}</script>
</head>
<body>
<header>
<h1>seckg SPARQL query</h1>
<p>SPARQL 1.1 Protocol endpoint at <code>/query</code> (GET or POST <code>query</code>; <code>/sparql</code>
is the same endpoint). The default graph is the union of all graphs; prefixes such as
<code>seckg:</code>, <code>org:</code>, <code>skos:</code>, <code>prov:</code> are predeclared.
IRIs in results open a page about the resource. <a href="/viewer">Graph viewer</a> ·
<a href="{assets}LICENSE">third-party licences</a></p>
</header>
<section id="saved-panel">
<p><label>Saved query: <select id="saved"><option value="">(none: the editor's query)</option>
</select></label>
<span id="question"></span></p>
<form id="params" autocomplete="off"></form>
<button id="run-saved" type="button" hidden>Run with these parameters</button>
</section>
<p id="downloads">Download the results: <button id="download-csv" type="button">CSV</button>
<button id="download-json" type="button">JSON</button><span id="status"></span></p>
<div id="yasgui"></div>
<script src="{assets}yasgui.min.js"></script>
<script src="{assets}page.js"></script>
</body>
</html>
"""


class PageError(Exception):
    """A request for a page or a parameterized run that cannot be answered (``status``: HTTP code)."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


@cache
def page_html() -> str:
    """The query page (the same text on every call: prefixes and the default query are inlined)."""
    config = {
        "prefixes": PREFIXES,
        "endpoint": "/query",
        "run": "/queries/run",
        "resource": "/resource",
        "defaultQuery": _DEFAULT_QUERY,
    }
    data = json.dumps(config, sort_keys=True).replace("<", "\\u003c").replace("&", "\\u0026")
    return _PAGE.format(assets=ASSET_ROUTE, config=data)


@cache
def asset(name: str) -> tuple[bytes, str]:
    """The bytes and media type of the page's file ``name``; ``PageError`` 404 for any other name."""
    if name not in _ASSETS:
        raise PageError(404, f"no such file: {name[:100]}")
    data = resources.files("graph").joinpath("query_assets", name).read_bytes()
    return data, _ASSETS[name]


def wants_page(accept: str | None) -> bool:
    """True when ``accept`` prefers HTML (a browser) to every other type it lists with a weight.

    ``*/*`` alone or no header is not a browser: the endpoint then describes itself in RDF.
    """
    best_html, best_other = 0.0, 0.0
    for item in (accept or "").split(","):
        match = _MEDIA_RANGE.match(item)
        if not match:
            continue
        media, q = match.group(1).lower(), 1.0
        for param in (match.group(2) or "").split(";"):
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if media in _HTML_TYPES:
            best_html = max(best_html, q)
        elif media != "*/*":
            best_other = max(best_other, q)
    return best_html > 0 and best_html >= best_other


def saved_query_listing() -> list[dict]:
    """The saved queries as JSON-ready dicts: name, question, text and declared parameters."""
    return [
        {
            "name": q.name,
            "question": q.question,
            "text": q.text,
            "params": [
                {"name": p.name, "kind": p.kind, "default": p.default, "description": p.description}
                for p in q.params
            ],
        }
        for q in saved_queries()
    ]


def bound_query(params: dict[str, list[str]], store: StoreLike | None = None) -> str:
    """The text of a run with parameters: one ``query`` and ``param`` values ``NAME=VALUE``.

    The query's leading comment declares the parameters' kinds (as for ``seckg query``); declared
    defaults apply to parameters not given. ``PageError`` 400 names what is wrong.

    Parameters
    ----------
    params : dict of str to list of str
        The request's fields (query string and form).
    store : pyoxigraph.Store or RemoteStore, optional
        Used to look an agency up by name.
    """
    queries = params.get("query", [])
    if len(queries) != 1:
        raise PageError(400, "give exactly one 'query' parameter")
    text = queries[0]
    try:
        values = parse_param_args(params.get("param", []))
        terms = bind_params(values, parse_header(text)[1], store)
    except QueryError as err:
        raise PageError(400, f"parameter error: {err}") from err
    return bind_values(text, terms)
