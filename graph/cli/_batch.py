"""Read and extract a batch of releases for the commands, reporting what cannot be used."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from graph.extract import extract
from graph.ingest import IngestError, read_paths
from graph.model import Record, Release

__all__ = ["BatchOptions", "extracted_releases"]


@dataclass(frozen=True)
class BatchOptions:
    """How a batch is read: network use for linked pages (off unless the user asks)."""

    fetch_linked: bool = False
    allow_private: bool = False


def extracted_releases(
    paths: Sequence[str], report: Callable[[IngestError], None], options: BatchOptions | None = None
) -> Iterator[tuple[Record, Release]]:
    """Yield ``(record, release)`` for every readable release under ``paths``.

    Unreadable input, an extractor failure and a release id already used earlier in the batch
    (two files named ``index.html`` in different folders would otherwise overwrite each other's
    graph) are passed to ``report`` and skipped; the batch goes on.
    """
    options = options or BatchOptions()
    seen: dict[str, str] = {}
    releases = read_paths(
        paths, on_error=report, fetch_linked=options.fetch_linked, allow_private=options.allow_private
    )
    for release in releases:
        where = release.path or release.url or release.id
        if release.id in seen:
            report(IngestError(where, f"release id {release.id!r} is already used by {seen[release.id]}"))
            continue
        seen[release.id] = where
        try:
            record = extract(release)
        except Exception as exc:  # an extractor bug must not stop the batch
            report(IngestError(where, f"extraction failed: {exc}"))
            continue
        yield record, release
