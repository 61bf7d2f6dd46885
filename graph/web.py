"""Ingestion from the web: HTML pages, URLs and RSS/Atom feeds -> :class:`graph.model.Release`.

The HTML side parses with lxml (no network, no entity loading), strips navigation, footers,
cookie banners and other boilerplate, extracts the main text with trafilatura (falling back to
the text of ``<article>``/``<main>``/``<body>``), and reads title, date, language and publisher
from meta tags. URLs are fetched with httpx (redirects followed, :data:`graph.ingest.MAX_BYTES`
cap, content-type checked); feeds are parsed with feedparser from bytes we fetched ourselves, so
feedparser never touches the network. A release read from a URL has the id
:func:`canonical_url_id` of that URL, so the same page gives the same id however it is linked.

Examples
--------
>>> canonical_url_id("http://Example.gov/news/?utm_source=x#top") == canonical_url_id(
...     "https://example.gov/news")
True
>>> r = read_html("<html lang='es'><head><title>Firma de memorando</title></head><body><nav>Inicio</nav>"
...               "<article><p>El Ministerio firmó hoy un memorando con Canadá.</p></article></body></html>")
>>> (r.title, r.language, r.text)
('Firma de memorando', 'es', 'El Ministerio firmó hoy un memorando con Canadá.')
"""

from __future__ import annotations

import copy
import io
import logging
import re
from collections.abc import Callable
from hashlib import sha256
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit

import httpx
import lxml.html
from lxml import etree

from graph.ingest import MAX_BYTES, IngestError, decode_bytes, read_bytes, read_text
from graph.model import Release
from graph.textmeta import find_release_date, normalize_language, parse_date

__all__ = [
    "SUMMARY_CHARS",
    "USER_AGENT",
    "canonical_url",
    "canonical_url_id",
    "fetch_releases",
    "html_to_text",
    "is_feed",
    "make_client",
    "read_feed",
    "read_feed_bytes",
    "read_html",
    "read_url",
]

log = logging.getLogger(__name__)

#: A feed entry whose own text is shorter than this is only a teaser: its linked page is fetched.
SUMMARY_CHARS = 400
USER_AGENT = "seckg/0.1 (press-release ingestion)"
_ACCEPT = (
    "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,text/plain;q=0.9,*/*;q=0.5"
)
_TRACKING = re.compile(r"^(utm_\w*|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|yclid|_ga)$", re.I)
_FEED_TYPES = frozenset({"application/rss+xml", "application/atom+xml", "application/rdf+xml"})
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_DROP_TAGS = ("script", "style", "noscript", "template", "nav", "footer", "aside", "form", "iframe", "svg")
_DROP_TAGS += ("button", "select", "dialog", "object", "embed")
_DROP_ROLES = frozenset(
    {"navigation", "banner", "contentinfo", "complementary", "search", "dialog", "alertdialog", "menu"}
)
_DROP_WORDS = (
    "cookie cookies consent gdpr nav navbar navigation menu breadcrumb breadcrumbs skip share sharing "
    "social newsletter subscribe sidebar footer related promo advert advertisement ads banner masthead "
    "toolbar pagination signup"
)
_DROP_TOKENS = frozenset(_DROP_WORDS.split())
_BLOCK_TAGS = (
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "blockquote", "pre", "table",
    "tr", "section", "article", "header", "main", "dl", "dt", "dd", "figure", "figcaption", "address", "hr",
)  # fmt: skip
_DATE_META = (
    "article:published_time", "og:published_time", "og:article:published_time", "article.published",
    "datepublished", "date", "dc.date", "dc.date.issued", "dcterms.date", "dcterms.issued",
    "dcterms.created", "citation_date", "citation_publication_date", "pubdate", "publishdate",
    "publish-date", "publish_date", "sailthru.date", "parsely-pub-date",
)  # fmt: skip
OnError = Callable[[IngestError], None]


# --------------------------------------------------------------------------- URLs


