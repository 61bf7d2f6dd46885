"""Projections, measures, filters, layout and exports on the sample graph.

Expected figures are computed from the extraction records, independently of the RDF mapping
and the SPARQL that the projections run.
"""

from __future__ import annotations

import itertools
import time
from collections import Counter

import networkx as nx
import pandas as pd
import pyoxigraph as ox
import pytest

from graph.analysis import (
    PROJECTIONS,
    agency_graph,
    agreements,
    agreements_per_year,
    central_agencies,
    central_countries,
    communities,
    country_focus_graph,
    country_graph,
    fast_layout,
    filter_typed,
    focus_by_country,
    focus_by_year,
    gaps_country_pairs,
    gaps_focus_areas,
    headline,
    project,
    read_facts,
    store_from_triples,
    typed_graph,
    write_projection,
)
from graph.analysis.measures import COUNT_NOTE
from graph.analysis.synthetic import synthetic_typed
from graph.namespaces import REFERENCE_GRAPH
from graph.query import run_query
from graph.store import read_dataset
from graph.triples import person_iri
from tests.explore_support import (
    expected_instruments,
    sample_instruments,
    sample_items,
    sample_records,
    sample_store,
    sample_typed,
)
from tests.graph_support import build_store, oxigraph_server

__all__ = ["sample_store", "sample_typed"]  # fixtures used below


def _year(agreement, release) -> int | None:
    date = agreement.date or release.date
    return int(date[:4]) if date else None


def _topics(agreement, record) -> list[str]:
    return sorted(agreement.focus_areas) if agreement.focus_areas else sorted(record.focus_areas)


def _expected_agreements() -> list[tuple]:
    return sorted((i.release_id, i.type, i.parties, i.year, i.topics) for i in expected_instruments())


def test_reports_of_one_instrument_make_one_node(sample_typed):
    reports = sum(len(r.agreements) for r in sample_records())
    assert len(agreements(sample_typed)) == len(set(sample_instruments().values())) < reports
    merged = [d for _, d in agreements(sample_typed) if len(d["reports"]) > 1]
    assert merged, "the samples report some instrument from two releases"
    for data in merged:
        assert [r["release_date"] for r in data["reports"]] == sorted(
            r["release_date"] for r in data["reports"]
        )
        assert data["release_id"] == data["reports"][0]["release_id"]


def test_the_sample_graph_has_agreements_to_analyse():
    assert sum(len(r.agreements) for r in sample_records()) >= 10


def test_typed_graph_holds_every_reported_agreement_with_its_facts(sample_typed):
    found = sorted(
        (d["release_id"], d["agreement_type"], tuple(d["parties"]), d["year"], tuple(d["topics"]))
        for _, d in agreements(sample_typed)
    )
    assert found == _expected_agreements()


def test_typed_graph_nodes_carry_iri_label_type(sample_store, sample_typed):
    kinds = Counter(d["type"] for _, d in sample_typed.nodes(data=True))
    assert set(kinds) == {"agreement", "country", "agency", "person", "focus area"}
    for node, data in sample_typed.nodes(data=True):
        assert data["iri"] == node and data["label"] and data["type"]
    people = {person_iri(p.name) for r in sample_records() for p in r.people}
    people |= {person_iri(n) for r in sample_records() for a in r.agreements for n in a.signatories}
    resolved = read_facts(sample_store).resolved  # "Chad Wolf" is the "Chad F. Wolf" of another release
    assert resolved and set(resolved.values()) <= {str(p) for p in people}
    found = {n for n, d in sample_typed.nodes(data=True) if d["type"] == "person"}
    assert found == {str(p) for p in people} - set(resolved)


def test_typed_graph_edges_follow_the_documented_relations(sample_typed):
    allowed = {
        ("agreement", "party", "country"), ("agreement", "signatory", "person"),
        ("agreement", "focus area", "focus area"), ("agency", "country", "country"),
        ("person", "country", "country"), ("person", "member of", "agency"),
        ("agency", "sub-organization of", "agency"),
    }  # fmt: skip
    types = sample_typed.nodes
    seen = {(types[a]["type"], k, types[b]["type"]) for a, b, k in sample_typed.edges(keys=True)}
    assert seen <= allowed
    assert ("agreement", "party", "country") in seen


