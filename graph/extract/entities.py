"""From mentions to entities: one agency per body, one person per name, with aliases.

People: a name and its short forms ("Chad F. Wolf", "Acting Secretary Wolf", "Wolf") are one
person, named by the fullest form; the title is the fullest one given; the organization is the body
named in the title, or the body the title implies (annotation guide R1: "Minister of Public
Security" -> "Ministry of Public Security"; rules in ``ontology/rules/title-agencies.tsv``, else
the title head's body, ``ontology/rules/person-titles.tsv``); the country is the state the title
names (an ambassador's host excepted) or the body's. Bodies: one agency per name and state, every
other surface form an alias.

Examples
--------
>>> from graph.extract.pipeline import read
>>> doc = read("Panamanian Minister of Public Security Rolando Mirones met Acting Secretary Chad F. Wolf. "
...            "Wolf spoke.")
>>> people, agencies = resolve(doc)
>>> [(p.name, p.organization, p.country) for p in people]
[('Rolando Mirones', 'Ministry of Public Security', 'PAN'), ('Chad F. Wolf', None, None)]
>>> [(a.name, a.country) for a in agencies]
[('Ministry of Public Security', 'PAN')]
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import lru_cache

from graph.extract import lexicon
from graph.extract.body_names import fallback_state, generic_name, resolve_entry, stated_states
from graph.extract.countries import codes_in, ranking
from graph.extract.doc import Doc, Span
from graph.extract.matcher import fold
from graph.extract.translate import translate_body

__all__ = ["AgencyEntity", "PersonEntity", "resolve"]

_SPACES = re.compile(r"\s+")
_POSSESSIVE = re.compile(r"[’']s$")
_ARTICLE = re.compile(r"^(?:the|el|la)\s+", re.I)
_US = re.compile(r"^(?:U\.S\.|US|United States)\s+")


@dataclass
class PersonEntity:
    name: str
    aliases: list[str] = field(default_factory=list)
    title: str | None = None
    organization: str | None = None
    country: str | None = None
    mentions: list[Span] = field(default_factory=list)
    title_span: Span | None = None
    international: bool = False


@dataclass
class AgencyEntity:
    name: str
    country: str | None
    aliases: list[str] = field(default_factory=list)
    entry: str | None = None
    mentions: list[Span] = field(default_factory=list)
    international: bool = False
    eu: bool = False
    derived: bool = False


@lru_cache(maxsize=8192)
def name_key(name: str) -> str:
    """A body's name for grouping: folded, its articles after "of"/"de" dropped ("Ministry of the
    Interior" and "Ministry of Interior" are one body)."""
    return re.sub(r"\b(of|de|del)\s+(?:the|la|el|los|las)\s+", r"\1 ", fold(name)).replace(" del ", " de ")


@lru_cache(maxsize=8192)
def _key(name: str) -> tuple[str, str] | None:
    """A person's name for comparing: the first and last of its folded words (kept: the groups
    of a release compare each pair of names)."""
    tokens = [t for t in fold(name).replace(".", "").split() if len(t) > 1]
    return (tokens[0], tokens[-1]) if len(tokens) >= 2 else None


@lru_cache(maxsize=65536)
def _ends_with(full: str, short: str) -> bool:
    """``short`` names the person ``full`` names: its surname(s), or (Spanish double surnames)
    a two-word form that starts with ``full``'s last word ("Avelino Guillén" / "Guillén Jáuregui")."""
    f, s = fold(full).replace(".", ""), fold(short).replace(".", "")
    if f == s or f.endswith(" " + s) or (len(s.split()) == 1 and s in f.split()[1:]):
        return True
    fw, sw = f.split(), s.split()
    return len(fw) >= 2 and len(sw) == 2 and sw[0] == fw[-1] and len(sw[0]) > 3


@lru_cache(maxsize=65536)
def _variant(a: str, b: str) -> bool:
    """Two spellings of one name: same surname, given names that differ by a letter or two
    ("Mohamed"/"Mohammed", "Georgia"/"Giorgia")."""
    from difflib import SequenceMatcher

    ka, kb = _key(a), _key(b)
    if ka is None or kb is None or ka[1] != kb[1] or ka[0] == kb[0]:
        return False
    return SequenceMatcher(None, ka[0], kb[0]).ratio() >= 0.8 and ka[0][:2] == kb[0][:2]


