"""Bind variables to RDF terms in a query's text, with the meaning of engine substitutions.

An engine substitution makes the variable that term *everywhere* in the query, sub-queries
included. A single ``VALUES`` block at the start of the ``WHERE`` group does not reach a
sub-``SELECT`` (it is evaluated on its own, before the join), so a query whose sub-query filters
on the parameter (``ontology/queries/agency-instruments.rq``) would answer nothing.
:func:`bind_values` puts the block in the ``WHERE`` group of the query *and* of every
sub-``SELECT`` (first, or last for a variable that a ``BIND`` assigns). The terms are written by
the RDF library (``str`` of a pyoxigraph term), never as typed, and strings, IRIs and comments of
the text are skipped by the lexer.

Examples
--------
>>> import pyoxigraph as ox
>>> text = "SELECT ?a WHERE { { SELECT ?a WHERE { ?a ?p ?o FILTER(?o = ?c) } } ?a ?q ?c }"
>>> print(bind_values(text, {"c": ox.NamedNode("http://e/c")}))
SELECT ?a WHERE {
VALUES (?c) { (<http://e/c>) }
 { SELECT ?a WHERE {
VALUES (?c) { (<http://e/c>) }
 ?a ?p ?o FILTER(?o = ?c) } } ?a ?q ?c }
>>> bind_values("ASK { ?s ?p ?o }", {})
'ASK { ?s ?p ?o }'
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

import pyoxigraph as ox

from graph.sparql_lex import QUERY_FORMS, tokens

__all__ = ["assigned", "bind_values", "values_block", "where_groups"]


def values_block(terms: Mapping[str, ox.NamedNode | ox.Literal]) -> str:
    """One ``VALUES`` row binding each variable named in ``terms`` to its term.

    >>> values_block({"n": ox.Literal('say "hi"')})
    'VALUES (?n) { ("say \\\\"hi\\\\"") }'
    """
    names = " ".join(str(ox.Variable(name)) for name in terms)
    row = " ".join(str(term) for term in terms.values())
    return f"VALUES ({names}) {{ ({row}) }}"


def where_groups(text: str) -> list[tuple[int, int]]:
    """``(just after its "{", at its "}")`` of the ``WHERE`` group of the query and of each
    sub-``SELECT`` (a ``CONSTRUCT`` template and ``EXISTS`` groups are not ``WHERE`` groups).

    >>> where_groups("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o FILTER EXISTS { ?s ?q ?r } }")
    [(30, 67)]
    """
    return list(_where_groups(text))


@lru_cache(maxsize=256)
def _where_groups(text: str) -> tuple[tuple[int, int], ...]:
    """:func:`where_groups`, worked out once per text (a saved query's groups, at every run)."""
    found: list[list[int]] = []
    open_at: dict[int, int] = {}  # depth of an open WHERE group -> its index in found
    parens = depth = 0
    pending = False  # a query form was read; its WHERE group is the next "{" outside parentheses
    template_depth: int | None = None  # inside a CONSTRUCT template: the depth it closes at
    for token in tokens(text):
        if token.kind == "word" and ":" not in token.text:
            word = token.text.upper()
            if word in QUERY_FORMS:
                pending = True
                if word == "CONSTRUCT" and depth == 0:
                    template_depth = -1  # the next "{" opens the template, unless WHERE comes first
            elif word == "WHERE" and template_depth == -1:
                template_depth = None
            continue
        if token.kind != "punct":
            continue
        if token.text == "(":
            parens += 1
        elif token.text == ")":
            parens -= 1
        elif token.text == "{":
            if template_depth == -1:
                template_depth = depth
            elif pending and parens == 0 and template_depth is None:
                open_at[depth] = len(found)
                found.append([token.start + 1, len(text)])
                pending = False
            depth += 1
        elif token.text == "}":
            depth -= 1
            if depth in open_at:
                found[open_at.pop(depth)][1] = token.start
            if template_depth is not None and depth == template_depth:
                template_depth = None
    return tuple((start, end) for start, end in found)


def assigned(text: str) -> set[str]:
    """Variables the query assigns with ``AS`` (``BIND(... AS ?v)``, ``(expr AS ?v)``).

    >>> sorted(assigned("SELECT ?p WHERE { BIND(COALESCE(?a, ?b) AS ?p) } # AS ?q"))
    ['p']
    """
    return set(_assigned(text))


@lru_cache(maxsize=256)
def _assigned(text: str) -> frozenset[str]:
    """:func:`assigned`, worked out once per text."""
    out, previous = set(), None
    for token in tokens(text):
        after_as = previous is not None and previous.kind == "word" and previous.text.upper() == "AS"
        if token.kind == "var" and after_as:
            out.add(token.text[1:])
        if token.kind != "comment":
            previous = token
    return frozenset(out)


def bind_values(text: str, terms: Mapping[str, ox.NamedNode | ox.Literal]) -> str:
    """``text`` with ``terms`` bound in every ``WHERE`` group that :func:`where_groups` finds (at
    the end of a query with none, such as ``DESCRIBE <iri>``).

    A variable the query assigns with ``BIND`` is bound at the *end* of each group (a ``VALUES``
    before the ``BIND`` would make it an error); it then keeps the rows where the assigned value
    is the given term. Every other variable is bound at the start.
    """
    if not terms:
        return text
    late = _assigned(text)
    first = {name: term for name, term in terms.items() if name not in late}
    last = {name: term for name, term in terms.items() if name in late}
    groups = _where_groups(text)
    if not groups:
        return f"{text}\n{values_block(terms)}"
    head = f"\n{values_block(first)}\n" if first else None
    tail = f"\n{values_block(last)}\n" if last else None
    cuts = []
    for start, end in groups:
        if head:
            cuts.append((start, head))
        if tail:
            cuts.append((end, tail))
    pieces, previous = [], 0
    for offset, block in sorted(cuts, key=lambda cut: cut[0]):
        pieces.append(text[previous:offset] + block)
        previous = offset
    pieces.append(text[previous:])
    return "".join(pieces)