def test_agreement_nodes_carry_release_and_evidence(sample_typed):
    by_release = {r.id: r for r in sample_records()}
    for _, data in agreements(sample_typed):
        record = by_release[data["release_id"]]
        assert data["release_title"] == record.title
        reporting = [by_release[r["release_id"]] for r in data["reports"]]
        sentences = {e.sentence for r in reporting for e in r.evidence if e.field == "agreements"}
        assert set(data["evidence"]) <= sentences
        assert data["evidence"], f"no evidence for an agreement of {record.id}"


def test_country_graph_links_every_pair_of_parties(sample_typed):
    graph = country_graph(sample_typed)
    pairs = Counter()
    parties = Counter()
    for instrument in expected_instruments():
        parties.update(set(instrument.parties))
        pairs.update(itertools.combinations(instrument.parties, 2))
    code = {n: d["code"] for n, d in graph.nodes(data=True)}
    found = {tuple(sorted((code[a], code[b]))): d["weight"] for a, b, d in graph.edges(data=True)}
    assert found == dict(pairs)
    assert {d["code"]: d["agreements"] for _, d in graph.nodes(data=True)} == dict(parties)
    for _, _, data in graph.edges(data=True):
        assert len(data["agreements"]) == data["weight"] and data["years"] == sorted(data["years"])


def test_country_focus_graph_counts_agreements_per_country_and_area(sample_typed):
    graph = country_focus_graph(sample_typed)
    expected = Counter()
    for instrument in expected_instruments():
        expected.update(itertools.product(instrument.parties, instrument.topics))
    found = {}
    for a, b, data in graph.edges(data=True):
        country, focus = (a, b) if graph.nodes[a]["bipartite"] == 0 else (b, a)
        found[(graph.nodes[country]["code"], graph.nodes[focus]["code"])] = data["weight"]
    assert found == dict(expected)
    assert nx.is_bipartite(graph)


def test_agency_graph_adds_ancestors_and_sub_organization_edges(sample_store, sample_typed):
    facts = read_facts(sample_store)
    graph = agency_graph(sample_typed, facts)
    named = {n for n, d in sample_typed.nodes(data=True) if d["type"] == "agency"}
    assert named <= set(graph)
    for node in named:
        for parent in facts.parents.get(node, []):
            assert graph.has_edge(node, parent)
            assert "sub-organization of" in graph.edges[node, parent]["relation"]
    assert all(graph.nodes[n]["named"] is False for n in set(graph) - named)


def test_agency_graph_links_agencies_whose_people_signed_together():
    typed = nx.MultiDiGraph()
    for node, kind in [
        ("a", "agreement"),
        ("p", "person"),
        ("q", "person"),
        ("x", "agency"),
        ("y", "agency"),
    ]:
        typed.add_node(node, iri=node, label=node.upper(), type=kind)
    typed.add_edge("a", "p", key="signatory")
    typed.add_edge("a", "q", key="signatory")
    typed.add_edge("p", "x", key="member of")
    typed.add_edge("q", "y", key="member of")
    graph = agency_graph(typed)
    assert graph.edges["x", "y"] == {"relation": "co-signed", "weight": 1, "agreements": ["a"]}


def test_project_knows_every_projection(sample_store):
    for name in PROJECTIONS:
        assert project(sample_store, name).name == name
    with pytest.raises(ValueError, match="unknown projection"):
        project(sample_store, "people")


def test_central_countries_rank_the_hub_first(sample_typed):
    graph = country_graph(sample_typed)
    frame = central_countries(graph)
    partners = {}
    for instrument in expected_instruments():
        for code in instrument.parties:
            partners.setdefault(code, set()).update(set(instrument.parties) - {code})
    assert dict(zip(frame["code"], frame["partners"], strict=True)) == {
        c: len(p) for c, p in partners.items()
    }
    hub = max(partners, key=lambda c: (len(partners[c]), c))
    assert frame.iloc[0]["code"] == hub
    assert frame.iloc[0]["betweenness"] == frame["betweenness"].max() > 0
    assert "partners" in frame.attrs["meaning"] and frame.attrs["note"] == COUNT_NOTE
    assert len(central_countries(graph, top=3)) == 3


