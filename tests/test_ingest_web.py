"""Ingestion from the web: HTML pages, canonical URL ids, URLs and feeds over a local server.

Every HTTP request goes to a ThreadingHTTPServer on 127.0.0.1 (port 0) serving tests/data/ingest;
nothing here touches the internet.
"""

from __future__ import annotations

import collections
import doctest
import re
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import httpx
import pytest

from graph import web
from graph.ingest import MAX_BYTES, IngestError, read_path, read_paths
from graph.web import (
    canonical_url,
    canonical_url_id,
    fetch_releases,
    html_to_text,
    is_feed,
    read_feed,
    read_html,
    read_url,
)

DATA = Path(__file__).resolve().parent / "data" / "ingest"
BOILERPLATE = (
    "COOKIE-BANNER-TEXT",
    "SITE-HEADER-TEXT",
    "NAV-LINK",
    "BREADCRUMB-TEXT",
    "SHARE-BUTTON-TEXT",
    "SIDEBAR-TEXT",
    "FOOTER-TEXT",
    "TRACKING-SCRIPT",
    "Accept all cookies",
)
LEGACY_PAGE = (
    "<html><head><title>Honduras y Panamá firman carta</title></head><body><article>"
    "<p>Tegucigalpa, 3 de mayo de 2021.- “Hoy damos un paso más”, dijo la ministra. Honduras y "
    "Panamá firmaron una carta de intención sobre la protección de las fronteras y el intercambio "
    "de información.</p>"
    "</article></body></html>"
)


def test_docstring_examples_run():
    result = doctest.testmod(web, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0


# --------------------------------------------------------------------------- HTML


def test_html_page_without_boilerplate():
    [r] = read_path(DATA / "release-page.html")
    for marker in BOILERPLATE:
        assert marker not in r.text, marker
    assert "signed today an arrangement to support the reintegration" in r.text
    assert r.text.rstrip().endswith("said the Jamaican minister at the signing ceremony in Ottawa.")
    assert r.id == "release-page"
    assert r.title == "Canada and Jamaica Sign Arrangement on Returnee Reintegration"  # og:title
    assert r.date == "2022-05-16"  # article:published_time
    assert r.language == "en"  # <html lang="en-CA">
    assert r.source == "Public Safety Canada (invented example)"  # og:site_name
    assert "\n\n" in r.text  # paragraphs kept apart


def test_html_fallback_without_trafilatura_also_drops_boilerplate(monkeypatch):
    import trafilatura

    monkeypatch.setattr(trafilatura, "extract", lambda *a, **k: None)
    r = read_html((DATA / "release-page.html").read_bytes())
    for marker in BOILERPLATE:
        assert marker not in r.text, marker
    assert "Officials from both ministries will meet twice a year" in r.text
    assert re.fullmatch(r"sha-[0-9a-f]{16}", r.id)


def test_html_release_date_line_dropped_by_trafilatura_is_still_found(monkeypatch):
    import trafilatura

    monkeypatch.setattr(trafilatura, "extract", lambda *a, **k: "The ministers signed a letter of intent.")
    page = (
        "<html><body><main><h1>Panama and Chile Sign Letter of Intent</h1>"
        "<div class='field-date'>Release Date: <span>September 27, 2019</span></div>"
        "<p>The ministers signed a letter of intent.</p></main></body></html>"
    )
    r = read_html(page)
    assert (r.text, r.date) == ("The ministers signed a letter of intent.", "2019-09-27")


def test_html_dateline_date_detected_language_and_title_tag():
    [r] = read_path(DATA / "dateline-page-es.html")
    assert r.date == "2022-11-21"
    assert r.language == "es"
    assert r.title == "Costa Rica y Panamá acuerdan patrullajes conjuntos"
    assert "MENU-TEXT" not in r.text
    assert "Paso Canoas" in r.text


@pytest.mark.parametrize(
    ("name", "expected"),
    [("meta-date-page.html", "2018-06-30"), ("time-tag-page.html", "2016-09-12")],
)
def test_html_date_from_meta_tags_and_time_element(name, expected):
    [r] = read_path(DATA / name)
    assert r.date == expected


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        ('<meta property="article:published_time" content="2021-04-05T10:00:00Z">', "2021-04-05"),
        ('<meta property="og:published_time" content="2021-04-06">', "2021-04-06"),
        ('<meta name="date" content="April 7, 2021">', "2021-04-07"),
        ('<meta name="DC.date.issued" content="2021-04-08">', "2021-04-08"),
        ('<meta name="citation_date" content="2021/04/09">', "2021-04-09"),
        (
            '<script type="application/ld+json">{"@type": "NewsArticle", '
            '"datePublished": "2021-04-10"}</script>',
            "2021-04-10",
        ),
        ("", None),
    ],
)
def test_html_meta_date_variants(head, expected):
    body = "<article><p>The ministers signed a memorandum.</p></article>"
    page = f"<html><head>{head}</head><body>{body}</body></html>"
    assert read_html(page).date == expected


