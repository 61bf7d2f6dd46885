"""People named in a release, found next to what introduces them.

A person's name is a run of name words (:func:`~graph.extract.titles.is_name_word`, with initials
and particles such as "de la", "bin", "Al") that a title phrase precedes ("Minister of Public
Security Rolando Mirones", "la ministra Raful") or follows as an appositive ("Edi Rama, Prime
Minister of Albania"), that an honorific opens ("Dr. Raymond Omollo", "H.E. Omar Daair"), that a
verb of speech introduces ("said Olivier Mugwiza"), or that labels a speaker in a transcript
("SECRETARY RUBIO:"). Adds ``person`` spans whose data holds the ``name``, the ``title`` span and
the ``surface`` (title and name as written).

Examples
--------
>>> from graph.extract.pipeline import read
>>> doc = read("Acting Secretary Chad F. Wolf and Edi Rama, Prime Minister of Albania, met. Wolf said so.")
>>> [(s.data["name"], s.data.get("title_text"), s.data["how"]) for s in doc.spans("person")]
... # doctest: +NORMALIZE_WHITESPACE
[('Chad F. Wolf', 'Acting Secretary', 'title'),
 ('Edi Rama', 'Prime Minister of Albania', 'appositive'),
 ('Wolf', None, 'surname')]
"""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache
from itertools import pairwise

from graph.extract import lexicon
from graph.extract.casefold import finditer, lowered_text
from graph.extract.doc import Doc, Span, whole_words
from graph.extract.matcher import Hit, fold
from graph.extract.patterns import compile_rule
from graph.extract.titles import is_name_word, name_like, outside_names

__all__ = ["find_people"]

_NONE = type("_NoWord", (), {"kind": None})()


def _particles() -> frozenset[str]:
    """Particles inside people's names ("de la", "bin", "van"), from ``rules/words.tsv``."""
    return lexicon.word_set("particle")


@lru_cache(maxsize=1)
def _speech() -> re.Pattern[str]:
    """Verbs that introduce a speaker ("said", "señaló")."""
    return compile_rule(rf"\b(?:{lexicon.word_pattern('speech')})\b", re.IGNORECASE)


@lru_cache(maxsize=1)
def _own_state() -> re.Pattern[str]:
    """ "el comandante de la Policía Nacional de nuestro país, Luis Arias": the release's own state."""
    words = lexicon.word_pattern("own-state")
    return re.compile(rf"\s+(?:de|del|of)\s+(?:{words})\s+\w+\s*,\s*", re.IGNORECASE)


def _name_run(doc: Doc, i: int, direction: int = 1) -> tuple[int, int] | None:
    """The run of name tokens starting at token ``i`` (going right), as ``(first, last)``."""
    tokens = doc.tokens
    if (
        0 <= i < len(tokens)
        and tokens[i].norm in _particles()
        and tokens[i].text.islower()
        and _particle_joins(doc, i)
    ):
        k = i  # a surname that opens with a particle ("von der Leyen"), not a complement ("del Interior")
        while tokens[k].norm in _particles():
            k += 1
        if k < len(tokens) and tokens[k].norm in lexicon.load().complement_words:
            return None
        run = _name_run(doc, k)
        return (i, run[1]) if run else None
    if i < 0 or i >= len(tokens) or not _name_token(doc, i):
        return None
    first = last = i
    j = i + 1
    while j < len(tokens):
        tok = tokens[j]
        gap = doc.text[tokens[j - 1].end : tok.start]
        if "\n" in gap or len(gap) > 1:
            break
        if (_name_token(doc, j) or _fathers_name(doc, j)) and gap == " ":
            last = j
        elif gap == " " and last == j - 1 and j - first >= 1 and _title_surname(doc, j):
            last = j  # "Eduardo Enrique Reina": a title word as the last of three names
        elif tok.text == "." and len(tokens[j - 1].text) == 1 and tokens[j - 1].text.isupper() and gap == "":
            last = j  # an initial's period
        elif (
            tok.text in {"-", "'", "’"}
            and gap == ""
            and j + 1 < len(tokens)
            and tokens[j + 1].start == tok.end
            and (
                _name_token(doc, j + 1)
                # "Ng'oma", "Sang-ho": a lower-case syllable after an apostrophe (not "'s", "'ll")
                # or a hyphen
                or (
                    tokens[j + 1].text.isalpha()
                    and tokens[j + 1].text.islower()
                    and len(tokens[j + 1].text) >= (2 if tok.text == "-" else 3)
                    and (j + 2 >= len(tokens) or tokens[j + 2].start > tokens[j + 1].end)
                )
            )
        ):
            last = j + 1
            j += 2
            continue
        elif tok.norm in _particles() and gap == " " and _particle_joins(doc, j):
            pass
        else:
            break
        j += 1
    return first, last


