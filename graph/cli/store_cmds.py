"""Graph commands: ``ingest``, ``query``, ``export``, ``validate``, ``serve``.

All take ``--store`` (see :mod:`graph.cli.options`), so they chain without repeating anything::

    seckg ingest data/samples && seckg validate && seckg export --out out/graph.trig
    seckg query --name agreements-by-focus --param focus=cybersecurity
"""

from __future__ import annotations

import contextlib
import json
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)

from graph.cli._app import app
from graph.cli._engine import EngineOption, SchedulerOption, batch_results
from graph.cli.explore_cmds import PROJECTION_FORMATS, PROJECTION_NAMES, export_projection
from graph.cli.options import (
    DEFAULT_STORE,
    AllowPrivateOption,
    FetchLinkedOption,
    JobsOption,
    MemoryLimitOption,
    StoreOption,
    TextOrJson,
    TimeLimitOption,
    choices,
    counted,
    error,
    exit_with,
    fail,
    prepare_out,
    with_store,
)
from graph.cli.resolve_cmds import INSTRUMENT_TABLES, export_instruments
from graph.loading import load_records
from graph.model import Record, Release
from graph.namespaces import REFERENCE_GRAPH
from graph.remote import RemoteStore
from graph.store import EXPORT_FORMATS, graph_names, triple_count, write_export
from graph.store import export as export_bytes
from graph.store_lock import announce
from graph.triples import release_graph_iri

__all__ = ["export_command", "ingest_command", "query_command", "serve_command", "validate_command"]

_err = Console(stderr=True, highlight=False)

QUERY_FORMATS = ("table", "csv", "tsv", "json", "xml")
"""What ``seckg query --format`` prints (see :func:`graph.results.format_result`)."""
QueryFormat = choices("QueryFormat", QUERY_FORMATS)
ExportFormat = choices("ExportFormat", [*EXPORT_FORMATS, *PROJECTION_FORMATS])
Projection = choices("Projection", [*PROJECTION_NAMES, *INSTRUMENT_TABLES])


def _graph_iri(graph: str) -> str:
    if graph == "reference":
        return str(REFERENCE_GRAPH)
    if graph.startswith(("http://", "https://")):
        return graph
    return str(release_graph_iri(graph))


def _records_from_jsonl(path: str, failures: list[str]) -> Iterator[tuple[Record, None]]:
    """Records of a JSON Lines file (``-``: stdin), or of a ``.json`` file holding one record or a list."""
    try:
        handle = sys.stdin if path == "-" else open(path, encoding="utf-8")  # noqa: SIM115
    except OSError as err:
        failures.append(f"{path}: {err.strerror or err}")
        error(failures[-1])
        return
    from graph.contract import record_problems

    def kept(where: str, record: Record) -> bool:
        """The record keeps the contract; else one error line names it and what it breaks."""
        problems = record_problems(record)
        if problems:
            failures.append(f"{where}: record {record.id!r} breaks the contract: {'; '.join(problems)}")
            error(failures[-1])
        return not problems

    with handle:
        if path.lower().endswith(".json"):
            try:
                data = json.load(handle)
                items = data if isinstance(data, list) else [data]
                records = [Record.from_dict(item) for item in items]
            except (ValueError, TypeError, RecursionError) as err:
                failures.append(f"{path}: {err}")
                error(failures[-1])
                return
            for record in records:
                if kept(path, record):
                    yield record, None
            return
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                record = Record.from_dict(json.loads(line))
            except (ValueError, TypeError, RecursionError) as err:
                failures.append(f"{path}:{number}: {err}")
                error(failures[-1])
                continue
            if kept(f"{path}:{number}", record):
                yield record, None


def _extracted(
    paths: list[str], failures: list[str], options=None, results=None
) -> Iterator[tuple[Record, Release]]:
    from graph.cli._batch import extracted_releases

    def report(problem: Exception) -> None:
        failures.append(str(problem))
        error(str(problem))

    for record, release in extracted_releases(paths, report, options, results):
        if not isinstance(record, Record) or not isinstance(release, Release):
            raise TypeError("ingest reads records, not JSON lines")  # options.as_json is for extract
        yield record, release


