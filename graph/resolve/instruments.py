"""Reports of agreements gathered into instruments across releases: deterministic clustering.

Reports are compared only within a block of the same parties, each with its nearest neighbours
in time (``candidates`` in ``ontology/rules/resolution.tsv``), so the cost grows as n log n.
Merges are taken best first; two groups join only when no release appears in both (a release
reports an instrument once) and every pair across them is :func:`~graph.resolve.matching.compatible`.
A merge that holds only when unique (a shared date or place, an entry into force) is demoted to
"possibly the same" when one report has two such partners that cannot be one instrument. A later
event (in force, renewed, extended, amended) that fits several signings belongs to the best-linked,
then the latest, signing before it; a tie leaves it possibly the same as each.

Examples
--------
>>> from graph.resolve.matching import Report
>>> a = Report("a0", "a", 0, "agreement", ("HND", "USA"), date="2019-09-25")
>>> b = Report("b0", "b", 0, "agreement", ("HND", "USA"), event="in-force", released="2020-12-29")
>>> c = Report("c0", "c", 0, "agreement", ("HND", "USA"), date="2021-03-01")
>>> result = resolve_reports([c, b, a])
>>> [[r.iri for r in i.reports] for i in result.instruments]
[['a0', 'b0'], ['c0']]
>>> result.instruments[0].links[0].rules
('later-event',)
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from graph.iris import instrument_iri
from graph.model import AGREEMENT_TYPES
from graph.resolve.matching import (
    LATER_EVENTS,
    Comparison,
    Report,
    block_key,
    compare,
    compatible,
    is_named,
    number_rule,
    time_key,
    types_compatible,
)
from graph.resources import rule_rows

__all__ = ["Instrument", "Link", "Resolution", "resolve_reports"]

_EVENT_ORDER = {"announced": 0, "signed": 1, "in-force": 2, "renewed": 3, "extended": 3, "amended": 3}


@dataclass(frozen=True)
class Link:
    """Why two reports are one instrument (``merged``) or may be (``possibly-same``)."""

    first: str
    second: str
    decision: str
    rules: tuple[str, ...]
    reason: str


@dataclass(frozen=True)
class Instrument:
    """One instrument: its reports (sorted by release and position) and the links that merged them."""

    iri: str
    reports: tuple[Report, ...]
    links: tuple[Link, ...] = ()

    @property
    def type(self) -> str:
        """The type most reports give (ties: the contract's order of types)."""
        counts = Counter(r.type for r in self.reports)
        return min(
            counts, key=lambda t: (-counts[t], AGREEMENT_TYPES.index(t) if t in AGREEMENT_TYPES else 99)
        )

    @property
    def parties(self) -> tuple[str, ...]:
        return tuple(sorted({p for r in self.reports for p in r.parties}))

    @property
    def signed_on(self) -> str | None:
        """The earliest signing date a report gives."""
        dates = sorted(r.date for r in self.reports if r.date and r.event in ("signed", "announced"))
        return dates[0] if dates else None

    @property
    def first_date(self) -> str | None:
        """The signing date, else the date of the first release that reports it."""
        released = sorted(r.released for r in self.reports if r.released)
        return self.signed_on or (released[0] if released else None)

    @property
    def status(self) -> str:
        """The latest reported event (by release date, then by how late in a life the event comes)."""
        latest = max(self.reports, key=lambda r: (r.released or r.date or "", _EVENT_ORDER.get(r.event, 1)))
        return latest.event

    @property
    def title(self) -> str | None:
        """The English name a report gives (capitalised first), else another language's, else a text."""
        titles = [r for r in self.reports if r.title]
        if not titles:
            return None
        counts = Counter(r.title for r in titles)
        best = min(
            titles,
            key=lambda r: (
                r.language not in (None, "en"),
                not (r.title or " ")[0].isupper(),
                not is_named(r.title),
                -counts[r.title],
                len(r.title or ""),
            ),
        )
        return best.title

    @property
    def place(self) -> tuple[str | None, str | None]:
        """Where it was signed, from the first signing report that says."""
        for report in sorted(self.reports, key=lambda r: (r.event in LATER_EVENTS, r.release, r.position)):
            if report.place or report.place_country:
                return report.place, report.place_country
        return None, None


@dataclass(frozen=True)
class Resolution:
    """Instruments (sorted by IRI) and the "possibly the same" links between two of them."""

    instruments: tuple[Instrument, ...]
    possible: tuple[tuple[str, str, Link], ...] = ()


@lru_cache(maxsize=1)
def _nearest() -> int:
    return next(int(r["value2"]) for r in rule_rows("resolution") if r["kind"] == "candidates")


def _ordinal(report: Report) -> int:
    """Days since year 1 of the report's time key (undated reports last)."""
    key = time_key(report)
    try:
        return date.fromisoformat(key).toordinal()
    except ValueError:
        return date.max.toordinal()


def _comparisons(reports: list[Report]) -> list[tuple[Report, Report, Comparison]]:
    """Compare the reports of each block (same parties) that could be one instrument.

    In time order, each report meets those within ``report-lag`` days after it (two reports of
    one signing), at most ``2 * nearest`` of them; a later event or an undated report also meets
    the ``nearest`` earlier reports of a compatible type beyond that window (the signing it may
    follow). So the cost grows as n log n (the sort), whatever the size of a block.
    """
    blocks: dict[tuple, list[Report]] = defaultdict(list)
    for report in reports:
        key = block_key(report)
        if key is not None:
            blocks[key].append(report)
    found = []
    nearest, lag = _nearest(), number_rule("days", "report-lag")
    undated = date.max.toordinal()

    def record(a: Report, b: Report) -> None:
        result = compare(a, b)
        if result is not None:
            first, second = sorted((a, b), key=lambda r: (r.release, r.position))
            found.append((first, second, result))

    for key in sorted(blocks):
        members = sorted(blocks[key], key=lambda r: (time_key(r), r.release, r.position))
        days = [_ordinal(r) for r in members]
        for i, a in enumerate(members):
            j = i + 1
            while j < len(members) and days[j] - days[i] <= lag and j - i <= 2 * nearest:
                record(a, members[j])
                j += 1
            if a.event in LATER_EVENTS or days[i] == undated:
                met = 0
                for k in range(i - 1, -1, -1):
                    if days[i] - days[k] <= lag and i - k <= 2 * nearest:
                        continue  # met already, in k's window
                    if not types_compatible(members[k], a):
                        continue
                    record(members[k], a)
                    met += 1
                    if met >= nearest:
                        break
    return found


def _latest_signings(found: list[tuple[Report, Report, Comparison]]) -> dict[str, str]:
    """For each later event (in force, renewed ...) with merge partners that cannot all be one
    instrument, the signing it belongs to: the best-linked, then the latest one before it.

    Returns ``{later report IRI: chosen partner IRI}``; ties leave the report out (undecided).
    """
    candidates: dict[str, list[tuple[int, str, Report]]] = defaultdict(list)
    for a, b, result in found:
        if result.decision != "merged":
            continue
        for later, other in ((a, b), (b, a)):
            if later.event in LATER_EVENTS and other.event not in LATER_EVENTS:
                candidates[later.iri].append((result.score, time_key(other), other))
    chosen = {}
    for iri, options in candidates.items():
        if len(options) < 2 or all(compatible(x[2], y[2]) for x in options for y in options if x is not y):
            continue
        options.sort(key=lambda x: (x[0], x[1]), reverse=True)
        if options[0][:2] != options[1][:2]:
            chosen[iri] = options[0][2].iri
    return chosen


def _demote_ambiguous(
    found: list[tuple[Report, Report, Comparison]],
) -> list[tuple[Report, Report, Comparison]]:
    partners: dict[str, list[Report]] = defaultdict(list)
    for a, b, _ in found:
        partners[a.iri].append(b)
        partners[b.iri].append(a)
    latest = _latest_signings(found)

    by_iri = {r.iri: r for a, b, _ in found for r in (a, b)}

    def ambiguous(report: Report, other: Report) -> bool:
        return any(q.iri != other.iri and not compatible(other, q) for q in partners[report.iri])

    def keep(a: Report, b: Report, result: Comparison) -> bool:
        for later, signing in ((a, b), (b, a)):
            if later.iri in latest:  # the later event chose its signing: keep what fits the choice
                choice = by_iri[latest[later.iri]]
                return choice.iri == signing.iri or compatible(signing, choice)
        return not result.needs_unique or not (ambiguous(a, b) or ambiguous(b, a))

    out = []
    for a, b, result in found:
        if result.decision == "merged" and not keep(a, b, result):
            result = Comparison("possibly-same", result.rules, result.reason + " (not unique)", result.score)
        out.append((a, b, result))
    return out


def resolve_reports(reports: Iterable[Report]) -> Resolution:
    """Gather reports into instruments; the same set of reports always gives the same result.

    Parameters
    ----------
    reports : iterable of Report
        Every report of every release (their order does not matter).

    Returns
    -------
    Resolution
        One :class:`Instrument` per group of reports, and the undecided links between groups.
    """
    unique = {r.iri: r for r in reports}
    ordered = sorted(unique.values(), key=lambda r: (r.release, r.position, r.iri))
    found = _demote_ambiguous(_comparisons(ordered))
    parent = {r.iri: r.iri for r in ordered}
    members = {r.iri: [r] for r in ordered}
    links: dict[str, list[Link]] = defaultdict(list)

    def root(iri: str) -> str:
        while parent[iri] != iri:
            parent[iri] = parent[parent[iri]]
            iri = parent[iri]
        return iri

    merges = sorted(
        (x for x in found if x[2].decision == "merged"), key=lambda x: (-x[2].score, x[0].iri, x[1].iri)
    )
    for a, b, result in merges:
        ra, rb = root(a.iri), root(b.iri)
        if ra == rb:
            links[ra].append(Link(a.iri, b.iri, "merged", result.rules, result.reason))
            continue
        group_a, group_b = members[ra], members[rb]
        if {r.release for r in group_a} & {r.release for r in group_b}:
            continue
        if not all(compatible(x, y) for x in group_a for y in group_b):
            continue
        keep, drop = sorted((ra, rb))
        parent[drop] = keep
        members[keep] = group_a + group_b
        del members[drop]
        links[keep] = [
            *links.pop(keep, []),
            *links.pop(drop, []),
            Link(a.iri, b.iri, "merged", result.rules, result.reason),
        ]

    by_root: dict[str, Instrument] = {}
    for key, group in members.items():
        group = sorted(group, key=lambda r: (r.release, r.position))
        first = group[0]
        draft = Instrument("", tuple(group))
        year = (draft.signed_on or "")[:4] or None
        iri = str(instrument_iri(draft.type, draft.parties, year, (first.release, first.position)))
        by_root[key] = Instrument(
            iri, tuple(group), tuple(sorted(links.get(key, []), key=lambda x: (x.first, x.second)))
        )

    possible: dict[tuple[str, str], tuple[str, str, Link]] = {}
    for a, b, result in found:
        if result.decision != "possibly-same":
            continue
        ra, rb = root(a.iri), root(b.iri)
        if ra == rb:
            continue
        releases_a, releases_b = {r.release for r in members[ra]}, {r.release for r in members[rb]}
        if b.release in releases_a or a.release in releases_b:
            continue  # each already has its counterpart in the other's release
        ia, ib = sorted((by_root[ra].iri, by_root[rb].iri))
        possible.setdefault(
            (ia, ib), (ia, ib, Link(a.iri, b.iri, "possibly-same", result.rules, result.reason))
        )
    instruments = tuple(sorted(by_root.values(), key=lambda i: i.iri))
    return Resolution(instruments, tuple(possible[k] for k in sorted(possible)))
