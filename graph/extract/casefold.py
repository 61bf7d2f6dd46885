"""Case-insensitive cues run as case-sensitive twins over lower-cased text: the same matches.

Python's engine compares every character of a text with a pattern compiled with
``re.IGNORECASE`` through its lower-case mapping, which makes such a pattern slower to run than
the same pattern without the flag. Most cues of ``ontology/rules`` are written in lower case, so
the pattern without the flag, run over the text lower-cased once (:func:`lowered`), finds the
matches of the case-insensitive one at the same offsets. :func:`twin` compiles that pattern only
when it can prove the two agree:

- every character the pattern names (a literal, a member or range of a class) is one that the
  flag leaves as it is: lower case, or without case; none has an extra case-insensitive
  equivalent beyond ASCII (``µ``/``μ``, Greek and Cyrillic variants);
- no group of the pattern sets or clears flags of its own;

and :func:`lowered` gives the lower-cased text only when every character of it lowers to one
character that the engine's own lower-case mapping gives too, keeps what it is to ``\\w``,
``\\s`` and ``\\d``, and is not one of those extra equivalents (``ı``, ``ſ``) . Either failing,
:func:`finditer` and :func:`search` run the pattern itself over the text.

Matches of a twin are matches in the lower-cased text: their offsets are those of the text, and
their groups the lower-cased words (read the original text at the offsets when the case matters).

Before a scan, a text is tested for the strings the pattern's matches require (:func:`required`:
"will" or "shall" for ``\\b(?:will|shall)\\s+``), read from the pattern's parse: a text that
holds none of them is passed over. Case-sensitive patterns get that test too; :func:`may_match`
is the test alone, which also holds for any stretch of the text.

Examples
--------
>>> cue = re.compile(r"\\b(?:signed|concluded)\\b", re.IGNORECASE)
>>> twin(cue).pattern, bool(twin(cue).flags & re.IGNORECASE)
('\\\\b(?:signed|concluded)\\\\b', False)
>>> text = "They SIGNED and Concluded it."
>>> [m.span() for m in finditer(cue, text, lowered(text))]
[(5, 11), (16, 25)]
>>> twin(re.compile(r"\\b[A-Z]\\w+", re.IGNORECASE)) is None  # a capital: the flag matters
True
>>> lowered("Ankara"), lowered("İzmir") is None  # "İ" lowers to two characters
('ankara', True)
"""

from __future__ import annotations

import _sre
import re
import sys
from collections.abc import Iterator
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple

try:  # the parser and the extra case equivalences of the re module (Python 3.11 and later)
    from re import _casefix, _parser  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python 3.10: no twins, every cue runs as it is
    _casefix = _parser = None  # type: ignore[assignment]

if TYPE_CHECKING:
    from graph.extract.doc import Doc

__all__ = ["finditer", "lowered", "lowered_at", "lowered_text", "may_match", "required", "search", "twin"]

#: Characters with a case-insensitive equivalent that their lower case is not ("ı" and "i",
#: "ſ" and "s", "µ" and "μ" ...): where one of them is, the twin and the pattern may disagree.
_EXTRA = frozenset(map(chr, _casefix._EXTRA_CASES)) if _casefix else frozenset()
#: Widest range of a class checked character by character.
_MAX_RANGE = 4096
#: Required strings (:func:`required`) worth testing before a scan: at most this many, each at
#: least this long.
_MAX_REQUIRED = 12
_MIN_REQUIRED = 3


class _Differs(Exception):
    """The pattern may match differently without the flag over lower-cased text."""


def _plain_char(code: int) -> bool:
    """A character the flag leaves as it is: without case, or lower case with no extra
    equivalent beyond ASCII."""
    if not _sre.unicode_iscased(code):
        return True
    return _sre.unicode_tolower(code) == code and (code < 128 or chr(code) not in _EXTRA)


