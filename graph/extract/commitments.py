"""What the parties undertake under an instrument: one span per undertaking the text lists or states.

Read from grammar (annotation guide, R6):

- a list after a colon that a sentence of the instrument, or a phrase of undertaking ("the
  commitment of both countries to:", "to include:"), opens: one undertaking per bullet line, or
  per item of an inline list (split at semicolons, else at commas and the last "and");
- running text in the instrument's sentences: the verb phrase after an anchor, a modal or a verb
  of undertaking ("the parties will ...", "agreed to ...", "the MOU provides for ...", "se
  comprometen a ..."), up to a clause of effect (", making it easier", ", which"); coordinated
  verb phrases ("strengthen X, enhance Y and share Z") are one undertaking each, while a list of
  nouns inside one stays one;
- the purpose of the instrument right after its name ("signed a letter to guarantee ...",
  "firmaron un convenio para reforzar ... y potenciar ...").

An effect on the relationship ("it will enhance the partnership") is praise, not an undertaking.
Spans are document offsets, without list markers and without a trailing semicolon, "and" or
period. The words and patterns are data: ``ontology/rules/commitments.tsv``.

Examples
--------
>>> from graph.extract.pipeline import read
>>> doc = read("The memorandum reflects the commitment of both sides to:\\n- share data on smuggling;\\n"
...            "- train border officers.")
>>> [doc.text[a:b] for a, b in commitment_spans(doc, [0])]
['share data on smuggling', 'train border officers']
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache

from graph.extract import lexicon
from graph.extract.casefold import finditer, lowered_at, may_match
from graph.extract.doc import Doc
from graph.extract.patterns import compile_rule

__all__ = ["commitment_spans"]

_MARKER = re.compile(r"^\s*(?:[-*•·–—]\s*)?(?:\(?(?:\d{1,2}|[a-z]|[ivx]{1,4})[.)]\s+)?")
_PURPOSE = r"to|in order to|para|a fin de|con el fin de"
_SEPARATOR = re.compile(
    r";\s*(?:(?:and|y)\s+)?|,\s*(?:(?:and|y|as well as|así como|e)\s+)?|\s+(?:and|y|e|as well as|así como)\s+"
)
_TRAIL_WORDS = ("and", "or", "y", "o", "e")
_TRAIL = re.compile(rf"(?:\s*[;,.:]?\s*(?:\b(?:{'|'.join(_TRAIL_WORDS)})\b)?\s*[;,.:]?)+$", re.IGNORECASE)
#: Every character a match of ``_TRAIL`` can hold, besides white space.
_TRAIL_CHARS = frozenset(";,.:" + "".join(_TRAIL_WORDS).lower() + "".join(_TRAIL_WORDS).upper())


@lru_cache(maxsize=1)
def _table() -> dict[str, dict[str, tuple[str, ...]]]:
    table: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for row in lexicon.read_tsv("rules/commitments.tsv"):
        table[row["kind"]][row["language"]].append(row["value"])
    return {k: {lang: tuple(v) for lang, v in by.items()} for k, by in table.items()}


def _values(kind: str, language: str) -> tuple[str, ...]:
    by = _table().get(kind, {})
    return by.get(language) or by.get("en", ())


@lru_cache(maxsize=16)
def _patterns(kind: str, language: str) -> tuple[re.Pattern[str], ...]:
    return tuple(compile_rule(p, re.IGNORECASE) for p in _values(kind, language))


@lru_cache(maxsize=32)
def _words(kind: str, language: str) -> frozenset[str]:
    return frozenset(w.lower() for w in _values(kind, language))


_SPANISH_VERB = re.compile(r"\w{2,}(?:ar|er|ir|ír)(?:se|los|las)?|\w{3,}(?:rá|rán|remos)")
_ENGLISH_VERB = re.compile(r"\w{3,}(?:ize|ise|ify)")
_LETTERS = re.compile(r"[a-záéíóúñ]{3}", re.IGNORECASE)
_AFTER = {"es": re.compile(r"(to\s+|a\s+)?([\w’'-]+)"), "en": re.compile(r"(to\s+)?([\w’'-]+)")}
_NAME_TAIL = re.compile(r"(?:\s+(?:of|on|for|de|sobre|del|en materia de)?\s*[A-Z(][\w’'().-]*)+")
_FAR_PURPOSE = re.compile(rf"[^.;:]{{0,70}}?\b(?:{_PURPOSE})\s+(?=[“\"']?([\w’'-]+))")
_FIRST = re.compile(r"[\w’'-]+")
_SEMICOLON = re.compile(r";\s*(?:(?:and|y)\s+)?")
_PARTICLE = {"es": re.compile(r"\s*a\s+(?=\w)"), "en": re.compile(r"\s*to\s+(?=\w)")}
_ANY_WORD = re.compile(r"\w+")


def _is_verb(word: str, language: str) -> bool:
    """A word that opens a verb phrase: an English verb of the lexicon, a Spanish infinitive
    (with its clitic: "reforzar", "coordinarse") or future ("trabajarán")."""
    word = word.lower()
    if language == "es":
        return bool(_SPANISH_VERB.fullmatch(word))
    return word in _words("verb", "en") or bool(_ENGLISH_VERB.fullmatch(word))


def _clean(doc: Doc, start: int, end: int) -> tuple[int, int] | None:
    """The span without list marker, surrounding quotes and spaces, and trailing connector."""
    text = doc.text[start:end]
    lead = _MARKER.match(text)
    cut = lead.end() if lead else 0
    while cut < len(text) and text[cut] in " \t\n\"“‘'«":
        cut += 1
    tail = _TRAIL.search(text, _trail_from(text, cut))
    stop = tail.start() if tail else len(text)
    while stop > cut and text[stop - 1] in " \t\n\"”’'»":
        stop -= 1
    if stop - cut < 3 or not _LETTERS.search(text[cut:stop]):
        return None
    return start + cut, start + stop


def _trail_from(text: str, cut: int) -> int:
    """Where a match of ``_TRAIL`` (anchored at the end) can start at the earliest: after the last
    character it cannot hold. Searching from there finds the match a search from ``cut`` finds,
    without trying every position of the text."""
    i = len(text)
    while i > cut and (text[i - 1] in _TRAIL_CHARS or text[i - 1].isspace()):
        i -= 1
    return i


def _split(doc: Doc, start: int, end: int, verbs_only: bool) -> list[tuple[int, int]]:
    """Split an undertaking at semicolons, and at commas or the last "and" when a verb (or, for
    an inline list, any item) follows."""
    text = doc.text[start:end]
    language = doc.language if doc.language in {"en", "es"} else "en"
    if ";" in text and not verbs_only:
        cuts = list(_SEMICOLON.finditer(text))
    else:
        cuts = []
        for m in _SEPARATOR.finditer(text):
            after = _AFTER["es" if language == "es" else "en"].match(text[m.end() :])
            left = text[cuts[-1].end() if cuts else 0 : m.start()]
            words = left.split()
            if verbs_only and (len(words) < 2 or _is_verb(words[-1].strip(",;"), language)):
                continue  # "prevent, detect and investigate offences": verbs that share an object
            if not verbs_only and "," not in m.group(0) and "," in text[m.end() :]:
                continue  # "efficiency for Customs and business, transparency ...": inside an item
            if m.group(0).strip().startswith(";") or (
                after
                and (
                    not verbs_only
                    or _is_verb(after.group(2), language)
                    or (after.group(1) or "").strip() in {"to", "a"}
                )
            ):
                cuts.append(m)
    pieces, at = [], 0
    for m in cuts:
        pieces.append((start + at, start + m.start()))
        at = m.end()
    pieces.append((start + at, end))
    out = []
    for a, b in pieces:
        # the infinitive's particle: "to share", "a realizar"
        lead = _PARTICLE["es" if language == "es" else "en"].match(doc.text[a:b]) if verbs_only else None
        cleaned = _clean(doc, a + (lead.end() if lead else 0), b)
        if cleaned:
            out.append(cleaned)
    return out


def _end_of(doc: Doc, start: int, limit: int) -> int:
    """Where an undertaking that starts at ``start`` ends: a clause of effect, or ``limit``."""
    text = doc.text[start:limit]
    ends = [m.start() for p in _patterns("effect", doc.language) if (m := p.search(text, 3))]
    return start + min(ends) if ends else limit


_WORDS = re.compile(r"[\w’'-]+")


def _praise(doc: Doc, start: int, end: int) -> bool:
    """An effect on the relationship itself ("enhance the partnership"), not an undertaking."""
    head = _WORDS.findall(doc.text[start:end].lower())[:5]
    if any(p.match(doc.text, start) for p in _patterns("not", doc.language)):
        return True  # "remain in force for five years": the instrument's own life, no undertaking
    return bool(set(head) & _words("praise", doc.language)) or (bool(head) and head[0] in {"be", "ser", "es"})


def _list_after(doc: Doc, index: int) -> list[tuple[int, int]]:
    """The items of the list that the colon ending sentence ``index`` opens."""
    items = []
    j = index + 1
    while j < len(doc.sentences) and doc.sentences[j].list_item:
        cleaned = _clean(doc, doc.sentences[j].start, doc.sentences[j].end)
        if cleaned:
            items.append(cleaned)
        j += 1
    return items


def _names_instruments(doc: Doc, index: int) -> bool:
    """The list after sentence ``index`` names instruments: most items open with one ("- a
    Memorandum of Understanding on ..."), not a word of one inside an undertaking ("recibir
    declaraciones de testigos")."""
    items = []
    j = index + 1
    while j < len(doc.sentences) and doc.sentences[j].list_item:
        items.append(doc.sentences[j])
        j += 1
    heads = 0
    for item in items:
        first = doc.within("instrument", item.start, item.end)
        if first and len(_FIRST.findall(doc.text[item.start : first[0].start])) <= 3:
            heads += 1
    return bool(items) and heads * 2 > len(items)


def _opens_list(doc: Doc, index: int, own: bool) -> bool:
    """Sentence ``index`` ends with a colon that opens a list of undertakings: a sentence of the
    instrument, or one with a phrase of undertaking ("the parties agreed to the following:")."""
    text = doc.sentences[index].text.rstrip()
    if not text.endswith(":") or _names_instruments(doc, index):
        return False  # no list, or a list of instruments
    return own or any(p.search(text) for p in _patterns("intro", doc.language))


def _subject_kind(doc: Doc, index: int) -> str | None:
    """The type of the instrument a sentence names first (its subject, as a rule)."""
    sentence = doc.sentences[index]
    named = doc.within("instrument", sentence.start, sentence.end)
    return named[0].keys[0] if named and named[0].keys else None


def _quoted(doc: Doc, position: int) -> bool:
    """``position`` lies inside a quotation of its paragraph, or in a paragraph that a line
    introducing a speaker opens ("The minister said:"): a speaker's words."""
    start = doc.text.rfind("\n", 0, position) + 1
    line = doc.text[start:position]
    if line.count("“") > line.count("”") or line.count('"') % 2 == 1 or line.count("«") > line.count("»"):
        return True
    before = doc.text[: max(0, start - 1)].rstrip()
    previous = before[before.rfind("\n") + 1 :]
    speech = lexicon.word_set("speech", doc.language)
    return previous.endswith(":") and bool(set(_ANY_WORD.findall(previous.lower())) & speech)


@lru_cache(maxsize=4)
def _any_anchor(language: str) -> re.Pattern[str]:
    """Any of the anchors of a language, as one pattern: a sentence without a string it requires
    (:func:`graph.extract.casefold.may_match`) has none."""
    return compile_rule("|".join(f"(?:{p})" for p in _values("anchor", language)), re.IGNORECASE)


def _anchors(doc: Doc, index: int) -> tuple[tuple[tuple[int, int], ...], ...]:
    """For each anchor pattern, the ``(start, end)`` of its matches in sentence ``index``
    (offsets in the sentence), computed once per sentence for :func:`_running` and
    :func:`_continues`."""
    return doc.of_text(("anchors", index), _find_anchors, doc, index)


def _find_anchors(doc: Doc, index: int) -> tuple[tuple[tuple[int, int], ...], ...]:
    sentence = doc.sentences[index]
    text, low = sentence.text, lowered_at(doc, sentence.start, sentence.end)
    patterns = _patterns("anchor", doc.language)
    # the strings the anchors require, tested at once, spare most sentences every scan
    if not may_match(_any_anchor(doc.language), text, low):
        return ((),) * len(patterns)
    return tuple(tuple(m.span() for m in finditer(p, text, low)) for p in patterns)


def _running(doc: Doc, index: int) -> list[tuple[int, int]]:
    """Undertakings stated in a sentence of the instrument."""
    sentence = doc.sentences[index]
    out: list[tuple[int, int]] = []
    if sentence.text.rstrip(" ”\"'").endswith("?"):
        return out  # a question asks; it undertakes nothing
    colon = sentence.text.find(": ")
    if (
        colon > 0
        and not _quoted(doc, sentence.start + colon)
        and any(p.search(sentence.text[: colon + 1]) for p in _patterns("intro", doc.language))
    ):
        lo = sentence.start + colon + 1
        return _split(doc, lo, _end_of(doc, lo, sentence.end), verbs_only=False)
    starts = [sentence.start + end for found in _anchors(doc, index) for _, end in found]
    for span in doc.within("instrument", sentence.start, sentence.end):
        for pattern in _patterns("purpose", doc.language):
            m = pattern.match(doc.text, span.end, sentence.end)
            if m is None:
                tail = _NAME_TAIL.match(doc.text[span.end : sentence.end])
                if tail:
                    m = pattern.match(doc.text, span.end + tail.end(), sentence.end)
            if m is None:  # "firmó un convenio con su homólogo de Ecuador, X, para fortalecer ..."
                far = _FAR_PURPOSE.match(doc.text[span.end : sentence.end])
                if (
                    far
                    and _is_verb(far.group(1), doc.language)
                    and not doc.within("instrument", span.end + 1, span.end + far.end())
                ):
                    starts.append(span.end + far.end())
            if m is not None:
                starts.append(m.end())
    for lo in sorted(set(starts)):
        while lo < sentence.end and doc.text[lo] in "“\"'«‘":
            lo += 1  # para “profundizar ...”
        if any(a <= lo < b for a, b in out) or _quoted(doc, lo):
            continue
        hi = _end_of(doc, lo, sentence.end)
        first = _FIRST.match(doc.text[lo:hi])
        if first is None or (
            doc.language == "en" and not _is_verb(first.group(0), "en") and not first.group(0)[0].islower()
        ):
            continue  # a capitalised word that is no verb: a name, not an undertaking
        for a, b in _split(doc, lo, hi, verbs_only=True):
            if not _praise(doc, a, b):
                out.append((a, b))
    return out


@lru_cache(maxsize=4)
def _party_subject(language: str) -> re.Pattern[str]:
    """A word naming a party ("the parties", "both sides"), as a whole word in any case."""
    return re.compile(rf"\b(?:{'|'.join(re.escape(w) for w in _words('party', language))})\b", re.IGNORECASE)


def _continues(doc: Doc, index: int) -> bool:
    """A sentence after the instrument's that states what its parties undertake without naming
    it ("The parties also undertook to ...", "Both agencies will ..."): a party as the subject
    of an anchor."""
    sentence = doc.sentences[index]
    if sentence.start < doc.headline_end or sentence.list_item:
        return False
    subject = _party_subject(doc.language)
    lo, hi = sentence.start, sentence.end
    named = doc.within("country", lo, hi) or doc.within("body", lo, hi)
    if not named and not may_match(subject, sentence.text, lowered_at(doc, lo, hi)):
        return False  # no state, body or party named before any anchor: no need to find them
    for found in _anchors(doc, index):
        if not found:
            continue
        at = found[0][0]  # the first match of the anchor
        before = sentence.text[:at]
        lo = sentence.start
        if subject.search(before) or doc.within("country", lo, lo + at):
            return True
        if doc.within("body", lo, lo + at):
            return True
    return False


def commitment_spans(
    doc: Doc,
    sentences: Iterable[int],
    others: Iterable[int] = (),
    kind: str | None = None,
    other_kinds: Iterable[str] = (),
) -> list[tuple[int, int]]:
    """The undertakings (document offsets) of the instrument reported in ``sentences``.

    ``others`` are the sentences of the release's other instruments: a list belongs to the
    instrument named last before it. When ``kind`` (the type of this one) and ``other_kinds``
    (those of the others) are given, a sentence belongs to the instrument it names first (its
    subject: "Under the memorandum, the two agencies will:"), whichever it was reported with.
    """
    own = {i for i in set(sentences) if doc.sentences[i].start >= doc.headline_end}
    if kind is not None:
        elsewhere = set(other_kinds)
        own -= {i for i in own if (k := _subject_kind(doc, i)) not in {kind, None} and k in elsewhere}
        if kind not in elsewhere:
            own |= {i for i in set(others) - own if _subject_kind(doc, i) == kind}
    if not own:
        return []
    taken = set(others) - own
    found: list[tuple[int, int]] = []
    consumed: set[int] = set()
    marks = sorted(own | taken)  # the sentences of an instrument, this one's or another's
    passed = 0  # how many of them come at or before sentence i
    for i in range(min(own), len(doc.sentences)):
        while passed < len(marks) and marks[passed] <= i:
            passed += 1
        if i in consumed:
            continue
        if marks[passed - 1] in taken:  # the instrument named last is another's
            continue
        mine = i in own
        if doc.of_spans(("opens-list", i, mine), _opens_list, doc, i, mine):
            items = doc.of_spans(("list-after", i), _list_after, doc, i)
            consumed |= {doc.sentence_index(a) for a, _ in items}
            found += items
        elif mine or doc.of_spans(("continues", i), _continues, doc, i):
            found += doc.of_spans(("running", i), _running, doc, i)
    seen: list[tuple[int, int]] = []
    for a, b in found:
        if not any(a < y and x < b for x, y in seen):
            seen.append((a, b))
    return seen