def test_html_bytes_use_the_declared_charset():
    page = LEGACY_PAGE.replace("<head>", '<head><meta charset="windows-1252">').encode("cp1252")
    r = read_html(page)
    assert "“Hoy damos un paso más”" in r.text and r.title == "Honduras y Panamá firman carta"
    assert r.date == "2021-05-03" and r.language == "es"
    assert read_html(LEGACY_PAGE.encode("cp1252")).text == r.text  # undeclared: sniffed, same result


def test_html_with_no_text_is_an_error():
    with pytest.raises(IngestError, match=r"empty-page\.html: HTML page has no text"):
        read_path(DATA / "empty-page.html")
    with pytest.raises(IngestError, match=r"^<html>: empty HTML$"):
        read_html("   ")


def test_html_to_text():
    assert html_to_text("<p>One &amp; two.</p><ul><li>a</li><li>b</li></ul>") == "One & two.\n\na\n\nb"
    assert html_to_text("plain summary") == "plain summary"


# --------------------------------------------------------------------------- canonical URL ids

BASE_URL = "https://www.example.gov/news/2024/costa-rica-signs?id=7&lang=en"


@pytest.mark.parametrize(
    "variant",
    [
        "http://www.example.gov/news/2024/costa-rica-signs?id=7&lang=en",
        "https://WWW.Example.GOV/news/2024/costa-rica-signs?id=7&lang=en",
        "https://www.example.gov/news/2024/costa-rica-signs/?id=7&lang=en",
        "https://www.example.gov/news/2024/costa-rica-signs?id=7&lang=en#section-2",
        "https://www.example.gov/news/2024/costa-rica-signs?utm_source=rss&id=7&utm_medium=feed&lang=en",
        "https://www.example.gov/news/2024/costa-rica-signs?lang=en&id=7&fbclid=abc&gclid=def",
        "https://www.example.gov:443/news/2024/costa-rica-signs?lang=en&id=7",
        "http://www.example.gov:80/news/2024/costa-rica-signs/?lang=en&id=7#top",
        "  https://www.example.gov/news/2024/costa%2Drica%2Dsigns?id=7&lang=en  ",
    ],
)
def test_canonical_url_id_invariance(variant):
    assert canonical_url_id(variant) == canonical_url_id(BASE_URL)
    assert re.fullmatch(r"url-[0-9a-f]{16}", canonical_url_id(variant))


@pytest.mark.parametrize(
    "other",
    [
        "https://www.example.gov/news/2024/costa-rica-signs?id=8&lang=en",
        "https://www.example.gov/news/2024/costa-rica-signs?id=7",
        "https://www.example.gov/news/2024/Costa-Rica-Signs?id=7&lang=en",
        "https://www.example.gov:8443/news/2024/costa-rica-signs?id=7&lang=en",
        "https://example.gov/news/2024/costa-rica-signs?id=7&lang=en",
    ],
)
def test_canonical_url_id_distinguishes_real_differences(other):
    assert canonical_url_id(other) != canonical_url_id(BASE_URL)


