"""A query's final ORDER BY applied in Python (graph.sparql_order) orders rows as the engine does.

Each kind of term whose order SPARQL defines is checked against Oxigraph's own ORDER BY on
random values; terms whose order is the engine's choice make the engine sort; every saved query
takes the Python path on real graphs and answers what the engine answers, in the same order.
"""

from __future__ import annotations

import gc
import random
import threading

import pyoxigraph as ox
import pytest

from graph.namespaces import PREFIXES
from graph.query import QueryError, bind_params, run_query, saved_queries
from graph.sparql_order import sort_rows, split_order_by
from graph.sparql_values import bind_values
from tests.graph_support import build_sample_store, build_store, fixture_items

XSD = "http://www.w3.org/2001/XMLSchema#"
P = ox.NamedNode("http://e/p")


def typed(value: str, name: str) -> ox.Literal:
    return ox.Literal(value, datatype=ox.NamedNode(XSD + name))


def _text(rng: random.Random) -> str:
    return "".join(rng.choice("aAbZé ü1-") for _ in range(rng.randint(0, 4)))


KINDS = {
    "iri": lambda rng: ox.NamedNode(f"http://e/{_text(rng).replace(' ', '_')}x{rng.randint(0, 9)}"),
    "string": lambda rng: ox.Literal(_text(rng)),
    "lang": lambda rng: ox.Literal(_text(rng), language=rng.choice(["en", "es", "en-gb"])),
    "number": lambda rng: rng.choice(
        [
            typed(str(rng.randint(-50, 50)), "integer"),
            typed(f"{rng.randint(-50, 50)}.{rng.randint(0, 9)}", "decimal"),
            typed(f"{rng.uniform(-50, 50):.3f}", "double"),
            typed(rng.choice(["INF", "-INF"]), "double"),
            typed(str(rng.randint(0, 9)), "int"),
        ]
    ),
    "boolean": lambda rng: typed(rng.choice(["true", "false"]), "boolean"),
    "date": lambda rng: typed(f"{rng.randint(1990, 2030)}-1{rng.randint(0, 2)}-1{rng.randint(0, 9)}", "date"),
    "dateZ": lambda rng: typed(f"20{rng.randint(10, 30)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}Z", "date"),
    "dateTime": lambda rng: typed(
        f"2020-01-0{rng.randint(1, 3)}T1{rng.randint(0, 2)}:00:0{rng.randint(0, 2)}"
        + rng.choice(["", ".5", ".25", ".125"]),
        "dateTime",
    ),
}


def _store_of(values: list[ox.Literal | ox.NamedNode | None]) -> ox.Store:
    store = ox.Store()
    for n, value in enumerate(values):
        subject = ox.NamedNode(f"http://e/s{n:03}")
        store.add(ox.Quad(subject, ox.NamedNode("http://e/is"), ox.Literal("row")))
        if value is not None:
            store.add(ox.Quad(subject, P, value))
    return store


QUERY = "SELECT ?v ?s WHERE { ?s <http://e/is> ?r OPTIONAL { ?s <http://e/p> ?v } } ORDER BY %s"


def _both(store: ox.Store, order: str) -> tuple[list[tuple], list[tuple] | None]:
    """The engine's ordered rows, and the rows of the same query without ORDER BY sorted here."""
    text = QUERY % order
    engine = [tuple(row) for row in store.query(text)]
    split = split_order_by(text)
    assert split is not None
    answer = store.query(split.text)
    rows = [tuple(row) for row in answer]
    return engine, sort_rows([v.value for v in answer.variables], rows, split.keys)


@pytest.mark.parametrize("kind", sorted(KINDS))
@pytest.mark.parametrize("order", ["?v ?s", "DESC(?v) ?s", "ASC(?v) DESC(?s)"])
def test_each_kind_of_term_is_ordered_as_the_engine_orders_it(kind, order):
    rng = random.Random(f"{kind}{order}")
    for _ in range(5):
        values = [KINDS[kind](rng) for _ in range(40)]
        values += [None] * rng.randint(0, 3)  # unbound sorts first (last when descending)
        if kind != "iri":
            values += [KINDS["iri"](rng) for _ in range(rng.randint(0, 3))]  # IRIs before literals
        rng.shuffle(values)
        engine, mine = _both(_store_of(values), order)
        assert mine == engine


