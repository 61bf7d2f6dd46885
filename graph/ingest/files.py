"""Files stage: paths on disk -> releases. Reads files (regular files only, size-capped), JSON and
JSON Lines records, walks directories, and dispatches HTML and feeds to their stages.

A local file never causes a network request: a feed file's teaser entries keep their summaries
unless the caller passes ``fetch_linked=True``, and only then is :mod:`graph.ingest.http` imported.
Every failure is an :class:`IngestError` naming the file; :func:`read_paths` reports it and goes
on with the rest of the batch.

Examples
--------
>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> _ = (d / "cr.txt").write_text("Costa Rica and Canada sign a memorandum on border security.")
>>> _ = (d / "empty.txt").write_text("")
>>> errors = []
>>> [r.id for r in read_paths([d], on_error=errors.append)], len(errors)
(['cr'], 1)
"""

from __future__ import annotations

import logging
import os
import re
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from graph.ingest.decode import MAX_BYTES, IngestError, decode_bytes, prose_problem
from graph.ingest.feeds import OnError, read_feed_bytes
from graph.ingest.html import read_html
from graph.ingest.records import json_releases, jsonl_releases
from graph.ingest.text import read_text
from graph.ingest.urls import is_web_url
from graph.model import Release

__all__ = [
    "FEED_SUFFIXES",
    "HTML_SUFFIXES",
    "JSONL_SUFFIXES",
    "JSON_SUFFIXES",
    "KNOWN_SUFFIXES",
    "TEXT_SUFFIXES",
    "OnError",
    "expand_paths",
    "read_bytes",
    "read_feed_file",
    "read_item",
    "read_path",
    "read_paths",
    "walk",
]

log = logging.getLogger(__name__)

