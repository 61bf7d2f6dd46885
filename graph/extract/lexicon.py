"""Everything the extractor knows, read from ``ontology/`` and from maintained packages.

States come from pycountry and CLDR (through babel) in English and Spanish, with the demonyms and
ambiguity marks of ``ontology/gazetteer/countries.tsv``; bodies from the gazetteer TSVs; focus
areas and instrument types from the SKOS schemes; titles, body kinds, name kinds, cues and the
Spanish-English lexicon from ``ontology/rules/``. All phrase lists are compiled into one
:class:`~graph.extract.matcher.PhraseMatcher` with one layer per list. Loaded once per process.

Examples
--------
>>> lex = load()
>>> lex.country_names["PAN"], lex.bodies["usa-dhs"].name
('Panama', 'Department of Homeland Security')
>>> sorted({layer for _, _, layer, _ in lex.matcher.match_text("The Panamanian Ministry signed a MOU")})
['bodykind', 'instrument', 'place']
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import pycountry

from graph.extract.matcher import Phrase, PhraseMatcher, fold
from graph.extract.patterns import compile_rule
from graph.extract.table_cache import cached

__all__ = [
    "BodyEntry",
    "BodyKind",
    "Lexicon",
    "TitleWord",
    "alternation",
    "load",
    "ontology_file",
    "read_tsv",
    "split_multi",
    "word_pattern",
    "word_set",
    "word_values",
]

LAYERS = ("place", "body", "focus", "instrument", "title", "bodykind", "namekind")


def ontology_file(name: str) -> str:
    """The text of ``ontology/<name>`` (shipped inside the package as ``graph.ontology``)."""
    return resources.files("graph.ontology").joinpath(name).read_text(encoding="utf-8")


def read_tsv(name: str) -> list[dict[str, str]]:
    """Rows of a tab-separated data file of the ontology; ``#`` lines before the header skipped."""
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
class BodyEntry:
    """A gazetteer row: a national body or an international organization."""

    id: str
    name: str
    country: str | None
    parent: str | None
    qid: str | None
    surfaces: tuple[str, ...]
    acronyms: tuple[str, ...]


@dataclass(frozen=True)
class TitleWord:
    """A word of the title vocabulary: ``kind`` head, modifier or honorific; ``body`` the head
    of the body's name a head implies (R1), else empty."""

    surface: str
    language: str
    kind: str
    body: str


@dataclass(frozen=True)
class BodyKind:
    """A head noun of bodies' names (``ontology/rules/body-kinds.tsv``)."""

    surface: str
    language: str
    order: str
    alone: bool
    kind: str
    english: str


@dataclass(frozen=True)
class Lexicon:
    """The compiled vocabulary of the extractor."""

    matcher: PhraseMatcher
    country_names: dict[str, str]
    country_forms: dict[str, frozenset[str]]
    ambiguous: frozenset[str]
    ambiguous_demonyms: frozenset[str]  # the folded ~ forms of the demonyms column ("polish")
    bodies: dict[str, BodyEntry]
    body_names: dict[str, tuple[str, ...]]
    common_words: frozenset[str]
    focus_ids: tuple[str, ...]
    focus_broader: dict[str, str]
    titles: dict[str, dict[str, TitleWord]]
    body_kinds: dict[str, BodyKind]
    name_kinds: dict[str, str]
    cues: dict[str, tuple[re.Pattern[str], ...]]
    title_agencies: tuple[tuple[re.Pattern[str], str, str | None, str], ...]
    es_en: dict[str, tuple[tuple[str, str], ...]]
    complement_words: frozenset[str]
    words: dict[str, tuple[tuple[str, str, str], ...]]

    def word_set(self, kind: str, language: str | None = None, fold_case: bool = True) -> frozenset[str]:
        """The words of one kind of ``rules/words.tsv`` (in ``language`` and "any", or all)."""
        return frozenset(
            (w.lower() if fold_case else w)
            for w, lang, _ in self.words.get(kind, ())
            if language is None or lang in {language, "any"}
        )

    def word_values(self, kind: str, language: str | None = None) -> dict[str, str]:
        """The words of one kind with their values (``number``)."""
        return {
            w.lower(): value
            for w, lang, value in self.words.get(kind, ())
            if language is None or lang in {language, "any"}
        }

    def word_pattern(self, kind: str, language: str | None = None, fold_case: bool = True) -> str:
        """The words of one kind as a regular expression: an alternation, longest first (see
        :func:`alternation`)."""
        return alternation(self.word_set(kind, language, fold_case))

    def title(self, word: str, language: str) -> TitleWord | None:
        """The title word ``word`` (folded) in ``language``, else in English, else ``None``."""
        readings = self.titles.get(word) or self.titles.get(word.rstrip("."))
        if not readings:
            return None
        return readings.get(language) or readings.get("en")

    def is_eu_body(self, entry_id: str | None) -> bool:
        """True for the European Union or one of its bodies (by id or parent chain)."""
        seen: set[str] = set()
        while entry_id and entry_id not in seen:
            seen.add(entry_id)
            entry = self.bodies.get(entry_id)
            if entry is None:
                return False
            if entry.id in {"int-eu", "eu"} or entry.id.startswith("eu-") or "European Union" in entry.name:
                return True
            entry_id = entry.parent
        return False


