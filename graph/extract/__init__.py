"""Extraction: ``extract(release) -> Record``, the contract's record with evidence.

The steps run in order over the release's title and body (read as one document, the title
first): sentences, countries, agencies, people (and the bodies their titles name), focus areas,
agreements. Every step reads its vocabulary from ``ontology/``; nothing here names a country
or an agency.

Examples
--------
>>> from graph.model import Release
>>> rec = extract(Release(id="demo", title="Canada and Mexico sign customs MOU", date="2021-03-04",
...     text="OTTAWA - Today, Canada and Mexico signed a Memorandum of Understanding on customs."))
>>> rec.countries, [a.type for a in rec.agreements], rec.focus_areas
(('CAN', 'MEX'), ['memorandum-of-understanding'], ('customs-trade',))
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter

from graph.extract import gazetteer
from graph.extract.agencies import AgencyMention, find_agencies, is_eu_body, strip_country_suffix
from graph.extract.agreements import Candidate, Context, find_agreements
from graph.extract.countries import find_countries, partner_ranking
from graph.extract.focus import find_focus, focus_in
from graph.extract.people import find_people
from graph.extract.resolve import AgencyGroup, PersonGroup, group_agencies, group_people, title_agency
from graph.extract.text import Sentence, split_sentences
from graph.model import Agency, Agreement, Evidence, Person, Record, Release

__all__ = ["extract"]

_SEPARATOR = "\n\n"
# "Ambassador to Mexico", "Embajador en Panamá": the state named after these is the host, not the person's.
_HOST = re.compile(r"\b(?:to|in|en|ante)\s+(?:the\s+)?$")
_COUNTRY_PREFIX = re.compile(r"^(?:the\s+)?(?:U\.S\.|US|United States)\s+")


def extract(release: Release) -> Record:
    """Extract countries, agencies, people, agreements and focus areas from one release."""
    title = (release.title or "").strip()
    doc = f"{title}{_SEPARATOR}{release.text}" if title else release.text
    title_end = len(title)
    sentences = split_sentences(doc)
    country_mentions = find_countries(doc, release.language or "en")
    agency_mentions = find_agencies(doc, country_mentions)
    protected = [(m.start, m.end) for m in agency_mentions] + [(m.start, m.end) for m in country_mentions]
    people = group_people(
        _headline_checked(
            find_people(doc, protected, release.language or "en"), doc, _headline_end(doc, title_end)
        )
    )
    agency_mentions += _title_agencies(people, agency_mentions, country_mentions, doc)
    agencies = [a for a in group_agencies(agency_mentions) if not _is_eu(a)]
    _assign_organizations(people, agencies)

    countries = {m.code for m in country_mentions}
    countries |= {a.country for a in agencies if a.country}
    countries |= {p.country for p in people if p.country}

    masked = [(m.start, m.end) for m in agency_mentions]
    masked += [(pm.title_start, pm.end) for p in people for pm in p.mentions]
    focus = find_focus(sentences, masked)
    gaz = gazetteer.load()
    focus = {k: v for k, v in focus.items() if k in gaz.focus_ids}

    person_spans = [(pm.start, pm.end, i) for i, p in enumerate(people) for pm in p.mentions]
    context = Context(
        text=doc,
        title_end=title_end,
        sentences=sentences,
        release_date=release.date,
        language=release.language or "en",
        country_spans=sorted(((m.start, m.end, m.code) for m in country_mentions), key=_first),
        agency_spans=sorted(
            ((m.start, m.end, m.country, is_eu_body(m.entry_id)) for m in agency_mentions), key=_first
        ),
        person_spans=sorted(person_spans, key=_first),
        person_names=[p.name for p in people],
        person_countries=[p.country for p in people],
        hub=_hub(agencies, country_mentions),
    )
    candidates = find_agreements(context)
    agreements = [_agreement(c, sentences, masked) for c in candidates]
    countries |= {p for a in agreements for p in a.parties if p != "EU"}

    evidence = _evidence(doc, title_end, sentences, agencies, people, candidates, focus)
    evidence += _country_evidence(
        doc, title_end, sentences, countries, country_mentions, agencies, people, candidates
    )
    return Record(
        id=release.id,
        title=release.title,
        date=release.date,
        source=release.source,
        language=release.language or "en",
        url=release.url,
        countries=tuple(sorted(countries)),
        agencies=tuple(Agency(a.name, tuple(a.aliases), a.country, None, _qid(a)) for a in agencies),
        people=tuple(Person(p.name, tuple(p.aliases), p.title, p.organization, p.country) for p in people),
        agreements=tuple(agreements),
        focus_areas=tuple(sorted(focus)),
        evidence=tuple(evidence),
    )


def _first(span: tuple) -> int:
    return span[0]


def _headline_end(doc: str, title_end: int) -> int:
    """End of the headline zone: the title, and the body's first line when it repeats the title."""
    first = re.match(r"\s*([^\n]+)", doc[title_end:])
    if title_end and first and _norm(doc[:title_end]) in _norm(first.group(1)):
        return title_end + first.end()
    return title_end


