"""Ingestion from the web, kept under its former name: HTML pages, URLs and RSS/Atom feeds.

The code lives in :mod:`graph.ingest` (one module per stage); this module re-exports its names
for existing callers. Importing it imports :mod:`graph.ingest.http` (and so httpx); code that
reads local files imports :mod:`graph.ingest` instead, which never opens a socket.

Examples
--------
>>> canonical_url_id("http://Example.gov/news/?utm_source=x#top") == canonical_url_id(
...     "https://example.gov/news")
True
"""

from __future__ import annotations

import os

from graph.ingest.feeds import SUMMARY_CHARS, OnError, is_feed, read_feed_bytes
from graph.ingest.files import read_feed_file
from graph.ingest.html import html_to_text, read_html
from graph.ingest.http import (
    TIMEOUT,
    USER_AGENT,
    LinkedPages,
    check_public_url,
    fetch_releases,
    make_client,
    read_feed_url,
    read_url,
)
from graph.ingest.urls import canonical_url, canonical_url_id, is_web_url
from graph.model import Release

__all__ = [
    "SUMMARY_CHARS",
    "TIMEOUT",
    "USER_AGENT",
    "LinkedPages",
    "canonical_url",
    "canonical_url_id",
    "check_public_url",
    "fetch_releases",
    "html_to_text",
    "is_feed",
    "make_client",
    "read_feed",
    "read_feed_bytes",
    "read_html",
    "read_url",
]


def read_feed(
    source: str | os.PathLike[str],
    *,
    client=None,
    on_error: OnError | None = None,
    fetch_linked: bool = False,
    allow_private: bool = False,
) -> list[Release]:
    """Read an RSS or Atom feed, a URL or a file, into one release per entry.

    Linked pages of teaser entries are fetched only with ``fetch_linked`` (public hosts only
    unless ``allow_private``). See :func:`graph.ingest.http.read_feed_url` and
    :func:`graph.ingest.files.read_feed_file`.
    """
    if is_web_url(source):
        return read_feed_url(
            str(source), client=client, on_error=on_error, fetch_linked=fetch_linked,
            allow_private=allow_private,
        )  # fmt: skip
    return read_feed_file(source, on_error=on_error, fetch_linked=fetch_linked, allow_private=allow_private)
