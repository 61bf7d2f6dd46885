"""Ingestion of files: bytes on disk -> :class:`graph.model.Release` values.

This is the input edge of the pipeline. It decodes text files (UTF-8 with or without BOM,
UTF-16/32 with BOM, else Windows-1252 / Latin-1 or a charset-normalizer guess), parses the
optional ``---`` metadata header, infers what the header does not say (title, release date,
language), reads JSON and JSON Lines records, and walks directories. HTML pages, URLs and
RSS/Atom feeds are handled by :mod:`graph.web`, imported only when needed.

Every failure is an :class:`IngestError` naming the file (or URL) and the reason on one line.
:func:`read_paths` reports failures to a callback and goes on with the rest of the batch.

Examples
--------
>>> r = read_text("---\\ntitle: Costa Rica and Canada sign a memorandum\\ndate: unknown\\n---\\n"
...               "San José, 4 de marzo de 2024. El Ministerio firmó hoy un memorando.", id="cr-1")
>>> (r.id, r.title, r.date, r.language, r.text[:8])
('cr-1', 'Costa Rica and Canada sign a memorandum', None, 'es', 'San José')
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from graph.model import Release
from graph.textmeta import (
    NULL_VALUES,
    detect_language,
    find_release_date,
    guess_title,
    normalize_language,
    normalize_text,
    parse_date,
    text_id,
)

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
    "find_release_date",
    "parse_date",
    "read_bytes",
    "read_path",
    "read_paths",
    "read_text",
    "text_id",
]

log = logging.getLogger(__name__)

#: Largest input accepted, in bytes (5 MiB), for a file, a fetched page or a feed. A press release
#: is a few kilobytes; anything this large is not one, and refusing it keeps memory bounded.
MAX_BYTES = 5 * 1024 * 1024

TEXT_SUFFIXES = frozenset({".txt", ".text", ".md", ".markdown"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
JSON_SUFFIXES = frozenset({".json"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
FEED_SUFFIXES = frozenset({".xml", ".rss", ".atom"})
#: Extensions picked up when walking a directory (a file named explicitly is always attempted).
KNOWN_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSON_SUFFIXES | JSONL_SUFFIXES | FEED_SUFFIXES

_HEADER_KEYS = ("title", "date", "source", "url", "language")
_TEXT_FIELDS = ("text", "body", "content")
_MAGIC = {
    b"%PDF-": "PDF document",
    b"\x89PNG": "PNG image",
    b"GIF8": "GIF image",
    b"\xff\xd8\xff": "JPEG image",
    b"PK\x03\x04": "ZIP archive or Office document",
    b"\x1f\x8b": "gzip archive",
    b"\x7fELF": "executable",
}
_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)


class IngestError(ValueError):
    """A release that could not be read; ``str()`` is ``"<path>: <reason>"`` on one line.

    Parameters
    ----------
    path : str or Path
        The file, URL or record that failed (``"<text>"`` for in-memory input).
    reason : str
        What went wrong, in a few words.

    Examples
    --------
    >>> str(IngestError("a/b.txt", "empty file"))
    'a/b.txt: empty file'
    """

    def __init__(self, path: str | os.PathLike[str], reason: str) -> None:
        self.path = str(path)
        self.reason = " ".join(str(reason).split())
        super().__init__(self.path, self.reason)

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


# --------------------------------------------------------------------------- decoding


def _looks_western(text: str) -> bool:
    """True when a single-byte decoding reads as Latin-script text, not mojibake.

    Accented letters in Western text sit inside mostly-ASCII words; Cyrillic, Greek or Arabic bytes
    read as cp1252 give words made of accented letters only, and C1 controls mean a wrong guess.
    """
    if any("\x80" <= c <= "\x9f" for c in text):
        return False
    words = re.findall(r"[^\W\d_]+", text)
    if not words:
        return True
    odd = sum(1 for w in words if 2 * sum(c > "\x7f" for c in w) > len(w))
    return odd <= max(1, len(words) // 5)


def decode_bytes(data: bytes, *, path: str = "<bytes>", encoding: str | None = None) -> str:
    """Decode the bytes of a text document, refusing empty, binary and undecodable input.

    Order: a declared ``encoding`` (e.g. from an HTTP header) when valid; a BOM (UTF-8, UTF-16,
    UTF-32); strict UTF-8; Windows-1252 (Latin-1 when cp1252 has no mapping) when the result is
    plausible Latin-script text; else charset-normalizer's best guess.

    Parameters
    ----------
    data : bytes
        The raw content.
    path : str
        Names the source in errors.
    encoding : str, optional
        A declared encoding, tried first (ignored when unknown or wrong).

    Returns
    -------
    str
        The text, with any BOM removed.

    Raises
    ------
    IngestError
        Empty input, binary content (NUL bytes, control characters, known binary signatures)
        or no workable encoding.

    Examples
    --------
    >>> decode_bytes("“Señal” — café".encode("cp1252"))
    '“Señal” — café'
    """
    if not data.strip():
        raise IngestError(path, "empty file" if not data else "empty file (only whitespace)")
    for magic, kind in _MAGIC.items():
        if data.startswith(magic):
            raise IngestError(path, f"binary file ({kind}), not text")
    text = None
    if encoding:
        try:
            text = data.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            log.debug("%s: declared encoding %r does not fit, sniffing", path, encoding)
    if text is None:
        for bom, codec in _BOMS:
            if data.startswith(bom):
                try:
                    text = data.decode(codec)
                except UnicodeDecodeError as err:
                    raise IngestError(
                        path, f"undecodable: invalid {codec} after its BOM ({err.reason})"
                    ) from None
                break
    if text is None:
        if b"\x00" in data:
            raise IngestError(path, "binary file (contains NUL bytes), not text")
        text = _decode_unmarked(data, path)
    text = text.lstrip("\ufeff")
    controls = sum(1 for c in text if (c < " " and c not in "\t\n\r\f\v") or c == "\x7f")
    if "\x00" in text or controls > max(2, len(text) // 50):
        raise IngestError(path, "binary file (control characters), not text")
    if not text.strip():
        raise IngestError(path, "empty file (only whitespace)")
    return text


def _decode_unmarked(data: bytes, path: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    if _looks_western(text):
        return text
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise IngestError(path, "undecodable: not UTF-8, UTF-16 or a recognised legacy encoding")
    log.info("%s: decoded as %s (charset-normalizer guess)", path, best.encoding)
    return str(best)


def read_bytes(path: str | os.PathLike[str]) -> bytes:
    """Read a file's bytes, refusing missing paths, directories and files over :data:`MAX_BYTES`.

    Examples
    --------
    >>> read_bytes("/no/such/file.txt")
    Traceback (most recent call last):
    ...
    graph.ingest.IngestError: /no/such/file.txt: not found
    """
    p = Path(path)
    if not p.exists():
        raise IngestError(p, "not found")
    if p.is_dir():
        raise IngestError(p, "is a directory (use read_paths to read its files)")
    try:
        size = p.stat().st_size
        if size > MAX_BYTES:
            raise IngestError(p, f"too large: {size} bytes (limit {MAX_BYTES})")
        with p.open("rb") as fh:
            data = fh.read(MAX_BYTES + 1)
    except OSError as err:
        raise IngestError(p, f"cannot read: {err.strerror or err}") from err
    if len(data) > MAX_BYTES:
        raise IngestError(p, f"too large: over {MAX_BYTES} bytes")
    return data


# --------------------------------------------------------------------------- text and header


def _split_header(text: str) -> tuple[dict[str, str | None] | None, str]:
    """Split a leading ``---`` block of ``key: value`` lines from the body."""
    lines = text.split("\n")
    start = 0
    while start < len(lines) and not lines[start].strip():
        start += 1
    if start >= len(lines) or lines[start].strip() != "---":
        return None, text
    meta: dict[str, str | None] = {}
    for end in range(start + 1, min(len(lines), start + 60)):
        line = lines[end].strip()
        if line == "---":
            if not meta:
                return None, text
            return meta, "\n".join(lines[end + 1 :])
        key, sep, value = line.partition(":")
        if sep and key.strip().replace("-", "_").replace("_", "").isalnum():
            value = value.strip()
            if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
                value = value[1:-1].strip()
            meta[key.strip().lower()] = None if value.lower() in NULL_VALUES else value
    return None, text


def read_text(
    raw: str,
    *,
    id: str | None = None,
    path: str | None = None,
    defaults: dict[str, Any] | None = None,
) -> Release:
    """Make a release from text with an optional ``---`` metadata header.

    The header's keys (``title``, ``date``, ``source``, ``url``, ``language``, in any order; other
    keys are ignored) win; a value ``unknown`` means ``None`` and nothing is inferred for it.
    Keys absent from the header come from ``defaults``, else are inferred: the title from a short
    first line without a final period, the date from a ``Release Date:`` line or a dateline
    near the top, the language by :func:`detect_language`. Line ends become ``\\n``, the text is
    NFC-normalized and surrounding blank lines are dropped.

    Parameters
    ----------
    raw : str
        The document (a leading BOM and CRLF line ends are tolerated).
    id : str, optional
        Release id; else the header's ``id``, else ``"sha-"`` + 16 hex digits of the text's hash.
    path : str, optional
        Where the text came from, kept on the release and used in errors.
    defaults : dict, optional
        Fallback metadata (``title``, ``date``, ``source``, ``url``, ``language``); ``None``
        values count as absent.

    Raises
    ------
    IngestError
        When no text remains after the header.

    Examples
    --------
    >>> r = read_text("Canada and Costa Rica Sign Memorandum\\n\\nOTTAWA, Dec. 3, 2019 – Today ...")
    >>> (r.title, r.date, r.id[:4])
    ('Canada and Costa Rica Sign Memorandum', '2019-12-03', 'sha-')
    """
    where = path or "<text>"
    text = raw.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    header, body = _split_header(text)
    body = normalize_text(body)
    if not body.strip():
        reason = "no text after the metadata header" if header is not None else "empty text"
        raise IngestError(where, reason)
    meta: dict[str, Any] = {k: v for k, v in (defaults or {}).items() if v not in (None, "")}
    if header is not None:
        meta.update({k: v for k, v in header.items() if k in (*_HEADER_KEYS, "id")})
    if "title" not in meta:
        meta["title"] = guess_title(body)
    if "date" in meta:
        date = parse_date(meta["date"]) if meta["date"] is not None else None
        if meta["date"] is not None and date is None:
            log.warning("%s: unreadable date %r, left empty", where, meta["date"])
    else:
        date = find_release_date(body)
    language = normalize_language(meta.get("language")) or detect_language(body)
    title = meta.get("title")
    return Release(
        id=id or meta.get("id") or text_id(body),
        text=body,
        title=" ".join(title.split()) if title else None,
        date=date,
        source=meta.get("source"),
        url=meta.get("url"),
        language=language,
        path=path,
    )


# --------------------------------------------------------------------------- JSON records

OnError = Callable[[IngestError], None]


def _record_release(obj: Any, *, where: str, rid: str, path: str, url_id: bool) -> Release:
    if not isinstance(obj, dict):
        raise IngestError(where, f"expected a JSON object, got {type(obj).__name__}")
    text = next((obj[k] for k in _TEXT_FIELDS if isinstance(obj.get(k), str) and obj[k].strip()), None)
    meta = {
        "title": obj.get("title") or obj.get("headline"),
        "date": obj.get("date") or obj.get("published") or obj.get("datePublished"),
        "source": obj.get("source") or obj.get("publisher"),
        "url": obj.get("url") or obj.get("link"),
        "language": obj.get("language") or obj.get("lang"),
    }
    meta = {k: (v if isinstance(v, str) else None) for k, v in meta.items()}
    if obj.get("id") not in (None, ""):
        rid = str(obj["id"])
    elif url_id and meta["url"]:
        from graph.web import canonical_url_id

        rid = canonical_url_id(meta["url"])
    if text is None and isinstance(obj.get("html"), str):
        from graph.web import read_html

        release = read_html(obj["html"], url=meta["url"], id=rid, path=path)
        extra = {k: v for k, v in meta.items() if v}
        if "date" in extra:
            extra["date"] = parse_date(extra["date"])
        return dataclasses.replace(release, **extra)
    if text is None:
        raise IngestError(where, "no text field (expected 'text', 'body', 'content' or 'html')")
    try:
        return read_text(text, id=rid, path=path, defaults=meta)
    except IngestError as err:
        raise IngestError(where, err.reason) from None


def _json_releases(data: str, p: Path, on_error: OnError | None) -> list[Release]:
    try:
        doc = json.loads(data)
    except json.JSONDecodeError as err:
        raise IngestError(p, f"invalid JSON: {err.msg} (line {err.lineno}, column {err.colno})") from None
    if isinstance(doc, dict) and not any(k in doc for k in (*_TEXT_FIELDS, "html")):
        doc = next((doc[k] for k in ("releases", "items", "records") if isinstance(doc.get(k), list)), doc)
    if isinstance(doc, dict):
        return [_record_release(doc, where=str(p), rid=p.stem, path=str(p), url_id=False)]
    if not isinstance(doc, list):
        raise IngestError(p, "JSON top level must be an object or a list of objects")
    if not doc:
        raise IngestError(p, "JSON list holds no records")
    out = []
    for n, obj in enumerate(doc, 1):
        where = f"{p} record {n}"
        try:
            out.append(_record_release(obj, where=where, rid=f"{p.stem}-{n}", path=str(p), url_id=True))
        except IngestError as err:
            _report(err, on_error)
    return out


def _jsonl_releases(data: str, p: Path, on_error: OnError | None) -> list[Release]:
    out = []
    seen = False
    for n, line in enumerate(data.replace("\r\n", "\n").split("\n"), 1):
        if not line.strip():
            continue
        seen = True
        where = f"{p}:{n}"
        try:
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as err:
                raise IngestError(where, f"invalid JSON: {err.msg} (column {err.colno})") from None
            out.append(_record_release(obj, where=where, rid=f"{p.stem}-{n}", path=str(p), url_id=True))
        except IngestError as err:
            _report(err, on_error)
    if not seen:
        raise IngestError(p, "empty file (no JSON lines)")
    return out


def _report(err: IngestError, on_error: OnError | None) -> None:
    if on_error is None:
        raise err
    on_error(err)


# --------------------------------------------------------------------------- files and batches


def _sniff(data: bytes) -> str | None:
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if re.search(rb"<(?:rss|feed|rdf:rdf)[\s>]", head) and b"<html" not in head:
        return "feed"
    if head.startswith((b"<!doctype html", b"<html")) or b"<html" in head[:512]:
        return "html"
    return None


def read_path(path: str | os.PathLike[str], *, on_error: OnError | None = None) -> list[Release]:
    """Read ONE file into its releases (one, or one per JSON record or feed entry).

    Dispatch by extension: text (``.txt``, ``.md``), HTML, JSON (an object, a list of objects, or
    ``{"releases": [...]}``; text in ``text``/``body``/``content``), JSON Lines, RSS/Atom
    (``.xml``, ``.rss``, ``.atom``). Other extensions are sniffed (feed, HTML, else text).
    The id is the file stem; a JSON record's id is its ``id`` field, else the hash of its ``url``
    (see :func:`graph.web.canonical_url_id`), else the stem plus ``-N`` (record number, or line
    number in JSON Lines); a lone JSON object takes the stem.

    Parameters
    ----------
    path : str or Path
        The file.
    on_error : callable, optional
        Receives the error of each bad record (JSON list item, JSON line, feed entry) so the
        others are still returned; without it the first bad record raises.

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
        from graph.web import read_feed_bytes

        if suffix == ".xml" and _sniff(data) != "feed":
            raise IngestError(p, "XML file is not an RSS or Atom feed")
        return read_feed_bytes(data, source=str(p), on_error=on_error)
    if kind == "html":
        from graph.web import read_html

        return [read_html(data, id=p.stem, path=str(p))]
    text = decode_bytes(data, path=str(p))
    if kind == "json":
        return _json_releases(text, p, on_error)
    if kind == "jsonl":
        return _jsonl_releases(text, p, on_error)
    return [read_text(text, id=p.stem, path=str(p))]


