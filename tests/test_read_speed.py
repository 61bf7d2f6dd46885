"""The shortcuts of the read stage (tokens, matches, span look-ups) give what the plain code gave.

Each fast path is checked against the straightforward version it replaces, written out here, on
generated strings (hypothesis). Texts here are written in our own words.
"""

from __future__ import annotations

import re
import unicodedata
from operator import itemgetter

from hypothesis import given, settings
from hypothesis import strategies as st

from graph.extract.matcher import Hit, Phrase, PhraseMatcher, Token, _leftmost_longest, tokenize

_PIECES = st.lists(
    st.sampled_from(
        ["A", "Bz", "MOU", "a", "é", "É", "_", ".", "-", " ", "1", "’", "–", "\n", "¨", "ﬁ", "İ", "\u0301"]
    )
)


def _plain_fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.replace("’", "'").replace("–", "-"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


@settings(max_examples=500, deadline=None)
@given(text=_PIECES.map("".join))
def test_tokens_are_the_matches_of_the_token_pattern(text):
    expected = [
        Token(m.start(), m.end(), m.group(0), _plain_fold(m.group(0)))
        for m in re.finditer(r"\w+|[^\w\s]", text)
    ]
    found = tokenize(text)
    assert found == expected
    assert all(type(t) is Token for t in found)


def _plain_leftmost_longest(found: list[tuple[str, int, int, str]]) -> list[Hit]:
    """Per layer: the spans' keys (sorted, once each), chosen leftmost-longest, then merged."""
    layers: dict[str, dict[tuple[int, int], list[str]]] = {}
    for layer, first, neg_last, key in found:
        keys = layers.setdefault(layer, {}).setdefault((first, -neg_last), [])
        if key not in keys:
            keys.append(key)
    hits: list[Hit] = []
    for layer, spans in layers.items():
        next_free = -1
        for first, last in sorted(sorted(spans, key=itemgetter(1), reverse=True), key=itemgetter(0)):
            if first > next_free:
                hits.append(Hit(first, last, layer, tuple(sorted(spans[first, last]))))
                next_free = last
    hits.sort(key=lambda h: (h.first, -h.last, h.layer))
    return hits


@settings(max_examples=500, deadline=None)
@given(
    found=st.lists(
        st.tuples(
            st.sampled_from(["place", "body", "title"]),
            st.integers(0, 6),
            st.integers(0, 3),
            st.sampled_from(["k1", "k2", "k3"]),
        ).map(lambda t: (t[0], t[1], -(t[1] + t[2]), t[3]))
    )
)
def test_leftmost_longest_in_one_sort_chooses_as_per_layer(found):
    assert _leftmost_longest(list(found)) == _plain_leftmost_longest(found)


def test_a_match_keeps_every_key_of_its_span_and_the_case_of_acronyms():
    matcher = PhraseMatcher(
        [
            Phrase("Border Police", "body", "bp"),
            Phrase("border police", "body", "bp2"),
            Phrase("Border", "focus", "border"),
            Phrase("UN", "body", "un"),
        ]
    )
    hits = matcher.match(tokenize("The Border Police met un official of the UN."))
    assert [(h.first, h.last, h.layer, h.keys) for h in hits] == [
        (1, 2, "body", ("bp", "bp2")),
        (1, 1, "focus", ("border",)),
        (8, 8, "body", ("un",)),
    ]


_SPANS = st.lists(
    st.tuples(st.integers(0, 30), st.integers(0, 6), st.sampled_from(["body", "country"])), max_size=25
)


@settings(max_examples=300, deadline=None)
@given(
    spans=_SPANS,
    removed=st.lists(st.integers(0, 24), max_size=5),
    later=_SPANS,
    probes=st.lists(st.integers(-2, 40)),
)
def test_span_lookups_find_what_a_scan_of_the_spans_finds(spans, removed, later, probes):
    from graph.extract.doc import Doc, Span

    doc = Doc("x" * 40)
    made = [Span(start, start + length, label) for start, length, label in spans]
    for span in made:
        doc.add(span)
    for i in sorted(set(removed), reverse=True):
        if i < len(made):
            doc.remove(made.pop(i))
    for start, length, label in later:  # after removals, maybe of every span of a label
        made.append(Span(start, start + length, label))
        doc.add(made[-1])
    for label in ("body", "country"):
        group = sorted((s for s in made if s.label == label), key=lambda s: s.start)  # stable: as added
        assert doc.spans(label) == group
        for pos in probes:
            covering = [s for s in group if s.start <= pos < s.end]
            assert doc.at(label, pos) is (covering[-1] if covering else None)
            for hi in (pos, pos + 1, pos + 7):
                assert doc.within(label, pos, hi) == [s for s in group if pos <= s.start < hi and s.end <= hi]
                assert doc.overlapping(label, pos, hi) == [s for s in group if s.start < hi and s.end > pos]


def test_results_of_one_label_are_kept_until_that_labels_spans_change():
    from graph.extract.countries import ranking
    from graph.extract.doc import Doc, Span

    doc = Doc("Chile, Peru and Chile met the Navy.")
    chile, peru = Span(0, 5, "country", ("CHL",)), Span(7, 11, "country", ("PER",))
    doc.add(chile)
    doc.add(peru)
    assert ranking(doc) == ["CHL", "PER"]
    calls = []
    assert doc.of_label("country", "k", calls.append, 1) is None and calls == [1]
    doc.add(Span(30, 34, "body"))  # another label: the result stays
    assert doc.of_label("country", "k", calls.append, 2) is None and calls == [1]
    doc.add(Span(16, 21, "country", ("CHL",)))
    assert doc.of_label("country", "k", calls.append, 3) is None and calls == [1, 3]
    assert ranking(doc) == ["CHL", "PER"]
    doc.remove(chile)
    assert doc.of_label("country", "k", calls.append, 4) is None and calls == [1, 3, 4]
    doc.add(Span(20, 24, "country", ("PER",)))
    assert ranking(doc) == ["PER", "CHL"]


def _plain_headline_end(doc) -> int:
    """The headline zone's end as computed before the long-line shortcut."""
    if not doc.title_end:
        return 0
    norm = re.sub(r"\W+", " ", doc.text[: doc.title_end]).strip().lower()
    for n, line in enumerate(re.finditer(r"[^\n]+", doc.text[doc.body_start :])):
        if n >= 4 or line.start() > 600:
            break
        text = re.sub(r"\W+", " ", line.group(0)).strip().lower()
        if norm and norm in text and len(text) <= 1.5 * len(norm) + 20:
            return doc.body_start + line.end()
    return doc.title_end


_LINE_PIECES = st.lists(
    st.sampled_from(["Peru", "Chile", "sign", " ", "—", "...", "İ", "\n", "-- --", "pact"])
)


@settings(max_examples=400, deadline=None)
@given(title=_LINE_PIECES.map("".join), body=_LINE_PIECES.map("".join), repeat=st.integers(0, 3))
def test_the_headline_zone_ends_where_the_plain_scan_ends(title, body, repeat):
    from graph.extract.doc import Doc

    body = f"{body}\n{title}{' —' * repeat}\n{body * repeat}"
    doc = Doc.from_parts(title, body)
    assert doc.headline_end == _plain_headline_end(doc)


def _plain_same_case(tokens, first, last, exact, whole) -> bool:
    """The case check of an acronym or case-sensitive phrase as written before its cache."""
    from graph.extract.matcher import _shouted, _strip, fold

    if last - first + 1 != len(exact):
        return False
    for i, word in enumerate(exact):
        text = tokens[first + i].text.replace("’", "'")
        if not whole and i == len(exact) - 1:
            text = text[: len(word)]
        if text == word or (fold(text) == fold(word) and _shouted(text, word)):
            continue
        if _strip(text) != _strip(word):
            return False
        if _strip(text) != text and _strip(word) == word:  # an accent the word lacks: another word
            return False
    return True


_CASED = st.sampled_from(
    ["UN", "un", "Un", "US", "us", "KENYA", "Kenya", "kenya", "Perú", "Peru", "O’Neil", "O'Neil"]
)


@settings(max_examples=500, deadline=None)
@given(
    words=st.lists(_CASED, min_size=1, max_size=3),
    exact=st.lists(_CASED, min_size=1, max_size=3),
    whole=st.booleans(),
)
def test_the_case_check_of_a_phrase_is_the_plain_one(words, exact, whole):
    from graph.extract.matcher import _same_case

    tokens = tokenize(" ".join(words))
    exact = tuple(w.replace("’", "'") for w in exact)
    for first in range(len(tokens)):
        for last in range(first, len(tokens)):
            expected = _plain_same_case(tokens, first, last, exact, whole)
            assert _same_case(tokens, first, last, exact, whole) == expected