def _plural_head(title: Span) -> bool:
    """A title whose head is plural ("Police Chiefs", "ministros")."""
    head = title.data["head"]
    return head.lower().endswith("s") and head.lower() != title.data["head_word"].surface.lower()


def _title_surname(doc: Doc, j: int) -> bool:
    """A capitalised title word ending a name after two name words ("Eduardo Enrique Reina",
    "María José Obispo"): no complement ("de", "of") and no other capitalised word follows."""
    tok = doc.tokens[j]
    if not tok.text[:1].isupper() or tok.text.isupper():
        return False
    word = lexicon.load().title(tok.norm, doc.language)
    if word is None or word.kind != "head" or " " in word.surface:
        return False
    nxt = doc.tokens[j + 1] if j + 1 < len(doc.tokens) else None
    return nxt is None or not (nxt.norm in lexicon.word_set("title-opener") or nxt.text[:1].isupper())


def name_run_at(doc: Doc, i: int) -> bool:
    """A name of two words or more starts at token ``i``."""
    run = _name_run(doc, i)
    return run is not None and run[1] > run[0]


def _particle_joins(doc: Doc, j: int) -> bool:
    k = j
    while k < len(doc.tokens) and doc.tokens[k].norm in _particles():
        k += 1
    return (
        k < len(doc.tokens)
        and (_name_token(doc, k) or _fathers_name(doc, k))
        and doc.tokens[k].text[:1].isupper()
    )


def _fathers_name(doc: Doc, k: int) -> bool:
    """A capitalised word after a patronymic particle is a father's name, even one that is also a
    title ("Khalid bin Sultan Al Qasimi")."""
    tok = doc.tokens[k]
    return (
        k > 0
        and doc.tokens[k - 1].norm in lexicon.word_set("patronymic")
        and tok.text[:1].isupper()
        and not tok.text.isupper()
        and tok.text.isalpha()
    )


def _name_token(doc: Doc, i: int) -> bool:
    tok = doc.tokens[i]
    if len(tok.text) == 1 and tok.text.isupper():  # an initial, not the "U" of "U.S."
        return (
            i + 1 < len(doc.tokens)
            and doc.tokens[i + 1].text == "."
            and not (doc.at("country", tok.start) or doc.at("body", tok.start))
        )
    kind = _name_kind(tok.text, tok.norm, doc.language)
    if kind is False or not outside_names(doc, tok.start):
        return False
    if kind == "calendar":
        nxt = doc.tokens[i + 1].text if i + 1 < len(doc.tokens) else ""
        prev = doc.tokens[i - 1].text if i > 0 else ""
        if nxt.isdigit() or prev.isdigit():
            return False
        if tok.norm in lexicon.word_set("relative-day"):
            # "Today, the minister ..." is no name; "Serena Hoy" after a given name is a surname
            gap = doc.text[doc.tokens[i - 1].end : tok.start] if i > 0 else ""
            return tok.start > doc.headline_end and gap == " " and is_name_word(doc, i - 1)
    return True