def canonical_url(url: str) -> str:
    """Normalize a URL so that trivially different links to one page compare equal.

    The scheme is ignored (``http`` and ``https`` give ``https``), the host lower-cased, default
    ports, credentials, the fragment, a trailing slash and tracking parameters (``utm_*``,
    ``fbclid``, ``gclid``...) removed, and the remaining query parameters sorted.

    Examples
    --------
    >>> canonical_url("HTTP://www.Example.gov:80/news/2024/?b=2&utm_medium=rss&a=1#main")
    'https://www.example.gov/news/2024?a=1&b=2'
    """
    raw = url.strip()
    parts = urlsplit(raw if "://" in raw else "//" + raw)
    host = (parts.hostname or "").rstrip(".")
    try:
        port = parts.port
    except ValueError:
        port = None
    netloc = host if port in (None, 80, 443) else f"{host}:{port}"
    path = quote(unquote(parts.path), safe="/:@!$&'()*+,;=-._~").rstrip("/")
    query = sorted(
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.match(k)
    )
    scheme = "https" if parts.scheme.lower() in ("", "http", "https") else parts.scheme.lower()
    return f"{scheme}://{netloc}{path}" + (f"?{urlencode(query)}" if query else "")


def canonical_url_id(url: str) -> str:
    """Release id of a URL: ``"url-"`` + 16 hex digits of SHA-256 of :func:`canonical_url`.

    Examples
    --------
    >>> canonical_url_id("https://example.gov/a/") == canonical_url_id("http://EXAMPLE.gov/a#x")
    True
    """
    return "url-" + sha256(canonical_url(url).encode("utf-8")).hexdigest()[:16]


def make_client(timeout: float = 20.0) -> httpx.Client:
    """An httpx client set up for fetching releases (redirects followed, a seckg User-Agent)."""
    return httpx.Client(
        follow_redirects=True, timeout=timeout, max_redirects=10, headers={"User-Agent": USER_AGENT}
    )


def _fetch(url: str, client: httpx.Client | None, timeout: float) -> tuple[bytes, str, str | None]:
    """GET ``url``; return its bytes, media type and declared charset, or raise IngestError."""
    if not url.lower().startswith(("http://", "https://")):
        raise IngestError(url, "only http:// and https:// URLs can be fetched")
    own = client is None
    http = make_client(timeout) if client is None else client
    try:
        with http.stream("GET", url, headers={"Accept": _ACCEPT}, follow_redirects=True) as resp:
            if not resp.is_success:
                raise IngestError(url, f"HTTP {resp.status_code} {resp.reason_phrase}".rstrip())
            declared = resp.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > MAX_BYTES:
                raise IngestError(url, f"too large: {declared} bytes (limit {MAX_BYTES})")
            buf = bytearray()
            for chunk in resp.iter_bytes():
                buf += chunk
                if len(buf) > MAX_BYTES:
                    raise IngestError(url, f"too large: over {MAX_BYTES} bytes")
            ctype = resp.headers.get("content-type", "")
    except httpx.TooManyRedirects:
        raise IngestError(url, "too many redirects") from None
    except httpx.TimeoutException:
        raise IngestError(url, f"timed out after {timeout:g} s") from None
    except httpx.HTTPError as err:
        raise IngestError(url, f"network error: {type(err).__name__}: {err}") from None
    finally:
        if own:
            http.close()
    mime = ctype.split(";", 1)[0].strip().lower()
    charset = re.search(r"charset=[\"']?([\w.:-]+)", ctype, re.I)
    return bytes(buf), mime, charset.group(1) if charset else None


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


def _kind(mime: str, data: bytes) -> str:
    if mime in _FEED_TYPES or (mime in ("text/xml", "application/xml") and is_feed(data)):
        return "feed"
    if mime in _HTML_TYPES:
        return "feed" if is_feed(data) and not re.search(rb"<html[\s>]", data[:4096], re.I) else "html"
    if mime in ("", "text/plain", "text/markdown", "application/octet-stream", "text/xml", "application/xml"):
        if is_feed(data):
            return "feed"
        if re.search(rb"<html[\s>]|<!doctype html", data[:2048], re.I):
            return "html"
        return "text" if mime.startswith("text/plain") or mime in ("", "text/markdown") else "other"
    return "other"


def fetch_releases(
    url: str, *, client: httpx.Client | None = None, timeout: float = 20.0, on_error: OnError | None = None
) -> list[Release]:
    """Fetch a URL and read what it holds: one release for a page, one per entry for a feed.

    Raises
    ------
    IngestError
        Network failure, HTTP error status, over-size body or an unsupported content type.
    """
    data, mime, charset = _fetch(url, client, timeout)
    kind = _kind(mime, data)
    if kind == "feed":
        return read_feed_bytes(data, source=url, client=client, on_error=on_error)
    return [_page_release(url, data, mime, charset, kind)]


