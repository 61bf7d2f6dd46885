"""Text helpers for the extractor: sentences with offsets, spans, masking.

Everything here is pure and works on plain strings; offsets are Python string indices.

Examples
--------
>>> [s.text for s in split_sentences("Mr. Smith arrived. He signed the U.S. deal today.")]
['Mr. Smith arrived.', 'He signed the U.S. deal today.']
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["ABBREVIATIONS", "Sentence", "fold", "mask", "split_sentences"]

# Tokens after which a period does not end a sentence.
ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "st", "jr", "sr", "no", "gen", "lt", "col", "capt", "cmdr", "adm", "sen",
    "rep", "gov", "amb", "hon", "dept", "corp", "inc", "ltd", "co", "vs", "etc", "sgt", "maj", "prof",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "u.s", "u.k",
    "d.c", "e.u", "u.n", "ee.uu", "sra", "dra", "lic", "ing", "fig", "approx", "ft", "mt", "rt",
}  # fmt: skip

_BOUNDARY = re.compile(r"[.!?]+[\"”’')\]]*\s+(?=[\"“‘(¿¡]?[A-ZÁÉÍÓÚÑ0-9])")


@dataclass(frozen=True)
class Sentence:
    """A sentence of the release with its offsets.

    ``list_item`` is true for a line of a bulleted list; ``paragraph`` numbers the paragraph.
    """

    start: int
    end: int
    text: str
    paragraph: int = 0
    list_item: bool = False


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower-case and remove accents: ``fold("Panamá") == "panama"``."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def _is_abbreviation(paragraph: str, dot: int) -> bool:
    """True when the period at ``dot`` ends an abbreviation or an initial."""
    before = paragraph[max(0, dot - 40) : dot]
    match = re.search(r"([\w.]+)$", before)
    if not match:
        return False
    word = match.group(1)
    if len(word) == 1 and word.isupper():  # an initial: "Chad F. Wolf"
        return True
    return word.lower().rstrip(".") in ABBREVIATIONS


def split_sentences(text: str) -> list[Sentence]:
    """Split ``text`` into sentences with character offsets.

    Paragraphs (blank-line or line separated) never share a sentence; a line starting with a
    bullet (``-``, ``*``, ``•``, or ``1.``) is a list item of its own.
    """
    sentences: list[Sentence] = []
    paragraph_no = 0
    for line_match in re.finditer(r"[^\n]+", text):
        line = line_match.group(0)
        if not line.strip():
            continue
        paragraph_no += 1
        base = line_match.start()
        is_item = bool(re.match(r"\s*(?:[-*•·–]|\d{1,2}[.)])\s+", line))
        cursor = 0
        for boundary in _BOUNDARY.finditer(line):
            first_dot = boundary.start()
            if line[first_dot] == "." and _is_abbreviation(line, first_dot):
                # "U.S. Embassy": an abbreviation followed by a capital does not end a sentence,
                # unless what follows is clearly a new sentence opener.
                following = line[boundary.end() :]
                if not re.match(r"(?:The|This|It|He|She|They|We|In|On|At|Today|Under|As)\b", following):
                    continue
            end = boundary.end()
            _add(sentences, text, base + cursor, base + end, paragraph_no, is_item)
            cursor = end
        _add(sentences, text, base + cursor, base + len(line), paragraph_no, is_item)
    return sentences


def _add(out: list[Sentence], text: str, start: int, end: int, para: int, item: bool) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append(Sentence(start, end, text[start:end], para, item))


def mask(text: str, spans: list[tuple[int, int]], char: str = " ") -> str:
    """Return ``text`` with each ``(start, end)`` span overwritten by ``char`` (offsets kept)."""
    chars = list(text)
    for start, end in spans:
        for i in range(max(start, 0), min(end, len(chars))):
            if not chars[i].isspace():
                chars[i] = char
    return "".join(chars)
