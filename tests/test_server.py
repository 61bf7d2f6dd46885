"""The SPARQL 1.1 Protocol endpoint, tested through real HTTP requests (httpx and SPARQLWrapper)."""

from __future__ import annotations

import csv
import io
import json
import re
import socket
import threading
import time
import xml.etree.ElementTree as ET

import httpx
import pytest
from rdflib import Graph
from SPARQLWrapper import JSON, POST, TURTLE, XML, SPARQLWrapper

from graph.remote import RemoteStore
from graph.server import make_server
from graph.store import export, triple_count
from graph.triples import release_graph_iri
from tests.graph_support import build_store, fixture_items

pytestmark = pytest.mark.server

COUNT_AGREEMENTS = "SELECT (COUNT(*) AS ?n) WHERE { ?a a seckg:Agreement }"
COUNT_REPORTS = "SELECT (COUNT(*) AS ?n) WHERE { ?a a seckg:AgreementReport }"


def start(store, **kwargs):
    server = make_server(store, port=0, **kwargs)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    host, port = server.server_address[:2]
    return server, f"http://{host}:{port}"


@pytest.fixture(scope="module")
def endpoint():
    server, url = start(build_store(fixture_items()), max_rows=50, timeout=5)
    yield url
    server.shutdown()
    server.server_close()


@pytest.fixture()
def writable(tmp_path):
    viewer = tmp_path / "viewer.html"
    server, url = start(build_store(fixture_items()), writable=True, viewer=viewer)
    yield url, server.store, viewer
    server.shutdown()
    server.server_close()


def count(response) -> int:
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


def test_get_and_post_queries_with_standard_results(endpoint):
    got = httpx.get(endpoint + "/sparql", params={"query": COUNT_AGREEMENTS})
    assert got.status_code == 200 and got.headers["content-type"].startswith(
        "application/sparql-results+json"
    )
    assert count(got) == 4
    form = httpx.post(endpoint + "/sparql", data={"query": COUNT_AGREEMENTS})
    assert count(form) == 4
    direct = httpx.post(
        endpoint + "/query", content=COUNT_AGREEMENTS, headers={"Content-Type": "application/sparql-query"}
    )
    assert count(direct) == 4


def test_content_negotiation(endpoint):
    query = {"query": "SELECT ?a ?t WHERE { ?a a seckg:Agreement ; dcterms:title ?t } ORDER BY ?a"}
    xml = httpx.get(endpoint + "/sparql", params=query, headers={"Accept": "application/sparql-results+xml"})
    ns = "{http://www.w3.org/2005/sparql-results#}"
    assert len(ET.fromstring(xml.content).findall(f"{ns}results/{ns}result")) == 2
    csv_rows = list(
        csv.reader(
            io.StringIO(httpx.get(endpoint + "/sparql", params=query, headers={"Accept": "text/csv"}).text)
        )
    )
    assert csv_rows[0] == ["a", "t"] and len(csv_rows) == 3
    tsv = httpx.get(endpoint + "/sparql", params=query, headers={"Accept": "text/tab-separated-values"}).text
    assert tsv.splitlines()[0] == "?a\t?t"
    construct = {"query": "CONSTRUCT { ?a a seckg:Agreement } WHERE { ?a a seckg:Agreement }"}
    turtle = httpx.get(endpoint + "/sparql", params=construct, headers={"Accept": "text/turtle"})
    assert turtle.headers["content-type"].startswith("text/turtle")
    assert len(Graph().parse(data=turtle.text, format="turtle")) == 4
    nt = httpx.get(endpoint + "/sparql", params=construct, headers={"Accept": "application/n-triples"})
    assert len(nt.text.strip().splitlines()) == 4
    ask = httpx.get(endpoint + "/sparql", params={"query": "ASK { ?a a seckg:Agreement }"})
    assert ask.json() == {"head": {}, "boolean": True}
    refused = httpx.get(endpoint + "/sparql", params=query, headers={"Accept": "image/png"})
    assert refused.status_code == 406


def test_sparqlwrapper_as_a_client(endpoint):
    client = SPARQLWrapper(endpoint + "/sparql")
    client.setQuery(
        "PREFIX seckg: <https://w3id.org/seckg/ontology#> SELECT ?a WHERE { ?a a seckg:Agreement }"
    )
    client.setReturnFormat(JSON)
    assert len(client.query().convert()["results"]["bindings"]) == 4
    client.setReturnFormat(XML)
    assert len(client.query().convert().getElementsByTagName("result")) == 4
    client.setMethod(POST)
    client.setReturnFormat(JSON)
    assert len(client.query().convert()["results"]["bindings"]) == 4
    client.setQuery(
        "PREFIX seckg: <https://w3id.org/seckg/ontology#> "
        "CONSTRUCT { ?a seckg:party ?p } WHERE { ?a a seckg:Agreement ; seckg:party ?p }"
    )
    client.setReturnFormat(TURTLE)
    graph = Graph().parse(data=client.query().convert(), format="turtle")
    assert len(graph) == 8  # 2 + 2 + 2 + 2 parties


