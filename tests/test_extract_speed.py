"""The shortcuts taken for speed find exactly what the patterns they replace found.

Each fast path is checked against the plain regular expression it stands for, on generated
strings (hypothesis), and the text that made one pattern backtrack exponentially is extracted.
Texts here are written in our own words.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from graph import Release, extract
from graph.extract.clauses import _TRAILING_NAMES
from graph.extract.doc import Doc, whole_words
from graph.extract.matcher import _haystack, tokenize

_PIECES = st.lists(st.sampled_from(["A", "Bz", "MOU", "a", "é", "_", ".", "-", " ", "1", "2019", "’", "\n"]))


@settings(max_examples=400, deadline=None)
@given(
    text=_PIECES.map("".join),
    word=st.sampled_from(["", "A", "Bz", "MOU", "a.", "-1"]),
    start=st.integers(0, 12),
    not_before=st.sampled_from(["", ".", ".-"]),
    not_after=st.sampled_from(["", "-"]),
)
def test_whole_words_are_the_matches_of_the_lookaround_pattern(text, word, start, not_before, not_after):
    start = min(start, len(text))
    pattern = rf"(?<![\w{re.escape(not_before)}]){re.escape(word)}(?![\w{re.escape(not_after)}])"
    expected = [(start + m.start(), start + m.end()) for m in re.finditer(pattern, text[start:])]
    found = whole_words(text, word, start=start, not_before=not_before, not_after=not_after)
    assert list(found) == expected


@settings(max_examples=400, deadline=None)
@given(
    text=st.lists(st.sampled_from(["A", "BC", "ab", "2019", "19", " ", ".", "-", ",", "Ó", "\n"]), max_size=9)
)
def test_trailing_names_match_as_the_backtracking_pattern_did(text):
    text = "".join(text)
    plain = re.compile(r"(?:\b(?:19|20)\d\d\b|[A-Z][\w’'.-]*|\s)+$")

    def blank(m: re.Match[str]) -> str:
        return " " if m.group(0).strip() else m.group(0)

    assert _TRAILING_NAMES.sub(blank, text) == plain.sub(blank, text)


def test_a_headline_in_capitals_before_an_instrument_is_read():
    # Before, a run of capitals ending in a lower-case word before an instrument's name was cut
    # into pieces in every possible way: this release took minutes.
    caps = "LOS MINISTROS DE SEGURIDAD DE PANAMÁ Y DE CHILE FIRMAN EL MEMORANDO"
    text = f"El ministro de Panamá y el ministro de Chile firmaron hoy un memorando. {caps} “un convenio”."
    record = extract(Release(id="caps", text=text, language="es", date="2024-05-02"))
    assert record.countries == ("CHL", "PAN")
    assert record.agreements and record.agreements[0].type == "memorandum-of-understanding"


def test_the_haystack_maps_every_character_to_its_token():
    tokens = tokenize("Panamá’s MOU, signed ¼ today.")
    haystack, spaces = _haystack(tokens)
    owner = [0]  # the table the bisection replaces: a space belongs to the token after it
    for i, token in enumerate(tokens):
        owner += [i] * len(token.norm) + [i + 1]
    assert len(owner) == len(haystack)
    from bisect import bisect_right

    assert [bisect_right(spaces, p) - 1 for p in range(len(haystack))] == owner


def test_results_of_the_text_are_kept_and_results_of_the_spans_are_dropped_when_they_change():
    doc = Doc("Chile and Peru signed.")
    calls = []

    def count(value):
        calls.append(value)
        return value

    assert doc.of_text("k", count, 1) == 1 and doc.of_text("k", count, 2) == 1
    assert doc.of_spans("s", count, 3) == 3 and doc.of_spans("s", count, 4) == 3
    from graph.extract.doc import Span

    doc.add(Span(0, 5, "country", ("CHL",)))
    assert doc.of_spans("s", count, 5) == 5 and doc.of_text("k", count, 6) == 1
    assert calls == [1, 3, 5]


@settings(max_examples=400, deadline=None)
@given(
    text=st.lists(
        st.sampled_from(["a", "and", "or", "y", "O", "E", "x", "Band", " ", ";", ",", ".", ":", "\n", "é"])
    ),
    cut=st.integers(0, 12),
)
def test_the_trailing_connector_search_starts_late_and_finds_the_same_match(text, cut):
    from graph.extract.commitments import _TRAIL, _trail_from

    text = "".join(text)
    cut = min(cut, len(text))
    assert _TRAIL.search(text, _trail_from(text, cut)).span() == _TRAIL.search(text, cut).span()


_WORDS = st.lists(
    st.sampled_from(["said", "Said", "sa", "met", "mét", "told reporters", "in", "İn", "x1", "1x"])
)


@settings(max_examples=400, deadline=None)
@given(
    words=_WORDS.filter(bool),
    text=st.lists(
        st.sampled_from(["said", "SAID", "sa", "met", "MÉT", "told", "reporters", "in", "İN", " ", "\n"])
    ).map("".join),
    flags=st.sampled_from([0, re.IGNORECASE]),
)
def test_an_alternation_with_its_first_characters_matches_as_the_plain_one(words, text, flags):
    from graph.extract.lexicon import alternation

    plain = _plain(sorted(set(words), key=len, reverse=True))
    fast = alternation(sorted(set(words), key=len, reverse=True))
    for shape in (r"\b(?:{})\b", r"(?:{})\s+", r",?\s*(?:{})$"):
        expected = [m.span() for m in re.finditer(shape.format(plain), text, flags)]
        assert [m.span() for m in re.finditer(shape.format(fast), text, flags)] == expected


def _plain(words: list[str]) -> str:
    """The alternation as it was written before the lookahead on first characters."""
    return "|".join(re.escape(w).replace("\\ ", r"\s+") for w in words)


def test_the_words_of_every_kind_match_as_their_plain_alternation(shared_corpus):
    from graph.extract import lexicon

    lex = lexicon.load()
    texts = [p.read_text(encoding="utf-8") for p in sorted((shared_corpus / "releases").iterdir())[:40]]
    for kind in lex.words:
        for language in (None, "en", "es"):
            words = sorted(lex.word_set(kind, language), key=len, reverse=True)
            plain = re.compile(rf"\b(?:{_plain(words)})\b", re.I)
            fast = re.compile(rf"\b(?:{lex.word_pattern(kind, language)})\b", re.I)
            for text in texts:
                assert [m.span() for m in fast.finditer(text)] == [m.span() for m in plain.finditer(text)], (
                    kind
                )


def _rule_patterns() -> list[str]:
    """Every regular expression of the rule files that the extractor compiles."""
    from graph.extract.lexicon import read_tsv

    patterns = [r["pattern"] for name in ("agreement-cues", "references", "title-agencies")
                for r in read_tsv(f"rules/{name}.tsv")]  # fmt: skip
    regex_kinds = {"anchor", "effect", "intro", "not", "purpose"}
    patterns += [r["value"] for r in read_tsv("rules/commitments.tsv") if r["kind"] in regex_kinds]
    return patterns


def test_rule_patterns_with_a_first_character_lookahead_match_as_written(shared_corpus):
    from graph.extract.patterns import compile_rule

    texts = [p.read_text(encoding="utf-8") for p in sorted((shared_corpus / "releases").iterdir())]
    patterns = _rule_patterns()
    sped = [p for p in patterns if compile_rule(p, re.IGNORECASE).pattern != p]
    assert len(sped) > len(patterns) // 2  # most rules gain the lookahead
    for pattern in patterns:
        plain, fast = re.compile(pattern, re.IGNORECASE), compile_rule(pattern, re.IGNORECASE)
        for text in texts:
            expected = [(m.span(), m.groupdict()) for m in plain.finditer(text)]
            assert [(m.span(), m.groupdict()) for m in fast.finditer(text)] == expected, pattern
            assert bool(fast.match(text, 40)) == bool(plain.match(text, 40))


@settings(max_examples=300, deadline=None)
@given(
    pattern=st.sampled_from(
        [
            r"\b(?:ab|c)",
            r"(?:a|)b",
            r"a?b",
            r"[a-c]x|\bd",
            r"(?<=x)ab",
            r"(?:x*)",
            r"(?P<n>ab|Ç)\1",
            r"[^a]b",
            r"\w+",
            r"(?i:a)b",
            r"(?:a{0,2}|b)c",
            r"^ab$",
            r"(?=b)\w",
            r"i|İ|ß|k",
        ]
    ),
    text=st.lists(
        st.sampled_from(["a", "b", "c", "x", "d", "A", "B", "Ç", "ç", "İ", "ı", "K", "ẞ", " ", "\n"])
    ).map("".join),
    flags=st.sampled_from([0, re.IGNORECASE, re.IGNORECASE | re.MULTILINE]),
)
def test_a_pattern_with_a_first_character_lookahead_finds_what_it_found(pattern, text, flags):
    from graph.extract.patterns import compile_rule

    plain, fast = re.compile(pattern, flags), compile_rule(pattern, flags)
    assert [m.span() for m in fast.finditer(text)] == [m.span() for m in plain.finditer(text)]
    assert (fast.groups, fast.groupindex) == (plain.groups, plain.groupindex)


def test_the_first_characters_are_read_only_when_exact():
    from graph.extract.patterns import first_chars

    assert first_chars(r"\b(?:will|shall)\s+") == "sw"
    assert first_chars(r"(?:a|)b") == "ab"  # an empty alternative: what follows starts it too
    assert first_chars(r"a?") is None  # can match the empty string: anywhere
    assert first_chars(r"[^a]b") is None and first_chars(r"\w+") is None and first_chars(r"(?i:a)") is None


def _prose_problem_char_by_char(text: str) -> str | None:
    """The prose check as first written, one character at a time: the oracle of the counted one."""
    import unicodedata

    from graph.ingest.decode import _COMMON_PUNCTUATION, _EAST_ASIAN, _odd_in_a_word

    if not any(c.isalpha() for c in text):
        if any(c.isalnum() for c in text):
            return "no words (no letters: only digits, whitespace, symbols or invisible characters)"
        return "empty"
    sample = text[:20_000]
    visible = [c for c in sample if not c.isspace()]
    odd = sum(1 for c in visible if not c.isalnum() and c not in _COMMON_PUNCTUATION)
    if len(visible) >= 8 and odd > 0.2 * len(visible):
        return "binary or random bytes (too many symbols), not text"
    words = sample.split()
    if len(words) == 1 and len(visible) >= 6 and any(_odd_in_a_word(c) for c in visible):
        return "binary or random bytes (one run of mixed symbols), not text"
    if len(sample) >= 100 and len(visible) / max(1, len(words)) > 40:
        return "binary or random bytes (no word breaks), not text"
    scripts: dict[str, int] = {}
    for c in visible:
        if c.isalpha() and c > "\u024f":
            script = unicodedata.name(c, "UNKNOWN").split(" ")[0]
            script = "EAST-ASIAN" if script in _EAST_ASIAN else script
            scripts[script] = scripts.get(script, 0) + 1
    latin = sum(1 for c in visible if c.isalpha() and c <= "\u024f")
    counts = sorted([*scripts.values(), latin], reverse=True)
    if sum(counts) >= 4 and len(counts) >= 3 and counts[1] + counts[2] > 0.3 * sum(counts):
        return "binary or random bytes (letters of unrelated scripts), not text"
    return None


_ODD_TEXT = st.lists(
    st.sampled_from(
        [" ", "\t", "\n", "\x0b", "\x1c", "\x85", "\xa0", "\u2003", "ab", "7", "%", "#@", "αβ", "б", "中",
         "א", "-", "’", "\u3001", "\uff01", "\x00", "\x01", "\x7f", "\x0e", "\ud800", "\udfff", "é",
         "aaa", "ββ", "бб", "中中"]
    ),
    max_size=80,
).map("".join)  # fmt: skip


@settings(max_examples=600, deadline=None)
@given(text=_ODD_TEXT)
def test_the_read_checks_count_what_a_character_loop_counts(text):
    """The reader's checks (not prose, control characters, lone surrogates) count characters in C
    (a Counter of distinct characters, a character class); a loop over every character says the same."""
    from graph.ingest.decode import _CONTROL, _SURROGATE, prose_problem

    found, expected = prose_problem(text), _prose_problem_char_by_char(text)
    assert (found or "").startswith("empty") if expected == "empty" else found == expected
    controls = sum(1 for c in text if (c < " " and c not in "\t\n\r\f\v") or c == "\x7f")
    assert len(_CONTROL.findall(text)) == controls
    assert bool(_SURROGATE.search(text)) == any("\ud800" <= c <= "\udfff" for c in text)
