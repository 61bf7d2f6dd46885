"""The request side of the SPARQL 1.1 Protocol: bodies, operations and the dataset they name.

The server (:mod:`graph.server`) reads an HTTP request into a :class:`ProtocolRequest` with
:func:`read_request`, which applies the protocol's rules in one place:

- a query comes as ``query`` (URL query string or URL-encoded form) or as an
  ``application/sparql-query`` body; an update as ``update`` (URL-encoded form) or as an
  ``application/sparql-update`` body, and only by ``POST``;
- exactly one operation per request (two ``query`` or ``update`` fields are refused, not joined);
- bodies are UTF-8, as the protocol's media types require: a body declaring another charset is
  refused with 415 rather than read as something it is not;
- ``default-graph-uri``/``named-graph-uri`` belong to queries, ``using-graph-uri``/
  ``using-named-graph-uri`` to updates; each value must be an IRI.

:func:`scope_update` applies ``using-graph-uri``/``using-named-graph-uri`` to an update by
giving every operation with a ``WHERE`` clause the matching ``USING``/``USING NAMED`` clauses
(the protocol's meaning); an update that names its own dataset with ``USING`` or ``WITH`` as well
is refused, as the protocol requires. The rewritten text is still checked by
:func:`graph.sparql_guard.checked_update` before it runs.

Examples
--------
>>> print(scope_update("INSERT { ?s a <http://e/T> } WHERE { ?s ?p ?o }", ["http://e/g"], []))
INSERT { ?s a <http://e/T> } USING <http://e/g> WHERE { ?s ?p ?o }
>>> scope_update("WITH <http://e/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", [], ["http://e/n"])
Traceback (most recent call last):
...
graph.protocol.ProtocolError: the update names its dataset with WITH and the request with ...
>>> body_text(b"ASK {}", "application/sparql-query; charset=UTF-16")
Traceback (most recent call last):
...
graph.protocol.ProtocolError: SPARQL bodies are UTF-8; this one declares UTF-16
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from urllib.parse import parse_qs

import pyoxigraph as ox

from graph.sparql_lex import tokens

__all__ = [
    "DATASET_PARAMETERS",
    "ProtocolError",
    "ProtocolRequest",
    "body_text",
    "form_params",
    "quiet_clears",
    "read_request",
    "scope_update",
]

QUERY_MEDIA = "application/sparql-query"
UPDATE_MEDIA = "application/sparql-update"
FORM_MEDIA = "application/x-www-form-urlencoded"
DATASET_PARAMETERS = {
    "query": ("default-graph-uri", "named-graph-uri"),
    "update": ("using-graph-uri", "using-named-graph-uri"),
}
"""The dataset parameters each operation takes."""

_CHARSET = re.compile(r";\s*charset\s*=\s*\"?([\w.:-]+)", re.IGNORECASE)


class ProtocolError(ValueError):
    """A request the protocol does not allow; ``status`` is the HTTP status to answer with."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class ProtocolRequest:
    """One protocol operation: ``kind`` is ``"query"`` or ``"update"``, ``text`` its SPARQL, and
    ``graphs``/``named`` the dataset the request names (``default-graph-uri``/``named-graph-uri``
    for a query, ``using-graph-uri``/``using-named-graph-uri`` for an update)."""

    kind: str
    text: str
    graphs: list[str] = field(default_factory=list)
    named: list[str] = field(default_factory=list)


def body_text(body: bytes, content_type: str) -> str:
    """Decode a request body, which the protocol's media types require to be UTF-8.

    Raises :class:`ProtocolError` (415) for a body that declares another charset or is not UTF-8.

    Examples
    --------
    >>> body_text("ASK { FILTER('é') }".encode(), "application/sparql-query; charset=utf-8")
    "ASK { FILTER('é') }"
    """
    declared = _CHARSET.search(content_type)
    if declared:
        try:
            name = codecs.lookup(declared.group(1)).name
        except LookupError:
            raise ProtocolError(f"unknown charset {declared.group(1)[:40]}", 415) from None
        if name != "utf-8":
            raise ProtocolError(f"SPARQL bodies are UTF-8; this one declares {declared.group(1)[:40]}", 415)
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as err:
        raise ProtocolError(f"the body is not UTF-8 text: {err}", 415) from None


