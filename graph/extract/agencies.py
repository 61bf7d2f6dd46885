"""Government bodies named in a release: from the gazetteer, and by the shape of their names.

A body is found in one of three ways, all reading spans the document already has:

- a gazetteer name or acronym (``body`` layer): "DHS", "Carabineros de Chile", "INTERPOL";
- a name built around a head noun of ``ontology/rules/body-kinds.tsv``: "Ministry of Interior and
  National Administration", "Royal Papua New Guinea Constabulary", "Policía Federal del Brasil";
- an embassy: "Embassy of Chile", "U.S. Embassy in Lima", "la embajada española en Mauritania".

Each mention becomes a ``body`` span whose data holds the canonical ``name`` (without the state
prefix or suffix, in English), the ``surface`` as written, the gazetteer ``entry`` if any and the
``country``, read from the name itself (a demonym, "of X", "X's", a Spanish adjective after it),
else from the gazetteer when the name is the state's own, else from the states the text names
(:func:`graph.extract.body_names.settle_states`). International organizations have no country.
Shapes are read in :mod:`graph.extract.body_shapes`, rows and states resolved in
:mod:`graph.extract.body_names`.

Examples
--------
>>> from graph.extract.doc import Doc
>>> from graph.extract import lexicon
>>> from graph.extract.countries import find_countries
>>> from graph.extract.body_names import settle_states
>>> doc = Doc("Kenya's Ministry of Interior and National Administration met DHS and the Guatemalan Navy.")
>>> hits = lexicon.load().matcher.match(doc.tokens)
>>> find_countries(doc, hits); find_bodies(doc, hits); settle_states(doc)
>>> [(s.data["name"], s.data["country"]) for s in doc.spans("body")]  # doctest: +NORMALIZE_WHITESPACE
[('Ministry of Interior and National Administration', 'KEN'),
 ('Department of Homeland Security', 'USA'), ('Navy', 'GTM')]
"""

from __future__ import annotations

import re
from functools import lru_cache

from graph.extract import lexicon
from graph.extract.body_names import canonical_name, generic_name, resolve_entry
from graph.extract.body_shapes import shape_mentions, trim_state
from graph.extract.casefold import lowered_text, search
from graph.extract.countries import ranking, state_near
from graph.extract.doc import Doc, Span, whole_words
from graph.extract.matcher import Hit, fold
from graph.extract.translate import translate_body

__all__ = ["find_bodies"]


@lru_cache(maxsize=16384)
def _international(name: str) -> bool:
    """A name that marks an international body ("European ...", "... Internacional")."""
    pattern = lexicon.word_pattern("international", fold_case=False)
    return bool(re.search(rf"\b(?:{pattern})\b", name))


_GOVERNMENT = re.compile(r"^(?:the\s+)?[A-Z][\w’'-]+\s+(?:Administration|Government)$", re.I)


# ---------------------------------------------------------------------- embassies


def _diplomatic(language: str) -> str:
    """The heads of diplomatic missions' names in one language ("Embassy", "Consulado General")."""
    kinds = lexicon.load().body_kinds.values()
    names = {k.surface for k in kinds if k.kind == "diplomatic" and k.language == language}
    return "|".join(re.escape(n) for n in reversed(sorted(names, key=_by_length)))


def _by_length(name: str) -> tuple[int, str]:
    """Shortest first, then in alphabetical order: the same alternation whatever the hash seed."""
    return len(name), name


@lru_cache(maxsize=1)
def _embassy_patterns() -> tuple[tuple[re.Pattern[str], re.Pattern[str]], ...]:
    """ "the U.S. Embassy in Panama", "Embassy of Japan", "la Embajada de Chile en Perú".

    Each pattern comes with the pattern of its head alone: no match without the head, and a text
    that names no mission (most) is passed over by one quick search for it.
    """
    english, spanish = _diplomatic("en"), _diplomatic("es")
    # the Spanish heads in any case: written in lower case, the search runs over the lower-cased text
    heads = (re.compile(rf"(?:{english})"), re.compile(rf"(?:{spanish.lower()})", re.IGNORECASE))
    full = (
        re.compile(
            r"\b(?:(?P<pre>[A-Z][\w’'.]*(?:\s+[A-Z][\w’'.]*)?(?:’s|'s)?)\s+)?"
            rf"(?P<head>{english})\b"
            r"(?:\s+of\s+(?:the\s+)?(?P<of>[A-Z][\w’'.]+(?:\s+[A-Z][\w’'.]+){0,3}))?"
            r"(?:\s+(?:in|to)\s+(?P<host>(?:the\s+)?[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+){0,3}))?"
        ),
        re.compile(
            rf"\b(?P<head>(?i:{spanish}))\b"
            r"(?:\s+(?P<adj>[a-záéíóúñ]+))?"
            r"(?:\s+de\s+(?:los\s+|la\s+|el\s+)?(?P<of>[A-ZÁÉÍÓÚ][\wáéíóúñ.]+(?:\s+[A-ZÁÉÍÓÚ][\wáéíóúñ.]+){0,2}))?"
            r"(?:\s+en\s+(?P<host>(?:el\s+|la\s+)?[A-ZÁÉÍÓÚ][\wáéíóúñ]+(?:\s+[A-ZÁÉÍÓÚ][\wáéíóúñ]+){0,2}))?"
        ),
    )
    return tuple(zip(heads, full, strict=True))