def test_central_agencies(sample_store, sample_typed):
    frame = central_agencies(agency_graph(sample_typed, read_facts(sample_store)))
    assert list(frame.columns[:4]) == ["agency", "country", "named", "degree"]
    assert frame["degree"].is_monotonic_decreasing
    assert frame.iloc[0]["degree"] >= 2


def test_communities_are_seeded_and_cover_every_country(sample_typed):
    graph = country_graph(sample_typed)
    first, again = communities(graph, seed=42), communities(graph, seed=42)
    pd.testing.assert_frame_equal(first, again)
    members = [m for row in first["members"] for m in row]
    assert sorted(members) == sorted(d["label"] for _, d in graph.nodes(data=True))
    assert first["size"].is_monotonic_decreasing
    bilateral_only = [
        set(i.parties) for i in expected_instruments()
        if len(i.parties) == 2
        and all(sum(p in j.parties for j in expected_instruments()) == 1 for p in i.parties)
    ]  # fmt: skip
    labels = {d["code"]: d["label"] for _, d in graph.nodes(data=True)}
    for pair in bilateral_only:  # two countries with one agreement, only with each other: one community
        assert any({labels[c] for c in pair} <= set(row) for row in first["members"])


def test_agreements_per_year_matches_the_records(sample_typed):
    frame = agreements_per_year(sample_typed)
    expected = Counter(i.year for i in expected_instruments())
    undated = expected.pop(None, 0)
    assert frame.attrs["undated"] == undated
    nonzero = {int(y): int(n) for y, n in zip(frame["year"], frame["agreements"], strict=True) if n}
    assert nonzero == dict(expected)
    assert list(frame["year"]) == list(range(min(expected), max(expected) + 1))
    assert (frame["dated_by_signing"] <= frame["agreements"]).all()


def test_focus_by_country_and_year(sample_typed):
    heat = focus_by_country(country_focus_graph(sample_typed))
    scheme = sample_typed.graph["focus_scheme"]
    expected = Counter()
    for instrument in expected_instruments():
        expected.update((code, scheme[t]) for code in instrument.parties for t in instrument.topics)
    labels = {d["code"]: d["label"] for _, d in sample_typed.nodes(data=True) if d["type"] == "country"}
    for (code, focus), count in expected.items():
        assert heat.loc[labels[code], focus] == count
    assert int(heat.values.sum()) == sum(expected.values())
    per_year = focus_by_year(sample_typed)
    assert int(per_year.values.sum()) == sum(len(i.topics) for i in expected_instruments() if i.year)
    assert list(per_year.index) == sorted(per_year.index)


def test_gaps(sample_typed):
    graph = country_graph(sample_typed)
    pairs = gaps_country_pairs(graph)
    n = graph.number_of_nodes()
    assert len(pairs) == n * (n - 1) // 2 - graph.number_of_edges()
    code = {d["code"]: node for node, d in graph.nodes(data=True)}
    assert not any(
        graph.has_edge(code[a], code[b]) for a, b in zip(pairs["country_a"], pairs["country_b"], strict=True)
    )
    assert pairs["common_partners"].is_monotonic_decreasing
    covered = {t for i in expected_instruments() for t in i.topics}
    areas = gaps_focus_areas(sample_typed)
    assert set(areas["focus"]) == set(sample_typed.graph["focus_scheme"]) - covered
    assert len(sample_typed.graph["focus_scheme"]) >= 15


def test_headline(sample_typed):
    head = headline(sample_typed)
    assert head["releases"] == len(sample_records())
    assert head["instruments"] == len(expected_instruments())
    assert head["reports"] == sum(len(r.agreements) for r in sample_records())
    years = [i.year for i in expected_instruments() if i.year]
    assert head["years"] == f"{min(years)}-{max(years)}"


def test_filter_by_focus_keeps_matching_agreements_and_their_neighbours(sample_typed):
    focus = Counter(t for _, d in agreements(sample_typed) for t in d["topics"]).most_common(1)[0][0]
    view = filter_typed(sample_typed, focus=focus)
    kept = {n for n, d in agreements(view)}
    assert kept == {n for n, d in agreements(sample_typed) if focus in d["topics"]}
    for node in kept:
        assert set(sample_typed.successors(node)) <= set(view)
    people = [n for n, d in view.nodes(data=True) if d["type"] == "person"]
    assert all(any(view.has_edge(a, p) for a in kept) for p in people)


