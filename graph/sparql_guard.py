"""What a SPARQL request may do, decided from a parse of its text rather than from its tokens.

The engine (Oxigraph) would fetch a URL for ``SERVICE`` and ``LOAD``; seckg never lets it. A
keyword scan can be out-lexed (Oxigraph ends a comment at ``\\r``, a naive lexer only at
``\\n``), so a request is allowed only when three independent readings agree that it holds
neither:

1. its characters: no control character but tab and line feed (``\\r\\n`` is read as ``\\n``), no
   Unicode line separator and no ``\\uXXXX``/``\\UXXXXXXXX`` escape (the SPARQL grammar expands
   them before parsing, Oxigraph does not: the two readers would see different text);
2. a full parse with rdflib's SPARQL grammar, an implementation independent of Oxigraph's: text
   it cannot parse is refused, and so is a parse tree holding a ``SERVICE`` pattern or a ``LOAD``;
3. the token scan of :mod:`graph.sparql_lex` (any bare word containing ``SERVICE`` or ``LOAD``).

The text that passed is the text to run (:func:`checked_query` returns it with ``\\r\\n`` made
``\\n``), so the engine never reads anything the guard did not. ``FROM`` and ``FROM NAMED`` stay
allowed: Oxigraph reads them as names of graphs in the store, never as addresses.

Examples
--------
>>> checked_query("SELECT * WHERE { ?s ?p ?o }")
'SELECT * WHERE { ?s ?p ?o }'
>>> checked_query("SELECT * WHERE { # x\\rSERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")
Traceback (most recent call last):
...
graph.sparql_guard.RequestRefused: a carriage return outside a CR LF pair is not allowed ...
>>> checked_update("LOAD <http://example.org/data.ttl>")
Traceback (most recent call last):
...
graph.sparql_guard.RequestRefused: LOAD is not allowed: the engine fetches no URL and reads no file
"""

from __future__ import annotations

import re
import threading
from typing import Any

from graph.sparql_lex import unsafe_keywords

__all__ = [
    "MAX_REQUEST_CHARS",
    "RequestRefused",
    "RequestSyntaxError",
    "checked_query",
    "checked_update",
    "refused_operations",
]

#: Longest query or update text the guard parses (characters); longer requests are refused.
MAX_REQUEST_CHARS = 200_000

_ESCAPE = re.compile(r"\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}")
_BAD_CHAR = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff]")
_NAMES = {"ServiceGraphPattern": "SERVICE", "Load": "LOAD"}
_PARSE_LOCK = threading.Lock()  # pyparsing's caches are not thread-safe


def _parse_apart(text: str, update: bool) -> tuple[Any, str | None]:
    """:func:`_parse` on a thread of its own: the exceptions pyparsing raises and keeps then refer
    to that thread's frames, never to the caller's (which may hold a store open). Where no thread
    can start (a worker at its memory limit), the parse runs here."""
    box: list[tuple[Any, str | None]] = []

    def work() -> None:
        with _PARSE_LOCK:
            box.append(_parse(text, update))

    thread = threading.Thread(target=work, name="sparql-guard", daemon=True)
    try:
        thread.start()
        thread.join()
    except RuntimeError:
        pass
    if box:
        return box[0]
    with _PARSE_LOCK:
        return _parse(text, update)


def _parse(text: str, update: bool) -> tuple[Any, str | None]:
    """``(tree, None)`` or ``(None, message)``. No exception leaves, and pyparsing's caches are
    emptied after each parse: a cached exception would keep the caller's frames (and the store
    they hold) alive."""
    import pyparsing
    from rdflib.plugins.sparql import parser

    try:
        return (parser.parseUpdate(text) if update else parser.parseQuery(text)), None
    except RecursionError:
        return None, "the request is nested too deeply"
    except Exception as err:  # pyparsing's ParseException and anything else: cannot be vetted
        where = f"error at {err.lineno}:{err.col}: " if isinstance(err, pyparsing.ParseBaseException) else ""
        return None, where + " ".join(str(getattr(err, "msg", None) or err).split())[:300]
    finally:
        pyparsing.ParserElement.reset_cache()


class RequestRefused(ValueError):
    """The request could make the engine fetch a URL or read a file, or cannot be read safely."""


class RequestSyntaxError(RequestRefused):
    """The guard's parser cannot read the request (the message says where, as ``error at L:C``)."""


def _canonical(text: str) -> str:
    if len(text) > MAX_REQUEST_CHARS:
        raise RequestRefused(f"the request is longer than {MAX_REQUEST_CHARS} characters")
    text = text.replace("\r\n", "\n")
    if "\r" in text:
        raise RequestRefused(
            "a carriage return outside a CR LF pair is not allowed (parsers disagree on where it ends a line)"
        )
    bad = _BAD_CHAR.search(text)
    if bad:
        raise RequestRefused(
            f"control or line-separator character U+{ord(bad.group()):04X} at offset {bad.start()} "
            "is not allowed (parsers disagree on it)"
        )
    if _ESCAPE.search(text):
        raise RequestRefused(
            "\\u and \\U escapes are not allowed (SPARQL parsers disagree on where they apply); "
            "write the character itself"
        )
    return text


def _walk(node: Any, found: set[str], depth: int = 0) -> None:
    from rdflib.plugins.sparql.parserutils import CompValue

    if depth > 500:
        raise RequestRefused("the request is nested too deeply")
    if isinstance(node, CompValue):
        if node.name in _NAMES:
            found.add(_NAMES[node.name])
        for value in node.values():
            _walk(value, found, depth + 1)
    elif isinstance(node, (list, tuple)) or type(node).__name__ == "ParseResults":
        for value in node:
            _walk(value, found, depth + 1)
    elif isinstance(node, dict):
        for value in node.values():
            _walk(value, found, depth + 1)


def refused_operations(text: str, *, update: bool = False) -> list[str]:
    """``SERVICE`` and ``LOAD`` operations found by parsing ``text`` (rdflib's grammar).

    Raises :class:`RequestSyntaxError` when the text cannot be parsed.

    Examples
    --------
    >>> refused_operations("SELECT * { SERVICE SILENT ?x { ?s ?p ?o } }")
    ['SERVICE']
    """
    tree, problem = _parse_apart(text, update)
    if problem is not None:
        raise RequestSyntaxError(problem)
    found: set[str] = set()
    try:
        _walk(tree, found)
    except RecursionError:
        raise RequestRefused("the request is nested too deeply") from None
    return sorted(found)


def _checked(text: str, update: bool) -> str:
    text = _canonical(text)
    found = set(unsafe_keywords(text))
    try:
        found |= set(refused_operations(text, update=update))
    except RequestSyntaxError:
        if not found:
            raise
    if found:
        raise RequestRefused(
            f"{' and '.join(sorted(found))} is not allowed: the engine fetches no URL and reads no file"
        )
    return text


def checked_query(text: str) -> str:
    """Return the query text to run, or raise :class:`RequestRefused`.

    Parameters
    ----------
    text : str
        A SPARQL query.

    Returns
    -------
    str
        ``text`` with CR LF line ends made LF: run exactly this text.

    Examples
    --------
    >>> checked_query("ASK {}\\r\\n")
    'ASK {}\\n'
    """
    return _checked(text, update=False)


def checked_update(text: str) -> str:
    """Return the update text to run, or raise :class:`RequestRefused` (see :func:`checked_query`).

    Examples
    --------
    >>> checked_update("INSERT DATA { <http://e/a> <http://e/b> 1 }")
    'INSERT DATA { <http://e/a> <http://e/b> 1 }'
    """
    return _checked(text, update=True)
