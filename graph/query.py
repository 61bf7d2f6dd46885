"""Run SPARQL over the store: text, a ``.rq`` file or a saved query, with parameters bound as RDF terms.

Saved queries live in ``ontology/queries/<name>.rq``. Their leading comment says what question
they answer and declares their parameters::

    # question: Which agreements cover a given focus area?
    # param: focus focus default=cybersecurity

A parameter value becomes an RDF term according to its kind (``focus``, ``country``, ``agency``,
``person``, ``agreement``, ``release``, ``type``, ``iri``, ``date``, ``integer``, ``string``;
undeclared ones are guessed: ``<iri>``, ``prefix:name``, an integer, a date, else a string). The term
is written by the engine's serializer into ``VALUES`` blocks (:func:`graph.sparql_values.bind_values`:
first in every ``WHERE`` group, sub-queries included, where the planner starts; after the ``BIND``
of a variable the query assigns), never pasted from the user's text.
A ``focus``, ``type`` or ``country`` given as a bare id must be one the ontology knows
(``focus-areas.ttl``, ``agreement-types.ttl``, the country gazetteer); any other is refused with
the known ids listed. Parameters must be in the query's ``SELECT`` projection.

Examples
--------
>>> store = __import__("pyoxigraph").Store()
>>> run_query(store, "SELECT ?x WHERE { BIND(1 AS ?y) }", params={"x": "focus:cybersecurity"}).records()
[{'x': 'https://w3id.org/seckg/focus/cybersecurity'}]
>>> run_query(store, "SELEC ?x")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
graph.query.QueryError: error at 1:...
"""

from __future__ import annotations

import gc
import itertools
import logging
import re
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from operator import attrgetter
from pathlib import Path

import pyoxigraph as ox

from graph import resources
from graph.iris import agreement_type_iri, country_code, country_iri, focus_iri, person_iri, release_iri, slug
from graph.namespaces import ID, PREFIXES, XSD
from graph.remote import RemoteError
from graph.results import QueryResult
from graph.sparql_guard import RequestRefused, RequestSyntaxError, checked_query
from graph.sparql_lex import has_dataset_clause, query_form
from graph.sparql_order import sort_rows, split_order_by
from graph.sparql_values import bind_values
from graph.store import StoreLike, execute

__all__ = [
    "PARAM_KINDS",
    "Param",
    "QueryError",
    "QueryRefused",
    "QueryTimeout",
    "SavedQuery",
    "bind_params",
    "load_saved_query",
    "parse_header",
    "parse_param_args",
    "read_query_source",
    "run_query",
    "saved_queries",
    "term_for",
]

log = logging.getLogger(__name__)
_VALUE = attrgetter("value")

