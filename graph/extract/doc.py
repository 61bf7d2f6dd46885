"""The document the extractor works on: text, tokens, sentences and typed spans.

A release becomes one :class:`Doc` (its title, a blank line, its body), tokenized once and split
into sentences once. Finders add :class:`Span`\\ s under a label ("place", "body", "person",
"instrument" ...) and later steps read them by position, never re-scanning the text: the
shape of spaCy's ``Doc`` with its span groups.

Examples
--------
>>> doc = Doc.from_parts("Title", "First sentence. Second one.\\n- an item", language="en")
>>> [s.text for s in doc.sentences]
['Title', 'First sentence.', 'Second one.', '- an item']
>>> doc.add(Span(7, 12, "word"))
>>> [s.start for s in doc.within("word", 0, 20)], doc.sentence_at(8).text
([7], 'First sentence.')
>>> doc.to_release(7, 12)
(0, 5, 'text')
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from operator import itemgetter
from typing import Any

from graph.extract.matcher import Token, tokenize

__all__ = ["SEPARATOR", "Doc", "Sentence", "Span", "split_sentences", "whole_words"]

SEPARATOR = "\n\n"
_NON_WORD = re.compile(r"\W+")
_LINE = re.compile(r"[^\n]+")


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence with its offsets; ``paragraph`` numbers its line, ``list_item`` marks a bullet."""

    start: int
    end: int
    text: str
    paragraph: int = 0
    list_item: bool = False


@dataclass(slots=True)
class Span:
    """A typed stretch of the document: ``label`` says what it is, ``keys`` what it denotes
    (state codes, gazetteer ids, type ids) and ``data`` anything a finder adds for later steps."""

    start: int
    end: int
    label: str
    keys: tuple[str, ...] = ()
    data: dict[str, Any] = field(default_factory=dict)

    def text(self, doc: Doc) -> str:
        return doc.text[self.start : self.end]


