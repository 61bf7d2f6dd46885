"""The quick tests finders run before a costly pattern never skip a text the pattern matches.

Each gate is checked against its pattern over every stretch of the sample releases of the
repository, and over texts written here for the edges (a trailing space, a year, a capital).
"""

from __future__ import annotations

from pathlib import Path

from graph import read_paths
from graph.extract.clauses import _TRAILING_NAMES, _names_trail, _trailing_names
from graph.extract.countries import _DATELINE, _datelines
from graph.extract.people import _LABEL_END, _TRANSCRIPT

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples" / "releases"


def _windows(size: int, step: int = 5) -> list[str]:
    texts = [release.text for release in read_paths([SAMPLES])]
    return [t[max(0, end - size) : end] for t in texts for end in range(0, len(t) + 1, step)]


def test_trailing_names_gate_skips_only_texts_the_pattern_leaves_as_they_are():
    edges = ["", " ", "under the\n", "the 2019", "the Bilateral ", "its x-Y.z", "under the ", "signed a  "]
    skipped = 0
    for text in _windows(80) + edges:
        if not _names_trail(text):
            skipped += 1
            assert _TRAILING_NAMES.sub(_trailing_names, text) == text, text
    assert skipped > 100  # the gate does skip most texts (they end with an article)
    assert _names_trail("under the 2019 ") and _names_trail("the Bilateral")
    assert not _names_trail("building on the ")
    assert _TRAILING_NAMES.sub(_trailing_names, "under the 2019 Bilateral ") == "under the "


def test_transcript_gate_skips_only_texts_without_a_label():
    edges = ["SECRETARY RUBIO: Thank you.", "Mr. SMITH: yes", "note: nothing", "O’NEILL: hi", "A-B:"]
    for text in _windows(400, 37) + edges:
        if _LABEL_END.search(text) is None:
            assert _TRANSCRIPT.search(text) is None, text
    assert _LABEL_END.search("SECRETARY RUBIO: Thank you.") is not None


def test_datelines_are_the_pattern_matches_at_line_starts():
    texts = [release.text for release in read_paths([SAMPLES])]
    texts += ["", "\n", "LIMA, Peru -\n", "x\nLIMA - a", "LIMA - a\n\nQUITO (Ecuador).- b\n"]
    texts += ["a\nKIGALI, 10 May 2024:"]
    found = 0
    for text in texts:
        for pos in sorted({0, 1, 9, len(text) // 2, len(text)} - {p for p in (1, 9) if p > len(text)}):
            expected = [m.span() for m in _DATELINE.finditer(text, pos)]
            assert [m.span() for m in _datelines(text, pos)] == expected
            found += len(expected)
    assert found > 5
