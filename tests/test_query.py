"""SPARQL over the store: the saved competency queries give the expected answers, parameters are
bound as RDF terms, errors are readable, results serialize in the standard formats."""

from __future__ import annotations

import csv
import io
import json
import re
import time
import xml.etree.ElementTree as ET
from collections import Counter

import pyoxigraph as ox
import pytest
from rdflib import Graph

from graph.query import (
    QueryError,
    QueryRefused,
    QueryTimeout,
    load_saved_query,
    parse_param_args,
    read_query_source,
    run_query,
    term_for,
)
from graph.results import format_result, negotiate, to_table
from graph.store import triple_count
from graph.triples import agency_iri, focus_iri, person_iri, release_graph_iri
from tests.graph_support import (
    build_sample_store,
    build_store,
    fixture_items,
    fixture_records,
    instrument_of,
    run_cli,
    sample_items,
)

ID = "https://w3id.org/seckg/id/"


@pytest.fixture(scope="module")
def store():
    return build_store(fixture_items())


@pytest.fixture(scope="module")
def sample_store():
    return build_sample_store()


def saved(store, name, **params):
    query = load_saved_query(name)
    return run_query(store, query.text, params=params, declared=query.params).records()


# --- competency queries on the hand-written fixture, exact answers -------------------------------


def test_countries_dhs_signed_with_by_year(store):
    rows = saved(store, "dhs-partners-by-year")
    got = [(r["year"], r["country"].rsplit("/", 1)[1], r["agreements"]) for r in rows]
    assert got == [("2019", "PAN", "1"), ("2020", "HND", "2")]
    assert {r["agency"] for r in rows} == {str(agency_iri("Department of Homeland Security", "USA"))}
    assert [r["name"] for r in rows] == ["Panama", "Honduras"]  # labels from the country gazetteer
    by_name = saved(store, "dhs-partners-by-year", agency="Department of Homeland Security")
    assert by_name == rows
    honduras = saved(store, "dhs-partners-by-year", agency="HND/secretariat-of-security")
    assert [(r["year"], r["country"].rsplit("/", 1)[1]) for r in honduras] == [("2020", "USA")]


def test_agreements_covering_a_focus_area(store):
    cyber = saved(store, "agreements-by-focus", focus="cybersecurity")
    record = fixture_records()[0]
    assert [(r["agreement"], r["type"], sorted(r["parties"].split()), r["date"]) for r in cyber] == [
        (
            instrument_of(store)[(record.id, 0)],
            "letter-of-intent",
            ["PAN", "USA"],
            "2019-12-17",
        )
    ]
    migration = saved(store, "agreements-by-focus", focus="irregular-migration")
    assert len(migration) == 2 and {r["type"] for r in migration} == {"arrangement"}
    everything = saved(store, "agreements-by-focus")
    assert Counter(r["focus"].rsplit("/", 1)[1] for r in everything)["border-security"] == 2


def test_signatories_and_their_roles(store):
    rows = saved(store, "signatories")
    got = {(r["name"], r["role"], r["agencyName"], r["country"]) for r in rows}
    assert got == {
        ("Chad F. Wolf", "Acting Secretary of Homeland Security", "Department of Homeland Security", "USA"),
        ("Rolando Mirones", "Minister of Public Security", "Ministry of Public Security", "PAN"),
        (
            "Kevin K. McAleenan",
            "Acting Secretary of Homeland Security",
            "Department of Homeland Security",
            "USA",
        ),
        ("Julian Pacheco", None, "Secretariat of Security", "HND"),
    }
    assert len(rows) == 5  # McAleenan signed both arrangements


