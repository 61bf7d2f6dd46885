"""Government bodies named in a release: from the gazetteer, and by pattern for the rest.

Gazetteer rows give the canonical name, acronyms, Spanish names and country; where several
states have a body of that name ("Ministry of Foreign Affairs") the state is read from the
context ("Guatemalan Ministry of Government", "Ministry of Foreign Affairs of El Salvador").
Bodies not in the gazetteer are found by shape ("Ministry of ...", "... Directorate",
"Embassy in ...").

Examples
--------
>>> [(m.name, m.country) for m in find_agencies("The Guatemalan Ministry of Health met DHS.", [])]
[('Ministry of Health', 'GTM'), ('Department of Homeland Security', 'USA')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from graph.extract import gazetteer
from graph.extract.countries import CountryMention, country_context, find_countries, partner_ranking
from graph.extract.gazetteer import PhraseMatch

__all__ = ["AgencyMention", "canonical_agency_name", "find_agencies", "is_eu_body", "strip_country_suffix"]

_CAP = r"(?:[A-Z][\w’'.-]*|U\.S\.)"
_LINK = r"(?:,? and|,|of|for|on|the|to|at|de|del|la|las|los|y|e)"
_EN_HEAD = (
    r"Ministry|Secretariat|Department|Office|Bureau|Directorate|Agency|Commission|Council|Institute|"
    r"Service|Administration|Committee|Authority"
)
_TAIL = (
    r"Agency|Service|Services|Directorate|Authority|Committee|Commission|Police|Guard|Force|Command|"
    r"Center|Centre|Administration|Department|Office|Bureau|Institute|Ministry|Secretariat"
)
_ES_HEAD = r"Ministerio|Secretaría|Dirección|Oficina|Instituto|Servicio|Policía|Superintendencia|Procuraduría"
_PATTERNS = (
    # Ministry of Foreign Affairs, Foreign Trade, Culture, and Immigration
    re.compile(
        rf"\b(?:{_CAP}\s+){{0,3}}(?:{_EN_HEAD}) (?:of|for) (?:the )?{_CAP}(?:\s+(?:{_CAP}|{_LINK}))*?"
        rf"(?=\s*(?:[,.;:()\"”]|\s[a-z]|$)(?!\s*(?:{_CAP}|and)\b))"
    ),
    # National Cyber Directorate, Panama Canal Authority, Police Department, Border Force
    re.compile(rf"\b(?:{_CAP}\s+){{1,4}}(?:{_TAIL})\b"),
    # Ministerio de Gobernación, Secretaría de Seguridad Nacional
    re.compile(
        rf"\b(?:{_ES_HEAD}) (?:de|del) (?:la |los |las )?[A-ZÁÉÍÓÚ][\wáéíóúñ]+"
        rf"(?:\s+(?:y|de|del|la|[A-ZÁÉÍÓÚ][\wáéíóúñ]+))*"
    ),
)
_EMBASSY = re.compile(
    r"\b(?P<pre>(?:the\s+)?(?:U\.S\.|US|United States|American|British|Canadian|Mexican|[A-Z][a-z]+n)\s+)?"
    r"Embassy(?:\s+of\s+(?:the\s+)?(?P<of>(?:United States|[A-Z][a-z]+)(?:\s+[A-Z][a-z]+)*))?"
    r"\s+(?:in|to)\s+(?P<host>(?:the\s+)?[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+){0,3})"
)
_ES_EMBASSY = re.compile(
    r"\bEmbajada de (?:los )?(?P<of>Estados Unidos|[A-Z][\w]+)(?: en (?P<host>[A-ZÁÉÍÓÚ][\wáéíóú]+))?"
)
_PREFIX = re.compile(
    r"^(?:the\s+|The\s+)?(?:(?:U\.S\.|US|United States|[A-Z][\w]*?(?:’s|'s))\s+"
    r"|(?:[A-Z][a-z]+(?:an|ian|ese|ish|i|ean|ine)\s+))"
)
_GENERIC = {
    "department", "office", "agency", "service", "ministry", "secretariat", "police", "force", "bureau",
    "commission", "council", "committee", "administration", "authority", "centre", "center", "command",
}  # fmt: skip
_NOT_BODIES = re.compile(
    r"\b(?:Conference|Summit|Meeting|Ministerial|Dialogue|Program|Programme|Initiative|Partnership|Scheme|"
    r"Framework|Plan|Agreement|Arrangement|Memorandum|Declaration|Statement|Treaty|Protocol|Strategy|"
    r"Act|Law|Fund|Academy|Group|Teams?|Operations?|Steering|Airport|Headquarters|Facility|Week|Day|"
    r"Relations|Affairs Committee)\b"
)


_INTERNATIONAL = re.compile(
    r"\b(?:EU|European|International|United Nations|UN|Inter-American|Interpol|INTERPOL)\b"
)


_LARGER_NAME = re.compile(rf"\s+(?:{_TAIL})\b")


@dataclass(frozen=True)
class AgencyMention:
    """One mention of a body: ``key`` groups mentions of the same body."""

    key: str
    name: str
    country: str | None
    start: int
    end: int
    surface: str
    entry_id: str | None = None


def is_eu_body(entry_id: str | None) -> bool:
    """True for a body of the European Union (by gazetteer id or parent chain)."""
    agencies = gazetteer.load().agencies
    seen = set()
    while entry_id and entry_id not in seen:
        seen.add(entry_id)
        entry = agencies.get(entry_id)
        if entry is None:
            return False
        if entry.id.startswith("eu-") or entry.id in {"int-eu", "eu"} or "European Union" in entry.name:
            return True
        entry_id = entry.parent
    return False


def canonical_agency_name(surface: str) -> str:
    """Drop a leading country prefix and article: "U.S. Department of State" -> "Department of State"."""
    name = re.sub(r"\s+", " ", surface).strip(" ,.;:")
    name = re.sub(r"^(?:the|The)\s+", "", name)
    stripped = _PREFIX.sub("", name, count=1)
    if stripped != name and stripped.split(" ")[0].lower() not in {"of", "and", "for"} and " " in stripped:
        name = stripped
    name = re.sub(r"\s+(?:of|de)\s+(?:the\s+)?(?:United States(?: of America)?|Estados Unidos)$", "", name)
    return name


def _pick_entry(ids: tuple[str, ...], context: str | None, prominent: list[str], named: set[str]) -> str:
    """Which of several bodies sharing a name is meant: the one named unambiguously elsewhere in
    the text ("SAT" after "Servicio de Administración Tributaria"), else the one of the state
    named around it, else of the state the text names most."""
    agencies = gazetteer.load().agencies
    if len(ids) == 1:
        return ids[0]
    by_country = {agencies[i].country: i for i in ids}
    if context in by_country:
        return by_country[context]
    already = [i for i in ids if i in named]
    if len(already) == 1:
        return already[0]
    for code in prominent:
        if code in by_country:
            return by_country[code]
    return ids[0]


def strip_country_suffix(name: str) -> tuple[str, str | None]:
    """Split "Ministry of Foreign Affairs of El Salvador" into the name and the state's code."""
    for match in reversed(list(re.finditer(r"\s+(?:of|de|del)\s+(?:the\s+|la\s+)?(?=[A-Z])", name))):
        tail = name[match.end() :]
        found = find_countries(tail, "es") or find_countries(tail)
        if found and found[0].start == 0 and found[-1].end == len(tail.rstrip(". ")):
            return name[: match.start()], found[0].code
    return name, None


