"""Titles of office: the phrase a person's name comes with, read by its structure.

A title is built around a head of ``ontology/rules/person-titles.tsv`` ("Minister", "Secretary
General", "ministra"): modifiers before it ("Acting", "Deputy", "Vice"), words naming the domain
or the body before it ("Interior Minister", "INTERPOL President", "U.S. Ambassador"), and a
complement after it opened by "of", "for", "to", "de", "del" ("of Public Security", "de Seguridad
Pública", "to Papua New Guinea"). The complement ends where its words end: a body or a state
named there, or the capitalised words of the vocabulary the ontology uses for bodies and
subjects. What follows is free for a name.

Examples
--------
>>> from graph.extract.pipeline import read
>>> doc = read("Panamanian Minister of Public Security Rolando Mirones spoke.")
>>> t = doc.spans("title")[0]
>>> doc.text[t.start:t.end], t.data["head"], t.data["complement"]
('Panamanian Minister of Public Security', 'Minister', 'Public Security')
"""

from __future__ import annotations

import re
from functools import lru_cache

from graph.extract import lexicon
from graph.extract.body_names import generic_name
from graph.extract.doc import Doc, Span
from graph.extract.matcher import Hit, fold, inner_hyphen

__all__ = ["find_titles", "is_name_word", "name_like", "outside_names"]


def _cap(text: str) -> bool:
    return text[:1].isupper()


def _head_word(doc: Doc, hit: Hit) -> str:
    """The head's words as the title vocabulary keys them ("deputy-minister", "prime minister")."""
    return _head_key(doc.text[doc.tokens[hit.first].start : doc.tokens[hit.last].end])


@lru_cache(maxsize=16384)
def _head_key(surface: str) -> str:
    """A head's surface as the title vocabulary keys it: spaces made single, folded (cached)."""
    return fold(re.sub(r"\s+", " ", surface))


def is_name_word(doc: Doc, i: int) -> bool:
    """A token that may be part of a person's name: capitalised, not a title word, not a word of
    the body and subject vocabulary, not inside a body or a state's name."""
    tok = doc.tokens[i]
    return name_like(tok.text, tok.norm, doc.language) and outside_names(doc, tok.start)


def outside_names(doc: Doc, pos: int) -> bool:
    """What :func:`is_name_word` reads from the spans: ``pos`` is not inside the name of a body or
    a state, nor a title word."""
    return not (doc.at("body", pos) or doc.at("country", pos) or doc.at("titleword", pos))


@lru_cache(maxsize=65536)
def name_like(text: str, norm: str, language: str) -> bool:
    """What :func:`is_name_word` reads from the word alone (the vocabulary is fixed: cached)."""
    if not _cap(text) or text.isdigit():
        return False
    lex = lexicon.load()
    word = lex.title(norm, language)
    if (
        (word is not None and word.language in {language, "en"})
        or norm in lexicon.word_set("not-name")
        or norm in lexicon.word_set("title-link", "en")
        or norm in lexicon.word_set("title-opener", "en")
    ):
        return False  # a title word, an article, or "Of", "And" in a headline's capitals
    kind = lex.body_kinds.get(norm)
    return kind is None or kind.language not in {language, "en"}


def _complement_end(doc: Doc, i: int, spanish: bool) -> int:
    """The last token of a title's complement starting at token ``i`` (-1 if there is none)."""
    lex = lexicon.load()
    tokens = doc.tokens
    last = -1
    j = i
    while j < len(tokens):
        tok = tokens[j]
        if j > i and "\n" in doc.text[tokens[j - 1].end : tok.start]:
            break  # a title never runs across lines
        if doc.at("instrument", tok.start) or lex.name_kinds.get(tok.norm) in {"document", "event"}:
            break  # "... Prosperity Agreement": an instrument's name starts
        body = doc.at("body", tok.start)
        place = doc.at("country", tok.start) or doc.at("region", tok.start)
        span = body or place
        if span is not None:
            j = doc.token_index(span.end)
            last = j - 1
            if j + 1 < len(tokens) and tokens[j].text in {"'", "’"} and tokens[j + 1].norm == "s":
                j += 2  # "of Mexico's Tax Administration Service"
            continue
        acronym = tok.text.isupper() and len(tok.text) >= 2
        if _cap(tok.text) and not (tok.norm in lex.complement_words or acronym) and _known_follows(doc, j):
            last = j  # "for Political Affairs": a word the vocabulary lacks before one it has
        elif _cap(tok.text) and (tok.norm in lex.complement_words or acronym):
            if (lex.title(tok.norm, doc.language) or _NO_WORD).kind == "honorific":
                break
            last = j
        elif (
            tok.norm in lexicon.word_set("title-link")
            and last >= 0
            and j + 1 < len(tokens)
            and (_cap(tokens[j + 1].text) or _article_then_name(doc, j))
        ):
            if tok.norm in {"and", "y", "e"} and _title_follows(doc, j + 1):
                break
        elif tok.text == "," and last >= 0 and _serial(doc, j):
            pass
        elif tok.text == "(" and j + 2 < len(tokens) and tokens[j + 2].text == ")":
            last = j + 2
            j += 3
            continue
        elif tok.text == "-" and last == j - 1:
            pass
        else:
            break
        j += 1
    # a complement never ends on a link word
    while last >= i and tokens[last].norm in lexicon.word_set("title-link"):
        last -= 1
    return last


