"""Load the ontology's data files into phrase matchers (cached, loaded on first use).

The extractor knows no country, agency, focus area or cue by name: all of them come from
``ontology/`` (gazetteer TSVs, SKOS schemes in Turtle, rule files).

Examples
--------
>>> index = PhraseIndex([("Panama", "PAN", True), ("panameño", "PAN", False)])
>>> [(m.text, m.keys) for m in index.find("The Panama deal; el gobierno Panameño.")]
[('Panama', ('PAN',)), ('Panameño', ('PAN',))]
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import pycountry

from graph.extract.text import fold

__all__ = [
    "AgencyEntry",
    "Gazetteer",
    "PhraseIndex",
    "PhraseMatch",
    "load",
    "ontology_file",
]


def ontology_file(name: str) -> str:
    """Return the text of ``ontology/<name>`` (shipped inside the package as ``graph.ontology``)."""
    return resources.files("graph.ontology").joinpath(name).read_text(encoding="utf-8")


def _optional_file(name: str) -> str:
    try:
        return ontology_file(name)
    except FileNotFoundError:
        return ""


def read_tsv(name: str) -> list[dict[str, str]]:
    """Read a tab-separated data file of the ontology, skipping ``#`` comment lines."""
    try:
        text = ontology_file(name)
    except FileNotFoundError:
        return []
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    rows = csv.DictReader(io.StringIO("\n".join(lines)), delimiter="\t", quoting=csv.QUOTE_NONE)
    return [{k: (v or "").strip() for k, v in row.items() if k} for row in rows]


def split_multi(value: str | None) -> list[str]:
    """Split a pipe-separated multi-value cell."""
    return [v.strip() for v in (value or "").split("|") if v.strip()]


@dataclass(frozen=True)
class PhraseMatch:
    start: int
    end: int
    text: str
    keys: tuple[str, ...]


_TOKENS = re.compile(r"\w+|[^\w\s]")


def _tokenize(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group(0).replace("’", "'")) for m in _TOKENS.finditer(text)]


@lru_cache(maxsize=65536)
def _strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


class PhraseIndex:
    """Longest-match, whole-word finder for many phrases at once.

    ``entries`` are ``(surface, key, case_sensitive)``; a surface ending in ``*`` matches any
    word ending (``smuggl*``). Accent-less variants are added for every surface. Text and
    surfaces are read as word and punctuation tokens, so whitespace and line breaks between
    words do not matter, and a name followed by a possessive ("Canada's") still matches.
    """

    def __init__(self, entries: Iterable[tuple[str, str, bool]]):
        self._phrases: dict[tuple[bool, tuple[str, ...]], set[str]] = {}
        self._wild: dict[tuple[bool, tuple[str, ...]], list[tuple[str, str]]] = {}
        self._lengths: dict[tuple[bool, str], set[int]] = {}
        for surface, key, case_sensitive in entries:
            surface = surface.strip()
            wild = surface.endswith("*")
            tokens = tuple(t for _, _, t in _tokenize(surface.rstrip("*")))
            if not tokens:
                continue
            if not case_sensitive:
                tokens = tuple(fold(t) for t in tokens)
            variants = {tokens, tuple(_strip_accents(t) for t in tokens)}
            for variant in variants:
                if wild:
                    head, stem = variant[:-1], variant[-1]
                    self._wild.setdefault((case_sensitive, head), []).append((stem, key))
                    first = head[0] if head else ""
                else:
                    self._phrases.setdefault((case_sensitive, variant), set()).add(key)
                    first = variant[0]
                self._lengths.setdefault((case_sensitive, first), set()).add(len(variant))
        self._wild_single: dict[tuple[bool, str], list[tuple[str, str]]] = {}
        for (cs, head), items in self._wild.items():
            if not head:
                for stem, key in items:
                    self._wild_single.setdefault((cs, stem[:2]), []).append((stem, key))

    def find(self, text: str) -> list[PhraseMatch]:
        """All non-overlapping matches, longest first at each position, in text order."""
        tokens = _tokenize(text)
        views = {
            True: [t for _, _, t in tokens],
            False: [fold(t) for _, _, t in tokens],
        }
        stripped = [_strip_accents(t) for t in views[True]]
        result: list[PhraseMatch] = []
        i = 0
        while i < len(tokens):
            best: tuple[int, set[str]] | None = None
            for sensitive in (True, False):
                for words in (views[sensitive], stripped) if sensitive else (views[False],):
                    for n in sorted(self._lengths.get((sensitive, words[i]), ()), reverse=True):
                        if (best and n <= best[0]) or i + n > len(tokens):
                            continue
                        keys = self._phrases.get((sensitive, tuple(words[i : i + n])))
                        wild = self._wild_keys(sensitive, words, i, n)
                        if keys or wild:
                            best = (n, set(keys or ()) | wild)
                    single = self._single_wild(sensitive, words[i])
                    if single and not best:
                        best = (1, single)
            if best:
                n, keys = best
                start, end = tokens[i][0], tokens[i + n - 1][1]
                result.append(PhraseMatch(start, end, text[start:end], tuple(sorted(keys))))
                i += n
            else:
                i += 1
        return result

    def _wild_keys(self, sensitive: bool, words: list[str], i: int, n: int) -> set[str]:
        if n < 2:
            return set()
        items = self._wild.get((sensitive, tuple(words[i : i + n - 1])), ())
        last = words[i + n - 1]
        return {key for stem, key in items if last.startswith(stem)}

    def _single_wild(self, sensitive: bool, word: str) -> set[str]:
        return {
            key for stem, key in self._wild_single.get((sensitive, word[:2]), ()) if word.startswith(stem)
        }