# ---------------------------------------------------------------------- states


def _cldr_names(alpha2: str) -> Iterator[str]:
    """The state's short name in English and Spanish from CLDR (babel), when babel has it."""
    try:
        from babel import Locale
    except ImportError:  # pragma: no cover - babel is a dependency
        return
    for locale in ("en", "es"):
        name = Locale(locale).territories.get(alpha2)
        if name and "(" not in name and " - " not in name:
            yield name


def _spanish_iso_name(name: str) -> str | None:
    import gettext

    try:
        es = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["es"])
    except OSError:  # pragma: no cover - pycountry ships its translations
        return None
    translated = es.gettext(name)
    return translated if translated != name else None


def _country_phrases() -> tuple[
    list[Phrase], dict[str, str], dict[str, frozenset[str]], frozenset[str], frozenset[str]
]:
    rows = read_tsv("gazetteer/countries.tsv")
    demonyms = frozenset(
        fold(surface.lstrip("~"))
        for row in rows
        for surface in split_multi(row.get("demonyms"))
        if surface.startswith("~")
    )
    listed: dict[str, str] = {}  # folded form -> code or "~code"
    forms_by_code: dict[str, list[tuple[str, bool]]] = defaultdict(list)
    for row in rows:
        code = row.get("alpha3", "")
        for surface in split_multi(row.get("names")) + split_multi(row.get("demonyms")):
            ambiguous = surface.startswith("~")
            surface = surface.lstrip("~")
            forms_by_code[code].append((surface, ambiguous))
            listed.setdefault(fold(surface), ("~" if ambiguous else "") + code)
    names: dict[str, str] = {}
    for code in forms_by_code:
        country = pycountry.countries.get(alpha_3=code)
        if country is None:
            continue
        names[code] = getattr(country, "common_name", None) or country.name
        extra = [getattr(country, a, None) for a in ("name", "common_name", "official_name")]
        extra += [_spanish_iso_name(country.name)]
        extra += list(_cldr_names(country.alpha_2))
        for form in extra:
            # Maintained data adds forms the gazetteer lacks; a form the gazetteer marks
            # ambiguous, or gives to another state, keeps the gazetteer's reading.
            if form and "," not in form and fold(form) not in listed:
                forms_by_code[code].append((form, False))
                listed[fold(form)] = code
    phrases: list[Phrase] = []
    ambiguous_forms: set[str] = set()
    forms: dict[str, frozenset[str]] = {}
    for code, items in forms_by_code.items():
        forms[code] = frozenset(fold(s) for s, _ in items)
        for surface, ambiguous in items:
            key = f"~{code}" if ambiguous else code
            if ambiguous:
                ambiguous_forms.add(fold(surface))
            phrases.append(Phrase(surface, "place", key, True))
            if surface[:1].islower():  # Spanish adjectives: also capitalised at a sentence start
                phrases.append(Phrase(surface[:1].upper() + surface[1:], "place", key, True))
    for row in read_tsv("gazetteer/regions.tsv"):
        phrases.append(Phrase(row["name"], "place", f"region:{row.get('kind') or 'region'}", True))
    for line in ontology_file("rules/non-countries.txt").splitlines():
        if line.strip() and not line.startswith("#"):
            phrases.append(Phrase(line.strip(), "place", "mask", True))
    return phrases, names, forms, frozenset(ambiguous_forms), demonyms