ONE_DATATYPE = {
    "string": KINDS["string"],
    "lang": KINDS["lang"],
    "integer": lambda rng: typed(str(rng.randint(-50, 50)), "integer"),
    "int": lambda rng: typed(str(rng.randint(0, 9)), "int"),
    "date": KINDS["date"],
    "dateZ": KINDS["dateZ"],
    "dateTime": KINDS["dateTime"],
}


@pytest.mark.parametrize("kind", sorted(ONE_DATATYPE))
@pytest.mark.parametrize("order", ["?v ?s", "DESC(?v) ?s"])
def test_a_column_of_literals_of_one_datatype_is_ordered_as_the_engine_orders_it(kind, order):
    # every term of one datatype (or unbound): the keys are read a column at a time
    rng = random.Random(f"one {kind}{order}")
    for _ in range(5):
        values = [ONE_DATATYPE[kind](rng) for _ in range(40)]
        engine, mine = _both(_store_of(values), order)
        assert mine == engine
        engine, mine = _both(_store_of(values + [None] * 3), order)  # an optional value, unbound
        assert mine == engine


@pytest.mark.parametrize(
    "values",
    [
        [typed("2020-01-01", "date"), typed("soon", "date")],  # a value out of its lexical form
        [typed("2020-01-01T10:00:00", "dateTime"), typed("2020-01-01T10:00:00Z", "dateTime")],
        [typed("1", "integer"), typed("one", "integer")],
        [ox.Literal("a"), typed("1", "integer")],  # two kinds of literal: implementation-defined
        [ox.Literal("a"), typed("NaN", "double")],
        [typed("2020-01-01", "date"), typed("2020-01-02Z", "date")],  # with and without a time zone
        [
            ox.Literal("x", datatype=ox.NamedNode("http://e/dt")),
            ox.Literal("y", datatype=ox.NamedNode("http://e/dt")),
        ],
        [ox.BlankNode("b1"), ox.NamedNode("http://e/a")],
    ],
)
def test_terms_of_no_defined_order_are_left_to_the_engine(values):
    store = _store_of(values)
    assert _both(store, "?v ?s")[1] is None
    engine = [tuple(row) for row in store.query(QUERY % "?v ?s")]
    got = run_query(store, QUERY % "?v ?s")
    assert got.rows == engine


def test_equal_keys_are_ordered_by_the_whole_row():
    store = _store_of([ox.Literal("same")] * 5 + [ox.Literal("a")])
    split = split_order_by(QUERY % "?v")
    answer = store.query(split.text)
    rows = [tuple(row) for row in answer]
    for shuffled in (rows, rows[::-1], random.Random(1).sample(rows, len(rows))):
        got = sort_rows(["v", "s"], shuffled, split.keys)
        assert [row[1].value for row in got] == ["http://e/s005"] + [f"http://e/s{n:03}" for n in range(5)]


@pytest.mark.parametrize(
    "text",
    [
        "SELECT ?x WHERE { ?x ?p ?o } ORDER BY ?x LIMIT 10",
        "SELECT ?x WHERE { ?x ?p ?o } ORDER BY ?x OFFSET 1",
        "SELECT ?x WHERE { ?x ?p ?o } ORDER BY STR(?x)",
        "SELECT ?x WHERE { ?x ?p ?o } ORDER BY ?o",  # not projected
        "SELECT ?x WHERE { { SELECT ?x WHERE { ?x ?p ?o } ORDER BY ?x } }",  # a sub-query's
        "SELECT ?x WHERE { ?x ?p 'ORDER BY ?x' }",
        "ASK { ?x ?p ?o }",
        "CONSTRUCT { ?x ?p ?o } WHERE { ?x ?p ?o } ORDER BY ?x",
        "SELECT ?x WHERE { ?x ?p ?o } ORDER BY ?x VALUES ?x { <http://e/a> }",
    ],
)
def test_only_a_final_order_by_of_projected_variables_is_taken(text):
    assert split_order_by(text) is None