@dataclass(frozen=True)
class AgencyEntry:
    id: str
    name: str
    country: str | None
    parent: str | None
    qid: str | None
    surfaces: tuple[str, ...]


@dataclass(frozen=True)
class Gazetteer:
    """Everything the extractor reads from ``ontology/``."""

    countries: PhraseIndex
    ambiguous_countries: frozenset[str]
    regions: PhraseIndex
    country_names: dict[str, str]
    agencies: dict[str, AgencyEntry]
    agency_index: PhraseIndex
    focus: PhraseIndex
    focus_ids: tuple[str, ...]
    focus_broader: dict[str, str]
    agreement_types: PhraseIndex
    title_agencies: tuple[tuple[re.Pattern[str], str, str | None, str], ...]
    person_titles: dict[str, tuple[str, ...]]
    name_stopwords: frozenset[str]
    cues: dict[str, tuple[re.Pattern[str], ...]]


def _country_entries() -> Iterator[tuple[str, str, bool]]:
    for country in pycountry.countries:
        for attr in ("name", "common_name"):
            value = getattr(country, attr, None)
            if value and "," not in value:
                yield value, country.alpha_3, True
    for row in read_tsv("gazetteer/countries.tsv"):
        code = row.get("alpha3", "")
        for surface in split_multi(row.get("names")) + split_multi(row.get("demonyms")):
            ambiguous = surface.startswith("~")
            surface = surface.lstrip("~")
            key = f"~{code}" if ambiguous else code
            yield surface, key, True
            if surface[:1].islower():  # Spanish adjectives: also capitalised at a sentence start
                yield surface[:1].upper() + surface[1:], key, True


