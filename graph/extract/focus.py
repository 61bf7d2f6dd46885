"""Focus areas: the SKOS scheme's labels matched in sentences, agency names and titles masked.

A word that only occurs inside a body's name or a person's title ("Customs and Border
Protection", "Secretary of Homeland Security") does not make a focus area, so those spans are
blanked before matching.

Examples
--------
>>> from graph.extract.text import split_sentences
>>> sorted(find_focus(split_sentences("Both sides will fight drug trafficking and cybercrime."), []))
['counter-narcotics', 'cybersecurity']
"""

from __future__ import annotations

from graph.extract import gazetteer
from graph.extract.text import Sentence, mask

__all__ = ["find_focus", "focus_in"]


def focus_in(text: str, masked_spans: list[tuple[int, int]] = ()) -> list[tuple[str, int, int]]:
    """Focus-area ids named in ``text`` as ``(id, start, end)``; spans in ``masked_spans`` ignored."""
    gaz = gazetteer.load()
    blanked = mask(text, list(masked_spans))
    hits = []
    for match in gaz.focus.find(blanked):
        for key in match.keys:
            hits.append((key, match.start, match.end))
    return hits


def find_focus(sentences: list[Sentence], masked_spans: list[tuple[int, int]]) -> dict[str, Sentence]:
    """Map each focus-area id found in ``sentences`` to the first sentence naming it.

    ``masked_spans`` are offsets (in the sentences' own text space) of agency names and
    person titles to ignore.
    """
    found: dict[str, Sentence] = {}
    for sentence in sentences:
        local = [
            (max(s, sentence.start) - sentence.start, min(e, sentence.end) - sentence.start)
            for s, e in masked_spans
            if s < sentence.end and sentence.start < e
        ]
        for key, _, _ in focus_in(sentence.text, local):
            found.setdefault(key, sentence)
    return found
