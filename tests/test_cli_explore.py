"""``seckg stats`` and ``seckg render`` on a store that ``seckg ingest`` built from the samples."""

from __future__ import annotations

import json
import re

import pytest

from tests.explore_support import EXPLORE, instrument_count, sample_instruments, sample_records
from tests.graph_support import SAMPLES, run_cli

run = run_cli


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> str:
    location = str(tmp_path_factory.mktemp("cli") / "store")
    result = run("ingest", str(SAMPLES / "releases"), "--store", location, "--no-progress")
    assert result.exit_code == 0, result.output
    return location


def _agreement_count() -> int:
    return instrument_count()


def test_stats_prints_the_headline_figures(store):
    result = run("stats", "--store", store, "--top", "3")
    assert result.exit_code == 0, result.output
    first = result.output.splitlines()[0]
    assert first.startswith(f"{len(sample_records())} releases, {_agreement_count()} instruments, ")
    assert "Counts are of instruments" in result.output
    central = result.output.split("Most central countries")[1].splitlines()
    assert central[3].split()[0] == "USA"  # the hub of the sample releases
    assert "Communities of countries (Louvain, seed 42)" in result.output
    assert re.search(r"Focus areas no agreement covers: ", result.output)


def test_stats_as_json(store):
    result = run("stats", "--store", store, "--format", "json", "--top", "2")
    data = json.loads(result.output)
    assert data["headline"]["instruments"] == _agreement_count()
    assert len(data["central countries"]) == 2 and data["note"].startswith("Counts are of instruments")
    assert sum(row["agreements"] for row in data["agreements per year"]) <= _agreement_count()


def test_stats_needs_an_existing_store(tmp_path):
    result = run("stats", "--store", str(tmp_path / "missing"))
    assert result.exit_code == 1
    assert not (tmp_path / "missing").exists()


def test_render_writes_the_viewer_and_says_how_to_open_it(store, tmp_path):
    out = tmp_path / "out" / "viewer.html"
    result = run("render", "--store", store, "--out", str(out))
    assert result.exit_code == 0, result.output
    assert out.is_file() and out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert f"{_agreement_count()} instruments" in result.output
    assert out.resolve().as_uri() in result.output


def test_render_filters_make_focused_views(store, tmp_path):
    records = sample_records()
    focus = max(
        {t for r in records for a in r.agreements for t in a.focus_areas},
        key=lambda f: (sum(f in a.focus_areas for r in records for a in r.agreements), f),
    )
    out = tmp_path / "focus.html"
    result = run("render", "--store", store, "--out", str(out), "--focus", focus, "--country", "usa")
    assert result.exit_code == 0, result.output
    instrument = sample_instruments()  # reports of one instrument count once
    expected = len(
        {
            instrument[(r.id, i)]
            for r in records
            for i, a in enumerate(r.agreements)
            if "USA" in a.parties and (focus in (a.focus_areas or r.focus_areas))
        }
    )
    assert f"{expected} instruments" in result.output
    result = run("render", "--store", store, "--out", str(out), "--from-year", "1990", "--to-year", "1991")
    assert result.exit_code == 0 and "(0 nodes, 0 edges, 0 instruments)" in result.output


def test_render_refuses_unknown_filter_values(store, tmp_path):
    result = run("render", "--store", store, "--out", str(tmp_path / "x.html"), "--focus", "gardening")
    assert result.exit_code == 2 and "--focus gardening: no such value" in result.output
    result = run("render", "--store", store, "--out", str(tmp_path / "x.html"), "--type", "poem")
    assert result.exit_code == 2
    assert not (tmp_path / "x.html").exists()


