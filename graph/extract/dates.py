"""Dates in sentences: "May 27", "July 22, 2025", "26 de junio", "today" (= the release date).

Examples
--------
>>> signing_date("On May 27, the two governments signed it.", "2019-05-28")
'2019-05-27'
>>> signing_date("They signed it today.", "2019-12-17")
'2019-12-17'
>>> signing_date("They signed it.", None) is None
True
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from functools import lru_cache

from graph.extract import lexicon
from graph.extract.casefold import finditer, lowered
from graph.extract.patterns import compile_rule
from graph.textmeta import month_numbers

__all__ = ["month_names", "months", "parse_date", "signing_date", "weekdays"]

# Abbreviations of Spanish months that are words in running text ("set", "ago").
_NOT_IN_SENTENCES = frozenset({"set", "ago"})


@lru_cache(maxsize=1)
def months() -> dict[str, int]:
    """Month names and abbreviations read in sentences, to month numbers (the ingestion's table,
    less the Spanish abbreviations that are words: "set", "ago")."""
    return {name: n for name, n in month_numbers().items() if name not in _NOT_IN_SENTENCES}


@lru_cache(maxsize=1)
def month_names() -> str:
    """The full month names as written in English and Spanish ("January", "enero"), as a
    regular-expression alternation."""
    from babel.dates import get_month_names

    names = {name for loc in ("en", "es") for name in get_month_names("wide", "format", loc).values()}
    return "|".join(sorted(names, key=len, reverse=True))


@lru_cache(maxsize=1)
def weekdays() -> dict[str, int]:
    """Day names in English and Spanish, with and without accents, to ``date.weekday()`` numbers."""
    from babel.dates import get_day_names

    out: dict[str, int] = {}
    for loc in ("en", "es"):
        for number, name in get_day_names("wide", "format", loc).items():
            out[name.lower()] = number
            out[unicodedata.normalize("NFKD", name.lower()).encode("ascii", "ignore").decode()] = number
    return out


@lru_cache(maxsize=1)
def _patterns() -> dict[str, re.Pattern[str]]:
    month = "|".join(sorted(months(), key=len, reverse=True))
    return {
        "mdy": compile_rule(
            rf"\b(?P<m>{month})\.? (?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?:,? (?P<y>(?:19|20)\d\d))?\b",
            re.IGNORECASE,
        ),
        "dmy": re.compile(
            rf"\b(?P<d>\d{{1,2}})(?:º|°)? (?:de )?(?P<m>{month})\.?"
            r"(?:,? (?:de |del )?(?P<y>(?:19|20)\d\d))?\b",
            re.IGNORECASE,
        ),
        "iso": re.compile(r"\b(?P<y>(?:19|20)\d\d)-(?P<m>\d\d)-(?P<d>\d\d)\b"),
        "today": re.compile(rf"\b(?:{lexicon.word_pattern('today')})\b", re.IGNORECASE),
        "weekday": re.compile(
            rf"\b(?:on|el|este)\s+({'|'.join(sorted(weekdays(), key=len, reverse=True))})\b", re.IGNORECASE
        ),
    }


def _build(year: int | None, month: int, day: int, reference: str | None) -> str | None:
    if year is None:
        if not reference:
            return None
        ref = dt.date.fromisoformat(reference)
        year = ref.year
        try:
            if dt.date(year, month, day) > ref + dt.timedelta(days=31):
                year -= 1
        except ValueError:
            return None
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


_DIGIT = re.compile(r"\d")


def parse_date(text: str, reference: str | None = None) -> str | None:
    """The first calendar date written in ``text`` as ISO, the year taken from ``reference`` if absent."""
    if _DIGIT.search(text) is None:
        return None  # every written date has a digit (its day)
    found = []
    patterns = _patterns()
    low = lowered(text)  # the month names match in any case: see graph.extract.casefold
    for pattern in (patterns["iso"], patterns["mdy"], patterns["dmy"]):
        for m in finditer(pattern, text, low):
            month = m.group("m")
            month_no = int(month) if month.isdigit() else months().get(month.lower().rstrip("."))
            if not month_no:
                continue
            year = int(m.group("y")) if m.group("y") else None
            iso = _build(year, month_no, int(m.group("d")), reference)
            if iso:
                found.append((m.start(), iso))
    return min(found)[1] if found else None


def signing_date(sentence: str, release_date: str | None) -> str | None:
    """The date a sentence gives for a signing: an explicit date, "today" (the release date) or
    "on Thursday" (the last such day on or before the release date)."""
    explicit = parse_date(sentence, release_date)
    if explicit:
        return explicit
    if release_date and _patterns()["today"].search(sentence):
        return release_date
    weekday = _patterns()["weekday"].search(sentence)
    if release_date and weekday:
        ref = dt.date.fromisoformat(release_date)
        back = (ref.weekday() - weekdays()[weekday.group(1).lower()]) % 7
        return (ref - dt.timedelta(days=back)).isoformat()
    return None
