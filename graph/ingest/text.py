"""Text stage: a decoded document with an optional ``---`` metadata header -> a :class:`Release`.

The header's keys (``title``, ``date``, ``source``, ``url``, ``language``) win; what it does not
say is inferred from the body (title, release date, language). No I/O here.

Examples
--------
>>> r = read_text("---\\ntitle: Costa Rica and Canada sign a memorandum\\ndate: unknown\\n---\\n"
...               "San José, 4 de marzo de 2024. El Ministerio firmó hoy un memorando.", id="cr-1")
>>> (r.id, r.title, r.date, r.language, r.text[:8])
('cr-1', 'Costa Rica and Canada sign a memorandum', None, 'es', 'San José')
"""

from __future__ import annotations

import logging
from typing import Any

from graph.ingest.decode import IngestError, clean_text
from graph.ingest.markdown import markdown_text
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
    "read_text",
]

log = logging.getLogger(__name__)

_HEADER_KEYS = ("title", "date", "source", "url", "language")


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
    markdown: bool = False,
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
    markdown : bool
        The body is Markdown: it becomes the plain text a reader sees
        (:func:`graph.ingest.markdown.markdown_text`), which the offsets then index.

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
    text = clean_text(raw).lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    header, body = _split_header(text)
    body = normalize_text(markdown_text(body) if markdown else body)
    if not any(c.isalpha() for c in body):
        reason = "no text after the metadata header" if header is not None else "empty text"
        raise IngestError(where, reason if not body.strip() else f"{reason} (no letters)")
    given = (defaults or {}).items()
    meta: dict[str, Any] = {
        k: clean_text(v) if isinstance(v, str) else v for k, v in given if v is not None and v != ""
    }
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
    if language not in ("en", "es"):
        log.warning("%s: language %r: extraction is tuned for English and Spanish", where, language)
    title = meta.get("title")
    return Release(
        id=clean_text(id or meta.get("id") or text_id(body)),
        text=body,
        title=" ".join(title.split()) if title else None,
        date=date,
        source=meta.get("source"),
        url=meta.get("url"),
        language=language,
        path=path,
    )