def _check(items) -> None:
    for op, av in items:
        if op in (_parser.LITERAL, _parser.NOT_LITERAL):
            if not _plain_char(av):
                raise _Differs
        elif op is _parser.IN:
            for member, value in av:
                if member is _parser.LITERAL and not _plain_char(value):
                    raise _Differs
                if member is _parser.RANGE:
                    low, high = value
                    if high - low > _MAX_RANGE or not all(map(_plain_char, range(low, high + 1))):
                        raise _Differs
                elif member not in (_parser.LITERAL, _parser.NEGATE, _parser.CATEGORY):
                    raise _Differs
        elif op is _parser.SUBPATTERN:
            _, add_flags, del_flags, sub = av
            if add_flags or del_flags:
                raise _Differs
            _check(sub)
        elif op is _parser.BRANCH:
            for alternative in av[1]:
                _check(alternative)
        elif op in (_parser.MAX_REPEAT, _parser.MIN_REPEAT, getattr(_parser, "POSSESSIVE_REPEAT", None)):
            _check(av[2])
        elif op in (_parser.ASSERT, _parser.ASSERT_NOT):
            _check(av[1])
        elif op is getattr(_parser, "ATOMIC_GROUP", None):
            _check(av)
        elif op is _parser.GROUPREF_EXISTS:
            _check(av[1])
            if av[2] is not None:
                _check(av[2])
        elif op not in (_parser.AT, _parser.ANY, _parser.GROUPREF):
            raise _Differs


#: What each pattern runs as, by the pattern's ``id`` (with the pattern, which keeps that ``id``
#: its own): hashing a compiled pattern hashes its code, as long as a scan of a sentence.
_KEPT: dict[int, tuple[re.Pattern[str], _Runner]] = {}
_MAX_KEPT = 4096


class _Runner(NamedTuple):
    """What a pattern runs as: itself or its twin (``lower``: over the lower-cased text), and the
    strings one of which its matches hold (or ``None``)."""

    pattern: re.Pattern[str]
    strings: tuple[str, ...] | None
    lower: bool
    needs: tuple[str, ...] | None  # every string required, however many


