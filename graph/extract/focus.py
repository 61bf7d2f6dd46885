"""Focus areas: the SKOS scheme's labels in the text, names and titles left out.

A word that only occurs inside a body's name, a person's title or the name of a programme or
event ("Customs and Border Protection", "Secretary of Homeland Security", "Migration and Economic
Development Partnership") does not make a focus area (contract, focus-areas.md), so labels inside
those spans do not count.

Examples
--------
>>> from graph.extract.pipeline import read
>>> doc = read("Both sides will fight drug trafficking and cybercrime with Customs and Border Protection.")
>>> sorted(release_focus(doc))
['counter-narcotics', 'cybersecurity']
"""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache
from itertools import accumulate

from graph.extract import lexicon
from graph.extract.doc import Doc, Sentence, Span

__all__ = ["mark_names", "release_focus", "sentence_focus"]

_MASKS = ("body", "title", "person", "proper-name")


_NAME = re.compile(r"(?:[A-Z][\w’'-]+(?:\s+(?:and|of|for|on|the|&|de|del|la|y)\s+|\s+)){1,8}[A-Z][\w’'-]+")
_WORD = re.compile(r"[\w’'-]+")


def mark_names(doc: Doc) -> None:
    """Add ``proper-name`` spans for capitalised names of programmes, policies and events
    ("Migration and Economic Development Partnership", "Regional Conference on Migration")."""
    lex = lexicon.load()
    for m in _NAME.finditer(doc.text):
        # the last word, the one that says what the name names, comes after the last space
        if lex.name_kinds.get(m.group(0).rsplit(None, 1)[-1].lower()) not in {"programme", "event"}:
            continue
        words = _WORD.findall(m.group(0))
        kinds = [lex.name_kinds.get(w.lower()) for w in words]
        if kinds[-1] in {"programme", "event"} and sum(w[:1].isupper() for w in words) >= 3:
            if m.start() < doc.title_end:
                continue  # a headline capitalises every word
            doc.add(Span(m.start(), m.end(), "proper-name"))


def sentence_focus(doc: Doc, sentence: Sentence) -> set[str]:
    """The focus-area ids a sentence names (outside names and titles)."""
    key = ("focus", sentence.start, sentence.end)
    return set(doc.of_spans(key, _sentence_focus, doc, sentence.start, sentence.end))


def _sentence_focus(doc: Doc, start: int, end: int) -> frozenset[str]:
    spans, starts = doc.of_spans("focus:unmasked", _unmasked, doc)
    ids = set()
    # the unmasked labels inside [start, end), as Doc.within finds them
    for span in spans[bisect_left(starts, start) : bisect_left(starts, end)]:
        if span.end <= end:
            ids.update(span.keys)
    return frozenset(ids & _focus_ids())


def _unmasked(doc: Doc) -> tuple[list[Span], list[int]]:
    """The focus labels outside names and titles, in text order, and their starts: each label
    tested once for the document, however many sentences and undertakings ask."""
    masks = sorted((m.start, m.end) for label in _MASKS for m in doc.spans(label))
    mask_starts = [a for a, _ in masks]
    reach = list(accumulate((b for _, b in masks), max))  # the furthest end of the masks so far
    spans = []
    for span in doc.spans("focus-label"):
        # a mask overlaps the label when it starts before the label ends and ends after it starts
        n = bisect_left(mask_starts, span.end)
        if not (n and reach[n - 1] > span.start):
            spans.append(span)
    return spans, [span.start for span in spans]


@lru_cache(maxsize=1)
def _focus_ids() -> frozenset[str]:
    return frozenset(lexicon.load().focus_ids)


def release_focus(doc: Doc) -> dict[str, Sentence]:
    """Every focus-area id the document names, with the first sentence naming it."""
    found: dict[str, Sentence] = {}
    for sentence in doc.sentences:
        for key in sorted(sentence_focus(doc, sentence)):
            found.setdefault(key, sentence)
    return found
