"""Extraction: ``extract(release) -> Record``, the contract's record with evidence.

The release's title and body are read as one document (:func:`graph.extract.pipeline.read`:
states, bodies, titles, people, each step adding spans to the document); the spans are grouped
into people and agencies (:mod:`graph.extract.entities`); agreements and focus areas are read from
the clauses and sentences; every item reported gets the sentence it was found in as evidence.
Nothing here names a state, a body or a word: the vocabulary is in ``ontology/``.

Examples
--------
>>> from graph.model import Release
>>> rec = extract(Release(id="demo", title="Canada and Mexico sign customs MOU", date="2021-03-04",
...     text="OTTAWA - Today, Canada and Mexico signed a Memorandum of Understanding on customs."))
>>> rec.countries, [a.type for a in rec.agreements], rec.focus_areas
(('CAN', 'MEX'), ['memorandum-of-understanding'], ('customs-trade',))
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from graph.extract.agreements import Candidate, find_agreements
from graph.extract.clauses import sentence_has_cue
from graph.extract.commitments import commitment_spans
from graph.extract.doc import Doc, Sentence, Span
from graph.extract.entities import AgencyEntity, PersonEntity, resolve
from graph.extract.focus import release_focus, sentence_focus
from graph.extract.pipeline import read
from graph.extract.places import reports_signing, signing_place
from graph.extract.references import references
from graph.model import Agency, Agreement, Commitment, Evidence, Person, Record, Release, release_content_hash

__all__ = ["extract"]


def extract(release: Release) -> Record:
    """Extract countries, agencies, people, agreements and focus areas from one release."""
    language = release.language or "en"
    doc = read(release.text, release.title if (release.title or "").strip() else None, language, release.date)
    people, agencies = resolve(doc)
    _drop_headline_only(doc, people)
    candidates = find_agreements(doc, people, agencies)
    reported = [a for a in agencies if not _is_eu_itself(a)]
    body_state = _body_states(agencies)
    agreements = _same_occasion([_agreement(doc, c, candidates, body_state) for c in candidates])
    focus = release_focus(doc)

    countries = {s.keys[0] for s in doc.spans("country")}
    countries |= {a.country for a in reported if a.country}
    countries |= {p.country for p in people if p.country}
    countries |= {p for a in agreements for p in a.parties if p != "EU"}

    evidence = _evidence(doc, sorted(countries), reported, people, candidates, focus)
    evidence += _richer_evidence(doc, agreements)
    return Record(
        id=release.id,
        title=release.title,
        date=release.date,
        source=release.source,
        language=language,
        url=release.url,
        countries=tuple(sorted(countries)),
        agencies=tuple(Agency(a.name, tuple(a.aliases), a.country, None, _qid(a)) for a in reported),
        people=tuple(Person(p.name, tuple(p.aliases), p.title, p.organization, p.country) for p in people),
        agreements=tuple(agreements),
        focus_areas=tuple(sorted(focus)),
        evidence=tuple(evidence),
        content_hash=release_content_hash(release),
    )


def _qid(agency: AgencyEntity) -> str | None:
    from graph.extract import lexicon

    entry = lexicon.load().bodies.get(agency.entry or "")
    return entry.qid if entry else None


def _is_eu_itself(agency: AgencyEntity) -> bool:
    """The European Union itself is a party ("EU"), not one of its bodies."""
    from graph.extract import lexicon

    entry = lexicon.load().bodies.get(agency.entry or "")
    return bool(entry and agency.eu and entry.parent is None)


def _drop_headline_only(doc: Doc, people: list[PersonEntity]) -> None:
    """Headlines capitalise every word: a person named only there must be named in the body too,
    unless a title introduces them."""
    for person in list(people):
        only_headline = all(m.start < doc.title_end for m in person.mentions if m is not None)
        if only_headline and person.title is None and person.name not in doc.text[doc.title_end :]:
            people.remove(person)


def _same_occasion(agreements: list[Agreement]) -> list[Agreement]:
    """Instruments signed on one day in one release were signed at one place: one whose text
    gives no place takes that of another of the same date."""
    out = []
    for a in agreements:
        if a.place is None:
            other = next((o for o in agreements if o.place and o.date == a.date), None)
            if other is not None:
                a = replace(a, place=other.place, place_country=other.place_country)
        out.append(a)
    return out


def _event(doc: Doc, c: Candidate, others: set[int]) -> str:
    """The event: "announced" is an instrument reached or agreed without a signing act; one whose
    release also reports its signing ("the signing ceremony in Kigali") was signed."""
    if c.event != "announced":
        return c.event
    body = [i for i, s in enumerate(doc.sentences) if s.start >= doc.headline_end and i not in others]
    # "they will sign it next year" is no signing act
    signed = any(reports_signing(doc, i) and not sentence_has_cue(doc, i, "block") for i in body)
    return "signed" if signed else c.event


def _body_states(agencies: list[AgencyEntity]) -> Callable[[Span], str | None]:
    """The state of the body a ``body`` span names (through the agency it was resolved to)."""
    states = {id(m): a.country for a in agencies for m in a.mentions if m is not None}
    return lambda span: states.get(id(span))


def _agreement(
    doc: Doc, c: Candidate, candidates: list[Candidate], body_state: Callable[[Span], str | None]
) -> Agreement:
    """An agreement with its own focus areas (those of its sentences and of the list they open)
    and the place where it was signed."""
    indices = set(c.sentences)
    for i in sorted(c.sentences):
        if doc.sentences[i].text.rstrip().endswith(":"):
            j = i + 1
            while j < len(doc.sentences) and (
                doc.sentences[j].list_item or doc.sentences[j].paragraph == doc.sentences[i].paragraph
            ):
                indices.add(j)
                j += 1
    areas: set[str] = set()
    for i in indices:
        areas |= sentence_focus(doc, doc.sentences[i])
    others = {i for o in candidates if o is not c for i in o.sentences}
    # signed there that day: the text says so ("today"), not just a date equal to the release's
    today = any(sentence_has_cue(doc, i, "today") for i in c.sentences)
    place = signing_place(doc, c.sentences, body_state, today, others, c.parties)
    commitments = []
    scope = set(c.sentences)
    if c.headline:  # the release is the statement: its whole body states what the sides undertake
        scope |= {i for i, s in enumerate(doc.sentences) if s.start >= doc.headline_end} - others
    kinds = {o.type for o in candidates if o is not c}
    for a, b in commitment_spans(doc, scope, others, c.type, kinds):
        start, end, part = doc.to_release(a, b)
        if part == "text":
            areas_of = sentence_focus(doc, Sentence(a, b, doc.text[a:b]))
            commitments.append(Commitment(doc.text[a:b], tuple(sorted(areas_of)), start, end))
            areas |= areas_of  # what the parties commit to under it is what it covers
    return Agreement(
        c.type,
        c.title,
        c.date,
        c.parties,
        c.signatories,
        tuple(sorted(areas)),
        c.trigger,
        _event(doc, c, others),
        place.text if place else None,
        place.country if place else None,
        tuple(commitments),
        tuple(references(doc, c.sentences, c.parties, c.type, c.title)),
    )


def _richer_evidence(doc: Doc, agreements: list[Agreement]) -> list[Evidence]:
    """Evidence of each agreement's place, commitments and references: the sentence each was
    read in (fields ``agreements.place``, ``agreements.commitments``, ``agreements.references``;
    ``index`` is the agreement's)."""
    out: list[Evidence] = []

    def add(field: str, index: int, pos: int) -> None:
        sentence = doc.sentence_at(pos)
        start, end, part = doc.to_release(sentence.start, sentence.end)
        out.append(Evidence(field, index, sentence.text, start, end, part))

    for i, a in enumerate(agreements):
        if a.place and (pos := doc.text.find(a.place, doc.body_start)) >= 0:
            add("agreements.place", i, pos)
        for c in a.commitments:
            add("agreements.commitments", i, c.start + doc.body_start)
        for r in a.references:
            if r.title and (pos := doc.text.find(r.title, doc.body_start)) >= 0:
                add("agreements.references", i, pos)
    return out


def _evidence(
    doc: Doc,
    countries: list[str],
    agencies: list[AgencyEntity],
    people: list[PersonEntity],
    candidates: list[Candidate],
    focus: dict[str, Sentence],
) -> list[Evidence]:
    where: dict[int, tuple[str, int, int, str]] = {}  # by sentence: its text and offsets

    def make(field: str, index: int | str, pos: int) -> Evidence:
        i = doc.sentence_index(pos)
        if i not in where:
            sentence = doc.sentences[i]
            where[i] = (sentence.text, *doc.to_release(sentence.start, sentence.end))
        return Evidence(field, index, *where[i])

    out: list[Evidence] = []
    first_seen: dict[str, int] = {}
    for span in doc.spans("country"):
        first_seen.setdefault(span.keys[0], span.start)
    for a in agencies:
        if a.country and a.mentions and a.mentions[0] is not None:
            first_seen.setdefault(a.country, a.mentions[0].start)
    for p in people:
        if p.country and p.mentions:
            first_seen.setdefault(p.country, p.mentions[0].start)
    for c in candidates:
        for code in c.parties:
            first_seen.setdefault(code, doc.sentences[c.sentence_index].start)
    out += [make("countries", code, first_seen[code]) for code in countries if code in first_seen]
    for i, a in enumerate(agencies):
        mention = next((m for m in a.mentions if m is not None), None)
        if mention is not None:
            out.append(make("agencies", i, mention.start))
    out += [make("people", i, p.mentions[0].start) for i, p in enumerate(people) if p.mentions]
    for i, c in enumerate(candidates):
        body = [j for j in sorted(c.sentences) if doc.sentences[j].start >= doc.title_end]
        out.append(make("agreements", i, doc.sentences[body[0] if body else c.sentence_index].start))
    out += [make("focus_areas", key, s.start) for key, s in sorted(focus.items())]
    return out
