"""The extraction pipeline up to entities: text -> a :class:`Doc` with every span it needs.

One automaton pass over the tokens yields the hits of every phrase list; then, in order:
states, bodies, titles, people, the states of bodies that name none, and names of programmes
(for the focus areas). Each step reads the spans of the steps before it.

Examples
--------
>>> doc = read("Panama's Minister of Public Security met INTERPOL.", title="Panama and INTERPOL")
>>> sorted({s.label for label in ("country", "body", "title") for s in doc.spans(label)})
['body', 'country', 'title']
"""

from __future__ import annotations

from functools import lru_cache

from graph.extract import lexicon
from graph.extract.agencies import find_bodies
from graph.extract.body_names import settle_states
from graph.extract.countries import find_countries
from graph.extract.doc import Doc, Span
from graph.extract.focus import mark_names
from graph.extract.people import find_people
from graph.extract.titles import find_titles

__all__ = ["read"]

_SPAN_LAYERS = {"instrument": "instrument", "focus": "focus-label"}


@lru_cache(maxsize=8192)
def _span_label(layer: str, keys: tuple[str, ...], language: str) -> str | None:
    """The label of the span a hit of ``layer`` with ``keys`` makes, if any: instruments and focus
    labels, regions among places, title words of the release's language or English."""
    if layer in _SPAN_LAYERS:
        return _SPAN_LAYERS[layer]
    if layer == "place" and any(k.startswith("region:") for k in keys):
        return "region"
    if layer == "title" and any(k.split(":")[-1] in {language, "en"} for k in keys):
        return "titleword"
    return None


def _drop_states_in_organizations(doc: Doc) -> None:
    """A state's name inside an international organization's name ("Organization of American
    States", "Comunidad de Policías de América") names no state."""
    for body in doc.spans("body"):
        if body.data.get("international"):
            for span in doc.within("country", body.start, body.end):
                doc.remove(span)


def read(body: str, title: str | None = None, language: str = "en", date: str | None = None) -> Doc:
    """Tokenize, match and annotate one release."""
    doc = Doc.from_parts(title, body, language, date)
    hits = lexicon.load().matcher.match(doc.tokens)
    tokens = doc.tokens
    for first, last, layer, keys in hits:
        label = _span_label(layer, keys, language)
        if label is not None:
            doc.add(Span(tokens[first].start, tokens[last].end, label, keys))
    find_countries(doc, hits)
    find_bodies(doc, hits)
    _drop_states_in_organizations(doc)
    find_titles(doc, hits)
    find_people(doc, hits)
    settle_states(doc)
    mark_names(doc)
    return doc
