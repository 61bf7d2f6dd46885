"""Query results and their serializations: aligned text table, SPARQL 1.1 JSON, XML, CSV and TSV
result formats, and RDF for ``CONSTRUCT``/``DESCRIBE``; plus HTTP content negotiation.

Examples
--------
>>> import pyoxigraph as ox
>>> pan = ox.NamedNode("https://w3id.org/seckg/id/country/PAN")
>>> r = QueryResult("SELECT", ("country", "n"), [(pan, ox.Literal(2))])
>>> print(to_table(r))
country      n
-----------  -
country:PAN  2
>>> to_csv(r).splitlines()[1]
'https://w3id.org/seckg/id/country/PAN,2'
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from graph.namespaces import PREFIXES

__all__ = [
    "GRAPH_MEDIA_TYPES",
    "RESULT_MEDIA_TYPES",
    "QueryResult",
    "compact_iri",
    "format_result",
    "negotiate",
    "serialize_media",
    "to_csv",
    "to_json",
    "to_table",
    "to_tsv",
    "to_xml",
]

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_MAX_CELL = 80

RESULT_MEDIA_TYPES = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
"""Media types for ``SELECT``/``ASK`` results (first is the default)."""
GRAPH_MEDIA_TYPES = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "text/plain": ox.RdfFormat.N_TRIPLES,
}
"""Media types for ``CONSTRUCT``/``DESCRIBE`` results (first is the default)."""


@dataclass
class QueryResult:
    """The answer to one query: rows for ``SELECT``, a boolean for ``ASK``, triples otherwise."""

    form: str
    variables: tuple[str, ...] = ()
    rows: list[tuple] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[ox.Triple] = field(default_factory=list)
    truncated: bool = False

    def records(self) -> list[dict[str, str | None]]:
        """Rows as dicts of plain values (IRI or lexical form; ``None`` when unbound)."""
        return [
            {v: (t.value if t is not None else None) for v, t in zip(self.variables, row, strict=True)}
            for row in self.rows
        ]


def compact_iri(iri: str) -> str:
    """Shorten ``iri`` with the longest matching known prefix (for people to read).

    >>> compact_iri("https://w3id.org/seckg/id/agency/USA/department-of-homeland-security")
    'agency:USA/department-of-homeland-security'
    """
    best = ""
    for prefix, base in PREFIXES.items():
        if iri.startswith(base) and len(base) > len(PREFIXES.get(best, "")):
            rest = iri[len(base) :]
            if rest and all(ch.isalnum() or ch in "-_./" for ch in rest):
                best = prefix
    return f"{best}:{iri[len(PREFIXES[best]) :]}" if best else iri


def _cell(term) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        text = compact_iri(term.value)
    elif isinstance(term, ox.BlankNode):
        text = f"_:{term.value}"
    elif isinstance(term, ox.Literal):
        text = term.value
    else:
        text = str(term)
    text = " ".join(text.split())
    return text if len(text) <= _MAX_CELL else text[: _MAX_CELL - 1] + "…"


def to_table(result: QueryResult) -> str:
    """An aligned plain-text table for people to read.

    IRIs are shortened with the known prefixes, literals show their lexical form, long cells are cut.
    """
    if result.form == "ASK":
        return "yes" if result.boolean else "no"
    if result.form != "SELECT":
        return (ox.serialize(result.triples, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES) or b"").decode()
    header = list(result.variables)
    body = [[_cell(t) for t in row] for row in result.rows]
    widths = [max([len(h)] + [len(r[i]) for r in body]) for i, h in enumerate(header)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in body]
    if result.truncated:
        lines.append(f"(first {len(body)} row only)" if len(body) == 1 else f"(first {len(body)} rows only)")
    return "\n".join(lines)


def _json_term(term) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != _XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    return {"type": "triple", "value": str(term)}


def to_json(result: QueryResult) -> str:
    """SPARQL 1.1 Query Results JSON."""
    if result.form == "ASK":
        return json.dumps({"head": {}, "boolean": bool(result.boolean)})
    bindings = [
        {v: _json_term(t) for v, t in zip(result.variables, row, strict=True) if t is not None}
        for row in result.rows
    ]
    return json.dumps(
        {"head": {"vars": list(result.variables)}, "results": {"bindings": bindings}}, ensure_ascii=False
    )


def _xml_term(term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if term.language:
        return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
    if term.datatype.value != _XSD_STRING:
        return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
    return f"<literal>{escape(term.value)}</literal>"


def to_xml(result: QueryResult) -> str:
    """SPARQL Query Results XML."""
    out = ['<?xml version="1.0"?>', '<sparql xmlns="http://www.w3.org/2005/sparql-results#">', "<head>"]
    if result.form == "ASK":
        out += ["</head>", f"<boolean>{'true' if result.boolean else 'false'}</boolean>", "</sparql>"]
        return "\n".join(out)
    out += [f"<variable name={quoteattr(v)}/>" for v in result.variables]
    out += ["</head>", "<results>"]
    for row in result.rows:
        cells = "".join(
            f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>"
            for v, t in zip(result.variables, row, strict=True)
            if t is not None
        )
        out.append(f"<result>{cells}</result>")
    out += ["</results>", "</sparql>"]
    return "\n".join(out)


def to_csv(result: QueryResult) -> str:
    """SPARQL 1.1 CSV results: header of names, plain values (IRIs in full, lexical forms)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    if result.form == "ASK":
        writer.writerows([["boolean"], ["true" if result.boolean else "false"]])
        return buffer.getvalue()
    writer.writerow(result.variables)
    for row in result.rows:
        writer.writerow(
            ["" if t is None else (f"_:{t.value}" if isinstance(t, ox.BlankNode) else t.value) for t in row]
        )
    return buffer.getvalue()


