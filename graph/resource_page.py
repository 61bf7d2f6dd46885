"""A page per resource (``GET /resource?iri=...``): its facts as subject and as object, the named
graph each comes from, and the evidence behind it (the sentence a release says it in).

Every piece of text is escaped (release text is untrusted); the page has no script. The IRI is
checked as an IRI and bound with a ``VALUES`` block written by the RDF library, never pasted.
The queries run like any other on the endpoint (:func:`run_select`): in a worker process with
the server's time limit on a local store.

Examples
--------
>>> import pyoxigraph as ox
>>> from graph.results import QueryResult, serialize_media
>>> def select(text):
...     row = (ox.NamedNode("https://w3id.org/seckg/graph/reference"), ox.NamedNode(
...         "http://www.w3.org/2000/01/rdf-schema#label"), ox.Literal("<b>Panama</b>", language="en"))
...     answer = QueryResult("SELECT", ("g", "p", "o"), [row] if "?p ?o" in text else [])
...     return serialize_media(answer, "application/sparql-results+json")
>>> html = resource_html("https://w3id.org/seckg/id/country/PAN", select)
>>> "&lt;b&gt;Panama&lt;/b&gt;" in html and "<b>Panama" not in html
True
>>> 'href="/resource?iri=https%3A%2F%2Fw3id.org%2Fseckg%2Fgraph%2Freference"' in html
True
"""

from __future__ import annotations

import json
from collections.abc import Callable
from html import escape
from urllib.parse import quote

import pyoxigraph as ox

from graph.namespaces import DCTERMS, RDFS, SKOS
from graph.query import QueryError, run_query
from graph.remote import RemoteError
from graph.results import compact_iri, serialize_media
from graph.server_page import PageError

__all__ = ["MAX_FACTS", "RESOURCE_CSP", "resource_html", "run_select"]

MAX_FACTS = 500
"""Most facts shown in each direction (the page says when there are more)."""
RESOURCE_CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"
"""The page's Content-Security-Policy: no script at all."""
_JSON = "application/sparql-results+json"
_LABELS = (str(RDFS.label), str(SKOS.prefLabel), str(DCTERMS.title))

_OUTGOING = "SELECT ?g ?p ?o WHERE { GRAPH ?g { ?r ?p ?o } } ORDER BY ?p ?o ?g LIMIT %d"
_INCOMING = "SELECT ?g ?s ?p WHERE { GRAPH ?g { ?s ?p ?r } } ORDER BY ?p ?s ?g LIMIT %d"
_EVIDENCE = """PREFIX seckg: <https://w3id.org/seckg/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT DISTINCT ?g ?evidence ?field ?sentence ?part ?start ?end ?release WHERE {
  { GRAPH ?g { ?r seckg:hasEvidence ?evidence } }
  UNION { GRAPH ?h { ?r seckg:report ?report } GRAPH ?g { ?report seckg:hasEvidence ?evidence } }
  GRAPH ?g {
    ?evidence seckg:sentence ?sentence .
    OPTIONAL { ?evidence seckg:field ?field }
    OPTIONAL { ?evidence seckg:textPart ?part }
    OPTIONAL { ?evidence seckg:startOffset ?start ; seckg:endOffset ?end }
    OPTIONAL { ?evidence prov:wasQuotedFrom ?release }
  }
} ORDER BY ?release ?start ?evidence LIMIT %d"""
_GRAPHS = """PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT ?g ?from ?at WHERE {
  VALUES ?g { %s }
  GRAPH ?g { ?g prov:wasDerivedFrom ?from . OPTIONAL { ?g prov:generatedAtTime ?at } }
} ORDER BY ?g ?from"""

_STYLE = """body { font: 15px/1.4 system-ui, sans-serif; margin: 1.5em; color: #222; }
table { border-collapse: collapse; margin: 0.5em 0 1.5em; font-size: 13px; }
td, th { border: 1px solid #ccc; padding: 2px 6px; vertical-align: top; text-align: left; }
th { background: #f3f3f3; } code { font-size: 13px; } .more { color: #a60; }
blockquote { margin: 0; max-width: 60em; }"""


def run_select(server, text: str) -> bytes:
    """Run a ``SELECT`` the way the endpoint runs queries; return SPARQL JSON results.

    ``server`` is a :class:`graph.server.SparqlServer`: on a local store the query goes to its
    worker processes (killed at the time limit); on a remote store it runs here.
    """
    if server.processes is not None:
        status, body, _ = server.processes.run(text, (), (), _JSON)
        if status != 200:
            raise PageError(status, body.decode("utf-8", "replace"))
        return body
    try:
        result = run_query(server.store, text, max_rows=server.max_rows, timeout=server.query_timeout)
    except QueryError as err:
        raise PageError(400, f"query error: {err}") from err
    except RemoteError as err:
        raise PageError(502, str(err)) from err
    return serialize_media(result, _JSON)


