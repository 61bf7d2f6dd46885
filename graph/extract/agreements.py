"""Agreements reported in a release: instrument, type, status, count, parties, signatories.

An instrument named in a sentence (a label of the agreement-type scheme) is an agreement of the
release when a trigger verb governs it ("signed", "issued", "entered into force") and no cue says
it is planned, negotiated or only background ("will sign", "builds on", "last month"). A
headline that names a joint statement or declaration reports one (the release is that text).
Later mentions of the same instrument ("the agreement", "the MOC") are merged into the first;
"two arrangements" gives two; plural instruments signed with several states are bilateral.

Examples
--------
>>> from graph.extract import extract
>>> from graph.model import Release
>>> rec = extract(Release(id="x", date="2020-01-02",
...     text="Today, Canada and Mexico signed a Memorandum of Understanding on customs."))
>>> [(a.type, a.parties, a.date) for a in rec.agreements]
[('memorandum-of-understanding', ('CAN', 'MEX'), '2020-01-02')]
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, field

from graph.extract import gazetteer
from graph.extract.dates import MONTHS, signing_date
from graph.extract.text import Sentence

__all__ = ["Candidate", "Context", "find_agreements"]

_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "both": 2, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5,
}  # fmt: skip
_GENERIC = re.compile(
    r"^(?:agreements?|arrangements?|acuerdos?|convenios?|deals?|pacts?|accords?|documents?|instruments?|declarations?|"
    r"statements?)$",
    re.IGNORECASE,
)
_MONTHS = "|".join(m.capitalize() for m in MONTHS)
_HEADLINE_TYPES = {"joint-statement", "declaration"}
_MULTILATERAL_TYPES = {"joint-statement", "declaration", "action-plan", "treaty", "protocol"}
_WITNESS = re.compile(
    r"\b(?:witnessed by|in the presence of|accompanied by|attended by|en presencia de)\b", re.I
)


@dataclass
class Context:
    """What the agreement finder needs from the rest of the extraction."""

    text: str
    title_end: int
    sentences: list[Sentence]
    release_date: str | None
    language: str
    country_spans: list[tuple[int, int, str]]
    agency_spans: list[tuple[int, int, str | None, bool]]
    person_spans: list[tuple[int, int, int]]
    person_names: list[str]
    person_countries: list[str | None]
    hub: str | None = None


@dataclass
class Candidate:
    """An instrument being assembled: the sentences that report or name it, and what they say."""

    type: str
    title: str | None
    parties: tuple[str, ...]
    signatories: tuple[str, ...]
    date: str | None
    trigger: str | None
    sentence_index: int
    generic: bool
    headline: bool = False
    sentences: set[int] = field(default_factory=set)
    from_title: bool = False


def _cues(kind: str, language: str) -> tuple[re.Pattern[str], ...]:
    cues = gazetteer.load().cues
    return cues.get(f"{kind}:{language}", ()) + (cues.get(f"{kind}:en", ()) if language != "en" else ())


def _interrupted(between: str, language: str) -> bool:
    return any(p.search(between) for p in _cues("interrupt", language))


def _nearest_trigger(sentence: str, start: int, end: int, language: str) -> re.Match[str] | None:
    """The trigger verb that governs the label at ``start:end`` (before it, or just after it)."""
    best = None
    for pattern in _cues("firm", language):
        for m in pattern.finditer(sentence):
            before = (
                m.end() <= start
                and start - m.end() <= 140
                and not _interrupted(sentence[m.end() : start], language)
            )
            after = (
                m.start() >= end
                and m.start() - end <= 130
                and ";" not in sentence[end : m.start()]  # a relative clause may come between
            )
            if before or after:
                distance = start - m.end() if m.end() <= start else m.start() - end
                if best is None or distance < best[0]:
                    best = (distance, m)
    return best[1] if best else None


def _blocked(sentence: str, start: int, end: int, language: str) -> bool:
    """A cue near the label makes it planned, negotiated, denied or background ("will sign" only
    counts as planned when the sentence does not say it happens today)."""
    lo, hi = max(0, start - 110), min(len(sentence), end + 70)
    window = sentence[lo:hi]
    today = re.search(r"\b(?:today|hoy)\b", sentence, re.I)
    for pattern in _cues("block", language):
        for m in pattern.finditer(window):
            if today and re.match(r"(?:will|would|shall)\b", m.group(0), re.I):
                continue
            return True
    return False


def _count(sentence: str, start: int, end: int, language: str) -> int | None:
    """How many instruments the label stands for: "two arrangements", "two ... and one with ..."."""
    for pattern in _cues("count", language):
        for m in pattern.finditer(sentence):
            if m.start() <= start < m.end() + 2 or (m.end() >= end - 1 and m.start() <= start):
                n = m.group("n").lower()
                total = int(n) if n.isdigit() else _NUMBERS.get(n, 1)
                more = re.match(
                    r"\s+with\s+[^,.;]*?\s+and\s+(one|two|three)\s+(?:more\s+)?with\b", sentence[end:]
                )
                return total + (_NUMBERS[more.group(1)] if more else 0)
    return None


def _title_of(sentence: str, start: int, end: int) -> str:
    """The instrument's name: capitalised words around the label, plus a capitalised complement."""
    left = sentence[:start]
    mod = re.search(r"((?:[A-Z][\w’'.-]*\s+){1,5})$", left)
    s = start - len(mod.group(1)) if mod else start
    while re.match(r"(?:The|A|An|This|These|Today|Under|Its|New)\s", sentence[s:]):
        s = sentence.index(" ", s) + 1
    right = re.match(
        r"(?:\s+\([A-Z]{2,6}\))?(?:\s+(?:of|for|on|to|regarding|de|en materia de|sobre)"
        r"(?:\s+(?:the|a|la|el|and|y|of|de|on|for|[A-Z][\w’'.-]*|[A-Z]{2,}))+)?",
        sentence[end:],
    )
    e = end + (len(right.group(0)) if right else 0)
    calendar = re.search(r"\s+(?:on|in|at|during)\s+(?:[A-Z][a-z]+day|" + _MONTHS + r")\b", sentence[end:e])
    if calendar:
        e = end + calendar.start()
    title = sentence[s:e].strip(" ,;")
    # In a title-case headline, the words before the label may include the verb ("... Sign MOU").
    verbs = [m.end() for p in _cues("firm", "en") for m in p.finditer(title[: start - s])]
    if verbs:
        title = title[max(verbs) :].strip(" ,;")
    return re.sub(r"\s+(?:the|a|and|of|on|for|de|la|y)$", "", title)