def _norm(text: str) -> str:
    return re.sub(r"\W+", " ", text).strip().lower()


def _headline_checked(mentions, doc: str, title_end: int):
    """Headlines capitalise every word: keep a name found there only if the body names it too,
    or if a possessive ends it ("Wolf's Prepared Remarks"), or if it is a titled surname that a
    lower-case word follows ("Remarks by Secretary Mayorkas at the ...")."""
    body = doc[title_end:]
    kept = []
    for m in mentions:
        if (
            m.start >= title_end
            or re.match(r"[’']s?\b", doc[m.end : m.end + 2])
            or (" " not in m.name and re.match(r"\s+[a-z]|[,;:]", doc[m.end : m.end + 2]))
            or re.search(rf"(?<!\w){re.escape(m.name)}(?!\w)", body)
        ):
            kept.append(m)
    return kept


def _is_eu(group: AgencyGroup) -> bool:
    """The European Union itself is a party ("EU"), not one of its bodies."""
    entry = gazetteer.load().agencies.get(group.entry_id or "")
    return bool(entry and is_eu_body(entry.id) and entry.parent is None)


def _qid(group: AgencyGroup) -> str | None:
    entry = gazetteer.load().agencies.get(group.entry_id or "")
    return entry.qid if entry else None


def _hub(agencies: list[AgencyGroup], countries) -> str | None:
    """The state most of the named bodies belong to: the other party of plural bilateral deals."""
    weights = Counter()
    for group in agencies:
        if group.country:
            weights[group.country] += len(group.mentions)
    if not weights:
        weights.update(m.code for m in countries)
    return weights.most_common(1)[0][0] if weights else None


def _title_agencies(
    people: list[PersonGroup], mentions: list[AgencyMention], countries, doc: str
) -> list[AgencyMention]:
    """Bodies named only through a person's title (R1), and each person's country."""
    from graph.extract.countries import country_context

    gaz = gazetteer.load()
    added: list[AgencyMention] = []
    for person in people:
        for m in person.mentions:
            inside = [a for a in mentions if m.title_start <= a.start and a.end <= m.start and a.country]
            if inside and not person.country:
                person.country = inside[-1].country
            local = [
                c.code
                for c in countries
                if m.title_start <= c.start
                and c.end <= m.start
                and not _HOST.search(doc[max(0, c.start - 16) : c.start])
            ]
            after = country_context(doc, m.start, m.end)
            if not person.country and (local or after):
                person.country = local[-1] if local else after
        if person.title:
            in_title = [c for c in find_countries(person.title) if not _HOST.search(person.title[: c.start])]
            if in_title and not person.country:
                person.country = in_title[0].code
            named = [k for m in gaz.agency_index.find(person.title) for k in m.keys if not k.startswith("~")]
            if named and not person.organization:
                # A name several states share ("SAT"): the body the text is about, else the person's state's.
                in_text = {a.entry_id for a in mentions}
                named.sort(key=lambda k: (k not in in_text, gaz.agencies[k].country != person.country))
                entry = gaz.agencies[named[0]]
                person.organization, person.country = entry.name, person.country or entry.country
            person.title = _clean_title(person.title)
            found = title_agency(person.title, person.country)
            if not found:
                continue
            name, country = found
            name, suffix_country = strip_country_suffix(name)
            country = country or suffix_country
            international = [
                e for e in gaz.agencies.values() if e.name.lower() == name.lower() and e.country is None
            ]
            if international:
                country = None
            elif country is None:
                same = [a for a in mentions if a.name.lower() == name.lower() and a.country]
                country = same[0].country if same else _foreign(countries)
            person.country = person.country or country
            ident = next(
                (
                    e.id
                    for e in gaz.agencies.values()
                    if e.country == country and name.lower() in {x.lower() for x in (e.name, *e.surfaces)}
                ),
                None,
            )
            surface = name
            if ident:
                name = gaz.agencies[ident].name
            first = person.mentions[0]
            key = f"id:{ident}" if ident else f"name:{country}:{name.lower()}"
            added.append(
                AgencyMention(key, name, country, first.title_start, first.title_start, surface, ident)
            )
            person.organization = name
    return added