@lru_cache(maxsize=65536)
def _name_kind(text: str, norm: str, language: str) -> str | bool | None:
    """What :func:`_name_token` reads from a word (not an initial) alone: ``False`` when it cannot
    be part of a name, else its kind of name word (``None`` for most). Cached: the vocabulary is
    fixed."""
    if _ACRONYM_PLURAL.fullmatch(text):
        return False  # "FIUs", "NGOs": an acronym's plural
    if not name_like(text, norm, language):
        return False
    kind = lexicon.load().name_kinds.get(norm)
    if kind in {"event", "programme", "document", "grouping", "other", "place", "joint", "verb", "furniture"}:
        return False
    return kind


def _trim(doc: Doc, first: int, last: int) -> tuple[int, int]:
    tokens = doc.tokens
    while last > first and (tokens[last].norm in _particles() or tokens[last].text in {"-", "'", "’"}):
        last -= 1
    # a possessive ends the name ("Wolf's"): the "'" and "s" are not part of it
    if last + 2 < len(tokens) and tokens[last + 1].text in {"'", "’"} and tokens[last + 2].norm == "s":
        pass
    while last > first and tokens[last].norm in lexicon.word_set("name-suffix"):
        last -= 1
    return first, last


_WORD_START = re.compile(r"\w")
_ACRONYM_PLURAL = re.compile(r"[A-Z]{2,}s")


def _words(doc: Doc, first: int, last: int) -> list[str]:
    return [t.text for t in doc.tokens[first : last + 1] if _WORD_START.match(t.text)]


def _mention(doc: Doc, first: int, last: int, title: Span | None, how: str, surface_start: int | None = None):
    first, last = _trim(doc, first, last)
    words = [w for w in _words(doc, first, last) if w.lower() not in _particles()]
    if not words or len(words) > 6:
        return None
    start, end = doc.tokens[first].start, doc.tokens[last].end
    name = doc.text[start:end]
    if re.search(r"\s{2,}|\n", name):
        return None
    if len(words) == 1 and how not in {"title", "honorific", "speaker"}:
        return None
    shouted = all(w.isupper() and len(w) > 1 for w in words) and how != "speaker"
    if shouted and (
        len(words) == 1 or any(doc.at("body", doc.tokens[k].start) for k in range(first, last + 1))
    ):
        return None
    s0 = surface_start if surface_start is not None else start
    after = _state_after().match(doc.text, end, end + 24)
    state = None
    if after:  # "Dr. Amal Haddad of Jordan"
        place = doc.at("country", after.end())
        state = place.keys[0] if place is not None and place.start == after.end() else None
    return Span(
        start,
        end,
        "person",
        (),
        {
            "name": name,
            "title": title,
            "how": how,
            "surface": doc.text[s0:end] if s0 < start else name,
            "words": tuple(_words(doc, first, last)),
            **({"state": state} if state else {}),
        },
    )


@lru_cache(maxsize=1)
def _state_after() -> re.Pattern[str]:
    """ "Dr. Amal Haddad of Jordan", "Gilberto Teodoro Jr. of the Philippines": past a name's
    suffix, the preposition that gives its bearer's state."""
    suffix = lexicon.word_pattern("name-suffix")
    return re.compile(rf"(?:,?\s+(?:{suffix})\.?)?,?\s+(?:of|from|de)\s+(?:the\s+)?", re.IGNORECASE)


def _shared_states(doc: Doc, mentions: list[Span]) -> None:
    """Names joined by "and" that one state closes share it ("Foreign Minister Yoko Kamikawa
    and Defense Minister Minoru Kihara of Japan")."""
    ordered = sorted(mentions, key=lambda s: s.start)
    coordinators = lexicon.word_pattern("coordinator")
    for a, b in reversed(list(pairwise(ordered))):
        if a.data.get("state") or not b.data.get("state"):
            continue
        opening = b.end - len(b.data.get("surface") or b.data["name"])
        if re.fullmatch(rf"\s+(?:{coordinators})\s+", doc.text[a.end : max(a.end, opening)], re.IGNORECASE):
            a.data["state"] = b.data["state"]