def _page_release(url: str, data: bytes, mime: str, charset: str | None, kind: str) -> Release:
    if kind == "html":
        return read_html(data, url=url, id=canonical_url_id(url), encoding=charset)
    if kind == "text":
        text = decode_bytes(data, path=url, encoding=charset)
        return read_text(text, id=canonical_url_id(url), defaults={"url": url})
    raise IngestError(url, f"unsupported content type {mime!r} (expected HTML, plain text or a feed)")


def read_url(url: str, *, client: httpx.Client | None = None, timeout: float = 20.0) -> Release:
    """Fetch one page (HTML or plain text) and read it; the id is :func:`canonical_url_id`.

    Parameters
    ----------
    url : str
        An ``http://`` or ``https://`` URL.
    client : httpx.Client, optional
        Reused when given (and left open); else a client is made and closed.
    timeout : float
        Seconds, for a client made here.

    Raises
    ------
    IngestError
        Network failure, HTTP 4xx/5xx (the message names the status), over-size body, a feed
        (use :func:`read_feed`) or an unsupported content type.
    """
    data, mime, charset = _fetch(url, client, timeout)
    kind = _kind(mime, data)
    if kind == "feed":
        raise IngestError(url, "is an RSS/Atom feed, not a page: use read_feed (or read_paths)")
    return _page_release(url, data, mime, charset, kind)


# --------------------------------------------------------------------------- HTML


def _declared_charset(data: bytes) -> str | None:
    match = re.search(rb"""<meta[^>]*?charset\s*=\s*["']?([\w.:-]+)""", data[:4096], re.I) or re.search(
        rb"""<\?xml[^>]*encoding\s*=\s*["']([\w.:-]+)""", data[:512], re.I
    )
    if not match:
        return None
    name = match.group(1).decode("ascii", "ignore").lower()
    if name.startswith(("utf-16", "utf-32")):  # as HTML5 says: a meta tag cannot declare these
        return None
    return "cp1252" if name in ("iso-8859-1", "latin-1", "latin1", "us-ascii", "ascii") else name


def _parse_html(html: str | bytes, encoding: str | None, where: str) -> lxml.html.HtmlElement:
    if isinstance(html, bytes):
        html = decode_bytes(html, path=where, encoding=encoding or _declared_charset(html))
    if not html.strip():
        raise IngestError(where, "empty HTML")
    parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True, no_network=True)
    try:
        return lxml.html.document_fromstring(html.lstrip("\ufeff").encode("utf-8"), parser=parser)
    except (etree.ParserError, ValueError) as err:
        raise IngestError(where, f"HTML page has no text ({err})") from None


def _clean(node: Any) -> str:
    return " ".join(node.text_content().split()) if node is not None else ""


def _html_meta(tree: lxml.html.HtmlElement) -> dict[str, str | None]:
    """Title, date, source, language and canonical URL declared in the page's markup."""
    meta: dict[str, str] = {}
    for m in tree.iter("meta"):
        key = (m.get("property") or m.get("name") or m.get("itemprop") or m.get("http-equiv") or "").lower()
        if key.strip() and (m.get("content") or "").strip():
            meta.setdefault(key.strip(), " ".join(m.get("content").split()))
    title = meta.get("og:title") or meta.get("twitter:title") or meta.get("dc.title")
    if not title:
        doc_title = _clean(tree.find(".//title"))
        title = re.split(r"\s+[|»]\s+", doc_title)[0] if doc_title else _clean(tree.find(".//h1")) or None
    dates = [meta.get(k) for k in _DATE_META]
    for script in tree.xpath("//script[@type='application/ld+json']"):
        dates.extend(re.findall(r'"datePublished"\s*:\s*"([^"]+)"', script.text or ""))
    times = tree.xpath("//article//time | //main//time") or tree.xpath("//time")
    dates.extend(t.get("datetime") or _clean(t) for t in times)
    date = next((iso for iso in map(parse_date, dates) if iso), None)
    lang = tree.get("lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang")
    lang = lang or meta.get("content-language") or meta.get("og:locale") or meta.get("dc.language")
    canonical = tree.xpath("//link[@rel='canonical']/@href")
    return {
        "title": title or None,
        "date": date,
        "source": meta.get("og:site_name") or meta.get("dc.publisher") or meta.get("publisher"),
        "language": normalize_language(lang),
        "url": meta.get("og:url") or (canonical[0].strip() if canonical else None),
    }


