"""Agreements reported in a release: instrument, type, event, count, parties, signatories.

An instrument named in a sentence (a label of the agreement-type scheme, ``instrument`` spans) is
an agreement of the release when a trigger governs it in its clause ("signed", "entered into
force", "firmaron"; :mod:`graph.extract.clauses`) and no cue in that clause makes it planned,
negotiated, denied or an earlier one. A headline that names a joint statement or declaration
reports one (the release is that text). The items of a list that a signing sentence introduces
are its instruments. Later mentions of an instrument ("the agreement", "the MOC") join the first;
"two arrangements" gives two; plural instruments signed with several states are bilateral.

The parties are the states the clause binds: those it names, and the states of the bodies and
people in it. An instrument between international organizations only binds no state
(``parties: []``) unless one of them is a body of the European Union (``EU``); one between two
bodies of one state binds that state.

Examples
--------
>>> from graph.extract import extract
>>> from graph.model import Release
>>> rec = extract(Release(id="x", date="2020-01-02",
...     text="Today, Canada and Mexico signed a Memorandum of Understanding on customs."))
>>> [(a.type, a.parties, a.date, a.event) for a in rec.agreements]
[('memorandum-of-understanding', ('CAN', 'MEX'), '2020-01-02', 'signed')]
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from functools import lru_cache

from graph.extract import lexicon
from graph.extract.casefold import finditer, lowered_at, search
from graph.extract.clauses import (
    Trigger,
    blocked,
    clause_of,
    cues,
    governing_trigger,
    is_background,
    later_event,
    triggers,
)
from graph.extract.dates import signing_date
from graph.extract.doc import Doc, Sentence
from graph.extract.entities import AgencyEntity, PersonEntity
from graph.extract.instruments import (
    count_of,
    generic_noun,
    head_mentions,
    introduces_list,
    labels,
    list_intro,
    plural,
    title_of,
)

__all__ = ["MAX_AGREEMENTS", "Candidate", "find_agreements"]

log = logging.getLogger(__name__)

#: Most agreements read from one release (a real one reports a handful; past this, text is not
#: a press release, and comparing every instrument with every other would make extraction slow).
MAX_AGREEMENTS = 200

_HEADLINE_TYPES = {"joint-statement", "declaration"}
_MULTILATERAL_TYPES = {"joint-statement", "declaration", "action-plan", "treaty", "protocol"}


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
    event: str = "signed"
    headline: bool = False
    sentences: set[int] = field(default_factory=set)
    from_title: bool = False
    start: int = 0
    organizations: tuple[str, ...] = ()
    indefinite: bool = False
    plural: bool = False
    intrastate: bool = False
    background: bool = False


@dataclass
class _Context:
    doc: Doc
    people: list[PersonEntity]
    agencies: list[AgencyEntity]
    person_of: dict[int, int]
    agency_of: dict[int, int]
    counts: Counter[str]
    hub: str | None


# ---------------------------------------------------------------------- parties and signatories


@lru_cache(maxsize=1)
def _location() -> re.Pattern[str]:
    """A preposition of place just before a name ("in the", "en")."""
    return re.compile(rf"\b(?:{lexicon.word_pattern('location')})\s+(?:the\s+)?$", re.IGNORECASE)


def _organizations(ctx: _Context, lo: int, hi: int) -> tuple[str, ...]:
    names = []
    for span in ctx.doc.within("body", lo, hi):
        index = ctx.agency_of.get(id(span))
        if index is not None and ctx.agencies[index].international and ctx.agencies[index].name not in names:
            names.append(ctx.agencies[index].name)
    return tuple(sorted(names))


_PUNCTUATION = re.compile(r"[,;.]")
_WORDS = re.compile(r"[\w’'-]+")
_WITH = re.compile(r"\b(?:with|con)\s+(?:the\s+)?$")
_BETWEEN = re.compile(r"\b(?:between|entre)\b")
_ARTICLE = re.compile(r"^(?:the|el|la|los|las)\s+")


def _witnesses(doc: Doc, lo: int, hi: int) -> list[tuple[int, int]]:
    """The stretches of ``[lo, hi)`` that name witnesses or hosts ("in the presence of President
    X", "hosted by Algeria's ..."), up to the next comma: no party is named there."""
    text = doc.text[lo:hi]
    low = lowered_at(doc, lo, hi)
    out = []
    for pattern in cues("aside", doc.language):
        for m in finditer(pattern, text, low):
            end = _PUNCTUATION.search(text, m.end())
            out.append((lo + m.start(), lo + (end.start() if end else len(text))))
    return out


def _parties(
    ctx: _Context, sentence: Sentence, lo: int, hi: int, previous: set[str] | None
) -> tuple[set[str], bool]:
    """The states bound, read in ``[lo, hi)`` (the clause of the instrument and its trigger).

    A state named as a place ("in Austria") binds nothing. Returns the parties and whether the
    text stated them (else they are the release's default).
    """
    doc = ctx.doc
    parties: set[str] = set()
    organizations = 0
    national_bodies: list[AgencyEntity] = []
    aside = _witnesses(doc, lo, hi)
    for span in doc.within("country", lo, hi):
        if span.data.get("dateline") or _location().search(doc.text[max(lo, span.start - 12) : span.start]):
            continue  # where the release was issued, or a place ("in Austria"): no party
        if any(a <= span.start < b for a, b in aside):
            continue
        parties.add(span.keys[0])
    for span in doc.within("body", lo, hi):
        if any(a <= span.start < b for a, b in aside):
            continue  # "hosted by Algeria's Directorate General of National Security"
        index = ctx.agency_of.get(id(span))
        agency = ctx.agencies[index] if index is not None else None
        if agency is None:
            continue
        if agency.eu:
            parties.add("EU")
        elif agency.international:
            organizations += 1
        elif agency.country:
            parties.add(agency.country)
            national_bodies.append(agency)
    for span in doc.within("person", lo, hi):
        if any(a <= span.start < b for a, b in aside):
            continue
        index = ctx.person_of.get(id(span))
        country = ctx.people[index].country if index is not None else None
        if country:
            parties.add(country)
    if parties:
        if len(parties) == 1 and organizations == 0 and _between_own_bodies(doc, lo, hi, national_bodies):
            return parties | {
                "=intrastate"
            }, True  # "between the Ministry of Interior and the National Guard"
        if len(parties) == 1 and organizations == 0:
            if previous and parties <= previous and len(previous) > 1:
                return set(previous), True
            others = [c for c, _ in ctx.counts.most_common() if c not in parties]
            if others:
                parties.add(others[0])
            # else: the release names no other state, so two bodies of one state made it
        return parties, True
    if organizations:
        return set(), True
    if previous:
        return set(previous), False
    return set(), False


def _between_own_bodies(doc: Doc, lo: int, hi: int, bodies: list[AgencyEntity]) -> bool:
    """The clause says the instrument is between two bodies of one state."""
    m = _BETWEEN.search(doc.text[lo:hi])
    return m is not None and len({b.name for b in bodies}) >= 2 and bool(doc.within("body", lo + m.end(), hi))


def _release_states(ctx: _Context) -> set[str]:
    """The states a release is about: those it names twice or more (or its two most named), not a
    state it names once in passing."""
    named = [c for c, n in ctx.counts.most_common() if n >= 2]
    if len(named) < 2:
        named = [c for c, _ in ctx.counts.most_common(2)]
    return set(named)


def _signatories(ctx: _Context, sentence: Sentence, lo: int, hi: int) -> tuple[str, ...]:
    """The people of ``lo:hi`` who signed: not those after a cue of witnesses ("in the presence
    of"), nor the subject of a verb of witnessing ("X and Y witnessed the signing") unless a
    signing verb stands between them and it."""
    text = ctx.doc.text[lo:hi]
    low = lowered_at(ctx.doc, lo, hi)
    start = lo
    for pattern in cues("witness-subject", ctx.doc.language):
        m = search(pattern, text, low)
        if m and not any(
            t.event == "signed" and lo <= t.start < lo + m.start() for t in triggers(ctx.doc, sentence)
        ):
            start = lo + m.end()  # they witnessed: who signed, if anyone, is named after the verb
            break
    cut = hi
    for pattern in cues("witness", ctx.doc.language):
        m = search(pattern, text, low, start - lo)
        if m:
            cut = min(cut, lo + m.start())
    names: list[str] = []
    for span in ctx.doc.within("person", start, cut):
        index = ctx.person_of.get(id(span))
        if index is not None and ctx.people[index].name not in names:
            names.append(ctx.people[index].name)
    return tuple(names)


# ---------------------------------------------------------------------- candidates


def _sentence_candidates(
    ctx: _Context, index: int, sentence: Sentence, previous: tuple[set[str], tuple[str, ...]] | None
):
    """Yield ``(stated parties, instruments)`` for each instrument the sentence reports."""
    doc = ctx.doc
    in_title = sentence.start < doc.headline_end
    if introduces_list(doc, index):
        return  # "signed three instruments:" — the items below are the instruments
    named = list(labels(doc, sentence))
    if not named:
        return
    intro = list_intro(doc, index)
    for start, end, surface, kind, weak in named:
        if (
            plural(surface)
            and doc.text[end : end + 2].lstrip().startswith(":")
            and any(a > end for a, *_ in named)
        ):
            continue  # "signed two agreements: an agreement on ... and a memorandum on ...": the items
        if is_background(doc, start):
            ref = _reference(kind, index, bool(generic_noun().match(surface.strip())), start)
            ref.background = True
            yield None, [ref]
            continue
        trigger = governing_trigger(doc, sentence, start, end)
        heads_item = intro is not None and len(_WORDS.findall(doc.text[sentence.start : start])) <= 3
        if heads_item and (trigger is None or trigger.start >= end):
            # an item of a list that a signing sentence introduces; a trigger word after the
            # label describes the item ("A memorandum on the exchange of expertise")
            trigger = intro
        headline = in_title and kind in _HEADLINE_TYPES and trigger is None
        if trigger is not intro and blocked(doc, sentence, start, end, trigger):
            continue
        if not (trigger or headline):
            yield None, [_reference(kind, index, bool(generic_noun().match(surface.strip())), start)]
            continue
        title = title_of(doc, sentence, start, end)
        generic = _generic(doc, title, surface)
        lo, hi = clause_of(doc, sentence, start)
        if trigger is not None and trigger is not intro:
            t_lo, t_hi = clause_of(doc, sentence, trigger.start)
            lo, hi = min(lo, t_lo), max(hi, t_hi)
        if headline or in_title:
            lo, hi = 0, doc.title_end
        parties, stated = _parties(ctx, sentence, lo, hi, previous[0] if previous else None)
        if intro is not None and trigger is intro and not stated:
            head = doc.sentence_at(intro.start)  # the states of the sentence that opens the list
            parties, stated = _parties(ctx, head, head.start, head.end, None)
        organizations = _organizations(ctx, lo, hi)
        intrastate = "=intrastate" in parties
        parties.discard("=intrastate")
        if headline:  # the release is the statement: its parties are the states it names
            parties |= set(ctx.counts)
        if not parties and not organizations:
            if previous and not stated:
                parties, organizations = set(previous[0]), previous[1]
            elif kind in _MULTILATERAL_TYPES:  # a statement of every state the release names
                parties = set(ctx.counts)
            else:  # the release's states: an instrument whose clause names no party is theirs
                parties = _release_states(ctx)
        # a list item: who signed and when, from the sentence that opens the list
        opening = doc.sentence_at(intro.start) if intro is not None and trigger is intro else sentence
        n = count_of(doc, sentence, start, end)
        several = plural(surface)
        later = later_event(doc, sentence, end, trigger) if trigger is not intro else None
        candidate = Candidate(
            type=kind,
            title=None if generic else title,
            parties=tuple(sorted(parties)),
            signatories=_signatories(ctx, opening, opening.start, opening.end),
            date=None
            if later is not None  # the date the sentence gives is the later act's
            else signing_date(doc.text[lo:hi] if not in_title else sentence.text, doc.date)
            or (signing_date(opening.text, doc.date) if opening is not sentence else None),
            trigger=trigger.text if trigger else None,
            sentence_index=index,
            generic=generic or weak,
            event=_event(later or trigger),
            headline=headline,
            sentences={index},
            from_title=in_title,
            start=start,
            organizations=organizations,
            indefinite=not in_title and _indefinite(doc, sentence, start),
            plural=several,
            intrastate=intrastate,
        )
        clause, low = doc.text[lo:hi], lowered_at(doc, lo, hi)
        distributive = any(search(p, clause, low) for p in cues("distributive", doc.language))
        hub = _with_state(doc, start, hi) or ctx.hub
        yield parties, _split(candidate, n, several or distributive, hub)


def _generic(doc: Doc, title: str, surface: str) -> bool:
    """An instrument named by a common noun ("an agreement", "security agreements", "un
    convenio de cooperación") rather than by a proper name ("the Asylum Cooperative Agreement",
    "Memorandum of Understanding")."""
    if generic_noun().match(title.strip()):
        return True
    head = title.split(surface, 1)[0] + surface if surface in title else title
    return not any(w[:1].isupper() for w in _WORDS.findall(head) if w.lower() not in {"the", "a"})


@lru_cache(maxsize=1)
def _indefinite_words() -> re.Pattern[str]:
    """An indefinite determiner a few words before an instrument ("a", "another", "otro")."""
    words = lexicon.word_pattern("indefinite")
    return re.compile(rf"\b(?:{words})\s+(?:[\w’'-]+\s+){{0,3}}$", re.IGNORECASE)


_DEFINITE = re.compile(r"\b(?:the|this|that|el|la|este|esta)\s+(?:[\w’'-]+\s+){0,3}$", re.I)


def _indefinite(doc: Doc, sentence: Sentence, start: int) -> bool:
    """The instrument is introduced as a new one ("also signed an agreement", "firmaron otro
    convenio"), not named again ("the agreement")."""
    before = doc.text[max(sentence.start, start - 40) : start]
    return bool(_indefinite_words().search(before)) and not _DEFINITE.search(before)


def _with_state(doc: Doc, start: int, hi: int) -> str | None:
    """The state an instrument is made with ("... signed the agreement with Qatar"): the hub of
    the partners that each signed it."""
    for span in doc.within("country", start, hi):
        if _WITH.search(doc.text[max(start, span.start - 10) : span.start]):
            return span.keys[0]
    return None


def _event(trigger: Trigger | None) -> str:
    return trigger.event if trigger is not None else "signed"


def _reference(kind: str, index: int, generic: bool, start: int) -> Candidate:
    return Candidate(kind, None, (), (), None, None, index, generic, sentences={index}, start=start)


def _attach(found: list[Candidate], ref: Candidate) -> None:
    """Attach a sentence that names an instrument already found ("The Letter of Intent reflects ...")."""
    for c in reversed(found):
        if c.type == ref.type or ref.generic:
            c.sentences.add(ref.sentence_index)
            return


def _split(candidate: Candidate, n: int | None, plural: bool, hub: str | None) -> list[Candidate]:
    """Expand a counted or plural mention into instruments: instruments of a bilateral kind that
    the hub state concludes with several partners at once are one per partner."""
    partners = [p for p in candidate.parties if p != hub]
    bilateral_kind = candidate.type not in _MULTILATERAL_TYPES
    several = hub in candidate.parties and len(partners) >= 2
    if hub is not None and several and (not n or n == len(partners)) and (plural or n) and bilateral_kind:
        return [_with(candidate, tuple(sorted({hub, p}))) for p in partners]
    return [_with(candidate, candidate.parties) for _ in range(n or 1)]


def _with(candidate: Candidate, parties: tuple[str, ...]) -> Candidate:
    return replace(candidate, parties=parties, sentences=set(candidate.sentences))


def _name(title: str | None) -> str:
    return _ARTICLE.sub("", (title or "").lower()).strip()


def _other_names(a: Candidate, b: Candidate) -> bool:
    """Two instruments named in one sentence by names neither of which contains the other
    ("an Extradition Treaty and a Treaty on Mutual Legal Assistance") are two instruments."""
    if a.generic or b.generic or not a.title or not b.title:
        return False
    x, y = _name(a.title), _name(b.title)
    return x not in y and y not in x


def _merge(found: list[Candidate], group: list[Candidate]) -> None:
    """Merge one sentence's instruments of one type into those found so far (coreference)."""
    first = group[0]
    if first.generic and first.type == "agreement" and len(group) == 1 and not first.indefinite:
        related = [
            c
            for c in found
            if not c.headline
            and (
                set(first.parties) <= set(c.parties)
                if first.parties
                else set(first.organizations) <= set(c.organizations)
            )
            and bool(first.parties) == bool(c.parties)
        ]
        if related:
            related[0].sentences.add(first.sentence_index)
            return
    if first.generic and not first.indefinite and not first.plural and len(group) == 1:
        same_type = [c for c in found if c.type == first.type and not c.headline]
        if len(same_type) == 1 and same_type[0].parties != first.parties:
            # "the MoU" after one MoU: that one, whatever states the sentence names
            same_type[0].sentences.add(first.sentence_index)
            same_type[0].signatories = same_type[0].signatories or first.signatories
            return
    by_parties: dict[tuple[str, ...], list[Candidate]] = {}
    for item in group:
        by_parties.setdefault(item.parties, []).append(item)
    for parties, items in by_parties.items():
        same = [
            c
            for c in found
            if c.type == first.type
            and c.parties == parties
            and c.headline == first.headline
            and (parties or set(c.organizations) == set(first.organizations))
            and not (first.sentence_index in c.sentences and _other_names(c, first))
        ]
        if (
            first.indefinite
            and first.generic
            and same
            and all(
                c.generic and not c.plural and not c.from_title and first.sentence_index not in c.sentences
                for c in same
            )
        ):
            same = []  # "They also signed a convenio on ...": another instrument, not the one before
        for target, item in zip(same, items, strict=False):
            target.sentences.add(item.sentence_index)
            if (target.generic or target.from_title) and not item.generic and not item.from_title:
                target.title, target.generic, target.from_title = item.title, False, False
            elif target.from_title and not item.from_title:
                target.indefinite, target.from_title = item.indefinite, False  # the body's words
            target.signatories = target.signatories or item.signatories
            target.date = target.date or item.date
        found.extend(items[len(same) :])


def _merge_headline(found: list[Candidate], doc: Doc) -> list[Candidate]:
    """A headline's instrument is the body's instrument of that type whose states contain it."""
    kept: list[Candidate] = []
    for c in found:
        in_title = doc.sentences[c.sentence_index].start < doc.headline_end
        body = [
            o
            for o in found
            if o is not c
            and doc.sentences[o.sentence_index].start >= doc.headline_end
            and (o.type == c.type or c.type == "agreement" or o.generic or c.generic)
            and (set(c.parties) <= set(o.parties) or set(o.parties) <= set(c.parties))
        ]
        title_only = all(doc.sentences[i].start < doc.headline_end for i in c.sentences)
        if in_title and title_only and c.generic and body:
            continue  # "... Sign Agreements": the body's instruments are those it stands for
        same_type = [o for o in body if o.type == c.type and set(o.parties) <= set(c.parties)]
        if (
            in_title
            and title_only
            and len(same_type) >= 2
            and set().union(*(o.parties for o in same_type)) == set(c.parties)
        ):
            continue  # the headline's one name for the instruments the body reports one by one
        if in_title and title_only and c.headline and any(o.type != c.type for o in body):
            continue  # R3: a headline statement over a body that reports another instrument
        if in_title and title_only and body and len(body) == 1:
            target = body[0]
            if target.parties and set(target.parties) < set(c.parties):
                target.parties = c.parties
            if target.generic and not c.generic and target.type == "agreement":
                target.type = c.type
            target.sentences |= c.sentences
            continue
        kept.append(c)
    return kept


def _within_parties(c: Candidate, o: Candidate) -> bool:
    """The states (or, for organizations' instruments, the organizations) of ``c`` are among
    those of ``o``."""
    if c.parties or o.parties:
        return bool(c.parties) and set(c.parties) <= set(o.parties)
    return set(c.organizations) <= set(o.organizations)


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
                and not o.headline
                and _within_parties(c, o)
                and o.type != c.type
                and (not o.generic or not (c.sentences & o.sentences))
                and not (c.indefinite and o.indefinite)  # two instruments, each introduced as new
                for o in found
            )
        )
    ]