def _after_title(doc: Doc, title: Span) -> Span | None:
    """A name right after a title, or after a comma that follows it, past a rank or an honorific
    ("..., Mayor General José León Riaño", "..., prefecto inspector Paulo Contreras")."""
    lex = lexicon.load()
    j = title.data["last"] + 1
    own = _own_state().match(doc.text, doc.tokens[j - 1].end) if j < len(doc.tokens) else None
    if own:
        j = doc.token_index(own.end()) - 1
    comma = j < len(doc.tokens) and doc.tokens[j].text == ","
    if comma:
        j += 1
        while j < len(doc.tokens) and (lex.title(doc.tokens[j].norm, doc.language) or _NONE).kind in {
            "head",
            "honorific",
        }:
            j += 1
            if j < len(doc.tokens) and doc.tokens[j].text == ".":
                j += 1
    while (
        not comma
        and j < len(doc.tokens)
        and (lex.title(doc.tokens[j].norm, doc.language) or _NONE).kind in {"honorific", "head", "modifier"}
        and doc.tokens[j].text[:1].isupper()
    ):
        j += 1  # "External Affairs Minister Dr. S. Jaishankar", "... Sheikh Khalid", "Minister General X"
        if j < len(doc.tokens) and doc.tokens[j].text == "." and doc.tokens[j - 1].end == doc.tokens[j].start:
            j += 1
    run = _name_run(doc, j)
    if run is None:
        return None
    first, last = run
    if not comma and doc.tokens[first].norm in lexicon.word_set("title-opener"):
        return None  # "directora del Sistema Nacional Integrado de Estadística": the complement goes on
    gap = doc.text[title.end : doc.tokens[first].start]
    if (
        not comma
        and re.fullmatch(r"(?:\s+[\w.]+)+\s", gap)
        and all(
            (lex.title(fold(w), doc.language) or _NONE).kind in {"honorific", "head", "modifier"}
            for w in gap.split()
        )
    ):
        gap = " "
    if "\n" in gap or not (
        gap in {" ", ", ", " , "} or (gap.startswith(", ") and len(gap) < 40) or _own_state().fullmatch(gap)
    ):
        return None
    if last == first and comma and doc.tokens[first].norm in lex.complement_words:
        return None  # "Minister of State, Interior and Local Assemblies, ...": the portfolio
    if last == first and _plural_head(title):
        return None  # "Police Chiefs Agree": a plural title names more than one word's person
    single_ok = not title.data["complement"] or title.data["head_word"].kind != "head"
    if last == first and title.data["complement"] and not comma:
        return None
    if last == first and not single_ok and not comma:
        return None
    # "Minister Wolf and ...": a lone surname is fine right after the head
    return _mention(doc, first, last, title, "title", title.start)


def _coordinated(doc: Doc, title: Span, mention: Span) -> list[Span]:
    """The other names of a plural title: "the ministers of Peru and Ecuador, Vicente Romero and
    Juan Zapata (respectively)". When the title names as many states as there are names, the
    states go to the names in order."""
    head = doc.text[title.data["head_start"] : title.data["head_end"]]
    if not head.lower().endswith(("s", "es")) or mention.data["how"] != "title":
        return []
    names = [mention]
    j = doc.token_index(mention.end)
    while j < len(doc.tokens):
        if doc.tokens[j].text == ",":
            j += 1
        if j < len(doc.tokens) and doc.tokens[j].norm in {"and", "y", "e"}:
            j += 1
        run = _name_run(doc, j)
        if run is None or run[1] == run[0] or doc.text[doc.tokens[j - 1].end : doc.tokens[j].start] != " ":
            break
        other = _mention(doc, run[0], run[1], title, "title")
        if other is None:
            break
        names.append(other)
        j = run[1] + 1
        if j >= len(doc.tokens) or (
            doc.tokens[j].text != "," and doc.tokens[j].norm not in {"and", "y", "e"}
        ):
            break
    states = [s.keys[0] for s in doc.within("country", title.start, title.end)]
    if len(states) == len(names) > 1:
        for person, state in zip(names, states, strict=True):
            person.data["state"] = state  # "respectively"
    if len(names) == 1:
        names += _elliptical(doc, title, mention)
    return names[1:]