def test_a_signatory_with_a_post_in_an_agency_gets_one_row_for_it_with_the_role():
    """A post in an agency and a membership of the same agency: one row, with the role; a
    membership alone: a row without a role (the saved query's shape keeps both)."""
    trig = """
    @prefix seckg: <https://w3id.org/seckg/ontology#> . @prefix org: <http://www.w3.org/ns/org#> .
    @prefix foaf: <http://xmlns.com/foaf/0.1/> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
    @prefix e: <https://example.org/> .
    <https://w3id.org/seckg/graph/resolution> {
      e:mou a seckg:Agreement ; seckg:signatory e:ana , e:luis . e:report seckg:reportOf e:mou . }
    e:release {
      e:report a seckg:AgreementReport ; seckg:signatory e:ana , e:luis .
      e:ana foaf:name "Ana" ; org:holds e:post ; org:memberOf e:ministry , e:police .
      e:post rdfs:label "Minister" ; org:postIn e:ministry .
      e:ministry rdfs:label "Ministry" . e:police rdfs:label "Police" .
      e:luis foaf:name "Luis" ; org:memberOf e:police . }
    """
    tiny = ox.Store()
    tiny.load(trig.encode(), format=ox.RdfFormat.TRIG)
    got = {(r["name"], r["role"], r["agencyName"]) for r in saved(tiny, "signatories")}
    assert got == {("Ana", "Minister", "Ministry"), ("Ana", None, "Police"), ("Luis", None, "Police")}


def test_focus_areas_per_country(store):
    rows = saved(store, "focus-areas-by-country", country="HND")
    got = {r["focus"].rsplit("/", 1)[1]: int(r["agreements"]) for r in rows}
    assert got == {"irregular-migration": 2, "border-security": 1, "information-sharing": 1}
    assert rows[0]["focus"].endswith("irregular-migration")  # most frequent first
    assert rows[0]["focusLabel"] == "Irregular migration"


def test_agencies_of_a_country_active_in_agreements(store):
    rows = saved(store, "agencies-by-country", country="USA")
    got = {r["name"]: (int(r["agreements"]), int(r["signed"])) for r in rows}
    assert got == {"Department of Homeland Security": (3, 3), "Department of State": (1, 0)}
    assert all(r["country"].endswith("/country/USA") for r in rows)


def test_sentence_evidence_of_an_agreement(store):
    rows = saved(store, "agreement-evidence", party="PAN")
    record, release = fixture_items()[0]
    assert {r["sentence"] for r in rows} == {
        "Panama and the United States signed a Letter of Intent on Security Cooperation in Washington "
        "on Tuesday.",
        "Acting Secretary of Homeland Security Chad F. Wolf and Minister of Public Security Rolando Mirones "
        "signed for their governments.",
    }
    for row in rows:
        assert release.text[int(row["start"]) : int(row["end"])] == row["sentence"]
        assert row["release"].endswith(record.id)
    second = fixture_records()[1]
    one = saved(store, "agreement-evidence", agreement=instrument_of(store)[(second.id, 1)])
    assert {r["sentence"][:16] for r in one} == {"The United State", "The first arrang"}


def test_releases_with_provenance(store):
    rows = saved(store, "releases")
    assert [r["release"].rsplit("/", 1)[1] for r in rows][:1] == ["fx-03-eu-statement"]  # undated first
    assert {r["extractor"] for r in rows} == {"0.1.0"}
    assert {r["generated"] for r in rows} == {"2024-01-01T00:00:00Z"}
    assert sum(int(r["agreements"]) for r in rows) == 4


# --- the sample graph: answers agree with what the records say ----------------------------------


