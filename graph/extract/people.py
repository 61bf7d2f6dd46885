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
from graph.extract.text import ABBREVIATIONS as _ABBREVIATIONS

__all__ = ["PersonMention", "find_people"]

_UP = "A-ZÁÉÍÓÚÑÜÖ"
_TOKEN = rf"(?:(?:[{_UP}]\.){{2,}}|[{_UP}][\w’'-]*\.?|[{_UP}]\.)"
_PARTICLE = r"(?:de la|de los|de|del|da|van der|van|von der|von|der|bin|al|le|la|y|Mc|St\.)"
_CONNECT = r"(?:of|for|the|and|to|de|del|la|y)"
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
_HONORIFIC = re.compile(
    r"^(?:The Honourable|The Honorable|Hon\.|Dr\.?|Dra\.?|Mr\.?|Mrs\.?|Ms\.?|Sr\.|Sra\.|Lic\.|Ing\.)\s+"
)


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
    if adjacent:
        return re.compile(rf"\b(?:{office})\s+$", re.IGNORECASE)
    # The title nearest to the name: a greedy lead-in skips earlier ones ("el jefe del SAT, X, y
    # el comisionado de CBP, Troy Miller").
    return re.compile(rf"(?:^|.*\W)((?:{office})\b[^.;:!?\n]{{0,75}})$", re.IGNORECASE | re.DOTALL)


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
    return [(m.start(), m.group(0)) for m in re.finditer(r"\S+", run)]


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
    covered = bytearray(len(text))  # 1 where a protected span lies: constant-time lookups
    for start, end in protected:
        start, end = max(start, 0), min(max(end, 0), len(text))
        covered[start:end] = b"\x01" * max(end - start, 0)
    for run_match in _RUN.finditer(text):
        mentions.extend(
            _people_in_run(text, run_match.start(), run_match.group(0), covered, language == "es")
        )
    mentions.extend(_transcript_speakers(text, mentions))
    return sorted(mentions, key=lambda m: m.start)


_LEAD_INS = {"Today", "Yesterday", "Later", "Earlier", "Then", "Also", "Meanwhile", "Hoy", "Ayer"}
_PARTICLES = {"de", "del", "la", "las", "los", "da", "van", "von", "der", "bin", "al", "le", "y"}


def _kind(token: str, absolute: int, protected) -> str:
    """Classify a token of a run: ``head`` (title word), ``title`` (other title-like) or ``name``."""
    bare = re.sub(r"[’']s?$", "", token.rstrip(".,").strip("()"))
    if protected and absolute >= 0 and any(protected[absolute : absolute + len(token)]):
        return "title"
    if _TITLE_HEADS.match(bare) or _HONORIFIC.match(token + " "):
        return "head"
    if bare.lower() in _PARTICLES:
        return "particle"
    if _NAME_END.match(bare):
        return "suffix"
    if (
        token.startswith("(")
        or _is_stop(token)
        or bare.lower() in _LINKS
        or (bare.isupper() and len(bare) >= 2)
        or _is_country_or_agency(bare)
    ):
        return "title"
    return "name"


def _segments(run: str, base: int, protected) -> list[tuple[int, int, int]]:
    """Split a run's tokens into name segments ``(first, last, title_from)`` (token indices).

    A segment is a maximal stretch of name-like tokens (particles allowed inside); a comma, a
    possessive or a sentence end closes it. ``title_from`` is where the title words before it
    begin: after the previous segment accepted as a name, or after a sentence end.
    """
    tokens = _tokens(run)
    kinds = [_kind(tok, base + off, protected) for off, tok in tokens]
    out = []
    k = 0
    title_from = 0
    while k < len(tokens):
        tok = tokens[k][1]
        if kinds[k] == "particle" and k > 0 and kinds[k - 1] == "head":
            j = k
            while j < len(tokens) and kinds[j] == "particle":
                j += 1
            if j < len(tokens) and kinds[j] == "name":
                kinds[k:j] = ["name"] * (j - k)
        if kinds[k] != "name":
            if _ends_sentence(tok):
                title_from = k + 1
            k += 1
            continue
        first = k
        while k < len(tokens):
            tok = tokens[k][1]
            closes = tok.endswith(",") or re.search(r"[’']s?$", tok) or _ends_sentence(tok)
            nxt = kinds[k + 1] if k + 1 < len(tokens) else None
            if closes or nxt not in ("name", "particle"):
                break
            if nxt == "particle":
                j = k + 1
                while j < len(tokens) and kinds[j] == "particle":
                    j += 1
                if j >= len(tokens) or kinds[j] != "name":
                    break
                k = j
                continue
            k += 1
        out.append((first, min(k, len(tokens) - 1), title_from))
        if _ends_sentence(tokens[min(k, len(tokens) - 1)][1]):
            title_from = k + 1
        k += 1
    return out


def _ends_sentence(token: str) -> bool:
    bare = token.rstrip(".")
    return (
        token.endswith(".")
        and len(bare) > 2
        and bare.lower() not in _ABBREVIATIONS
        and not _NAME_END.match(token)
    )