def to_tsv(result: QueryResult) -> str:
    """SPARQL 1.1 TSV results: ``?name`` header, terms in N-Triples/Turtle syntax."""
    if result.form == "ASK":
        return "?boolean\n" + ("true" if result.boolean else "false") + "\n"
    lines = ["\t".join(f"?{v}" for v in result.variables)]
    lines += ["\t".join("" if t is None else str(t) for t in row) for row in result.rows]
    return "\n".join(lines) + "\n"


_FORMATTERS = {"table": to_table, "json": to_json, "xml": to_xml, "csv": to_csv, "tsv": to_tsv}
_GRAPH_FORMATS = {"table": ox.RdfFormat.TURTLE, "json": ox.RdfFormat.JSON_LD, "xml": ox.RdfFormat.RDF_XML}


def format_result(result: QueryResult, fmt: str = "table") -> str:
    """Serialize ``result`` as ``table``, ``json``, ``xml``, ``csv`` or ``tsv``.

    Graph results (``CONSTRUCT``/``DESCRIBE``) come out as Turtle for ``table``, JSON-LD for
    ``json``, RDF/XML for ``xml`` and N-Triples for ``csv``/``tsv``.
    """
    if fmt not in _FORMATTERS:
        raise ValueError(f"unknown format {fmt!r} (one of {', '.join(_FORMATTERS)})")
    if result.form in ("SELECT", "ASK"):
        return _FORMATTERS[fmt](result)
    rdf_format = _GRAPH_FORMATS.get(fmt, ox.RdfFormat.N_TRIPLES)
    prefixes = PREFIXES if rdf_format in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML) else None
    return (ox.serialize(result.triples, format=rdf_format, prefixes=prefixes) or b"").decode("utf-8")


def negotiate(accept: str | None, form: str) -> str | None:
    """Pick the response media type for ``form`` from an HTTP ``Accept`` header (``None``: none fits)."""
    offered = list(RESULT_MEDIA_TYPES if form in ("SELECT", "ASK") else GRAPH_MEDIA_TYPES)
    choices = []
    for position, item in enumerate((accept or "*/*").split(",")):
        parts = [p.strip() for p in item.split(";")]
        media, quality = parts[0].lower(), 1.0
        for param in parts[1:]:
            if param.startswith("q="):
                try:
                    quality = float(param[2:])
                except ValueError:
                    quality = 0.0
        choices.append((-quality, position, media))
    for negative_q, _, media in sorted(choices):
        if negative_q >= 0:
            break
        if media in offered:
            return media
        if media in ("*/*", "application/*", "text/*"):
            family = media.split("/")[0]
            for candidate in offered:
                if media == "*/*" or candidate.startswith(family + "/"):
                    return candidate
    return None


def serialize_media(result: QueryResult, media: str) -> bytes:
    """Serialize ``result`` for an HTTP response of media type ``media`` (from :func:`negotiate`)."""
    if result.form in ("SELECT", "ASK"):
        return format_result(result, RESULT_MEDIA_TYPES[media]).encode("utf-8")
    rdf_format = GRAPH_MEDIA_TYPES[media]
    prefixes = PREFIXES if rdf_format == ox.RdfFormat.TURTLE else None
    return ox.serialize(result.triples, format=rdf_format, prefixes=prefixes) or b""