def test_sample_graph_answers_match_the_records(sample_store):
    items = sample_items()
    assert items, "no sample records"
    expected_focus, expected_signers, expected_agencies = set(), set(), set()
    instruments = instrument_of(sample_store)
    per_instrument: set = set()
    resolved = run_query(
        sample_store,
        "SELECT ?short ?full WHERE { GRAPH ?r { ?s seckg:resolvedAs ?f } "
        "GRAPH ?g { ?s foaf:name ?short } GRAPH ?h { ?f foaf:name ?full } }",
    ).records()
    fuller = {row["short"]: row["full"] for row in resolved}
    assert fuller == {"Chad Wolf": "Chad F. Wolf"}  # the Spanish release names him without his initial
    for record, _ in items:
        for position, agreement in enumerate(record.agreements):
            iri = instruments[(record.id, position)]
            for focus in agreement.focus_areas:
                expected_focus.add((str(focus_iri(focus)), iri))
                for party in agreement.parties:
                    per_instrument.add((party, focus, iri))
            for name in agreement.signatories:
                expected_signers.add((iri, fuller.get(name, name)))
            for agency in record.agencies:
                if agency.country in agreement.parties:
                    expected_agencies.add((agency.country, str(agency_iri(agency.name, agency.country))))
    by_focus = saved(sample_store, "agreements-by-focus")
    assert {(r["focus"], r["agreement"]) for r in by_focus} == expected_focus
    assert {(r["agreement"], r["name"]) for r in saved(sample_store, "signatories")} == expected_signers
    focus_count = Counter((party, focus) for party, focus, _ in per_instrument)
    got_count = Counter()
    for r in saved(sample_store, "focus-areas-by-country"):
        got_count[(r["country"].rsplit("/", 1)[1], r["focus"].rsplit("/", 1)[1])] = int(r["agreements"])
    assert got_count == focus_count
    active = saved(sample_store, "agencies-by-country")
    agencies = {(r["country"].rsplit("/", 1)[1], r["agency"]) for r in active}
    assert agencies == expected_agencies


def test_sample_graph_dhs_partners_include_every_direct_dhs_signing(sample_store):
    expected = set()
    for record, release in sample_items():
        dhs_people = {p.name for p in record.people if p.organization == "Department of Homeland Security"}
        for agreement in record.agreements:
            if dhs_people & set(agreement.signatories):
                year = (agreement.date or (release.date if release else record.date) or "")[:4]
                expected |= {(year, c) for c in agreement.parties if c != "USA"}
    rows = saved(sample_store, "dhs-partners-by-year")
    assert expected and expected <= {(r["year"] or "", r["country"].rsplit("/", 1)[1]) for r in rows}


# --- parameters ---------------------------------------------------------------------------------


def test_parameters_are_bound_as_terms_never_pasted(store):
    before = triple_count(store)
    query = "SELECT ?name ?p WHERE { GRAPH ?g { ?p foaf:name ?name } }"
    hostile = 'Chad F. Wolf" } } ; DROP ALL ; #'
    assert run_query(store, query, params={"name": hostile}).rows == []
    assert triple_count(store) == before
    found = run_query(store, query, params={"name": "Chad F. Wolf"}).records()
    assert found == [{"name": "Chad F. Wolf", "p": str(person_iri("Chad F. Wolf"))}]
    with pytest.raises(QueryError, match="is not a focus area"):  # refused before the engine sees it
        saved(store, "agreements-by-focus", focus="x> } DROP ALL {")
    assert triple_count(store) == before


def test_parameter_values_become_typed_terms():
    assert term_for("cybersecurity", "focus").value == str(focus_iri("cybersecurity"))
    assert term_for("<https://example.org/a>").value == "https://example.org/a"
    assert term_for("country:PAN").value == ID + "country/PAN"
    assert term_for("2019", None).datatype.value.endswith("#integer")
    assert term_for("2019-12-17", "date").datatype.value.endswith("#date")
    assert term_for("Chad F. Wolf", "person").value == ID + "person/chad-f-wolf"
    assert term_for("hello world").value == "hello world"
    for value, kind in (("Panama", "country"), ("nope", "iri"), ("2019-13", "date"), ("x", "integer")):
        with pytest.raises(QueryError):
            term_for(value, kind)
    with pytest.raises(QueryError, match="names 0 agencies"):
        term_for("No Such Agency", "agency", build_store([]))
    assert parse_param_args(["a=b=c"]) == {"a": "b=c"}
    with pytest.raises(QueryError, match="NAME=VALUE"):
        parse_param_args(["novalue"])