_ELLIPSIS = re.compile(r"\s*,\s+(?:y|e|and)\s+(?P<link>de|del|of)\s+(?P<rest>[^,;.]{2,80}?)\s*,\s+")


def _elliptical(doc: Doc, title: Span, mention: Span) -> list[Span]:
    """The second half of a plural title whose head is left out: "los ministros de Seguridad de
    Costa Rica, Ana Soto, y de Panamá, Juan Pérez" or "... de Gobierno de Bolivia, X, y del
    Interior del Perú, Y". The second person holds the same office, of the state (and the
    portfolio) the second half names."""
    m = _ELLIPSIS.match(doc.text, mention.end)
    if m is None:
        return []
    places = doc.within("country", m.start("rest"), m.end("rest"))
    if not places or places[-1].end != m.end("rest"):
        return []
    run = _name_run(doc, doc.token_index(m.end()))
    if run is None:
        return []
    state = places[-1].keys[0]
    office = dict(title.data["offices"][0])
    own = doc.text[m.start("rest") : places[-1].start]
    portfolio = re.sub(r"\s*\b(?:de|del|of)\s+(?:la\s+|el\s+|the\s+)?$", "", own).strip()
    if portfolio:
        office.update(
            complement=portfolio, complement_span=(m.start("rest"), m.start("rest") + len(portfolio))
        )
    office.update(state=state, pre=None, opener=m.group("link") if portfolio else office["opener"])
    rest = doc.text[m.start("rest") : m.end("rest")]
    own_states = doc.within("country", title.start, title.end)
    if portfolio or not own_states:
        text = f"{title.data['head']} {m.group('link')} {rest}"
    else:  # the state alone changes: "ministros de Seguridad de Panamá"
        text = doc.text[title.start : own_states[-1].start] + rest
    if own_states and not mention.data.get("state"):
        mention.data["state"] = own_states[-1].keys[0]  # the first half's state is the first person's
    second = Span(
        m.start("rest"),
        m.end("rest"),
        "title",
        (),
        {**title.data, "complement": office["complement"], "state": state, "offices": [office], "text": text},
    )
    other = _mention(doc, run[0], run[1], second, "title")
    if other is None:
        return []
    other.data["state"] = state
    return [other]


def _before_title(doc: Doc, title: Span) -> Span | None:
    """An appositive: "Edi Rama, Prime Minister of Albania" or "Frank Abrego, ministro de ..."."""
    j = title.data["first"] - 1
    while j >= 0 and doc.tokens[j].norm in {"the", "a", "an", "el", "la", "its", "his", "her", "their"}:
        j -= 1
    if j < 1 or doc.tokens[j].text not in {",", "("}:
        return None
    last = j - 1
    first = last
    if doc.at("title", doc.tokens[last].start):
        return None
    while (
        first - 1 >= 0
        and not doc.at("title", doc.tokens[first - 1].start)
        and (
            _name_token(doc, first - 1)
            or doc.tokens[first - 1].norm in _particles()
            or (doc.tokens[first - 1].text == "." and first - 2 >= 0 and len(doc.tokens[first - 2].text) == 1)
        )
    ):
        first -= 1
        if doc.text[doc.tokens[first].end : doc.tokens[first + 1].start] not in {"", " "}:
            first += 1
            break
    while first <= last and not _name_token(doc, first):
        first += 1
    if first > last or (not _name_token(doc, last) and doc.tokens[last].text != "."):
        return None
    return _mention(doc, first, last, title, "appositive")


def _honorifics(doc: Doc, hits: list[Hit]) -> list[Span]:
    out = []
    for hit in hits:
        if hit.layer != "title" or not any(k.startswith("honorific:") for k in hit.keys):
            continue
        if not doc.tokens[hit.first].text[:1].isupper() and doc.language != "es":
            continue
        j = hit.last + 1
        if j < len(doc.tokens) and doc.tokens[j].text == "." and not doc.tokens[hit.last].text.endswith("."):
            j += 1
        run = _name_run(doc, j)
        if run:
            mention = _mention(doc, run[0], run[1], None, "honorific", doc.tokens[hit.first].start)
            if mention:
                out.append(mention)
    return out


