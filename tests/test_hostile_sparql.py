"""SSRF through SPARQL: every shape of SERVICE, LOAD and FROM, against a listener that must see
no connection (issue "Safe in a hostile world", item 1)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading

import httpx
import pytest

from graph.query import QueryError, run_query
from graph.server import make_server
from graph.server_workers import QueryProcesses
from graph.sparql_guard import RequestRefused, checked_query, checked_update
from tests.graph_support import build_store, fixture_items
from tests.hostile_support import Listener

pytestmark = pytest.mark.server


def query_vectors(u: str) -> dict[str, str]:
    """Queries that would make the engine fetch ``u`` if they got through (``{u}`` is the URL)."""
    body = "{ ?s ?p ?o }"
    return {
        "plain": f"SELECT * WHERE {{ SERVICE <{u}> {body} }}",
        "comment ended by CR": f"SELECT * WHERE {{ # x\rSERVICE <{u}> {body} }}",
        "comment ended by CR before LF-less end": f"SELECT * WHERE {{ #\rSERVICE <{u}> {body} }} #",
        "comment and form feed": f"SELECT * WHERE {{ # x\fSERVICE <{u}> {body} }}",
        "comment and vertical tab": f"SELECT * WHERE {{ # x\vSERVICE <{u}> {body} }}",
        "comment and NEL": f"SELECT * WHERE {{ # x\x85SERVICE <{u}> {body} }}",
        "comment and line separator": f"SELECT * WHERE {{ # x\u2028SERVICE <{u}> {body} }}",
        "keyword by escapes": f"SELECT * WHERE {{ \\u0053ERVICE <{u}> {body} }}",
        "escape inside IRI": f"SELECT * WHERE {{ SERVICE <\\u0068ttp{u[4:]}> {body} }}",
        "escape closing a string": f'SELECT * WHERE {{ ?s ?p "x\\u0022 . }} # " SERVICE <{u}> {body} }}',
        "lower case": f"select * where {{ service <{u}> {body} }}",
        "mixed case and tabs": f"SELECT\t*\tWHERE\t{{\tSeRvIcE\t<{u}>\t{body} }}",
        "silent": f"SELECT * WHERE {{ SERVICE SILENT <{u}> {body} }}",
        "prefixed name": f"PREFIX r: <{u[:-6]}> SELECT * WHERE {{ SERVICE r:sparql {body} }}",
        "base-relative": f"BASE <{u}> SELECT * WHERE {{ SERVICE <> {body} }}",
        "variable": f"SELECT * WHERE {{ VALUES ?e {{ <{u}> }} SERVICE ?e {body} }}",
        "variable bound later": f"SELECT * WHERE {{ SERVICE ?e {body} BIND(<{u}> AS ?e) }}",
        "nested": f"SELECT * WHERE {{ {{ OPTIONAL {{ SERVICE <{u}> {{ SERVICE <{u}> {body} }} }} }} }}",
        "in a subquery": f"SELECT * WHERE {{ {{ SELECT * WHERE {{ SERVICE <{u}> {body} }} }} }}",
        "in FILTER EXISTS": f"SELECT * WHERE {{ ?a ?b ?c FILTER EXISTS {{ SERVICE <{u}> {body} }} }}",
        "glued to a literal": f"SELECT * WHERE {{ ?s ?p trueSERVICE <{u}> {{}} }}",
        "after a dot": f"SELECT * WHERE {{ ?s ?p true.SERVICE <{u}> {{}} }}",
        "ASK": f"ASK {{ SERVICE <{u}> {body} }}",
        "CONSTRUCT": f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{u}> {body} }}",
        "NUL byte": f"SELECT * WHERE {{ #\x00\nSERVICE <{u}> {body} }}",
    }


def update_vectors(u: str) -> dict[str, str]:
    """Updates that would make the engine fetch ``u``."""
    return {
        "LOAD": f"LOAD <{u}>",
        "LOAD SILENT INTO GRAPH": f"LOAD SILENT <{u}> INTO GRAPH <https://e/g>",
        "LOAD after CR comment": f"INSERT DATA {{ <https://e/a> <https://e/b> 1 }} ; # x\rLOAD <{u}>",
        "LOAD by escapes": f"\\u004cOAD <{u}>",
        "LOAD lower case": f"load <{u}>",
        "SERVICE in WHERE": f"INSERT {{ ?s ?p ?o }} WHERE {{ SERVICE <{u}> {{ ?s ?p ?o }} }}",
        "SERVICE after CR comment": f"DELETE {{ ?s ?p ?o }} WHERE {{ # x\rSERVICE <{u}> {{ ?s ?p ?o }} }}",
        "SERVICE variable": (
            f"INSERT {{ ?s ?p ?o }} WHERE {{ BIND(<{u}> AS ?e) SERVICE SILENT ?e {{ ?s ?p ?o }} }}"
        ),
    }


@pytest.fixture()
def listener():
    with Listener() as heard:
        yield heard


def test_guard_refuses_every_vector_and_allows_ordinary_text(listener):
    for name, text in query_vectors(listener.url).items():
        with pytest.raises(RequestRefused):
            checked_query(text)
            pytest.fail(f"query vector not refused: {name}")
    for name, text in update_vectors(listener.url).items():
        with pytest.raises(RequestRefused):
            checked_update(text)
            pytest.fail(f"update vector not refused: {name}")
    assert checked_query("# a comment\r\nSELECT ?x WHERE { BIND('SERVICE' AS ?x) }\r\n").count("\r") == 0
    assert checked_query(f"SELECT * FROM <{listener.url}> FROM NAMED <{listener.url}> WHERE {{ ?s ?p ?o }}")
    assert listener.connections == 0


def test_run_query_on_a_local_store_never_connects(listener):
    store = build_store(fixture_items())
    for name, text in query_vectors(listener.url).items():
        with pytest.raises(QueryError):
            run_query(store, text)
            pytest.fail(f"not refused: {name}")
    result = run_query(store, f"SELECT (COUNT(*) AS ?n) FROM <{listener.url}> WHERE {{ ?s ?p ?o }}")
    assert result.records() == [{"n": "0"}]
    assert listener.connections == 0


def _start(store, **kwargs):
    server = make_server(store, port=0, **kwargs)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def test_endpoint_read_only_and_writable_never_connect(listener):
    server, url = _start(build_store(fixture_items()), writable=True, timeout=10)
    client = httpx.Client(timeout=30)  # a loaded machine answers slowly; httpx's 5 s is too short
    try:
        for name, text in query_vectors(listener.url).items():
            for answer in (
                client.get(url + "/sparql", params={"query": text}),
                client.post(
                    url + "/sparql",
                    content=text.encode(),
                    headers={"Content-Type": "application/sparql-query"},
                ),
            ):
                assert 400 <= answer.status_code < 500, (name, answer.status_code, answer.text)
        for name, text in update_vectors(listener.url).items():
            answer = client.post(url + "/update", data={"update": text})
            assert answer.status_code in (400, 403), (name, answer.status_code, answer.text)
        dataset = client.get(
            url + "/sparql",
            params={
                "query": (
                    f"SELECT (COUNT(*) AS ?n) FROM NAMED <{listener.url}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"
                ),
                "default-graph-uri": listener.url,
                "named-graph-uri": listener.url,
            },
        )
        assert dataset.status_code == 200
    finally:
        client.close()
        server.shutdown()
        server.server_close()
    assert listener.connections == 0


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="network namespaces are Linux only")
def test_query_workers_have_no_network_when_the_platform_allows(listener):
    probe = (
        "import socket, sys\n"
        "from graph.isolation import isolate_network\n"
        "isolated = isolate_network()\n"
        "try:\n"
        f"    socket.create_connection(('127.0.0.1', {listener.port}), timeout=2).close(); reached = True\n"
        "except OSError:\n"
        "    reached = False\n"
        "print(isolated, reached)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True
    )
    isolated, reached = out.stdout.split()
    assert (isolated, reached) in (("True", "False"), ("False", "True"))
    if os.geteuid() == 0:  # root can always make a namespace: the workers must have used one
        assert isolated == "True" and listener.connections == 0
        pool = QueryProcesses(build_store(fixture_items()), workers=1, timeout=10, max_rows=10)
        try:
            assert pool.run("ASK {}", (), (), "application/sparql-results+json")[0] == 200
            assert pool.network_isolated
        finally:
            pool.close()
