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

from graph.textmeta import MONTHS as TEXT_MONTHS

__all__ = ["MONTHS", "parse_date", "signing_date"]

# The ingestion's month table, less the Spanish abbreviations that are English words ("set", "ago").
MONTHS = {name: number for name, number in TEXT_MONTHS.items() if name not in {"set", "ago"}}
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_MDY = re.compile(
    rf"\b(?P<m>{_MONTH})\.? (?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?:,? (?P<y>(?:19|20)\d\d))?\b", re.IGNORECASE
)
_DMY = re.compile(
    rf"\b(?P<d>\d{{1,2}})(?:º|°)? (?:de )?(?P<m>{_MONTH})\.?(?:,? (?:de |del )?(?P<y>(?:19|20)\d\d))?\b",
    re.IGNORECASE,
)
_ISO = re.compile(r"\b(?P<y>(?:19|20)\d\d)-(?P<m>\d\d)-(?P<d>\d\d)\b")
_TODAY = re.compile(
    r"\b(?:today|this (?:morning|afternoon|week)|hoy|este (?:lunes|martes|miércoles|jueves|viernes))\b",
    re.IGNORECASE,
)


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


def parse_date(text: str, reference: str | None = None) -> str | None:
    """The first calendar date written in ``text`` as ISO, the year taken from ``reference`` if absent."""
    found = []
    for pattern in (_ISO, _MDY, _DMY):
        for m in pattern.finditer(text):
            month = m.group("m")
            month_no = int(month) if month.isdigit() else MONTHS.get(month.lower().rstrip("."))
            if not month_no:
                continue
            year = int(m.group("y")) if m.group("y") else None
            iso = _build(year, month_no, int(m.group("d")), reference)
            if iso:
                found.append((m.start(), iso))
    return min(found)[1] if found else None


_WEEKDAYS = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6,
    "lunes": 0, "martes": 1, "miércoles": 2, "miercoles": 2, "jueves": 3, "viernes": 4, "sábado": 5,
    "sabado": 5, "domingo": 6,
}  # fmt: skip
_WEEKDAY = re.compile(rf"\b(?:on|el|este)\s+({'|'.join(_WEEKDAYS)})\b", re.IGNORECASE)


def signing_date(sentence: str, release_date: str | None) -> str | None:
    """The date a sentence gives for a signing: an explicit date, "today" (the release date) or
    "on Thursday" (the last such day on or before the release date)."""
    explicit = parse_date(sentence, release_date)
    if explicit:
        return explicit
    if release_date and _TODAY.search(sentence):
        return release_date
    weekday = _WEEKDAY.search(sentence)
    if release_date and weekday:
        ref = dt.date.fromisoformat(release_date)
        back = (ref.weekday() - _WEEKDAYS[weekday.group(1).lower()]) % 7
        return (ref - dt.timedelta(days=back)).isoformat()
    return None