def _article_then_name(doc: Doc, j: int) -> bool:
    """ "of the Federal Republic of Nigeria", "de la Nación": a preposition, an article and a
    capitalised word (not "and the ...", which may open another title)."""
    tokens = doc.tokens
    return (
        tokens[j].norm not in lexicon.word_set("coordinator")
        and tokens[j].norm not in lexicon.word_set("article")
        and j + 2 < len(tokens)
        and tokens[j + 1].norm in lexicon.word_set("article")
        and _cap(tokens[j + 2].text)
    )


def _known_follows(doc: Doc, j: int) -> bool:
    """The capitalised word after token ``j`` (same line) is a word of the complement vocabulary."""
    lex = lexicon.load()
    k = j + 1
    if k >= len(doc.tokens) or "\n" in doc.text[doc.tokens[j].end : doc.tokens[k].start]:
        return False
    nxt = doc.tokens[k]
    return _cap(nxt.text) and nxt.norm in lex.complement_words and lex.title(nxt.norm, doc.language) is None


def _to_comma_name(doc: Doc, k: int, end: int) -> int:
    """A complement of words the vocabulary lacks that runs up to a comma and a name ("el director
    de Prevención y Participación Ciudadana, Luis Zegarro") ends at the comma. A body's name, and
    an acronym in brackets after it, count as one word ("la jefa de misión de la Organización
    Internacional para las Migraciones (OIM) en Chile, Mariana Ferreyra")."""
    from graph.extract.people import name_run_at

    tokens = doc.tokens
    j = max(end + 1, k)
    last = end
    words = 0
    while j < len(tokens) and words < 12:
        tok = tokens[j]
        words += 1
        if tok.text == ",":
            if last >= k and name_run_at(doc, j + 1):
                return last
            return end
        body = doc.at("body", tok.start)
        if body is not None and body.start == tok.start:
            last = doc.token_index(body.end) - 1
            j = last + 1
            continue
        if tok.text == "(" and last >= k and j + 2 < len(tokens) and tokens[j + 2].text == ")":
            last = j + 2  # "(OIM)" after the name it abbreviates
            j += 3
            continue
        if _cap(tok.text):
            last = j
        elif doc.language == "es" and (
            tok.norm in lexicon.load().complement_words or doc.at("country", tok.start)
        ):
            last = j  # "director ejecutivo del ministerio beliceño, Kareem Hyde": Spanish in lower case
        elif (
            tok.norm not in lexicon.word_set("title-link")
            or "\n" in doc.text[doc.tokens[j - 1].end : tok.start]
        ):
            return end
        j += 1
    return end


def _serial(doc: Doc, j: int) -> bool:
    """A comma inside a list of domain words that "and" closes ("of Foreign Affairs, Foreign
    Trade, Culture, and Immigration")."""
    lex = lexicon.load()
    for tok in doc.tokens[j + 1 : j + 12]:
        if tok.norm in {"and", "y", "e", "&"}:
            return True
        if tok.text == ",":
            continue
        if not (_cap(tok.text) and (tok.norm in lex.complement_words or doc.at("country", tok.start))):
            return False
    return False


def _title_follows(doc: Doc, j: int) -> bool:
    lex = lexicon.load()
    k = j
    while k < len(doc.tokens) and k < j + 4:
        word = lex.title(doc.tokens[k].norm, doc.language)
        if word and word.kind == "head":
            return True
        if not word:
            return False
        k += 1
    return False


