"""Loading through pyoxigraph's bulk loader: the same store as one transaction per release, a batch
that names a release twice, replaced releases, the journal that mends a killed load, and loads
killed with SIGKILL at random moments (each release whole or absent; a re-run finishes the job)."""

from __future__ import annotations

import dataclasses
import gc
import logging
import os
import random
import subprocess
import sys
from collections import defaultdict

import pyoxigraph as ox
import pytest

from graph import loading
from graph.bulk import JOURNAL_GRAPH, BatchWriter, pending_graphs, recover, write_graphs
from graph.loading import ingest_record, load_records
from graph.model import Agency, Agreement, Evidence, Person, Record
from graph.namespaces import REFERENCE_GRAPH, RESOLUTION_GRAPH
from graph.store import canonical_nquads, graph_names, open_store
from graph.triples import release_graph_iri
from tests.graph_support import FIXED_TIME, ROOT, fixture_items, kill_during_a_write, run_to_the_end

STATES = ("USA", "MEX", "GTM", "HND", "PAN", "COL", "CAN", "GBR", "AUS", "KEN")
FOCUS = ("cybersecurity", "border-security", "law-enforcement", "information-sharing", "maritime-security")


def synthetic_records(n: int, seed: int = 11) -> list[Record]:
    """``n`` seeded records of varied size (one to three partners, people, 0-3 agreements, evidence)."""
    rng = random.Random(seed)
    records = []
    for number in range(n):
        partners = rng.sample(STATES[1:], rng.randint(1, 3))
        people = tuple(
            Person(f"Minister {code} {rng.randint(1, 9)}", (), "Minister", None, code) for code in partners
        )
        agreements, evidence = [], []
        for position in range(rng.choice((0, 1, 1, 2, 3))):
            parties = ("USA", rng.choice(partners))
            focus = tuple(sorted(rng.sample(FOCUS, rng.randint(1, 3))))
            agreements.append(Agreement("memorandum-of-understanding", f"MOU {number}-{position}",
                                        "2020-01-02", parties, (people[0].name,), focus))  # fmt: skip
            sentence = f"They signed memorandum {number}-{position}."
            evidence.append(
                Evidence("agreements", position, sentence, 40 * position, 40 * position + len(sentence))
            )
        records.append(
            Record(id=f"syn-{number:05d}", title=f"Release {number}", date="2020-01-03",
                   countries=("USA", *partners), agencies=(Agency("Ministry of Security", (), partners[0]),),
                   people=people, agreements=tuple(agreements), evidence=tuple(evidence))
        )  # fmt: skip
    return records


def graphs_of(store: ox.Store) -> dict[str, frozenset[str]]:
    """``{graph IRI: its quads as N-Quads lines}`` over the store's named graphs."""
    found: dict[str, set[str]] = defaultdict(set)
    for quad in store:
        found[quad.graph_name.value].add(str(quad))
    return {graph: frozenset(quads) for graph, quads in found.items()}


def release_graphs(store: ox.Store) -> dict[str, frozenset[str]]:
    return {g: q for g, q in graphs_of(store).items() if "/graph/release/" in g}


# --- the bulk path writes what the transactional path writes ------------------------------------


def test_bulk_batches_give_the_same_store_as_one_transaction_per_release():
    items = [*fixture_items(), *((record, None) for record in synthetic_records(60))]
    one_by_one = ox.Store()
    loading.ensure_reference_graph(one_by_one)
    for record, release in items:
        ingest_record(one_by_one, record, release, generated_at=FIXED_TIME)
    expected = canonical_nquads(one_by_one)
    for batch in (1, 500, 10**9):
        store = ox.Store()
        summary = load_records(store, items, generated_at=FIXED_TIME, resolve=False, batch_triples=batch)
        assert summary.added == len(items)
        assert summary.triples_written == len(store) - len(graphs_of(store)[str(REFERENCE_GRAPH)])
        assert canonical_nquads(store) == expected, batch
        assert JOURNAL_GRAPH not in set(store.named_graphs())


