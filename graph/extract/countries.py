"""States named in a release: by name, demonym or adjective, in English and Spanish.

Reads the ``place`` layer of the document: regions ("Central America", "Northern Triangle") and
phrases such as "New Mexico" win over the state names inside them; a form the gazetteer marks
ambiguous ("Chad", "Georgia", "Jordan") counts only where it is not part of a larger proper name
("Chad F. Wolf"); a form two states share ("Dominican") counts for the one the text also names
unambiguously. Adds ``country`` spans with the state's code.

Examples
--------
>>> from graph.extract.doc import Doc
>>> doc = Doc("Panamanian and U.S. officials met Chad F. Wolf in Central America.")
>>> find_countries(doc); [s.keys[0] for s in doc.spans("country")]
['PAN', 'USA']
>>> codes_in("Ministry of Foreign Affairs of El Salvador")
['SLV']
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from functools import lru_cache

from graph.extract import lexicon
from graph.extract.doc import Doc, Span
from graph.extract.matcher import Hit, Token, fold

__all__ = ["codes_in", "find_countries", "ranking", "state_near"]

_CAPITALISED_AFTER = re.compile(r"\s*(?:[A-Z][a-z]*\.|[A-Z][\w’'-]+)")
_PREVIOUS = re.compile(r"([\w’'.-]+)\s*$")


def _ambiguous_ok(text: str, start: int, end: int) -> bool:
    """An ambiguous form counts unless a capitalised word or an initial touches it."""
    if _CAPITALISED_AFTER.match(text, end):
        return False
    before = text[max(0, start - 30) : start]
    prev = _PREVIOUS.search(before)
    if prev and prev.group(1)[:1].isupper() and not re.search(r"[.!?:\n]\s*$", before):
        return prev.group(1) in lexicon.word_set("frame", fold_case=False)
    return True


def _resolve(hits: list[tuple[Hit, tuple[str, ...]]]) -> list[tuple[Hit, str]]:
    sure = {keys[0] for _, keys in hits if len(keys) == 1}
    out: list[tuple[Hit, str]] = []
    for hit, keys in hits:
        codes = keys if len(keys) == 1 else tuple(k for k in keys if k in sure)
        out.extend((hit, code) for code in codes)
    return out


def _state_hits(text: str, tokens: list[Token], hits: list[Hit], language: str) -> list[tuple[Hit, str]]:
    lex = lexicon.load()
    kept: list[tuple[Hit, tuple[str, ...]]] = []
    named: set[str] | None = None  # the states named by a form that is not ambiguous (on demand)
    for hit in hits:
        if hit.layer != "place":
            continue
        keys, marked = _state_keys(hit.keys)
        if not keys:
            continue  # a region or a masked phrase wins over the state names inside it
        if marked or " ".join(t.norm for t in tokens[hit.first : hit.last + 1]) in lex.ambiguous:
            surface = " ".join(t.text for t in tokens[hit.first : hit.last + 1])
            start, end = tokens[hit.first].start, tokens[hit.last].end
            if (surface.isupper() and language != "es") or not _ambiguous_ok(text, start, end):
                # an ambiguous demonym before a capitalised word is an adjective of a name
                # ("Polish Border Guard"), the state's when the text names that state itself
                if named is None:
                    named = _named_states(hits)
                demonym = fold(surface) in lex.ambiguous_demonyms and _CAPITALISED_AFTER.match(text, end)
                if not (demonym and len(keys) == 1 and keys[0] in named):
                    continue
        kept.append((hit, keys))
    return _resolve(kept)


@lru_cache(maxsize=4096)
def _state_keys(keys: tuple[str, ...]) -> tuple[tuple[str, ...], bool]:
    """The state codes of a place hit's keys (none when one is a region's or a mask's) and
    whether one is marked ambiguous (``~``): a function of the keys alone (cached)."""
    codes = tuple(k.lstrip("~") for k in keys if not k.startswith(("region:", "mask")))
    if len(codes) < len(keys):
        return (), False
    return codes, any(k.startswith("~") for k in keys)


def _named_states(hits: list[Hit]) -> set[str]:
    """The states that place hits name by a form no one reads otherwise (not ``~``)."""
    found: set[str] = set()
    for hit in hits:
        if hit.layer == "place":
            keys, marked = _state_keys(hit.keys)
            if not marked and len(keys) == 1:
                found.add(keys[0])
    return found


def find_countries(doc: Doc, hits: list[Hit] | None = None) -> None:
    """Add a ``country`` span (keys: the state's code) for every state named in ``doc``."""
    hits = hits if hits is not None else lexicon.load().matcher.match(doc.tokens)
    datelines = [(m.start(), m.end("place")) for m in _datelines(doc.text, doc.headline_end)]
    starts = [a for a, _ in datelines]  # in order and disjoint: only the last one starting before can hold
    for hit, code in _state_hits(doc.text, doc.tokens, hits, doc.language):
        start, end = doc.tokens[hit.first].start, doc.tokens[hit.last].end
        i = bisect_right(starts, start) - 1
        dateline = i >= 0 and end <= datelines[i][1]
        doc.add(Span(start, end, "country", (code,), {"dateline": True} if dateline else {}))


# A dateline opens a paragraph: capitalised place words ("LYON, France", "San Salvador"), maybe a
# date, then a dash, a colon or the end of the line. The state it names is where the release was
# issued, not a party to what it reports.
_WORD = r"[A-ZÁÉÍÓÚÑ][\w’'.-]*"
_DATELINE = re.compile(
    rf"^[ \t]*(?P<place>{_WORD}(?:[ \t]+{_WORD}){{0,3}}(?:,[ \t]*{_WORD}(?:[ \t]+{_WORD}){{0,3}}){{0,2}})"
    r"(?:,?[ \t]+[^\n]{0,30}?(?:19|20)\d\d)?[ \t]*(?:[–—:]|-[ \t]|\.[ \t]|$)",
    re.MULTILINE,
)


def _datelines(text: str, pos: int) -> list[re.Match[str]]:
    """The matches of ``_DATELINE`` in ``text`` from ``pos`` (as ``finditer``): tried at the starts
    of lines only, where its ``^`` lets it start, and each within its line (it matches no
    line break), so they are the same and in the same order."""
    found = []
    start = pos if pos == 0 or text[pos - 1] == "\n" else _next_line(text, pos)
    while start >= 0:
        if m := _DATELINE.match(text, start):
            found.append(m)
        start = _next_line(text, start)
    return found


def _next_line(text: str, pos: int) -> int:
    """Where the line after the one holding ``pos`` starts, or -1 after the last line."""
    newline = text.find("\n", pos)
    return newline + 1 if newline >= 0 else -1


def codes_in(text: str, language: str = "en") -> list[str]:
    """The codes of the states named in a short string (a title, a body's name), in order."""
    return list(_codes_in(text, language))


@lru_cache(maxsize=16384)
def _codes_in(text: str, language: str) -> tuple[str, ...]:
    """:func:`codes_in`, a function of the string alone (the vocabulary is fixed): cached."""
    from graph.extract.matcher import tokenize

    tokens = tokenize(text)
    hits = lexicon.load().matcher.match(tokens)
    return tuple(code for _, code in _state_hits(text, tokens, hits, language))


def ranking(doc: Doc) -> list[str]:
    """States by how often the document names them (most first, ties in order of first mention)."""
    return list(doc.of_label("country", "ranking", _ranking, doc))


def _ranking(doc: Doc) -> tuple[str, ...]:
    counts = Counter(s.keys[0] for s in doc.spans("country"))
    order = {code: i for i, code in reversed(list(enumerate(s.keys[0] for s in doc.spans("country"))))}
    return tuple(sorted(counts, key=lambda c: (-counts[c], order[c])))


_OF = re.compile(r"\s*(?:of|de|del|in|en)\s+(?:the\s+|la\s+)?$")
_POSSESSIVE_GAP = re.compile(r"(?:['’]s?)?[ \t]*$")


def state_near(doc: Doc, start: int, end: int, before: bool = True, after: bool = True) -> str | None:
    """The state named right at a stretch of text: an adjective or possessive just before it
    ("Guatemalan Ministry", "Mexico's Tax Administration Service"), "of <state>" / "de <state>"
    just after it, or a Spanish adjective after it ("Ministerio de Seguridad costarricense")."""
    if after:
        for span in doc.overlapping("country", end, end + 40):
            gap = doc.text[end : span.start]
            if re.fullmatch(r"\s*(?:of|de|del)\s+(?:the\s+|la\s+|el\s+)?", gap):
                return span.keys[0]
            if re.fullmatch(r" ", gap) and doc.text[span.start].islower():  # "Policía Nacional peruana"
                return span.keys[0]
            break
    if before:
        found = doc.overlapping("country", max(0, start - 30), start)
        if found:
            last = found[-1]
            if last.end <= start and _POSSESSIVE_GAP.fullmatch(doc.text[last.end : start]):
                return last.keys[0]
    return None
