"""Just enough SPARQL lexing to police and bind queries without a full parser.

Strings, IRIs and comments are skipped, so a keyword inside them never counts. Used to tell
queries from updates, to refuse ``SERVICE`` and ``LOAD`` (the engine would fetch a URL or read
a file), and to see ``FROM`` clauses; :mod:`graph.sparql_values` and :mod:`graph.protocol` read
its tokens to place ``VALUES`` and ``USING`` clauses.

Examples
--------
>>> query_form("PREFIX x: <http://e/> # SELECT\\nASK { ?s ?p 'SERVICE' }")
'ASK'
>>> unsafe_keywords("SELECT * { SERVICE <http://e/sparql> { ?s ?p ?o } }")
['SERVICE']
>>> unsafe_keywords("SELECT * { ?s ?p trueSERVICE <http://e/sparql> {} } # LOAD")
['SERVICE']
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

__all__ = [
    "QUERY_FORMS",
    "UPDATE_FORMS",
    "Token",
    "has_dataset_clause",
    "keywords",
    "query_form",
    "tokens",
    "unsafe_keywords",
]

QUERY_FORMS = ("SELECT", "CONSTRUCT", "ASK", "DESCRIBE")
UPDATE_FORMS = ("INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH")
_UNSAFE = ("SERVICE", "LOAD")

_TOKEN = re.compile(
    r"""
    (?P<comment>\#[^\r\n]*)
  | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''
              |"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
  | (?P<iri><[^<>"{}|^`\\\s]*>)
  | (?P<var>[?$][\w\u00b7-\uffff]+)
  | (?P<word>[A-Za-z_\u00c0-\uffff][\w\-\u00b7-\uffff]*(?::[\w.\-:%\u00b7-\uffff]*)?|:[\w.\-:%]*)
  | (?P<punct>[{}()])
  | (?P<other>\S)
    """,
    re.VERBOSE | re.DOTALL,
)


class Token(NamedTuple):
    """One lexical token: ``kind`` (comment, string, iri, var, word, punct, other), text, offset."""

    kind: str
    text: str
    start: int


@lru_cache(maxsize=256)
def tokens(text: str) -> tuple[Token, ...]:
    """The tokens of ``text`` (whitespace dropped); remembered for the last texts lexed, so a saved
    query's text is lexed once however often it runs."""
    return tuple(Token(m.lastgroup or "other", m.group(), m.start()) for m in _TOKEN.finditer(text))


@lru_cache(maxsize=256)
def _keywords(text: str) -> tuple[str, ...]:
    return tuple(t.text.upper() for t in tokens(text) if t.kind == "word" and ":" not in t.text)


def keywords(text: str) -> list[str]:
    """Upper-cased bare words (keywords and function names; not prefixed names, strings or IRIs)."""
    return list(_keywords(text))


@lru_cache(maxsize=256)
def query_form(text: str) -> str | None:
    """``SELECT``, ``CONSTRUCT``, ``ASK``, ``DESCRIBE``, ``UPDATE``, or ``None`` when unrecognized."""
    for word in _keywords(text):
        if word in QUERY_FORMS:
            return word
        if word in UPDATE_FORMS:
            return "UPDATE"
        if word not in ("PREFIX", "BASE"):
            return None
    return None


def unsafe_keywords(text: str) -> list[str]:
    """Keywords that would make the engine fetch a URL or read a file (``SERVICE``, ``LOAD``).

    Any bare word *containing* one counts: the engine splits ``trueSERVICE`` into ``true SERVICE``.
    No SPARQL keyword or function name contains either, so nothing legitimate is refused.
    """
    return sorted({bad for word in keywords(text) for bad in _UNSAFE if bad in word})


def has_dataset_clause(text: str) -> bool:
    """True when the query names its dataset with ``FROM`` or ``FROM NAMED``."""
    return "FROM" in _keywords(text)