def _walk(root: Path) -> Iterator[Path]:
    """Files under ``root`` with a known extension, sorted, skipping hidden files and folders."""
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if not name.startswith(".") and Path(name).suffix.lower() in KNOWN_SUFFIXES:
                yield Path(dirpath) / name


def _log_error(err: IngestError) -> None:
    log.error("%s", err)


def read_paths(
    paths: Iterable[str | os.PathLike[str]],
    on_error: OnError | None = None,
) -> Iterator[Release]:
    """Read files, directories (recursively), URLs and feeds; yield releases in order.

    A directory contributes its files with a known extension (:data:`KNOWN_SUFFIXES`), sorted,
    hidden ones skipped. An ``http://`` or ``https://`` string is fetched (a page gives one
    release, a feed one per entry; see :func:`graph.web.fetch_releases`) with one HTTP client
    shared by the batch. Each failure (a whole file, or one record) goes to ``on_error``
    (default: logged at ERROR level) and the batch goes on.

    Examples
    --------
    >>> errors = []
    >>> list(read_paths(["/no/such/dir"], on_error=errors.append)), str(errors[0])
    ([], '/no/such/dir: not found')
    """
    report = on_error or _log_error
    client = None
    try:
        for item in paths:
            if isinstance(item, str) and item.lower().startswith(("http://", "https://")):
                from graph import web

                if client is None:
                    client = web.make_client()
                try:
                    yield from web.fetch_releases(item, client=client, on_error=report)
                except IngestError as err:
                    report(err)
                continue
            p = Path(item)
            files = list(_walk(p)) if p.is_dir() else [p]
            if p.is_dir() and not files:
                report(IngestError(p, "directory holds no readable files"))
            for f in files:
                try:
                    yield from read_path(f, on_error=report)
                except IngestError as err:
                    report(err)
    finally:
        if client is not None:
            client.close()
