"""People named in a release, with their titles, and short forms resolved to full names.

A run of capitalised words is split into a title part (words that the rule files call titles,
bodies or subjects: "Acting Secretary of Homeland Security") and a name part ("Chad F. Wolf").
A run counts as a person when a title precedes the name, or when the run is introduced as a
speaker ("said ...", "..., Minister of ...", "NAME:" in a transcript). A surname alone ("Wolf")
is an alias of the full name it ends.

Examples
--------
>>> [(p.name, p.title) for p in find_people("Acting Secretary of Homeland Security Chad F. Wolf spoke.")]
[('Chad F. Wolf', 'Acting Secretary of Homeland Security')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from graph.extract import gazetteer

__all__ = ["PersonMention", "find_people"]

_UP = "A-ZÁÉÍÓÚÑÜÖ"
_TOKEN = rf"(?:[{_UP}][\w’'-]*\.?|[{_UP}]\.)"
_PARTICLE = r"(?:de la|de los|de|del|da|van der|van|von der|von|der|bin|al|le|la|y|Mc|St\.)"
_CONNECT = r"(?:of|for|the|and|on|de|del|la|y)"
_RUN = re.compile(
    rf"{_TOKEN}(?:(?:,? |-)(?:{_TOKEN}|\([A-Z][A-Za-z]{{1,7}}\)"
    rf"|{_PARTICLE}(?= [{_UP}])|{_CONNECT}(?= (?:the )?[{_UP}])))*"
)
_LINKS = {"of", "for", "the", "and", "on", "to", "in"}
_NAME_END = re.compile(r"^(?:MP|QC|KC|PhD|Jr\.?|Sr\.?|III|II|IV)$")
_POSSESSIVE = re.compile(r"[’']s?$")
_SUFFIX = re.compile(r",?\s+(?:Jr\.?|Sr\.?|III|II|IV)(?=$|[\s,.])")
_SPEECH_BEFORE = re.compile(
    r"(?:\bsaid|\bsays|\bstated|\badded|\bnoted|\bexplained|\bdijo|\bafirmó|\bseñaló|\bindicó)\s*,?\s*$"
)
_SPEECH_AFTER = re.compile(r"^\s*(?:said|says|stated|added|noted|explained|dijo|afirmó|señaló|indicó|:)")
_HONORIFIC = re.compile(r"^(?:The Honourable|The Honorable|Hon\.|Dr\.?|Mr\.?|Mrs\.?|Ms\.?|Sr\.|Sra\.)\s+")


@dataclass(frozen=True)
class PersonMention:
    """A person mention: ``name`` as written (title removed), ``title`` the office before it."""

    name: str
    start: int
    end: int
    title: str | None
    title_start: int
    surface: str


@lru_cache(maxsize=1)
def _title_words() -> re.Pattern[str]:
    gaz = gazetteer.load()
    office = "|".join(gaz.person_titles.get("en:office", ()))
    return re.compile(rf"^(?:{office})$")


@lru_cache(maxsize=2)
def _es_title_before(adjacent: bool = False) -> re.Pattern[str]:
    """A Spanish title before a name: "el secretario de Estado", "presidente" (lower case)."""
    gaz = gazetteer.load()
    office = "|".join(gaz.person_titles.get("es:office", ()))
    tail = r"\s+$" if adjacent else r"\b[^.;:!?\n]{0,75}$"
    return re.compile(rf"\b(?:{office}){tail}", re.IGNORECASE)


def _is_stop(token: str) -> bool:
    gaz = gazetteer.load()
    bare = token.rstrip(".,").strip("’'")
    return bare.lower() in gaz.name_stopwords or bool(_TITLE_HEADS.match(bare))


_TITLE_HEADS = re.compile(
    r"^(?:Acting|Deputy|Under|Assistant|Secretary|Minister|Ambassador|President|Director|Commissioner|Chief|"
    r"Administrator|General|Admiral|Governor|Senator|Representative|Chancellor|Commander|Counselor|Advisor|"
    r"Adviser|Spokesperson|Chair|Chairman|Premier|Prime|Vice|Executive|Attorney|Inspector|Hon|Honourable|"
    r"Honorable|Dr|Mr|Mrs|Ms|Sr|Sra|Minister-designate|Officer|Captain|Colonel|Lieutenant|Sergeant)$"
)


def _is_titleish(token: str) -> bool:
    bare = token.rstrip(".,").strip("()")
    return _is_stop(token) or bare.lower() in _LINKS or token.startswith("(") or _is_country_or_agency(bare)


def _tokens(run: str) -> list[tuple[int, str]]:
    return [(m.start(), m.group(0)) for m in re.finditer(r"[^\s,]+", run)]


def _is_country_or_agency(words: str) -> bool:
    gaz = gazetteer.load()
    countries = [m for m in gaz.countries.find(words) if m.text not in gaz.ambiguous_countries]
    return bool(countries or gaz.agency_index.find(words) or gaz.regions.find(words))


def find_people(
    text: str, protected: list[tuple[int, int]] = (), language: str = "en"
) -> list[PersonMention]:
    """Return person mentions in ``text`` (full names and short forms), in order.

    ``protected`` spans (bodies and countries already found) are never part of a name.
    """
    mentions: list[PersonMention] = []
    for run_match in _RUN.finditer(text):
        run = run_match.group(0)
        base = run_match.start()
        for part_offset, part in _split_run(run):
            mention = _person_in(text, base + part_offset, part, protected, language == "es")
            if mention:
                mentions.append(mention)
    mentions.extend(_transcript_speakers(text, mentions))
    return sorted(mentions, key=lambda m: m.start)


def _split_run(run: str) -> list[tuple[int, str]]:
    """Split a run at commas and "and" that separate list items ("A, B and C").

    A part made only of title words ("Minister of Justice") is kept with the next part, so a
    body's name with "and" in it stays whole.
    """
    parts = []
    cursor = 0
    pending = None
    for m in re.finditer(r",?\s+and\s+|,\s+", run):
        piece_start = pending if pending is not None else cursor
        piece = run[cursor : m.start()]
        if all(_is_titleish(t) for _, t in _tokens(piece)) and "," not in m.group(0):
            pending = piece_start
        else:
            parts.append((piece_start, run[piece_start : m.start()]))
            pending = None
        cursor = m.end()
    start = pending if pending is not None else cursor
    parts.append((start, run[start:]))
    return parts


def _person_in(text: str, start: int, run: str, protected=(), spanish: bool = False) -> PersonMention | None:
    tokens = _tokens(run)
    if not tokens:
        return None
    last_protected = -1
    for k, (offset, tok) in enumerate(tokens):
        a, b = start + offset, start + offset + len(tok)
        if any(s < b and a < e for s, e in protected):
            last_protected = k
    # Title part: leading tokens that are stop words, titles, connectors or acronyms of bodies.
    # A sentence end or a possessive ends the name ("Wolf's Prepared Remarks").
    for k, (_, tok) in enumerate(tokens):
        bare = tok.rstrip(".")
        if k > 0 and re.search(r"[’']s?$", tok) and not _is_country_or_agency(re.sub(r"[’']s?$", "", tok)):
            tokens = tokens[: k + 1]
            break
        if (
            tok.endswith(".")
            and len(bare) > 2
            and not _NAME_END.match(tok)
            and k + 1 < len(tokens)
            and not _is_stop(tok)
        ):
            tokens = tokens[: k + 1]
            break
    while len(tokens) > 1 and _NAME_END.match(tokens[-1][1]):
        tokens = tokens[:-1]
    i = last_protected + 1
    for k in range(len(tokens) - 1, i - 1, -1):
        tok = tokens[k][1]
        bare = tok.rstrip(".,").strip("()")
        if (
            tok.startswith("(")
            or _is_stop(tok)
            or bare.lower() in _LINKS
            or (bare.isupper() and len(bare) >= 2)
            or _is_country_or_agency(bare)
        ):
            i = k + 1
            break
    name_tokens = tokens[i:]
    if not name_tokens:
        return None
    name_start = start + name_tokens[0][0]
    name = run[name_tokens[0][0] : name_tokens[-1][0] + len(name_tokens[-1][1])]
    if re.search(r"[a-zà-ÿ]{2}\.$", name):
        name = name[:-1]
    name = _POSSESSIVE.sub("", name) if name.endswith(("’s", "'s", "’")) else name
    name = _SUFFIX.sub("", name).strip()
    name = re.sub(r"\s+(?:MP|QC|KC|PhD)$", "", name)
    words = name.split()
    if (
        not words
        or any(_is_stop(w) for w in words)
        or any(w.lower() in {"of", "for", "the", "and"} for w in words)
    ):
        return None
    if (
        len(words) > 5
        or _is_country_or_agency(name)
        or any(len(w.rstrip(".")) > 1 and w.isupper() for w in words)
    ):
        return None
    if not all(re.match(rf"[{_UP}]|de\b|del\b|la\b|van\b|von\b|der\b|da\b|y\b|bin\b|al\b", w) for w in words):
        return None
    lead = text[max(0, start - 60) : name_start]
    titled = i > 0 and _TITLE_HEADS.match(tokens[i - 1][1].rstrip(".,"))
    if len(words) == 1 and not titled and not (spanish and _es_title_before(True).search(lead)):
        return None
    title_text = run[: name_tokens[0][0]].strip(" ,") or None
    has_title = bool(title_text and any(_TITLE_HEADS.match(t.rstrip(".,")) for _, t in tokens[:i]))
    before = text[max(0, start - 60) : start]
    after = text[start + len(run) : start + len(run) + 240]
    es_title = spanish and _es_title_before().search(lead)
    appositive = re.match(
        r",\s+(?:the\s+|la\s+|el\s+)?(?:[\w.]+\s+){0,3}(?:Acting |Deputy )?[A-Z]?[\w]*\s*", after
    ) and any(
        _TITLE_HEADS.match(w.strip(",."))
        or w.lower().strip(",.") in {"secretario", "secretaria", "ministro", "ministra"}
        for w in after[:60].split()[:5]
    )
    spoken = _SPEECH_BEFORE.search(before) or _SPEECH_AFTER.match(after)
    if has_title or es_title or (len(words) >= 2 and (appositive or spoken)):
        pass
    elif len(words) >= 2 and _near_title(before):
        title_text = _near_title(before)
    else:
        return None
    if not title_text or _HONORIFIC.match(title_text + " "):
        title_text = _title_after(after) or title_text
    if es_title and (not title_text or not has_title):
        title_text = es_title.group(0).strip(" ,")
    return PersonMention(
        name, name_start, name_start + len(name), title_text, start, text[start : name_start + len(name)]
    )


_HEADS = (
    r"Minister|Secretary|Ambassador|Director|Commissioner|President|Chief|Advisor|Adviser|Administrator|"
    r"Commander|Governor|Chair"
)
_TITLE_WORD = r"(?:[A-Z][\w.’'-]*|of|for|the|and|on)"


def _near_title(before: str) -> str | None:
    """A title right before the name, set off by a comma: "Public Safety Minister, Vic Toews"."""
    m = re.search(rf"((?:{_TITLE_WORD}\s+)*\b(?:{_HEADS})\b(?:\s+{_TITLE_WORD})*),\s*$", before)
    return m.group(1) if m and len(m.group(1)) < 90 else None


def _title_after(after: str) -> str | None:
    """An appositive title after the name: "Francis Fonseca, Minister of Foreign Affairs, ..."."""
    m = re.match(
        rf",\s+(?:the\s+)?((?:{_TITLE_WORD}\s+)*?(?:Acting\s+|Deputy\s+)?\b(?:{_HEADS})\b(?:[^;:.“”\"]|\.(?!\s)|(?<=\b[A-Z])\.)*)",
        after,
    )
    if not m:
        return None
    title = m.group(1)
    # Cut at a lower-case verb, then before the next person ("..., and Kristi Noem, Secretary").
    title = re.split(r",?\s+(?=(?!(?:of|for|the|and|on)\b)[a-z])", title)[0]
    for cut in re.finditer(r",\s+(?:and\s+)?(?=(\S+)\s+(\S+))", title):
        if all(w[:1].isupper() and not _is_titleish(w) for w in cut.groups()):
            title = title[: cut.start()]
            break
    title = re.sub(r"(?:,|\s+and)+\s*$", "", title)
    return title.strip(" ,") or None


def _transcript_speakers(text: str, found: list[PersonMention]) -> list[PersonMention]:
    """Speaker labels of a transcript: ``STEPHEN SMITH:`` at the start of a line."""
    out = []
    for m in re.finditer(r"(?m)^([A-Z][A-Z’'-]+(?: [A-Z][A-Z’'.-]+){1,3}):", text):
        label = m.group(1)
        name = " ".join(w.capitalize() for w in label.split())
        if any(_is_stop(w) for w in name.split()) or any(f.start == m.start(1) for f in found):
            continue
        out.append(PersonMention(name, m.start(1), m.end(1), None, m.start(1), label))
    return out