def _codes(doc: Doc, start: int, end: int) -> list[str]:
    return [s.keys[0] for s in doc.within("country", start, end)]


def _embassies(doc: Doc) -> list[Span]:
    lex = lexicon.load()
    out = []
    for head_pattern, pattern in _embassy_patterns():
        if search(head_pattern, doc.text, lowered_text(doc)) is None:
            continue
        for m in pattern.finditer(doc.text):
            head = lex.body_kinds[fold(m.group("head"))].english
            sender = []
            for group in ("pre", "adj", "of"):
                if m.groupdict().get(group):
                    sender += _codes(doc, m.start(group), m.end(group))
            host = _codes(doc, m.start("host"), m.end("host")) if m.group("host") else []
            if not sender:
                if head == "High Commission" and host:
                    continue
                if not host:
                    continue
                sender = []
            code = sender[0] if sender else None
            if host:
                host_name = lex.country_names.get(host[0], m.group("host"))
            else:  # "the Embassy of Chile": in the state the release is about
                others = [c for c in ranking(doc) if c != code]
                host_name = lex.country_names.get(others[0], "") if others else ""
            if code is None:
                continue
            if host and host[0] == code:
                continue
            name = f"{head} in {_with_article(host_name)}" if host_name else head
            out.append(
                Span(
                    m.start(),
                    m.end(),
                    "body",
                    (),
                    {
                        "name": name,
                        "surface": m.group(0),
                        "country": code,
                        "entry": None,
                        "source": "embassy",
                    },
                )
            )
    return out


def _with_article(name: str) -> str:
    return (
        f"the {name}"
        if re.match(r"(?:Dominican Republic|Bahamas|Philippines|Netherlands|United )", name)
        else name
    )


def _gazetteer_mentions(doc: Doc, hits: list[Hit]) -> list[Span]:
    sure = {k for h in hits if h.layer == "body" for k in h.keys if not k.startswith("~")}
    out = []
    for hit in hits:
        if hit.layer != "body":
            continue
        ids = tuple(k for k in hit.keys if not k.startswith("~")) or tuple(
            k[1:] for k in hit.keys if k[1:] in sure
        )
        if not ids:
            continue  # an ambiguous form of a body the text does not otherwise name
        start, end = doc.tokens[hit.first].start, doc.tokens[hit.last].end
        surface = doc.text[start:end]
        first, last = hit.first, hit.last
        out.append(
            Span(
                start, end, "body", ids, {"surface": surface, "source": "gazetteer", "tokens": (first, last)}
            )
        )
    return out


def find_bodies(doc: Doc, hits: list[Hit]) -> None:
    """Add a ``body`` span for every government body or organization the document names."""
    lex = lexicon.load()
    gazetteer = _gazetteer_mentions(doc, hits)
    stops: set[int] = set()
    inside: set[int] = set()
    for g in gazetteer:
        tokens = set(range(g.data["tokens"][0], g.data["tokens"][1] + 1))
        if all(lex.bodies[i].country is None for i in g.keys):
            inside |= tokens
        elif g.data["surface"].isupper():
            stops |= tokens
    by_last: dict[int, list[Span]] = {}
    for g in gazetteer:
        by_last.setdefault(g.data["tokens"][1], []).append(g)
    shapes = []
    for first, last, _, _ in shape_mentions(doc, hits, stops, inside):
        start, end = doc.tokens[first].start, doc.tokens[last].end
        surface = doc.text[start:end]
        kinds = {lex.name_kinds.get(t.norm) for t in doc.tokens[first : last + 1]}
        if kinds & {"event", "programme", "document", "joint"}:
            continue  # the name of a meeting, a programme, a document or a joint commission
        if _GOVERNMENT.match(surface) or (surface.isupper() and len(surface) > 6):
            continue  # "the Trump Administration"; a name in a line of capitals cannot be read
        if doc.in_headline(start) and not doc.named_in_body(surface):
            continue  # a headline capitalises every word: a shape there needs the body's support
        data: dict[str, object] = {"surface": surface, "source": "shape", "tokens": (first, last)}
        if inside & set(range(first, last + 1)):
            data["of_organization"] = True  # "UN Information Service": a body of an organization
        ids: tuple[str, ...] = ()
        for g in by_last.get(last, ()):
            g_first, g_last = g.data["tokens"]
            if g_last == last and g_first > first and set(range(g_first, g_last + 1)) <= inside:
                ids = g.keys  # "General Secretariat of the <organization>": the organization
        shapes.append(Span(start, end, "body", ids, data))
    chosen = _choose(gazetteer, shapes)
    taken = [(s.start, s.end) for s in chosen]
    for span in _embassies(doc):
        if not any(a < span.end and span.start < b for a, b in taken) or any(
            a >= span.start and b <= span.end for a, b in taken
        ):
            chosen = [s for s in chosen if not (s.start >= span.start and s.end <= span.end)]
            chosen.append(span)
    for span in sorted(chosen, key=lambda s: s.start):
        if span.data.get("source") != "embassy":
            _describe(doc, span)
        if span.data.get("name"):
            doc.add(span)
    _acronyms(doc)


