"""Clauses and cues: which trigger governs an instrument, and which cues reach it.

A sentence is cut into clauses at semicolons, dashes and the conjunctions and relative pronouns
that open a new clause (", which", ", but", "while", ", y que"). A trigger ("signed", "entered
into force", "firmaron") governs an instrument named in its clause, before it ("signed a
Memorandum") or after it ("the Memorandum ... was signed"); a cue that the act is planned,
negotiated, denied or past ("will sign", "negotiations on", "signed in 2015") counts only in the
clause that holds the instrument and its trigger, so "they signed a letter today, building on the
2019 agreement" reports the letter and not the agreement.

Examples
--------
>>> from graph.extract.doc import Doc
>>> doc = Doc("They signed a memorandum today, which builds on the agreement they will sign later.")
>>> [doc.text[a:b] for a, b in clauses(doc, doc.sentences[0])]
['They signed a memorandum today', 'which builds on the agreement they will sign later.']
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

from graph.extract import lexicon
from graph.extract.casefold import finditer, lowered, lowered_at, search
from graph.extract.dates import parse_date
from graph.extract.doc import Doc, Sentence
from graph.extract.patterns import compile_rule

__all__ = [
    "Trigger",
    "blocked",
    "clause_of",
    "clauses",
    "cues",
    "governing_trigger",
    "has_cue",
    "is_background",
    "later_event",
    "sentence_has_cue",
]


@lru_cache(maxsize=4)
def _boundary(language: str) -> re.Pattern[str]:
    """Where a clause ends inside a sentence: a semicolon, a spaced dash, a comma before a word that
    opens a clause ("which", "following", "que"; not "as well as", "así como", which add to a
    list) or a participle (", setting out", ", destacando"),
    a conjunction ("but", "pero"), or ", and" / ", y" when a subject or a verb follows (not inside
    a list of names)."""

    def words(kind: str) -> str:
        return lexicon.word_pattern(kind, language)

    return re.compile(
        rf";|\s[–—-]\s|,\s+(?!(?:{words('additive')})\b)(?=(?:{words('clause-after-comma')})\b)|"
        rf"\s(?=(?:{words('clause-opener')})\b)|"
        rf",\s+(?=[a-záéíóúñ]+(?:{words('participle-ending')})\b)|"
        rf",\s+(?:{words('coordinator')})\s+(?=(?:{words('clause-subject')})\b|"
        rf"(?:[\w’'-]+\s+){{1,4}}(?:{words('clause-verb')})\b)"
    )


def _inside_name(text: str, m: re.Match[str]) -> bool:
    """A dash between two capitalised words of one name, not between two clauses."""
    if m.group(0).strip() not in {"–", "—", "-"}:
        return False
    before = re.search(r"([A-Z][\w’'.]*)$", text[: m.start()])
    after = re.match(r"[A-Z][\w’'.]*(?:\s+[A-Z][\w’'.]*)+", text[m.end() :])
    return bool(before and after)


@dataclass(frozen=True)
class Trigger:
    """A trigger word and what it reports (``event``)."""

    start: int
    end: int
    text: str
    event: str


@lru_cache(maxsize=1024)  # the language is the release's: a bounded number kept
def cues(kind: str, language: str) -> tuple[re.Pattern[str], ...]:
    """The cue patterns of one kind, in the release's language (and English for Spanish)."""
    table = lexicon.load().cues
    own = table.get(f"{kind}:{language}", ())
    return own + table.get(f"{kind}:en", ()) if language != "en" else own


def has_cue(text: str, language: str, *kinds: str) -> bool:
    """``text`` holds a cue of one of ``kinds`` (:func:`cues`), the text lower-cased once for
    all of them (:mod:`graph.extract.casefold`)."""
    return _any_cue(text, lowered(text), language, kinds)


def _any_cue(text: str, low: str | None, language: str, kinds: tuple[str, ...]) -> bool:
    """:func:`has_cue` of ``text``, given its lower case ``low`` (:func:`lowered`)."""
    return any(search(p, text, low) for kind in kinds for p in cues(kind, language))


def sentence_has_cue(doc: Doc, index: int, *kinds: str) -> bool:
    """:func:`has_cue` of sentence ``index``, lower-cased as a slice of the text
    (:func:`graph.extract.casefold.lowered_at`) and kept for the document."""
    return doc.of_text(("has-cue", index, kinds), _sentence_has_cue, doc, index, kinds)