def test_filter_by_country_type_years_and_text(sample_typed):
    usa = filter_typed(sample_typed, country="USA")
    assert all("USA" in d["parties"] for _, d in agreements(usa))
    kind = agreements(sample_typed)[0][1]["agreement_type"]
    assert {d["agreement_type"] for _, d in agreements(filter_typed(sample_typed, agreement_type=kind))} == {
        kind
    }
    years = filter_typed(sample_typed, years=(2019, 2019))
    assert {d["year"] for _, d in agreements(years)} == {2019}
    assert filter_typed(sample_typed, years=(1900, 1901)).number_of_nodes() == 0
    found = filter_typed(sample_typed, text="panama")
    assert any(d["label"] == "Panama" for _, d in found.nodes(data=True))
    assert filter_typed(sample_typed).number_of_nodes() == sample_typed.number_of_nodes()


def test_construct_query_results_project_like_the_store(sample_store):
    text = "CONSTRUCT { ?a ?p ?o } WHERE { ?a a seckg:Agreement ; seckg:party country:MEX ; ?p ?o }"
    result = run_query(sample_store, text)
    source = store_from_triples(result.triples, read_dataset(sample_store, str(REFERENCE_GRAPH)))
    typed = typed_graph(source)
    expected = [i for i in expected_instruments() if "MEX" in i.parties]
    assert len(agreements(typed)) == len(expected)
    assert any(d["label"] == "Mexico" for _, d in typed.nodes(data=True))


def test_empty_store_gives_empty_projections():
    store = ox.Store()
    for name in PROJECTIONS:
        assert project(store, name).number_of_nodes() == 0
    typed = typed_graph(store)
    assert agreements_per_year(typed).empty and focus_by_country(country_focus_graph(typed)).empty
    assert communities(country_graph(typed)).empty and central_countries(country_graph(typed)).empty


def test_layout_is_deterministic_and_places_every_node(sample_typed):
    first, again = fast_layout(sample_typed, seed=3), fast_layout(sample_typed, seed=3)
    assert first == again and set(first) == set(sample_typed)
    assert len(set(first.values())) == len(first)


def test_layout_of_ten_thousand_nodes_takes_seconds():
    graph = synthetic_typed(10_000, seed=2)
    start = time.perf_counter()
    pos = fast_layout(graph)
    assert time.perf_counter() - start < 10
    assert len(pos) == graph.number_of_nodes() and len(set(pos.values())) == len(pos)


@pytest.mark.parametrize("name", PROJECTIONS)
def test_exports_read_back_and_are_byte_stable(sample_store, tmp_path, name):
    graph = project(sample_store, name)
    for fmt, reader in (("graphml", nx.read_graphml), ("gexf", nx.read_gexf)):
        first = write_projection(graph, fmt, tmp_path / f"a.{fmt}")[0]
        second = write_projection(graph, fmt, tmp_path / f"b.{fmt}")[0]
        assert first.read_bytes() == second.read_bytes()
        back = reader(first)
        assert (back.number_of_nodes(), back.number_of_edges()) == (
            graph.number_of_nodes(),
            graph.number_of_edges(),
        )
        some = sorted(graph.nodes)[0]
        assert back.nodes[some]["label"] == graph.nodes[some]["label"]
    nodes, edges = write_projection(graph, "csv", tmp_path / "csv")
    assert [p.name for p in (nodes, edges)] == ["nodes.csv", "edges.csv"]
    node_frame, edge_frame = pd.read_csv(nodes), pd.read_csv(edges)
    assert list(node_frame.columns[:4]) == ["id", "iri", "label", "type"]
    assert len(node_frame) == graph.number_of_nodes() and len(edge_frame) == graph.number_of_edges()
    with pytest.raises(ValueError, match="unknown projection format"):
        write_projection(graph, "dot", tmp_path / "x.dot")


@pytest.mark.server
def test_projections_of_a_remote_server_equal_the_local_ones(sample_typed, tmp_path):
    with oxigraph_server(tmp_path / "oxigraph") as url:
        remote = typed_graph(build_store(sample_items(), url))
    assert sorted(remote.nodes(data=True)) == sorted(sample_typed.nodes(data=True))
    assert sorted(remote.edges(keys=True)) == sorted(sample_typed.edges(keys=True))
    assert remote.graph == sample_typed.graph
