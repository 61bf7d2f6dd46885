"""Government bodies by the shape of their names: a head noun of ``ontology/rules/body-kinds.tsv``
with the words around it ("Ministry of Interior and National Administration", "Royal Papua New
Guinea Constabulary", "Policía Federal del Brasil").

:func:`shape_mentions` reads the name's extent in tokens: capitalised words before an English head
that closes a name, adjectives after a Spanish head, a complement opened by "of"/"de" that runs as
far as the body vocabulary goes. :func:`trim_state` cuts a state off its ends ("U.S.", "of El
Salvador", "peruana").

Examples
--------
>>> from graph.extract import lexicon
>>> from graph.extract.doc import Doc
>>> from graph.extract.countries import find_countries
>>> doc = Doc("Kenya's Ministry of Interior and National Administration met the press.")
>>> hits = lexicon.load().matcher.match(doc.tokens)
>>> find_countries(doc, hits)
>>> [tokens_text(doc, a, b) for a, b, _, _ in shape_mentions(doc, hits, set(), set())]
['Ministry of Interior and National Administration', 'Interior and National Administration']

One reading per head; where two overlap, the body finder keeps the longer.
"""

from __future__ import annotations

import re
from collections.abc import Set as AbstractSet
from functools import lru_cache

from graph.extract import lexicon
from graph.extract.doc import Doc
from graph.extract.matcher import Hit, inner_hyphen

__all__ = [
    "MAX_NAME_TOKENS",
    "body_openers",
    "is_cap",
    "same_line",
    "shape_mentions",
    "tokens_text",
    "trim_state",
]

_CAP = re.compile(r"[A-ZÁÉÍÓÚÑ][\w’'.&-]*$|U\.S\.?$|[A-Z]{2,}$")


def _links(spanish: bool) -> frozenset[str]:
    return lexicon.word_set("link", "es" if spanish else "en")


def body_openers() -> frozenset[str]:
    return lexicon.word_set("body-opener")


@lru_cache(maxsize=65536)
def is_cap(text: str) -> bool:
    return bool(_CAP.match(text)) and not text.isdigit()


def tokens_text(doc: Doc, first: int, last: int) -> str:
    return doc.text[doc.tokens[first].start : doc.tokens[last].end]


# ---------------------------------------------------------------------- shapes


_NO_TITLE = type("_NoTitle", (), {"kind": None})()


def same_line(doc: Doc, a: int, b: int) -> bool:
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
    head = lex.body_kinds.get(tokens[i - 2].norm) if i >= 2 else None
    diplomatic = head is not None and head.kind == "diplomatic"  # "Embajada de Panamá en Costa Rica"
    last = last_known = -1
    commas = 0
    j = i
    while j < min(len(tokens), limit):
        tok = tokens[j]
        if j > i and not same_line(doc, j - 1, j):
            break
        if tok.text == "-" and last == j - 1 and j + 1 < len(tokens) and is_cap(tokens[j + 1].text):
            j += 1
            continue
        if is_cap(tok.text):
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
                if j < len(tokens) and is_cap(tokens[j].text):
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
            if tok.norm == "en" and spanish and not diplomatic:
                break  # "Departamento de Seguridad Nacional en Washington": a place, not the name
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
            and (last + 1 >= len(tokens) or not is_cap(tokens[last + 1].text))
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
    if k != j + 1 or nxt is None or is_cap(nxt.text):
        return False
    if nxt.norm in body_openers():  # only a state may follow: "... and Police of Suriname"
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
    while k < len(doc.tokens) and is_cap(doc.tokens[k].text):
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


def _serial_comma(doc: Doc, j: int, links: AbstractSet[str]) -> bool:
    """A comma inside a name: capitalised words follow and an "and"/"y" comes before any other
    punctuation or lower-case word ("Ministry of Foreign Affairs, Trade and Development")."""
    for tok in doc.tokens[j + 1 : j + 12]:
        if tok.norm in {"and", "y", "e", "&"}:
            return True
        if not is_cap(tok.text) and tok.norm not in links and tok.text != ",":
            return False
    return False


#: Most words a body's name takes before its head (the longest real ones have about eight): the
#: walk back stops there, so that a long line of capitals costs linear time.
MAX_NAME_TOKENS = 30


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
    while j >= 0 and head_first - j <= MAX_NAME_TOKENS:  # a line of capitals is no name
        tok = tokens[j]
        if not same_line(doc, j, j + 1):
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
        elif is_cap(tok.text) and not _sentence_opener(doc, j):
            word = lex.title(tok.norm, doc.language)
            if word is not None and word.kind in {"head", "honorific"}:
                break
            if not (tok.norm in lex.complement_words or tok.text.isupper()):
                unknown += 1
                if crossed or unknown > 2:
                    break
            first = j
        elif inner_hyphen(tokens, j) and is_cap(tokens[j - 1].text):
            pass  # a hyphen inside a word ("Anti-Narcotics", "Armed Forces-Arab Army")
        elif tok.norm in {"and", "&"} and j - 1 >= 0 and is_cap(tokens[j - 1].text):
            crossed = True
            before = tokens[j - 1]
            if (
                before.norm not in lex.complement_words
                or doc.at("country", before.start)
                or _body_head(doc, j - 1)
            ):
                break
        elif tok.text == "," and j - 1 >= 0 and is_cap(tokens[j - 1].text) and is_cap(tokens[j + 1].text):
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


def shape_mentions(
    doc: Doc, hits: list[Hit], stops: set[int], inside: set[int]
) -> list[tuple[int, int, int, int]]:
    """Body names by shape: ``(first, last, head_first, head_last)`` token indices."""
    lex = lexicon.load()
    out = []
    heads = _title_heads(hits)
    for hit in hits:
        if hit.layer != "bodykind":
            continue
        head_text = tokens_text(doc, hit.first, hit.last)
        kind = lex.body_kinds.get(" ".join(t.norm for t in doc.tokens[hit.first : hit.last + 1]))
        if (
            kind is None
            or not is_cap(doc.tokens[hit.first].text)
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
                and is_cap(doc.tokens[j].text)
                and same_line(doc, j - 1, j)
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
                and is_cap(doc.tokens[j].text)
                and same_line(doc, j - 1, j)
                and doc.token_index(place.end) == j + 1
                and j not in stops
            ):
                last = j  # "Policía Boliviana", "Fuerza Aérea Colombiana": the demonym is the name's
                j += 1
        complement = False
        if j < len(doc.tokens) and doc.tokens[j].norm in body_openers() and kind.order in {"initial", "both"}:
            k = j + 1
            if k < len(doc.tokens) and doc.tokens[k].norm in {"the", "la", "las", "los", "el"}:
                k += 1
            end = _extend_complement(doc, k, spanish, k + 25, stops)
            if end >= k:
                last, complement = end, True
        if not complement and not spanish and kind.order == "final" and j < len(doc.tokens):
            nxt = doc.tokens[j]
            if (
                is_cap(nxt.text)
                and same_line(doc, j - 1, j)
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


def trim_state(doc: Doc, first: int, last: int) -> tuple[int, int, str | None, str | None]:
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