def test_the_clause_is_taken_off_the_end():
    text = "SELECT (COUNT(?o) AS ?n) ?x WHERE { ?x ?p ?o } GROUP BY ?x\nORDER BY desc (?n) ?x # last\n"
    split = split_order_by(text)
    assert split.text == "SELECT (COUNT(?o) AS ?n) ?x WHERE { ?x ?p ?o } GROUP BY ?x\n"
    assert split.keys == (("n", True), ("x", False))
    assert split_order_by("SELECT * WHERE { ?x ?p ?o } ORDER BY ?o").keys == (("o", False),)


@pytest.fixture(scope="module", params=["fixture", "samples"])
def graph_store(request):
    return build_store(fixture_items()) if request.param == "fixture" else build_sample_store()


def test_every_saved_query_is_ordered_here_and_answers_as_the_engine(graph_store):
    for query in saved_queries():
        split = split_order_by(query.text)
        assert split is not None, query.name
        text = bind_values(query.text, bind_params({}, query.params, graph_store))
        answer = graph_store.query(text, prefixes=PREFIXES, use_default_graph_as_union=True)
        engine = [tuple(row) for row in answer]
        got = run_query(graph_store, query.text, declared=query.params)
        assert sorted(map(repr, got.rows)) == sorted(map(repr, engine)), query.name
        columns = [got.variables.index(name) for name, _ in split.keys]
        assert [[str(row[c]) for c in columns] for row in got.rows] == [
            [str(row[c]) for c in columns] for row in engine
        ], query.name
        bare = graph_store.query(
            bind_values(split.text, bind_params({}, query.params, graph_store)),
            prefixes=PREFIXES,
            use_default_graph_as_union=True,
        )
        assert sort_rows(got.variables, [tuple(row) for row in bare], split.keys) == got.rows


def test_a_row_cap_keeps_the_first_rows_of_the_ordered_answer(graph_store):
    query = next(q for q in saved_queries() if q.name == "releases")
    whole = run_query(graph_store, query.text, declared=query.params)
    capped = run_query(graph_store, query.text, declared=query.params, max_rows=3)
    assert len(whole.rows) > 3
    assert capped.rows == whole.rows[:3] and capped.truncated and not whole.truncated


@pytest.mark.parametrize("running", [True, False])
def test_the_collector_runs_after_a_query_exactly_as_it_ran_before(running):
    """``run_query`` pauses the cyclic garbage collector while it makes the rows; afterwards it
    runs again if it ran before, and stays off if the caller had turned it off (also when the
    query fails)."""
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("http://e/s"), ox.NamedNode("http://e/p"), ox.Literal("o")))
    was = gc.isenabled()
    try:
        gc.enable() if running else gc.disable()
        during = _Watch()  # asked between rows: whether the collector runs then
        rows = [tuple(row) for row in store.query("SELECT ?o WHERE { ?s ?p ?o }")]
        result = run_query(store, "SELECT ?o WHERE { ?s ?p ?o } ORDER BY ?o", cancel=during)
        seen = [gc.isenabled()]
        with pytest.raises(QueryError):
            run_query(store, "SELECT ?o WHERE { ?s ?p ?o FILTER(")
        seen.append(gc.isenabled())
    finally:
        gc.enable() if was else gc.disable()
    assert result.rows == rows and during.seen == [False] and seen == [running, running]


class _Watch(threading.Event):
    """A cancel event that is never set and notes whether the collector runs when asked."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[bool] = []

    def is_set(self) -> bool:
        self.seen.append(gc.isenabled())
        return False