def form_params(url_query: str, body: bytes, content_type: str) -> dict[str, list[str]]:
    """The parameters of the URL's query string and of a URL-encoded form body, together.

    Examples
    --------
    >>> form_params("name=a", b"param=focus%3Dcustoms", "application/x-www-form-urlencoded")
    {'name': ['a'], 'param': ['focus=customs']}
    """
    params = parse_qs(url_query, keep_blank_values=True)
    if content_type.split(";")[0].strip().lower() == FORM_MEDIA:
        for key, values in parse_qs(body_text(body, content_type), keep_blank_values=True).items():
            params.setdefault(key, []).extend(values)
    return params


def _iris(params: dict[str, list[str]], name: str) -> list[str]:
    values = params.get(name, [])
    for value in values:
        try:
            ox.NamedNode(value)
        except ValueError as err:
            raise ProtocolError(f"{name} {value[:200]!r} is not an IRI: {err}") from None
    return values


def read_request(method: str, route: str, url_query: str, body: bytes, content_type: str) -> ProtocolRequest:
    """Read the operation a protocol request carries.

    Parameters
    ----------
    method : str
        ``GET`` or ``POST`` (``HEAD`` reads like ``GET``).
    route : str
        The path: ``/update`` takes only updates; other protocol paths take either.
    url_query : str
        The URL's query string (still percent-encoded).
    body, content_type : bytes, str
        The request body and its ``Content-Type`` header (empty for ``GET``).

    Returns
    -------
    ProtocolRequest

    Raises
    ------
    ProtocolError
        With the status to answer: 400 (no operation, two operations, a parameter that is not an
        IRI or does not belong to the operation), 405 (an update by ``GET``), 415 (a body the
        protocol does not take).

    Examples
    --------
    >>> read_request("GET", "/query", "query=ASK%7B%7D&default-graph-uri=http%3A%2F%2Fe%2Fg", b"", "")
    ProtocolRequest(kind='query', text='ASK{}', graphs=['http://e/g'], named=[])
    >>> read_request("POST", "/query", "", b"update=CLEAR+ALL", "application/x-www-form-urlencoded").kind
    'update'
    """
    params = parse_qs(url_query, keep_blank_values=True)
    media = content_type.split(";")[0].strip().lower()
    direct: tuple[str, str] | None = None
    if method == "POST":
        if media in (QUERY_MEDIA, UPDATE_MEDIA):
            direct = ("query" if media == QUERY_MEDIA else "update", body_text(body, content_type))
        elif media == FORM_MEDIA:
            for key, values in parse_qs(body_text(body, content_type), keep_blank_values=True).items():
                params.setdefault(key, []).extend(values)
        elif body.strip() or media:
            raise ProtocolError(
                f"a protocol POST takes {QUERY_MEDIA}, {UPDATE_MEDIA} or {FORM_MEDIA}, "
                f"not {media or 'no type'}",
                415,
            )
    operations: list[str] = [name for name in ("query", "update") if name in params]
    if direct is not None:
        operations.append(direct[0])
    if not operations:
        raise ProtocolError("give one 'query' or 'update' (as a parameter or an application/sparql-* body)")
    if len(operations) > 1 or len(params.get(operations[0], [])) > 1:
        raise ProtocolError("give exactly one query or update per request")
    kind = operations[0]
    text = direct[1] if direct is not None else params[kind][0]
    if kind == "update" and method != "POST":
        raise ProtocolError("updates must be POSTed", 405)
    if kind == "query" and route == "/update":
        raise ProtocolError("this path takes updates: send queries to /query")
    if not text.strip():
        raise ProtocolError(f"the {kind} is empty")
    other = "update" if kind == "query" else "query"
    for name in DATASET_PARAMETERS[other]:
        if name in params:
            raise ProtocolError(f"{name} belongs to {other} requests, not to this {kind}")
    graphs_name, named_name = DATASET_PARAMETERS[kind]
    return ProtocolRequest(kind, text, _iris(params, graphs_name), _iris(params, named_name))