def _skos_labels(
    turtle: str, scheme_hint: str
) -> tuple[list[tuple[str, str, bool]], list[str], dict[str, str]]:
    from rdflib import Graph
    from rdflib.namespace import SKOS

    graph = Graph().parse(data=turtle, format="turtle")
    entries: list[tuple[str, str, bool]] = []
    ids: list[str] = []
    broader: dict[str, str] = {}
    for concept, notation in graph.subject_objects(SKOS.notation):
        if scheme_hint not in str(concept):
            continue
        ident = str(notation)
        ids.append(ident)
        for prop in (SKOS.prefLabel, SKOS.altLabel):
            for label in graph.objects(concept, prop):
                text = str(label)
                # Acronyms (MOU, MOC) are case-sensitive; other labels are not.
                entries.append((text, ident, text.isupper() and len(text) <= 6))
        for parent in graph.objects(concept, SKOS.broader):
            parent_id = graph.value(parent, SKOS.notation)
            if parent_id:
                broader[ident] = str(parent_id)
    return entries, sorted(ids), broader


@lru_cache(maxsize=1)
def load() -> Gazetteer:
    """Load and compile all extractor data (once per process)."""
    country_entries = list(_country_entries())
    ambiguous = frozenset(surface for surface, key, _ in country_entries if key.startswith("~"))
    country_names = {c.alpha_3: getattr(c, "common_name", None) or c.name for c in pycountry.countries}
    regions = PhraseIndex(
        (row["name"], row.get("kind") or "region", True) for row in read_tsv("gazetteer/regions.tsv")
    )

    agencies: dict[str, AgencyEntry] = {}
    agency_entries: list[tuple[str, str, bool]] = []
    for row in read_tsv("gazetteer/agencies.tsv"):
        ident = row.get("id")
        if not ident or not row.get("name"):
            continue
        surfaces = [row["name"], *split_multi(row.get("aliases")), *split_multi(row.get("es_names"))]
        acronyms = split_multi(row.get("acronyms"))
        agencies[ident] = AgencyEntry(
            ident,
            row["name"],
            row.get("country") or None,
            row.get("parent") or None,
            row.get("qid") or None,
            tuple(s.lstrip("~") for s in surfaces + acronyms),
        )
        # A form marked "~" ("Home Affairs", "Gobernación") counts only where the body is also
        # named unambiguously; its key carries the mark.
        for surface in surfaces + acronyms:
            marked = surface.startswith("~")
            agency_entries.append((surface.lstrip("~"), f"~{ident}" if marked else ident, True))

    focus_entries, focus_ids, broader = _skos_labels(_optional_file("focus-areas.ttl"), "/focus/")
    type_entries, _, _ = _skos_labels(_optional_file("agreement-types.ttl"), "/agreement-type/")

    title_agencies = tuple(
        (
            re.compile(row["pattern"], re.IGNORECASE),
            row["agency"],
            row.get("country") or None,
            row.get("scope", ""),
        )
        for row in read_tsv("rules/title-agencies.tsv")
    )
    person_titles: dict[str, list[str]] = {}
    for row in read_tsv("rules/person-titles.tsv"):
        person_titles.setdefault(f"{row['language']}:{row['kind']}", []).append(row["pattern"])
    stopwords = frozenset(
        line.strip().lower()
        for line in ontology_file("rules/name-stopwords.txt").splitlines()
        if line.strip() and not line.startswith("#")
    )
    cues: dict[str, list[re.Pattern[str]]] = {}
    for row in read_tsv("rules/agreement-cues.tsv"):
        cues.setdefault(f"{row['kind']}:{row['language']}", []).append(
            re.compile(row["pattern"], re.IGNORECASE)
        )

    return Gazetteer(
        countries=PhraseIndex((s, k.lstrip("~"), cs) for s, k, cs in country_entries),
        ambiguous_countries=ambiguous,
        regions=regions,
        country_names=country_names,
        agencies=agencies,
        agency_index=PhraseIndex(agency_entries),
        focus=PhraseIndex(focus_entries),
        focus_ids=tuple(focus_ids),
        focus_broader=broader,
        agreement_types=PhraseIndex(type_entries),
        title_agencies=title_agencies,
        person_titles={k: tuple(v) for k, v in person_titles.items()},
        name_stopwords=stopwords,
        cues={k: tuple(v) for k, v in cues.items()},
    )
