"""Ingestion, one module per stage: bytes on disk or on the web -> :class:`graph.model.Release` values.

- :mod:`graph.ingest.decode`: bytes -> text (encodings; empty, binary and size refusals) and
  :class:`IngestError`, the one-line error that names the file or URL;
- :mod:`graph.ingest.text`: text with an optional ``---`` header -> a release (title, date,
  language inferred when absent);
- :mod:`graph.ingest.html`: HTML pages; :mod:`graph.ingest.feeds`: RSS/Atom documents;
- :mod:`graph.ingest.records`: JSON and JSON Lines records;
- :mod:`graph.ingest.files`: files (regular files only), directories, batches;
- :mod:`graph.ingest.urls`: canonical URLs and URL ids (string functions);
- :mod:`graph.ingest.http`: the only module that opens a socket, imported only for a URL the user
  gave or, with ``fetch_linked``, for the pages that feed entries link to.

Imports go one way (decode <- text <- html <- feeds <- records <- files, http), so there is no cycle, and
importing this package does not import :mod:`graph.ingest.http`.

Examples
--------
Every stage is reachable from here (:mod:`graph.ingest.text` shows a header read in full):

>>> sorted(s for s in KNOWN_SUFFIXES if s in (".txt", ".html", ".jsonl", ".xml"))
['.html', '.jsonl', '.txt', '.xml']
>>> decode_bytes("Panamá y Costa Rica firmaron".encode("cp1252"), path="a.txt")
'Panamá y Costa Rica firmaron'
"""

from __future__ import annotations

from graph.ingest.decode import MAX_BYTES, IngestError, decode_bytes
from graph.ingest.files import (
    FEED_SUFFIXES,
    HTML_SUFFIXES,
    JSON_SUFFIXES,
    JSONL_SUFFIXES,
    KNOWN_SUFFIXES,
    TEXT_SUFFIXES,
    expand_paths,
    read_bytes,
    read_item,
    read_path,
    read_paths,
)
from graph.ingest.text import read_text
from graph.textmeta import detect_language, find_release_date, parse_date, text_id

__all__ = [
    "FEED_SUFFIXES",
    "HTML_SUFFIXES",
    "JSONL_SUFFIXES",
    "JSON_SUFFIXES",
    "KNOWN_SUFFIXES",
    "MAX_BYTES",
    "TEXT_SUFFIXES",
    "IngestError",
    "decode_bytes",
    "detect_language",
    "expand_paths",
    "find_release_date",
    "parse_date",
    "read_bytes",
    "read_item",
    "read_path",
    "read_paths",
    "read_text",
    "text_id",
]

IngestError.__module__ = "graph.ingest"  # its public name (tracebacks, doctests)
