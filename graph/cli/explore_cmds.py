"""Exploration commands: ``stats`` (headline figures and measures) and ``render`` (the HTML viewer).

Both read ``--store`` (see :mod:`graph.cli.options`)::

    seckg stats --top 5
    seckg render --out out/viewer.html --focus cybersecurity --from-year 2015
    seckg render --query my-view.rq --out out/my-view.html
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from graph.cli._app import app
from graph.cli.options import (
    DEFAULT_STORE,
    StoreOption,
    TextOrJson,
    counted,
    error,
    exit_with,
    fail,
    prepare_out,
    warning,
    with_store,
)

__all__ = ["PROJECTION_FORMATS", "PROJECTION_NAMES", "export_projection", "render_command", "stats_command"]

Opt = typer.Option

PROJECTION_FORMATS = ("graphml", "gexf", "csv")
"""Formats of ``seckg export --projection`` (:data:`graph.analysis.exports.EXPORT_FORMATS`)."""
PROJECTION_NAMES = ("typed", "countries", "country-focus", "agencies")
"""Projections ``seckg export --projection`` writes (:data:`graph.analysis.projections.PROJECTIONS`)."""


def _table(frame, columns: list[str] | None = None) -> str:
    if frame.empty:
        return "  (none)"
    shown = (frame[columns] if columns else frame).fillna("")
    return "\n".join("  " + line for line in shown.to_string(index=False).splitlines())


@app.command("stats")
def stats_command(
    store: StoreOption = DEFAULT_STORE,
    top: Annotated[int, Opt("--top", min=1, help="Rows of each ranking.")] = 5,
    seed: Annotated[int, Opt("--seed", help="Seed of the Louvain communities.")] = 42,
    fmt: Annotated[TextOrJson, Opt("--format", "-f", help="Text for reading or JSON.")] = "text",
) -> None:
    """Print the headline figures: counts, central countries and agencies, communities, years, gaps."""
    from graph.analysis import measures as m
    from graph.analysis.facts import read_facts
    from graph.analysis.projections import agency_graph, country_graph, typed_graph

    fmt = TextOrJson(fmt).value
    read: dict = {}
    exit_with(
        with_store(
            store, lambda handle: read.update(facts=read_facts(handle)), must_exist=True, read_only=True
        )
    )
    facts = read["facts"]
    typed = typed_graph(facts)
    countries = country_graph(typed)
    head = m.headline(typed)
    frames = {
        "central countries": m.central_countries(countries, top),
        "central agencies": m.central_agencies(agency_graph(typed, facts), top),
        "communities": m.communities(countries, seed=seed),
        "agreements per year": m.agreements_per_year(typed, fill=False),
        "focus areas without agreement": m.gaps_focus_areas(typed),
    }
    if fmt == "json":
        out = {"headline": head, "note": m.COUNT_NOTE}
        out.update({name: json.loads(frame.to_json(orient="records")) for name, frame in frames.items()})
        typer.echo(json.dumps(out, indent=1, ensure_ascii=False))
        return
    typer.echo(
        ", ".join(f"{name} {value}" if name == "years" else f"{value} {name}" for name, value in head.items())
    )
    typer.echo(m.COUNT_NOTE)
    typer.echo(f"\nMost central countries (top {top}): partners = countries it has an agreement with;")
    typer.echo("betweenness = share of shortest paths between two other countries that pass through it")
    typer.echo(
        _table(frames["central countries"], ["code", "country", "agreements", "partners", "betweenness"])
    )
    typer.echo(f"\nMost central agencies (top {top}): degree = agencies linked as parent, child or co-signer")
    typer.echo(
        _table(frames["central agencies"], ["agency", "country", "degree", "co_signed", "betweenness"])
    )
    communities = frames["communities"]
    typer.echo(f"\nCommunities of countries (Louvain, seed {seed}): {len(communities)}")
    for row in communities.itertuples():
        typer.echo(f"  {row.community}: {', '.join(row.members)}")
    per_year = frames["agreements per year"]
    undated = per_year.attrs.get("undated", 0)
    typer.echo(f"\nReported agreements per year ({undated} without a year)")
    typer.echo(_table(per_year))
    gaps = frames["focus areas without agreement"]
    typer.echo(f"\nFocus areas no agreement covers: {', '.join(gaps['focus']) or 'none'}")


def _read_typed(handle, query: Path | None):
    """The typed graph of the store, or of what the ``CONSTRUCT`` query in file ``query`` returns."""
    from graph.analysis.facts import read_facts
    from graph.analysis.projections import typed_graph
    from graph.analysis.select import store_from_triples
    from graph.namespaces import REFERENCE_GRAPH
    from graph.query import read_query_source, run_query
    from graph.store import read_dataset

    if query is None:
        return typed_graph(read_facts(handle))
    result = run_query(handle, read_query_source(str(query)))
    if result.form not in ("CONSTRUCT", "DESCRIBE"):
        error(f"{query}: a {result.form} query; --query needs CONSTRUCT or DESCRIBE")
        return None
    reference = read_dataset(handle, str(REFERENCE_GRAPH))
    typed = typed_graph(read_facts(store_from_triples(result.triples, reference)))
    if not result.triples:
        warning(f"{query}: the query returned no triples")
    elif not typed.number_of_nodes():
        warning(
            f"{query}: its {len(result.triples)} triples give the viewer nothing to show: it draws "
            "instruments, states, bodies, people and focus areas, found by their rdf:type "
            "(seckg:Agreement ...): CONSTRUCT those triples too"
        )
    return typed


@app.command("render")
def render_command(
    store: StoreOption = DEFAULT_STORE,
    out: Annotated[Path, Opt("--out", "-o", help="HTML file to write.")] = Path("out/viewer.html"),
    focus: Annotated[str | None, Opt("--focus", help="Only agreements on this focus area (id).")] = None,
    country: Annotated[str | None, Opt("--country", help="Only agreements this country is party to.")] = None,
    kind: Annotated[str | None, Opt("--type", help="Only agreements of this type (id).")] = None,
    from_year: Annotated[
        int | None, Opt("--from-year", help="Only agreements of this year or later.")
    ] = None,
    to_year: Annotated[int | None, Opt("--to-year", help="Only agreements of this year or earlier.")] = None,
    search: Annotated[str | None, Opt("--search", help="Only nodes whose name contains this.")] = None,
    query: Annotated[
        Path | None, Opt("--query", help="Render what this CONSTRUCT query (.rq file) returns.")
    ] = None,
    title: Annotated[str, Opt("--title", help="Page title.")] = "seckg graph viewer",
    seed: Annotated[int, Opt("--seed", help="Layout seed.")] = 7,
) -> None:
    """Write the graph (or a focused view of it) as one self-contained HTML page that works offline.

    The filters keep the matching agreements with their parties, signatories, focus areas and the
    signatories' agencies (the page has the same filters, and a search box).
    """
    from graph.analysis.projections import agreements
    from graph.analysis.select import filter_typed
    from graph.viewer import write_viewer

    read: dict = {}
    exit_with(
        with_store(
            store,
            lambda handle: read.update(typed=_read_typed(handle, query)),
            must_exist=True,
            read_only=True,
        )
    )
    typed = read["typed"]
    if typed is None:
        raise typer.Exit(2)
    prepare_out(out)  # before the layout: a path it cannot write is said at once
    data = [d for _, d in agreements(typed)]
    known = {
        "--focus": ({t for d in data for t in d["topics"]} | set(typed.graph.get("focus_scheme", {})), focus),
        "--country": ({p for d in data for p in d["parties"]}, country.upper() if country else None),
        "--type": ({d["agreement_type"] for d in data}, kind),
    }
    for option, (values, given) in known.items():
        if given and given not in values:
            listed = ", ".join(sorted(values)) or "none in this graph"
            raise fail(f"{option} {given}: no such value (known: {listed})", 2)
    years = None
    if from_year is not None or to_year is not None:
        years = (from_year if from_year is not None else -9999, to_year if to_year is not None else 9999)
    view = filter_typed(
        typed, focus=focus, country=known["--country"][1], agreement_type=kind, years=years, text=search
    )
    try:
        path = write_viewer(view, out, title=title, seed=seed)
    except OSError as err:
        raise fail(f"cannot write {out}: {err.strerror or err}") from err
    shown = sum(1 for _, d in view.nodes(data=True) if d.get("type") == "agreement")
    nodes, edges = counted(view.number_of_nodes(), "node"), counted(view.number_of_edges(), "edge")
    typer.echo(f"wrote {path} ({nodes}, {edges}, {counted(shown, 'instrument')})")
    typer.echo(f"open it in a browser: {path.resolve().as_uri()}")


def export_projection(store: str, projection: str, fmt: str, out: Path | None, graph: str | None) -> None:
    """``seckg export --projection NAME --format graphml|gexf|csv --out PATH``: write a projection.

    Called by the ``export`` command of :mod:`graph.cli.store_cmds`; ``out`` is a file for GraphML
    and GEXF, a directory (``nodes.csv``, ``edges.csv``) for CSV.
    """
    if projection not in PROJECTION_NAMES:
        raise fail(f"unknown projection {projection!r} ({', '.join(PROJECTION_NAMES)})", 2)
    if fmt not in PROJECTION_FORMATS:
        raise fail(f"--projection writes {', '.join(PROJECTION_FORMATS)}, not {fmt!r}", 2)
    if out is None:
        raise fail(f"a {fmt} projection ({projection}) needs --out (a file; a directory for csv)", 2)
    if graph is not None:
        raise fail("--projection covers the whole store; leave out --graph", 2)
    prepare_out(out, folder=fmt == "csv")

    def write(handle) -> None:
        from graph.analysis.exports import write_projection
        from graph.analysis.measures import COUNT_NOTE
        from graph.analysis.projections import project

        written = write_projection(project(handle, projection), fmt, out)
        typer.echo(f"wrote {', '.join(str(p) for p in written)} ({projection} projection)", err=True)
        typer.echo(COUNT_NOTE, err=True)

    exit_with(with_store(store, write, must_exist=True, read_only=True))