PARAM_KINDS = (
    "focus", "country", "agency", "person", "agreement", "release", "type",
    "iri", "date", "integer", "string",
)  # fmt: skip
_PARAM_LINE = re.compile(r"^#\s*param:\s*(\w+)\s+(\w+)(?:\s+default=(\S+))?\s*(.*)$")
_QUESTION_LINE = re.compile(r"^#\s*question:\s*(.+)$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_INT = re.compile(r"^[+-]?\d+$")
_PNAME = re.compile(r"^([A-Za-z][\w-]*):(\S*)$")


class QueryError(ValueError):
    """A query or parameter is wrong (the message is the parser's or says what to change)."""


class QueryRefused(QueryError):
    """The query asks the engine to fetch a URL or read a file (``SERVICE``, ``LOAD``), or holds text
    that parsers could read differently (see :mod:`graph.sparql_guard`)."""


class QueryTimeout(QueryError):
    """The query ran out of time."""


@dataclass(frozen=True)
class Param:
    """A declared parameter of a saved query."""

    name: str
    kind: str
    default: str | None = None
    description: str = ""


@dataclass(frozen=True)
class SavedQuery:
    """A saved query: its name, the question it answers, its parameters and text."""

    name: str
    question: str
    params: tuple[Param, ...]
    text: str


@lru_cache(maxsize=256)
def parse_header(text: str) -> tuple[str, tuple[Param, ...]]:
    """Return the ``question`` and ``param`` declarations of a query's leading comment (read once
    per text).

    >>> parse_header("# question: Who?\\n# param: focus focus default=cybersecurity the area\\nSELECT")
    ('Who?', (Param(name='focus', kind='focus', default='cybersecurity', description='the area'),))
    """
    question, params = "", []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped.startswith("#"):
            if stripped:
                break
            continue
        if match := _QUESTION_LINE.match(stripped):
            question = match.group(1).strip()
        elif match := _PARAM_LINE.match(stripped):
            name, kind, default, description = match.groups()
            if kind not in PARAM_KINDS:
                raise QueryError(f"parameter {name}: unknown kind {kind!r} (one of {', '.join(PARAM_KINDS)})")
            params.append(Param(name, kind, default, description.strip()))
    return question, tuple(params)


def load_saved_query(name: str) -> SavedQuery:
    """Load ``ontology/queries/<name>.rq``; ``QueryError`` naming the known queries if there is none."""
    try:
        text = resources.saved_query_text(name)
    except (KeyError, ValueError) as err:
        raise QueryError(str(err).strip("'\"")) from err
    question, params = parse_header(text)
    return SavedQuery(name, question, params, text)


def saved_queries() -> list[SavedQuery]:
    """All saved queries, by name."""
    return [load_saved_query(name) for name in resources.saved_query_names()]


def parse_param_args(items: Iterable[str]) -> dict[str, str]:
    """Turn ``["focus=cybersecurity", ...]`` into a dict; ``QueryError`` for an item without ``=``.

    >>> parse_param_args(["focus=cybersecurity", "?country=PAN"])
    {'focus': 'cybersecurity', 'country': 'PAN'}
    """
    out = {}
    for item in items:
        name, sep, value = item.partition("=")
        name = name.strip().lstrip("?$")
        if not sep or not re.match(r"^\w+$", name):
            raise QueryError(f"parameter {item!r} is not NAME=VALUE")
        out[name] = value
    return out


def _iri(value: str) -> ox.NamedNode:
    try:
        return ox.NamedNode(value)
    except ValueError as err:
        raise QueryError(f"{value!r} is not an IRI: {err}") from err


_VOCABULARIES: dict[str, tuple[str, Callable[[], tuple[str, ...]], Callable[[str], str]]] = {
    "focus": ("a focus area", lambda: resources.concept_ids("focus-areas.ttl"), slug),
    "type": ("an agreement type", lambda: resources.concept_ids("agreement-types.ttl"), slug),
    "country": ("a country code of the gazetteer", resources.country_codes, lambda v: country_code(v) or v),
}
"""Kinds whose values come from a vocabulary of the ontology: what they are, the known ids, normalisation."""


def _check_known(value: str, kind: str) -> None:
    """``QueryError`` listing the known ids when ``value`` is not one of kind ``kind``'s vocabulary."""
    what, known, normal = _VOCABULARIES[kind]
    ids = known()
    if ids and normal(value) not in ids:
        raise QueryError(f"{kind} {value!r} is not {what} (known: {', '.join(ids)})")


def _agency(value: str, store: StoreLike | None) -> ox.NamedNode:
    if "/" in value:
        return _iri(str(ID[f"agency/{value}"]))
    if store is None:
        raise QueryError(f"agency {value!r}: give it as COUNTRY/slug, an IRI, or query a store")
    lookup = (
        "SELECT DISTINCT ?agency ?name WHERE { GRAPH ?g { ?agency a org:FormalOrganization ; "
        "rdfs:label|skos:altLabel|skos:notation ?label . FILTER(LCASE(STR(?label)) = LCASE(STR(?name))) } } "
        "ORDER BY ?agency"
    )
    found = [row["agency"] for row in execute(store, lookup, substitutions={"name": ox.Literal(value)})]
    if len(found) != 1:
        listed = ", ".join(n.value for n in found[:5]) or "none"
        raise QueryError(
            f"agency {value!r} names {len(found)} agencies ({listed}); give COUNTRY/slug or an IRI"
        )
    return found[0]


def term_for(
    value: str, kind: str | None = None, store: StoreLike | None = None
) -> ox.NamedNode | ox.Literal:
    """The RDF term for parameter ``value`` of ``kind`` (guessed when ``None``).

    >>> term_for("PAN", "country").value
    'https://w3id.org/seckg/id/country/PAN'
    >>> term_for("nosuch", "focus")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    graph.query.QueryError: focus 'nosuch' is not a focus area (known: asylum-protection, ...)
    >>> term_for("2019-12-17")
    <Literal value=2019-12-17 datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#date>>
    """
    value = value.strip()
    if value.startswith("<") and value.endswith(">"):
        return _iri(value[1:-1])
    literal_kinds = ("string", "date", "integer")
    if kind not in literal_kinds and value.lower().startswith(("http://", "https://", "urn:")):
        return _iri(value)
    pname = _PNAME.match(value)
    if pname and pname.group(1) in PREFIXES and kind not in literal_kinds:
        return _iri(PREFIXES[pname.group(1)] + pname.group(2))
    if kind in _VOCABULARIES:
        _check_known(value, kind)
    try:
        if kind == "focus":
            return _iri(str(focus_iri(value)))
        if kind == "country":
            return _iri(str(country_iri(value)))
        if kind == "type":
            return _iri(str(agreement_type_iri(value)))
        if kind == "person":
            return _iri(str(person_iri(value)))
        if kind == "release":
            return _iri(str(release_iri(value)))
        if kind == "agreement":
            return _iri(str(ID[f"agreement/{value}"]))
        if kind == "agency":
            return _agency(value, store)
    except ValueError as err:
        raise QueryError(f"{kind} {value!r}: {err}") from err
    if kind == "iri":
        raise QueryError(f"{value!r} is not an absolute IRI")
    if kind == "date" or (kind is None and _DATE.match(value)):
        if not _DATE.match(value):
            raise QueryError(f"{value!r} is not a YYYY-MM-DD date")
        return ox.Literal(value, datatype=ox.NamedNode(str(XSD.date)))
    if kind == "integer" or (kind is None and _INT.match(value)):
        if not _INT.match(value):
            raise QueryError(f"{value!r} is not an integer")
        return ox.Literal(value, datatype=ox.NamedNode(str(XSD.integer)))
    return ox.Literal(value)


def bind_params(
    values: Mapping[str, str], declared: Sequence[Param] = (), store: StoreLike | None = None
) -> dict[str, ox.NamedNode | ox.Literal]:
    """Terms for the given parameter values (plus declared defaults); unknown names are refused
    when the query declares its parameters."""
    kinds = {p.name: p for p in declared}
    if declared:
        unknown = sorted(set(values) - set(kinds))
        if unknown:
            names = ", ".join(p.name for p in declared)
            raise QueryError(f"unknown parameter {', '.join(unknown)} (this query takes: {names})")
    out: dict[str, ox.NamedNode | ox.Literal] = {}
    for param in declared:
        if param.name not in values and param.default is not None:
            out[param.name] = term_for(param.default, param.kind, store)
    for name, value in values.items():
        out[name] = term_for(value, kinds[name].kind if name in kinds else None, store)
    return out


def run_query(
    store: StoreLike,
    text: str,
    *,
    params: Mapping[str, str] | None = None,
    declared: Sequence[Param] | None = None,
    default_graph_uris: Sequence[str] = (),
    named_graph_uris: Sequence[str] = (),
    max_rows: int | None = None,
    timeout: float | None = None,
    cancel: threading.Event | None = None,
) -> QueryResult:
    """Run a query and collect its answer.

    Parameters
    ----------
    store : pyoxigraph.Store or RemoteStore
    text : str
        SPARQL query text (updates are refused; so are ``SERVICE`` and ``LOAD``).
    params : mapping of str to str, optional
        Parameter values, bound as RDF terms (see :func:`term_for`).
    declared : sequence of Param, optional
        The query's declared parameters (default: read from its leading comment).
    default_graph_uris, named_graph_uris : sequence of str
        The protocol's dataset (default: the union of all graphs as the default graph).
    max_rows : int, optional
        Keep at most this many rows or triples (``truncated`` says when some were left out).
    timeout : float, optional
        Seconds before :class:`QueryTimeout` (checked between solutions).
    cancel : threading.Event, optional
        Set from another thread to stop the query between solutions.

    Notes
    -----
    On the embedded store, a final ``ORDER BY`` of projected variables is applied to the collected
    rows (:mod:`graph.sparql_order`) instead of by the engine, which decodes terms from the store
    at every comparison; the rows and their order are the same.
    """
    form = query_form(text)
    if form == "UPDATE":
        raise QueryError("this is a SPARQL update, not a query")
    if text not in _saved_texts():  # a saved query's own text passed the guard when it was written
        try:
            text = checked_query(text)  # decided from a parse; the text that passed is the text that runs
        except RequestSyntaxError as err:
            raise QueryError(str(err)) from None
        except RequestRefused as err:
            raise QueryRefused(str(err)) from None
    if declared is None:
        declared = parse_header(text)[1]
    bindings = bind_params(params or {}, declared, store)
    deadline = time.monotonic() + timeout if timeout else None
    dataset_clause = has_dataset_clause(text)  # the bound text has the same; lexed once

    def run(sparql: str):  # the query with the call's dataset
        return execute(
            store,
            sparql,
            default_graph_uris=default_graph_uris,
            named_graph_uris=named_graph_uris,
            dataset_clause=dataset_clause,
        )

    with _CollectorPaused():
        try:
            order = split_order_by(text) if isinstance(store, ox.Store) else None
            if order is not None:  # the engine's ORDER BY decodes terms at every comparison
                answer = run(bind_values(order.text, bindings))
                variables = tuple(map(_VALUE, answer.variables))
                rows, _ = _collect(answer, None, deadline, cancel, tuple)
                ordered = sort_rows(variables, rows, order.keys)
                if ordered is not None:
                    truncated = max_rows is not None and len(ordered) > max_rows
                    return QueryResult("SELECT", variables, ordered[:max_rows], truncated=truncated)
                log.debug("the engine orders this answer: a key holds terms of no defined order")
            answer = run(bind_values(text, bindings))
            if isinstance(answer, ox.QueryBoolean):
                return QueryResult("ASK", boolean=bool(answer))
            if isinstance(answer, ox.QuerySolutions):
                variables = tuple(map(_VALUE, answer.variables))
                rows, truncated = _collect(answer, max_rows, deadline, cancel, tuple)
                return QueryResult("SELECT", variables, rows, truncated=truncated)
            triples, truncated = _collect(answer, max_rows, deadline, cancel, None)
            return QueryResult(
                form if form in ("CONSTRUCT", "DESCRIBE") else "CONSTRUCT",
                triples=triples,
                truncated=truncated,
            )
        except SyntaxError as err:
            raise QueryError(str(err.msg if hasattr(err, "msg") and err.msg else err)) from err
        except (RuntimeError, OSError) as err:
            if isinstance(err, RemoteError):
                raise
            raise QueryError(str(err)) from err


class _CollectorPaused:
    """Pause Python's cyclic garbage collector while an answer's rows are made.

    An answer of 16,000 rows makes 16,000 tuples, each counted towards the next collection, and
    the collections that follow scan every object of the process: about a fifth of the time of
    a whole-table saved query. The rows hold no cycles, so nothing is left for the collector to
    find. It runs again afterwards if it ran before (another thread's query that paused it
    first leaves it to that thread). A class, not a generator: a small answer takes 0.1 ms.
    """

    __slots__ = ("running",)

    def __enter__(self) -> None:
        self.running = gc.isenabled()
        gc.disable()

    def __exit__(self, *exc: object) -> None:
        if self.running:
            gc.enable()


def _collect(items, max_rows, deadline, cancel, convert) -> tuple[list, bool]:
    """The first ``max_rows`` items (converted), and whether more were left out.

    Without a deadline or a cancel event the items are taken in one comprehension: on answers of
    tens of thousands of rows the per-row checks would cost more than the engine's own work.
    """
    if deadline is None and cancel is None:
        taken = itertools.islice(items, None if max_rows is None else max_rows + 1)
        out = list(taken) if convert is None else [convert(item) for item in taken]
        truncated = max_rows is not None and len(out) > max_rows
        return (out[:max_rows] if truncated else out), truncated
    out = []
    for item in items:
        if max_rows is not None and len(out) >= max_rows:
            return out, True
        if (deadline is not None and time.monotonic() > deadline) or (cancel is not None and cancel.is_set()):
            raise QueryTimeout("the query ran out of time")
        out.append(item if convert is None else convert(item))
    return out, False


@cache
def _saved_texts() -> frozenset[str]:
    """The texts of the packaged saved queries (read once per process)."""
    return frozenset(resources.saved_query_text(name) for name in resources.saved_query_names())


def read_query_source(source: str) -> str:
    """The text of ``source``: a ``.rq``/``.sparql`` file's content, else ``source`` itself."""
    if "\n" not in source and source.strip().lower().endswith((".rq", ".sparql")):
        path = Path(source.strip())
        try:
            return path.read_text(encoding="utf-8")
        except OSError as err:
            raise QueryError(f"cannot read query file {source}: {err.strerror or err}") from err
    return source
