"""Earlier instruments an instrument builds on, implements, extends, replaces or amends.

An instrument that the text names as an earlier one (a background mention:
:func:`graph.extract.clauses.is_background`, "builds on the 2019 agreement", "under the ACA",
"reemplaza al memorando de 2015") in a sentence of the release's instrument is one of its
references. The relation is read from the words right before the earlier instrument's name
(``ontology/rules/references.tsv``; the nearest cue wins); its type from the label, its title
from the name (:func:`graph.extract.instruments.title_of`), its parties from the states the name
gives, else, for a common noun ("the 2019 agreement"), the parties of the instrument that refers
to it.

Examples
--------
>>> from graph.extract.pipeline import read
>>> doc = read("Chile and Peru signed a protocol today that amends the 2015 Border Agreement.")
>>> [(r.relation, r.type) for r in references(doc, [0], ("CHL", "PER"))]
[('amends', 'agreement')]
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from graph.extract import lexicon
from graph.extract.clauses import is_background
from graph.extract.countries import codes_in
from graph.extract.doc import Doc
from graph.extract.instruments import generic_noun, labels, title_of
from graph.extract.patterns import compile_rule
from graph.model import Reference

__all__ = ["references"]

_YEAR = re.compile(r"\b(?:19|20)\d\d\b")


@lru_cache(maxsize=4)
def _cues(language: str) -> tuple[tuple[re.Pattern[str], str], ...]:
    rows = lexicon.read_tsv("rules/references.tsv")
    own = [r for r in rows if r["language"] == language] or [r for r in rows if r["language"] == "en"]
    return tuple((compile_rule(r["pattern"], re.IGNORECASE), r["relation"]) for r in own)


def _relation(doc: Doc, start: int) -> str:
    """The relation the words before the name at ``start`` give (the nearest cue wins)."""
    before = doc.text[max(doc.sentence_at(start).start, start - 80) : start]
    best: tuple[int, str] | None = None
    for pattern, relation in _cues(doc.language):
        for m in pattern.finditer(before):
            if best is None or m.end() > best[0]:
                best = (m.end(), relation)
    return best[1] if best else "builds-on"


def references(
    doc: Doc,
    sentences: Iterable[int],
    parties: Iterable[str] = (),
    kind: str | None = None,
    title: str | None = None,
) -> list[Reference]:
    """The earlier instruments named as background in ``sentences`` (indices), in text order.

    ``kind`` and ``title`` are those of the instrument that refers: "under this MOC" after an
    MOC, or its own name again, is that instrument, not an earlier one.
    """
    own_title = (title or "").lower()
    out: list[Reference] = []
    for index in sorted(set(sentences)):
        sentence = doc.sentences[index]
        if sentence.start < doc.headline_end:
            continue
        for start, end, surface, label_kind, _weak in labels(doc, sentence):
            if not is_background(doc, start):
                continue
            name = title_of(doc, sentence, start, end).strip()
            generic = bool(generic_noun().match(name)) or not any(w[:1].isupper() for w in name.split())
            dated = bool(_YEAR.search(doc.text[max(sentence.start, start - 30) : end + 30]))
            if (generic and label_kind == kind and not dated) or (own_title and name.lower() in own_title):
                continue  # "Under this MOC, DHS will ...": the instrument itself
            named = sorted(set(codes_in(name, doc.language)))
            states = tuple(named) if named else (tuple(sorted(set(parties))) if generic else ())
            reference = Reference(_relation(doc, start), label_kind, name or surface, states)
            if reference not in out:
                out.append(reference)
    return out
