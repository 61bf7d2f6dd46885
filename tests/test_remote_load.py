"""Loading into a SPARQL server in bulk (Graph Store protocol dataset POSTs under a journal): the same
store as the SPARQL Update path and the embedded store, a changed release replaced, one state query
per group of releases, the Update fallback on a server that refuses dataset POSTs, the journal,
and loads killed with SIGKILL against a real ``oxigraph serve`` (each release whole or absent; a
re-run finishes the job)."""

from __future__ import annotations

import dataclasses
import logging
import os
import random
import subprocess
import sys
import threading
from collections import defaultdict

import httpx
import pyoxigraph as ox
import pytest

from graph import remote_load
from graph.bulk import JOURNAL_GRAPH
from graph.extract import extract
from graph.ingest import read_paths
from graph.loading import LOOKAHEAD, load_records
from graph.namespaces import REFERENCE_GRAPH, RESOLUTION_GRAPH
from graph.remote import RemoteError, RemoteStore
from graph.server import make_server
from graph.store import canonical_nquads, export, read_dataset
from graph.triples import release_graph_iri
from tests.graph_support import (
    FIXED_TIME,
    ROOT,
    SAMPLES,
    build_store,
    fixture_items,
    kill_during_a_write,
    oxigraph_server,
    run_to_the_end,
)
from tests.test_load_bulk import synthetic_records

pytestmark = pytest.mark.server
TIMESTAMP = "<http://www.w3.org/ns/prov#generatedAtTime>"


def graphs_of(store: RemoteStore) -> dict[str, frozenset[str]]:
    """``{graph IRI: its quads as N-Quads lines}`` over the server's named graphs."""
    found: dict[str, set[str]] = defaultdict(set)
    for quad in read_dataset(store):
        found[quad.graph_name.value].add(str(quad))
    return {graph: frozenset(quads) for graph, quads in found.items()}


def release_graphs(store: RemoteStore) -> dict[str, frozenset[str]]:
    return {g: q for g, q in graphs_of(store).items() if "/graph/release/" in g}


def sorted_nquads(store: RemoteStore) -> list[str]:
    """The dataset as sorted N-Quads lines, time stamps left out."""
    return sorted(line for line in export(store, "nquads").decode().splitlines() if TIMESTAMP not in line)


class Requests:
    """Counts of the requests a store's client sends, by method and path."""

    def __init__(self, store: RemoteStore) -> None:
        self.counts: dict[str, int] = defaultdict(int)
        store.client = httpx.Client(timeout=60, event_hooks={"request": [self._count]})

    def _count(self, request: httpx.Request) -> None:
        self.counts[f"{request.method} {request.url.path}"] += 1


@pytest.fixture()
def server(tmp_path):
    with oxigraph_server(tmp_path / "oxigraph") as url:
        yield url


# --- the bulk path writes what the Update path and the embedded store hold -----------------------


@pytest.fixture(scope="module")
def corpus_items(shared_corpus):
    """The project's samples and the shared corpus, extracted."""
    return [(extract(r), r) for r in read_paths([SAMPLES / "releases", shared_corpus / "releases"])]


def test_bulk_path_gives_the_update_path_and_the_embedded_store(tmp_path, corpus_items):
    embedded = canonical_nquads(build_store(corpus_items))
    for mode in (None, False):  # dataset POSTs (learnt), then SPARQL Update only
        with oxigraph_server(tmp_path / f"oxigraph-{mode}") as url:
            store = RemoteStore.from_url(url, dataset_post=mode, chunk_triples=3000, bulk_triples=3000)
            seen = Requests(store)
            summary = load_records(store, corpus_items, generated_at=FIXED_TIME)
            assert summary.added == len(corpus_items) > 100
            assert (seen.counts["POST /store"] > 1) == (mode is None)
            assert store.dataset_post is (mode is None)
            assert canonical_nquads(store) == embedded, mode
            store.close()


def test_states_are_read_in_one_query_per_group_of_releases(server):
    records = synthetic_records(2 * LOOKAHEAD + 10)
    store = RemoteStore.from_url(server, bulk_triples=4000)
    seen = Requests(store)
    load_records(store, records, generated_at=FIXED_TIME, resolve=False)
    # the journal, the reference graph's state, then one query per group of LOOKAHEAD releases
    assert seen.counts["POST /query"] == 2 + 3
    batches = seen.counts["POST /store"]
    assert batches >= sum(1 for _ in records) * 60 // 4000
    seen.counts.clear()
    again = load_records(store, records, resolve=False)
    assert again.unchanged == len(records)
    assert dict(seen.counts) == {"POST /query": 2 + 3}


