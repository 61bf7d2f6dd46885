"""Group mentions into entities: one agency per body, one person per name, with aliases.

Pure functions over the mentions the finders return.

Examples
--------
>>> from graph.extract.people import PersonMention
>>> ms = [PersonMention("Chad F. Wolf", 0, 12, "Acting Secretary", 0, "Acting Secretary Chad F. Wolf"),
...       PersonMention("Wolf", 40, 44, "Acting Secretary", 23, "Acting Secretary Wolf")]
>>> [(g.name, g.aliases) for g in group_people(ms)]
[('Chad F. Wolf', ['Acting Secretary Wolf', 'Wolf'])]
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from graph.extract import gazetteer
from graph.extract.agencies import AgencyMention
from graph.extract.people import PersonMention
from graph.extract.text import fold

__all__ = ["AgencyGroup", "PersonGroup", "group_agencies", "group_people", "title_agency"]


@dataclass
class PersonGroup:
    name: str
    aliases: list[str] = field(default_factory=list)
    title: str | None = None
    organization: str | None = None
    country: str | None = None
    mentions: list[PersonMention] = field(default_factory=list)


@dataclass
class AgencyGroup:
    name: str
    country: str | None
    aliases: list[str] = field(default_factory=list)
    entry_id: str | None = None
    mentions: list[AgencyMention] = field(default_factory=list)


def _key(name: str) -> tuple[str, str] | None:
    tokens = [t for t in fold(name).replace(".", "").split() if len(t) > 1]
    return (tokens[0], tokens[-1]) if len(tokens) >= 2 else None


def _surname_match(full: str, short: str) -> bool:
    """True when ``short`` is the surname in ``full`` ("Núñez" of "Aristóteles Núñez Sánchez")."""
    full_f, short_f = fold(full).replace(".", ""), fold(short).replace(".", "")
    if full_f == short_f or full_f.endswith(" " + short_f):
        return True
    return len(short_f.split()) == 1 and short_f in full_f.split()[1:]


def group_people(mentions: list[PersonMention]) -> list[PersonGroup]:
    """One group per person: full names first, then short forms attached to the name they end."""
    groups: list[PersonGroup] = []
    by_key: dict[tuple[str, str], PersonGroup] = {}
    ordered = sorted(mentions, key=lambda m: m.start)
    for m in ordered:
        key = _key(m.name)
        if key is None or len(m.name.split()) < 2:
            continue
        group = by_key.get(key) or next(
            (g for g in groups if _surname_match(g.name, m.name) or _surname_match(m.name, g.name)), None
        )
        if group is None:
            group = PersonGroup(m.name)
            by_key[key] = group
            groups.append(group)
        elif len(m.name) > len(group.name):
            group.aliases.append(group.name)
            group.name = m.name
        group.mentions.append(m)
        if m.title and len(m.title) > len(group.title or ""):  # the fullest title given with the name
            group.title = m.title
    for m in ordered:
        if len(m.name.split()) >= 2 and _key(m.name):
            continue
        group = next((g for g in groups if _surname_match(g.name, m.name)), None)
        if group is None:
            group = PersonGroup(m.name, title=m.title)
            groups.append(group)
        group.mentions.append(m)
        group.title = group.title or m.title
    for group in groups:
        for m in group.mentions:
            for alias in (m.surface.strip(), m.name):
                alias = re.sub(r"[’']s$", "", alias).strip(" ,")
                if alias and alias != group.name and alias not in group.aliases and len(alias) < 60:
                    if alias.endswith(group.name) or len(alias.split()) > 4:
                        continue
                    group.aliases.append(alias)
    return groups


def title_agency(title: str, country: str | None) -> tuple[str, str | None] | None:
    """R1 of the annotation guide: the body a title names ("Minister of Public Security" -> its ministry)."""
    for pattern, agency, fixed_country, scope in gazetteer.load().title_agencies:
        if (scope.startswith("!") and country == scope[1:]) or (
            scope and not scope.startswith("!") and country != scope
        ):
            continue
        m = pattern.search(title)
        if m:
            name = agency
            for group, value in m.groupdict().items():
                value = re.sub(r"(?:,|\s+and|\s+the)+$", "", (value or "").strip())
                name = name.replace("{" + group + "}", value)
            return name, fixed_country or country
    return None


def group_agencies(mentions: list[AgencyMention]) -> list[AgencyGroup]:
    """One group per body; aliases are the other surface forms seen."""
    groups: dict[str, AgencyGroup] = {}
    by_name: dict[tuple[str, str | None], AgencyGroup] = {}
    for m in mentions:
        group = groups.get(m.key) or by_name.get((m.name.lower(), m.country))
        if group is None:
            group = AgencyGroup(m.name, m.country, entry_id=m.entry_id)
            by_name[(m.name.lower(), m.country)] = group
        groups[m.key] = group
        group.mentions.append(m)
        surface = re.sub(r"\s+", " ", m.surface).strip(" ,.")
        if surface != group.name and surface not in group.aliases:
            group.aliases.append(surface)
    unique: list[AgencyGroup] = []
    for group in groups.values():
        if all(group is not g for g in unique):
            unique.append(group)
    return unique