def _left_edge(doc: Doc, first: int) -> int:
    """Extend a title to the left over modifiers, a state or demonym, and capitalised domain
    words or a body's name before the head ("U.S. Deputy Assistant", "Interior", "INTERPOL")."""
    lex = lexicon.load()
    tokens = doc.tokens
    j = first - 1
    edge = first
    while j >= 0:
        tok = tokens[j]
        if "\n" in doc.text[tok.end : tokens[j + 1].start]:
            break  # a title never runs across lines
        word = lex.title(tok.norm, doc.language)
        body = doc.at("body", tok.start)
        place = doc.at("country", tok.start)
        if word and word.kind == "modifier" and _cap(tok.text):
            edge = j
        elif (span := body or place) is not None:
            j = doc.token_index(span.start)
            edge = j
        elif _cap(tok.text) and tok.norm in lex.complement_words:
            edge = j
        elif _possessive_or_hyphen(tokens, j):
            pass
        else:
            break
        j -= 1
    while edge < first and (
        tokens[edge].norm in lexicon.word_set("title-link") or tokens[edge].text in {"'", "’", "-"}
    ):
        edge += 1
    return edge


def _possessive_or_hyphen(tokens, j: int) -> bool:
    """Token ``j`` is part of a possessive ("Panama's") or a hyphen inside a capitalised word."""
    tok = tokens[j]
    if tok.text in {"'", "’"}:
        return j + 1 < len(tokens) and tokens[j + 1].norm == "s"
    if tok.norm == "s":
        return j > 0 and tokens[j - 1].text in {"'", "’"}
    return tok.text == "-" and j > 0 and _cap(tokens[j - 1].text)


def _office(doc: Doc, hit: Hit, word, first: int) -> dict:
    """One office of a title: its head, the domain words before it ("Public Security" Minister)
    and the complement after it, read up to where the complement's words end."""
    lex = lexicon.load()
    spanish = word.language == "es"
    last = hit.last
    j = last + 1
    while (
        j < len(doc.tokens)
        and spanish
        and (lex.title(doc.tokens[j].norm, doc.language) or _NO_WORD).kind == "modifier"
    ):
        last, j = j, j + 1  # "secretario interino", "secretaria adjunta"
    place = doc.at("country", doc.tokens[j].start) if j < len(doc.tokens) else None
    if place is not None and doc.text[place.start].islower():
        last = doc.token_index(place.end) - 1  # "el presidente argentino"
        j = last + 1
    complement = span = opener = None
    if (
        spanish
        and j < len(doc.tokens)
        and not _cap(doc.tokens[hit.first].text)
        and _cap(doc.tokens[j].text)
        and doc.tokens[j].norm in lex.complement_words
        and not doc.at("country", doc.tokens[j].start)
    ):
        # "el jefe nacional Antinarcóticos y Contra el Crimen Organizado de PDI, ..."
        end = _to_comma_name(doc, j, _complement_end(doc, j, True))
        if end >= j:
            span = (doc.tokens[j].start, doc.tokens[end].end)
            complement, opener = doc.text[span[0] : span[1]], "de"
            last, j = end, end + 1
    while (
        j < len(doc.tokens)
        and doc.tokens[j].norm in lexicon.word_set("title-opener")
        and (complement is None or _chain(doc, j))
    ):
        k = j + 1
        if k < len(doc.tokens) and doc.tokens[k].norm in lexicon.word_set("article"):
            k += 1
        end = _to_comma_name(doc, k, _complement_end(doc, k, spanish))
        if end < k:
            break
        if complement is None:
            span = (doc.tokens[j + 1].start, doc.tokens[end].end)
            complement = doc.text[span[0] : span[1]]
            opener = doc.tokens[j].norm
        last, j = end, end + 1
    complement, span, state = _cut_state(doc, complement, span)
    before = [
        t
        for t in doc.tokens[first : hit.first]
        if _cap(t.text)
        and t.norm in lex.complement_words
        and (lex.title(t.norm, doc.language) or _NO_WORD).kind != "modifier"
        and not doc.at("country", t.start)
        and not doc.at("body", t.start)
    ]
    pre = " ".join(t.text for t in before) if before and before[-1] is doc.tokens[hit.first - 1] else None
    if doc.within("body", doc.tokens[first].start, doc.tokens[hit.first].start):
        pre = None  # the words before the head name a body ("Public Safety Minister")
    subordinate = any(
        (lex.title(t.norm, doc.language) or _NO_WORD).kind == "modifier"
        and t.norm in lexicon.word_set("subordinate")
        for t in doc.tokens[first : last + 1]
    )
    return {
        "word": word,
        "head": doc.text[doc.tokens[hit.first].start : doc.tokens[hit.last].end],
        "pre": pre,
        "complement": complement,
        "complement_span": span,
        "opener": opener,
        "state": state,
        "last": last,
        "spanish": spanish and (doc.language == "es" or not _cap(doc.tokens[hit.first].text)),
        "subordinate": subordinate,
    }