def _people_in_run(text: str, base: int, run: str, protected, spanish: bool) -> list[PersonMention]:
    tokens = _tokens(run)
    found: list[PersonMention] = []
    accepted_end = -1
    for first, last, title_from in _segments(run, base, protected):
        title_from = max(title_from, accepted_end + 1)
        while title_from < first and tokens[title_from][1].rstrip(",").lower() in {"and", "y"}:
            title_from += 1
        mention = _accept(text, base, run, tokens, first, last, title_from, spanish)
        if mention:
            found.append(mention)
            accepted_end = last
    return found


def _accept(text, base, run, tokens, first, last, title_from, spanish) -> PersonMention | None:
    """Decide whether the name segment ``tokens[first:last+1]`` is a person, and with what title."""
    ends_cleanly = re.search(r"[,’']s?$|[’']$", tokens[last][1]) or _ends_sentence(tokens[last][1])
    following = tokens[last + 1][1] if last + 1 < len(tokens) else None
    if (
        following
        and not ends_cleanly
        and _kind(following, -1, ()) == "title"
        and following.rstrip(",").lower() not in _LINKS
    ):
        return None  # "Minister for Countering Illegal Migration": the words belong to a title
    name_start = base + tokens[first][0]
    raw = run[tokens[first][0] : tokens[last][0] + len(tokens[last][1])].rstrip(",")
    name = _POSSESSIVE.sub("", raw) if raw.endswith(("’s", "'s", "’")) else raw
    if re.search(r"[a-zà-ÿ]{2}\.$", name):
        name = name[:-1]
    name = _SUFFIX.sub("", name).strip()
    words = name.split()
    if not words or len(words) > 5 or _is_country_or_agency(name):
        return None
    if any(len(w.rstrip(".")) > 1 and w.isupper() for w in words):
        return None
    # A title starts after any lead-in ("Today, ...", "On Monday, ...").
    while title_from < first and (tokens[title_from][1].endswith(",") or tokens[title_from][1] in _LEAD_INS):
        title_from += 1
    title_tokens = tokens[title_from:first]
    title_start = base + (title_tokens[0][0] if title_tokens else tokens[first][0])
    title_text = run[title_tokens[0][0] : tokens[first][0]].strip(" ,") if title_tokens else None
    has_title = any(
        _TITLE_HEADS.match(t.rstrip(".,")) and not _HONORIFIC.match(t + " ") for _, t in title_tokens
    )
    lead = text[max(0, name_start - 80) : name_start]
    before = text[max(0, title_start - 80) : title_start]
    after = text[name_start + len(raw) : name_start + len(raw) + 240]
    titled = first > 0 and _kind(tokens[first - 1][1], 0, ()) == "head"
    if len(words) == 1 and not titled and not (spanish and _es_title_before(True).search(lead)):
        return None
    es_title = spanish and _es_title_before().search(re.sub(r"\b(?:Dra?|Lic|Ing|Sra?)\.\s*", "", lead))
    appositive = _title_after(after)
    spoken = _SPEECH_BEFORE.search(before) or _SPEECH_AFTER.match(after)
    near = _near_title(before) if not title_tokens else None
    honored = any(_HONORIFIC.match(t + " ") for _, t in title_tokens)
    if not (
        has_title or es_title or titled or (len(words) >= 2 and (honored or appositive or spoken or near))
    ):
        return None
    if near:
        title_text = near
    if not title_text or _HONORIFIC.match(title_text + " "):
        title_text = appositive or title_text
    if es_title and (not title_text or not has_title):
        title_text = es_title.group(es_title.lastindex or 0).strip(" ,")
    return PersonMention(
        name,
        name_start,
        name_start + len(name),
        title_text,
        title_start,
        text[title_start : name_start + len(name)],
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
    """Speaker labels of a transcript: ``STEPHEN SMITH:`` or ``SECRETARY BLINKEN:`` (the title
    words before the name become the title) at the start of a line or after a sentence."""
    out = []
    for m in re.finditer(r"(?:^|(?<=[.!?]\s))([A-Z][A-Z’'-]+(?: [A-Z][A-Z’'.-]+){0,4}):", text, re.M):
        words = [w.capitalize() for w in m.group(1).split()]
        cut = 0
        while cut < len(words) and (_is_stop(words[cut]) or _TITLE_HEADS.match(words[cut])):
            cut += 1
        name_words = words[cut:]
        if not name_words or (len(name_words) < 2 and not cut) or any(_is_stop(w) for w in name_words):
            continue
        name = " ".join(name_words)
        gaz = gazetteer.load()
        if not cut and (
            gaz.agreement_types.find(name) or gaz.focus.find(name) or _is_country_or_agency(name)
        ):
            continue  # a heading such as "DECLARACIÓN CONJUNTA:", not a speaker
        start = m.start(1) + len(" ".join(m.group(1).split()[:cut])) + (1 if cut else 0)
        if any(f.start <= start < f.end for f in found):
            continue
        title = " ".join(words[:cut]) or None
        out.append(PersonMention(name, start, start + len(name), title, m.start(1), m.group(1)))
    return out
