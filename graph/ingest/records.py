"""JSON stage: JSON and JSON Lines documents -> releases, one per record.

A document is an object, a list of objects, or ``{"releases": [...]}`` (also ``items``,
``records``); text is in ``text``, ``body`` or ``content``, else ``html``. Every failure of the
JSON parser (invalid syntax, nesting too deep, an integer of more than 4,300 digits) is one
:class:`IngestError` naming the file (``file:line`` in JSON Lines). No I/O here.

Examples
--------
>>> from pathlib import Path
>>> [r.id for r in json_releases('[{"text": "Peru and Chile signed."}, {"id": "x", "body": "Hi."}]',
...                               Path("news.json"), None)]
['news-1', 'x']
>>> json_releases("[" * 100000, Path("deep.json"), None)
Traceback (most recent call last):
...
graph.ingest.IngestError: deep.json: invalid JSON: nested too deeply
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

from graph.ingest.decode import IngestError, clean_text, display_path
from graph.ingest.feeds import OnError
from graph.ingest.html import read_html
from graph.ingest.text import read_text
from graph.ingest.urls import canonical_url_id
from graph.model import Release
from graph.textmeta import parse_date

__all__ = ["json_releases", "jsonl_releases"]

_TEXT_FIELDS = ("text", "body", "content")


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
    if isinstance(obj.get("id"), (str, int)) and not isinstance(obj.get("id"), bool) and obj["id"] != "":
        rid = display_path(str(obj["id"]))  # no control character or line break in an id
    elif url_id and meta["url"]:
        rid = canonical_url_id(meta["url"])
    if text is None and isinstance(obj.get("html"), str):
        release = read_html(obj["html"], url=meta["url"], id=rid, path=path)
        extra = {k: clean_text(v) for k, v in meta.items() if v}
        date = parse_date(extra.pop("date")) if "date" in extra else release.date
        return dataclasses.replace(release, **extra, date=date)
    if text is None:
        raise IngestError(where, "no text field (expected 'text', 'body', 'content' or 'html')")
    try:
        return read_text(text, id=rid, path=path, defaults=meta)
    except IngestError as err:
        raise IngestError(where, err.reason) from None


def _load_json(data: str, where: str) -> Any:
    """``json.loads`` whose every failure is one :class:`IngestError` naming ``where``."""
    try:
        return json.loads(data)
    except json.JSONDecodeError as err:
        raise IngestError(where, f"invalid JSON: {err.msg} (line {err.lineno}, column {err.colno})") from None
    except RecursionError:
        raise IngestError(where, "invalid JSON: nested too deeply") from None
    except (ValueError, MemoryError) as err:  # e.g. an integer of more than 4300 digits
        raise IngestError(where, f"invalid JSON: {err}") from None


def json_releases(data: str, p: Path, on_error: OnError | None) -> list[Release]:
    doc = _load_json(data, str(p))
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


def jsonl_releases(data: str, p: Path, on_error: OnError | None) -> list[Release]:
    out = []
    seen = False
    for n, line in enumerate(data.replace("\r\n", "\n").split("\n"), 1):
        if not line.strip():
            continue
        seen = True
        where = f"{p}:{n}"
        try:
            obj = _load_json(line, where)
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
