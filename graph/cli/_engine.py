"""``--engine local|dask`` and ``--scheduler ADDRESS`` of ``seckg extract`` and ``seckg ingest``.

``local`` (the default) reads and extracts each input in a worker process of this machine (see
:mod:`graph.cli._batch`). ``dask`` runs the same :func:`~graph.extraction_worker.extract_item` on a Dask
cluster (:mod:`graph.distributed`): the scheduler at ``--scheduler``, or a local cluster of
``--jobs`` worker processes without it. Workers read the inputs themselves, so files must be
reachable by every worker at the same path (a shared or copied folder) and URLs are fetched by
the workers. Results come back in input order: the records are the same as the local engine's.

Limits differ: a task on a cluster cannot be stopped, so ``--time-limit`` does not apply there;
``--memory-limit`` is the memory limit of each worker of a local cluster (its nanny restarts a
worker over it, and the inputs of the task it ran are reported); a remote cluster has its own.

Examples
--------
>>> batch_results("local", None) is None
True
>>> run = batch_results("dask", None)
>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "a.txt").write_text("Panama and Mexico signed a memorandum on border security.")
>>> from graph.cli._batch import BatchOptions
>>> [[r.countries for r, _ in pairs] for pairs, _ in run([str(folder)], print, BatchOptions(jobs=1))]
[[('MEX', 'PAN')]]
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterator, Sequence
from typing import Annotated

import typer

from graph.cli._batch import BatchOptions
from graph.cli.options import choices, fail
from graph.distributed import DaskUnavailable, open_client, ordered_map, require_dask
from graph.extraction_worker import Result, extract_item
from graph.ingest import IngestError, expand_paths

__all__ = ["Engine", "EngineOption", "SchedulerOption", "batch_results"]

Engine = choices("Engine", ("local", "dask"))
EngineOption = Annotated[
    Engine,
    typer.Option(
        "--engine",
        help="Where inputs are extracted: local worker processes, or a Dask cluster (the `dask` extra).",
    ),
]
SchedulerOption = Annotated[
    str | None,
    typer.Option(
        "--scheduler",
        envvar="SECKG_SCHEDULER",
        help="Dask scheduler address (tcp://HOST:8786) for --engine dask; without it a local cluster "
        "of --jobs workers starts. Workers read the files: they must see the same paths.",
    ),
]

TASK_INPUTS = 8
"""Inputs per Dask task: fewer round trips through the scheduler than one task per file."""

Results = Callable[[Sequence[str], Callable[[IngestError], None], BatchOptions], Iterator[Result]]


def batch_results(engine: str, scheduler: str | None) -> Results | None:
    """The ``results`` function of :func:`~graph.cli._batch.extracted_releases` for ``engine``.

    ``None`` for the local engine (its own pool). For ``dask``, checks that Dask is installed now,
    so that a missing extra is one line before any work, and connects when the batch starts.
    Bad usage (``--scheduler`` without ``--engine dask``) and a missing extra end the command with
    a one-line ``error:``.
    """
    engine = Engine(engine).value
    if engine == "local":
        if scheduler:
            raise fail("--scheduler needs --engine dask", 2)
        return None
    try:
        require_dask()
    except DaskUnavailable as err:
        raise fail(str(err)) from err
    return functools.partial(_dask_results, scheduler=scheduler)


def _dask_results(
    paths: Sequence[str],
    report: Callable[[IngestError], None],
    options: BatchOptions,
    *,
    scheduler: str | None,
) -> Iterator[Result]:
    """``(pairs, errors)`` of each input, in input order, computed on the Dask cluster."""
    task = functools.partial(
        extract_item,
        fetch_linked=options.fetch_linked,
        allow_private=options.allow_private,
        as_json=options.as_json,
    )

    def failed(item, error: BaseException) -> Result:
        return [], [IngestError(item, f"the Dask worker failed: {type(error).__name__}: {error}")]

    workers = options.jobs or os.cpu_count() or 1
    with open_client(scheduler, workers=workers, memory_mb=options.memory_mb) as client:
        yield from ordered_map(
            client, task, expand_paths(paths, report), chunk=TASK_INPUTS, on_failure=failed
        )
