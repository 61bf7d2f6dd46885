"""Sanity checks for ontology/rules/es-en-lexicon.tsv: Spanish-English words of body names and titles."""

from __future__ import annotations

import csv
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LEXICON = ROOT / "ontology" / "rules" / "es-en-lexicon.tsv"
COLUMNS = ["es", "en", "pos", "note"]
POS = {"head", "title", "noun", "adj", "prep", "phrase"}
# Words after which a title's gender no longer shows ("defensor del pueblo", "secretario de estado").
TITLE_STOPS = {"de", "del", "en", "para", "y"}


# ---------------------------------------------------------------- helpers


def read_tsv(path: Path, columns: list[str]) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        lines = handle.read().splitlines()
    while lines and lines[0].startswith("#"):
        lines.pop(0)
    assert lines, f"{path.name} is empty"
    assert lines[0].split("\t") == columns, f"{path.name}: header {lines[0]!r}"
    rows = list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))
    for number, row in enumerate(rows, start=2):
        assert None not in row and all(v is not None for v in row.values()), f"{path.name}:{number} width"
        for column, value in row.items():
            assert value == value.strip(), f"{path.name}:{number} {column} has outer spaces"
            assert "  " not in value, f"{path.name}:{number} {column} has a double space"
    return rows


def key(form: str) -> str:
    """Matching key: case and accents folded, as the matcher does."""
    text = unicodedata.normalize("NFKD", form)
    return "".join(c for c in text if not unicodedata.combining(c)).casefold()


def feminine(title: str) -> str:
    """The feminine of a title, inflecting the words before the first preposition."""
    words = title.split()
    for index, word in enumerate(words):
        if word in TITLE_STOPS:
            break
        if word.endswith("o"):
            words[index] = word[:-1] + "a"
        elif word.endswith(("or", "primer", "tercer")):
            words[index] = word + "a"
    return " ".join(words)


# ---------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def lexicon() -> list[dict[str, str]]:
    return read_tsv(LEXICON, COLUMNS)


@pytest.fixture(scope="module")
def by_pos(lexicon) -> dict[str, dict[str, dict[str, str]]]:
    table: dict[str, dict[str, dict[str, str]]] = {pos: {} for pos in POS}
    for row in lexicon:
        table.setdefault(row["pos"], {})[row["es"]] = row
    return table


# ---------------------------------------------------------------- tests


def test_cells(lexicon):
    assert 300 <= len(lexicon) <= 1000
    for row in lexicon:
        assert row["es"] and row["en"] and row["pos"], row
        assert row["pos"] in POS, f"{row['es']}: pos {row['pos']!r}"
        assert row["es"] == row["es"].lower(), f"{row['es']!r} is not lower case"
        assert "\t" not in row["note"]
    assert set(Counter(row["pos"] for row in lexicon)) == POS, "every pos has rows"


def test_one_row_per_es_and_pos(lexicon):
    counts = Counter((key(row["es"]), row["pos"]) for row in lexicon)
    repeated = [pair for pair, count in counts.items() if count > 1]
    assert not repeated, f"repeated (es, pos), accents folded: {repeated}"


def test_titles_have_feminine_forms(by_pos):
    titles = by_pos["title"]
    missing = [
        es
        for es, row in titles.items()
        if feminine(es) != es and feminine(es) not in titles and "invariable" not in row["note"]
    ]
    assert not missing, f"titles without a feminine row (or 'invariable' in note): {missing}"
    for masculine, female in [("ministro", "ministra"), ("director general", "directora general")]:
        assert titles[masculine]["en"] == titles[female]["en"], masculine


def test_adjectives_have_gender_and_number_forms(by_pos):
    adjectives = by_pos["adj"]
    missing = []
    for es, row in adjectives.items():
        if "invariable" in row["note"]:
            continue
        if es.endswith("o"):
            needed = [es[:-1] + "a", es + "s", es[:-1] + "as"]
        elif es.endswith("e"):
            needed = [es + "s"]
        elif es.endswith(("l", "r")):
            needed = [es + "es"]
        else:
            needed = []
        missing += [form for form in needed if form not in adjectives]
        missing += [form for form in needed if form in adjectives and adjectives[form]["en"] != row["en"]]
    assert not missing, f"adjective forms missing or translated differently: {missing}"


@pytest.mark.parametrize(
    ("es", "pos", "en"),
    [
        ("ministerio", "head", "Ministry"),
        ("subsecretaría", "head", "Undersecretariat"),
        ("dirección general", "head", "General Directorate"),
        ("servicio", "head", "Service"),
        ("policía", "head", "Police"),
        ("ministra", "title", "Minister"),
        ("viceministro", "title", "Vice Minister"),
        ("subsecretario", "title", "Undersecretary"),
        ("seguridad", "noun", "Security"),
        ("defensa", "noun", "Defense"),
        ("justicia", "noun", "Justice"),
        ("interior", "noun", "Interior"),
        ("aduanas", "noun", "Customs"),
        ("migración", "noun", "Migration"),
        ("nacional", "adj", "National"),
        ("públicas", "adj", "Public"),
        ("de la", "prep", "of the"),
        ("y", "prep", "and"),
        ("seguridad pública", "phrase", "Public Security"),
        ("relaciones exteriores", "phrase", "Foreign Affairs"),
        ("guardia costera", "phrase", "Coast Guard"),
        ("crimen organizado", "phrase", "Organized Crime"),
    ],
)
def test_known_translations(by_pos, es, pos, en):
    assert by_pos[pos][es]["en"] == en


# ---------------------------------------------------------------- rules/words.tsv

WORDS = ROOT / "ontology" / "rules" / "words.tsv"
EXTRACT = ROOT / "graph" / "extract"


def _kinds_used_in_code() -> set[str]:
    import re

    used = set()
    for path in EXTRACT.glob("*.py"):
        used |= set(
            re.findall(r"word_(?:set|values|pattern)\(\s*[\"']([\w-]+)[\"']", path.read_text("utf-8"))
        )
        used |= set(re.findall(r"words\(\s*[\"']([\w-]+)[\"']\s*\)", path.read_text("utf-8")))
    return used


def test_words_rows_are_well_formed_and_unique():
    rows = read_tsv(WORDS, ["kind", "language", "word", "value", "note"])
    seen = Counter((r["kind"], r["language"], r["word"]) for r in rows)
    assert [k for k, n in seen.items() if n > 1] == []
    assert {r["language"] for r in rows} <= {"en", "es", "any"}
    numbers = [r for r in rows if r["kind"] == "number"]
    assert numbers and all(r["value"].isdigit() for r in numbers)


def test_every_kind_of_words_is_used_and_every_used_kind_has_words():
    """No dead data in words.tsv, and no code that asks for a kind of word the file lacks."""
    in_file = {r["kind"] for r in read_tsv(WORDS, ["kind", "language", "word", "value", "note"])}
    used = _kinds_used_in_code()
    assert used - in_file == set(), "kinds the code asks for but words.tsv lacks"
    assert in_file - used == set(), "kinds in words.tsv that no code reads"


def test_importing_graph_reads_no_data_files():
    """Importing the package has no side effects: the lexicon loads on first use."""
    import subprocess
    import sys

    code = "import graph; from graph.extract import lexicon; print(lexicon.load.cache_info().currsize)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "0"