def _strip_boilerplate(tree: lxml.html.HtmlElement) -> None:
    """Remove navigation, headers outside the article, footers, banners and scripts, in place."""
    for el in list(tree.iter(*_DROP_TAGS)):
        el.drop_tree()
    for el in tree.xpath("//header[not(ancestor::article) and not(ancestor::main)]"):
        el.drop_tree()
    body = tree.find("body")
    body_len = len(_clean(body if body is not None else tree)) or 1
    for el in tree.xpath("//*[@id or @class or @role]"):
        if el.tag in ("html", "body", "main", "article") or el.getparent() is None:
            continue
        tokens = set(re.split(r"[\s_-]+", f"{el.get('id', '')} {el.get('class', '')}".lower()))
        if not (tokens & _DROP_TOKENS or el.get("role", "").lower() in _DROP_ROLES):
            continue
        if el.xpath(".//article | .//main | .//h1") or len(_clean(el)) > 0.5 * body_len:
            continue  # a wrapper around the content, not boilerplate
        el.drop_tree()


def _element_text(root: lxml.html.HtmlElement) -> str:
    """Text of an element with blocks as paragraphs separated by blank lines."""
    root = copy.deepcopy(root)
    for br in root.iter("br"):
        br.tail = "\n" + (br.tail or "")
    for el in root.iter(*_BLOCK_TAGS):
        el.text = "\n\n" + (el.text or "")
        el.tail = "\n\n" + (el.tail or "")
    lines = [" ".join(line.split()) for line in root.text_content().split("\n")]
    paragraphs = re.split(r"\n{2,}", "\n".join(lines))
    return "\n\n".join(p.strip() for p in paragraphs if p.strip())


def _main_text(tree: lxml.html.HtmlElement, url: str | None) -> str:
    try:
        import trafilatura

        text = trafilatura.extract(
            copy.deepcopy(tree),
            url=url,
            include_comments=False,
            include_tables=True,
            favor_precision=True,
            deduplicate=False,
        )
    except Exception as err:  # trafilatura failing on odd markup must not stop ingestion
        log.warning("trafilatura failed (%s); using the plain-text fallback", err)
        text = None
    if text and text.strip():
        return "\n\n".join(line.strip() for line in text.split("\n") if line.strip())
    return _plain_text(tree)


def _plain_text(tree: lxml.html.HtmlElement) -> str:
    """Text of the page's ``<article>``, ``<main>`` or ``<body>`` (the fallback extractor)."""
    roots = tree.xpath("//article | //main | //*[@role='main'] | //body")
    return _element_text(roots[0] if roots else tree)


def read_html(
    html: str | bytes,
    *,
    url: str | None = None,
    id: str | None = None,
    path: str | None = None,
    encoding: str | None = None,
) -> Release:
    """Read a press-release page: main text without boilerplate, plus its metadata.

    Title from ``og:title``, ``<title>`` (site suffix after `` | `` dropped) or ``<h1>``; date
    from meta tags (``article:published_time``, ``DC.date``, ``citation_date``...), JSON-LD
    ``datePublished`` or ``<time datetime>``, else a ``Release Date:`` line or dateline in the
    text; language from ``<html lang>``, else the detector; source from ``og:site_name``.

    Parameters
    ----------
    html : str or bytes
        The page; bytes are decoded by ``encoding``, the page's ``<meta charset>``, else sniffed.
    url : str, optional
        Where the page lives; also gives the id (:func:`canonical_url_id`) when ``id`` is None.
    id, path : str, optional
        Release id and file path.
    encoding : str, optional
        Declared encoding (e.g. from an HTTP header).

    Raises
    ------
    IngestError
        Empty, undecodable or binary input, or a page with no text.
    """
    where = path or url or "<html>"
    tree = _parse_html(html, encoding, where)
    meta = _html_meta(tree)
    _strip_boilerplate(tree)
    text = _main_text(tree, url)
    if not text.strip():
        raise IngestError(where, "HTML page has no text")
    if meta["date"] is None and find_release_date(text) is None:
        meta["date"] = find_release_date(_plain_text(tree))  # a date line trafilatura left out
    page_url = url or meta.pop("url")
    meta["url"] = page_url
    rid = id or (canonical_url_id(page_url) if url else None)
    try:
        return read_text(text, id=rid, path=path, defaults=meta)
    except IngestError:
        raise IngestError(where, "HTML page has no text") from None


