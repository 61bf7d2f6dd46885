"""Case-insensitive cues run as case-sensitive twins over lower-cased text find the same matches.

The cues are the ontology's own (every cue kind, trigger, anchor and place word), the texts the
sample releases of the repository, their sentences, and texts written here with the characters
whose case mappings are irregular ("İ", "ſ", the Kelvin sign, Greek and Cyrillic letters).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from graph import read_paths
from graph.extract import agencies, clauses, commitments, dates, instruments, lexicon, people, places
from graph.extract.casefold import finditer, lowered, lowered_at, may_match, required, search, twin
from graph.extract.doc import Doc, split_sentences

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples" / "releases"

#: Our own sentences, with characters whose lower case is irregular or has extra equivalents.
ODD_TEXTS = [
    "The MINISTERS SIGNED the Agreement today in İzmir; it will enter into force.",
    "They ſigned it and it entered into forſe.",  # long s: "ſ" is "s" to the flag only
    "Signed by the \u212aing (Kelvin sign) and RATIFIED in Σοφία ΟΔΟΣ.",
    "Signed by the \u212aing (a Kelvin sign, which lowers to k) and RATIFIED.",
    "Ministers of Ukraine signed; Україна підписала Меморандум.",
    "Firmaron HOY el Memorándum de Entendimiento en Bogotá, Colombia.",
    "SIGNED SIGNED signed: ﬅ ﬆ µ μ ı i",
]


def _cues() -> list[re.Pattern[str]]:
    patterns = [p for found in lexicon.load().cues.values() for p in found]
    for language in ("en", "es"):
        patterns += [p for p, _ in clauses._firm_events().get(language, [])]
        patterns += [*commitments._patterns("anchor", language), commitments._any_anchor(language)]
        patterns += [p for p, _ in instruments._weak_cues(language)]
        patterns += [places._cue(kind, language) for kind in ("act", "event", "stop", "travel")]
        patterns += [commitments._party_subject(language)]
    patterns += [*dates._patterns().values(), people._speech(), *(h for h, _ in agencies._embassy_patterns())]
    return patterns


def _texts() -> list[str]:
    texts = list(ODD_TEXTS)
    for release in read_paths([SAMPLES]):
        texts += [release.text] + [s.text for s in split_sentences(release.text)]
    return texts


def test_most_cues_have_twins():
    patterns = _cues()
    assert len(patterns) > 60
    assert sum(twin(p) is not None for p in patterns) > 0.9 * len(patterns)


@pytest.mark.parametrize("text", [*ODD_TEXTS, None])
def test_twins_find_the_cues_matches(text):
    texts = [text] if text is not None else _texts()
    for pattern in _cues():
        for t in texts:
            low = lowered(t)
            spans = [m.span() for m in pattern.finditer(t)]
            assert [m.span() for m in finditer(pattern, t, low)] == spans
            assert may_match(pattern, t, low) or not spans
            later = [m.span() for m in pattern.finditer(t, 7)]
            assert [m.span() for m in finditer(pattern, t, low, 7)] == later
            for pos in (0, 5):
                found, expected = search(pattern, t, low, pos), pattern.search(t, pos)
                assert (found and found.span()) == (expected and expected.span())


def test_no_twin_where_the_flag_matters():
    assert twin(re.compile(r"\b[A-Z]\w+", re.IGNORECASE)) is None  # a capital letter
    assert twin(re.compile(r"[a-zA-Z]+", re.IGNORECASE)) is None
    assert twin(re.compile("µ", re.IGNORECASE)) is None  # "µ" is also "μ" to the flag
    assert twin(re.compile("(?-i:a)b", re.IGNORECASE)) is None  # a group with flags of its own
    assert twin(re.compile("signed")) is None  # no flag: nothing to drop
    plain = twin(re.compile(r"\b(?P<verb>sign(?:ed|s))\b", re.IGNORECASE))
    assert plain is not None and plain.pattern == r"\b(?P<verb>sign(?:ed|s))\b"
    assert plain.groupindex == {"verb": 1}


def test_lowered_only_where_lowering_keeps_offsets():
    assert lowered("Signed in Bogotá") == "signed in bogotá"
    assert lowered("İzmir") is None  # lower-cased, "İ" is two characters
    assert lowered("forſe") is None  # "ſ" is "s" to the flag, not to str.lower
    assert lowered("ΟΔΟΣ") is None  # a final sigma lowers by its context


def test_required_strings_are_in_every_match():
    pattern = twin(re.compile(r"\b(?:will|shall)\s+(?:also\s+)?(?P<verb>\w+)", re.IGNORECASE))
    assert required(pattern) == ("shall", "will")
    provide = re.compile(r"\b(?:provides|provided|provide)\s+for\b", re.IGNORECASE)
    assert required(twin(provide)) == ("provide",)
    assert required(twin(re.compile(r"\w+ed\b", re.IGNORECASE))) is None  # nothing of three characters
    text = "They agreed to share data."
    assert list(finditer(re.compile(r"\bwill\s+\w+", re.IGNORECASE), text, lowered(text))) == []


def test_required_strings_of_a_lookahead_not_of_a_negative_one():
    future = twin(re.compile(r"(?<!\bno )(?=\b\w{3,}(?:arán|erán)\b)", re.IGNORECASE))
    assert required(future) == ("arán", "erán")  # the verb the lookahead reads is in the text
    text = "Trabajarán juntos."
    assert [m.start() for m in finditer(future, text, lowered(text))] == [0]
    assert not may_match(future, "No hay nada.", lowered("No hay nada."))
    assert required(re.compile(r"(?!will)\w+ing")) == ("ing",)  # a negative lookahead requires nothing
    assert required(re.compile(r"(?!will)\w+")) is None


def test_lowered_at_is_the_stretch_lowered():
    for text in ("The “Acuerdo” signed in Bogotá, ÑANDÚ.", "ΟΔΟΣ Atenas", "İzmir and Ankara"):
        doc = Doc(text)
        for lo in range(len(text)):
            for hi in range(lo, len(text) + 1):
                assert lowered_at(doc, lo, hi) == lowered(text[lo:hi])
