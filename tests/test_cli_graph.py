"""The graph commands end to end: ingest, query, export, validate, serve, chained through --store."""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys

import httpx
import pytest
from rdflib import Dataset, Graph
from typer.testing import CliRunner

from graph.cli import app
from graph.loading import ingest_record
from graph.model import Record
from graph.store import open_store
from tests.graph_support import DATA, FIXED_TIME, fixture_records, oxigraph_server

runner = CliRunner()
RECORDS = str(DATA / "records.jsonl")


def run(*args, env=None):
    return runner.invoke(app, [str(a) for a in args], env=env)


@pytest.fixture()
def store(tmp_path):
    location = tmp_path / "store"
    result = run("ingest", "--records", RECORDS, "--store", location)
    assert result.exit_code == 0, result.output
    return location


def test_ingest_records_then_reingest_changes_nothing(store):
    first = run("export", "--format", "nquads", "--store", store).stdout
    again = run("ingest", "--records", RECORDS, "--store", store)
    assert again.exit_code == 0
    assert again.stdout.startswith(
        "4 releases (0 added, 0 replaced, 4 unchanged), 0 triples written, 0 failures"
    )
    assert run("export", "--format", "nquads", "--store", store).stdout == first


def test_ingest_extracts_release_files(tmp_path):
    result = run("ingest", DATA / "releases", "--store", tmp_path / "s")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("4 releases (4 added, 0 replaced, 0 unchanged)")
    listed = run("query", "--name", "releases", "--format", "csv", "--store", tmp_path / "s")
    assert {r.id for r in fixture_records()} <= {
        line.split(",")[0].rsplit("/", 1)[-1] for line in listed.stdout.splitlines()
    }


def test_bad_input_is_reported_and_the_rest_loaded(tmp_path):
    bad = tmp_path / "mixed.jsonl"
    lines = (DATA / "records.jsonl").read_text().splitlines()
    bad.write_text(lines[0] + "\n{not json\n" + json.dumps({"title": "no id"}) + "\n" + lines[1] + "\n")
    result = run(
        "ingest", "--records", bad, "--records", tmp_path / "missing.jsonl", "--store", tmp_path / "s"
    )
    assert result.exit_code == 1
    assert f"{bad}:2:" in result.stderr and f"{bad}:3: record has no 'id'" in result.stderr
    assert "missing.jsonl" in result.stderr
    assert "2 releases (2 added, 0 replaced, 0 unchanged)" in result.stdout and "3 failures" in result.stdout
    assert run("ingest", "--store", tmp_path / "s").exit_code == 2


def test_queries_saved_text_and_file_with_formats(store, tmp_path):
    table = run("query", "--name", "agreements-by-focus", "--param", "focus=cybersecurity", "--store", store)
    assert table.exit_code == 0, table.output
    lines = table.stdout.splitlines()
    assert lines[0].split()[:3] == ["focus", "agreement", "type"] and len(lines) == 3
    assert "focus:cybersecurity" in lines[2] and "letter-of-intent" in lines[2]
    as_json = run("query", "--name", "signatories", "--format", "json", "--store", store)
    assert len(json.loads(as_json.stdout)["results"]["bindings"]) == 5
    text = run(
        "query", "SELECT (COUNT(*) AS ?n) WHERE { ?a a seckg:Agreement }", "--format", "csv", "--store", store
    )
    assert text.stdout.splitlines() == ["n", "4"]
    query_file = tmp_path / "who.rq"
    query_file.write_text("SELECT ?name WHERE { ?p foaf:name ?name } ORDER BY ?name")
    from_file = run("query", query_file, "--format", "tsv", "--max-rows", "2", "--store", store)
    assert from_file.stdout.splitlines() == ["?name", '"Chad F. Wolf"', '"Julian Pacheco"']
    listed = run("query", "--list")
    assert "dhs-partners-by-year: Which countries has DHS" in listed.stdout
    assert "--param agency=<agency> (default USA/department-of-homeland-security)" in listed.stdout


def test_query_errors_are_messages_not_tracebacks(store, tmp_path):
    bad = run("query", "SELECT ?x WHERE { ?x", "--store", store)
    assert bad.exit_code == 1 and bad.stderr.startswith("error: error at 1:")
    assert "Traceback" not in bad.output
    unknown = run("query", "--name", "agreements-by-focus", "--param", "colour=red", "--store", store)
    assert unknown.exit_code == 1 and "unknown parameter colour" in unknown.stderr
    nosuch = run("query", "--name", "nope", "--store", store)
    assert nosuch.exit_code == 1 and "no saved query 'nope'" in nosuch.stderr
    folder = tmp_path / "empty"
    folder.mkdir()
    for command in (["query", "ASK {}"], ["stats"], ["validate"], ["export"], ["render"]):
        missing = run(*command, "--store", folder / "nowhere")
        assert missing.exit_code == 1, command
        said = f"error: no store at {folder / 'nowhere'}: run `seckg ingest` first or pass --store\n"
        assert missing.stderr == said
    assert not list(folder.iterdir())  # a mistyped store leaves nothing behind (no lock file)
    assert run("query", "--store", store).exit_code == 2
    service = run("query", "SELECT * WHERE { SERVICE <http://127.0.0.1:1/> { ?s ?p ?o } }", "--store", store)
    assert service.exit_code == 1 and "SERVICE is not allowed" in service.stderr


def test_store_comes_from_the_environment(store):
    env = {"SECKG_STORE": str(store)}
    result = run("query", "ASK { ?a a seckg:Agreement }", env=env)
    assert result.exit_code == 0 and result.stdout.strip() == "yes"