def _sentence_has_cue(doc: Doc, index: int, kinds: tuple[str, ...]) -> bool:
    sentence = doc.sentences[index]
    return _any_cue(sentence.text, lowered_at(doc, sentence.start, sentence.end), doc.language, kinds)


@lru_cache(maxsize=1)
def _firm_events() -> dict[str, list[tuple[re.Pattern[str], str]]]:
    from graph.extract.lexicon import read_tsv

    out: dict[str, list[tuple[re.Pattern[str], str]]] = {}
    for row in read_tsv("rules/agreement-cues.tsv"):
        if row["kind"] == "firm":
            out.setdefault(row["language"], []).append((compile_rule(row["pattern"], re.I), row["event"]))
    return out


def triggers(doc: Doc, sentence: Sentence) -> list[Trigger]:
    """Every trigger in a sentence (the longest reading wins where two overlap)."""
    return list(doc.of_text(("triggers", sentence.start, sentence.text), _triggers, doc, sentence))


def _triggers(doc: Doc, sentence: Sentence) -> list[Trigger]:
    found: list[Trigger] = []
    patterns = _firm_events().get(doc.language, []) + (
        _firm_events().get("en", []) if doc.language != "en" else []
    )
    text = sentence.text
    low = lowered_at(doc, sentence.start, sentence.end)
    for pattern, event in patterns:
        for m in finditer(pattern, text, low):
            a, b = m.span()
            found.append(Trigger(sentence.start + a, sentence.start + b, text[a:b], event))
    found.sort(key=lambda t: (t.start, -(t.end - t.start)))
    out: list[Trigger] = []
    for t in found:
        if out and t.start < out[-1].end:
            continue
        out.append(t)
    return out


def clauses(doc: Doc, sentence: Sentence) -> list[tuple[int, int]]:
    """The clauses of a sentence as ``(start, end)`` document offsets."""
    return list(_kept_clauses(doc, sentence))


def _kept_clauses(doc: Doc, sentence: Sentence) -> list[tuple[int, int]]:
    """:func:`clauses` as kept for the document (not to be changed)."""
    key = ("clauses", sentence.start, sentence.end, sentence.text)
    return doc.of_text(key, _clauses, doc, sentence)


def _clauses(doc: Doc, sentence: Sentence) -> list[tuple[int, int]]:
    pattern = _boundary(doc.language if doc.language in {"en", "es"} else "en")
    cuts = [sentence.start]
    for m in pattern.finditer(sentence.text):
        if _inside_name(sentence.text, m):
            continue  # "Australia – Papua New Guinea Bilateral Security Agreement"
        cuts.append(sentence.start + m.end())
    cuts.append(sentence.end)
    out = []
    for a, b in pairwise(cuts):
        text = doc.text[a:b]
        lead = len(text) - len(text.lstrip(" ,;–—-"))
        trail = len(text.rstrip(" ,;–—-"))
        if trail > lead:
            out.append((a + lead, a + trail))
    return out


def clause_of(doc: Doc, sentence: Sentence, pos: int) -> tuple[int, int]:
    for a, b in _kept_clauses(doc, sentence):
        if a <= pos < b:
            return a, b
    return sentence.start, sentence.end


def governing_trigger(doc: Doc, sentence: Sentence, start: int, end: int) -> Trigger | None:
    """The trigger that governs the instrument at ``start:end``: in its clause, before it, or
    after it in its clause or the relative clause right after ("..., which was signed")."""
    own = clause_of(doc, sentence, start)
    parts = _kept_clauses(doc, sentence)
    index = next((i for i, c in enumerate(parts) if c == own), 0)
    following = parts[index + 1] if index + 1 < len(parts) else None
    best: tuple[int, Trigger] | None = None
    for t in triggers(doc, sentence):
        if own[0] <= t.start and t.end <= start and start - t.end <= 160:
            between = doc.text[t.end : start]
            low = lowered_at(doc, t.end, start)
            if any(search(p, between, low) for p in cues("interrupt", doc.language)):
                continue
            distance = (start - t.end) - 1000  # a trigger before the instrument governs it first
        elif t.start >= end and t.end <= own[1] and t.start - end <= 130:
            if _after_determiner(doc, t):
                continue  # "the memorandum would ... for the exchange of expertise": a noun
            distance = t.start - end
            if _passive().fullmatch(doc.text[end : t.start]):
                distance -= 2000  # "<instrument> have been concluded": its own verb
        elif (
            following
            and following[0] <= t.start < following[1]
            and _RELATIVE.match(doc.text, following[0], following[1])
            and (t.start - end <= 90 or _resumed().search(doc.text[following[0] : t.start]))
        ):
            # "..., which was signed", or the main verb after a relative clause ("The memorandum,
            # which covers ..., was signed today")
            distance = t.start - end + 40
        else:
            continue
        if best is None or distance < best[0]:
            best = (distance, t)
    return best[1] if best else None


