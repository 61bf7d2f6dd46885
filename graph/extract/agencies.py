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
(:func:`settle_states`). International organizations have no country.

Examples
--------
>>> from graph.extract.doc import Doc
>>> from graph.extract import lexicon
>>> from graph.extract.countries import find_countries
>>> doc = Doc("Kenya's Ministry of Interior and National Administration met DHS and the Guatemalan Navy.")
>>> hits = lexicon.load().matcher.match(doc.tokens)
>>> find_countries(doc, hits); find_bodies(doc, hits); settle_states(doc)
>>> [(s.data["name"], s.data["country"]) for s in doc.spans("body")]  # doctest: +NORMALIZE_WHITESPACE
[('Ministry of Interior and National Administration', 'KEN'),
 ('Department of Homeland Security', 'USA'), ('Navy', 'GTM')]
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from graph.extract import lexicon
from graph.extract.countries import ranking, state_near
from graph.extract.doc import Doc, Span
from graph.extract.matcher import Hit, fold
from graph.extract.translate import translate_body

__all__ = [
    "canonical_name",
    "fallback_state",
    "find_bodies",
    "generic_name",
    "resolve_entry",
    "settle_states",
    "stated_states",
]

_CAP = re.compile(r"[A-ZÁÉÍÓÚÑ][\w’'.&-]*$|U\.S\.?$|[A-Z]{2,}$")


def _links(spanish: bool) -> frozenset[str]:
    return lexicon.word_set("link", "es" if spanish else "en")


def _openers() -> frozenset[str]:
    return lexicon.word_set("body-opener")


def _international(name: str) -> bool:
    """A name that marks an international body ("European ...", "... Internacional")."""
    pattern = lexicon.word_pattern("international", fold_case=False)
    return bool(re.search(rf"\b(?:{pattern})\b", name))


_GOVERNMENT = re.compile(r"^(?:the\s+)?[A-Z][\w’'-]+\s+(?:Administration|Government)$", re.I)


def _is_cap(text: str) -> bool:
    return bool(_CAP.match(text)) and not text.isdigit()


def _tokens_text(doc: Doc, first: int, last: int) -> str:
    return doc.text[doc.tokens[first].start : doc.tokens[last].end]


# ---------------------------------------------------------------------- shapes


_NO_TITLE = type("_NoTitle", (), {"kind": None})()


def _same_line(doc: Doc, a: int, b: int) -> bool:
    """Tokens ``a`` and ``b`` (a < b) are on one line with no more than one space between
    neighbours: names never run across lines."""
    return "\n" not in doc.text[doc.tokens[a].end : doc.tokens[b].start]