def twin(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    """``pattern`` (compiled with ``re.IGNORECASE``) without the flag, when over lower-cased text
    (:func:`lowered`) it finds the same matches at the same offsets; else ``None``."""
    runner = _runner(pattern)
    return runner.pattern if runner.lower else None


def _runner(pattern: re.Pattern[str]) -> _Runner:
    kept = _KEPT.get(id(pattern))
    if kept is not None and kept[0] is pattern:
        return kept[1]
    if len(_KEPT) >= _MAX_KEPT:
        _KEPT.clear()
    plain = _twin(pattern)
    needs = required(plain if plain is not None else pattern)
    strings = needs if needs is not None and len(needs) <= _MAX_REQUIRED else None
    runner = _Runner(plain if plain is not None else pattern, strings, plain is not None, needs)
    _KEPT[id(pattern)] = (pattern, runner)
    return runner


def _twin(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    flags = pattern.flags
    if _parser is None or not isinstance(pattern.pattern, str) or not flags & re.IGNORECASE:
        return None
    if flags & (re.LOCALE | re.ASCII):
        return None
    try:
        _check(_parser.parse(pattern.pattern, flags))
        plain = re.compile(pattern.pattern, flags & ~re.IGNORECASE)
    except (_Differs, re.error, RecursionError):
        return None
    same = (plain.groups, plain.groupindex) == (pattern.groups, pattern.groupindex)
    return plain if same and not plain.flags & re.IGNORECASE else None


def _required(items) -> frozenset[str] | None:
    """Strings one of which every match of the parsed sequence ``items`` holds, or ``None``: the
    best of those its parts give (a run of literals, a group, alternatives, a repeat)."""
    found: list[frozenset[str]] = []
    run: list[str] = []
    for op, av in items:
        if op is _parser.LITERAL:
            run.append(chr(av))
            continue
        if op is _parser.ASSERT:  # a lookahead or lookbehind: what it holds is in the text too
            inside = _required(av[1])
            if inside:
                found.append(inside)
            continue  # zero-width: the literals around it stay side by side
        if op in (_parser.AT, _parser.ASSERT_NOT):
            continue
        if run:
            found.append(frozenset(["".join(run)]))
            run = []
        part: frozenset[str] | None = None
        if op is _parser.SUBPATTERN and not (av[1] or av[2]):  # not one with flags of its own
            part = _required(av[3])
        elif op is _parser.BRANCH:
            alternatives = [_required(alternative) for alternative in av[1]]
            if all(a is not None for a in alternatives):
                part = frozenset().union(*(a for a in alternatives if a is not None))
        elif op in (_parser.MAX_REPEAT, _parser.MIN_REPEAT) and av[0] >= 1:
            part = _required(av[2])
        if part:
            found.append(part)
    if run:
        found.append(frozenset(["".join(run)]))
    # the fewest strings of three or more characters, the longest first
    return max(
        found,
        key=lambda strings: (min(map(len, strings)) >= 3, -len(strings), min(map(len, strings))),
        default=None,
    )


def required(pattern: re.Pattern[str]) -> tuple[str, ...] | None:
    """For a pattern without ``re.IGNORECASE`` (a twin, say), strings one of which each of its
    matches holds: a text that holds none has no match. ``None`` when there are none to tell (of
    three characters or more)."""
    if _parser is None or not isinstance(pattern.pattern, str) or pattern.flags & re.IGNORECASE:
        return None
    try:
        strings = _required(_parser.parse(pattern.pattern, pattern.flags))
    except (re.error, RecursionError):  # pragma: no cover - the pattern compiled
        return None
    if not strings or min(map(len, strings)) < _MIN_REQUIRED:
        return None
    return tuple(sorted(s for s in strings if not any(o != s and o in s for o in strings)))


@lru_cache(maxsize=4096)
def _plain_text_char(c: str) -> bool:
    """A character of the text whose lower case the engine reads as :meth:`str.lower` writes it."""
    low = c.lower()
    if len(low) != 1 or ord(low) != _sre.unicode_tolower(ord(c)) or c in _EXTRA or low in _EXTRA:
        return False
    if _sre.unicode_iscased(ord(c)) != _sre.unicode_iscased(ord(low)):
        return False
    return (c.isalnum(), c.isspace(), c.isdecimal()) == (low.isalnum(), low.isspace(), low.isdecimal())


_NOT_ASCII = re.compile(r"[^\x00-\x7f]")


def lowered(text: str) -> str | None:
    """``text.lower()`` when it lowers character by character as the engine does (always for
    ASCII text), else ``None``."""
    if text.isascii():
        return text.lower()
    if _parser is None or not all(map(_plain_text_char, set(_NOT_ASCII.findall(text)))):
        return None
    return text.lower()


def lowered_text(doc: Doc) -> str | None:
    """:func:`lowered` of the document's text, lower-cased once for the document."""
    return doc.of_text("casefold:lowered", lowered, doc.text)


def lowered_at(doc: Doc, lo: int, hi: int) -> str | None:
    """:func:`lowered` of ``doc.text[lo:hi]``: a slice of :func:`lowered_text` when the whole
    text lowers character by character (then every stretch of it lowers to its slice), else
    the stretch lowered on its own."""
    low = lowered_text(doc)
    return low[lo:hi] if low is not None else lowered(doc.text[lo:hi])


def finditer(
    pattern: re.Pattern[str], text: str, low: str | None = None, pos: int = 0
) -> Iterator[re.Match[str]]:
    """The matches of ``pattern`` in ``text`` from ``pos`` (as :meth:`re.Pattern.finditer`),
    found by its twin in ``low`` (``lowered(text)``) when both exist, and none when ``text``
    lacks the strings they require; their offsets are those of the matches in ``text``."""
    target = _target(pattern, text, low)
    return target[0].finditer(target[1], pos) if target is not None else iter(())


def search(
    pattern: re.Pattern[str], text: str, low: str | None = None, pos: int = 0, endpos: int = sys.maxsize
) -> re.Match[str] | None:
    """The first match of ``pattern`` in ``text[pos:endpos]`` (as :meth:`re.Pattern.search`),
    found as :func:`finditer` finds matches."""
    target = _target(pattern, text, low)
    return target[0].search(target[1], pos, endpos) if target is not None else None


def _target(pattern: re.Pattern[str], text: str, low: str | None) -> tuple[re.Pattern[str], str] | None:
    """What :func:`finditer` and :func:`search` scan: the pattern and ``text``, or its twin and
    ``low``; ``None`` when the text lacks every string the matches require."""
    kept = _KEPT.get(id(pattern))  # _runner, inlined: this runs for every cue and sentence
    runner = kept[1] if kept is not None and kept[0] is pattern else _runner(pattern)
    if runner.lower:
        if low is None:
            return pattern, text
        text = low
    return (runner.pattern, text) if _holds(text, runner.strings) else None


def may_match(pattern: re.Pattern[str], text: str, low: str | None = None) -> bool:
    """``False`` when neither ``text`` nor any stretch of it can hold a match of ``pattern``: it
    lacks every string the matches require (however many they are); else ``True``."""
    runner = _runner(pattern)
    if not runner.lower:
        return _holds(text, runner.needs)
    return low is None or _holds(low, runner.needs)


def _holds(subject: str, strings: tuple[str, ...] | None) -> bool:
    """``subject`` holds one of ``strings`` (or there are none to test)."""
    if strings is None:
        return True
    # a loop, not any() over a generator: this runs for every cue and sentence
    for s in strings:  # noqa: SIM110
        if s in subject:
            return True
    return False
