"""Feeds stage: an RSS or Atom document in memory -> one :class:`Release` per entry.

feedparser only parses bytes we hand it (it never fetches). An entry's text is its full content,
else its summary. Nothing here opens a connection: an entry that holds only a teaser keeps its
teaser unless the caller passes ``fetch_page`` (see :mod:`graph.ingest.http`, used only when the
user asks for linked pages).

Examples
--------
>>> feed = (b"<?xml version='1.0'?><rss version='2.0'><channel><title>News</title><item>"
...         b"<title>Peru and Chile</title><link>http://127.0.0.1:9/x</link>"
...         b"<description>Peru and Chile signed a memorandum.</description></item></channel></rss>")
>>> [(r.title, r.text) for r in read_feed_bytes(feed, source="news.rss")]
[('Peru and Chile', 'Peru and Chile signed a memorandum.')]
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Callable
from typing import Any

from graph.ingest.decode import IngestError
from graph.ingest.html import html_to_text
from graph.ingest.text import read_text
from graph.ingest.urls import canonical_url_id, is_web_url
from graph.model import Release
from graph.textmeta import normalize_language, parse_date

__all__ = [
    "SUMMARY_CHARS",
    "FetchPage",
    "OnError",
    "is_feed",
    "read_feed_bytes",
]

log = logging.getLogger(__name__)

#: A feed entry whose own text is shorter than this is only a teaser: its linked page is fetched.
SUMMARY_CHARS = 400
OnError = Callable[[IngestError], None]
#: Fetches a linked page (given only when the user asks for linked pages).
FetchPage = Callable[[str], Release]


def is_feed(data: bytes) -> bool:
    """True when the bytes start like an RSS or Atom document.

    Examples
    --------
    >>> is_feed(b'<?xml version="1.0"?><rss version="2.0"><channel/></rss>'), is_feed(b"<html></html>")
    (True, False)
    """
    head = data[:4096]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = head.decode("utf-16", "ignore").encode("ascii", "ignore")
    return re.search(rb"<(?:rss|feed|rdf:rdf)[\s>]", head, re.I) is not None


def _entry_text(entry: Any) -> str:
    texts = []
    for item in entry.get("content") or ():
        value = item.get("value") or ""
        texts.append(value.strip() if item.get("type") == "text/plain" else html_to_text(value))
    text = max(texts, key=len, default="")
    if not text.strip():
        text = html_to_text(entry.get("summary") or "")
    return text


def _entry_title(entry: Any) -> str | None:
    title = entry.get("title") or ""
    if (entry.get("title_detail") or {}).get("type") in ("text/html", "application/xhtml+xml"):
        title = html_to_text(title)
    return " ".join(title.split()) or None


def _entry_date(entry: Any) -> str | None:
    for key in ("published", "updated", "created"):
        iso = parse_date(entry.get(key))
        if iso:
            return iso
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    return f"{parsed.tm_year:04d}-{parsed.tm_mon:02d}-{parsed.tm_mday:02d}" if parsed else None


def read_feed_bytes(
    data: bytes,
    *,
    source: str,
    fetch_page: FetchPage | None = None,
    on_error: OnError | None = None,
) -> list[Release]:
    """Read the entries of an RSS/Atom document already in memory.

    Text comes from the entry's full content (``content:encoded``, Atom ``content``), else its
    summary, HTML turned into text. Title, date (``published``, else ``updated``) and url come
    from the entry; the id is :func:`graph.ingest.urls.canonical_url_id` of the link, else a hash.

    Parameters
    ----------
    data : bytes
        The feed document.
    source : str
        Names the feed in errors; when it is a URL, relative entry links resolve against it.
    fetch_page : callable, optional
        Called with the link of an entry whose text is shorter than :data:`SUMMARY_CHARS` (a
        teaser); its release's text replaces the teaser (the teaser stays if it raises
        :class:`IngestError`). Without it nothing is fetched: the teaser is the text.
    on_error : callable, optional
        Receives each bad entry's error so the others are still returned; else the first raises.

    Raises
    ------
    IngestError
        Not a feed, or a feed that cannot be parsed.
    """
    import feedparser

    if not is_feed(data):
        raise IngestError(source, "not an RSS or Atom feed")
    path = None if is_web_url(source) else source
    headers = {"content-location": source} if path is None else None
    try:
        parsed = feedparser.parse(
            io.BytesIO(data), response_headers=headers, resolve_relative_uris=True, sanitize_html=True
        )
    except (RecursionError, MemoryError, ValueError) as err:
        raise IngestError(source, f"unreadable feed: {type(err).__name__}: {err}") from None
    if not parsed.entries:
        if parsed.get("bozo"):
            raise IngestError(source, f"not a valid RSS/Atom feed: {parsed.get('bozo_exception')}")
        log.warning("%s: feed has no entries", source)
        return []
    feed = parsed.feed
    language = normalize_language(feed.get("language"))
    publisher = feed.get("publisher") or feed.get("author") or feed.get("title")
    out: list[Release] = []
    for n, entry in enumerate(parsed.entries, 1):
        where = f"{source} entry {n}"
        link = entry.get("link")
        entry_source = (entry.get("source") or {}).get("title")
        meta = {
            "title": _entry_title(entry),
            "date": _entry_date(entry),
            "source": entry_source or publisher,
            "url": link,
            "language": language,
        }
        text = _entry_text(entry)
        if len(text) < SUMMARY_CHARS and fetch_page is not None and is_web_url(link):
            try:
                page = fetch_page(link)
                text = page.text
                meta["title"] = meta["title"] or page.title
                meta["date"] = meta["date"] or page.date
                meta["source"] = entry_source or page.source or publisher
                meta["language"] = page.language
            except IngestError as err:
                log.warning("%s: linked page unavailable (%s); using the feed summary", where, err)
        try:
            rid = canonical_url_id(link) if isinstance(link, str) and link else None
            out.append(read_text(text, id=rid, path=path, defaults=meta))
        except IngestError:
            problem = IngestError(where, "entry has no text (no content, summary or readable link)")
            if on_error is None:
                raise problem from None
            on_error(problem)
    return out