def test_errors_are_readable(endpoint):
    bad = httpx.get(endpoint + "/sparql", params={"query": "SELECT ?x WHERE { ?x "})
    assert bad.status_code == 400 and "error at 1:" in bad.text
    missing = httpx.post(endpoint + "/sparql")
    assert missing.status_code == 400
    assert httpx.get(endpoint + "/nowhere").status_code == 404
    big = httpx.post(endpoint + "/sparql", data={"query": "#" * 1_100_000})
    assert big.status_code == 413


def test_wrong_host_header_is_refused(endpoint):
    port = int(endpoint.rsplit(":", 1)[1])
    evil = httpx.get(
        endpoint + "/sparql", params={"query": "ASK {}"}, headers={"Host": f"evil.example:{port}"}
    )
    assert evil.status_code == 403 and "Host" in evil.text
    local = httpx.get(endpoint + "/sparql", params={"query": "ASK {}"}, headers={"Host": f"localhost:{port}"})
    assert local.status_code == 200


def test_read_only_unless_started_writable(endpoint):
    update = (
        "INSERT DATA { GRAPH <https://example.org/g> { <https://example.org/s> <https://example.org/p> 1 } }"
    )
    for response in (
        httpx.post(endpoint + "/update", data={"update": update}),
        httpx.post(endpoint + "/sparql", data={"update": update}),
        httpx.post(
            endpoint + "/sparql", content=update, headers={"Content-Type": "application/sparql-update"}
        ),
    ):
        assert response.status_code == 403 and "read-only" in response.text
    assert httpx.get(endpoint + "/sparql", params={"query": update}).status_code == 400


