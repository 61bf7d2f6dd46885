"""Instruments named in a sentence, read from the ``instrument`` spans: their type, name, count,
and the lists that a sentence opens.

:func:`labels` yields each instrument label of a sentence with its type (the instrument's own
proper name decides it when a headline or a later mention gives one); :func:`title_of` reads the
instrument's name around its label; :func:`count_of` how many a plural names ("two
arrangements"); :func:`list_intro` the signing of the sentence that opens a list of instruments.

Examples
--------
>>> from graph.extract.pipeline import read
>>> doc = read("Chile and Peru signed two Memoranda of Understanding on Border Security.")
>>> sentence = doc.sentences[0]
>>> [(kind, title_of(doc, sentence, a, b), count_of(doc, sentence, a, b))
...  for a, b, _, kind, _ in labels(doc, sentence)]
[('memorandum-of-understanding', 'Memoranda of Understanding on Border Security', 2)]
"""

from __future__ import annotations

import re
from functools import lru_cache

from graph.extract import lexicon
from graph.extract.casefold import finditer, lowered, lowered_at, lowered_text
from graph.extract.clauses import Trigger, blocked, cues, has_cue, sentence_has_cue, triggers
from graph.extract.dates import month_names
from graph.extract.doc import Doc, Sentence, Span
from graph.extract.patterns import compile_rule

__all__ = [
    "count_of",
    "generic_noun",
    "head_mentions",
    "introduces_list",
    "labels",
    "list_intro",
    "plural",
    "title_of",
]


def _number(word: str, default: int = 1) -> int:
    """The value of a number word ("two", "ambos") from ``rules/words.tsv``."""
    return int(lexicon.word_values("number").get(word.lower(), default))


@lru_cache(maxsize=1)
def generic_noun() -> re.Pattern[str]:
    """A name made only of an instrument's common noun ("agreements", "memorando"), either number."""
    forms = []
    for word in sorted(lexicon.word_set("generic-instrument"), key=len, reverse=True):
        forms.append(f"{re.escape(word[:-1])}(?:y|ies)" if word.endswith("y") else f"{re.escape(word)}s?")
    return re.compile(rf"^(?:{'|'.join(forms)})$", re.IGNORECASE)


def labels(doc: Doc, sentence: Sentence):
    """``(start, end, surface, type, weak)`` for each instrument label in a sentence."""
    key = ("labels", sentence.start, sentence.end, sentence.text)
    return iter(doc.of_spans(key, lambda: list(_labels(doc, sentence))))


def _labels(doc: Doc, sentence: Sentence):
    for span in doc.within("instrument", sentence.start, sentence.end):
        after = doc.text[span.end : sentence.end]
        if any(p.match(after) for p in cues("not", doc.language)):
            continue
        yield span.start, span.end, doc.text[span.start : span.end], _own_type(doc, span), False
    text = sentence.text
    low = lowered_at(doc, sentence.start, sentence.end)
    for pattern, kind in _weak_cues(doc.language):
        for m in finditer(pattern, text, low):
            a, b = m.span("label")
            if not doc.overlapping("instrument", sentence.start + a, sentence.start + b):
                yield sentence.start + a, sentence.start + b, text[a:b], kind, True


def plural(label: str) -> bool:
    """The label's head noun is plural: the first word of "X of Y", else the last."""
    words = label.lower().split()
    head = words[0] if " of " in f" {label.lower()} " or " de " in f" {label.lower()} " else words[-1]
    return head.endswith("s") and not head.endswith(("ss", "us", "is"))


def head_mentions(doc: Doc) -> None:
    """Later mentions of an instrument by the head of its name ("the carta de intenciones ...
    La carta fue firmada"): a determiner and the first word of an earlier label that is not a
    label of its own become mentions of that instrument's type."""
    heads: dict[str, str] = {}
    for span in doc.spans("instrument"):
        words = doc.text[span.start : span.end].split()
        if len(words) > 1:
            heads.setdefault(words[0].lower(), span.keys[0])
    if not heads:
        return
    labelled = {doc.text[s.start : s.end].lower() for s in doc.spans("instrument")}
    first_at: dict[str, int] = {}
    for span in doc.spans("instrument"):
        first_at.setdefault(doc.text[span.start : span.end].split()[0].lower(), span.start)
    determiners = lexicon.word_set("determiner")
    for i in _head_tokens(doc, [w for w in heads if w not in labelled]):
        tok = doc.tokens[i]
        word = tok.text.lower()
        if tok.start <= first_at.get(word, tok.start):
            continue
        if doc.tokens[i - 1].norm not in determiners or doc.at("instrument", tok.start):
            continue
        doc.add(Span(tok.start, tok.end, "instrument", (heads[word],), {"head": True}))