def _group_people(doc: Doc) -> list[PersonEntity]:
    people: list[PersonEntity] = []
    by_key: dict[tuple[str, str], PersonEntity] = {}
    mentions = doc.spans("person")
    for m in mentions:
        name = m.data["name"]
        key = _key(name)
        if key is None:
            continue
        group = by_key.get(key) or next(
            (
                p
                for p in people
                if _ends_with(p.name, name) or _ends_with(name, p.name) or _variant(p.name, name)
            ),
            None,
        )
        if group is None:
            group = PersonEntity(name)
            by_key[key] = group
            people.append(group)
        elif len(name) > len(group.name):
            group.aliases.append(group.name)
            group.name = name
        group.mentions.append(m)
        _take_title(group, m)
    for m in mentions:
        if _key(m.data["name"]) is not None:
            continue
        group = next((p for p in people if _ends_with(p.name, m.data["name"])), None)
        if group is None and m.data["how"] in {"title", "honorific"}:
            # "Ambassador Mesfin" after "Ambassador Mesfin Hailu Tadesse": naming by the given
            # name, when one person alone has it
            first = [p for p in people if len(p.name.split()) >= 3 and p.name.split()[0] == m.data["name"]]
            group = first[0] if len(first) == 1 else None
        if group is None:
            if m.data["how"] == "surname":
                continue
            group = PersonEntity(m.data["name"])
            people.append(group)
        group.mentions.append(m)
        _take_title(group, m)
    for person in people:
        for m in person.mentions:
            for alias in (m.data.get("surface", "").strip(), m.data["name"]):
                alias = _POSSESSIVE.sub("", _SPACES.sub(" ", alias)).strip(" ,")
                if alias and alias != person.name and alias not in person.aliases and len(alias.split()) <= 6:
                    if alias.endswith(person.name) and len(alias.split()) > len(person.name.split()) + 3:
                        continue
                    person.aliases.append(alias)
    return people


def _take_title(person: PersonEntity, mention: Span) -> None:
    title = mention.data.get("title")
    text = mention.data.get("title_text")
    if text and len(text) > len(person.title or ""):
        person.title = text
        person.title_span = title


def _clean_title(doc: Doc, title: Span) -> str:
    """A title without the state prefix or leading article ("Panamanian Minister of ..." ->
    "Minister of ...")."""
    text = title.data.get("text") or doc.text[title.start : title.end]
    first_state = doc.within("country", title.start, title.end)
    if first_state and first_state[0].start == title.start:
        rest = doc.text[first_state[0].end : title.end].lstrip("’'s ").strip()
        text = rest or text
    text = _ARTICLE.sub("", text.strip(" ,"))
    text = _US.sub("", text)
    return _SPACES.sub(" ", text).strip(" ,")


@lru_cache(maxsize=1)
def _host() -> re.Pattern[str]:
    """A preposition that makes the state after it a host, not the title's own ("Ambassador to")."""
    return re.compile(rf"\b(?:{lexicon.word_pattern('host')})\s+(?:the\s+)?$", re.I)


def _title_state(doc: Doc, title: Span) -> str | None:
    """The state a title names: a prefix ("Panamanian", "U.S.") or its complement ("of Panama"),
    not an ambassador's host ("Ambassador to Mexico")."""
    if title.data.get("state"):
        return title.data["state"]
    for span in doc.within("country", title.start, title.end):
        if _host().search(doc.text[max(title.start, span.start - 16) : span.start]):
            continue
        return span.keys[0]
    return None


def _office_text(office: dict) -> str:
    text = f"{office['pre']} {office['head']}" if office["pre"] else office["head"]
    if office["complement"]:
        text += f" {office['opener']} {office['complement']}"
    return text


def _derived_bodies(
    doc: Doc, title: Span, country: str | None, plural: bool = False
) -> list[tuple[list[str], str | None]]:
    """The bodies a title implies (R1), one per office it names: their possible names, best first
    (a Spanish title's Spanish name and its English translation), and their state."""
    out = []
    for office in title.data.get("offices", ()):
        derived = _derived_body(doc, office, country if plural else office["state"] or country, plural)
        if derived is not None:
            out.append(derived)
    return out


@lru_cache(maxsize=16384)
def _title_agency(text: str, country: str | None) -> tuple[str, str | None] | None:
    """The agency of the first ``rules/title-agencies.tsv`` row whose pattern an office's text
    matches, for a title of ``country`` (the row's scope), and the state the row fixes: a
    function of the text and the state alone, asked for each title of every release (cached)."""
    for pattern, agency, fixed, scope in lexicon.load().title_agencies:
        if scope.startswith("!") and country == scope[1:]:
            continue
        if scope and not scope.startswith("!") and country != scope:
            continue
        m = pattern.search(text)
        if m:
            name = agency
            for group, value in m.groupdict().items():
                name = name.replace(
                    "{" + group + "}", re.sub(r"(?:,|\s+and|\s+the)+$", "", (value or "").strip())
                )
            return name, fixed
    return None