def test_a_changed_release_replaces_its_graph_and_the_rest_stay(server):
    records = synthetic_records(40)
    store = RemoteStore.from_url(server, bulk_triples=300)
    load_records(store, records, generated_at=FIXED_TIME)
    before = graphs_of(store)
    changed = [*records[:7], dataclasses.replace(records[7], title="A new title", evidence=()), *records[8:]]
    summary = load_records(store, changed)  # time stamp: now
    assert (summary.added, summary.replaced, summary.unchanged) == (0, 1, 39)
    after = graphs_of(store)
    target = str(release_graph_iri(records[7].id))
    assert target in {g for g in before if before[g] != after[g]} <= {target, str(RESOLUTION_GRAPH)}
    fresh = build_store(changed)
    expected = {str(q) for q in fresh.quads_for_pattern(None, None, None, ox.NamedNode(target))}
    no_time = [frozenset(q for q in quads if TIMESTAMP not in q) for quads in (after[target], expected)]
    assert no_time[0] == no_time[1] and any("A new title" in q for q in after[target])
    assert sum(map(len, after.values())) == len(fresh)
    seen = Requests(store)
    again = load_records(store, changed)
    assert again.unchanged == 40 and graphs_of(store) == after
    assert seen.counts["POST /store"] == 0


# --- a server that refuses dataset POSTs -----------------------------------------------------------


def test_a_server_refusing_dataset_posts_is_written_with_updates(caplog):
    """``seckg serve --writable`` answers 405 to a POST on /store: the load notes it once and goes
    on with SPARQL Update, to the same store."""
    items = [*fixture_items(), *((record, None) for record in synthetic_records(30))]
    server = make_server(ox.Store(), port=0, writable=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        host, port = server.server_address[:2]
        store = RemoteStore.from_url(f"http://{host}:{port}", chunk_triples=400)
        seen = Requests(store)
        with caplog.at_level(logging.WARNING, logger="graph.remote"):
            summary = load_records(store, items, generated_at=FIXED_TIME)
        assert summary.added == len(items)
        assert store.dataset_post is False and seen.counts["POST /store"] == 1
        assert caplog.text.count("answered 405 to a dataset POST") == 1
        assert canonical_nquads(store) == canonical_nquads(build_store(items))
        assert JOURNAL_GRAPH.value not in graphs_of(store)
    finally:
        server.shutdown()
        server.server_close()


# --- the journal ---------------------------------------------------------------------------------


def test_a_load_first_drops_the_graphs_the_journal_lists(server, caplog):
    store = RemoteStore.from_url(server)
    records = synthetic_records(5)
    load_records(store, records, generated_at=FIXED_TIME, resolve=False)
    whole = graphs_of(store)
    half = ox.NamedNode(str(release_graph_iri(records[2].id)))
    store.update(
        f"{remote_load.journal_update([half])} ; INSERT DATA {{ GRAPH {half} {{ {half} {half} 1 }} }}"
    )
    assert remote_load.pending_graphs(store) == [half.value]
    with caplog.at_level(logging.WARNING, logger="graph.remote_load"):
        summary = load_records(store, records, generated_at=FIXED_TIME, resolve=False)
    assert "interrupted load left 1 graphs" in caplog.text
    assert summary.added == 1 and graphs_of(store) == whole
    assert remote_load.pending_graphs(store) == [] and remote_load.recover(store) == []


def test_a_failed_batch_write_is_raised_and_left_to_the_journal(server):
    store = RemoteStore.from_url(server)
    records = synthetic_records(3)
    load_records(store, records, generated_at=FIXED_TIME, resolve=False)
    whole = graphs_of(store)
    g = ox.NamedNode(str(release_graph_iri(records[0].id)))
    with pytest.raises(RemoteError, match="400"), remote_load.DatasetWriter(store) as writer:
        writer.submit([(g, ["<not an N-Quads line\n"])])
    assert remote_load.pending_graphs(store) == [g.value] and g.value not in graphs_of(store)
    assert load_records(store, records, generated_at=FIXED_TIME, resolve=False).added == 1
    assert graphs_of(store) == whole


# --- killed at random moments ----------------------------------------------------------------------

CHILD = """
import sys
from graph import remote_load
from graph.loading import load_records
from graph.remote import RemoteStore
from tests.test_load_bulk import FIXED_TIME, synthetic_records

url, releases, version, chunk, how = sys.argv[1:]
real_write, real_post = remote_load.DatasetWriter._write, RemoteStore.post_dataset


def announced(self, store, graphs):
    print("writing", len(graphs), flush=True)
    return real_write(self, store, graphs)


def in_pieces(self, nquads):
    # a server that applies a POST as it reads it, not as one transaction, seen as two POSTs: the
    # first half of every graph of the batch, then (once told to go on) the second halves
    by_graph = {}
    for line in nquads.decode().splitlines(keepends=True):
        by_graph.setdefault(line.rsplit(" ", 2)[-2], []).append(line)
    graphs = list(by_graph.values())
    halves = [[ls[: len(ls) // 2] for ls in graphs], [ls[len(ls) // 2 :] for ls in graphs]]
    for half in halves:
        real_post(self, "".join(line for lines in half for line in lines).encode())
        print("piece", flush=True)
        sys.stdin.readline()
    return True


remote_load.DatasetWriter._write = announced
if how == "pieces":
    RemoteStore.post_dataset = in_pieces
store = RemoteStore.from_url(url, bulk_triples=int(chunk))
load_records(store, synthetic_records(int(releases)), extractor_version=version, generated_at=FIXED_TIME,
             resolve=False)
print("done", flush=True)
"""
RELEASES, CHUNK = 300, 500


def _child(url: str, version: str, pieces: bool = False) -> subprocess.Popen:
    how = "pieces" if pieces else "whole"
    command = [sys.executable, "-c", CHILD, url, str(RELEASES), version, str(CHUNK), how]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        command, cwd=ROOT, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )


