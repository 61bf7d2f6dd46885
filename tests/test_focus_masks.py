"""Focus labels inside names and titles are masked, read once per release (graph.extract.focus)."""

from __future__ import annotations

from graph.extract.doc import Span
from graph.extract.focus import release_focus, sentence_focus
from graph.extract.pipeline import read


def test_a_label_is_masked_by_any_name_it_overlaps():
    doc = read("Both sides will fight cybercrime. They met at Customs and Border Protection.")
    first, second = doc.sentences
    assert "cybersecurity" in sentence_focus(doc, first)
    assert "customs-trade" not in sentence_focus(doc, second)  # inside a body's name
    # a name that only overlaps the label's last characters masks it too, as does a long
    # name that starts well before it; one that ends where the label starts does not
    label = next(s for s in doc.spans("focus-label") if s.start >= first.start and s.end <= first.end)
    doc.add(Span(label.start - 5, label.start, "person"))
    assert "cybersecurity" in sentence_focus(doc, first)
    doc.add(Span(label.end - 1, label.end + 3, "title"))
    assert "cybersecurity" not in sentence_focus(doc, first)


def test_release_focus_matches_the_sentences():
    doc = read("Chile and Peru will fight drug trafficking. Peru will share data on cybercrime.")
    found = release_focus(doc)
    assert set(found) == set().union(*(sentence_focus(doc, s) for s in doc.sentences))
    assert all(key in sentence_focus(doc, sentence) for key, sentence in found.items())