def test_unknown_parameter_of_a_saved_query_is_refused(store):
    query = load_saved_query("agreements-by-focus")
    with pytest.raises(QueryError, match=r"unknown parameter colour \(this query takes: focus\)"):
        run_query(store, query.text, params={"colour": "red"}, declared=query.params)


# --- errors, refusals, dataset ------------------------------------------------------------------


def test_errors_are_the_parsers_message(store):
    with pytest.raises(QueryError, match=r"error at 1:\d+"):
        run_query(store, "SELECT ?x WHERE { ?x ")
    with pytest.raises(QueryError, match="update"):
        run_query(store, "DROP ALL")
    with pytest.raises(QueryRefused, match="SERVICE"):
        run_query(store, "SELECT * WHERE { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }")
    for sneaky in (
        "?s ?p true.SERVICE <{u}> {{}}",
        "?s ?p trueSERVICE <{u}> {{}}",
        "?s ?p 1e0service <{u}> {{}}",
    ):
        query = "SELECT * WHERE { " + sneaky.format(u="http://127.0.0.1:1/") + " }"
        with pytest.raises(QueryRefused):
            run_query(store, query)
    # keywords inside strings, IRIs, comments, variables and prefixed names do not count
    ok = run_query(store, "# SERVICE LOAD\nSELECT ?x WHERE { BIND('SERVICE <x>' AS ?x) }")
    assert ok.records() == [{"x": "SERVICE <x>"}]
    names = "SELECT ?service WHERE { ?service seckg:serviceLoad* <https://example.org/LOAD> }"
    assert run_query(store, names).rows == []


def test_a_parse_failure_of_any_kind_is_a_message_not_an_exception(store, monkeypatch):
    """The guard's parse lets no exception out: one with a line number but no column (a
    ``SyntaxError``, not pyparsing's) is a message too, not an ``AttributeError`` in its handler."""
    from rdflib.plugins.sparql import parser

    from graph import sparql_guard

    def fails(text):
        raise SyntaxError("unexpected", ("query", 3, 7, text))

    monkeypatch.setattr(parser, "parseQuery", fails)
    tree, message = sparql_guard._parse("SELECT * WHERE { ?s ?p ?o }", update=False)
    assert tree is None and message == "unexpected"
    with pytest.raises(QueryError, match="unexpected"):
        run_query(store, "SELECT * WHERE { ?s ?p ?o }")


