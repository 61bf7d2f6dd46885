"""One automaton over normalized tokens for every phrase list of the ontology.

All gazetteers (states, regions, bodies, titles, instrument names, focus labels, cues) are compiled
into a single Aho-Corasick automaton (pyahocorasick) whose keys are normalized token sequences.
A text is tokenized once, its tokens normalized (lower case, accents and typographic apostrophes
folded) and joined with single spaces; one scan of that string yields every match of every list.
Each list is a *layer*: within a layer, matches are chosen leftmost-longest and do not overlap;
layers do not compete with each other.

A phrase written all in capitals with two or more letters (``US``, ``SAT``, ``MOU``) matches only
text written the same way; a phrase marked case-sensitive (state names) matches text with the same
capitals, or text written all in capitals. A phrase ending in ``*`` matches any word that starts
with its last word (``smuggl*``).

Examples
--------
>>> m = PhraseMatcher([Phrase("New Mexico", "place", "mask"), Phrase("Mexico", "place", "MEX", True),
...                    Phrase("smuggl*", "focus", "human-smuggling")])
>>> toks = tokenize("Smugglers crossed from Mexico, not New Mexico.")
>>> [(toks[h.first].start, h.layer, h.keys) for h in m.match(toks)]
[(0, 'focus', ('human-smuggling',)), (23, 'place', ('MEX',)), (35, 'place', ('mask',))]
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate, repeat
from operator import itemgetter
from typing import NamedTuple

import ahocorasick

__all__ = ["Hit", "Phrase", "PhraseMatcher", "Token", "fold", "fold_unicode", "inner_hyphen", "tokenize"]

_TOKEN = re.compile(r"\w+|[^\w\s]")


def fold(text: str) -> str:
    """Lower case, accents removed, typographic apostrophes and dashes made plain.

    ASCII text has nothing to decompose and no typographic mark: its fold is its lower case
    (:func:`fold_unicode` folds the rest, remembering recent words).

    >>> fold("Panamá’s") == "panama's", fold("Lima")
    (True, 'lima')
    """
    return text.lower() if text.isascii() else fold_unicode(text)


@lru_cache(maxsize=131072)
def fold_unicode(text: str) -> str:
    """:func:`fold` by Unicode decomposition, for any text (ASCII included)."""
    decomposed = unicodedata.normalize("NFKD", text.replace("’", "'").replace("–", "-"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


class Token(NamedTuple):
    """A word or punctuation mark: offsets into the text, the text, and its folded form.

    A named tuple: a release has thousands of tokens, and a tuple is the cheapest object to make.
    """

    start: int
    end: int
    text: str
    norm: str


def tokenize(text: str) -> list[Token]:
    """Words and punctuation marks of ``text`` with their offsets.

    The text is split at its tokens (``re.split`` keeps them, with the whitespace between them:
    ``[space, token, space, token, ..., space]``), the running sum of the pieces' lengths gives
    every offset, and the tokens are made in one ``map``: no Python work per token but its fold.
    """
    pieces = _SPLIT.split(text)
    offsets = list(accumulate(map(len, pieces), initial=0))
    words = pieces[1::2]
    if text.isascii():  # the fold of every word is its lower case: split the lower-cased text
        norms = _SPLIT.split(text.lower())[1::2]
    else:
        norms = [w.lower() if w.isascii() else fold_unicode(w) for w in words]
    return list(map(_new, repeat(Token), zip(offsets[1:-1:2], offsets[2::2], words, norms, strict=True)))


def inner_hyphen(tokens: Sequence[Token], j: int) -> bool:
    """Token ``j`` is a hyphen written with no space on either side: inside one word
    ("Anti-Narcotics", "Comptroller-General"), not a dash between two.

    >>> tokens = tokenize("Anti-Narcotics - not")
    >>> inner_hyphen(tokens, 1), inner_hyphen(tokens, 3)
    (True, False)
    """
    return (
        0 < j < len(tokens) - 1
        and tokens[j].text == "-"
        and tokens[j - 1].end == tokens[j].start
        and tokens[j].end == tokens[j + 1].start
    )


_SPLIT = re.compile(r"(\w+|\S)")  # the tokens of _TOKEN (a non-word \S is one of [^\w\s]), kept
_new = tuple.__new__
_NORM = itemgetter(3)  # a token's norm


@dataclass(frozen=True, slots=True)
class Phrase:
    """One entry of a list: its surface, the layer it belongs to, the key it yields."""

    surface: str
    layer: str
    key: str
    case_sensitive: bool = False


class Hit(NamedTuple):
    """A match: tokens ``first..last`` (inclusive), the layer and every key of that phrase.

    A named tuple, as :class:`Token`: a release has dozens of matches, made in one loop.
    """

    first: int
    last: int
    layer: str
    keys: tuple[str, ...]


def _is_acronym(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


class PhraseMatcher:
    """Compile phrases into one automaton; :meth:`match` scans a token list once."""

    def __init__(self, phrases: Iterable[Phrase]):
        # key string -> list of (layer, key, exact tokens or None)
        table: dict[str, list[tuple[str, str, tuple[str, ...] | None]]] = {}
        for phrase in phrases:
            surface = phrase.surface.strip()
            wild = surface.endswith("*")
            words = [m.group(0) for m in _TOKEN.finditer(surface.rstrip("*"))]
            if not words:
                continue
            norm = " " + " ".join(fold(w) for w in words) + ("" if wild else " ")
            exact = None
            if phrase.case_sensitive or any(_is_acronym(w) for w in words):
                exact = tuple(w.replace("’", "'") for w in words)
            entry = (phrase.layer, phrase.key, exact)
            bucket = table.setdefault(norm, [])
            if entry not in bucket:
                bucket.append(entry)
        self._automaton = ahocorasick.Automaton()
        for norm, entries in table.items():
            # what a match needs: the key's length, whether it ends with a whole word, the entries
            # that match in any case (layer, key) and those that check the case (layer, key, exact)
            plain = tuple((layer, key) for layer, key, exact in entries if exact is None)
            checked = tuple(entry for entry in entries if entry[2] is not None)
            self._automaton.add_word(norm, (len(norm), norm.endswith(" "), plain, checked))
        if table:
            self._automaton.make_automaton()
        self._empty = not table

    def match(self, tokens: Sequence[Token]) -> list[Hit]:
        """Every layer's leftmost-longest matches in ``tokens``, in text order."""
        if self._empty or not tokens:
            return []
        haystack, spaces = _haystack(tokens)
        found: list[tuple[str, int, int, str]] = []  # (layer, first token, -last token, key)
        add = found.append
        for end, (size, whole, plain, checked) in self._automaton.iter(haystack):
            # the token of the key's first character (after its leading space) and of its last
            first = bisect_right(spaces, end - size + 2) - 1
            last = bisect_right(spaces, end - 1 if whole else end) - 1
            for layer, key in plain:
                add((layer, first, -last, key))
            for layer, key, exact in checked:
                if _same_case(tokens, first, last, exact, whole):
                    add((layer, first, -last, key))
        return _leftmost_longest(found)

    def match_text(self, text: str) -> list[tuple[int, int, str, tuple[str, ...]]]:
        """Matches in a short string as ``(start, end, layer, keys)`` character offsets."""
        tokens = tokenize(text)
        return [(tokens[h.first].start, tokens[h.last].end, h.layer, h.keys) for h in self.match(tokens)]