_LATER = frozenset({"in-force", "renewed", "extended", "amended"})
_RELATIVE = re.compile(r"(?:which|that|que|el cual|la cual)\b")


def later_event(doc: Doc, sentence: Sentence, end: int, trigger: Trigger | None) -> Trigger | None:
    """A later act that the same sentence reports after the instrument's signing, as this release's
    event: "have signed the agreement and all three agreements have entered into force", "the
    agreement signed last July will enter into force today". Not one that a subordinate clause
    makes a condition ("once it enters into force") or a cue makes planned."""
    if trigger is None or trigger.event not in ("signed", "announced"):
        return None
    after = max(end, trigger.end)
    for t in triggers(doc, sentence):
        if t.start < after or t.event not in _LATER or _after_determiner(doc, t):
            continue
        lo, _ = clause_of(doc, sentence, t.start)
        opener = doc.text[lo : t.start]
        low = lowered_at(doc, lo, t.start)
        if any(search(p, opener, low) for p in cues("condition", doc.language)):
            continue
        if blocked(doc, sentence, t.start, t.end, t):
            continue
        return t
    return None


_YEAR = re.compile(r"(?:19|20)\d\d")


@lru_cache(maxsize=1)
def _resumed() -> re.Pattern[str]:
    """ "The agreement, ... , was signed": an auxiliary that resumes the subject after a comma."""
    return re.compile(rf",\s*(?:{lexicon.word_pattern('resumed')})\s+(?:\w+\s+)?$")


@lru_cache(maxsize=1)
def _passive() -> re.Pattern[str]:
    """Auxiliaries and adverbs between an instrument and its verb ("was formally signed")."""
    return re.compile(
        rf"\s*(?:\([^)]{{1,12}}\)\s*)?(?:(?:{lexicon.word_pattern('passive')})\s+)+", re.IGNORECASE
    )


def blocked(doc: Doc, sentence: Sentence, start: int, end: int, trigger: Trigger | None) -> bool:
    """A cue in the clause of the instrument (and of its trigger) says it is planned, negotiated,
    denied or an earlier one. "Will sign ... today" is a signing; a year is past only before the
    release's year."""
    lo, hi = clause_of(doc, sentence, start)
    reach = end
    if trigger is not None:
        t_lo, t_hi = clause_of(doc, sentence, trigger.start)
        lo, hi = min(lo, t_lo), max(hi, t_hi)
        reach = max(end, trigger.end)
    # The verb phrase: from the clause's start to the instrument and its trigger, not what the
    # instrument says ("a plan to establish ..."); past cues anywhere in the clause. A nominal
    # trigger before the instrument is a subject whose predicate follows ("La firma del acuerdo
    # está prevista para ...", "The signing of the MoU is expected ..."): the whole clause.
    if trigger is not None and trigger.end <= start and _nominal(doc, trigger):
        reach = hi
    phrase = doc.text[lo : min(hi, reach + 1)]
    clause = doc.text[lo:hi]
    low_clause = lowered_at(doc, lo, hi)
    today = any(search(p, clause, low_clause) for p in cues("today", doc.language))
    year = int(doc.date[:4]) if doc.date else None
    near = doc.text[max(lo, start - 30) : start]
    low_near = lowered_at(doc, max(lo, start - 30), start)
    if trigger is not None:
        near_trigger = (max(lo, trigger.start - 20), min(hi, trigger.end + 20))
        near += " | " + doc.text[near_trigger[0] : near_trigger[1]]
        low_trigger = lowered_at(doc, *near_trigger)
        # "|" and spaces lower to themselves: the whole lowers when both parts do
        low_near = (
            low_near + " | " + low_trigger if low_near is not None and low_trigger is not None else None
        )
    low_phrase = lowered_at(doc, lo, min(hi, reach + 1))
    checks = [(p, phrase, low_phrase) for p in cues("block", doc.language)]
    checks += [(p, clause, low_clause) for p in cues("past", doc.language)]
    checks += [(p, near, low_near) for p in cues("near", doc.language)]
    for pattern, window, low in checks:
        for m in finditer(pattern, window, low):
            word = window[m.start() : m.end()].lower()
            if today and _future().match(word):
                continue
            found = _YEAR.search(word)
            if found and year is not None and int(found.group(0)) >= year:
                continue
            return True
    return doc.of_text(("long-before", clause), _long_before, doc, clause)