def find_agreements(doc: Doc, people: list[PersonEntity], agencies: list[AgencyEntity]) -> list[Candidate]:
    """Return the agreements the release reports, in order of first mention."""
    person_of = {id(m): i for i, p in enumerate(people) for m in p.mentions}
    agency_of = {id(m): i for i, a in enumerate(agencies) for m in a.mentions if m is not None}
    counts: Counter[str] = Counter(s.keys[0] for s in doc.spans("country"))
    counts.update(a.country for a in agencies for _ in a.mentions if a.country)
    weights: Counter[str] = Counter()
    for a in agencies:
        if a.country:
            weights[a.country] += len(a.mentions)
    hub = (weights or counts).most_common(1)[0][0] if (weights or counts) else None
    ctx = _Context(doc, people, agencies, person_of, agency_of, counts, hub)
    head_mentions(doc)
    found: list[Candidate] = []
    earlier: set[str] = set()  # the types of the earlier instruments the release names
    previous: tuple[set[str], tuple[str, ...]] | None = None
    for index, sentence in enumerate(doc.sentences):
        if len(found) >= MAX_AGREEMENTS:  # a real release reports a handful; merging is quadratic
            log.warning("more than %d agreements in one release: the rest are not read", MAX_AGREEMENTS)
            break
        by_type: dict[tuple[str, str | None], tuple[set[str], list[Candidate]]] = {}
        for stated, group in _sentence_candidates(ctx, index, sentence, previous):
            if stated is None:
                if group[0].background:
                    earlier.add(group[0].type)
                _attach(found, group[0])
                continue
            key = (group[0].type, None if group[0].generic else _name(group[0].title))
            best = by_type.get(key)
            if (
                best is None
                or len(group) > len(best[1])
                or (len(group) == len(best[1]) and best[1][0].generic)
            ):
                by_type[key] = (stated, group)
        for stated, group in by_type.values():
            _merge(found, group)
            if stated or group[0].organizations:
                previous = (set(stated or ()), group[0].organizations)
    _signed_by(ctx, found)
    # "We signed a treaty to help one another," said of the 1996 Treaty named before: a quoted
    # common noun of an earlier instrument's type is that instrument
    found = [
        c
        for c in found
        if not (c.generic and c.type in earlier and len(c.sentences) == 1 and _quoted(doc, c.start))
    ]
    kept = _drop_generic(_merge_headline(found, doc))
    # One state alone binds itself to nothing, unless with an organization ("the African Union
    # and Sierra Leone signed ...") or between two of its own bodies; else such a mention is a
    # reference to the state's instrument with a partner the text does not give.
    return [
        c
        for c in kept
        if len(c.parties) != 1
        or c.parties == ("EU",)
        or c.organizations
        or c.intrastate
        or _intrastate(c, ctx)
    ]