Opt = typer.Option
Arg = typer.Argument


@app.command("ingest")
def ingest_command(
    paths: Annotated[
        list[str] | None, Arg(help="Release files, directories, URLs or feeds to extract.")
    ] = None,
    records: Annotated[
        list[str] | None,
        Opt("--records", help="JSON Lines printed by `seckg extract` ('-': stdin), or .json record files."),
    ] = None,
    store: StoreOption = DEFAULT_STORE,
    force: Annotated[bool, Opt("--force", help="Rewrite graphs even when their input is unchanged.")] = False,
    chunk: Annotated[int, Opt("--chunk", min=1, help="Triples per request to a remote server.")] = 5000,
    progress: Annotated[bool, Opt("--progress/--no-progress", help="Progress bar on a terminal.")] = True,
    fetch_linked: FetchLinkedOption = False,
    allow_private: AllowPrivateOption = False,
    time_limit: TimeLimitOption = 60.0,
    jobs: JobsOption = 0,
    memory_limit: MemoryLimitOption = 2048,
    engine: EngineOption = "local",
    scheduler: SchedulerOption = None,
) -> None:
    """Extract releases (or read records) and load them into the store, one named graph each.

    A release whose content and extractor version are unchanged is left as it is; a changed one
    replaces its graph as a whole. With ``--records``, ``.json`` and ``.jsonl`` paths are read as
    records too (``--records gold/*.json``). Afterwards the reports are resolved into instruments
    across releases. Prints a summary; exits 1 if any release or record failed.
    """
    if not paths and not records:
        raise fail("give release paths to extract, or --records FILE.jsonl", 2)
    if records:  # with --records, JSON files among the paths are records too: --records gold/*.json
        records = [*records, *(p for p in paths or [] if p.lower().endswith((".json", ".jsonl")))]
        paths = [p for p in paths or [] if not p.lower().endswith((".json", ".jsonl"))]
    results = batch_results(engine, scheduler)
    failures: list[str] = []

    def items() -> Iterator[tuple[Record, Release | None]]:
        for path in records or []:
            yield from _records_from_jsonl(path, failures)
        if paths:
            from graph.cli._batch import BatchOptions

            options = BatchOptions(fetch_linked, allow_private, time_limit, memory_limit, jobs)
            yield from _extracted(paths, failures, options, results)

    def ingest(handle) -> int:
        if isinstance(handle, RemoteStore):
            handle.chunk_triples = chunk
        bar = Progress(
            SpinnerColumn(), TextColumn("ingesting"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
            TextColumn("{task.description}"), console=_err, disable=not progress or not _err.is_terminal,
            transient=True,
        )  # fmt: skip
        with bar:
            task = bar.add_task("", total=None)
            summary = load_records(
                handle,
                items(),
                force=force,
                on_result=lambda r: bar.update(task, advance=1, description=r.release_id),
            )
        total, graphs = triple_count(handle), len(graph_names(handle))
        releases = summary.added + summary.replaced + summary.unchanged
        typer.echo(
            f"{counted(releases, 'release')} ({summary.added} added, {summary.replaced} replaced, "
            f"{summary.unchanged} unchanged), {counted(summary.triples_written, 'triple')} written, "
            f"{counted(len(failures), 'failure')}; store {store} holds {counted(total, 'triple')} in "
            f"{counted(graphs, 'graph')}"
        )
        if summary.resolution is not None:
            res = summary.resolution
            typer.echo(
                f"resolved {counted(res.reports, 'report')} into {counted(res.instruments, 'instrument')} "
                f"({res.merges} merged, {res.possible} possibly the same)"
            )
        return 1 if failures else 0

    exit_with(with_store(store, ingest))


def _answer_size(result) -> str:
    """What an answer holds, for people: ``12 rows``, ``1 row``, ``yes``, ``40 triples``."""
    if result.form == "ASK":
        return "yes" if result.boolean else "no"
    count, unit = (len(result.rows), "row") if result.form == "SELECT" else (len(result.triples), "triple")
    return f"{count} {unit}{'' if count == 1 else 's'}" + (" (truncated)" if result.truncated else "")


@app.command("query")
def query_command(
    source: Annotated[str | None, Arg(help="SPARQL text, or a .rq file.")] = None,
    name: Annotated[str | None, Opt("--name", "-n", help="A saved query (ontology/queries/NAME.rq).")] = None,
    param: Annotated[
        list[str] | None, Opt("--param", "-p", help="NAME=VALUE, bound as an RDF term (repeatable).")
    ] = None,
    fmt: Annotated[QueryFormat, Opt("--format", "-f", help="How to print the answer.")] = "table",
    max_rows: Annotated[int | None, Opt("--max-rows", min=0, help="Keep at most this many rows.")] = None,
    list_saved: Annotated[bool, Opt("--list", help="List the saved queries and their questions.")] = False,
    store: StoreOption = DEFAULT_STORE,
) -> None:
    """Run a SPARQL query (text, file or saved query) and print the answer.

    The default graph is the union of all graphs; prefixes such as seckg:, country:, focus:,
    org:, dcterms: are predeclared. Parameters are bound as RDF terms, never pasted into the text.
    """
    from graph.query import (
        QueryError,
        load_saved_query,
        parse_param_args,
        read_query_source,
        run_query,
        saved_queries,
    )
    from graph.results import format_result

    fmt = QueryFormat(fmt).value
    if list_saved:
        for saved in saved_queries():
            params = " ".join(
                f"--param {p.name}=<{p.kind}>" + (f" (default {p.default})" if p.default else "")
                for p in saved.params
            )
            typer.echo(f"{saved.name}: {saved.question}" + (f"\n    {params}" if params else ""))
        return
    if source is None and name is None:
        raise fail(
            "give a query: SPARQL text, a .rq file, or --name NAME (a saved query; --list lists them)", 2
        )
    if source is not None and name is not None:
        raise fail("give a query (text or .rq file) or --name NAME, not both", 2)
    try:
        if source is not None:
            text, declared = read_query_source(source), None
        else:
            assert name is not None  # checked above: one of them is given
            saved = load_saved_query(name)
            text, declared = saved.text, saved.params
        values = parse_param_args(param or [])
    except QueryError as err:
        raise fail(str(err)) from err

    def query(handle) -> None:
        started = time.perf_counter()
        result = run_query(handle, text, params=values, declared=declared, max_rows=max_rows)
        seconds = time.perf_counter() - started
        typer.echo(format_result(result, fmt).rstrip("\n"))
        typer.echo(f"{_answer_size(result)} in {seconds:.3f} s", err=True)  # stderr: stdout stays the answer

    exit_with(with_store(store, query, must_exist=True, read_only=True))


@app.command("export")
def export_command(
    fmt: Annotated[
        ExportFormat,
        Opt(
            "--format",
            "-f",
            help="An RDF format; graphml, gexf or csv for a projection.",
        ),
    ] = "trig",
    out: Annotated[Path | None, Opt("--out", "-o", help="Write here (atomically) instead of stdout.")] = None,
    graph: Annotated[
        str | None, Opt("--graph", "-g", help="Only this graph: a release id, 'reference' or an IRI.")
    ] = None,
    projection: Annotated[
        Projection | None,
        Opt(
            "--projection",
            help="typed, countries, country-focus or agencies: a networkx projection; instruments (one CSV "
            "row per report) or instrument-table (one per instrument).",
        ),
    ] = None,
    store: StoreOption = DEFAULT_STORE,
) -> None:
    """Write the whole dataset (or one graph) in an RDF format, or a projection for Gephi or spreadsheets.

    ``--projection`` (``--format graphml``, ``gexf``, or ``csv``: ``nodes.csv`` and ``edges.csv``
    in the ``--out`` directory) writes a networkx projection; see ``graph.analysis.projections``.
    """
    fmt, projection = ExportFormat(fmt).value, Projection(projection).value if projection else None
    if projection in INSTRUMENT_TABLES:
        export_instruments(store, projection, fmt, out)
        return
    if projection is not None or fmt in PROJECTION_FORMATS:
        export_projection(store, projection or "typed", fmt, out, graph)
        return
    if fmt not in EXPORT_FORMATS:
        raise fail(f"unknown format {fmt!r} ({', '.join(EXPORT_FORMATS)})", 2)
    selected = _graph_iri(graph) if graph else None
    prepare_out(out)

    def write(handle) -> None:
        if out is None:
            sys.stdout.buffer.write(export_bytes(handle, fmt, graph=selected))
            sys.stdout.flush()
        else:
            size = write_export(handle, out, fmt, graph=selected)
            typer.echo(f"wrote {out} ({size} bytes)", err=True)

    exit_with(with_store(store, write, must_exist=True, read_only=True))


@app.command("validate")
def validate_command(
    graph: Annotated[str | None, Opt("--graph", "-g", help="Only this release graph (id or IRI).")] = None,
    fmt: Annotated[TextOrJson, Opt("--format", "-f", help="Text for reading or JSON.")] = "text",
    store: StoreOption = DEFAULT_STORE,
) -> None:
    """Check the graph against the SHACL shapes; exits 1 when there is a violation (warnings pass)."""
    from graph.validate import validate_store

    fmt = TextOrJson(fmt).value

    def check(handle) -> int:
        report = validate_store(handle, graph=_graph_iri(graph) if graph else None)
        if fmt == "json":
            issues = [issue.__dict__ for issue in report.issues]
            counts = {"graphs": report.graphs, "triples": report.triples, "distinct": report.distinct}
            typer.echo(json.dumps({"conforms": report.conforms, **counts, "issues": issues}, indent=1))
        else:
            typer.echo(report.text())
        return 0 if report.conforms else 1

    exit_with(with_store(store, check, must_exist=True, read_only=True))


@app.command("serve")
def serve_command(
    store: StoreOption = DEFAULT_STORE,
    host: Annotated[str, Opt("--host", help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, Opt("--port", min=0, max=65535, help="Port (0: any free port).")] = 7878,
    writable: Annotated[bool, Opt("--writable", help="Accept SPARQL updates (off by default).")] = False,
    timeout: Annotated[float, Opt("--timeout", min=0.1, help="Seconds a query may run.")] = 10.0,
    max_rows: Annotated[int, Opt("--max-rows", min=1, help="Most rows in one answer.")] = 10_000,
    viewer: Annotated[
        Path | None, Opt("--viewer", help="HTML served at /viewer (default: the viewer of the served store).")
    ] = None,
    allow_host: Annotated[
        list[str] | None, Opt("--allow-host", help="Extra Host header value to accept.")
    ] = None,
    max_memory: Annotated[int, Opt("--max-memory", min=64, help="MiB of memory each query may use.")] = 1024,
    max_answer: Annotated[int, Opt("--max-answer", min=1, help="MiB of the largest answer.")] = 64,
    cors: Annotated[
        bool, Opt("--cors", help="Let pages of any origin query /query (Access-Control-Allow-Origin: *).")
    ] = False,
) -> None:
    """Serve the store as a SPARQL 1.1 Protocol endpoint at /query, with a query page for browsers
    and a service description (read-only by default)."""
    from graph.server import make_server, run_until_interrupted

    def run_server(handle) -> int:
        try:
            server = make_server(
                handle, host=host, port=port, writable=writable, timeout=timeout, max_rows=max_rows,
                viewer=viewer, allowed_hosts=tuple(allow_host or ()), max_memory_mb=max_memory,
                max_answer_mb=max_answer, cors=cors,
            )  # fmt: skip
        except OSError as err:
            error(f"cannot listen on {host}:{port}: {err}")
            return 1
        mode = ("writable" if writable else "read-only") + (", CORS" if cors else "")
        url = f"http://{server.authority}"
        local = not isinstance(handle, RemoteStore) and store != ":memory:"
        with announce(store, url) if local else contextlib.nullcontext():

            def banner() -> None:  # once the address is announced and SIGTERM handled
                typer.echo(f"SPARQL endpoint {url}/query ({mode}); Ctrl-C stops")
                sys.stdout.flush()

            run_until_interrupted(server, ready=banner)
        return 0

    exit_with(with_store(store, run_server, must_exist=True, read_only=not writable))