def _head_tokens(doc: Doc, words: list[str]) -> list[int]:
    """The indices (after the first) of the tokens that are one of ``words`` in any case, in text
    order: found in the lower-cased text, where each occurs, rather than by lowering every token."""
    low = lowered_text(doc)
    tokens = doc.tokens
    if low is None:  # the text does not lower character by character: every token, lowered
        wanted = set(words)
        return [i for i in range(1, len(tokens)) if tokens[i].text.lower() in wanted]
    found = set()
    for word in words:
        at = low.find(word)
        while at >= 0:
            i = doc.token_index(at)  # the token that starts there, if one does
            if 0 < i < len(tokens) and tokens[i].start == at and tokens[i].end == at + len(word):
                found.add(i)
            at = low.find(word, at + 1)
    return sorted(found)


@lru_cache(maxsize=4)
def _weak_cues(language: str) -> tuple[tuple[re.Pattern[str], str], ...]:
    """Cues that name an instrument only weakly ("plan of action"), with the type they give."""
    rows = [r for r in lexicon.read_tsv("rules/agreement-cues.tsv") if r["kind"] == "weak"]
    wanted = {language, "en"}
    return tuple(
        (compile_rule(r["pattern"], re.IGNORECASE), r["event"] or "action-plan")
        for r in rows
        if r["language"] in wanted
    )


def _own_type(doc: Doc, span: Span) -> str:
    """A one-word label that begins an earlier, longer instrument name ("the memorandum" after
    "a Memorandum of Cooperation") is that instrument's kind."""
    word = doc.text[span.start : span.end].lower().rstrip("s")
    if " " in word:
        return span.keys[0]
    earlier = _first_by_word(doc).get(word)  # the first longer name that begins with the word
    return earlier.keys[0] if earlier is not None and earlier.start < span.start else span.keys[0]


def _first_by_word(doc: Doc) -> dict[str, Span]:
    """The first instrument name of several words for each first word (kept until the instrument
    spans change): looking each label up, not scanning every earlier name, keeps long texts linear."""
    return doc.of_label("instrument", "first-by-word", _index_first_words, doc)


def _index_first_words(doc: Doc) -> dict[str, Span]:
    index: dict[str, Span] = {}
    for earlier in doc.spans("instrument"):
        text = doc.text[earlier.start : earlier.end].lower()
        if " " in text:
            index.setdefault(text.split()[0].rstrip("s"), earlier)
    return index


def count_of(doc: Doc, sentence: Sentence, start: int, end: int) -> int | None:
    """How many instruments the label stands for: "two arrangements", "two ... and one with ..."."""
    text = sentence.text
    s, e = start - sentence.start, end - sentence.start
    if plural(text[s:e]) and text[s:e][:1].isupper():
        # "the Maritime and Police Cooperation Agreements": one instrument per conjunct
        coordinated = re.search(
            r"(?<![\w’'-])((?:[A-Z][\w’'-]*\s+){1,2}(?:and|&)\s+(?:[A-Z][\w’'-]*\s+){1,2})$", text[:s]
        )
        if coordinated and not has_cue(coordinated.group(1), doc.language, "firm"):
            before = text[: s - len(coordinated.group(1))].rstrip()
            if re.search(r"\b(?:the|two|both|its|their)$", before, re.I):
                return 2
    low = lowered_at(doc, sentence.start, sentence.end)
    for pattern in cues("count", doc.language):
        for m in finditer(pattern, text, low):
            if m.start() <= s < m.end() + 2 or (m.end() >= e - 1 and m.start() <= s):
                n = m.group("n").lower()
                total = int(n) if n.isdigit() else _number(n)
                more = re.match(r"\s+with\s+[^,.;]*?\s+and\s+(one|two|three)\s+(?:more\s+)?with\b", text[e:])
                return total + (_number(more.group(1)) if more else 0)
    return None


@lru_cache(maxsize=1)
def _name_complement() -> re.Pattern[str]:
    """What follows an instrument's label in its name: a bracketed acronym, and a complement
    opened by a preposition ("on Border Security", "en materia de seguridad") that runs to a
    punctuation mark or a word that ends a name (a verb, a relative pronoun, "on", "en").

    The text is one sentence: a period with more of it after ("the U.S. Department", "No. 5")
    ends an abbreviation, not the name; only the sentence's last period ends it."""
    opener = lexicon.word_pattern("instrument-name-opener")
    stop = lexicon.word_pattern("instrument-name-stop")
    word = r"[\w’'–-]+(?:\.[\w]+)*(?:\.(?=\s+\S))?"
    return re.compile(
        rf"(?:\s+\([A-Za-z]{{2,8}}\))?(?:\s+(?:{opener})(?:\s+{word})+?"
        rf"(?=[,;:]|\.\s*$|\s+(?:{stop})\b|$))?"
    )