def find_titles(doc: Doc, hits: list[Hit]) -> list[Span]:
    """Add and return a ``title`` span for every title phrase in ``doc``; its data holds each
    office it names ("Deputy Prime Minister and Minister of the Interior": two)."""
    lex = lexicon.load()
    out: list[Span] = []
    covered = -1
    named = frozenset(s.keys[0] for s in doc.spans("country"))
    heads = [h for h in hits if h.layer == "title" and h.keys and any(k.startswith("head:") for k in h.keys)]
    for n, hit in enumerate(heads):
        if hit.first <= covered:
            continue
        head_tok = doc.tokens[hit.first]
        if hit.first > 0 and doc.tokens[hit.first - 1].norm in lexicon.word_set("patronymic"):
            continue  # "Khalid bin Sultan": a father's name, not a title
        word = lex.title(_head_word(doc, hit), doc.language)
        if word is None or (word.language != doc.language and word.language != "en"):
            continue
        if word.language == "en" and not _cap(head_tok.text) and not _lower_title_ok(doc, hit):
            continue  # "the minister said": a common noun, unless a name or a complement follows
        first = max(_left_edge(doc, hit.first), covered + 1)  # titles do not overlap
        hit = _hyphenated(doc, hit, heads, n)
        offices = [_office(doc, hit, word, first)]
        last = offices[0]["last"]
        # more offices joined by "and": "Vice President and Minister of Justice"
        for k in range(n + 1, len(heads)):  # no slice: copying the rest each time is quadratic
            nxt = heads[k]
            j = last + 1
            if not (
                j < len(doc.tokens) and doc.tokens[j].norm in {"and", "y"} and _title_follows(doc, j + 1)
            ):
                break
            if nxt.first <= j or nxt.first > j + 4:
                break
            nxt_word = lex.title(_head_word(doc, nxt), doc.language)
            if nxt_word is None:
                break
            offices.append(_office(doc, nxt, nxt_word, j + 1))
            last = covered = offices[-1]["last"]
        main = offices[0]
        span = Span(
            doc.tokens[first].start,
            doc.tokens[last].end,
            "title",
            (),
            {
                "head": main["head"],
                "head_word": word,
                "complement": main["complement"],
                "complement_span": main["complement_span"],
                "head_start": head_tok.start,
                "head_end": doc.tokens[hit.last].end,
                "first": first,
                "last": last,
                "spanish": main["spanish"],
                "state": next((o["state"] for o in offices if o["state"]), None),
                "offices": offices,
            },
        )
        doc.add(span)
        out.append(span)
        covered = max(covered, last)
        _drop_foreign_bodies(doc, span, named)
    return out


def _hyphenated(doc: Doc, hit: Hit, heads: list[Hit], n: int) -> Hit:
    """A head joined by a hyphen, with no space, to the head after it is one head with it
    ("Comptroller-General", "Director-General"): the hit runs to the later one's last token."""
    joined = (
        n + 1 < len(heads) and heads[n + 1].first == hit.last + 2 and inner_hyphen(doc.tokens, hit.last + 1)
    )
    return Hit(hit.first, heads[n + 1].last, hit.layer, hit.keys) if joined else hit


def _alone(body: Span) -> bool:
    """A body whose head names it alone ("the Treasury", "the Navy"), not a portfolio's words."""
    kinds = lexicon.load().body_kinds
    words = [fold(w) for w in re.findall(r"[\w’'-]+", body.data.get("surface") or "")]
    return any(kinds[w].alone for w in words if w in kinds)


def _drop_foreign_bodies(doc: Doc, title: Span, named: frozenset[str]) -> None:
    """A title of one state whose complement holds a gazetteer name of another state's body
    ("Maldivian Minister of Homeland Security and Technology", or with no state given and the
    other state not named): the words are the complement of that state's office, not the other
    body. A body read by shape in a minister's complement is the portfolio too."""
    lex = lexicon.load()
    before = doc.within("country", title.start, title.data["head_start"])
    state = title.data["state"] or (before[-1].keys[0] if before else None)
    for office in title.data["offices"]:
        if office["complement_span"] is None:
            continue
        for body in doc.within("body", *office["complement_span"]):
            entry = lex.bodies.get(body.data.get("entry") or "")
            if entry is not None and entry.country and entry.country != state:
                if state is None and entry.country in named:
                    continue  # the other state is named: its body may be
                if generic_name(body.data.get("name") or ""):
                    # a name every state may have ("National Migration Service"): the body of
                    # this title's state, whose state the text settles, not the other's entry
                    body.data.update(entry=None, country=state, stated=state is not None)
                else:
                    doc.remove(body)  # the other state's body is not named
            elif (
                entry is None
                and body.data.get("source") == "shape"
                and (office["word"].body or office["opener"] in {"for", "para"})
                and not _alone(body)
            ):
                # "Minister of the Interior and Administration": a minister's complement is the
                # portfolio of the ministry the title implies, not a body of its own
                doc.remove(body)


