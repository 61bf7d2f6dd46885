"""HTML stage: a press-release page -> a :class:`Release` (main text without boilerplate, metadata).

lxml parses with no network and no entity loading; navigation, footers, cookie banners and
scripts are stripped; trafilatura extracts the main text (the text of ``<article>``,
``<main>`` or ``<body>`` is the fallback); title, date, language and publisher come from meta
tags. No I/O here: the caller hands over bytes or text.

Examples
--------
>>> r = read_html("<html lang='es'><head><title>Firma de memorando</title></head><body><nav>Inicio</nav>"
...               "<article><p>El Ministerio firmó hoy un memorando con Canadá.</p></article></body></html>")
>>> (r.title, r.language, r.text)
('Firma de memorando', 'es', 'El Ministerio firmó hoy un memorando con Canadá.')
"""

from __future__ import annotations

import copy
import logging
import re
from typing import Any

import lxml.html
from lxml import etree

from graph.ingest.decode import IngestError, decode_bytes
from graph.ingest.text import read_text
from graph.ingest.urls import canonical_url_id
from graph.model import Release
from graph.textmeta import find_release_date, normalize_language, parse_date

__all__ = [
    "html_to_text",
    "read_html",
]

log = logging.getLogger(__name__)

_DROP_TAGS: tuple[str, ...] = ("script", "style", "noscript", "template", "nav", "footer", "aside", "form")
_DROP_TAGS += ("iframe", "svg", "button", "select", "dialog", "object", "embed")
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


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_safe(text: str) -> str:
    """``text`` without the characters lxml cannot hold (controls, lone surrogates)."""
    return _NOT_XML.sub("", text)


def _parse_html(html: str | bytes, encoding: str | None, where: str) -> lxml.html.HtmlElement:
    if isinstance(html, bytes):
        html = decode_bytes(html, path=where, encoding=encoding or _declared_charset(html))
    html = _xml_safe(html)
    if not html.strip():
        raise IngestError(where, "empty HTML")
    parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True, no_network=True)
    try:
        return lxml.html.document_fromstring(html.lstrip("\ufeff").encode("utf-8"), parser=parser)
    except (etree.ParserError, ValueError, AssertionError) as err:  # lxml asserts on some input
        raise IngestError(where, f"HTML page has no text ({err or type(err).__name__})") from None


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
    rid = id or (canonical_url_id(url) if url else None)  # page_url is url there
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
    fragment = _xml_safe(fragment)
    if "<" not in fragment:
        return fragment.strip()
    parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, no_network=True)
    try:
        root = lxml.html.fragment_fromstring(fragment.encode("utf-8"), create_parent="div", parser=parser)
    except (etree.ParserError, ValueError, AssertionError):  # lxml asserts on some input
        return ""
    for el in list(root.iter("script", "style", "noscript", "template")):
        el.drop_tree()
    return _element_text(root)
