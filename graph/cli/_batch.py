"""Read and extract a batch of releases for the commands, reporting what cannot be used.

Each input is read and extracted by a worker process under a time and a memory limit (see
:mod:`graph.cli._worker`); whatever one input does, the batch goes on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import nullcontext
from dataclasses import dataclass

from graph.cli._worker import DEFAULT_MEMORY_MB, DEFAULT_TIME_LIMIT, ExtractWorker, extract_item
from graph.ingest import IngestError, expand_paths
from graph.model import Record, Release

__all__ = ["BatchOptions", "extracted_releases"]


@dataclass(frozen=True)
class BatchOptions:
    """How a batch is read: network use for linked pages (off unless the user asks) and the
    limits of each input (``time_limit`` 0: no worker process, no limits)."""

    fetch_linked: bool = False
    allow_private: bool = False
    time_limit: float = DEFAULT_TIME_LIMIT
    memory_mb: int | None = DEFAULT_MEMORY_MB


def extracted_releases(
    paths: Sequence[str], report: Callable[[IngestError], None], options: BatchOptions | None = None
) -> Iterator[tuple[Record, Release]]:
    """Yield ``(record, release)`` for every readable release under ``paths``.

    Unreadable input, an input over its time or memory limit, an extractor failure and a
    release id already used earlier in the batch (two files named ``index.html`` in different
    folders would otherwise overwrite each other's graph) are passed to ``report`` and skipped;
    the batch goes on.
    """
    options = options or BatchOptions()
    seen: dict[str, str] = {}
    limited = options.time_limit > 0
    worker = (
        ExtractWorker(
            time_limit=options.time_limit, memory_mb=options.memory_mb,
            fetch_linked=options.fetch_linked, allow_private=options.allow_private,
        )
        if limited
        else None
    )  # fmt: skip
    with worker or nullcontext():
        for item in expand_paths(paths, report):
            if worker is not None:
                pairs, errors = worker.run(item)
            else:
                pairs, errors = extract_item(
                    item, fetch_linked=options.fetch_linked, allow_private=options.allow_private
                )
            for error in errors:
                report(error)
            for record, release in pairs:
                where = release.path or release.url or release.id
                if release.id in seen:
                    report(
                        IngestError(where, f"release id {release.id!r} is already used by {seen[release.id]}")
                    )
                    continue
                seen[release.id] = where
                yield record, release