@lru_cache(maxsize=1)
def _not_name_openers() -> frozenset[str]:
    """Capitalised words that open a sentence before an instrument but not its name ("The",
    "Este", "Today", "Under")."""
    return (
        lexicon.word_set("article")
        | lexicon.word_set("determiner")
        | lexicon.word_set("indefinite")
        | lexicon.word_set("not-name")
        | lexicon.word_set("relative-day")
        | lexicon.word_set("not-instrument-name")
    )


_CAPITALS_BEFORE = re.compile(r"((?:[A-Z][\w’'.–-]*\s+){1,6})$")
_FIRST_WORD = re.compile(r"([\w’']+)\s")


_TRAILING_SMALL_WORD = re.compile(r"\s+(?:the|a|and|of|on|for|de|la|y|with|between)$")


@lru_cache(maxsize=1)
def _calendar() -> re.Pattern[str]:
    """A day or month after a name ("... on Monday", "... in March"): where the name ends."""
    return re.compile(rf"\s+(?:on|in|at|during|el|en)\s+(?:[A-Z][a-z]+day|{month_names()})\b")


def title_of(doc: Doc, sentence: Sentence, start: int, end: int) -> str:
    """The instrument's name: capitalised words before the label, and its complement after it."""
    text = sentence.text
    s, e = start - sentence.start, end - sentence.start
    mod = _CAPITALS_BEFORE.search(text[:s])
    a = s - len(mod.group(1)) if mod else s
    openers = _not_name_openers()
    while (first := _FIRST_WORD.match(text[a:s])) and first.group(1).lower() in openers:
        a += first.end()
    right = _name_complement().match(text[e:])
    b = e + (len(right.group(0)) if right else 0)
    calendar = _calendar().search(text[e:b])
    if calendar:
        b = e + calendar.start()
    title = text[a:b].strip(" ,;")
    head = title[: s - a]
    low = lowered(head)
    verbs = [m.end() for p in cues("firm", doc.language) for m in finditer(p, head, low)]
    if verbs:
        title = title[max(verbs) :].strip(" ,;")
    return _TRAILING_SMALL_WORD.sub("", title)


# ---------------------------------------------------------------------- lists


def _list_items(doc: Doc, index: int) -> list[int]:
    """The list items that follow sentence ``index``."""
    items = []
    j = index + 1
    while j < len(doc.sentences) and doc.sentences[j].list_item:
        items.append(j)
        j += 1
    return items


def introduces_list(doc: Doc, index: int) -> bool:
    """Sentence ``index`` ends with a colon and the list after it names instruments."""
    if not doc.sentences[index].text.rstrip().endswith(":"):
        return False
    return any(
        doc.within("instrument", doc.sentences[j].start, doc.sentences[j].end)
        for j in _list_items(doc, index)
    )


def list_intro(doc: Doc, index: int) -> Trigger | None:
    """For a list item, the trigger of the sentence that introduces the list ("... signed the
    following:"), when no cue blocks it there."""
    if not doc.sentences[index].list_item:
        return None
    j = index - 1
    while j >= 0 and doc.sentences[j].list_item:
        j -= 1
    if j < 0 or not doc.sentences[j].text.rstrip().endswith(":"):
        return None
    return doc.of_spans(("list-intro", j), _intro_trigger, doc, j)


def _intro_trigger(doc: Doc, j: int) -> Trigger | None:
    """The last unblocked trigger of sentence ``j``, which opens a list (or of the sentence
    before it, when ``j`` only names the instruments)."""
    intro = doc.sentences[j]
    if sentence_has_cue(doc, j, "block", "past"):
        return None  # "agreed to negotiate the following:"
    found = [t for t in triggers(doc, intro) if not blocked(doc, intro, t.start, t.end, t)]
    if not found and j > 0 and _names_instruments(intro.text):
        # "Kenya and Ethiopia today signed four instruments ... The instruments are:"
        before = doc.sentences[j - 1]
        if not sentence_has_cue(doc, j - 1, "block", "past"):
            found = [t for t in triggers(doc, before) if not blocked(doc, before, t.start, t.end, t)]
    return found[-1] if found else None


def _names_instruments(text: str) -> bool:
    """A sentence that opens a list by naming the instruments ("The instruments are:", "Los
    acuerdos firmados son:")."""
    return any(generic_noun().match(w) for w in re.findall(r"[\w’'-]+", text))