def test_export_formats_graph_and_atomic_file(store, tmp_path):
    out = tmp_path / "out" / "graph.trig"
    result = run("export", "--out", out, "--store", store)
    assert result.exit_code == 0 and f"wrote {out}" in result.stderr
    dataset = Dataset()
    dataset.parse(out, format="trig")
    assert len(list(dataset.quads())) > 1000
    one = run("export", "--format", "turtle", "--graph", "fx-04-mexico-visit", "--store", store)
    graph = Graph().parse(data=one.stdout, format="turtle")
    assert 10 < len(graph) < 60
    assert run("export", "--format", "rdfxml", "--store", store).exit_code == 2
    nope = run("export", "--graph", "no-such-release", "--store", store)
    assert nope.exit_code == 1 and "no graph" in nope.stderr


def test_jsonld_export_carries_the_prefixes_as_its_context(store):
    from graph.namespaces import PREFIXES

    result = run("export", "--format", "jsonld", "--store", store)
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["@context"] == dict(PREFIXES)
    assert '"seckg:party"' in result.stdout and '"country:PAN"' in result.stdout  # compacted
    parsed = Dataset()
    parsed.parse(data=result.stdout, format="json-ld")
    nquads = run("export", "--format", "nquads", "--store", store).stdout
    assert len(list(parsed.quads())) == len(nquads.splitlines()) > 1000
    assert run("export", "--format", "jsonld", "--store", store).stdout == result.stdout  # deterministic


def test_ingest_and_validate_count_the_same_triples(tmp_path):
    import re

    location = tmp_path / "s"
    ingest = run("ingest", "--records", RECORDS, "--store", location)
    assert ingest.exit_code == 0, ingest.output
    held = re.search(r"holds (\d+) triples in (\d+) graphs", ingest.stdout)
    validate = run("validate", "--store", location)
    checked = re.search(r"in (\d+) graph\(s\) holding (\d+) triples \((\d+) distinct\)", validate.stdout)
    assert held and checked, (ingest.stdout, validate.stdout)
    assert (held[1], held[2]) == (checked[2], checked[1])
    assert int(checked[3]) < int(checked[2])  # the reference facts repeat some release triples
    report = json.loads(run("validate", "--store", location, "--format", "json").stdout)
    assert (report["triples"], report["graphs"]) == (int(held[1]), int(held[2]))


def test_validate_exit_status(store, tmp_path):
    ok = run("validate", "--store", store)
    assert ok.exit_code == 0, ok.output
    assert "0 violation(s), 1 warning(s)" in ok.stdout and "conforms" in ok.stdout
    broken = {"id": "b", "agreements": [{"type": "pact", "parties": []}]}
    records = tmp_path / "broken.jsonl"
    records.write_text(json.dumps(broken) + "\n")
    refused = run("ingest", "--records", records, "--store", store)
    assert refused.exit_code == 1 and "'pact' is not an agreement type" in refused.stderr
    handle = open_store(str(store))  # another writer than the command line may store such a graph
    ingest_record(handle, Record.from_dict(broken), generated_at=FIXED_TIME)
    del handle
    gc.collect()
    bad = run("validate", "--store", store, "--format", "json")
    assert bad.exit_code == 1
    report = json.loads(bad.stdout)
    assert report["conforms"] is False and {i["severity"] for i in report["issues"]} == {
        "Violation",
        "Warning",
    }


@pytest.mark.server
def test_serve_command_answers_over_http(store):
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "graph", "serve", "--store", str(store), "--port", "0", "--timeout", "5"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        line = proc.stdout.readline()
        assert "(read-only)" in line, line + proc.stderr.read() if proc.poll() is not None else line
        url = line.split()[2]
        answer = httpx.get(url, params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?a a seckg:Agreement }"})
        assert answer.json()["results"]["bindings"][0]["n"]["value"] == "4"
        # while it serves, other commands go through it as a remote store
        base = url.rsplit("/", 1)[0]
        through = run("query", "--name", "signatories", "--format", "csv", "--store", base)
        assert through.exit_code == 0 and len(through.stdout.splitlines()) == 6
        beside = run("query", "ASK {}", "--store", store)  # a reader runs beside the server
        assert beside.exit_code == 0, beside.output
        locked = run("resolve", "--store", store)  # a writer is told where the server is
        assert locked.exit_code == 1 and "in use" in locked.stderr and base in locked.stderr
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.mark.server
def test_commands_against_a_remote_oxigraph_server(tmp_path):
    with oxigraph_server(tmp_path / "oxigraph") as url:
        loaded = run("ingest", "--records", RECORDS, "--store", url, "--chunk", "100")
        assert loaded.exit_code == 0, loaded.output
        assert loaded.stdout.startswith("4 releases (4 added")
        again = run("ingest", "--records", RECORDS, "--store", url)
        assert "4 unchanged" in again.stdout
        rows = run("query", "--name", "dhs-partners-by-year", "--format", "csv", "--store", url)
        assert rows.exit_code == 0, rows.output
        assert [line.split(",")[1:3] for line in rows.stdout.splitlines()[1:]] == [
            ["2019", "https://w3id.org/seckg/id/country/PAN"],
            ["2020", "https://w3id.org/seckg/id/country/HND"],
        ]
        assert run("validate", "--store", url).exit_code == 0
        exported = run("export", "--format", "nquads", "--store", url)
        assert exported.exit_code == 0 and len(exported.stdout.splitlines()) > 1000
