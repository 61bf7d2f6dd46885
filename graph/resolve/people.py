"""People named in several forms across releases ("Wolf", "Chad Wolf", "Chad F. Wolf"): one person.

A shorter name is resolved as a fuller one when every release that names them agrees: the same
state, a compatible name (the same surname, and the same first initial when both have one), the
same organization when both releases give one (else titles that share a word, when both have
one), and release dates at most eight years apart. Never on
a surname alone across states or decades; when two fuller names fit, the shorter one stays alone.

Examples
--------
>>> short = PersonMention("p/wolf", "Wolf", "USA", ("Acting Secretary",), "2020-01-02")
>>> full = PersonMention("p/chad-f-wolf", "Chad F. Wolf", "USA", ("Acting Secretary",), "2019-12-01")
>>> other = PersonMention("p/wolf", "Wolf", "DEU", (), "1990-01-01")
>>> resolve_people([short, full])
{'p/wolf': 'p/chad-f-wolf'}
>>> resolve_people([short, full, other])
{}
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

__all__ = ["PersonMention", "resolve_people"]

_YEARS = 8


@dataclass(frozen=True)
class PersonMention:
    """One release's mention of a person: IRI, name, state, titles, release date, organizations."""

    iri: str
    name: str
    country: str | None
    titles: tuple[str, ...] = ()
    released: str | None = None
    organizations: tuple[str, ...] = ()


@lru_cache(maxsize=65536)
def _words(text: str) -> list[str]:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").casefold()
    return re.findall(r"[a-z0-9]+", folded)


def _given(name: str) -> list[str]:
    return _words(name)[:-1]


def _year(text: str | None) -> int | None:
    try:
        return date.fromisoformat(text).year if text else None
    except ValueError:
        return None


def _fits(short: list[PersonMention], full: list[PersonMention]) -> bool:
    """Every mention of the shorter name agrees with every mention of the fuller one."""
    for s in short:
        for f in full:
            if s.country != f.country or s.country is None:
                return False
            ys, yf = _year(s.released), _year(f.released)
            if ys is not None and yf is not None and abs(ys - yf) > _YEARS:
                return False
            if s.organizations and f.organizations:
                if not set(s.organizations) & set(f.organizations):
                    return False
                continue
            ts = {w for t in s.titles for w in _words(t) if len(w) > 3}
            tf = {w for t in f.titles for w in _words(t) if len(w) > 3}
            if ts and tf and not ts & tf:
                return False
    return True


def _compatible_names(short: str, full: str) -> bool:
    ws, wf = _words(short), _words(full)
    if not ws or not wf or ws[-1] != wf[-1] or len(ws) >= len(wf):
        return False
    given_s, given_f = ws[:-1], wf[:-1]
    if not given_s:
        return True
    return given_s[0][0] == given_f[0][0] and all(w in given_f or len(w) == 1 for w in given_s)


def resolve_people(mentions: Iterable[PersonMention]) -> dict[str, str]:
    """Map each shorter person IRI to the one fuller IRI it names, when the context agrees.

    Parameters
    ----------
    mentions : iterable of PersonMention
        Every release's mention of every person (one IRI may be mentioned by many releases).

    Returns
    -------
    dict
        ``{shorter IRI: fuller IRI}``, only for names resolved; fuller names map to nothing.
        Names are compared only within one surname and state, shorter against longer.
    """
    by_iri: dict[str, list[PersonMention]] = defaultdict(list)
    for mention in mentions:
        by_iri[mention.iri].append(mention)
    groups: dict[tuple[str, str], list[str]] = defaultdict(list)
    for iri, found in by_iri.items():
        words = _words(found[0].name)
        states = {m.country for m in found}
        state = states.pop() if len(states) == 1 else None
        if words and state is not None:
            groups[(words[-1], state)].append(iri)
    resolved: dict[str, str] = {}
    for key in sorted(groups):
        iris = sorted(groups[key], key=lambda i: (len(_words(by_iri[i][0].name)), i))
        sizes = [len(_words(by_iri[i][0].name)) for i in iris]
        for n, iri in enumerate(iris):
            name = by_iri[iri][0].name
            fits = [
                other
                for other, size in zip(iris[n + 1 :], sizes[n + 1 :], strict=True)
                if size > sizes[n]
                and _compatible_names(name, by_iri[other][0].name)
                and _fits(by_iri[iri], by_iri[other])
            ]
            # the fullest names among those that fit; two different ones leave it alone
            longest = [
                o
                for o in fits
                if not any(_compatible_names(by_iri[o][0].name, by_iri[p][0].name) for p in fits)
            ]
            if len(longest) == 1:
                resolved[iri] = longest[0]
    return resolved