def _derived_body(
    doc: Doc, office: dict, country: str | None, plural: bool = False
) -> tuple[list[str], str | None] | None:
    text = _office_text(office)
    if plural:
        text = re.sub(r"(?<=[a-z])s\b", "", text, count=1)  # "interior ministers of" -> one minister
    agency = _title_agency(text, country)
    if agency is not None:
        name, fixed = agency
        return [name], fixed or country
    word = office["word"]
    complement = office["complement"]
    if not word.body or (not plural and re.search(r"(?:[^s]s|tros|tras)$", office["head"].lower())):
        return None  # no body, or several ministers of several states ("Ministers of Security")
    if office["subordinate"] and word.body not in {"Ministry", "Ministerio"}:
        return None  # "Assistant Secretary for Policy": an office inside a department
    if not complement:
        if office["pre"] and word.language == "en":
            return [f"{word.body} of {office['pre']}"], country  # "Public Security Minister"
        return None
    if doc.within("body", *office["complement_span"]) or codes_in(complement, doc.language):
        return None
    if office["spanish"] or word.language == "es":
        spanish = f"{word.body} {office['opener']} {complement}"
        english = translate_body(spanish)
        if office["opener"] == "para" and not generic_name(english or spanish):
            return None
        return ([spanish, english] if english else [spanish]), country
    name = f"{word.body} of {complement}"
    if office["opener"] == "for" and not generic_name(name):
        return None  # "Minister for Countering Illegal Migration": a portfolio, not a ministry
    return [name], country


def resolve(doc: Doc) -> tuple[list[PersonEntity], list[AgencyEntity]]:
    """Group the document's mentions into people and agencies and link them."""
    lex = lexicon.load()
    people = _group_people(doc)
    for person in people:
        title = person.title_span
        paired = next((m.data["state"] for m in person.mentions if m.data.get("state")), None)
        person.country = person.country or paired
        if title is not None:
            person.title = _clean_title(doc, title)
            person.country = person.country or _title_state(doc, title)
            inside = [b for b in doc.within("body", title.start, title.end) if b.data.get("name")]
            if inside:
                person.organization = inside[-1].data["name"]
                person.country = person.country or inside[-1].data.get("country")
                person.international = bool(inside[-1].data.get("international"))
        elif person.mentions and person.mentions[0].data.get("title_text"):
            person.title = person.mentions[0].data["title_text"]
    _counterparts(doc, people)
    agencies: list[AgencyEntity] = []
    index: dict[tuple, AgencyEntity] = {}
    for span in doc.spans("body"):
        _add_body(agencies, index, span, lex)
    holders = {id(p.title_span): p for p in people if p.title_span is not None}
    for person in people:  # the persons of a title that pairs names with states each imply a body
        paired = next((m.data["state"] for m in person.mentions if m.data.get("state")), None)
        if paired and person.title_span is not None:
            for names, _ in _derived_bodies(doc, person.title_span, paired, plural=True):
                agency = _derived_agency(doc, agencies, person.title_span, names, paired)
                person.organization = person.organization or agency.name
    for title in doc.spans("title"):
        holder = holders.get(id(title))
        if holder is None and not _standalone_title(doc, title):
            continue
        if re.match(r"\s*\(", doc.text[title.data["head_end"] : title.data["head_end"] + 3]) and doc.within(
            "body", title.data["head_end"], title.data["head_end"] + 14
        ):
            continue  # the title names its body in brackets ("Finance Secretary (SHCP)")
        country = holder.country if holder else _title_state(doc, title)
        for names, state in _derived_bodies(doc, title, country):
            agency = _derived_agency(doc, agencies, title, names, state)
            if holder is not None:
                holder.organization = holder.organization or agency.name
                holder.country = holder.country or agency.country
    _merge_inverted(agencies)
    _merge_short_forms(agencies)
    return people, agencies


@lru_cache(maxsize=1)
def _meeting() -> re.Pattern[str]:
    """Words that put two sides together in one sentence ("met", "counterpart", "se reunió")."""
    return re.compile(rf"\b(?:{lexicon.word_pattern('meeting')})\b", re.IGNORECASE)