class Doc:
    """Text, tokens, sentences and span groups of one release (title first)."""

    def __init__(self, text: str, title_end: int = 0, language: str = "en", date: str | None = None):
        self.text = text
        self.title_end = title_end
        self.body_start = title_end + len(SEPARATOR) if title_end else 0
        self.language = language
        self.date = date
        self.tokens: list[Token] = tokenize(text)
        self._token_starts = list(map(itemgetter(0), self.tokens))  # each token's start
        self.sentences: list[Sentence] = split_sentences(text)
        self._sentence_starts = [s.start for s in self.sentences]
        self._groups: dict[str, list[Span]] = {}
        self._starts: dict[str, list[int]] = {}  # the groups' start offsets, for bisection
        self._reach: dict[str, list[int]] = {}  # per label: the furthest end of its spans up to each
        self.cache: dict[Hashable, Any] = {}  # results derived from the spans; cleared when they change
        self._of_label: dict[str, dict[Hashable, Any]] = {}  # results of one label's spans (of_label)
        self._of_text: dict[Hashable, Any] = {}  # results derived from the text alone (see of_text)
        self.title_offset = 0  # whitespace before the title in the release (see from_parts)
        self.headline_end = self._headline_end()

    def _headline_end(self) -> int:
        """End of the headline zone: the title, and the body's line that repeats it among its
        first lines (headlines capitalise every word, so names there need the body's support)."""
        if not self.title_end:
            return 0
        norm = _NON_WORD.sub(" ", self.text[: self.title_end]).strip().lower()
        limit = 1.5 * len(norm) + 20  # the longest line that repeats the title
        for n, line in enumerate(_LINE.finditer(self.text, self.body_start)):
            if n >= 4 or line.start() - self.body_start > 600:
                break
            raw = line.group(0)
            # a long line (a paragraph): the words of its beginning alone outrun the limit (the
            # whole line's text is at least as long as its beginning's), so it cannot be the one
            if len(raw) > 2 * limit and len(_NON_WORD.sub(" ", raw[: int(2 * limit)]).strip()) > limit:
                continue
            text = _NON_WORD.sub(" ", raw).strip().lower()
            if norm and norm in text and len(text) <= limit:
                return line.end()
        return self.title_end

    def in_headline(self, pos: int) -> bool:
        return pos < self.headline_end

    def named_in_body(self, name: str) -> bool:
        """True when ``name`` occurs, as whole words, after the headline zone."""
        return next(whole_words(self.text, name, start=self.headline_end), None) is not None

    @classmethod
    def from_parts(cls, title: str | None, body: str, language: str = "en", date: str | None = None) -> Doc:
        """The document of a release: its title (if any), a blank line, then its body."""
        raw = title or ""
        title = raw.strip()
        if title:
            doc = cls(f"{title}{SEPARATOR}{body}", len(title), language, date)
            doc.title_offset = len(raw) - len(raw.lstrip())  # evidence offsets are in the raw title
            return doc
        return cls(body, 0, language, date)

    def of_text(self, key: Hashable, compute: Callable[..., Any], *args: Any) -> Any:
        """``compute(*args)``, computed once per ``key`` for this document: for results that depend
        on the text alone (never on the spans), which several steps ask for. Callers must not
        change what they get back.
        """
        try:
            return self._of_text[key]
        except KeyError:
            value = self._of_text[key] = compute(*args)
            return value

    def of_spans(self, key: Hashable, compute: Callable[..., Any], *args: Any) -> Any:
        """``compute(*args)``, computed once per ``key`` until the spans change (kept in
        :attr:`cache`): for results read from the spans that several steps ask for. Callers must
        not change what they get back.
        """
        try:
            return self.cache[key]
        except KeyError:
            value = self.cache[key] = compute(*args)
            return value

    def of_label(self, label: str, key: Hashable, compute: Callable[..., Any], *args: Any) -> Any:
        """``compute(*args)``, computed once per ``key`` until the spans of ``label`` change: for
        results read from one label's spans (the states' ranking), which the other labels' spans
        leave as they are. Callers must not change what they get back.
        """
        cached = self._of_label.setdefault(label, {})
        try:
            return cached[key]
        except KeyError:
            value = cached[key] = compute(*args)
            return value

    # ------------------------------------------------------------------ spans
    def add(self, span: Span) -> None:
        if self.cache:
            self.cache.clear()
        if span.label in self._of_label:
            del self._of_label[span.label]
        label, start = span.label, span.start
        starts = self._starts.get(label)
        if starts is None:  # the label's first span
            self._starts[label], self._groups[label], self._reach[label] = [start], [span], [span.end]
        elif not starts or starts[-1] <= start:  # mostly in text order: after every span so far
            starts.append(start)
            self._groups[label].append(span)
            reach = self._reach[label]
            reach.append(max(reach[-1], span.end) if reach else span.end)
        else:
            i = bisect_right(starts, start)
            starts.insert(i, start)
            self._groups[label].insert(i, span)
            self._reach[label].insert(i, 0)
            self._update_reach(label, i)

    def remove(self, span: Span) -> None:
        self.cache.clear()
        self._of_label.pop(span.label, None)
        group = self._groups.get(span.label, [])
        starts = self._starts.get(span.label, [])
        i = bisect_left(starts, span.start)
        while i < len(group) and starts[i] == span.start:
            if group[i] is span:
                del group[i], starts[i], self._reach[span.label][i]
                self._update_reach(span.label, i)
                return
            i += 1

    def _update_reach(self, label: str, i: int) -> None:
        """Recompute the furthest ends of ``label``'s spans from index ``i`` on."""
        group, reach = self._groups[label], self._reach[label]
        furthest = reach[i - 1] if i > 0 else 0
        for k in range(i, len(group)):
            furthest = max(furthest, group[k].end)
            reach[k] = furthest

    def spans(self, label: str) -> list[Span]:
        """Every span of ``label``, in text order."""
        return self._groups.get(label, [])

    def within(self, label: str, lo: int, hi: int) -> list[Span]:
        """The spans of ``label`` that lie inside ``[lo, hi)``."""
        starts = self._starts.get(label)
        if not starts:
            return []
        first = bisect_left(starts, lo)
        last = bisect_left(starts, hi, first)
        if first == last:
            return []
        return [s for s in self._groups[label][first:last] if s.end <= hi]

    def overlapping(self, label: str, lo: int, hi: int) -> list[Span]:
        """The spans of ``label`` that share at least one character with ``[lo, hi)``."""
        starts = self._starts.get(label)
        if not starts:
            return []
        first = bisect_right(self._reach[label], lo)  # the spans before it all end at or before lo
        last = bisect_left(starts, hi, first)
        return [s for s in self._groups[label][first:last] if s.end > lo]

    def at(self, label: str, pos: int) -> Span | None:
        """The span of ``label`` covering character ``pos``, if any (the last to start, as the
        last of :meth:`overlapping` ``pos, pos + 1``)."""
        starts = self._starts.get(label)
        if not starts:
            return None
        last = bisect_right(starts, pos) - 1  # the last span to start at or before pos
        if last < 0 or self._reach[label][last] <= pos:
            return None  # every span that starts at or before pos ends at or before it
        group = self._groups[label]
        while group[last].end <= pos:  # one of them covers pos (the reach says so): the last to start
            last -= 1
        return group[last]

    # ------------------------------------------------------------------ positions
    def sentence_index(self, pos: int) -> int:
        """Index of the sentence containing (or, between sentences, preceding) ``pos``."""
        return max(0, bisect_right(self._sentence_starts, pos) - 1)

    def sentence_at(self, pos: int) -> Sentence:
        return self.sentences[self.sentence_index(pos)]

    def token_index(self, pos: int) -> int:
        """Index of the first token that starts at or after ``pos``."""
        return bisect_left(self._token_starts, pos)

    def tokens_in(self, lo: int, hi: int) -> list[Token]:
        return self.tokens[self.token_index(lo) : self.token_index(hi)]

    def in_title(self, pos: int) -> bool:
        return pos < self.title_end

    def to_release(self, start: int, end: int) -> tuple[int, int, str]:
        """Offsets of a document stretch in the release: ``(start, end, "title" or "text")``."""
        if start < self.title_end:
            return start + self.title_offset, min(end, self.title_end) + self.title_offset, "title"
        return start - self.body_start, end - self.body_start, "text"