def _extend_complement(doc: Doc, i: int, spanish: bool, limit: int, stops: set[int]) -> int:
    """From token ``i`` (the first word after "of"/"de"), the last token of a capitalised
    complement: capitalised words joined by links, a serial comma only inside a list that "and"
    closes. The complement ends on a word of the ontology's body vocabulary (or a state): more
    than one capitalised word after it that the vocabulary lacks starts something else
    ("Department of Homeland Security Kristi Noem"); a title before a name, another body
    ("and the U.S. Federal Bureau"), a line break or a state followed by more words end it too."""
    lex = lexicon.load()
    tokens = doc.tokens
    links = _links(spanish)
    last = last_known = -1
    commas = 0
    j = i
    while j < min(len(tokens), limit):
        tok = tokens[j]
        if j > i and not _same_line(doc, j - 1, j):
            break
        if tok.text == "-" and last == j - 1 and j + 1 < len(tokens) and _is_cap(tokens[j + 1].text):
            j += 1
            continue
        if _is_cap(tok.text):
            word = lex.title(tok.norm, doc.language)
            nxt = tokens[j + 1] if j + 1 < len(tokens) else None
            if (
                word is not None
                and word.kind in {"head", "honorific"}
                and j > i
                and not (nxt is not None and nxt.norm in {"of", "for", "de", "del"})
                and not tok.text.endswith("s")
            ):
                break  # "Department of State Ambassador Thomas Shannon", "... Security Secretary, Janet"
            if j in stops and j > i:
                break
            place = doc.at("country", tok.start)
            if place is not None:
                j = doc.token_index(place.end)
                last = last_known = j - 1
                if j < len(tokens) and _is_cap(tokens[j].text):
                    break  # "of Mexico Executive Steering Committee": the state ends the name
                continue
            last = j
            if tok.norm in lex.complement_words or tok.text.isupper():
                last_known = j
        elif tok.text == ",":
            if j + 1 < len(tokens) and tokens[j + 1].norm in {"and", "y"} and commas == 0:
                break  # ", and Major General ...": a clause, not a list
            if not _serial_comma(doc, j, links):
                break
            commas += 1
        elif tok.norm in links:
            if tok.norm == "in" and not spanish:
                break
            if tok.norm in {"and", "y", "e", "&"}:
                k = _skip_to_head(doc, j + 1)
                if (
                    k < len(tokens)
                    and tokens[k].norm in {"of", "de", "del"}
                    and _body_head(doc, _skip_to_head(doc, k + 1))
                ):
                    break  # "del Instituto de Migración y de la Dirección ...": two bodies
                state_between = any(doc.at("country", t.start) for t in tokens[j + 1 : k])
                article = k > j + 1  # "and the Maritime Police": a new noun phrase
                if state_between or (article and _head_ahead(doc, k)) or k in stops:
                    break
                if _body_head(doc, k) and not _bare_word_of_portfolio(doc, j, k):
                    break  # "Department of State and Department of Defense": two bodies
        elif tok.text in {"'", "’"} and last == j - 1 and j + 1 < len(tokens) and tokens[j + 1].norm == "s":
            j += 1
        else:
            break
        j += 1
    if last_known >= i:
        # one more capitalised word may close the name ("Office of the State Solicitor", "contra
        # las Drogas y el Delito")
        between = tokens[last_known + 1 : last]
        if (
            last > last_known
            and all(t.norm in links and t.norm not in {"on", "in"} for t in between)
            and (last + 1 >= len(tokens) or not _is_cap(tokens[last + 1].text))
            and not doc.at("country", tokens[last_known].start)
            and tokens[last].norm not in lexicon.load().name_kinds
        ):
            return last
        return last_known
    return last if last < i + 3 else i + 2


def _bare_word_of_portfolio(doc: Doc, j: int, k: int) -> bool:
    """ "Ministry of Justice and Police": a head noun right after "and", with nothing of its own
    after it, is one more word of the portfolio."""
    tokens = doc.tokens
    nxt = tokens[k + 1] if k + 1 < len(tokens) else None
    if k != j + 1 or nxt is None or _is_cap(nxt.text):
        return False
    if nxt.norm in _openers():  # only a state may follow: "... and Police of Suriname"
        after = _skip_to_head(doc, k + 2)
        return after > k + 2 and doc.within("country", nxt.end, tokens[after - 1].end) != []
    return True


def _skip_to_head(doc: Doc, j: int) -> int:
    """Past articles and a state's name or adjective ("and the Guatemalan Ministry")."""
    while j < len(doc.tokens):
        tok = doc.tokens[j]
        place = doc.at("country", tok.start)
        if tok.norm in {"the", "la", "el", "los", "las", "its", "their"}:
            j += 1
        elif place is not None:
            j = doc.token_index(place.end)
            if j < len(doc.tokens) and doc.tokens[j].text in {"'", "’"}:
                j += 2
        else:
            break
    return j


def _head_ahead(doc: Doc, k: int) -> bool:
    """The capitalised words from token ``k`` hold a body's head ("and the Maritime Police")."""
    while k < len(doc.tokens) and _is_cap(doc.tokens[k].text):
        if _body_head(doc, k):
            return True
        k += 1
    return False


def _body_head(doc: Doc, j: int) -> bool:
    lex = lexicon.load()
    for n in (3, 2, 1):
        words = " ".join(t.norm for t in doc.tokens[j : j + n])
        if words in lex.body_kinds:
            return True
    return False


def _serial_comma(doc: Doc, j: int, links: set[str]) -> bool:
    """A comma inside a name: capitalised words follow and an "and"/"y" comes before any other
    punctuation or lower-case word ("Ministry of Foreign Affairs, Trade and Development")."""
    for tok in doc.tokens[j + 1 : j + 12]:
        if tok.norm in {"and", "y", "e", "&"}:
            return True
        if not _is_cap(tok.text) and tok.norm not in links and tok.text != ",":
            return False
    return False


