"""Whether two reports of agreements, from two releases, describe one instrument.

Pure functions over :class:`Report` values. Two reports are one instrument when their parties
are the same (for agreements between organizations only, their organizations), their types are
compatible (``ontology/rules/resolution.tsv``), their dates do not contradict each other, their
proper names (when both have one) agree, and something concrete links them: the same signatory,
the same place, the same name, a later report of the instrument's entry into force, renewal,
extension or amendment, or the same later event. :func:`compare` returns the decision and the
rules behind it, in words.

Examples
--------
>>> a = Report("r/a/0", "a", 0, "treaty", ("GBR", "RWA"), date="2023-12-05",
...            signatories=("James Cleverly",))
>>> b = Report("r/b/0", "b", 0, "agreement", ("GBR", "RWA"), released="2023-12-06",
...            signatories=("Cleverly",))
>>> found = compare(a, b)
>>> found.decision, found.rules
('merged', ('same-signatories',))
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from graph.resources import gazetteer_rows, ontology_graph, rule_rows, split_multi

__all__ = [
    "LATER_EVENTS",
    "Comparison",
    "Report",
    "block_key",
    "compare",
    "compatible",
    "is_named",
    "name_core",
    "name_key",
    "number_rule",
    "time_key",
    "title_stems",
    "types_compatible",
]

LATER_EVENTS = frozenset({"in-force", "renewed", "extended", "amended"})
"""Events that happen to an instrument after it was signed."""
_SIGNING = frozenset({"signed", "announced"})
STRONG = ("same-signatories", "same-name", "same-place", "later-event", "same-event", "same-subject")
"""Rules that merge on their own when the dates agree; ``same-date`` and ``same-time`` (the same
type signed within days) alone need a unique pairing."""


@dataclass(frozen=True)
class Report:
    """One release's report of an agreement, as resolution needs it.

    ``date`` is the signing date the release gives, ``released`` the release's own date;
    ``organizations`` (agency IRIs) stand in for the parties of agreements between organizations
    only (``parties == ()``).
    """

    iri: str
    release: str
    position: int
    type: str
    parties: tuple[str, ...]
    event: str = "signed"
    date: str | None = None
    released: str | None = None
    title: str | None = None
    signatories: tuple[str, ...] = ()
    place: str | None = None
    place_country: str | None = None
    organizations: tuple[str, ...] = ()
    focus_areas: tuple[str, ...] = ()
    language: str | None = None


@dataclass(frozen=True)
class Comparison:
    """What :func:`compare` decided: ``merged`` or ``possibly-same``, by which rules, and why."""

    decision: str
    rules: tuple[str, ...]
    reason: str
    score: int
    needs_unique: bool = False


# --- data -------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _rules() -> dict[str, list[dict[str, str]]]:
    found: dict[str, list[dict[str, str]]] = {}
    for row in rule_rows("resolution"):
        found.setdefault(row["kind"], []).append(row)
    return found


@lru_cache(maxsize=64)
def number_rule(kind: str, name: str) -> int:
    """A number of ``resolution.tsv`` (``days``, ``candidates``, ``stem``).

    >>> number_rule("days", "report-lag")
    31
    """
    return next(int(r["value2"]) for r in _rules()[kind] if r["value"] == name)


@lru_cache(maxsize=1)
def _compatible() -> tuple[frozenset[frozenset[str]], dict[frozenset[str], str]]:
    always = frozenset(frozenset((r["value"], r["value2"])) for r in _rules()["compatible"])
    conditional = {
        frozenset((r["value"], r["value2"])): r["word"].casefold() for r in _rules()["compatible-if"]
    }
    return always, conditional


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").casefold()


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+(?:-[a-z0-9]+)*", _fold(text))


@lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    words = {_fold(r["value"]) for r in _rules().get("title-stop", [])}
    types = ontology_graph("agreement-types.ttl")
    for _, _, label in types.triples((None, None, None)):
        if getattr(label, "language", None) in ("en", "es"):
            words.update(_words(str(label)))
    for row in gazetteer_rows("countries"):
        for name in (*split_multi(row.get("names")), *split_multi(row.get("demonyms"))):
            words.update(_words(name.lstrip("~")))
    return frozenset(words)


# --- titles, names, blocks ----------------------------------------------------------------------


@lru_cache(maxsize=65536)
def title_stems(title: str | None) -> frozenset[str]:
    """Stems of a title's content words: no type names, states, demonyms or small words.

    >>> sorted(title_stems("migration treaty")), sorted(title_stems("Treaty"))
    (['migra'], [])
    """
    if not title:
        return frozenset()
    size = number_rule("stem", "letters")
    return frozenset(
        w[:size] for w in _words(title) if len(w) > 3 and w not in _stop_words() and not w.isdigit()
    )


@lru_cache(maxsize=65536)
def is_named(title: str | None) -> bool:
    """True when a title is the instrument's own name: capitalised content words, not a description.

    >>> is_named("Status of Forces Agreement"), is_named("migration treaty"), is_named("Treaty")
    (True, False, False)
    """
    if not title or not title_stems(title):
        return False
    words = [
        w for w in re.findall(r"[^\W\d_][\w'’-]*", title) if len(w) > 3 and _fold(w) not in _stop_words()
    ]
    return bool(words) and all(w[0].isupper() for w in words)


@lru_cache(maxsize=65536)
def name_core(title: str | None) -> str:
    """The capitalised name a title opens with, in lower case ("" when it has not two such words).

    >>> name_core("Memorandum of Cooperation (MOC) with the Government of Guatemala")
    'memorandum of cooperation'
    >>> name_core("memorandum with Peru")
    ''
    """
    words = re.findall(r"\(?[^\W\d_][\w'’-]*\)?", title or "")
    core: list[str] = []
    for word in words:
        bare = word.strip("()")
        if bare[:1].isupper():
            core.append(_fold(bare))
        elif core and len(bare) <= 3 and bare.islower():
            core.append(bare)
        else:
            break
    while core and len(core[-1]) <= 3:  # no particle or acronym at the end
        core.pop()
    capitals = [w for w in core if len(w) > 3]
    return " ".join(core) if len(capitals) >= 2 else ""


def _acronym(title: str) -> str:
    words = re.findall(r"[^\W\d_][\w'’-]*", title)
    return "".join(w[0] for w in words if w[0].isupper())


def _acronyms_meet(a: str, b: str) -> bool:
    """One title spells the other's initials as a word ("ACA" and "Asylum Cooperative Agreement")."""
    for short, long in ((a, b), (b, a)):
        letters = _acronym(long)
        if len(letters) >= 3 and re.search(rf"\b{re.escape(letters)}s?\b", short):
            return True
    return False