def _word_char(c: str) -> bool:
    """``c`` is what ``\\w`` matches in a ``str`` pattern: alphanumeric (``str.isalnum``) or ``_``."""
    return c.isalnum() or c == "_"


def whole_words(
    text: str, word: str, *, start: int = 0, not_before: str = "", not_after: str = ""
) -> Iterator[tuple[int, int]]:
    """``(start, end)`` of each occurrence of ``word`` in ``text[start:]`` with no word character
    (nor one of ``not_before``) right before it and none (nor one of ``not_after``) right after:
    the matches of ``(?<![\\w...])word(?![\\w...])`` in that stretch, left to right and not
    overlapping, found without compiling a pattern for each word.

    >>> list(whole_words("Wolf, Wolfe and A.Wolf met Wolf.", "Wolf", not_before="."))
    [(0, 4), (27, 31)]
    """
    if not word:  # every empty stretch between two characters the lookarounds allow
        pattern = rf"(?<![\w{re.escape(not_before)}])(?![\w{re.escape(not_after)}])"
        yield from ((start + m.start(), start + m.end()) for m in re.finditer(pattern, text[start:]))
        return
    n, end = len(word), len(text)
    i = text.find(word, start)
    while i >= 0:
        j = i + n
        before = i > start and (_word_char(text[i - 1]) or text[i - 1] in not_before)
        after = j < end and (_word_char(text[j]) or text[j] in not_after)
        if before or after:
            i = text.find(word, i + 1)
        else:
            yield i, j
            i = text.find(word, j)


# ---------------------------------------------------------------------- sentences


@lru_cache(maxsize=1)
def _sentence_rules() -> tuple[frozenset[str], re.Pattern[str]]:
    from graph.extract.lexicon import read_tsv

    rows = read_tsv("rules/sentences.tsv")
    abbreviations = frozenset(r["word"].lower() for r in rows if r["kind"] == "abbreviation")
    openers = [re.escape(r["word"]) for r in rows if r["kind"] == "opener"]
    return abbreviations, re.compile(rf"(?:{'|'.join(openers)})\b")


def abbreviations() -> frozenset[str]:
    """Words after which a period does not end a sentence (``ontology/rules/sentences.tsv``)."""
    return _sentence_rules()[0]


_LAST_WORD = re.compile(r"([\w.]+)$")
_BOUNDARY = re.compile(r"[.!?]+[\"”’')\]]*\s+(?=[\"“‘(¿¡]?[A-ZÁÉÍÓÚÑ0-9])")
_BULLET = re.compile(r"\s*(?:[-*•·–—]|\d{1,2}[.)]|[a-z][.)]|\([a-z0-9]{1,3}\))\s+")


def _is_abbreviation(line: str, dot: int) -> bool:
    match = _LAST_WORD.search(line, max(0, dot - 40), dot)  # "$" matches at the end position
    if not match:
        return False
    word = match.group(1)
    if len(word) == 1 and word.isupper():  # an initial: "Chad F. Wolf"
        return True
    return word.lower().rstrip(".") in abbreviations()


def split_sentences(text: str) -> list[Sentence]:
    """Split ``text`` into sentences with offsets.

    Lines never share a sentence; a line starting with a bullet (``-``, ``*``, ``•``, ``1.``,
    ``a)``) is a list item of its own. A period after an abbreviation or an initial ends a
    sentence only when a usual sentence opener follows.
    """
    sentences: list[Sentence] = []
    _, openers = _sentence_rules()
    for number, line_match in enumerate(re.finditer(r"[^\n]+", text), 1):
        line = line_match.group(0)
        if not line.strip():
            continue
        base = line_match.start()
        is_item = bool(_BULLET.match(line))
        cursor = 0
        for boundary in _BOUNDARY.finditer(line):
            first_dot = boundary.start()
            abbreviated = line[first_dot] == "." and _is_abbreviation(line, first_dot)
            if abbreviated and not openers.match(line, boundary.end()):
                continue
            _add(sentences, text, base + cursor, base + boundary.end(), number, is_item)
            cursor = boundary.end()
        _add(sentences, text, base + cursor, base + len(line), number, is_item)
    return sentences


#: Longest sentence the extractor reads as one (characters). Real sentences stay far below it
#: (the longest in the corpus has about 600); a longer run of text without a sentence end is cut
#: at its last comma, semicolon or space before the limit, so that the work per sentence, and
#: with it extraction, stays linear in the length of the text.
MAX_SENTENCE = 1000


def _add(out: list[Sentence], text: str, start: int, end: int, paragraph: int, item: bool) -> None:
    while end - start > MAX_SENTENCE:
        window = text[start : start + MAX_SENTENCE]
        cut = max(window.rfind(", "), window.rfind("; "))
        cut = cut + 1 if cut > MAX_SENTENCE // 2 else window.rfind(" ")
        cut = start + (cut if cut > 0 else MAX_SENTENCE)
        _add(out, text, start, cut, paragraph, item)
        start = cut
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append(Sentence(start, end, text[start:end], paragraph, item))