def _extend_left(doc: Doc, head_first: int, stops: set[int], inside: set[int]) -> int:
    """The first token of a name's capitalised words before its head ("Royal Papua New Guinea
    Constabulary", "Joint Security Task Force", "Asylum, Protection and Enforcement Directorate").

    The words are those of the body vocabulary, states and acronyms; one or two other capitalised
    words may stand right before the head ("Investigative Committee"), but a list ("X and Y
    Directorate") holds only vocabulary words, so that a person's name before "and" stays out.
    ``stops`` are tokens of another body's name (a national acronym: "DHS U.S. Customs"); an
    international organization's name (``inside``) is taken in ("UN Information Service")."""
    lex = lexicon.load()
    tokens = doc.tokens
    first = head_first
    unknown = 0
    crossed = False
    j = head_first - 1
    while j >= 0:
        tok = tokens[j]
        if not _same_line(doc, j, j + 1):
            break
        place = doc.at("country", tok.start)
        if j in stops:
            break
        if tok.text == ")" and j >= 2 and tokens[j - 2].text == "(" and tokens[j - 1].text.isupper():
            j -= 3  # "Jamaica Defence Force (JDF) Coast Guard": an acronym inside the name
            continue
        if (
            tok.norm == "s"
            and j >= 2
            and tokens[j - 1].text in {"'", "’"}
            and (lex.title(tokens[j - 2].norm, doc.language) or _NO_TITLE).kind == "head"
        ):
            first = j - 2  # "Prime Minister's Office"
            j -= 3
            continue
        if j in inside:
            first = j
        elif place is not None and place.end <= tokens[head_first].start:
            j = doc.token_index(place.start)
            first = j
        elif _is_cap(tok.text) and not _sentence_opener(doc, j):
            word = lex.title(tok.norm, doc.language)
            if word is not None and word.kind in {"head", "honorific"}:
                break
            if not (tok.norm in lex.complement_words or tok.text.isupper()):
                unknown += 1
                if crossed or unknown > 2:
                    break
            first = j
        elif tok.norm in {"and", "&"} and j - 1 >= 0 and _is_cap(tokens[j - 1].text):
            crossed = True
            before = tokens[j - 1]
            if (
                before.norm not in lex.complement_words
                or doc.at("country", before.start)
                or _body_head(doc, j - 1)
            ):
                break
        elif tok.text == "," and j - 1 >= 0 and _is_cap(tokens[j - 1].text) and _is_cap(tokens[j + 1].text):
            crossed = True
            if _ends_body(doc, j - 1) or not any(t.norm == "and" for t in tokens[j + 1 : head_first]):
                break
        else:
            break
        j -= 1
    while first < head_first and (tokens[first].norm in _links(False) or tokens[first].text == ","):
        first += 1
    return first


def _ends_body(doc: Doc, j: int) -> bool:
    """Token ``j`` is the last word of a body's head ("... Directorate, Migration and ...")."""
    lex = lexicon.load()
    return any(
        " ".join(t.norm for t in doc.tokens[j - n + 1 : j + 1]) in lex.body_kinds
        for n in (1, 2, 3)
        if j - n + 1 >= 0
    )


def _sentence_opener(doc: Doc, j: int) -> bool:
    """A capitalised word that only opens the sentence ("The", "Today")."""
    norm = doc.tokens[j].norm
    return norm in lexicon.word_set("not-name") or norm in lexicon.word_set("today")


def _title_heads(hits: list[Hit]) -> dict[int, tuple[int, int]]:
    """For each token inside a multi-word title head, that head's token range."""
    out: dict[int, tuple[int, int]] = {}
    for h in hits:
        if h.layer == "title" and h.last > h.first:
            for k in range(h.first, h.last + 1):
                out[k] = (h.first, h.last)
    return out


def _in_title_head(heads: dict[int, tuple[int, int]], first: int, last: int) -> bool:
    """A body-kind word inside a title's head ("Police Commissioner", "Defence Force Chief")."""
    span = heads.get(first)
    return span is not None and span[0] <= first and last <= span[1] and span != (first, last)