def _speakers(doc: Doc) -> list[Span]:
    """Names introduced by a verb of speech: "said Olivier Mugwiza", "Diana Dalton said"."""
    out = []
    for m in finditer(_speech(), doc.text, lowered_text(doc)):
        j = doc.token_index(m.end())
        if j < len(doc.tokens) and doc.tokens[j].text == ",":
            j += 1
        run = _name_run(doc, j)
        if run and run[1] > run[0]:
            mention = _mention(doc, run[0], run[1], None, "speech")
            if mention:
                out.append(mention)
        k = doc.token_index(m.start()) - 1
        if k >= 0 and doc.tokens[k].text == ",":
            continue
        last = k
        first = k
        while first - 1 >= 0 and (_name_token(doc, first - 1) or doc.tokens[first - 1].norm in _particles()):
            first -= 1
        while first <= last and not _name_token(doc, first):
            first += 1
        if last - first >= 1 and _name_token(doc, last):
            mention = _mention(doc, first, last, None, "speech")
            if mention:
                out.append(mention)
    return out


_TRANSCRIPT = re.compile(
    r"(?:^|(?<=[.!?]\s))([A-ZÁÉÍÓÚÑ][A-ZÁÉÍÓÚÑ’'-]+(?: [A-ZÁÉÍÓÚÑ][A-ZÁÉÍÓÚÑ’'.-]+){0,4}):", re.M
)


#: What a match of ``_TRANSCRIPT`` ends with: one of the characters its last word may end with,
#: then the colon.
_LABEL_END = re.compile(r"[A-ZÁÉÍÓÚÑ’'.-]:")


def _transcript(doc: Doc) -> list[Span]:
    """Speaker labels of a transcript: "STEPHEN SMITH:", "SECRETARY RUBIO:" (the title word
    is not part of the name)."""
    lex = lexicon.load()
    out: list[Span] = []
    if not _LABEL_END.search(doc.text):
        return out  # no capital, period, apostrophe or hyphen before a colon: no speaker label
    for m in _TRANSCRIPT.finditer(doc.text):
        words = m.group(1).split()
        cut = 0
        while cut < len(words) and lex.title(fold(words[cut]).rstrip("."), doc.language):
            cut += 1
        rest = words[cut:]
        if not rest or (len(rest) < 2 and not cut):
            continue
        folded = [w.lower() for w in rest]
        if any(w in lex.complement_words or w in lex.name_kinds for w in folded):
            continue
        start = m.start(1) + len(" ".join(words[:cut])) + (1 if cut else 0)
        end = m.end(1)
        if doc.at("body", start) or doc.at("country", start) or doc.at("instrument", start):
            continue
        name = " ".join(w.capitalize() for w in rest)
        out.append(
            Span(
                start,
                end,
                "person",
                (),
                {
                    "name": name,
                    "title": None,
                    "how": "speaker",
                    "surface": m.group(1),
                    "words": tuple(rest),
                    "title_text": " ".join(w.capitalize() for w in words[:cut]) or None,
                },
            )
        )
    return out