def test_a_release_named_twice_in_one_batch_is_written_once_as_its_last_version():
    first = synthetic_records(3)
    changed = dataclasses.replace(first[1], title="Changed title", agreements=())
    store = ox.Store()
    summary = load_records(store, [*first, changed, first[2]], generated_at=FIXED_TIME, resolve=False)
    assert [r.status for r in summary.results] == ["added", "added", "added", "replaced", "unchanged"]
    alone = ox.Store()
    load_records(alone, [first[0], changed, first[2]], generated_at=FIXED_TIME, resolve=False)
    assert canonical_nquads(store) == canonical_nquads(alone)


def _without_time(quads: frozenset[str]) -> frozenset[str]:
    return frozenset(q for q in quads if "generatedAtTime" not in q)


def test_a_changed_release_replaces_its_graph_and_the_rest_stay():
    records = synthetic_records(40)
    store = ox.Store()
    load_records(store, records, generated_at=FIXED_TIME, batch_triples=300)
    before = graphs_of(store)
    changed = [*records[:7], dataclasses.replace(records[7], title="A new title", evidence=()), *records[8:]]
    summary = load_records(store, changed, batch_triples=300)  # time stamp: now
    assert (summary.added, summary.replaced, summary.unchanged) == (0, 1, 39)
    after = graphs_of(store)
    target = str(release_graph_iri(records[7].id))
    assert target in {g for g in before if before[g] != after[g]} <= {target, str(RESOLUTION_GRAPH)}
    fresh = ox.Store()
    load_records(fresh, changed, generated_at=FIXED_TIME)
    assert _without_time(after[target]) == _without_time(graphs_of(fresh)[target])
    assert any("A new title" in q for q in after[target]) and len(store) == len(fresh)
    again = load_records(store, changed)
    assert again.unchanged == 40 and graphs_of(store) == after


# --- the journal ---------------------------------------------------------------------------------


def _half_written(store: ox.Store) -> ox.NamedNode:
    """A graph the journal lists, as a load killed between its steps leaves it."""
    g = ox.NamedNode("https://w3id.org/seckg/graph/release/half")
    member = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#member")
    store.extend([ox.Quad(JOURNAL_GRAPH, member, g, JOURNAL_GRAPH), ox.Quad(g, member, g, g)])
    return g


def test_recover_removes_the_graphs_the_journal_lists_and_the_journal(caplog):
    store = ox.Store()
    load_records(store, synthetic_records(5), generated_at=FIXED_TIME, resolve=False)
    whole = graphs_of(store)
    g = _half_written(store)
    assert pending_graphs(store) == [g]
    with caplog.at_level(logging.WARNING, logger="graph.bulk"):
        assert recover(store) == [g.value]
    assert "interrupted load" in caplog.text
    assert graphs_of(store) == whole and pending_graphs(store) == []
    assert recover(store) == []


def test_write_graphs_replaces_whole_graphs_and_leaves_an_empty_journal():
    store = ox.Store()
    g = ox.NamedNode("https://example.org/g")
    old = [f'<https://example.org/s> <https://example.org/p> "{n}" {g} .\n' for n in range(5)]
    new = [f'<https://example.org/s> <https://example.org/p> "{n}" {g} .\n' for n in range(3, 8)]
    assert write_graphs(store, [(g, old)]) == 5
    assert write_graphs(store, [(g, new)]) == 5
    assert sorted(int(q.object.value) for q in store) == [3, 4, 5, 6, 7]
    assert write_graphs(store, []) == 0
    assert JOURNAL_GRAPH not in set(store.named_graphs())


def test_a_failed_batch_write_is_raised_and_left_to_the_journal():
    store = ox.Store()
    records = synthetic_records(3)
    load_records(store, records, generated_at=FIXED_TIME, resolve=False)
    whole = graphs_of(store)
    g = ox.NamedNode(str(release_graph_iri(records[0].id)))
    with pytest.raises(SyntaxError), BatchWriter(store) as writer:
        writer.submit([(g, ["<not an N-Quads line\n"])])
    assert pending_graphs(store) == [g] and g.value not in graphs_of(store)
    assert load_records(store, records, generated_at=FIXED_TIME, resolve=False).added == 1
    assert graphs_of(store) == whole