def _shape_mentions(
    doc: Doc, hits: list[Hit], stops: set[int], inside: set[int]
) -> list[tuple[int, int, int, int]]:
    """Body names by shape: ``(first, last, head_first, head_last)`` token indices."""
    lex = lexicon.load()
    out = []
    heads = _title_heads(hits)
    for hit in hits:
        if hit.layer != "bodykind":
            continue
        head_text = _tokens_text(doc, hit.first, hit.last)
        kind = lex.body_kinds.get(" ".join(t.norm for t in doc.tokens[hit.first : hit.last + 1]))
        if (
            kind is None
            or not _is_cap(doc.tokens[hit.first].text)
            or _in_title_head(heads, hit.first, hit.last)
        ):
            continue
        if (
            hit.first == hit.last
            and lex.title(doc.tokens[hit.first].norm, doc.language) is not None
            and head_text != kind.surface
        ):
            continue  # "Secretaria" (a secretary) is not "Secretaría" (a secretariat)
        spanish = kind.language == "es"
        first, last = hit.first, hit.last
        if not spanish:
            first = _extend_left(doc, hit.first, stops, inside)
        j = last + 1
        if spanish:  # adjectives after a Spanish head ("Policía Nacional", "Dirección General")
            while (
                j < len(doc.tokens)
                and _is_cap(doc.tokens[j].text)
                and _same_line(doc, j - 1, j)
                and not doc.at("country", doc.tokens[j].start)
                and doc.tokens[j].norm not in lex.body_kinds
                and j not in stops
            ):
                last = j
                j += 1
            place = doc.at("country", doc.tokens[j].start) if j < len(doc.tokens) else None
            if (
                place is not None
                and place.start == doc.tokens[j].start
                and _is_cap(doc.tokens[j].text)
                and _same_line(doc, j - 1, j)
                and doc.token_index(place.end) == j + 1
                and j not in stops
            ):
                last = j  # "Policía Boliviana", "Fuerza Aérea Colombiana": the demonym is the name's
                j += 1
        complement = False
        if j < len(doc.tokens) and doc.tokens[j].norm in _openers() and kind.order in {"initial", "both"}:
            k = j + 1
            if k < len(doc.tokens) and doc.tokens[k].norm in {"the", "la", "las", "los", "el"}:
                k += 1
            end = _extend_complement(doc, k, spanish, k + 25, stops)
            if end >= k:
                last, complement = end, True
        if not complement and not spanish and kind.order == "final" and j < len(doc.tokens):
            nxt = doc.tokens[j]
            if (
                _is_cap(nxt.text)
                and _same_line(doc, j - 1, j)
                and not _body_head(doc, j)
                and not doc.at("country", nxt.start)
                and (lex.title(nxt.norm, doc.language) or _NO_TITLE).kind != "head"
            ):
                continue  # the name goes on ("Police Cooperation Agreement"): not a body's name
        if first == hit.first and last == hit.last and not kind.alone:
            continue  # a head alone ("the Ministry") names no body
        out.append((first, last, hit.first, hit.last))
    return out


def _spanish_head(doc: Doc, first: int) -> bool:
    """The name at token ``first`` opens with a Spanish head ("Policía", "Fuerza Aérea")."""
    kind = lexicon.load().body_kinds.get(doc.tokens[first].norm)
    return kind is not None and kind.language == "es"


def _trim_state(doc: Doc, first: int, last: int) -> tuple[int, int, str | None, str | None]:
    """Cut a state off the ends of a name: a prefix ("U.S.", "Kenya's", "Guatemalan") and a
    suffix ("of El Salvador", "de Colombia", a Spanish adjective "peruana"). Returns the name's
    tokens and the states found before and after."""
    tokens = doc.tokens
    before = after = None
    # suffix: "of <state>" / "de <state>" / "del Brasil" / adjective
    for span in doc.within("country", tokens[first].start, tokens[last].end + 1):
        if span.end != tokens[last].end:
            continue
        k = doc.token_index(span.start)
        if k - 1 > first and tokens[k - 1].norm in {"of", "de", "del", "the", "la", "el"}:
            cut = k - 1
            while (
                cut - 1 > first
                and tokens[cut].norm in {"the", "la", "el"}
                and tokens[cut - 1].norm
                in {
                    "of",
                    "de",
                }
            ):
                cut -= 1
            after, last = span.keys[0], cut - 1
        elif k > first and (doc.text[span.start].islower() or _spanish_head(doc, first)):
            after, last = span.keys[0], k - 1  # "Policía Nacional peruana", "Armada Paraguaya"
    # prefix: a state or demonym, possibly possessive
    for span in doc.within("country", tokens[first].start, tokens[last].end):
        if span.start != tokens[first].start:
            continue
        k = doc.token_index(span.end)
        if k < len(tokens) and tokens[k].text in {"'", "’"}:
            k += 2 if k + 1 < len(tokens) and tokens[k + 1].norm == "s" else 1
        if k <= last - 0 and k < last + 1:
            before = span.keys[0]
            first = k
    return first, last, before, after


# ---------------------------------------------------------------------- embassies