def _counterparts(doc: Doc, people: list[PersonEntity]) -> None:
    """A person whose state the text does not give, named in one sentence with a person of a
    known state ("Sheikh Khalid met Turkish Interior Minister Ali Yerlikaya"), is of the other
    state the release is about: the two sides of a meeting or a signing."""
    ranked = ranking(doc)
    by_sentence: dict[int, list[PersonEntity]] = {}
    for person in people:
        for m in person.mentions:
            by_sentence.setdefault(doc.sentence_index(m.start), []).append(person)
    for person in people:
        if person.country or person.title_span is None or person.international:
            continue
        for m in person.mentions:
            if not _meeting().search(doc.sentence_at(m.start).text):
                continue  # people named together need not be two sides ("the minister, with the president")
            known = {p.country for p in by_sentence.get(doc.sentence_index(m.start), []) if p.country}
            if len(known) == 1:
                others = [c for c in ranked if c not in known]
                if others:
                    person.country = others[0]
                    break


def _merge_short_forms(agencies: list[AgencyEntity]) -> None:
    """A body's name that begins a longer name of a body of the same state ("National Guard",
    "National Guard Command") is a short form of it."""
    by_state: dict[str | None, list[tuple[str, int]]] = {}
    for n, a in enumerate(agencies):
        for form in {a.name, *a.aliases}:
            by_state.setdefault(a.country, []).append((form, n))
    for forms in by_state.values():
        forms.sort()
    removed: set[int] = set()
    for n, agency in sorted(enumerate(agencies), key=lambda item: len(item[1].name)):
        forms = by_state[agency.country]
        longer: set[int] = set()
        for short in {agency.name, *agency.aliases}:
            prefix = short + " "
            k = bisect_left(forms, (prefix, -1))
            while k < len(forms) and forms[k][0].startswith(prefix):
                other, m = forms[k]
                a = agencies[m]
                if (
                    m != n
                    and m not in removed
                    and not (agency.entry and a.entry and agency.entry != a.entry)
                    and _extends(short, other)
                ):
                    longer.add(m)
                k += 1
        if len(longer) == 1:
            target = agencies[longer.pop()]
            target.mentions.extend(agency.mentions)
            for alias in (agency.name, *agency.aliases):
                if alias != target.name and alias not in target.aliases:
                    target.aliases.append(alias)
            removed.add(n)
    agencies[:] = [a for n, a in enumerate(agencies) if n not in removed]


def _extends(short: str, other: str) -> bool:
    """``other`` is ``short`` with a few more words that do not name a body of their own ("National
    Guard" / "National Guard Command"; not "U.S. Embassy" / "U.S. Embassy Regional Security Office")."""
    if not other.startswith(short + " "):
        return False
    rest = other[len(short) + 1 :].split()
    return len(rest) == 1 or (len(rest) <= 4 and not any(fold(w) in lexicon.load().body_kinds for w in rest))


def _merge_inverted(agencies: list[AgencyEntity]) -> None:
    """ "Interior Ministry" and "Foreign Ministry" name the "Ministry of (the) Interior" and the
    "Ministry of Foreign Affairs" of the same state when the text names those too."""
    for agency in list(agencies):
        m = re.fullmatch(
            r"([A-Z][\w’'-]*(?: [A-Z][\w’'-]*)?) (Ministry|Department|Secretariat|Office)", agency.name
        )
        if not m:
            continue
        domain, head = m.group(1).lower(), m.group(2)
        target = next(
            (
                a
                for a in agencies
                if a is not agency
                and a.country == agency.country
                and re.match(rf"{head} of (?:the )?{re.escape(domain)}\b", a.name, re.IGNORECASE)
            ),
            None,
        )
        if target is not None:
            target.mentions.extend(agency.mentions)
            for alias in (agency.name, *agency.aliases):
                if alias != target.name and alias not in target.aliases:
                    target.aliases.append(alias)
            agencies.remove(agency)


def _standalone_title(doc: Doc, title: Span) -> bool:
    """A title that names an office without a person ("the Indonesian Foreign Minister")."""
    head = doc.text[title.data["head_start"] : title.data["head_end"]]
    return head[:1].isupper() or bool(title.data.get("complement"))