def find_people(doc: Doc, hits: list[Hit]) -> None:
    """Add a ``person`` span for every person the document names with a title, an honorific,
    a verb of speech or a speaker label."""
    found: list[Span] = []
    for title in doc.spans("title"):
        mention = _after_title(doc, title) or _before_title(doc, title)
        if mention:
            found.append(mention)
            found.extend(_coordinated(doc, title, mention))
    found += _honorifics(doc, hits)
    found += _speakers(doc)
    found += _transcript(doc)
    taken = _Intervals()
    rank = {"title": 0, "honorific": 1, "appositive": 2, "speaker": 3, "speech": 4}
    kept: dict[tuple[int, int], Span] = {}
    ending: dict[int, Span] = {}  # the first kept span ending at each offset
    for span in sorted(found, key=lambda s: (rank.get(s.data["how"], 5), s.start)):
        if taken.overlaps(span.start, span.end):
            same = kept.get((span.start, span.end)) or ending.get(span.end)
            if same is not None and span.data.get("title") is not None and _better_title(same, span):
                same.data["title"] = span.data["title"]  # "Ms. Nadiya, Permanent Secretary of ..."
                same.data["title_text"] = _title_text(doc, span.data["title"])
            continue
        if doc.in_headline(span.start) and not _headline_ok(doc, span):
            continue
        if span.data.get("title") is not None:
            span.data["title_text"] = _title_text(doc, span.data["title"])
        taken.add(span.start, span.end)
        kept[(span.start, span.end)] = span
        if span.start < span.end:
            ending.setdefault(span.end, span)
        doc.add(span)
    _shared_states(doc, list(kept.values()))
    _short_forms(doc)


class _Intervals:
    """Disjoint intervals, sorted, answering "does ``[start, end)`` overlap one?" in log time."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect_left(self.starts, end) - 1  # the last interval starting before ``end``
        return any(self.ends[j] > start for j in range(max(0, i - 1), i + 1) if j >= 0)

    def add(self, start: int, end: int) -> None:
        i = bisect_left(self.starts, start)
        self.starts.insert(i, start)
        self.ends.insert(i, end)


def _title_text(doc: Doc, title: Span) -> str:
    return title.data.get("text") or doc.text[title.start : title.end]


def _better_title(kept: Span, other: Span) -> bool:
    """The title of ``other`` (an appositive, "..., Executive Director of IMPACS", or a title
    before a rank: "Interior Minister General ...") says more than that of ``kept`` (none, or a
    bare rank before the name: "Lt. Col. Michael Jones")."""
    title = kept.data.get("title")
    if title is None:
        return True
    if other.data.get("how") not in {"appositive", "title"} or _says_more(title):
        return False
    return _says_more(other.data["title"])


def _says_more(title: Span) -> bool:
    """A title with a complement or a domain before its head ("Interior Minister"), not a bare
    head or rank ("General")."""
    return bool(title.data.get("complement") or any(o.get("pre") for o in title.data.get("offices", ())))


def _headline_ok(doc: Doc, span: Span) -> bool:
    """A name in a headline (every word capitalised) counts if the body names it too, if a
    possessive ends it ("Wolf's Remarks"), or if it is a titled surname that a lower-case word
    or a punctuation mark follows ("Remarks by Secretary Mayorkas at the ...")."""
    name = span.data["name"]
    if doc.named_in_body(name):
        return True
    words = name.split()
    if span.data.get("how") == "title" and len(words) >= 2 and doc.named_in_body(words[-1]):
        return True  # "Foreign Minister Rubén Ramírez Lezcano" in a headline, "Ramírez Lezcano" below
    after = doc.text[span.end : span.end + 2]
    if re.match(r"[’']s?\b", after):
        return True
    return " " not in name and bool(re.match(r"\s+[a-z]|[,;:]", after))


def _short_forms(doc: Doc) -> None:
    """Later mentions of a person by surname alone ("Wolf said") or by a name the text gave
    whole elsewhere."""
    people = list(doc.spans("person"))
    surnames: dict[str, str] = {}
    for p in people:
        words = [w for w in p.data["words"] if w.lower() not in _particles()]
        if len(words) >= 2:
            surnames.setdefault(words[-1], p.data["name"])
            if len(words) >= 3:
                surnames.setdefault(" ".join(words[-2:]), p.data["name"])
    names = {p.data["name"] for p in people}
    for surname, full in surnames.items():
        for a, b in whole_words(doc.text, surname, not_before=".-", not_after="-"):
            if doc.at("person", a) or doc.at("body", a) or doc.at("country", a):
                continue
            doc.add(
                Span(
                    a,
                    b,
                    "person",
                    (),
                    {
                        "name": surname,
                        "title": None,
                        "how": "surname",
                        "surface": surname,
                        "words": (surname,),
                        "of": full,
                    },
                )
            )
    del names