def _diplomatic(language: str) -> str:
    """The heads of diplomatic missions' names in one language ("Embassy", "Consulado General")."""
    kinds = lexicon.load().body_kinds.values()
    names = sorted({k.surface for k in kinds if k.kind == "diplomatic" and k.language == language}, key=len)
    return "|".join(re.escape(n) for n in reversed(names))


@lru_cache(maxsize=1)
def _embassy_patterns() -> tuple[re.Pattern[str], ...]:
    """ "the U.S. Embassy in Panama", "Embassy of Japan", "la Embajada de Chile en Perú"."""
    english, spanish = _diplomatic("en"), _diplomatic("es")
    return (
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


def _codes(doc: Doc, start: int, end: int) -> list[str]:
    return [s.keys[0] for s in doc.within("country", start, end)]


def _embassies(doc: Doc) -> list[Span]:
    lex = lexicon.load()
    out = []
    for pattern in _embassy_patterns():
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


# ---------------------------------------------------------------------- names and states


def canonical_name(surface: str) -> str:
    """A body's surface without article, state prefix or possessive, whitespace normalized.

    >>> canonical_name("the U.S.  Department of State")
    'Department of State'
    """
    name = re.sub(r"\s+", " ", surface).strip(" ,.;:")
    name = re.sub(r"^(?:the|The|el|El|la|La|los|Los|las|Las)\s+", "", name)
    name = re.sub(r"^(?:U\.S\.|US|United States|USA)\s+", "", name)
    return name


def resolve_entry(doc: Doc, ids: tuple[str, ...], stated: str | None, core: str) -> str | None:
    """Which gazetteer row a name found in the text is.

    With a state stated, that state's row (or the international one). Else: an international
    organization's row; of rows of several states, the one of the state the text names most; a
    single state's row when the text names that state, or when the name is the state's own
    (not made only of words bodies of many states share: "Carabineros de Chile", "DHS"), or
    when the text names no state at all and the name is more than a bare head ("Navy")."""
    lex = lexicon.load()
    if not ids:
        return None
    if stated:
        return _entry_for(ids, stated)
    international = [i for i in ids if lex.bodies[i].country is None]
    if international:
        return international[0]
    named = ranking(doc)
    states = {lex.bodies[i].country for i in ids}
    if len(states) > 1:
        by_state = sorted(
            (named.index(lex.bodies[i].country), i) for i in ids if lex.bodies[i].country in named
        )
        return by_state[0][1] if by_state else None
    acronyms = [i for i in ids if fold(core) in {fold(a) for a in lex.bodies[i].acronyms}]
    shared = any(_initials_of_generic(core, lex.bodies[i].name) for i in acronyms)
    if states & set(named) or (acronyms and not shared) or not (generic_name(core) or shared):
        return ids[0]
    if not named and not bare_head(core):
        return ids[0]
    return None


def _initials_of_generic(acronym: str, name: str) -> bool:
    """ "DOJ" for "Department of Justice": the initials of a name many states' bodies share are
    as much another state's as the name is."""
    words = re.findall(r"[\w’'-]+", name)
    content = [w for w in words if fold(w) not in lexicon.word_set("link")]
    initials = {"".join(fold(w[0]) for w in words), "".join(fold(w[0]) for w in content)}
    return generic_name(name) and fold(acronym) in initials


def bare_head(name: str) -> bool:
    """A name made only of the words of body heads ("Navy", "National Police", "Armada")."""
    lex = lexicon.load()
    words = [w for w in re.findall(r"\w+", fold(name)) if w not in {"of", "the", "de", "del", "la"}]
    vocabulary = {w for kind in lex.body_kinds for w in kind.split()}
    return all(w in vocabulary for w in words)


def _entry_for(ids: tuple[str, ...], state: str | None) -> str | None:
    lex = lexicon.load()
    by_state = [i for i in ids if lex.bodies[i].country == state]
    if by_state:
        return by_state[0]
    international = [i for i in ids if lex.bodies[i].country is None]
    if international:
        return international[0]
    return None


def generic_name(name: str) -> bool:
    """A name every state may have ("Ministry of Foreign Affairs", "National Police"): made
    only of words the national bodies of several states share."""
    lex = lexicon.load()
    words = [
        w
        for w in re.findall(r"\w+", fold(name))
        if w not in {"of", "the", "and", "for", "de", "del", "la", "y"}
    ]
    return bool(words) and all(w in lex.common_words for w in words)


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
    shapes = []
    for first, last, _, _ in _shape_mentions(doc, hits, stops, inside):
        start, end = doc.tokens[first].start, doc.tokens[last].end
        surface = doc.text[start:end]
        kinds = {lex.name_kinds.get(t.norm) for t in doc.tokens[first : last + 1]}
        if kinds & {"event", "programme", "document", "joint"}:
            continue  # the name of a meeting, a programme, a document or a joint commission
        if _GOVERNMENT.match(surface) or (surface.isupper() and len(surface) > 6):
            continue  # "the Trump Administration"; a name in a line of capitals cannot be read
        if doc.in_headline(start) and not doc.named_in_body(surface):
            continue  # a headline capitalises every word: a shape there needs the body's support
        data = {"surface": surface, "source": "shape", "tokens": (first, last)}
        if inside & set(range(first, last + 1)):
            data["of_organization"] = True  # "UN Information Service": a body of an organization
        ids = ()
        for g in gazetteer:
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
    first, last, before, after = _trim_state(doc, first, last)
    start, end = doc.tokens[first].start, doc.tokens[last].end
    core = canonical_name(doc.text[start:end])
    spanish = doc.language == "es" or _is_spanish_name(core)
    stated = before or after or state_near(doc, span.start, span.end, after=False) or _state_of(doc, span.end)
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


def _state_of(doc: Doc, end: int) -> str | None:
    """ "of Kenya", "de Chile", "peruana" right after a name whose words stopped before the state."""
    for country in doc.overlapping("country", end, end + 30):
        gap = doc.text[end : country.start]
        if re.fullmatch(r"\s+(?:of|de|del)\s+(?:the\s+|la\s+|el\s+)?", gap):
            return country.keys[0]
        if gap == " " and doc.text[country.start].islower():  # "Policía Nacional peruana"
            return country.keys[0]
        break
    return None


def _bracketed_acronym(doc: Doc, span: Span) -> tuple[str, ...]:
    """A name followed by a gazetteer acronym in brackets ("Oficina de las Naciones Unidas contra
    las Drogas y el Delito (UNODC)") is that body, whatever the wording of its name."""
    m = re.match(r"\s*\(\s*([A-Z][A-Za-z.&-]{1,9})\s*\)", doc.text[span.end : span.end + 16])
    if not m:
        return ()
    lex = lexicon.load()
    return tuple(i for i in lex.body_names.get(fold(m.group(1)), ()) if m.group(1) in lex.bodies[i].acronyms)


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
        for later in re.finditer(rf"(?<![\w.]){re.escape(acronym)}(?![\w])", doc.text[span.end + m.end() :]):
            pos = span.end + m.end() + later.start()
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


# ---------------------------------------------------------------------- states from the text


def fallback_state(doc: Doc, owned: set[str], stated: Counter[str]) -> str | None:
    """The state of a body or person whose text states none: the state the text names most,
    among those that do not already own a body of that name; states whose own bodies the text
    names go last (an unstated body is most often the other party's). ``None`` when the text
    names no state."""
    candidates = [c for c in ranking(doc) if c not in owned]
    candidates.sort(key=lambda c: stated[c] > 0)
    if candidates:
        return candidates[0]
    if not ranking(doc) and stated:
        return stated.most_common(1)[0][0]  # no state named: the one whose bodies the text names
    return None


def stated_states(doc: Doc) -> Counter[str]:
    """How many bodies of each state the text names with their state."""
    return Counter(
        s.data["country"]
        for s in doc.spans("body")
        if s.data.get("country") and (s.data.get("stated") or s.data.get("entry_state"))
    )


def settle_states(doc: Doc) -> None:
    """Give a state to the bodies whose names do not state one (:func:`fallback_state`);
    international organizations keep none."""
    owners: dict[str, list[Span]] = {}
    for s in doc.spans("body"):
        if s.data.get("country"):
            owners.setdefault(fold(s.data["name"]), []).append(s)
    stated = stated_states(doc)
    for s in doc.spans("body"):
        if s.data.get("country") or s.data.get("international"):
            continue
        named = owners.get(fold(s.data["name"]), [])
        if named:
            # a body named with its state before ("the Ministry of Defence of Chile ... the
            # Ministry of Defence"): the nearest such mention before it, else the first after
            before = [o for o in named if o.start < s.start]
            s.data["country"] = (before[-1] if before else named[0]).data["country"]
        else:
            s.data["country"] = fallback_state(doc, set(), stated)
        s.data["guessed"] = True