def _parties(
    ctx: Context, sentence: Sentence, release_counts: Counter[str], previous: set[str] | None = None
) -> set[str]:
    """The states bound: those the sentence names (directly, or through bodies and signatories).

    When the sentence names fewer than two, the instrument is taken to be between the states of
    the previous instrument ("The joint statement takes effect ..."), else with the state the
    release names most.
    """
    parties = {code for _, _, code in _within(ctx.country_spans, sentence.start, sentence.end)}
    agencies = _within(ctx.agency_spans, sentence.start, sentence.end)
    parties |= {c for _, _, c, _ in agencies if c}
    if any(eu for _, _, _, eu in agencies):
        parties.add("EU")
    for _, _, idx in _within(ctx.person_spans, sentence.start, sentence.end):
        if ctx.person_countries[idx]:
            parties.add(ctx.person_countries[idx])
    if len(parties) <= 1 and previous and parties <= previous:
        return set(previous)
    if len(parties) == 1:
        others = [code for code, _ in release_counts.most_common() if code not in parties]
        if others:
            parties.add(others[0])
    if not parties:
        parties = set(release_counts)
    return parties


def _signatories(ctx: Context, sentence: Sentence) -> tuple[str, ...]:
    witness = _WITNESS.search(sentence.text)
    cut = sentence.start + witness.start() if witness else sentence.end
    names = []
    for _, _, idx in _within(ctx.person_spans, sentence.start, cut):
        if ctx.person_names[idx] not in names:
            names.append(ctx.person_names[idx])
    return tuple(names)