def test_canonical_url_form():
    assert (
        canonical_url("HTTP://Example.gov/a/b/?z=1&utm_campaign=x&a=2#f") == "https://example.gov/a/b?a=2&z=1"
    )
    assert canonical_url("https://example.gov/") == "https://example.gov"


def test_is_feed():
    assert is_feed((DATA / "feed-summaries.rss").read_bytes())
    assert is_feed((DATA / "feed-full.atom").read_bytes())
    assert not is_feed((DATA / "release-page.html").read_bytes())


# --------------------------------------------------------------------------- a local HTTP server


class _Handler(SimpleHTTPRequestHandler):
    hits: ClassVar[collections.Counter[str]] = collections.Counter()
    extensions_map: ClassVar[dict[str, str]] = {
        **SimpleHTTPRequestHandler.extensions_map,
        ".rss": "application/rss+xml",
        ".atom": "application/atom+xml",
        ".html": "text/html; charset=utf-8",
        ".txt": "text/plain; charset=utf-8",
        ".json": "application/json",
        ".png": "image/png",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, directory=str(DATA), **kwargs)

    def log_message(self, format, *args):  # keep test output clean
        pass

    def _send(self, status: int, body: bytes, ctype: str, length: int | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        if length is not None:
            self.send_header("Content-Length", str(length))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        path = self.path.split("?", 1)[0]
        self.hits[path] += 1
        base = f"http://{self.headers['Host']}"
        if path.startswith("/status/"):
            code = int(path.rsplit("/", 1)[1])
            return self._send(code, b"error page", "text/html", 10)
        if path.startswith("/redirect/"):
            self.send_response(302)
            self.send_header("Location", "/" + path.split("/", 2)[2])
            self.send_header("Content-Length", "0")
            return self.end_headers()
        if path == "/loop":
            self.send_response(302)
            self.send_header("Location", "/loop")
            self.send_header("Content-Length", "0")
            return self.end_headers()
        if path == "/big":  # no Content-Length: the cap must hold while streaming
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            chunk = b"a" * 65536
            try:
                for _ in range(MAX_BYTES // len(chunk) + 2):
                    self.wfile.write(chunk)
            except OSError:
                pass
            return None
        if path == "/big-declared":
            return self._send(200, b"", "text/html", MAX_BYTES + 1)
        if path == "/legacy":
            return self._send(200, LEGACY_PAGE.encode("cp1252"), "text/html; charset=windows-1252")
        if path == "/feed-as-xml":
            body = (DATA / "feed-full.atom").read_bytes().replace(b"@@BASE@@", base.encode())
            return self._send(200, body, "text/xml")
        if path == "/relative.rss":
            body = (
                b"<?xml version='1.0'?><rss version='2.0'><channel><title>Relative links</title>"
                b"<item><title>Honduras meeting</title><link>/linked-honduras.html</link>"
                b"<description>Short teaser.</description></item></channel></rss>"
            )
            return self._send(200, body, "application/rss+xml")
        if path == "/image.png":
            return self._send(200, b"\x89PNG\r\n\x1a\n\x00\x00", "image/png")
        if path.endswith((".rss", ".atom")):
            body = (DATA / path.lstrip("/")).read_bytes().replace(b"@@BASE@@", base.encode())
            return self._send(200, body, self.extensions_map[Path(path).suffix], len(body))
        return super().do_GET()


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):  # a client hanging up early is expected
        pass


@pytest.fixture(scope="module")
def server():
    httpd = _Server(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch):
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    _Handler.hits.clear()


@pytest.fixture
def client():
    with httpx.Client(trust_env=False, follow_redirects=True, timeout=10) as c:
        yield c


@pytest.mark.server
def test_read_url_html_page(server):
    url = f"{server}/release-page.html"
    r = read_url(url)
    assert r.id == canonical_url_id(url) and r.url == url and r.path is None
    assert r.title == "Canada and Jamaica Sign Arrangement on Returnee Reintegration"
    assert r.date == "2022-05-16"
    for marker in BOILERPLATE:
        assert marker not in r.text


@pytest.mark.server
def test_read_url_plain_text_with_header(server, client):
    url = f"{server}/costa-rica-canada-mou.txt"
    r = read_url(url, client=client)
    assert r.id == canonical_url_id(url)
    assert r.title == "Costa Rica and Canada Sign Memorandum on Border Security Training"
    assert r.url == "https://www.example.go.cr/news/2024/costa-rica-canada-memorandum"  # the header wins


@pytest.mark.server
def test_read_url_follows_redirects(server, client):
    url = f"{server}/redirect/dateline-page-es.html"
    r = read_url(url, client=client)
    assert r.id == canonical_url_id(url) and r.date == "2022-11-21"
    assert _Handler.hits["/dateline-page-es.html"] == 1


@pytest.mark.server
def test_read_url_uses_the_http_charset(server, client):
    r = read_url(f"{server}/legacy", client=client)
    assert "“Hoy damos un paso más”" in r.text


@pytest.mark.server
@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/status/404", r"HTTP 404 Not Found"),
        ("/status/500", r"HTTP 500 Internal Server Error"),
        ("/big", rf"too large: over {MAX_BYTES} bytes"),
        ("/big-declared", rf"too large: {MAX_BYTES + 1} bytes"),
        ("/image.png", r"unsupported content type 'image/png'"),
        ("/feed-summaries.rss", r"is an RSS/Atom feed, not a page: use read_feed"),
        ("/loop", r"too many redirects"),
    ],
)
def test_read_url_errors_name_url_and_reason(server, client, path, reason):
    url = f"{server}{path}"
    with pytest.raises(IngestError) as info:
        read_url(url, client=client)
    assert info.value.path == url
    assert re.search(reason, info.value.reason), info.value.reason


