"""The store: one named graph per release, idempotent re-ingest, reference graph, export, and a real
remote SPARQL server (Oxigraph) written through the Update protocol and read through the Graph Store one."""

from __future__ import annotations

import dataclasses
import gc

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph, Literal, URIRef

from graph import loading as loading_module
from graph import namespaces as ns
from graph.loading import ensure_reference_graph, ingest_record, load_records
from graph.model import Agreement
from graph.query import run_query
from graph.reference import reference_graph
from graph.remote import RemoteError, RemoteStore, replace_graph_updates
from graph.store import (
    StoreError,
    canonical_nquads,
    export,
    graph_names,
    graph_state,
    open_rdflib_dataset,
    open_store,
    replace_graph,
    triple_count,
    write_export,
)
from graph.triples import agreement_type_iri, release_graph_iri, report_iri
from tests.graph_support import FIXED_TIME, build_store, fixture_items, fixture_records, oxigraph_server


def test_each_release_gets_its_own_graph_and_reingest_changes_nothing():
    store = build_store(fixture_items())
    names = graph_names(store)
    assert str(ns.REFERENCE_GRAPH) in names
    assert {str(release_graph_iri(r.id)) for r in fixture_records()} <= set(names)
    before = canonical_nquads(store)
    summary = load_records(store, fixture_items())  # no fixed time: a rewrite would show
    assert (summary.added, summary.replaced, summary.unchanged) == (0, 0, 4)
    assert canonical_nquads(store) == before


def test_changed_release_replaces_its_graph_as_a_whole():
    store = build_store(fixture_records())
    record = fixture_records()[0]
    old = report_iri(record.id, 0)
    changed = dataclasses.replace(
        record, agreements=(Agreement("memorandum-of-understanding", parties=("PAN",)),)
    )
    result = ingest_record(store, changed, generated_at=FIXED_TIME)
    assert result.status == "replaced"
    old_type = ox.NamedNode(str(agreement_type_iri(record.agreements[0].type)))
    assert not list(store.quads_for_pattern(ox.NamedNode(str(old)), None, old_type, None))
    graph = ox.NamedNode(str(release_graph_iri(record.id)))
    hashes = list(store.quads_for_pattern(graph, ox.NamedNode(str(ns.SECKG.contentHash)), None, graph))
    assert len(hashes) == 1
    assert ingest_record(store, changed).status == "unchanged"
    assert ingest_record(store, changed, force=True, generated_at=FIXED_TIME).status == "replaced"


def test_new_extractor_version_rewrites():
    store = build_store(fixture_records()[:1])
    result = ingest_record(store, fixture_records()[0], extractor_version="9.9.9", generated_at=FIXED_TIME)
    assert result.status == "replaced"
    assert graph_state(store, str(release_graph_iri(fixture_records()[0].id)))[1] == "9.9.9"


def test_same_corpus_gives_the_same_bytes_in_fresh_directory_stores(tmp_path):
    first = canonical_nquads(build_store(fixture_items(), tmp_path / "a"))
    second = canonical_nquads(build_store(fixture_items(), tmp_path / "b"))
    assert first == second
    assert b"_:" not in first


def test_directory_store_persists_and_locks(tmp_path):
    location = tmp_path / "store"
    store = build_store(fixture_items(), location)
    count = triple_count(store)
    with pytest.raises(StoreError, match="in use"):
        open_store(location)
    del store
    gc.collect()
    assert len(open_store(location, read_only=True)) == count
    gc.collect()
    assert triple_count(open_store(location)) == count
    with pytest.raises(StoreError, match="no store"):
        open_store(tmp_path / "missing", create=False)