# Modifiers that make an office a part of its body rather than its head ("Assistant Secretary for
# Policy" runs an office of a department, not a secretariat).
_NO_WORD = type("_NoWord", (), {"kind": None})()
_STATE_TAIL = re.compile(r"\s+(?:of|de|del)\s+(?:the\s+|la\s+|los\s+|el\s+)?$", re.IGNORECASE)


def _cut_state(doc: Doc, complement: str | None, span: tuple[int, int] | None):
    """A complement that ends with a state ("de Seguridad Pública de Panamá", "of the Interior of
    Jordan") or a list of states ("del Interior de Perú y Ecuador"): the state is the title's (the
    first, for a list), the rest the complement."""
    if not complement or span is None:
        return complement, span, None
    places = doc.within("country", span[0], span[1])
    if not places or places[-1].end != span[1]:
        return complement, span, None
    last = places[-1]
    if doc.text[last.start].islower() and last.start > span[0]:
        # "ministro de Hacienda salvadoreño": a Spanish adjective of state closes the complement
        cut = len(doc.text[span[0] : last.start].rstrip()) + span[0]
        start_of_text = span[1] - len(complement)
        return doc.text[start_of_text:cut], (span[0], cut), last.keys[0]
    opener = re.search(r"(\w+)\s+(?:the\s+|la\s+|el\s+|los\s+)?$", doc.text[max(0, span[0] - 12) : span[0]])
    if opener is None or opener.group(1).lower() in {"to", "in", "en", "ante"}:
        return complement, span, None  # "Ambassador to Mexico": a host, not the title's state
    first = len(places) - 1  # back over a list of states: "de Perú y Ecuador", "of X, Y and Z"
    while first > 0 and re.fullmatch(
        r"\s*(?:,|and|y|e|,\s*and)\s*", doc.text[places[first - 1].end : places[first].start]
    ):
        first -= 1
    place = places[first]
    head = doc.text[span[0] : place.start]
    tail = _STATE_TAIL.search(head)
    if not tail or tail.start() == 0:
        return complement, span, place.keys[0] if not head.strip() else None
    cut = span[0] + tail.start()
    start_of_text = span[1] - len(complement)
    return doc.text[start_of_text:cut], (span[0], cut), place.keys[0]


def _chain(doc: Doc, j: int) -> bool:
    """A second complement ("Under Secretary of State for Political Affairs", "para la Unión
    Europea", "Embajador de Colombia en Chile"): "for", "on", "para" and capitalised words after
    it, or "in", "to", "en" and a state."""
    k = j + 1
    if k < len(doc.tokens) and doc.tokens[k].norm in lexicon.word_set("article"):
        k += 1
    if k >= len(doc.tokens) or not _cap(doc.tokens[k].text):
        return False
    if doc.tokens[j].norm in {"for", "on", "para"}:
        return True
    return doc.tokens[j].norm in {"in", "to", "en", "ante"} and bool(doc.at("country", doc.tokens[k].start))


def _lower_title_ok(doc: Doc, hit: Hit) -> bool:
    """An English head in lower case counts in an appositive ("X, the interior minister of Y"),
    or when a capitalised word follows it ("the Italian prime minister Georgia Meloni", "the
    interior ministers of Serbia")."""
    before = doc.text[max(0, doc.tokens[hit.first].start - 40) : doc.tokens[hit.first].start]
    if re.search(r",\s*(?:the\s+|a\s+|its\s+|their\s+)?(?:[\w’'-]+\s+){0,4}$", before):
        return True
    j = hit.last + 1
    if j < len(doc.tokens) and doc.tokens[j].norm in {"of", "for"}:
        j += 1
        if j < len(doc.tokens) and doc.tokens[j].norm == "the":
            j += 1
    return (
        j < len(doc.tokens) and _cap(doc.tokens[j].text) and doc.tokens[j - 1].end + 1 == doc.tokens[j].start
    )