def test_render_a_construct_query(store, tmp_path):
    query = tmp_path / "mexico.rq"
    query.write_text(
        "# question: Which agreements is Mexico party to?\n"
        "CONSTRUCT { ?a ?p ?o } WHERE { ?a a seckg:Agreement ; seckg:party country:MEX ; ?p ?o }\n",
        encoding="utf-8",
    )
    out = tmp_path / "mexico.html"
    result = run("render", "--store", store, "--query", str(query), "--out", str(out))
    assert result.exit_code == 0, result.output
    expected = instrument_count(lambda a: "MEX" in a.parties)
    assert f"{expected} instruments" in result.output
    assert "Mexico" in out.read_text(encoding="utf-8")
    select = tmp_path / "select.rq"
    select.write_text("SELECT * WHERE { ?s ?p ?o } LIMIT 1\n", encoding="utf-8")
    result = run("render", "--store", store, "--query", str(select), "--out", str(out))
    assert result.exit_code == 2 and "needs CONSTRUCT" in result.output
    # triples that type no node draw nothing: said, with what the query needs
    untyped = tmp_path / "untyped.rq"
    untyped.write_text("CONSTRUCT { ?a seckg:party ?c } WHERE { ?a seckg:party ?c }\n", encoding="utf-8")
    result = run("render", "--store", store, "--query", str(untyped), "--out", str(out))
    assert result.exit_code == 0 and "(0 nodes, 0 edges, 0 instruments)" in result.stdout
    assert result.stderr.startswith(f"warning: {untyped}: its ") and "rdf:type" in result.stderr
    nothing = tmp_path / "nothing.rq"
    nothing.write_text("CONSTRUCT { ?a ?p ?o } WHERE { ?a seckg:nosuch ?o ; ?p ?o }\n", encoding="utf-8")
    result = run("render", "--store", store, "--query", str(nothing), "--out", str(out))
    assert result.stderr == f"warning: {nothing}: the query returned no triples\n"


def test_the_hostile_release_renders(tmp_path):
    location = str(tmp_path / "store")
    assert run("ingest", str(EXPLORE / "hostile.txt"), "--store", location, "--no-progress").exit_code == 0
    out = tmp_path / "hostile.html"
    result = run("render", "--store", location, "--out", str(out))
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert "<script>window" not in page and "\\u003cscript\\u003ewindow.__xss=1" in page


def test_export_writes_projections_for_gephi_and_spreadsheets(store, tmp_path):
    import networkx as nx

    from graph.analysis import EXPORT_FORMATS, PROJECTIONS
    from graph.cli.explore_cmds import PROJECTION_FORMATS, PROJECTION_NAMES

    assert (PROJECTION_FORMATS, PROJECTION_NAMES) == (EXPORT_FORMATS, PROJECTIONS)
    result = run(
        "export",
        "--store",
        store,
        "--projection",
        "countries",
        "--format",
        "gexf",
        "--out",
        str(tmp_path / "c.gexf"),
    )
    assert result.exit_code == 0, result.output
    countries = nx.read_gexf(tmp_path / "c.gexf")
    parties = {p for r in sample_records() for a in r.agreements for p in a.parties}
    assert countries.number_of_nodes() == len(parties)
    assert "Counts are of instruments" in result.output
    result = run(
        "export",
        "--store",
        store,
        "--projection",
        "agencies",
        "--format",
        "graphml",
        "--out",
        str(tmp_path / "a.graphml"),
    )
    assert result.exit_code == 0 and nx.read_graphml(tmp_path / "a.graphml").number_of_nodes() > 0
    result = run("export", "--store", store, "--format", "csv", "--out", str(tmp_path / "typed"))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "typed").iterdir()) == ["edges.csv", "nodes.csv"]
    header = (tmp_path / "typed" / "nodes.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.startswith("id,iri,label,type,")


def test_export_projection_usage_errors(store, tmp_path):
    result = run(
        "export", "--store", store, "--projection", "people", "--format", "csv", "--out", str(tmp_path)
    )
    assert result.exit_code == 2 and "'people' is not one of" in result.output
    result = run(
        "export", "--store", store, "--projection", "typed", "--format", "trig", "--out", str(tmp_path / "x")
    )
    assert result.exit_code == 2 and "--projection writes graphml, gexf, csv" in result.output
    assert run("export", "--store", store, "--projection", "typed", "--format", "gexf").exit_code == 2