def test_read_url_network_error_and_bad_scheme():
    with pytest.raises(IngestError, match=r"^http://127\.0\.0\.1:9/x: network error: ConnectError"):
        read_url("http://127.0.0.1:9/x", timeout=2)
    with pytest.raises(IngestError, match=r"only http:// and https:// URLs"):
        read_url("file:///etc/hostname")


@pytest.mark.server
def test_rss_feed_with_summaries_fetches_linked_pages(server, monkeypatch):
    import feedparser.http

    def _no_fetch(*args, **kwargs):
        raise AssertionError("feedparser must not fetch anything itself")

    monkeypatch.setattr(feedparser.http, "get", _no_fetch)
    errors: list[IngestError] = []
    first, second, third = read_feed(
        f"{server}/feed-summaries.rss", on_error=errors.append, fetch_linked=True, allow_private=True
    )
    assert errors == []
    # the teaser was replaced by the linked page's text
    assert "exchanges of prison staff" in first.text and "Read more" not in first.text
    assert "NAV-LINK" not in first.text and "FOOTER-TEXT" not in first.text
    assert first.id == canonical_url_id(f"{server}/linked-ecuador.html")  # utm_* dropped
    assert first.date == "2022-06-15"
    assert first.source == "Ministry of Justice and Security (invented example)"  # from the page
    assert first.title == "El Salvador and Ecuador Sign Memorandum on Prison Security"
    assert "common list of indicators" in second.text and second.date == "2022-05-02"
    assert second.source == "Ministry of Security News (invented example)"  # the feed's title
    # the linked page failed (404): the summary is kept
    assert third.text == "A teaser whose linked page returns an error; the summary is kept."
    assert third.language == "en"
    assert _Handler.hits["/linked-ecuador.html"] == 1 and _Handler.hits["/linked-honduras.html"] == 1
    assert _Handler.hits["/status/404"] == 1