def name_key(name: str) -> tuple[str, str]:
    """``(surname, first initial)`` of a person's name; the initial is empty for a bare surname.

    >>> name_key("Kevin K. McAleenan"), name_key("McAleenan")
    (('mcaleenan', 'k'), ('mcaleenan', ''))
    """
    words = [w for w in _words(name) if w]
    if not words:
        return ("", "")
    return (words[-1], words[0][0] if len(words) > 1 else "")


def _same_person(a: str, b: str) -> bool:
    (sa, ia), (sb, ib) = name_key(a), name_key(b)
    if sa and sa == sb:
        return not ia or not ib or ia == ib
    # compound surnames: "Rubén Ramírez Lezcano" and "Rubén Ramírez"
    wa, wb = _words(a), _words(b)
    return len(wa) > 1 and len(wb) > 1 and wa[0] == wb[0] and (wa[1] == wb[1])


def block_key(report: Report) -> tuple[str, ...] | None:
    """The parties (or, between organizations only, the organizations) that decide comparability."""
    if report.parties:
        return ("states", *sorted(set(report.parties)))
    if report.organizations:
        return ("organizations", *sorted(set(report.organizations)))
    return None


def _day(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _anchor(report: Report) -> tuple[date | None, bool]:
    """When a signing report says it was signed: its date (exact), else the release date (near).

    A later event's report (in force, renewed ...) has no anchor: its date is the event's.
    """
    if report.event not in _SIGNING:
        return None, False
    signed = _day(report.date)
    if signed is not None:
        return signed, True
    return _day(report.released), False


def time_key(report: Report) -> str:
    """Sort key in time: the signing date, else the release date, else last."""
    return report.date or report.released or "9999-12-31"


# --- the comparison ----------------------------------------------------------------------------


def types_compatible(a: Report, b: Report) -> bool:
    """Same type, or a pair two sides of one instrument use (``resolution.tsv``).

    >>> r = lambda kind, title=None: Report("x", "x", 0, kind, ("A",), title=title)
    >>> types_compatible(r("treaty"), r("agreement")), types_compatible(r("letter-of-intent"), r("agreement"))
    (True, False)
    >>> types_compatible(r("letter-of-intent"), r("agreement", "convenio sobre seguridad"))
    True
    """
    if a.type == b.type:
        return True
    pair = frozenset((a.type, b.type))
    always, conditional = _compatible()
    if pair in always:
        return True
    word = conditional.get(pair)
    return word is not None and any(word in _words(r.title or "") for r in (a, b))


def _dates(a: Report, b: Report) -> str | None:
    """``same`` (signed together), ``ordered`` (a later event after the signing), ``open`` or None.

    ``ordered`` also covers a later event whose release date is unknown: nothing contradicts it.
    """
    (da, exact_a), (db, exact_b) = _anchor(a), _anchor(b)
    if da is not None and db is not None:
        window = number_rule("days", "same-day") if exact_a and exact_b else number_rule("days", "report-lag")
        return "same" if abs((da - db).days) <= window else None
    if da is None and db is None:
        if a.event == b.event and a.event in LATER_EVENTS:
            ra, rb = _day(a.date) or _day(a.released), _day(b.date) or _day(b.released)
            if ra and rb:
                return "same" if abs((ra - rb).days) <= number_rule("days", "same-event") else None
            return "same"
        return "open"
    later = b if da is not None else a
    anchor = da if da is not None else db
    happened = _day(later.date) or _day(later.released)
    if (
        happened is not None
        and anchor is not None
        and (anchor - happened).days > number_rule("days", "same-day")
    ):
        return None  # happened before it was signed
    return "ordered" if later.event in LATER_EVENTS else "open"


def _named_conflict(a: Report, b: Report) -> bool:
    """Two proper names that cannot be one instrument.

    Names that share a content word (or one spells the other's initials) may be one; otherwise two
    names of different types are two instruments, and so are two names of one type when each has
    at least two content words ("Agreement to Open a Preclearance Facility" and "Letter of
    Agreement on Narcotics Control").
    """
    title_a, title_b = a.title, b.title
    if title_a is None or title_b is None or not (is_named(title_a) and is_named(title_b)):
        return False
    stems_a, stems_b = title_stems(title_a), title_stems(title_b)
    if stems_a & stems_b or _acronyms_meet(title_a, title_b):
        return False
    return a.type != b.type or (len(stems_a) >= 2 and len(stems_b) >= 2)


def compatible(a: Report, b: Report) -> bool:
    """Nothing says they differ: other releases, same block, compatible types, dates and names."""
    return (
        a.release != b.release
        and block_key(a) == block_key(b)
        and types_compatible(a, b)
        and not _named_conflict(a, b)
        and _dates(a, b) is not None
    )


def _links(a: Report, b: Report, dates: str) -> list[tuple[str, str]]:
    found = []
    people = sorted({x for x in a.signatories for y in b.signatories if _same_person(x, y)})
    if people:
        found.append(("same-signatories", f"both name the signatory {', '.join(people)}"))
    stems_a, stems_b = title_stems(a.title), title_stems(b.title)
    shared = stems_a & stems_b
    core = name_core(a.title)
    if a.title and b.title and (_acronyms_meet(a.title, b.title) or (core and core == name_core(b.title)) or (
        shared and len(shared) * 2 >= min(len(stems_a), len(stems_b))
    )):  # fmt: skip
        rule = "same-name" if is_named(a.title) or is_named(b.title) else "same-subject"
        found.append((rule, f"{a.title!r} and {b.title!r}"))
    if (
        a.place
        and b.place
        and a.place_country == b.place_country
        and (set(_words(a.place)) & set(_words(b.place)))
    ):
        found.append(("same-place", f"both signed at {a.place!r} / {b.place!r}"))
    if dates == "ordered" and (a.type == b.type or found):
        # under another type name, the timing alone does not make it the same instrument
        later = a if a.event in LATER_EVENTS else b
        found.append(("later-event", f"{later.release} reports it {later.event} after the signing"))
    if dates == "same" and a.event == b.event and a.event in LATER_EVENTS:
        found.append(("same-event", f"both report it {a.event}"))
    if a.event in _SIGNING and b.event in _SIGNING:
        if a.date and a.date == b.date:
            found.append(("same-date", f"both signed on {a.date}"))
        elif dates == "same" and a.type == b.type:
            when = a.date or b.date or a.released or b.released
            found.append(("same-time", f"both report a {a.type} signed about {when}"))
    return found


def compare(a: Report, b: Report) -> Comparison | None:
    """Decide whether reports ``a`` and ``b`` (of two releases) are one instrument.

    Returns ``None`` when they differ or nothing links them, else a :class:`Comparison` whose
    ``decision`` is ``merged`` or ``possibly-same`` (the data link them but cannot decide).
    ``needs_unique`` marks a merge that holds only if neither report has another such partner.
    """
    if not compatible(a, b):
        return None
    dates = _dates(a, b)
    links = _links(a, b, dates or "open")
    if not links:
        return None
    rules = tuple(rule for rule, _ in links)
    reason = "; ".join(text for _, text in links)
    score = sum(2 if rule in STRONG else 1 for rule in rules)
    strong = [r for r in rules if r in STRONG]
    if dates == "same":
        if strong:
            return Comparison("merged", rules, reason, score, needs_unique=set(strong) <= {"same-place"})
        return Comparison("merged", rules, reason, score, needs_unique=True)
    if dates == "ordered":
        firm = {"same-signatories", "same-name"} & set(strong)
        return Comparison("merged", rules, reason, score, needs_unique=not firm)
    if {"same-signatories"} & set(strong) or (
        "same-name" in strong and is_named(a.title) and is_named(b.title)
    ):
        return Comparison("merged", rules, reason, score)
    return Comparison("possibly-same", rules, reason, score)