def _haystack(tokens: Sequence[Token]) -> tuple[str, list[int]]:
    """The folded tokens joined by spaces (with one before and after) and the offsets of those
    spaces: a character belongs to the token after the last space at or before it (a space to
    the token after it), found by bisection."""
    norms = list(map(_NORM, tokens))
    return f" {' '.join(norms)} ", [0, *accumulate(map((1).__add__, map(len, norms)))]


def _same_case(tokens: Sequence[Token], first: int, last: int, exact: tuple[str, ...], whole: bool) -> bool:
    if last - first + 1 != len(exact):
        return False
    final = len(exact) - 1
    for i, word in enumerate(exact):
        text = tokens[first + i].text
        # the same word as written (so no typographic apostrophe) is the usual case
        if text != word and not _same_word(text, word, not whole and i == final):
            return False
    return True


@lru_cache(maxsize=65536)
def _same_word(text: str, word: str, prefix: bool) -> bool:
    """A token's ``text`` is the phrase's ``word`` as written, in capitals, or without its
    accents (``prefix``: the word a wildcard phrase ends with, a start of the token).

    Writers drop accents ("Peru" for "Perú"), they do not add them: a text's accent that the
    word lacks makes another word ("Germán" is a name, not "German")."""
    text = text.replace("’", "'")
    if prefix:
        text = text[: len(word)]
    if text == word or (fold(text) == fold(word) and _shouted(text, word)):
        return True
    bare = _strip(text)
    return bare == _strip(word) and (bare == text or _strip(word) != word)


def _shouted(text: str, word: str) -> bool:
    """A capitalised word written all in capitals ("KENYA" for "Kenya"): not an acronym match."""
    return text.isupper() and len(text) > 2 and not word.isupper()


@lru_cache(maxsize=65536)
def _strip(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _leftmost_longest(found: list[tuple[str, int, int, str]]) -> list[Hit]:
    """Each layer's leftmost-longest matches among ``(layer, first, -last, key)``, in text order
    (by first token, the longest first, then by layer), each with the sorted keys of its span."""
    found.sort()  # by layer, then first token, the longest first, then key: a span's keys together
    chosen: list[tuple[int, int, str, list[str]]] = []  # (first, -last, layer, keys)
    current, next_free = "", -1
    span: tuple[int, int] | None = None
    keys: list[str] = []
    for layer, first, neg_last, key in found:
        if layer != current:
            current, next_free, span = layer, -1, None
        elif span is not None and first == span[0] and neg_last == span[1]:
            if key != keys[-1]:  # another key of the chosen span (sorted: duplicates are adjacent)
                keys.append(key)
            continue
        if first <= next_free:
            continue
        span, keys, next_free = (first, neg_last), [key], -neg_last
        chosen.append((first, neg_last, layer, keys))
    chosen.sort()  # no two share first, last and layer: the keys are never compared
    return [_new(Hit, (first, -neg_last, layer, tuple(keys))) for first, neg_last, layer, keys in chosen]