def find_agencies(text: str, countries: list[CountryMention]) -> list[AgencyMention]:
    """Find every government body named in ``text`` (gazetteer first, then patterns)."""
    gaz = gazetteer.load()
    prominent = partner_ranking(countries)
    mentions: list[AgencyMention] = []
    taken = bytearray(len(text))  # 1 where a body was already found

    matches = [m for m in gaz.agency_index.find(text) if not _LARGER_NAME.match(text, m.end)]
    sure = {k for m in matches for k in m.keys if not k.startswith("~")}
    single = {m.keys[0] for m in matches if len(m.keys) == 1}
    for match in matches:
        keys = tuple(k for k in match.keys if not k.startswith("~")) or tuple(
            k[1:] for k in match.keys if k[1:] in sure
        )
        if not keys:
            continue  # an ambiguous form ("Public Safety") of a body the text does not otherwise name
        match = PhraseMatch(match.start, match.end, match.text, keys)
        context = country_context(text, match.start, match.end)
        ident = _pick_entry(match.keys, context, prominent, single)
        entry = gaz.agencies[ident]
        start, end = match.start, match.end
        prefix = re.search(
            r"((?:U\.S\.|United States|[A-Z][\w]+(?:’s|'s)|[A-Z][a-z]+(?:an|ian|i|ese))\s+)$",
            text[max(0, start - 25) : start],
        )
        surface = text[start:end]
        if prefix and find_countries(prefix.group(1)):
            surface = prefix.group(1) + surface
            start -= len(prefix.group(1))
        mentions.append(AgencyMention(f"id:{ident}", entry.name, entry.country, start, end, surface, ident))
        taken[start:end] = b"\x01" * (end - start)

    for mention in _pattern_agencies(text, prominent):
        if any(taken[mention.start : mention.end]):
            continue  # inside a body the gazetteer already named
        mentions.append(mention)
        taken[mention.start : mention.end] = b"\x01" * (mention.end - mention.start)
    return sorted(mentions, key=lambda m: m.start)


