"""Which gazetteer row a body's name is, and which state a body whose name gives none belongs to.

:func:`resolve_entry` picks the row of a name several states' bodies share by the state the text
names; :func:`generic_name` tells such shared names ("Ministry of Finance") from a state's own
("Department of Homeland Security"); :func:`settle_states` gives the remaining bodies the state the text is
about (:func:`fallback_state`).

Examples
--------
>>> generic_name("Ministry of Public Security"), generic_name("Department of Homeland Security")
(True, False)
>>> canonical_name("the U.S.  Department of State")
'Department of State'
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from graph.extract import lexicon
from graph.extract.countries import ranking
from graph.extract.doc import Doc, Span
from graph.extract.matcher import fold

__all__ = [
    "bare_head",
    "canonical_name",
    "fallback_state",
    "generic_name",
    "resolve_entry",
    "settle_states",
    "stated_states",
]


_SPACES = re.compile(r"\s+")
_ARTICLE = re.compile(r"^(?:the|The|el|El|la|La|los|Los|las|Las)\s+")
_US = re.compile(r"^(?:U\.S\.|US|United States|USA)\s+")
_WORDS = re.compile(r"\w+")


@lru_cache(maxsize=16384)
def canonical_name(surface: str) -> str:
    """A body's surface without article, state prefix or possessive, whitespace normalized.

    >>> canonical_name("the U.S.  Department of State")
    'Department of State'
    """
    name = _SPACES.sub(" ", surface).strip(" ,.;:")
    name = _ARTICLE.sub("", name)
    return _US.sub("", name)


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
            (named.index(c), i) for i in ids if (c := lex.bodies[i].country) is not None and c in named
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
    words = [w for w in re.findall(r"\w+", fold(name)) if w not in {"of", "the", "de", "del", "la"}]
    return all(w in _head_words() for w in words)


@lru_cache(maxsize=1)
def _head_words() -> frozenset[str]:
    """The words of the heads of bodies' names (``rules/body-kinds.tsv``)."""
    return frozenset(w for kind in lexicon.load().body_kinds for w in kind.split())


def _entry_for(ids: tuple[str, ...], state: str | None) -> str | None:
    lex = lexicon.load()
    by_state = [i for i in ids if lex.bodies[i].country == state]
    if by_state:
        return by_state[0]
    international = [i for i in ids if lex.bodies[i].country is None]
    if international:
        return international[0]
    return None


@lru_cache(maxsize=16384)
def generic_name(name: str) -> bool:
    """A name every state may have ("Ministry of Foreign Affairs", "National Police"): made
    only of words the national bodies of several states share."""
    lex = lexicon.load()
    words = [
        w for w in _WORDS.findall(fold(name)) if w not in {"of", "the", "and", "for", "de", "del", "la", "y"}
    ]
    return bool(words) and all(w in lex.common_words for w in words)


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