def _derived_agency(
    doc: Doc, agencies: list[AgencyEntity], title: Span, names: list[str], state: str | None
) -> AgencyEntity:
    """The agency a title implies: the gazetteer's body of that name and state if there is one,
    else a new one; every name it goes by is kept."""
    lex = lexicon.load()
    entry = None
    for name in names:
        entry = resolve_entry(doc, lex.body_names.get(fold(name), ()), state, name)
        if entry:
            break
    canonical = lex.bodies[entry].name if entry else names[-1]
    state = (lex.bodies[entry].country or state) if entry else state
    forms = {name_key(n) for n in [canonical, *names]}
    same_name = [
        a for a in agencies if name_key(a.name) in forms or any(name_key(x) in forms for x in a.aliases)
    ]
    existing = next((a for a in same_name if a.country in {state, None}), None)
    if existing is None and state is None and same_name:
        existing = same_name[0]  # a title whose state the text does not give: the body already named
    if existing is None:
        existing = AgencyEntity(canonical, state, entry=entry, derived=True, mentions=[title])
        agencies.append(existing)
    elif existing.country is None and state and not existing.international:
        existing.country = state
    for name in names:
        if name != existing.name and name not in existing.aliases:
            existing.aliases.append(name)
    if existing.country is None and not existing.international:
        owned = {a.country for a in agencies if fold(a.name) == fold(existing.name) and a.country}
        existing.country = fallback_state(doc, owned, stated_states(doc))
    if existing.entry is None and existing.country:
        return _same_portfolio(agencies, existing)
    return existing


def _portfolio(name: str) -> str | None:
    """The portfolio of an executive body's name: "home affairs" for "Ministry of Home Affairs" and
    "Department of Home Affairs" alike."""
    m = _executive_head().match(name)
    return name_key(m.group("rest")) if m else None


@lru_cache(maxsize=1)
def _executive_head() -> re.Pattern[str]:
    heads = sorted(
        (
            k.surface
            for k in lexicon.load().body_kinds.values()
            if k.kind == "executive" and k.order != "final"
        ),
        key=len,
        reverse=True,
    )
    alternation = "|".join(re.escape(h) for h in heads)
    return re.compile(rf"^(?:{alternation})\s+(?:of|for|de|del)\s+(?:the\s+|la\s+|el\s+)?(?P<rest>.+)$", re.I)


@lru_cache(maxsize=1)
def _portfolios() -> dict[tuple[str, str], str]:
    """Gazetteer bodies by state and portfolio (one reading only: a portfolio two bodies of a
    state share is left out)."""
    out: dict[tuple[str, str], str] = {}
    clashes: set[tuple[str, str]] = set()
    for entry in lexicon.load().bodies.values():
        portfolio = _portfolio(entry.name) if entry.country else None
        if portfolio and entry.country:
            key = (entry.country, portfolio)
            if key in out and out[key] != entry.id:
                clashes.add(key)
            out.setdefault(key, entry.id)
    return {k: v for k, v in out.items() if k not in clashes}


def _same_portfolio(agencies: list[AgencyEntity], derived: AgencyEntity) -> AgencyEntity:
    """A body a title implies that the gazetteer knows under another executive head for its state
    ("Minister for Home Affairs" of Australia runs the Department of Home Affairs)."""
    portfolio = _portfolio(derived.name)
    ident = _portfolios().get((derived.country or "", portfolio or ""))
    if ident is None:
        return derived
    entry = lexicon.load().bodies[ident]
    target = next((a for a in agencies if a is not derived and a.entry == ident), None)
    if target is None:
        derived.aliases.append(derived.name)
        derived.name, derived.entry = entry.name, ident
        return derived
    for alias in [derived.name, *derived.aliases]:
        if alias != target.name and alias not in target.aliases:
            target.aliases.append(alias)
    target.mentions.extend(derived.mentions)
    agencies.remove(derived)
    return target


def _add_body(
    agencies: list[AgencyEntity], index: dict[tuple, AgencyEntity], span: Span, lex: lexicon.Lexicon
) -> None:
    """Add a mention to the agency of its gazetteer row or name and state (``index`` finds it)."""
    name, country = span.data["name"], span.data.get("country")
    entry = span.data.get("entry")
    group = (index.get(("entry", entry, country)) if entry else None) or index.get(
        ("name", name_key(name), country)
    )
    if group is None:
        group = AgencyEntity(
            name,
            country,
            entry=entry,
            international=bool(span.data.get("international")),
            eu=lex.is_eu_body(entry),
        )
        agencies.append(group)
        index[("name", name_key(name), country)] = group
        if entry:
            index[("entry", entry, country)] = group
    group.mentions.append(span)
    for surface in (span.data.get("surface", ""), span.data.get("alias", ""), *span.data.get("acronyms", ())):
        surface = re.sub(r"\s+", " ", surface).strip(" ,.")
        if surface and surface != group.name and surface not in group.aliases:
            group.aliases.append(surface)