def html_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment (a feed entry's content), paragraphs on blank lines.

    Examples
    --------
    >>> html_to_text("<p>First &amp; foremost.</p><p>Second<br>line.</p><script>x()</script>")
    'First & foremost.\\n\\nSecond\\nline.'
    """
    if "<" not in fragment:
        return fragment.strip()
    parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, no_network=True)
    try:
        root = lxml.html.fragment_fromstring(fragment.encode("utf-8"), create_parent="div", parser=parser)
    except (etree.ParserError, ValueError):
        return ""
    for el in list(root.iter("script", "style", "noscript", "template")):
        el.drop_tree()
    return _element_text(root)


# --------------------------------------------------------------------------- feeds


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
    client: httpx.Client | None = None,
    on_error: OnError | None = None,
) -> list[Release]:
    """Read the entries of an RSS/Atom document already in memory (see :func:`read_feed`).

    ``source`` names the feed in errors; when it is a URL, relative entry links resolve against it.
    """
    import feedparser

    if not is_feed(data):
        raise IngestError(source, "not an RSS or Atom feed")
    path = None if source.lower().startswith(("http://", "https://")) else source
    headers = {"content-location": source} if path is None else None
    parsed = feedparser.parse(
        io.BytesIO(data), response_headers=headers, resolve_relative_uris=True, sanitize_html=True
    )
    if not parsed.entries:
        if parsed.get("bozo"):
            raise IngestError(source, f"not a valid RSS/Atom feed: {parsed.get('bozo_exception')}")
        log.warning("%s: feed has no entries", source)
        return []
    feed = parsed.feed
    language = normalize_language(feed.get("language"))
    publisher = feed.get("publisher") or feed.get("author") or feed.get("title")
    own = client is None
    out: list[Release] = []
    try:
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
            if len(text) < SUMMARY_CHARS and link and link.lower().startswith(("http://", "https://")):
                if client is None:
                    client = make_client()
                try:
                    page = read_url(link, client=client)
                    text = page.text
                    meta["title"] = meta["title"] or page.title
                    meta["date"] = meta["date"] or page.date
                    meta["source"] = entry_source or page.source or publisher
                    meta["language"] = page.language
                except IngestError as err:
                    log.warning("%s: linked page unavailable (%s); using the feed summary", where, err)
            try:
                rid = canonical_url_id(link) if link else None
                out.append(read_text(text, id=rid, path=path, defaults=meta))
            except IngestError:
                err = IngestError(where, "entry has no text (no content, summary or readable link)")
                if on_error is None:
                    raise err from None
                on_error(err)
    finally:
        if own and client is not None:
            client.close()
    return out


def read_feed(
    source: str | Path, *, client: httpx.Client | None = None, on_error: OnError | None = None
) -> list[Release]:
    """Read an RSS or Atom feed (a URL or a file) into one release per entry.

    Text comes from the entry's full content (``content:encoded``, Atom ``content``), else its
    summary, HTML turned into text. An entry with less than :data:`SUMMARY_CHARS` characters of
    text and a link is a teaser: its linked page is fetched with :func:`read_url` and its text
    used (the summary stays if the page fails). Title, date (``published``, else ``updated``)
    and url come from the entry; the id is :func:`canonical_url_id` of the link, else a text hash.
    The feed itself is fetched with httpx; feedparser only parses bytes.

    Parameters
    ----------
    source : str or Path
        An ``http(s)://`` URL or a file path.
    client : httpx.Client, optional
        Used for the feed and the linked pages (left open); else one is made and closed.
    on_error : callable, optional
        Receives each bad entry's error so the others are still returned; else the first raises.

    Raises
    ------
    IngestError
        The feed cannot be fetched, read or parsed.
    """
    src = str(source)
    if src.lower().startswith(("http://", "https://")):
        own = client is None
        http = make_client() if client is None else client
        try:
            data, _mime, _charset = _fetch(src, http, 20.0)
            return read_feed_bytes(data, source=src, client=http, on_error=on_error)
        finally:
            if own:
                http.close()
    return read_feed_bytes(read_bytes(source), source=src, client=client, on_error=on_error)