@pytest.mark.server
def test_relative_entry_links_resolve_against_the_feed_url(server, client):
    [r] = read_feed(f"{server}/relative.rss", client=client, fetch_linked=True, allow_private=True)
    assert r.url == f"{server}/linked-honduras.html"
    assert "common list of indicators" in r.text


@pytest.mark.server
def test_atom_feed_with_full_content_needs_no_page(server, client):
    one, two = read_feed(f"{server}/feed-full.atom", client=client)
    assert one.text.startswith("Ciudad de Guatemala, 28 de septiembre de 2023.- Los ministros")
    assert "\n\nEl memorando crea un grupo técnico" in one.text  # HTML paragraphs become text
    assert "<p>" not in one.text
    assert one.date == "2023-09-28"  # published, not updated
    assert two.date == "2023-08-14"  # only updated
    assert "guardacostas" in two.text  # xhtml content
    assert (one.language, two.language) == ("es", "es")
    assert one.title == "Guatemala y México firman memorando sobre control de armas"
    assert one.url == f"{server}/noticias/guatemala-mexico-armas/"
    assert one.id == canonical_url_id(f"{server}/noticias/guatemala-mexico-armas")
    assert one.source == "Ministerio de Seguridad (ejemplo inventado)"
    assert not any(path.startswith("/noticias") for path in _Handler.hits)


@pytest.mark.server
def test_feed_from_a_file_and_by_sniffing(server, client):
    one, _ = read_feed(DATA / "feed-full.atom")
    assert one.path == str(DATA / "feed-full.atom") and one.date == "2023-09-28"
    releases = fetch_releases(f"{server}/feed-as-xml", client=client)  # text/xml, sniffed as a feed
    assert [r.date for r in releases] == ["2023-09-28", "2023-08-14"]
    with pytest.raises(IngestError, match=r"release-page\.html: not an RSS or Atom feed"):
        read_feed(DATA / "release-page.html")


@pytest.mark.server
def test_read_paths_mixes_urls_feeds_and_files(server):
    errors: list[IngestError] = []
    sources = [
        f"{server}/release-page.html",
        f"{server}/feed-full.atom",
        f"{server}/status/404",
        DATA / "honduras-chile-es.txt",
    ]
    out = list(read_paths(sources, on_error=errors.append))
    assert [r.id for r in out] == [
        canonical_url_id(f"{server}/release-page.html"),
        canonical_url_id(f"{server}/noticias/guatemala-mexico-armas"),
        canonical_url_id(f"{server}/noticias/costa-rica-colombia"),
        "honduras-chile-es",
    ]
    assert [str(e) for e in errors] == [f"{server}/status/404: HTTP 404 Not Found"]


def test_feed_entry_without_text_is_reported_and_the_rest_kept():
    data = (
        b"<?xml version='1.0'?><rss version='2.0'><channel><title>t</title>"
        b"<item><title>Nothing here</title></item>"
        b"<item><title>Peru and Chile</title><description>Peru and Chile signed a memorandum."
        b"</description></item></channel></rss>"
    )
    errors: list[IngestError] = []
    [r] = web.read_feed_bytes(data, source="mem.rss", on_error=errors.append)
    assert r.title == "Peru and Chile" and r.text == "Peru and Chile signed a memorandum."
    assert [str(e) for e in errors] == [
        "mem.rss entry 1: entry has no text (no content, summary or readable link)"
    ]
    with pytest.raises(IngestError, match=r"^mem\.rss entry 1: "):
        web.read_feed_bytes(data, source="mem.rss")
    empty = b"<?xml version='1.0'?><rss version='2.0'><channel><title>t</title></channel></rss>"
    assert web.read_feed_bytes(empty, source="empty.rss") == []
