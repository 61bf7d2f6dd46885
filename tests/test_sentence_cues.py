"""A sentence's cues read through the text lower-cased once (graph.extract.clauses)."""

from __future__ import annotations

from graph.extract.clauses import has_cue, sentence_has_cue
from graph.extract.pipeline import read

TEXTS = [
    ("They will sign the “Memorandum” next year. Today they signed the treaty.", "en"),
    ("El acuerdo firmado en 2015 sigue vigente. Hoy firmaron el convenio en Bogotá.", "es"),
    ("İzmir hosted talks; the ministers will negotiate an agreement.", "en"),
]


def test_sentence_has_cue_is_has_cue_of_its_text():
    seen = set()
    for text, language in TEXTS:
        doc = read(text, language=language)
        for i, sentence in enumerate(doc.sentences):
            for kinds in (("today",), ("block",), ("block", "past"), ("near",)):
                found = sentence_has_cue(doc, i, *kinds)
                assert found == has_cue(sentence.text, language, *kinds)
                seen.add(found)
    assert seen == {True, False}