def quiet_clears(text: str) -> str:
    """Make every ``CLEAR`` of the update ``CLEAR SILENT``.

    Clearing a graph that is not there leaves what was asked, a store without its triples; the
    engine would fail the whole update for it (stores that do not record empty graphs, which the
    Update spec allows, succeed). ``DROP``, ``ADD``, ``MOVE`` and ``COPY`` keep their errors.

    Examples
    --------
    >>> quiet_clears("CLEAR GRAPH <http://e/g> ; clear silent default ; INSERT DATA { <a:b> <a:c> 'CLEAR' }")
    "CLEAR SILENT GRAPH <http://e/g> ; clear silent default ; INSERT DATA { <a:b> <a:c> 'CLEAR' }"
    """
    toks = [t for t in tokens(text) if t.kind != "comment"]
    cuts = [
        toks[i + 1].start
        for i, token in enumerate(toks[:-1])
        if token.kind == "word" and token.text.upper() == "CLEAR" and toks[i + 1].text.upper() != "SILENT"
    ]
    for cut in reversed(cuts):
        text = f"{text[:cut]}SILENT {text[cut:]}"
    return text


def _matching_brace(toks: list, opening: int) -> int:
    depth = 0
    for index in range(opening, len(toks)):
        if toks[index].kind == "punct" and toks[index].text in "{}":
            depth += 1 if toks[index].text == "{" else -1
            if depth == 0:
                return index
    raise ProtocolError("the update has an unclosed '{'")


def scope_update(text: str, graphs: list[str], named: list[str]) -> str:
    """Give every operation of ``text`` that has a ``WHERE`` clause the request's dataset.

    Each ``INSERT``/``DELETE ... WHERE`` gets ``USING <g>`` for every ``graphs`` IRI and
    ``USING NAMED <g>`` for every ``named`` IRI before its ``WHERE``; the ``DELETE WHERE { P }``
    shorthand, which cannot carry ``USING``, is written out as ``DELETE { P } USING ... WHERE
    { P }``. Operations without ``WHERE`` (``INSERT DATA``, ``CLEAR`` ...) are unchanged.

    Raises :class:`ProtocolError` when the update names a dataset itself (``USING``/``WITH``).

    Examples
    --------
    >>> print(scope_update("DELETE WHERE { ?s <http://e/p> ?o }", [], ["http://e/n"]))
    DELETE { ?s <http://e/p> ?o } USING NAMED <http://e/n> WHERE { ?s <http://e/p> ?o }
    """
    if not graphs and not named:
        return text
    clause = " ".join([f"USING <{iri}>" for iri in graphs] + [f"USING NAMED <{iri}>" for iri in named])
    given = "using-graph-uri" if graphs else "using-named-graph-uri"
    toks = [t for t in tokens(text) if t.kind != "comment"]
    pieces: list[str] = []
    done = 0
    index = 0
    while index < len(toks):
        token = toks[index]
        if token.kind == "punct" and token.text == "{":
            index = _matching_brace(toks, index) + 1
            continue
        word = token.text.upper() if token.kind == "word" else ""
        if word in ("USING", "WITH"):
            raise ProtocolError(
                f"the update names its dataset with {word} and the request with {given}: "
                "give one or the other"
            )
        if word == "WHERE":
            previous = toks[index - 1] if index else None
            if previous is not None and previous.kind == "word" and previous.text.upper() == "DELETE":
                if index + 1 >= len(toks) or toks[index + 1].text != "{":
                    raise ProtocolError("DELETE WHERE needs a '{' group")
                closing = _matching_brace(toks, index + 1)
                pattern = text[toks[index + 1].start : toks[closing].start + 1]
                pieces.append(text[done : token.start])
                pieces.append(f"{pattern} {clause} WHERE {pattern}")
                done = toks[closing].start + 1
                index = closing + 1
                continue
            pieces.append(text[done : token.start])
            pieces.append(f"{clause} ")
            done = token.start
        index += 1
    pieces.append(text[done:])
    return "".join(pieces)