def _signed_by(ctx: _Context, found: list[Candidate]) -> None:
    """An instrument whose sentence names no signatory takes those of one of the next two
    sentences that says who signed it ("The document was signed by ... X and ... Y", "X and Y
    signed on behalf of ...") and reports no other instrument."""
    doc = ctx.doc
    for c in found:
        if c.signatories:
            continue
        following = sorted({j for i in c.sentences for j in (i + 1, i + 2) if j < len(doc.sentences)})
        for j in following:
            if any(o is not c and j in o.sentences for o in found):
                continue
            sentence = doc.sentences[j]
            if not doc.within("person", sentence.start, sentence.end):
                continue  # the signatories are people it names: it names none
            low = lowered_at(doc, sentence.start, sentence.end)
            m = next(
                (m for p in cues("signed-by", doc.language) if (m := search(p, sentence.text, low))), None
            )
            if m is not None:
                names = _signatories(ctx, sentence, sentence.start + m.end(), sentence.end)
            elif doc.within("instrument", sentence.start, sentence.end):
                continue
            else:  # "X and Y signed on behalf of their institutions": who signed, before the verb
                verb = next((t for t in triggers(doc, sentence) if t.event == "signed"), None)
                names = _signatories(ctx, sentence, sentence.start, verb.start) if verb else ()
            if names:
                c.signatories = names
                break


def _quoted(doc: Doc, position: int) -> bool:
    """``position`` lies inside a quotation of its paragraph."""
    paragraph = doc.text[doc.text.rfind("\n", 0, position) + 1 : position]
    return paragraph.count("\u201c") > paragraph.count("\u201d") or paragraph.count('"') % 2 == 1


def _intrastate(c: Candidate, ctx: _Context) -> bool:
    """An instrument between two bodies of the one state the release names."""
    (only,) = c.parties
    named = {a.name for a in ctx.agencies if a.country == only}
    return len(named) >= 2 and set(ctx.counts) <= {only}