def _within(spans: list[tuple], lo: int, hi: int) -> list[tuple]:
    """The spans (sorted by start) that start in ``[lo, hi)``."""
    return spans[bisect_left(spans, (lo,)) : bisect_left(spans, (hi,))]


def _mentions(ctx: Context, sentence: Sentence):
    gaz = gazetteer.load()
    for match in gaz.agreement_types.find(sentence.text):
        if any(p.match(sentence.text[match.end :]) for p in _cues("not", ctx.language)):
            continue
        yield match.start, match.end, match.text, match.keys[0], False
    for pattern in _cues("weak", ctx.language):
        for m in pattern.finditer(sentence.text):
            yield m.start("label"), m.end("label"), m.group("label"), "action-plan", True


def find_agreements(ctx: Context) -> list[Candidate]:
    """Return the agreements the release reports, in order of first mention."""
    release_counts = Counter(code for _, _, code in ctx.country_spans)
    release_counts.update(c for _, _, c, _ in ctx.agency_spans if c)
    found: list[Candidate] = []
    previous: set[str] | None = None
    for index, sentence in enumerate(ctx.sentences):
        by_type: dict[str, tuple[set[str], list[Candidate]]] = {}
        for stated, group in _sentence_candidates(ctx, index, sentence, release_counts, previous):
            if stated is None:  # a later mention of an instrument already reported
                _attach(found, group[0])
                continue
            best = by_type.get(group[0].type)
            # Of several mentions of one type in a sentence, keep the counted or named one.
            if (
                best is None
                or len(group) > len(best[1])
                or (len(group) == len(best[1]) and best[1][0].generic)
            ):
                by_type[group[0].type] = (stated, group)
        for stated, group in by_type.values():
            _merge(found, group)
            previous = stated
    kept = _drop_generic(_merge_headline(found, ctx))
    # One state alone binds itself to nothing: such a mention is a reference, not an instrument.
    return [c for c in kept if len(c.parties) >= 2 or c.parties == ("EU",)]


def _merge_headline(found: list[Candidate], ctx: Context) -> list[Candidate]:
    """A headline's instrument is the body's instrument of that type whose states contain it."""
    kept: list[Candidate] = []
    for c in found:
        in_title = ctx.sentences[c.sentence_index].start < ctx.title_end
        body = [
            o
            for o in found
            if o is not c
            and ctx.sentences[o.sentence_index].start >= ctx.title_end
            and (o.type == c.type or c.type == "agreement")
            and (set(c.parties) <= set(o.parties) or set(o.parties) <= set(c.parties))
        ]
        title_only = all(ctx.sentences[i].start < ctx.title_end for i in c.sentences)
        if in_title and title_only and body and len(body) == 1:
            target = body[0]
            if len(c.parties) > len(target.parties):
                target.parties = c.parties
            target.sentences |= c.sentences
            continue
        kept.append(c)
    return kept