# ---------------------------------------------------------------------- bodies


def _body_rows() -> Iterator[dict[str, str]]:
    yield from read_tsv("gazetteer/agencies.tsv")
    yield from read_tsv("gazetteer/organizations.tsv")


def _bodies() -> tuple[dict[str, BodyEntry], list[Phrase], dict[str, tuple[str, ...]]]:
    bodies: dict[str, BodyEntry] = {}
    phrases: list[Phrase] = []
    names: dict[str, list[str]] = defaultdict(list)
    for row in _body_rows():
        ident = row.get("id")
        if not ident or not row.get("name") or ident in bodies:
            continue
        surfaces = [row["name"], *split_multi(row.get("aliases")), *split_multi(row.get("es_names"))]
        acronyms = split_multi(row.get("acronyms"))
        bodies[ident] = BodyEntry(
            ident,
            row["name"],
            row.get("country") or None,
            row.get("parent") or None,
            row.get("qid") or None,
            tuple(s.lstrip("~") for s in surfaces),
            tuple(a.lstrip("~") for a in acronyms),
        )
        for surface in surfaces + acronyms:
            marked = surface.startswith("~")
            surface = surface.lstrip("~")
            phrases.append(Phrase(surface, "body", f"~{ident}" if marked else ident, True))
            if not marked and ident not in names[fold(surface)]:
                names[fold(surface)].append(ident)
    return bodies, phrases, {k: tuple(v) for k, v in names.items()}


def _common_words(
    bodies: dict[str, BodyEntry], kinds: dict[str, BodyKind], es_en: dict[str, tuple[tuple[str, str], ...]]
) -> frozenset[str]:
    """Words found in the names of national bodies of two or more states, the heads of body names
    and the English words of the Spanish-English lexicon (the subjects of ministries: Finance,
    Security, Justice): a name made only of them ("Ministry of Finance") is one that many states
    have, so that its state must come from the text."""
    states: dict[str, set[str]] = defaultdict(set)
    for entry in bodies.values():
        if entry.country:
            for surface in entry.surfaces:
                for word in re.findall(r"\w+", fold(surface)):
                    states[word].add(entry.country)
    words = {w for w, codes in states.items() if len(codes) >= 2}
    for kind in kinds.values():
        words.update(re.findall(r"\w+", fold(kind.surface)))
    for readings in es_en.values():
        for english, _ in readings:
            words.update(re.findall(r"\w+", fold(english)))
    return frozenset(words)


# ---------------------------------------------------------------------- SKOS schemes


def _skos(name: str, hint: str, layer: str) -> tuple[list[Phrase], list[str], dict[str, str]]:
    from rdflib import Graph
    from rdflib.namespace import SKOS

    try:
        turtle = ontology_file(name)
    except FileNotFoundError:
        return [], [], {}
    graph = Graph().parse(data=turtle, format="turtle")
    phrases: list[Phrase] = []
    ids: list[str] = []
    broader: dict[str, str] = {}
    for concept, notation in graph.subject_objects(SKOS.notation):
        if hint not in str(concept):
            continue
        ident = str(notation)
        ids.append(ident)
        for prop in (SKOS.prefLabel, SKOS.altLabel):
            for label in graph.objects(concept, prop):
                phrases.append(Phrase(str(label), layer, ident))
        for parent in graph.objects(concept, SKOS.broader):
            parent_id = graph.value(parent, SKOS.notation)
            if parent_id:
                broader[ident] = str(parent_id)
    return phrases, sorted(ids), broader


# ---------------------------------------------------------------------- rules


def _titles() -> tuple[dict[str, dict[str, TitleWord]], list[Phrase]]:
    words: dict[str, dict[str, TitleWord]] = defaultdict(dict)
    phrases: list[Phrase] = []
    for row in read_tsv("rules/person-titles.tsv"):
        word = TitleWord(row["surface"], row["language"], row["kind"], row.get("body", ""))
        surfaces = [word.surface]
        if word.kind == "head" and " " not in word.surface and word.surface[-1:].isalpha():
            surfaces.append(_plural(word.surface, word.language))  # "subsecretarios", "Directors"
        for surface in surfaces:
            words[fold(surface)].setdefault(word.language, word)
            words[fold(surface).rstrip(".")].setdefault(word.language, word)  # "Lt." is "Lt" and "."
            phrases.append(Phrase(surface, "title", f"{word.kind}:{word.language}"))
    return dict(words), phrases


