"""``seckg extract``: releases in, one JSON extraction record per line out.

The workers send each record as the UTF-8 bytes of its JSON line (see
:mod:`graph.extraction_worker`); the command writes them as they come, to the ``--out`` file
or to standard output's byte stream, without decoding or encoding them again.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import BinaryIO

import typer
from rich.console import Console
from rich.progress import MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from graph.cli._app import app
from graph.cli._batch import BatchOptions, extracted_releases
from graph.cli._engine import EngineOption, SchedulerOption, batch_results
from graph.cli.options import (
    AllowPrivateOption,
    FetchLinkedOption,
    JobsOption,
    MemoryLimitOption,
    TimeLimitOption,
    fail,
    prepare_out,
)
from graph.distributed import EngineError
from graph.extraction_worker import DEFAULT_MEMORY_MB, DEFAULT_TIME_LIMIT
from graph.ingest import IngestError
from graph.model import Record

__all__ = ["extract_command"]

#: Bytes buffered before a write to the ``--out`` file (a record's line is some 12 KB: with the
#: default 8 KB buffer every line would be a system call of its own).
_OUT_BUFFER = 1 << 20


@app.command("extract")
def extract_command(
    paths: list[str] = typer.Argument(..., help="Files, directories, URLs or feeds to read."),
    out: Path | None = typer.Option(None, "--out", "-o", help="Write the JSON Lines here instead of stdout."),
    summary: bool = typer.Option(False, "--summary", help="Print a readable table instead of JSON Lines."),
    progress: bool = typer.Option(True, "--progress/--no-progress", help="Progress on a terminal (stderr)."),
    fetch_linked: FetchLinkedOption = False,
    allow_private: AllowPrivateOption = False,
    time_limit: TimeLimitOption = DEFAULT_TIME_LIMIT,
    jobs: JobsOption = 0,
    memory_limit: MemoryLimitOption = DEFAULT_MEMORY_MB,
    engine: EngineOption = "local",
    scheduler: SchedulerOption = None,
) -> None:
    """Extract countries, agencies, people, agreements and focus areas from releases.

    Prints one JSON record per release (JSON Lines), in the order given. A release that cannot
    be read is reported on stderr with its path and the reason; the others go on, and the exit
    status is 1 at the end if any failed.
    """
    if summary and out is not None:
        raise fail("--summary prints a table, --out writes the JSON Lines: give one of them", 2)
    results = batch_results(engine, scheduler)
    failures: list[IngestError] = []
    err = Console(stderr=True, highlight=False)

    def report(error: IngestError) -> None:
        failures.append(error)
        err.print(f"error: {error}", markup=False, soft_wrap=True)

    records: list[Record] = []
    stream = _open_out(out) if out is not None else None
    sink = stream or (None if summary else _stdout_bytes())
    bar = Progress(
        SpinnerColumn(), TextColumn("extracting"), MofNCompleteColumn(), TimeElapsedColumn(),
        TextColumn("{task.description}"), console=err,
        disable=not progress or not err.is_terminal or (out is None and not summary and sys.stdout.isatty()),
        transient=True,
    )  # fmt: skip
    task = bar.add_task("", total=None)
    try:
        bar.start()
        options = BatchOptions(
            fetch_linked, allow_private, time_limit, memory_limit, jobs, as_json=not summary
        )
        shown = not bar.disable
        for record, release in extracted_releases(paths, report, options, results):
            if shown:
                bar.update(task, advance=1, description=release.id)
            if isinstance(record, bytes):  # the JSON line, made by the worker
                assert sink is not None  # JSON lines are asked for when there is a sink (not --summary)
                sink.write(record + b"\n")
                if stream is None:
                    sink.flush()
            else:  # only the summary keeps the records: memory stays flat however long the batch
                records.append(record)
    except EngineError as engine_err:
        raise fail(str(engine_err)) from engine_err
    finally:
        bar.stop()
        if stream:
            stream.close()
    if summary:
        _print_summary(records, failures)
    if failures:
        raise typer.Exit(1)


def _open_out(out: Path) -> BinaryIO:
    """The ``--out`` file, its folders created, or the command ends with ``error: cannot write
    OUT: reason`` (a folder or a file in the way, no permission)."""
    prepare_out(out)
    try:
        return open(out, "wb", buffering=_OUT_BUFFER)  # the command closes it
    except OSError as err:
        raise fail(f"cannot write {out}: {err.strerror or err}") from err


def _stdout_bytes() -> BinaryIO:
    """Standard output as bytes (what was written to it as text before goes first)."""
    sys.stdout.flush()
    return sys.stdout.buffer


def _print_summary(records: list[Record], failures: list[IngestError]) -> None:
    console = Console(width=None if sys.stdout.isatty() else 160)
    table = Table(title=f"{len(records)} releases extracted", show_lines=False)
    for column in ("release", "date", "countries", "agreements", "focus areas"):
        table.add_column(column, overflow="fold")
    for r in records:
        deals = "; ".join(f"{a.type} ({', '.join(a.parties)})" for a in r.agreements) or "-"
        table.add_row(r.id, r.date or "?", " ".join(r.countries), deals, ", ".join(r.focus_areas))
    console.print(table)
    n_agreements = sum(len(r.agreements) for r in records)
    countries = sorted({c for r in records for c in r.countries})
    console.print(
        f"{n_agreements} reported agreements, {len(countries)} countries, "
        f"{len({p.name for r in records for p in r.people})} people, {len(failures)} failures"
    )
