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


def test_head_mentions_found_where_the_word_is_a_token():
    from graph.extract.instruments import _head_tokens

    for text in ("La carta, las cartas, Carta y acarta: CARTA.", "İzmir: la carta y la Carta."):
        doc = read(text, language="es")
        expected = [i for i, t in enumerate(doc.tokens) if i and t.text.lower() in {"carta", "la"}]
        assert _head_tokens(doc, ["carta", "la"]) == expected
        assert len(expected) >= 3