def _choose(gazetteer: list[Span], shapes: list[Span]) -> list[Span]:
    """Overlapping mentions: the longer wins, a gazetteer name over a shape of the same extent."""
    every = sorted(
        gazetteer + shapes, key=lambda s: (s.start, -(s.end - s.start), s.data["source"] != "gazetteer")
    )
    chosen: list[Span] = []
    for span in every:
        # names are short: a clash can only be with one of the last mentions chosen
        clash = [c for c in chosen[-8:] if c.start < span.end and span.start < c.end]
        if not clash:
            chosen.append(span)
            continue
        if all(
            span.end - span.start > c.end - c.start and span.start <= c.start and span.end >= c.end
            for c in clash
        ):
            for c in clash:
                chosen.remove(c)
            chosen.append(span)
        elif span.data["source"] == "gazetteer" and all(
            c.data["source"] == "shape" and not (c.start <= span.start and c.end >= span.end) for c in clash
        ):
            for c in clash:  # a shape that only overlaps a gazetteer name read past its edge
                chosen.remove(c)
            chosen.append(span)
    return chosen


def _describe(doc: Doc, span: Span) -> None:
    """Fill a mention's canonical name, gazetteer entry and the state its name gives."""
    lex = lexicon.load()
    first, last = span.data["tokens"]
    first, last, before, after = trim_state(doc, first, last)
    start, end = doc.tokens[first].start, doc.tokens[last].end
    core = canonical_name(doc.text[start:end])
    spanish = doc.language == "es" or _is_spanish_name(core)
    # the state before the name first, then one right after it where the name's words stopped
    stated = (
        before
        or after
        or state_near(doc, span.start, span.end, after=False)
        or state_near(doc, span.start, span.end, before=False)
    )
    ids = span.keys or lex.body_names.get(fold(core), ()) or _bracketed_acronym(doc, span)
    if not ids and spanish:
        ids = lex.body_names.get(fold(translate_body(core) or ""), ())
    entry = resolve_entry(doc, ids, stated, core)
    if entry and span.data.get("source") != "gazetteer" and not stated and not ranking(doc):
        span.data["entry_state"] = True
    international = (_international(core) or bool(span.data.get("of_organization"))) and not stated
    if entry:
        body = lex.bodies[entry]
        name, country = body.name, body.country
        if country and stated and stated != country:
            country = stated
        span.data.update(entry=entry, international=body.country is None)
    else:
        english = translate_body(core) if spanish else None
        name = english or core
        country = None if international else stated
        span.data.update(entry=None, international=international)
        if english and english != core:
            span.data["alias"] = core
    if not name or len(name) < 3:
        span.data["name"] = None
        return
    span.data.update(name=name, country=country, stated=bool(stated or (entry and not generic_name(name))))
    span.data.setdefault("generic", generic_name(name) and not entry)


def _bracketed_acronym(doc: Doc, span: Span) -> tuple[str, ...]:
    """A name followed by a gazetteer acronym in brackets ("Oficina de las Naciones Unidas contra
    las Drogas y el Delito (UNODC)") is that body, whatever the wording of its name."""
    m = re.match(r"\s*\(\s*([A-Z][A-Za-z.&-]{1,9})\s*\)", doc.text[span.end : span.end + 16])
    if not m:
        return ()
    lex = lexicon.load()
    return tuple(i for i in lex.body_names.get(fold(m.group(1)), ()) if m.group(1) in lex.bodies[i].acronyms)


@lru_cache(maxsize=16384)
def _is_spanish_name(name: str) -> bool:
    first = fold(name.split(" ", 1)[0])
    kind = lexicon.load().body_kinds.get(first)
    return bool(kind and kind.language == "es")


def _acronyms(doc: Doc) -> None:
    """An acronym in brackets after a body's name ("Cyber Security Agency of Singapore (CSA)")
    is that body's alias, and its later mentions are mentions of that body."""
    for span in list(doc.spans("body")):
        m = re.match(r"\s*\(\s*([A-Z][A-Za-z.&-]{1,9})\s*\)", doc.text[span.end : span.end + 14])
        if not m or (
            span.data.get("entry") and m.group(1) in lexicon.load().bodies[span.data["entry"]].acronyms
        ):
            continue
        acronym = m.group(1)
        span.data.setdefault("acronyms", []).append(acronym)
        for pos, _ in whole_words(doc.text, acronym, start=span.end + m.end(), not_before="."):
            if doc.at("body", pos):
                continue
            doc.add(
                Span(
                    pos,
                    pos + len(acronym),
                    "body",
                    span.keys,
                    {**span.data, "surface": acronym, "source": "acronym"},
                )
            )