def test_writable_server_takes_updates_but_not_cross_origin_or_load(writable):
    url, store, _ = writable
    before = triple_count(store)
    update = (
        "INSERT DATA { GRAPH <https://example.org/g> { <https://example.org/s> <https://example.org/p> 1 } }"
    )
    cross = httpx.post(url + "/update", data={"update": update}, headers={"Origin": "http://evil.example"})
    assert cross.status_code == 403 and "cross-origin" in cross.text
    site = httpx.post(url + "/update", data={"update": update}, headers={"Sec-Fetch-Site": "cross-site"})
    assert site.status_code == 403
    assert triple_count(store) == before
    same = httpx.post(url + "/update", data={"update": update}, headers={"Origin": url})
    assert same.status_code == 204 and triple_count(store) == before + 1
    seen = httpx.get(
        url + "/sparql",
        params={"query": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <https://example.org/g> { ?s ?p ?o } }"},
    )
    assert count(seen) == 1  # queries see the update
    load = httpx.post(
        url + "/update", data={"update": "LOAD <file:///etc/hostname> INTO GRAPH <https://e/x>"}
    )
    assert load.status_code == 403 and "LOAD" in load.text
    assert triple_count(store) == before + 1


class Listener:
    """A TCP socket that records whether anything connected (to prove no URL is fetched)."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(5)
        self.sock.settimeout(0.2)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/data"

    def connected(self) -> bool:
        try:
            conn, _ = self.sock.accept()
        except OSError:
            return False
        conn.close()
        return True


def test_service_load_and_from_never_reach_out(endpoint):
    listener = Listener()
    service = httpx.get(
        endpoint + "/sparql",
        params={"query": f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}"},
    )
    assert service.status_code == 403 and "SERVICE" in service.text
    frm = httpx.get(
        endpoint + "/sparql",
        params={"query": f"SELECT (COUNT(*) AS ?n) FROM <{listener.url}> WHERE {{ ?s ?p ?o }}"},
    )
    assert frm.status_code == 200 and count(frm) == 0
    named = httpx.get(
        endpoint + "/sparql",
        params={
            "query": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
            "named-graph-uri": listener.url,
        },
    )
    assert count(named) == 0
    assert not listener.connected()
    one = str(release_graph_iri("fx-01-panama-letter"))
    chosen = httpx.get(endpoint + "/sparql", params={"query": COUNT_REPORTS, "default-graph-uri": one})
    assert count(chosen) == 1


def test_row_cap_and_timeout():
    server, url = start(build_store(fixture_items()), max_rows=5, timeout=0.5)
    try:
        capped = httpx.get(url + "/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"})
        assert len(capped.json()["results"]["bindings"]) == 5
        assert capped.headers["SECKG-Truncated"] == "true"
        started = time.monotonic()
        slow = httpx.get(
            url + "/sparql",
            params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"},
            timeout=30,
        )
        assert slow.status_code == 503 and "timed out" in slow.text
        assert time.monotonic() - started < 5
    finally:
        server.shutdown()
        server.server_close()


def test_query_page_works_offline(endpoint):
    page = httpx.get(endpoint + "/", headers={"Accept": "text/html"}, follow_redirects=True)
    assert page.status_code == 200 and str(page.url) == endpoint + "/query" and 'id="yasgui"' in page.text
    assert "default-src 'none'" in page.headers["content-security-policy"]
    linked = re.findall(r'(?:src|href)="([^"]*)"', page.text)
    assert linked and all(link.startswith(("/", "data:")) for link in linked)  # nothing from elsewhere
    script = httpx.get(endpoint + "/query-assets/page.js")
    assert script.status_code == 200 and "textContent" in script.text and "innerHTML" not in script.text
    saved = httpx.get(endpoint + "/queries").json()
    assert "agreements-by-focus" in {q["name"] for q in saved}


def test_viewer_is_served_once_it_exists(writable):
    url, _, viewer = writable
    assert httpx.get(url + "/viewer").status_code == 404
    viewer.write_text("<!doctype html><title>viewer</title>")
    shown = httpx.get(url + "/viewer")
    assert shown.status_code == 200 and "<title>viewer</title>" in shown.text


def test_graph_store_protocol_makes_the_server_usable_as_a_store(endpoint):
    one = str(release_graph_iri("fx-01-panama-letter"))
    graph = httpx.get(endpoint + "/store", params={"graph": one}, headers={"Accept": "application/n-triples"})
    assert graph.status_code == 200 and "Letter of Intent" in graph.text
    assert httpx.get(endpoint + "/store", params={"graph": "https://example.org/none"}).status_code == 404
    remote = RemoteStore.from_url(endpoint)
    try:
        assert json.loads(export(remote, "jsonld", graph=one))
        from graph.query import run_query

        rows = run_query(remote, COUNT_AGREEMENTS).records()
        assert rows == [{"n": "4"}]
    finally:
        remote.close()


def test_protocol_details_base_charset_and_malformed_updates(writable):
    """Cases of the W3C SPARQL 1.1 Protocol tests: the service sets the base of relative IRIs,
    a body's charset is read (the protocol's bodies are UTF-8: another is refused), and an update
    request without one usable update is refused."""
    url, _, _ = writable
    relative = httpx.get(url + "/query", params={"query": "SELECT ?s WHERE { BIND(<s> AS ?s) }"})
    assert relative.status_code == 200, relative.text
    assert relative.json()["results"]["bindings"][0]["s"]["value"] == url + "/s"
    latin = "ASK { FILTER('é' = 'é') }".encode("latin-1")
    answer = httpx.post(
        url + "/query",
        content=latin,
        headers={"Content-Type": "application/sparql-query; charset=ISO-8859-1"},
    )
    assert answer.status_code == 415 and "ISO-8859-1" in answer.text  # read, not misread as UTF-8
    same_origin = {"Origin": url}
    empty = httpx.post(url + "/update", headers=same_origin)
    assert empty.status_code == 400
    both = {"update": ["CLEAR SILENT GRAPH <x:a>", "CLEAR SILENT GRAPH <x:b>"]}
    two = httpx.post(url + "/update", data=both, headers=same_origin)
    assert two.status_code == 400 and "exactly one" in two.text
    wrong_type = httpx.post(
        url + "/update", content=b"{}", headers={**same_origin, "Content-Type": "application/json"}
    )
    assert wrong_type.status_code == 415
    inserted = httpx.post(
        url + "/update", content=b"INSERT DATA { <s> <p> <o> }",
        headers={**same_origin, "Content-Type": "application/sparql-update"},
    )  # fmt: skip
    assert inserted.status_code == 204, inserted.text
    check = httpx.get(url + "/query", params={"query": f"ASK {{ <{url}/s> ?p ?o }}"})
    assert check.json()["boolean"] is True


def test_serve_on_a_port_in_use_says_so_in_one_line():
    """A failed bind is one error line (the server's own clean-up ran before its settings existed)."""
    from typer.testing import CliRunner

    from graph.cli import app

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = CliRunner().invoke(app, ["serve", "--store", ":memory:", "--port", str(port)])
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: cannot listen on 127.0.0.1:{port}: ")
    assert "in use" in lines[0]
