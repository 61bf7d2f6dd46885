"""Rule patterns compiled to search faster: a lookahead on the characters a match can start with.

The cues of ``ontology/rules`` are regular expressions, most of them of one shape:
``\\b(?:signed|signs|concluded|...)``. Python's engine tries such a pattern at every position
of a text, and every alternative at every word start; it finds no literal prefix to skip ahead
to. :func:`compile_rule` reads the pattern (with the parser of :mod:`re`), collects the
characters its first consumed character can be, and when that set is known and small, compiles
``(?=[chars])(?:pattern)``: the same matches (a match must start with one of those characters,
and the lookahead consumes nothing), found with one test at most positions instead of one per
alternative. A pattern whose start it cannot read exactly (a class such as ``\\w``, a
backreference, a pattern that can match the empty string, inline flags) is compiled as it is.

Examples
--------
>>> first_chars(r"\\b(?:signed|concluded|in force)\\b", re.IGNORECASE)
'cis'
>>> first_chars(r"\\w+ signed") is None  # any word character: nothing to gain
True
>>> cue = compile_rule(r"\\b(?:signed|concluded)\\b", re.IGNORECASE)
>>> cue.pattern, [m.group(0) for m in cue.finditer("They SIGNED and concluded it.")]
('(?=[cs])(?:\\\\b(?:signed|concluded)\\\\b)', ['SIGNED', 'concluded'])
"""

from __future__ import annotations

import re
from functools import lru_cache

try:  # the parser of the re module: re._parser from Python 3.11, sre_parse before
    from re import _parser as _sre  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python 3.10
    import sre_parse as _sre  # type: ignore[no-redef]

__all__ = ["compile_rule", "first_chars"]

#: Classes wider than this are not spelled out in the lookahead.
_MAX_CHARS = 64
_REPEATS = tuple(
    op for op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, getattr(_sre, "POSSESSIVE_REPEAT", None)) if op
)
_ZERO_WIDTH = (_sre.AT, _sre.ASSERT, _sre.ASSERT_NOT)


class _Unknown(Exception):
    """The start of the pattern cannot be read exactly."""


def _class(items: list) -> set[int]:
    chars: set[int] = set()
    for op, av in items:
        if op is _sre.LITERAL:
            chars.add(av)
        elif op is _sre.RANGE and av[1] - av[0] < _MAX_CHARS:
            chars.update(range(av[0], av[1] + 1))
        else:  # a negated class, a category (\w, \d), a wide range
            raise _Unknown
    return chars


def _starts(items) -> tuple[set[int], bool]:
    """The characters a match of the parsed sequence ``items`` can start with, and whether the
    sequence can match the empty string."""
    chars: set[int] = set()
    for op, av in items:
        if op in _ZERO_WIDTH:  # \\b, ^, lookarounds: they consume nothing
            continue
        if op is _sre.LITERAL:
            return chars | {av}, False
        if op is _sre.IN:
            return chars | _class(av), False
        if op is _sre.SUBPATTERN:
            _, add_flags, del_flags, sub = av
            if add_flags or del_flags:
                raise _Unknown
            found, empty = _starts(sub)
        elif op is _sre.BRANCH:
            found, empty = set(), False
            for alternative in av[1]:
                more, can_be_empty = _starts(alternative)
                found |= more
                empty = empty or can_be_empty
        elif op in _REPEATS:
            low, _, sub = av
            found, empty = _starts(sub)
            empty = empty or low == 0
        else:  # any character, a category, a backreference, an atomic group ...
            raise _Unknown
        chars |= found
        if not empty:
            return chars, False
    return chars, True


def first_chars(pattern: str, flags: int = 0) -> str | None:
    """The characters a match of ``pattern`` starts with (as written; under ``re.IGNORECASE``
    their other cases too), or ``None`` when they cannot be read exactly or are too many."""
    try:
        chars, empty = _starts(_sre.parse(pattern, flags))
    except (_Unknown, re.error):
        return None
    if empty or not chars or len(chars) > _MAX_CHARS:
        return None
    return "".join(sorted(map(chr, chars)))


@lru_cache(maxsize=1024)
def compile_rule(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """``pattern`` compiled with a lookahead on its first characters when they are known: the
    same matches, groups and flags as ``re.compile(pattern, flags)``."""
    plain = re.compile(pattern, flags)
    chars = first_chars(pattern, flags)
    if chars is None:
        return plain
    try:
        fast = re.compile(f"(?=[{''.join(map(re.escape, chars))}])(?:{pattern})", flags)
    except re.error:  # pragma: no cover - inline global flags, which must open a pattern
        return plain
    same = (fast.flags, fast.groups, fast.groupindex) == (plain.flags, plain.groups, plain.groupindex)
    return fast if same else plain