TEXT_SUFFIXES = frozenset({".txt", ".text", ".md", ".markdown"})
MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
JSON_SUFFIXES = frozenset({".json"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
FEED_SUFFIXES = frozenset({".xml", ".rss", ".atom"})
#: Extensions picked up when walking a directory (a file named explicitly is always attempted).
KNOWN_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSON_SUFFIXES | JSONL_SUFFIXES | FEED_SUFFIXES


_SPECIAL = (
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


def _special_kind(mode: int) -> str | None:
    if stat.S_ISREG(mode):
        return None
    return next((kind for test, kind in _SPECIAL if test(mode)), "not a regular file")


def read_bytes(path: str | os.PathLike[str]) -> bytes:
    """Read a file's bytes, refusing missing paths, directories, special files (FIFOs, devices,
    sockets: refused before reading, so nothing blocks) and files over :data:`MAX_BYTES`.

    Examples
    --------
    >>> read_bytes("/no/such/file.txt")
    Traceback (most recent call last):
    ...
    graph.ingest.IngestError: /no/such/file.txt: not found
    >>> read_bytes("/dev/zero")
    Traceback (most recent call last):
    ...
    graph.ingest.IngestError: /dev/zero: a character device, not a regular file
    """
    p = Path(path)
    try:
        info = os.stat(p)
    except FileNotFoundError:
        raise IngestError(p, "not found") from None
    except (OSError, ValueError) as err:
        raise IngestError(p, f"cannot read: {getattr(err, 'strerror', None) or err}") from None
    if stat.S_ISDIR(info.st_mode):
        raise IngestError(p, "is a directory (use read_paths to read its files)")
    kind = _special_kind(info.st_mode)
    if kind:
        raise IngestError(p, f"{kind}, not a regular file")
    if info.st_size > MAX_BYTES:
        raise IngestError(p, f"too large: {info.st_size} bytes (limit {MAX_BYTES})")
    try:
        fd = os.open(p, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
        with os.fdopen(fd, "rb") as fh:
            kind = _special_kind(os.fstat(fh.fileno()).st_mode)  # swapped since the check?
            if kind:
                raise IngestError(p, f"{kind}, not a regular file")
            data = fh.read(MAX_BYTES + 1)
    except OSError as err:
        raise IngestError(p, f"cannot read: {err.strerror or err}") from None
    if len(data) > MAX_BYTES:
        raise IngestError(p, f"too large: over {MAX_BYTES} bytes")
    return data


def _sniff(data: bytes) -> str | None:
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if re.search(rb"<(?:rss|feed|rdf:rdf)[\s>]", head) and b"<html" not in head:
        return "feed"
    if head.startswith((b"<!doctype html", b"<html")) or b"<html" in head[:512]:
        return "html"
    return None


def read_path(
    path: str | os.PathLike[str],
    *,
    on_error: OnError | None = None,
    fetch_linked: bool = False,
    allow_private: bool = False,
) -> list[Release]:
    """Read ONE file into its releases (one, or one per JSON record or feed entry).

    Dispatch by extension: text (``.txt``, ``.md``), HTML, JSON (an object, a list of objects, or
    ``{"releases": [...]}``; text in ``text``/``body``/``content``), JSON Lines, RSS/Atom
    (``.xml``, ``.rss``, ``.atom``). Other extensions are sniffed (feed, HTML, else text).
    The id is the file stem; a JSON record's id is its ``id`` field, else the hash of its ``url``
    (see :func:`graph.ingest.urls.canonical_url_id`), else the stem plus ``-N`` (record number, or line
    number in JSON Lines); a lone JSON object takes the stem.

    Parameters
    ----------
    path : str or Path
        The file.
    on_error : callable, optional
        Receives the error of each bad record (JSON list item, JSON line, feed entry) so the
        others are still returned; without it the first bad record raises.
    fetch_linked, allow_private : bool
        Fetch the linked page of a feed entry that holds only a teaser (off: a local file never
        causes a network request), and allow non-public hosts for it (see
        :class:`graph.ingest.http.LinkedPages`).

    Raises
    ------
    IngestError
        The file cannot be read at all (not found, empty, binary, too large, invalid JSON...).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "cr.txt").write_text("Costa Rica and Canada sign a memorandum on border security.")
    >>> [r.id for r in read_path(d / "cr.txt")]
    ['cr']
    """
    p = Path(path)
    data = read_bytes(p)
    suffix = p.suffix.lower()
    kind = (
        {
            **dict.fromkeys(TEXT_SUFFIXES, "text"),
            **dict.fromkeys(HTML_SUFFIXES, "html"),
            **dict.fromkeys(JSON_SUFFIXES, "json"),
            **dict.fromkeys(JSONL_SUFFIXES, "jsonl"),
            **dict.fromkeys(FEED_SUFFIXES, "feed"),
        }.get(suffix)
        or _sniff(data)
        or "text"
    )
    if kind == "feed" or (kind == "html" and _sniff(data) == "feed"):
        if suffix == ".xml" and _sniff(data) != "feed":
            raise IngestError(p, "XML file is not an RSS or Atom feed")
        return _feed_releases(data, str(p), on_error, fetch_linked, allow_private)
    if kind == "html":
        return [read_html(data, id=p.stem, path=str(p))]
    text = decode_bytes(data, path=str(p))
    if kind == "json":
        return json_releases(text, p, on_error)
    if kind == "jsonl":
        return jsonl_releases(text, p, on_error)
    problem = prose_problem(text)
    if problem:
        raise IngestError(p, problem)
    return [read_text(text, id=p.stem, path=str(p), markdown=suffix in MARKDOWN_SUFFIXES)]


def _feed_releases(
    data: bytes, source: str, on_error: OnError | None, fetch_linked: bool, allow_private: bool
) -> list[Release]:
    if not fetch_linked:
        return read_feed_bytes(data, source=source, on_error=on_error)
    from graph.ingest.http import LinkedPages  # the network, only on the user's request

    with LinkedPages(allow_private=allow_private) as pages:
        return read_feed_bytes(data, source=source, fetch_page=pages, on_error=on_error)


def read_feed_file(
    path: str | os.PathLike[str],
    *,
    on_error: OnError | None = None,
    fetch_linked: bool = False,
    allow_private: bool = False,
) -> list[Release]:
    """Read an RSS or Atom file into one release per entry (see :func:`read_path`).

    Raises
    ------
    IngestError
        The file cannot be read, or is not a feed.
    """
    return _feed_releases(read_bytes(path), str(path), on_error, fetch_linked, allow_private)


def walk(root: Path) -> Iterator[Path]:
    """Files under ``root`` with a known extension, sorted, skipping hidden files and folders."""
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        folder = Path(dirpath)
        for name in sorted(filenames):
            if not name.startswith(".") and os.path.splitext(name)[1].lower() in KNOWN_SUFFIXES:
                yield folder / name


def _log_error(err: IngestError) -> None:
    log.error("%s", err)


def expand_paths(paths: Iterable[str | os.PathLike[str]], on_error: OnError) -> Iterator[str | Path]:
    """The items of a batch: URLs as given, directories replaced by their files (see :func:`walk`).

    Examples
    --------
    >>> errors = []
    >>> list(expand_paths(["https://example.gov/a", "/no/such/dir"], errors.append))
    ['https://example.gov/a', PosixPath('/no/such/dir')]
    """
    for item in paths:
        if is_web_url(item):
            yield str(item)
            continue
        p = Path(item)
        try:
            is_dir = p.is_dir()
        except (OSError, ValueError):
            is_dir = False
        if not is_dir:
            yield p
            continue
        files = list(walk(p))
        if not files:
            on_error(IngestError(p, "directory holds no readable files"))
        yield from files


def read_item(
    item: str | os.PathLike[str],
    *,
    on_error: OnError | None = None,
    fetch_linked: bool = False,
    allow_private: bool = False,
    client: Any = None,
) -> list[Release]:
    """Read one URL or one file; any failure of any parser is one :class:`IngestError` naming it.

    Examples
    --------
    >>> read_item("/no/such/file.json")
    Traceback (most recent call last):
    ...
    graph.ingest.IngestError: /no/such/file.json: not found
    """
    try:
        if is_web_url(item):
            from graph.ingest.http import fetch_releases  # a URL: the user asked for the network

            return fetch_releases(
                str(item), client=client, on_error=on_error, fetch_linked=fetch_linked,
                allow_private=allow_private,
            )  # fmt: skip
        return read_path(item, on_error=on_error, fetch_linked=fetch_linked, allow_private=allow_private)
    except IngestError:
        raise
    except RecursionError:
        raise IngestError(item, "unreadable: nested too deeply") from None
    except MemoryError:
        raise IngestError(item, "unreadable: out of memory") from None
    except Exception as err:  # a parser failing on hostile input must not stop the batch
        log.debug("%s: unexpected parser failure", item, exc_info=True)
        raise IngestError(item, f"unreadable: {type(err).__name__}: {err}") from None


def read_paths(
    paths: Iterable[str | os.PathLike[str]],
    on_error: OnError | None = None,
    *,
    fetch_linked: bool = False,
    allow_private: bool = False,
) -> Iterator[Release]:
    """Read files, directories (recursively), URLs and feeds; yield releases in order.

    A directory contributes its files with a known extension (:data:`KNOWN_SUFFIXES`), sorted,
    hidden ones skipped. An ``http://`` or ``https://`` string is fetched (a page gives one
    release, a feed one per entry; see :func:`graph.ingest.http.fetch_releases`) with one HTTP
    client shared by the batch; nothing else touches the network (``fetch_linked``: also the
    pages that feed entries link to). Each failure (a whole file, or one record) goes to
    ``on_error`` (default: logged at ERROR level) and the batch goes on.

    Examples
    --------
    >>> errors = []
    >>> list(read_paths(["/no/such/dir"], on_error=errors.append)), str(errors[0])
    ([], '/no/such/dir: not found')
    """
    report = on_error or _log_error
    client = None
    try:
        for item in expand_paths(paths, report):
            if client is None and is_web_url(item):
                from graph.ingest.http import make_client

                client = make_client()
            try:
                yield from read_item(
                    item, on_error=report, fetch_linked=fetch_linked, allow_private=allow_private,
                    client=client,
                )  # fmt: skip
            except IngestError as err:
                report(err)
    finally:
        if client is not None:
            client.close()
