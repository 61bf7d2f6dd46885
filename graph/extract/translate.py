"""Spanish names of bodies and titles in English, word by word with phrase rules.

The records name every body in English ("Ministerio de Seguridad Pública" -> "Ministry of Public
Security") and keep the Spanish form as an alias. The words come from
``ontology/rules/es-en-lexicon.tsv`` (longest phrase first) and the heads from
``ontology/rules/body-kinds.tsv``; adjectives that follow a noun in Spanish precede it in English.
A name with a word the lexicon lacks is not translated (``None``): a wrong name is worse than a
Spanish one.

Examples
--------
>>> translate_body("Ministerio de Seguridad Pública")
'Ministry of Public Security'
>>> translate_body("Policía Nacional")
'National Police'
>>> translate_body("Ministerio del Interior")
'Ministry of the Interior'
"""

from __future__ import annotations

import re
from functools import lru_cache

from graph.extract import lexicon
from graph.extract.matcher import fold

__all__ = ["translate_body", "translate_phrase"]


def _of_order() -> frozenset[str]:
    """Heads whose English name keeps the "of" order ("Ministry of X"); the others take their
    complement before them when it is short ("Servicio Nacional de Aduanas" -> "National Customs
    Service")."""
    return lexicon.word_set("translate-of-order")


def _articles() -> frozenset[str]:
    return lexicon.word_set("article", "es")


def _words(text: str) -> list[str]:
    return re.findall(r"[\w’'-]+|,", text)


_PREFERENCE = ("phrase", "noun", "adj", "prep", "head", "title")


def _reading(readings: tuple[tuple[str, str], ...], after_noun: bool) -> tuple[str, str]:
    """Of a word's readings, the phrase or noun one, or the adjective right after a noun."""
    by_pos = {pos: en for en, pos in readings}
    if after_noun and "adj" in by_pos and "noun" in by_pos and "phrase" not in by_pos:
        return by_pos["adj"], "adj"
    for pos in _PREFERENCE:
        if pos in by_pos:
            return by_pos[pos], pos
    return readings[0]


def translate_phrase(words: list[str]) -> list[tuple[str, str]] | None:
    """Translate a word list into ``(english, pos)`` units, longest lexicon phrase first."""
    lex = lexicon.load()
    out: list[tuple[str, str]] = []
    i = 0
    while i < len(words):
        for n in range(min(5, len(words) - i), 0, -1):
            key = fold(" ".join(words[i : i + n]))
            if key in lex.es_en:
                after_noun = bool(out) and out[-1][1] in {"noun", "phrase"}
                out.append(_reading(lex.es_en[key], after_noun))
                i += n
                break
        else:
            if words[i] == ",":
                out.append((",", "prep"))
                i += 1
                continue
            if fold(words[i]) in _articles():
                out.append(("the", "det"))
                i += 1
                continue
            return None
    return out


def _join(units: list[tuple[str, str]]) -> str:
    """English order: an adjective after its noun moves before it."""
    result: list[str] = []
    for en, pos in units:
        if (
            pos == "adj"
            and result
            and result[-1] not in {"of", "of the", "for", "and", "the", "against", ","}
        ):
            result.insert(len(result) - 1, en)
            continue
        result.append(en)
    text = " ".join(result).replace(" ,", ",")
    return re.sub(r"\s+", " ", re.sub(r"\bthe the\b", "the", text)).strip()


@lru_cache(maxsize=4096)
def translate_body(name: str) -> str | None:
    """The English name of a Spanish body's name, or ``None`` if a word is unknown."""
    lex = lexicon.load()
    words = _words(name)
    if not words:
        return None
    # the head: the longest body-kind phrase at the start
    head = None
    for n in range(min(3, len(words)), 0, -1):
        kind = lex.body_kinds.get(fold(" ".join(words[:n])))
        if kind and kind.language == "es":
            head, rest = kind.english, words[n:]
            break
    if head is None:
        return None
    adjectives: list[str] = []
    while rest and fold(rest[0]) not in {"de", "del", "para", "contra", "y", "e", ","}:
        units = translate_phrase(rest[:1])
        if not units or units[0][1] != "adj":
            break
        adjectives.append(units[0][0])
        rest = rest[1:]
    if not rest:
        return " ".join([*adjectives, head])
    link = fold(rest[0])
    whole = translate_phrase(rest)
    if whole and whole[0][1] == "phrase" and whole[0][0].startswith(("of ", "for ")):
        # the lexicon renders the link with its noun ("del Interior" -> "of the Interior")
        return " ".join([*adjectives, head, _join(whole)])
    body = rest[1:] if link in {"de", "del", "para", "contra"} else rest
    while body and fold(body[0]) in _articles():
        body = body[1:]  # English names drop the article ("de la Defensa" -> "of Defense")
    units = translate_phrase(body)
    if units is None:
        return None
    complement = _join(units)
    if link == "para":
        connector = "for"
    elif link == "contra":
        connector = "against"
    else:
        connector = "of"
    if fold(head) not in _of_order() and adjectives and len(body) <= 2 and link == "de":
        return " ".join([*adjectives, complement.removeprefix("the "), head])
    return " ".join([*adjectives, head, connector, complement])