def test_store_opens_as_an_rdflib_dataset_through_oxrdflib(tmp_path):
    location = tmp_path / "store"
    store = build_store(fixture_items(), location)
    count = triple_count(store)
    del store
    gc.collect()
    dataset = open_rdflib_dataset(location)
    try:
        rows = list(dataset.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"))
        assert int(rows[0][0]) == count
    finally:
        dataset.close()


def test_reference_graph_is_replaced_only_when_its_sources_change(monkeypatch):
    store = build_store([])
    assert ensure_reference_graph(store) is False
    extra = (URIRef("https://example.org/x"), ns.RDFS.label, Literal("changed"))

    def changed_reference():
        g = reference_graph()
        g.set((ns.REFERENCE_GRAPH, ns.SECKG.contentHash, Literal("sha256:changed")))
        g.add(extra)
        return g

    monkeypatch.setattr(loading_module, "reference_sources_hash", lambda: "sha256:changed")
    monkeypatch.setattr(loading_module, "reference_graph", changed_reference)
    assert ensure_reference_graph(store) is True
    assert ox.NamedNode("https://example.org/x") in {q.subject for q in store}
    assert ensure_reference_graph(store) is False
    monkeypatch.undo()
    assert ensure_reference_graph(store) is True
    assert ox.NamedNode("https://example.org/x") not in {q.subject for q in store}


def test_exports_parse_back():
    store = build_store(fixture_items())
    total = triple_count(store)
    for fmt, rdflib_format in (("trig", "trig"), ("nquads", "nquads"), ("jsonld", "json-ld")):
        parsed = Dataset()
        parsed.parse(data=export(store, fmt), format=rdflib_format)
        assert len(list(parsed.quads())) == total, fmt
    union = {(q.subject, q.predicate, q.object) for q in store}
    turtle = Graph().parse(data=export(store, "turtle"), format="turtle")
    assert len(turtle) == len(union)
    one = fixture_records()[1].id
    single = Dataset()
    single.parse(data=export(store, "trig", graph=str(release_graph_iri(one))), format="trig")
    assert {str(c.identifier) for c in single.graphs() if len(c)} == {str(release_graph_iri(one))}
    with pytest.raises(StoreError, match="no graph"):
        export(store, "trig", graph="https://example.org/none")
    with pytest.raises(ValueError, match="unknown export format"):
        export(store, "rdfxml")


def test_write_export_is_atomic(tmp_path):
    store = build_store(fixture_items())
    out = tmp_path / "out" / "graph.trig"
    out.parent.mkdir()
    out.write_text("old content")
    size = write_export(store, out, "trig")
    assert out.stat().st_size == size and b"seckg" in out.read_bytes()
    assert sorted(p.name for p in out.parent.iterdir()) == ["graph.trig"]


def test_replace_graph_updates_are_bounded_and_put_the_hash_last():
    g = ox.NamedNode("https://example.org/g")
    marker = ox.NamedNode(str(ns.SECKG.contentHash))
    quads = [ox.Quad(g, marker, ox.Literal("sha256:x"), g)] + [
        ox.Quad(
            ox.NamedNode(f"https://example.org/s{i}"), ox.NamedNode("https://example.org/p"), ox.Literal(i), g
        )
        for i in range(7)
    ]
    updates = list(replace_graph_updates([(g, quads)], 3))
    assert len(updates) == 3
    assert updates[0].startswith("DROP SILENT GRAPH <https://example.org/g>")
    assert "contentHash" in updates[-1] and not any("contentHash" in u for u in updates[:-1])
    small = list(
        replace_graph_updates([(g, quads[:2]), (ox.NamedNode("https://example.org/h"), quads[2:4])], 10)
    )
    assert len(small) == 1 and small[0].count("DROP SILENT GRAPH") == 2


def test_replace_graph_takes_rdflib_quads_and_refuses_a_term_out_of_place():
    store = open_store(":memory:")
    g, s, p = (URIRef(f"https://example.org/{name}") for name in "gsp")
    replace_graph(store, str(g), [(s, p, Literal("x", lang="en"), g)])
    assert [q.object for q in store] == [ox.Literal("x", language="en")]
    for bad in ((Literal("s"), p, s, g), (s, Literal("p"), s, g), (s, p, s, Literal("g"))):
        with pytest.raises(TypeError, match="not an RDF quad"):
            replace_graph(store, str(g), [bad])
    assert len(store) == 1  # a refused graph leaves the stored one as it was


# --- a real remote server ---------------------------------------------------------------------


@pytest.fixture()
def remote(tmp_path):
    with oxigraph_server(tmp_path / "oxigraph") as url:
        store = RemoteStore.from_url(url)
        yield store
        store.close()


@pytest.mark.server
def test_remote_ingest_query_and_reingest(remote):
    local = canonical_nquads(build_store(fixture_items()))
    summary = load_records(remote, fixture_items(), generated_at=FIXED_TIME)
    assert summary.added == 4
    assert canonical_nquads(remote) == local
    again = load_records(remote, fixture_items())
    assert again.unchanged == 4
    assert canonical_nquads(remote) == local
    result = run_query(remote, "SELECT ?a WHERE { GRAPH ?g { ?a a seckg:Agreement } }")
    assert len(result.rows) == 4
    bound = run_query(
        remote,
        "SELECT ?country ?a WHERE { GRAPH ?g { ?a a seckg:Agreement ; seckg:party ?country } }",
        params={"country": "country:PAN"},
    )
    assert [row[0].value for row in bound.rows] == [str(ns.ID["country/PAN"])]
    one = export(remote, "nquads", graph=str(release_graph_iri(fixture_records()[0].id)))
    assert b"Letter of Intent on Security Cooperation" in one
    # a server whose Graph Store endpoint is elsewhere: graphs are read with CONSTRUCT instead
    elsewhere = RemoteStore(
        remote.query_url, remote.update_url, remote.query_url.replace("/query", "/nowhere")
    )
    assert canonical_nquads(elsewhere) == local
    elsewhere.close()


@pytest.mark.server
def test_remote_push_is_chunked_and_an_interrupted_push_reruns_to_the_same_graph(remote, monkeypatch):
    local = canonical_nquads(build_store(fixture_items()))
    remote.chunk_triples = 40
    calls = []
    real_update = RemoteStore.update

    def flaky(self, text):
        calls.append(len(text))
        if len(calls) == 6:
            raise RemoteError("connection dropped (simulated)")
        return real_update(self, text)

    monkeypatch.setattr(RemoteStore, "update", flaky)
    with pytest.raises(RemoteError):
        load_records(remote, fixture_items(), generated_at=FIXED_TIME)
    monkeypatch.setattr(RemoteStore, "update", real_update)
    load_records(remote, fixture_items(), generated_at=FIXED_TIME)
    assert canonical_nquads(remote) == local
    assert len(calls) == 6


@pytest.mark.server
def test_remote_errors_are_readable(tmp_path):
    from graph.query import QueryError

    with oxigraph_server(tmp_path / "o") as url:
        store = RemoteStore.from_url(url)
        with pytest.raises(QueryError):
            run_query(store, "SELECT ?x WHERE { ?x ")
        # an answer of another kind than the query's form is an error naming the endpoint
        with pytest.raises(RemoteError, match=r"/query: a SELECT query was answered with QueryBoolean"):
            store.select("ASK {}")
        with pytest.raises(RemoteError, match=r"/query: a CONSTRUCT query was answered with"):
            store.construct("SELECT * WHERE { ?s ?p ?o }")
        assert store.select("SELECT ?x WHERE { BIND(1 AS ?x) }").variables == [ox.Variable("x")]
        store.close()
    dead = RemoteStore.from_url(url)
    with pytest.raises(RemoteError, match="/query"):
        run_query(dead, "ASK {}")