def _determiners() -> frozenset[str]:
    return lexicon.word_set("determiner") | lexicon.word_set("article")


_WORDS = re.compile(r"\w+")


def _after_determiner(doc: Doc, trigger: Trigger) -> bool:
    """The trigger word follows an article or determiner: a noun ("the exchange of ...")."""
    before = _WORDS.findall(doc.text[max(0, trigger.start - 12) : trigger.start].lower())
    return bool(before) and before[-1] in _determiners()


def _nominal(doc: Doc, trigger: Trigger) -> bool:
    """A trigger that is a noun after a determiner ("the signing", "la firma"), not a verb
    ("signing a memorandum")."""
    words = _WORDS.findall(trigger.text.lower())
    if not words or words[-1] not in lexicon.word_set("nominal-trigger"):
        return False
    if words[0] in _determiners():  # the trigger's own article: "La firma"
        return len(words) > 1
    return _after_determiner(doc, trigger)


@lru_cache(maxsize=1)
def _future() -> re.Pattern[str]:
    """A future or infinitive form that "today" makes a signing now ("will sign ... today")."""
    return re.compile(rf"(?:{lexicon.word_pattern('future-auxiliary')})\b")


def _long_before(doc: Doc, clause: str) -> bool:
    """The clause dates the act more than a year before the release: an earlier instrument."""
    if not doc.date:
        return False
    when = parse_date(clause, doc.date)
    if when is None:
        return False
    return (dt.date.fromisoformat(doc.date) - dt.date.fromisoformat(when)).days > 366


#: The names and years right before an instrument ("under the 2019 Bilateral ..."). A capitalised
#: word is taken whole, as by an atomic group (the lookahead and back-reference): split into
#: pieces, a run of capitals could be cut in exponentially many ways before the match fails.
_TRAILING_NAMES = re.compile(r"(?:\b(?:19|20)\d\d\b|(?=([A-Z][\w’'.-]*))\1|\s)+$")


_CAPITAL = re.compile(r"[A-Z]")


def _names_trail(text: str) -> bool:
    """``_TRAILING_NAMES`` may change ``text``: before its trailing spaces, it ends with a digit
    (of a year) or a word with a capital letter (the last of a name). Else the pattern matches
    the trailing spaces alone, if any, which stay as they are. Most texts before an instrument
    end with an article ("under the "): this tells so without trying the pattern at every
    position."""
    core = text.rstrip()
    if not core:
        return False
    return core[-1].isdecimal() or _CAPITAL.search(core.rsplit(None, 1)[-1]) is not None


def _trailing_names(m: re.Match[str]) -> str:
    """A match of ``_TRAILING_NAMES`` made one space, unless it holds only spaces."""
    return " " if m.group(0).strip() else m.group(0)


def is_background(doc: Doc, start: int) -> bool:
    """The instrument named at ``start`` is an earlier one ("builds on the", "under the",
    "en el marco del")."""
    return doc.of_spans(f"background:{start}", _is_background, doc, start)


@lru_cache(maxsize=1)
def _joined() -> re.Pattern[str]:
    """A coordinator and a possessive or article before an instrument ("and its", "y su")."""
    return re.compile(
        rf"\b(?:{lexicon.word_pattern('coordinator')}|or|o)\s+(?:its|their|the|la|el|su|sus)\s+[^,;.]{{0,40}}$"
    )


def _is_background(doc: Doc, start: int) -> bool:
    before = doc.text[max(0, start - 80) : start]
    if _names_trail(before):
        before = _TRAILING_NAMES.sub(_trailing_names, before)
        low = lowered(before)
    else:
        low = lowered_at(doc, max(0, start - 80), start)
    if any(search(p, before, low) for p in cues("background", doc.language)):
        return True
    # "under the European Convention ... and its Second Additional Protocol": a second instrument
    # joined to a background one shares its reading
    joined = _joined().search(doc.text[max(0, start - 60) : start])
    if joined is None:
        return False
    sentence = doc.sentence_at(start)
    previous = [s for s in doc.within("instrument", sentence.start, start) if s.end <= start]
    return bool(previous) and is_background(doc, previous[-1].start)