def _sentence_candidates(
    ctx: Context, index: int, sentence: Sentence, release_counts: Counter[str], previous: set[str] | None
):
    """Yield ``(stated parties, instruments)`` for each instrument label the sentence reports."""
    in_title = sentence.start < ctx.title_end
    for start, end, surface, kind, weak in _mentions(ctx, sentence):
        trigger = _nearest_trigger(sentence.text, start, end, ctx.language)
        headline = in_title and kind in _HEADLINE_TYPES and trigger is None
        if _blocked(sentence.text, start, end, ctx.language):
            continue
        if not (trigger or headline):
            yield None, [_reference(kind, index, bool(_GENERIC.match(surface.strip())))]
            continue
        title = _title_of(sentence.text, start, end)
        # "an agreement" is generic; "the Bilateral Security Agreement" names an instrument.
        generic = bool(_GENERIC.match(title.strip()))
        if headline:
            parties = {code for _, _, code in _within(ctx.country_spans, 0, ctx.title_end)}
            if any(eu for _, _, _, eu in _within(ctx.agency_spans, 0, ctx.title_end)):
                parties.add("EU")
            if len(parties) < 2:
                parties = set(release_counts)
        else:
            parties = _parties(ctx, sentence, release_counts, previous)
        n = _count(sentence.text, start, end, ctx.language)
        plural = surface.lower().endswith("s") and not surface.lower().endswith(("ss", "us"))
        candidate = Candidate(
            type=kind,
            title=None if generic else title,
            parties=tuple(sorted(parties)),
            signatories=_signatories(ctx, sentence),
            date=signing_date(sentence.text, ctx.release_date),
            trigger=trigger.group(0) if trigger else None,
            sentence_index=index,
            generic=generic or weak,
            headline=headline,
            sentences={index},
            from_title=in_title,
        )
        yield parties, _split(candidate, n, plural, ctx.hub)


def _reference(kind: str, index: int, generic: bool) -> Candidate:
    return Candidate(kind, None, (), (), None, None, index, generic, sentences={index})


def _attach(found: list[Candidate], ref: Candidate) -> None:
    """Attach a sentence that names an instrument already found ("The Letter of Intent reflects ...")."""
    for c in reversed(found):
        if c.type == ref.type or ref.generic:
            c.sentences.add(ref.sentence_index)
            return


def _split(candidate: Candidate, n: int | None, plural: bool, hub: str | None) -> list[Candidate]:
    """Expand a counted or plural mention into instruments.

    Instruments of a bilateral kind (agreements, arrangements, memoranda) that the hub state
    concludes with several partners at once are one per partner; statements, declarations,
    plans and treaties may bind many states in one text.
    """
    partners = [p for p in candidate.parties if p != hub]
    bilateral_kind = candidate.type not in _MULTILATERAL_TYPES
    several = hub in candidate.parties and len(partners) >= 2
    if several and (not n or n == len(partners)) and (plural or n or bilateral_kind):
        return [_with(candidate, tuple(sorted({hub, p}))) for p in partners]
    return [_with(candidate, candidate.parties) for _ in range(n or 1)]


def _with(candidate: Candidate, parties: tuple[str, ...]) -> Candidate:
    return Candidate(**{**candidate.__dict__, "parties": parties, "sentences": set(candidate.sentences)})


def _merge(found: list[Candidate], group: list[Candidate]) -> None:
    """Merge one sentence's instruments of one type into those found so far (coreference)."""
    first = group[0]
    if first.generic and first.type == "agreement" and len(group) == 1:
        related = [c for c in found if set(first.parties) <= set(c.parties) and not c.headline]
        if related:
            related[0].sentences.add(first.sentence_index)
            return
    by_parties: dict[tuple[str, ...], list[Candidate]] = {}
    for item in group:
        by_parties.setdefault(item.parties, []).append(item)
    for parties, items in by_parties.items():
        same = [
            c for c in found if c.type == first.type and c.parties == parties and c.headline == first.headline
        ]
        for target, item in zip(same, items, strict=False):
            target.sentences.add(item.sentence_index)
            if (target.generic or target.from_title) and not item.generic and not item.from_title:
                # A body sentence names the instrument better than a title-case headline.
                target.title, target.generic, target.from_title = item.title, False, False
            target.signatories = target.signatories or item.signatories
            target.date = target.date or item.date
        found.extend(items[len(same) :])


def _drop_generic(found: list[Candidate]) -> list[Candidate]:
    """A bare "agreement" reported alongside a named instrument of the same states is that instrument."""
    return [
        c
        for c in found
        if not (
            c.generic
            and c.type == "agreement"
            and any(
                o is not c
                and not o.generic
                and not o.headline
                and set(c.parties) <= set(o.parties)
                and o.type != c.type
                for o in found
            )
        )
    ]
