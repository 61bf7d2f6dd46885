"""Resolution commands: ``resolve``, ``links``, ``remove``, and the instrument tables of ``export``.

``ingest`` already resolves after every batch; ``resolve`` rebuilds the resolution graph on its
own (after a remote server was filled some other way), ``links`` lists why reports were merged or
left as possibly the same, and ``remove`` drops releases and resolves again.
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
    choices,
    counted,
    exit_with,
    fail,
    prepare_out,
    with_store,
)

__all__ = ["INSTRUMENT_TABLES", "export_instruments", "links_command", "remove_command", "resolve_command"]

INSTRUMENT_TABLES = ("instruments", "instrument-table")
"""``--projection`` names of the instrument tables: one row per report, one row per instrument."""

Decision = choices("Decision", ("merged", "possibly-same"))

Opt = typer.Option
Arg = typer.Argument


def _summary(summary) -> str:
    return (
        f"{summary.reports} reports -> {summary.instruments} instruments ({summary.merges} merged, "
        f"{summary.possible} possibly the same); {summary.people} shorter names of people resolved"
    )


@app.command("resolve")
def resolve_command(store: StoreOption = DEFAULT_STORE) -> None:
    """Rebuild the resolution graph: reports gathered into instruments, people joined across releases."""
    from graph.resolve.store_io import resolve_store

    exit_with(with_store(store, lambda handle: typer.echo(_summary(resolve_store(handle))), must_exist=True))


@app.command("links")
def links_command(
    decision: Annotated[
        Decision | None,
        Opt("--decision", help="Only links of this decision."),
    ] = None,
    fmt: Annotated[TextOrJson, Opt("--format", "-f", help="Text for reading or JSON.")] = "text",
    store: StoreOption = DEFAULT_STORE,
) -> None:
    """List every resolution link: which two reports, merged or possibly the same, by which rule and why."""
    from graph.resolve.store_io import list_links

    fmt, decision = TextOrJson(fmt).value, Decision(decision).value if decision else None

    def show(handle) -> None:
        rows = list_links(handle, decision)
        if fmt == "json":
            typer.echo(json.dumps(rows, indent=1, ensure_ascii=False))
            return
        for row in rows:
            typer.echo(f"{row['decision']:<14} {row['rule']:<32} {row['first']}  {row['second']}")
            typer.echo(f"{'':14} {row['reason']}")
        typer.echo(f"{len(rows)} links")

    exit_with(with_store(store, show, must_exist=True, read_only=True))


@app.command("remove")
def remove_command(
    releases: Annotated[list[str], Arg(help="Release ids whose graphs to drop.")],
    store: StoreOption = DEFAULT_STORE,
) -> None:
    """Drop releases from the store and resolve again (their instruments go or lose a report)."""
    from graph.loading import remove_releases

    def remove(handle) -> int:
        removed = remove_releases(handle, releases)
        missing = sorted(set(releases) - set(removed))
        typer.echo(
            f"removed {counted(len(removed), 'release')}"
            + (f"; not in the store: {', '.join(missing)}" if missing else "")
        )
        return 1 if missing else 0

    exit_with(with_store(store, remove, must_exist=True))


def export_instruments(store: str, table: str, fmt: str, out: Path | None) -> None:
    """``seckg export --projection instruments|instrument-table --format csv --out FILE``."""
    from graph.analysis.instruments import (
        INSTRUMENT_COLUMNS,
        REPORT_COLUMNS,
        instrument_rows,
        report_rows,
        write_rows,
    )
    from graph.analysis.measures import COUNT_NOTE

    if fmt != "csv":
        raise fail(f"--projection {table} writes csv, not {fmt!r}", 2)
    if out is None:
        raise fail(f"--projection {table} needs --out FILE.csv", 2)
    prepare_out(out)

    def write(handle) -> None:
        if table == "instruments":
            path = write_rows(report_rows(handle), REPORT_COLUMNS, out)
            what = "one row per report"
        else:
            path = write_rows(instrument_rows(handle), INSTRUMENT_COLUMNS, out)
            what = "one row per instrument"
        typer.echo(f"wrote {path} ({what})", err=True)
        typer.echo(COUNT_NOTE, err=True)

    exit_with(with_store(store, write, must_exist=True, read_only=True))
