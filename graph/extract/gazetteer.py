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

_WORD = r"[\w’'-]"


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


class PhraseIndex:
    """Longest-match, whole-word finder for many phrases at once.

    ``entries`` are ``(surface, key, case_sensitive)``; a surface ending in ``*`` matches any
    word ending (``smuggl*``). Accent-less variants are added for every surface.
    """

    def __init__(self, entries: Iterable[tuple[str, str, bool]]):
        self._exact: dict[str, set[str]] = {}
        self._folded: dict[str, set[str]] = {}
        self._prefix: list[tuple[str, str, bool]] = []
        sensitive, insensitive = set(), set()
        for surface, key, case_sensitive in entries:
            surface = surface.strip()
            if not surface:
                continue
            if surface.endswith("*"):
                stem = surface[:-1]
                self._prefix.append((fold(stem), key, case_sensitive))
                pattern = re.escape(stem) + _WORD + "*"
                (sensitive if case_sensitive else insensitive).add(pattern)
                if fold(stem) != stem.lower():
                    (sensitive if case_sensitive else insensitive).add(re.escape(fold(stem)) + _WORD + "*")
                continue
            for variant in {surface, _strip_accents(surface)}:
                if case_sensitive:
                    self._exact.setdefault(variant, set()).add(key)
                    sensitive.add(_flex(variant))
                else:
                    self._folded.setdefault(_key(variant), set()).add(key)
                    insensitive.add(_flex(variant))
        alternatives = [(p, 0) for p in sensitive] + [(p, re.IGNORECASE) for p in insensitive]
        self._patterns = [
            re.compile(
                rf"(?<![\w’'-])(?:{'|'.join(sorted(group, key=len, reverse=True))})(?=$|[^\w’'-]|['’]s\b)",
                flag,
            )
            for flag in (0, re.IGNORECASE)
            if (group := [p for p, f in alternatives if f == flag])
        ]

    def _keys_for(self, text: str) -> tuple[str, ...]:
        keys = set(self._exact.get(_norm_ws(text), ())) | set(self._folded.get(_key(text), ()))
        folded = fold(text)
        for stem, key, _ in self._prefix:
            if folded.startswith(stem):
                keys.add(key)
        return tuple(sorted(keys))

    def find(self, text: str) -> list[PhraseMatch]:
        """All non-overlapping matches, longest first at each position, in text order."""
        found: list[PhraseMatch] = []
        for pattern in self._patterns:
            for m in pattern.finditer(text):
                keys = self._keys_for(m.group(0))
                if keys:
                    found.append(PhraseMatch(m.start(), m.end(), m.group(0), keys))
        found.sort(key=lambda m: (m.start, -(m.end - m.start)))
        result: list[PhraseMatch] = []
        for match in found:
            if result and match.start < result[-1].end:
                continue
            result.append(match)
        return result


def _strip_accents(text: str) -> str:
    import unicodedata

    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _norm_ws(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("’", "'"))


def _key(text: str) -> str:
    return _norm_ws(fold(text))


def _flex(surface: str) -> str:
    """Regex for a surface form: flexible whitespace, both apostrophes, optional dots."""
    out = []
    for char in surface:
        if char.isspace():
            out.append(r"\s+")
        elif char in "'’":
            out.append("['’]")
        else:
            out.append(re.escape(char))
    return re.sub(r"(?:\\s\+)+", r"\\s+", "".join(out))


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
            tuple(surfaces + acronyms),
        )
        agency_entries.extend((s, ident, True) for s in surfaces)
        agency_entries.extend((a, ident, True) for a in acronyms)

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