def _plural(word: str, language: str) -> str:
    """The plural of a title's head: "-s" after a vowel, "-es" after a consonant in Spanish."""
    if word.endswith("s"):
        return word
    if language == "es" and word[-1].lower() not in "aeiouáéó":
        return word + "es"
    return word + "s"


def _body_kinds() -> tuple[dict[str, BodyKind], list[Phrase]]:
    kinds: dict[str, BodyKind] = {}
    phrases: list[Phrase] = []
    for row in read_tsv("rules/body-kinds.tsv"):
        kind = BodyKind(
            row["surface"],
            row["language"],
            row["order"],
            row.get("alone") == "yes",
            row["kind"],
            row.get("english") or row["surface"],
        )
        surfaces = [kind.surface]
        if kind.language == "en" and kind.order == "final" and not kind.surface.endswith("s"):
            # "Liaison Offices", "Intelligence Agencies"
            surfaces.append(kind.surface[:-1] + "ies" if kind.surface.endswith("y") else kind.surface + "s")
        for surface in surfaces:
            kinds.setdefault(fold(surface), kind)
            phrases.append(Phrase(surface, "bodykind", f"{kind.order}:{kind.language}"))
    return kinds, phrases


def _name_kinds() -> tuple[dict[str, str], list[Phrase]]:
    kinds: dict[str, str] = {}
    phrases: list[Phrase] = []
    for row in read_tsv("rules/name-kinds.tsv"):
        kinds[fold(row["word"].rstrip("*"))] = row["kind"]
        phrases.append(Phrase(row["word"], "namekind", row["kind"]))
    return kinds, phrases


def _cues() -> dict[str, tuple[re.Pattern[str], ...]]:
    cues: dict[str, list[re.Pattern[str]]] = defaultdict(list)
    for row in read_tsv("rules/agreement-cues.tsv"):
        cues[f"{row['kind']}:{row['language']}"].append(compile_rule(row["pattern"], re.IGNORECASE))
    return {k: tuple(v) for k, v in cues.items()}


def _title_agencies() -> tuple[tuple[re.Pattern[str], str, str | None, str], ...]:
    return tuple(
        (
            compile_rule(row["pattern"], re.IGNORECASE),
            row["agency"],
            row.get("country") or None,
            row.get("scope", ""),
        )
        for row in read_tsv("rules/title-agencies.tsv")
    )


def _es_en() -> dict[str, tuple[tuple[str, str], ...]]:
    """Folded Spanish word or phrase -> its ``(english, pos)`` readings."""
    table: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for row in read_tsv("rules/es-en-lexicon.tsv"):
        if row.get("es") and row.get("en"):
            table[fold(row["es"])].append((row["en"], row["pos"]))
    return {k: tuple(v) for k, v in table.items()}


def _complement_words(
    bodies: dict[str, BodyEntry],
    kinds: dict[str, BodyKind],
    es_en: dict[str, tuple[tuple[str, str], ...]],
    focus: list[Phrase],
    ambiguous: frozenset[str],
) -> frozenset[str]:
    """The words that make up the complements of titles and bodies' names ("of Public Security",
    "for Home Affairs"): every word of the gazetteer's body names, of the body kinds, of the
    Spanish-English lexicon and of the focus labels. A capitalised word outside them after a
    title's complement starts a person's name."""
    words: set[str] = set()
    # a word of the gazetteer's names counts when three bodies or more use it: place names and
    # proper names inside a few bodies' names ("San José") are not domain words
    entries: dict[str, set[str]] = defaultdict(set)
    for body in bodies.values():
        for surface in (body.name, *body.surfaces):
            for w in re.findall(r"\w+", fold(surface)):
                entries[w].add(body.id)
    words.update(w for w, ids in entries.items() if len(ids) >= 3)
    texts = [k.surface for k in kinds.values()]
    texts += list(es_en) + [en for readings in es_en.values() for en, _ in readings]
    texts += [p.surface.rstrip("*") for p in focus]
    for text in texts:
        words.update(w for w in re.findall(r"\w+", fold(text)))
    # and their plurals ("Prosecutions", "Operaciones"): a noun of the vocabulary in either number
    plurals = {w + "s" for w in words if w.isalpha()}
    plurals |= {w + "es" for w in words if w.isalpha() and w[-1] not in "aeiousy"}
    words |= plurals
    return frozenset(w for w in words - ambiguous if len(w) > 1)