def _pattern_agencies(text: str, prominent: list[str]) -> list[AgencyMention]:
    found: list[AgencyMention] = []
    for pattern in _PATTERNS:
        for match in pattern.finditer(text):
            surface = match.group(0).strip(" ,")
            surface = re.sub(r"(?:,? and| and the|,)$", "", surface).strip()
            if _NOT_BODIES.search(surface) or len(surface.split()) < 2:
                continue
            if re.search(r"(?:\band|[’']s)\s+$", text[max(0, match.start() - 6) : match.start()]):
                continue  # the tail of a longer name we cannot read whole
            if re.fullmatch(r"(?:the\s+)?[A-Z][\w’'-]+\s+(?:Administration|Government)", surface, re.I):
                continue  # "the Trump Administration" is a government, not a body
            name, country = strip_country_suffix(canonical_agency_name(surface))
            prefix = surface[: max(0, surface.find(name))]
            named_in_prefix = find_countries(prefix) if prefix.strip() else []
            country = country or (named_in_prefix[-1].code if named_in_prefix else None)
            words = name.split()
            if not words or words[-1].lower() in {"of", "and", "the", "for", "de", "y"}:
                continue
            if all(w.lower() in _GENERIC or w.lower() in {"of", "the", "and", "eu", "un"} for w in words):
                continue
            if find_countries(name) and len(words) <= 2:
                continue
            start = match.start()
            if _INTERNATIONAL.search(surface):
                country = None
            else:
                country = (
                    country
                    or country_context(text, start, match.end())
                    or (prominent[0] if prominent else None)
                )
            key = f"name:{country}:{name.lower()}"
            found.append(AgencyMention(key, name, country, start, start + len(surface), surface))
    for match in list(_EMBASSY.finditer(text)) + list(_ES_EMBASSY.finditer(text)):
        sender_text = (match.groupdict().get("pre") or "") + (match.group("of") or "")
        sender = find_countries(sender_text)
        host_text = match.groupdict().get("host") or ""
        if not sender:
            continue
        code = sender[0].code
        host_name = re.sub(r"^the\s+", "", host_text.strip())
        host = find_countries(host_name, "es") or find_countries(host_name)
        if host:  # the host state's English name: "Embajada ... en Panamá" -> "Embassy in Panama"
            host_name = gazetteer.load().country_names.get(host[0].code, host_name)
        elif not host_name:  # "the Embassy of Chile": in the state the release is about
            others = [c for c in prominent if c != code]
            host_name = gazetteer.load().country_names.get(others[0], "") if others else ""
        name = f"Embassy in {host_name}" if host_name else "Embassy"
        found.append(
            AgencyMention(
                f"name:{code}:{name.lower()}", name, code, match.start(), match.end(), match.group(0)
            )
        )
    return found