def _foreign(countries) -> str | None:
    """The most named state other than the United States (the usual partner in these releases)."""
    ranked = partner_ranking(countries)
    return ranked[0] if ranked else None


def _clean_title(title: str) -> str:
    title = re.sub(r"^(?:the|el|la)\s+", "", title.strip(" ,"), flags=re.I)
    title = _COUNTRY_PREFIX.sub("", title)
    found = find_countries(title)
    if found and found[0].start == 0:
        rest = title[found[0].end :].lstrip("’'s ").strip()
        title = rest or title
    return re.sub(r"\s*\([A-Z]{2,6}\)", "", title).strip(" ,")


def _assign_organizations(people: list[PersonGroup], agencies: list[AgencyGroup]) -> None:
    """A body named inside a person's title ("ICE Director Morton") is the person's organization."""
    spans = sorted(((a.start, a.end, g) for g in agencies for a in g.mentions if a.end > a.start), key=_first)
    starts = [s for s, _, _ in spans]
    for person in people:
        for m in person.mentions:
            for _, end, group in spans[bisect_left(starts, m.title_start) : bisect_left(starts, m.start)]:
                if end <= m.start:
                    person.organization = person.organization or group.name
                    person.country = person.country or group.country
        if person.organization and not person.country:
            org = next((g for g in agencies if g.name == person.organization), None)
            person.country = org.country if org else None


def _agreement(c: Candidate, sentences: list[Sentence], masked: list[tuple[int, int]]) -> Agreement:
    """Turn a candidate into an Agreement with its own focus areas (its sentences and lists)."""
    indices = set(c.sentences)
    for i in sorted(c.sentences):
        j = i + 1
        if sentences[i].text.rstrip().endswith(":"):
            while j < len(sentences) and (
                sentences[j].list_item or sentences[j].paragraph == sentences[i].paragraph
            ):
                indices.add(j)
                j += 1
    areas = set()
    for i in indices:
        s = sentences[i]
        local = [
            (max(a, s.start) - s.start, min(b, s.end) - s.start)
            for a, b in masked
            if a < s.end and s.start < b
        ]
        areas |= {key for key, _, _ in focus_in(s.text, local)}
    areas &= set(gazetteer.load().focus_ids)
    return Agreement(c.type, c.title, c.date, c.parties, c.signatories, tuple(sorted(areas)), c.trigger)


def _country_evidence(
    doc, title_end, sentences, countries, mentions, agencies, people, candidates
) -> list[Evidence]:
    """Each reported state's first sentence: where it is named, else where its body, a person of
    it or an instrument binding it is."""
    where: dict[str, int] = {}
    for m in mentions:
        where.setdefault(m.code, m.start)
    for g in agencies:
        if g.country and g.mentions:
            where.setdefault(g.country, g.mentions[0].start)
    for p in people:
        if p.country and p.mentions:
            where.setdefault(p.country, p.mentions[0].start)
    for c in candidates:
        for code in c.parties:
            where.setdefault(code, sentences[c.sentence_index].start)
    offset = title_end + len(_SEPARATOR) if title_end else 0
    out = []
    for code in sorted(countries):
        if code not in where:
            continue
        sentence = next((s for s in sentences if s.start <= where[code] < s.end), None)
        if sentence is None:
            continue
        if sentence.start < title_end:
            out.append(Evidence("countries", code, sentence.text, sentence.start, sentence.end, "title"))
        else:
            start, end = sentence.start - offset, sentence.end - offset
            out.append(Evidence("countries", code, sentence.text, start, end, "text"))
    return out


def _evidence(doc, title_end, sentences, agencies, people, candidates, focus) -> list[Evidence]:
    offset = title_end + len(_SEPARATOR) if title_end else 0

    def make(field: str, index, start: int) -> Evidence | None:
        sentence = next((s for s in sentences if s.start <= start < s.end), None)
        if sentence is None:
            return None
        if sentence.start < title_end:
            return Evidence(field, index, sentence.text, sentence.start, sentence.end, "title")
        return Evidence(field, index, sentence.text, sentence.start - offset, sentence.end - offset, "text")

    out: list[Evidence | None] = []
    out += [make("agencies", i, g.mentions[0].start) for i, g in enumerate(agencies)]
    out += [make("people", i, p.mentions[0].start) for i, p in enumerate(people)]
    for i, c in enumerate(candidates):
        body = [j for j in sorted(c.sentences) if sentences[j].start >= title_end]
        out.append(make("agreements", i, sentences[body[0] if body else c.sentence_index].start))
    out += [make("focus_areas", key, s.start) for key, s in sorted(focus.items())]
    return [e for e in out if e is not None]