def _run_to_the_end(url: str, version: str) -> None:
    run_to_the_end(_child(url, version))


def _kill_during_a_write(url: str, version: str, rng: random.Random, pieces: bool) -> bool:
    """A load of ``version`` killed while it writes one of its first 4 batches (see
    :func:`tests.graph_support.kill_during_a_write`)."""
    child = _child(url, version, pieces)
    return kill_during_a_write(
        child, rng, pieces, batches=4, pause=0.02
    )  # a request takes a few milliseconds


def _reference(tmp_path, version: str) -> tuple[dict[str, frozenset[str]], list[str]]:
    """The release graphs and the sorted N-Quads of an uninterrupted load of ``version``."""
    with oxigraph_server(tmp_path / f"reference-{version}") as url:
        _run_to_the_end(url, version)
        store = RemoteStore.from_url(url)
        return release_graphs(store), sorted_nquads(store)


@pytest.mark.timeout(900)
def test_loads_killed_at_random_moments_leave_whole_or_absent_releases_and_rerun_to_the_same_store(tmp_path):
    (old, _), (new, expected) = _reference(tmp_path, "1"), _reference(tmp_path, "2")
    assert len(old) == len(new) == RELEASES and all(old[g] != new[g] for g in old)
    with oxigraph_server(tmp_path / "killed") as url:
        _run_to_the_end(url, "1")  # a whole store of version 1, then version 2 replaces it, killed
        store = RemoteStore.from_url(url)
        rng = random.Random(20240101)
        kills, cut = 0, []
        for turn in range(8):
            pieces = turn % 2 == 1
            kills += _kill_during_a_write(url, "2", rng, pieces)
            if pieces:  # what the journal is for: releases cut in two, listed in the journal
                cut.append({g for g, quads in release_graphs(store).items() if quads not in (old[g], new[g])})
                assert cut[-1] and cut[-1] <= set(remote_load.pending_graphs(store))
            load_records(store, [], resolve=False)  # a load writes nothing before it mends
            graphs = release_graphs(store)
            assert all(quads in (old[g], new[g]) for g, quads in graphs.items()), "a release is part written"
            assert not (pieces and cut[-1] & set(graphs))
            assert remote_load.pending_graphs(store) == [] and str(REFERENCE_GRAPH) in graphs_of(store)
        assert kills == 8
        _run_to_the_end(url, "2")
        assert release_graphs(store) == new
        assert sorted_nquads(store) == expected
