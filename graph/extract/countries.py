"""Countries named in a release: by name, demonym or adjective, English and Spanish.

Regions ("Central America", "Northern Triangle") and phrases such as "New Mexico" are masked
first; forms marked ambiguous in the gazetteer ("Chad", "Georgia", "Jordan") count only where
they are not part of a larger proper name ("Chad F. Wolf").

Examples
--------
>>> [m.code for m in find_countries("Panamanian and U.S. officials met in Central America.")]
['PAN', 'USA']
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from graph.extract import gazetteer
from graph.extract.gazetteer import PhraseIndex, ontology_file
from graph.extract.text import mask

__all__ = ["CountryMention", "country_context", "find_countries", "partner_ranking"]


@dataclass(frozen=True)
class CountryMention:
    code: str
    start: int
    end: int
    text: str


@lru_cache(maxsize=1)
def _non_countries() -> PhraseIndex:
    lines = ontology_file("rules/non-countries.txt").splitlines()
    return PhraseIndex(
        (line.strip(), "mask", True) for line in lines if line.strip() and not line.startswith("#")
    )


_CAPITALISED = re.compile(r"\s*(?:[A-Z][a-z]*\.|[A-Z][\w’'-]+)")


def _ambiguous_ok(text: str, start: int, end: int) -> bool:
    """An ambiguous form counts unless a capitalised word or an initial follows or precedes it."""
    after = text[end : end + 30]
    if _CAPITALISED.match(after):
        return False
    before = text[max(0, start - 30) : start]
    prev = re.search(r"([\w’'.-]+)\s*$", before)
    if prev and prev.group(1)[:1].isupper() and not re.search(r"[.!?:\n]\s*$", before):
        word = prev.group(1)
        if word not in {"The", "In", "To", "From", "With", "And", "Of", "For"}:
            return False
    return True


def find_countries(text: str, language: str = "en") -> list[CountryMention]:
    """Return every mention of a sovereign state in ``text``, in order.

    A form shared by two states ("Dominican") counts for the one the text also names
    unambiguously, else for none; an ambiguous acronym ("EU" for Estados Unidos) only in Spanish.
    """
    gaz = gazetteer.load()
    masked = mask(text, [(m.start, m.end) for m in gaz.regions.find(text)])
    masked = mask(masked, [(m.start, m.end) for m in _non_countries().find(masked)])
    matches = []
    for match in gaz.countries.find(masked):
        surface = match.text
        ambiguous = surface in gaz.ambiguous_countries
        if ambiguous and (
            (surface.isupper() and language != "es") or not _ambiguous_ok(text, match.start, match.end)
        ):
            continue
        matches.append(match)
    sure = {m.keys[0] for m in matches if len(m.keys) == 1}
    mentions = []
    for match in matches:
        codes = match.keys if len(match.keys) == 1 else tuple(k for k in match.keys if k in sure)
        for code in codes:
            mentions.append(CountryMention(code, match.start, match.end, text[match.start : match.end]))
    return mentions


def partner_ranking(mentions: list[CountryMention]) -> list[str]:
    """States by how often the text names them, the United States last: in these releases the
    most named other state is the usual partner of a body or instrument whose state is unstated."""
    counts = Counter(m.code for m in mentions)
    return [code for code, _ in counts.most_common() if code != "USA"] + (["USA"] if "USA" in counts else [])


def country_context(text: str, start: int, end: int, window: int = 45) -> str | None:
    """The state named right around ``text[start:end]``: an adjective or possessive before it
    ("Guatemalan Ministry", "Mexico's Tax Administration Service") or "of <country>" after it.
    """
    before = text[max(0, start - window) : start]
    after = text[end : end + window]
    follow = re.match(r"\s*(?:of|de|del|in|en)\s+(?:the\s+|la\s+)?(.{2,40})", after)
    if follow:
        found = find_countries(follow.group(1))
        if found and found[0].start == 0:
            return found[0].code
    found = find_countries(before)
    if found:
        last = found[-1]
        gap = before[last.end :]
        if re.fullmatch(r"(?:['’]s?)?[ \t]*(?:[A-Z][\w.’'-]*[ \t]+){0,3}", gap):
            return last.code
    return None