def test_from_selects_graphs_of_the_store_only(store):
    first = str(release_graph_iri(fixture_records()[0].id))
    one = run_query(store, f"SELECT (COUNT(*) AS ?n) FROM <{first}> WHERE {{ ?s ?p ?o }}").records()
    graph_size = len(
        list(store.quads_for_pattern(None, None, None, __import__("pyoxigraph").NamedNode(first)))
    )
    assert int(one[0]["n"]) == graph_size
    none = run_query(store, "SELECT (COUNT(*) AS ?n) FROM <http://127.0.0.1:1/data.ttl> WHERE { ?s ?p ?o }")
    assert none.records() == [{"n": "0"}]
    via_protocol = run_query(store, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", default_graph_uris=[first])
    assert int(via_protocol.records()[0]["n"]) == graph_size


def test_row_cap_and_timeout(store):
    capped = run_query(store, "SELECT * WHERE { ?s ?p ?o }", max_rows=7)
    assert len(capped.rows) == 7 and capped.truncated
    started = time.monotonic()
    with pytest.raises(QueryTimeout):
        run_query(store, "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }", timeout=0.3)
    assert time.monotonic() - started < 5


def test_query_files(tmp_path, store):
    path = tmp_path / "q.rq"
    path.write_text(
        "# question: How many agreements?\nSELECT (COUNT(*) AS ?n) WHERE { ?a a seckg:Agreement }\n"
    )
    assert run_query(store, read_query_source(str(path))).records() == [{"n": "4"}]
    with pytest.raises(QueryError, match="cannot read query file"):
        read_query_source(str(tmp_path / "missing.rq"))


# --- result formats -----------------------------------------------------------------------------


def test_result_formats_follow_the_standards(store):
    result = run_query(store, load_saved_query("signatories").text)
    data = json.loads(format_result(result, "json"))
    assert data["head"]["vars"] == list(result.variables)
    first = data["results"]["bindings"][0]
    assert first["agreement"]["type"] == "uri" and first["name"] == {
        "type": "literal",
        "value": first["name"]["value"],
    }
    assert first["role"]["xml:lang"] == "en"
    rows = list(csv.reader(io.StringIO(format_result(result, "csv"))))
    assert rows[0] == list(result.variables) and len(rows) == len(result.rows) + 1
    tsv = format_result(result, "tsv").splitlines()
    assert tsv[0].split("\t") == [f"?{v}" for v in result.variables]
    assert tsv[1].split("\t")[0].startswith("<https://")
    root = ET.fromstring(format_result(result, "xml"))
    ns = "{http://www.w3.org/2005/sparql-results#}"
    assert len(root.findall(f"{ns}results/{ns}result")) == len(result.rows)
    table = to_table(result).splitlines()
    assert table[0].split() == list(result.variables) and set(table[1]) <= {"-", " "}
    assert "agreement:letter-of-intent-" in to_table(result)
    ask = run_query(store, "ASK { ?a a seckg:Agreement }")
    assert format_result(ask, "table") == "yes" and json.loads(format_result(ask, "json"))["boolean"] is True
    graph = run_query(store, "CONSTRUCT { ?a a seckg:Agreement } WHERE { ?a a seckg:Agreement }")
    assert len(Graph().parse(data=format_result(graph, "table"), format="turtle")) == 4
    assert len(Graph().parse(data=format_result(graph, "json"), format="json-ld")) == 4


def test_content_negotiation():
    assert negotiate(None, "SELECT") == "application/sparql-results+json"
    assert negotiate("application/sparql-results+xml", "SELECT") == "application/sparql-results+xml"
    assert negotiate("text/csv;q=0.5, text/tab-separated-values", "SELECT") == "text/tab-separated-values"
    assert negotiate("text/html,application/xml;q=0.9,*/*;q=0.8", "SELECT") == "application/xml"
    assert negotiate("application/n-triples", "CONSTRUCT") == "application/n-triples"
    assert negotiate("image/png", "SELECT") is None


def test_saved_queries_pass_the_guard_they_skip():
    """run_query skips the guard's parse for a packaged query's own text: each must pass it."""
    from graph.query import saved_queries
    from graph.sparql_guard import checked_query

    for query in saved_queries():
        assert checked_query(query.text) == query.text, query.name


def test_a_parameter_the_query_assigns_filters_its_answer(store):
    query = load_saved_query("agency-instruments")
    every = run_query(store, query.text, declared=query.params).records()
    years = {r["year"] for r in every}
    assert years == {"2019", "2020"}
    for year in years:
        one = run_query(store, query.text, params={"year": year}, declared=query.params).records()
        assert one == [r for r in every if r["year"] == year]


def test_the_query_command_prints_its_time_on_stderr_only(tmp_path):
    location = tmp_path / "store"
    store = build_store(fixture_items(), location)
    del store  # the command opens the store itself
    result = run_cli("query", "--name", "releases", "--format", "csv", "--store", location)
    assert result.exit_code == 0, result.output
    assert re.fullmatch(r"4 rows in \d+\.\d{3} s\n", result.stderr)
    assert len(result.stdout.splitlines()) == 5 and " s\n" not in result.stdout  # the CSV, nothing else
    ask = run_cli("query", "ASK { ?a a seckg:Agreement }", "--store", location)
    assert ask.stdout.strip() == "yes" and ask.stderr.startswith("yes in ")