def _rows(select: Callable[[str], bytes], text: str, iri: ox.NamedNode) -> list[dict]:
    bound = text.replace("WHERE {", f"WHERE {{ VALUES ?r {{ {iri} }}", 1)
    return json.loads(select(bound))["results"]["bindings"]


def _link(iri: str) -> str:
    href = "/resource?iri=" + quote(iri, safe="")
    return f'<a href="{href}" title="{escape(iri)}">{escape(compact_iri(iri))}</a>'


def _term(term: dict | None) -> str:
    """One SPARQL JSON term as escaped HTML (IRIs link to their own page)."""
    if term is None:
        return ""
    kind, value = term.get("type"), term.get("value", "")
    if kind == "uri":
        return _link(value)
    if kind == "bnode":
        return f"<code>_:{escape(value)}</code>"
    text = escape(value)
    if "xml:lang" in term:
        return f"{text} <small>@{escape(term['xml:lang'])}</small>"
    if "datatype" in term:
        return f"{text} <small>^^{escape(compact_iri(term['datatype']))}</small>"
    return text


def _table(headers: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    return f"<table><tr>{head}</tr>{body}</table>"


def _section(title: str, headers: tuple[str, ...], rows: list[tuple[str, ...]], more: bool) -> str:
    if not rows:
        return f"<h2>{escape(title)}</h2><p>None.</p>"
    note = f'<p class="more">Only the first {MAX_FACTS} are shown.</p>' if more else ""
    return f"<h2>{escape(title)} ({len(rows)})</h2>{note}{_table(headers, rows)}"


def resource_html(iri: str, select: Callable[[str], bytes]) -> str:
    """The page about ``iri``; ``select`` runs a SPARQL ``SELECT`` and returns SPARQL JSON.

    ``PageError`` 400 when ``iri`` is not an absolute IRI.
    """
    try:
        node = ox.NamedNode(iri)
    except ValueError as err:
        raise PageError(400, f"{iri[:200]!r} is not an IRI: {err}") from None
    outgoing = _rows(select, _OUTGOING % (MAX_FACTS + 1), node)
    incoming = _rows(select, _INCOMING % (MAX_FACTS + 1), node)
    evidence = _rows(select, _EVIDENCE % (MAX_FACTS + 1), node)
    shown = outgoing[:MAX_FACTS] + incoming[:MAX_FACTS] + evidence[:MAX_FACTS]
    graphs = sorted({r["g"]["value"] for r in shown})
    listed = " ".join(str(ox.NamedNode(g)) for g in graphs)
    provenance = json.loads(select(_GRAPHS % listed))["results"]["bindings"] if graphs else []
    labels = sorted(r["o"]["value"] for r in outgoing if r["p"]["value"] in _LABELS and "o" in r)
    heading = escape(labels[0]) if labels else escape(compact_iri(iri))
    parts = [
        f"<h1>{heading}</h1><p><code>{escape(iri)}</code> · <a href=\"/query\">query page</a></p>",
        _section(
            "Facts about it", ("property", "value", "named graph"),
            [(_term(r["p"]), _term(r.get("o")), _term(r["g"])) for r in outgoing[:MAX_FACTS]],
            len(outgoing) > MAX_FACTS,
        ),
        _section(
            "Facts pointing to it", ("subject", "property", "named graph"),
            [(_term(r["s"]), _term(r["p"]), _term(r["g"])) for r in incoming[:MAX_FACTS]],
            len(incoming) > MAX_FACTS,
        ),
        _section(
            "Evidence", ("sentence", "field", "part", "characters", "release", "named graph"),
            [
                (
                    f"<blockquote>{_term(r['sentence'])}</blockquote>", _term(r.get("field")),
                    _term(r.get("part")),
                    escape(f"{r['start']['value']}–{r['end']['value']}") if "end" in r else "",
                    _term(r.get("release")), _term(r["g"]),
                )
                for r in evidence[:MAX_FACTS]
            ],
            len(evidence) > MAX_FACTS,
        ),
        _section(
            "Where the named graphs come from", ("named graph", "derived from", "generated at"),
            [(_term(r["g"]), _term(r["from"]), _term(r.get("at"))) for r in provenance], False,
        ),
    ]  # fmt: skip
    body = "\n".join(parts)
    return (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{heading} · seckg</title>\n<style>{_STYLE}</style>\n</head>\n"
        f"<body>\n{body}\n</body>\n</html>\n"
    )