def _words() -> dict[str, tuple[tuple[str, str, str], ...]]:
    table: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for row in read_tsv("rules/words.tsv"):
        table[row["kind"]].append((row["word"], row["language"], row.get("value", "")))
    return {k: tuple(v) for k, v in table.items()}


@lru_cache(maxsize=1)
def load() -> Lexicon:
    """Read and compile all extractor data (once per process; built once per change of the data,
    then read from the cache folder, :mod:`graph.extract.table_cache`)."""
    return cached("lexicon", _build)


def _build() -> Lexicon:
    place, country_names, country_forms, ambiguous, ambiguous_demonyms = _country_phrases()
    bodies, body_phrases, body_names = _bodies()
    focus, focus_ids, broader = _skos("focus-areas.ttl", "/focus/", "focus")
    instruments, _, _ = _skos("agreement-types.ttl", "/agreement-type/", "instrument")
    titles, title_phrases = _titles()
    kinds, kind_phrases = _body_kinds()
    name_kinds, name_phrases = _name_kinds()
    matcher = PhraseMatcher(
        place + body_phrases + focus + instruments + title_phrases + kind_phrases + name_phrases
    )
    es_en = _es_en()
    return Lexicon(
        matcher=matcher,
        country_names=country_names,
        country_forms=country_forms,
        ambiguous=ambiguous,
        ambiguous_demonyms=ambiguous_demonyms,
        bodies=bodies,
        body_names=body_names,
        common_words=_common_words(bodies, kinds, es_en),
        focus_ids=tuple(focus_ids),
        focus_broader=broader,
        titles=titles,
        body_kinds=kinds,
        name_kinds=name_kinds,
        cues=_cues(),
        title_agencies=_title_agencies(),
        es_en=es_en,
        complement_words=_complement_words(bodies, kinds, es_en, focus, ambiguous),
        words=_words(),
    )


@lru_cache(maxsize=256)
def word_set(kind: str, language: str | None = None, fold_case: bool = True) -> frozenset[str]:
    """Cached :meth:`Lexicon.word_set` of the loaded lexicon."""
    return load().word_set(kind, language, fold_case)


@lru_cache(maxsize=64)
def word_values(kind: str, language: str | None = None) -> dict[str, str]:
    """Cached :meth:`Lexicon.word_values` of the loaded lexicon."""
    return load().word_values(kind, language)


def alternation(words: Iterable[str]) -> str:
    """``words`` as one regular expression that matches any of them, the longest first; a space
    matches any run of white space. It is a whole: insert it inside a group, as ``(?:...)``.

    When every word starts with a letter or a digit, a lookahead on those first characters
    comes first (``(?=[ms])(?:met|said)``): it matches exactly what the alternation matches,
    and a search rejects most positions of a text with one test instead of one per word.

    >>> alternation(["said", "met", "stated"])
    '(?=[ms])(?:stated|said|met)'
    >>> re.findall(rf"\\b(?:{alternation(['told reporters', 'said'])})\\b", "He told  reporters, she said.")
    ['told  reporters', 'said']
    """
    ordered = sorted(words, key=len, reverse=True)
    body = "|".join(re.escape(w).replace("\\ ", r"\s+") for w in ordered)
    if not ordered or not all(w[:1].isalnum() for w in ordered):
        return body
    firsts = "".join(re.escape(c) for c in sorted({w[0] for w in ordered}))
    return f"(?=[{firsts}])(?:{body})"


@lru_cache(maxsize=256)
def word_pattern(kind: str, language: str | None = None, fold_case: bool = True) -> str:
    """Cached :meth:`Lexicon.word_pattern` of the loaded lexicon."""
    return load().word_pattern(kind, language, fold_case)