def test_opening_a_directory_store_mends_an_interrupted_load(tmp_path, caplog):
    location = tmp_path / "store"
    store = open_store(location)
    load_records(store, synthetic_records(4), generated_at=FIXED_TIME, resolve=False)
    whole = graphs_of(store)
    _half_written(store)
    del store
    gc.collect()
    with caplog.at_level(logging.WARNING, logger="graph.store"):
        read_only = open_store(location, read_only=True)
    assert "interrupted load" in caplog.text
    assert len(pending_graphs(read_only)) == 1
    del read_only
    gc.collect()
    store = open_store(location)
    assert graphs_of(store) == whole and pending_graphs(store) == []


# --- killed at random moments ----------------------------------------------------------------------

CHILD = """
import sys
from graph import bulk, loading
from graph.store import open_store
from tests.test_load_bulk import FIXED_TIME, synthetic_records


class InPieces:
    # the store, its bulk loader ingesting each batch in pieces (as pyoxigraph does past a million
    # quads), waiting after the first piece: a kill then cuts releases in two, and only the
    # journal can mend them
    def __init__(self, store):
        self.store = store

    def __getattr__(self, name):
        return getattr(self.store, name)

    def bulk_load(self, text, format):
        lines = text.splitlines(keepends=True)
        for start in range(0, len(lines), 70):
            self.store.bulk_load("".join(lines[start : start + 70]), format=format)
            print("piece", flush=True)
            sys.stdin.readline()


real = bulk.write_graphs

def announced(store, graphs):
    print("writing", len(graphs), flush=True)
    return real(store, graphs)

bulk.write_graphs = announced
store = open_store(sys.argv[1])
records = synthetic_records(int(sys.argv[2]))
loading.load_records(InPieces(store) if sys.argv[5] == "pieces" else store, records,
                     extractor_version=sys.argv[3], generated_at=FIXED_TIME, resolve=False,
                     batch_triples=int(sys.argv[4]))
print("done", flush=True)
"""
RELEASES, BATCH = 400, 500


def _child(location, version: str, pieces: bool = False) -> subprocess.Popen:
    how = "pieces" if pieces else "whole"
    command = [sys.executable, "-c", CHILD, str(location), str(RELEASES), version, str(BATCH), how]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        command, cwd=ROOT, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )


def _run_to_the_end(location, version: str) -> None:
    run_to_the_end(_child(location, version))


def _kill_during_a_write(location, version: str, rng: random.Random, pieces: bool) -> bool:
    """A load of ``version`` killed while it writes one of its first 3 batches (see
    :func:`tests.graph_support.kill_during_a_write`)."""
    child = _child(location, version, pieces)
    return kill_during_a_write(child, rng, pieces, batches=3, pause=0.25)


def _reference(version: str) -> dict[str, frozenset[str]]:
    """The release graphs of an uninterrupted load of ``version``."""
    store = ox.Store()
    records = synthetic_records(RELEASES)
    load_records(store, records, extractor_version=version, generated_at=FIXED_TIME, resolve=False)
    return release_graphs(store)


@pytest.mark.timeout(900)
def test_loads_killed_at_random_moments_leave_whole_or_absent_releases_and_rerun_to_the_same_store(tmp_path):
    old, new = _reference("1"), _reference("2")
    assert len(old) == len(new) == RELEASES and all(old[g] != new[g] for g in old)
    location = tmp_path / "killed"
    _run_to_the_end(location, "1")  # a whole store of version 1, then version 2 replaces it, killed
    rng = random.Random(20240101)
    kills, cut = 0, []
    for turn in range(6):
        pieces = turn % 2 == 1
        kills += _kill_during_a_write(location, "2", rng, pieces)
        raw = ox.Store.read_only(str(location))
        if pieces:  # what the journal is for: releases cut in two, listed in the journal
            cut.append({g for g, quads in release_graphs(raw).items() if quads not in (old[g], new[g])})
            assert cut[-1] and cut[-1] <= {graph.value for graph in pending_graphs(raw)}
        del raw
        gc.collect()
        store = open_store(location)  # recovers
        graphs = release_graphs(store)
        assert all(quads in (old[g], new[g]) for g, quads in graphs.items()), "a release is part written"
        assert not (pieces and cut[-1] & set(graphs))
        assert pending_graphs(store) == [] and str(REFERENCE_GRAPH) in graph_names(store)
        assert not list(location.glob("bulk-*.sst"))  # the bulk loader's files a kill left
        del store
        gc.collect()
    assert kills == 6
    _run_to_the_end(location, "2")
    store = open_store(location)
    assert release_graphs(store) == new
