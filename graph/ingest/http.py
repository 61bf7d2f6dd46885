"""HTTP stage, the only module of seckg ingestion that opens a socket: URLs and feed URLs.

Used only for what the user asked for: a URL or feed URL given on the command line, and, with
``--fetch-linked-pages``, the pages that feed entries link to. Every fetch is ``http(s)`` only,
with a timeout (:data:`TIMEOUT`), a size limit (:data:`graph.ingest.decode.MAX_BYTES`) and at
most 10 redirects. Linked pages (and their redirects) must resolve to public addresses:
loopback, private, link-local (cloud metadata), shared, reserved and multicast addresses are
refused unless ``allow_private`` is set.

Examples
--------
>>> check_public_url("http://169.254.169.254/latest/meta-data/")
Traceback (most recent call last):
...
graph.ingest.decode.IngestError: http://169.254.169.254/latest/meta-data/: refused: ...
"""

from __future__ import annotations

import ipaddress
import logging
import re
import socket
import time
from types import TracebackType
from urllib.parse import urlsplit

import httpx

from graph.ingest.decode import MAX_BYTES, IngestError, decode_bytes
from graph.ingest.feeds import OnError, is_feed, read_feed_bytes
from graph.ingest.html import read_html
from graph.ingest.text import read_text
from graph.ingest.urls import canonical_url_id, is_web_url
from graph.model import Release

__all__ = [
    "TIMEOUT",
    "USER_AGENT",
    "LinkedPages",
    "check_public_url",
    "fetch_releases",
    "make_client",
    "read_feed_url",
    "read_url",
]

log = logging.getLogger(__name__)

#: Seconds to connect, and between bytes received, for each request.
TIMEOUT = 20.0
USER_AGENT = "seckg/0.1 (press-release ingestion)"
_ACCEPT = (
    "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,text/plain;q=0.9,*/*;q=0.5"
)
_FEED_TYPES = frozenset({"application/rss+xml", "application/atom+xml", "application/rdf+xml"})
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})


def _address_kind(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    """Why ``ip`` is not a public address (``None`` when it is one)."""
    mapped = getattr(ip, "ipv4_mapped", None)
    if mapped is not None:
        ip = mapped
    for kind in ("loopback", "link_local", "private", "multicast", "reserved", "unspecified"):
        if getattr(ip, f"is_{kind}"):
            return kind.replace("_", "-")
    return None if ip.is_global else "non-public"


def check_public_url(url: str) -> None:
    """Raise :class:`IngestError` unless ``url`` is http(s) and every address of its host is public.

    Loopback, private, link-local (the cloud metadata service), shared (100.64/10), reserved,
    multicast and unspecified addresses are refused, so a feed cannot point seckg at the machine
    it runs on or at its network. The check runs before each request, redirects included.

    Examples
    --------
    >>> check_public_url("http://[::ffff:127.0.0.1]:8080/")
    Traceback (most recent call last):
    ...
    graph.ingest.decode.IngestError: http://[::ffff:127.0.0.1]:8080/: refused: ...
    """
    if not is_web_url(url):
        raise IngestError(url, "only http:// and https:// URLs can be fetched")
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").rstrip(".")
        port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
    except ValueError as err:
        raise IngestError(url, f"bad URL: {err}") from None
    if not host:
        raise IngestError(url, "bad URL: no host")
    try:
        addresses = [ipaddress.ip_address(host)]
    except ValueError:
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError) as err:
            raise IngestError(url, f"cannot resolve {host}: {err}") from None
        addresses = [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]
    for ip in addresses:
        kind = _address_kind(ip)
        if kind:
            raise IngestError(
                url,
                f"refused: {host} is a {kind} address ({ip}); linked pages are fetched from public "
                "hosts only (--allow-private-hosts allows others)",
            )


def make_client(timeout: float = TIMEOUT, *, public_only: bool = False) -> httpx.Client:
    """An httpx client set up for fetching releases (redirects followed, a seckg User-Agent).

    With ``public_only`` every request, redirects included, goes through :func:`check_public_url`.
    """
    hooks = {"request": [lambda request: check_public_url(str(request.url))]} if public_only else {}
    return httpx.Client(
        follow_redirects=True, timeout=timeout, max_redirects=10, headers={"User-Agent": USER_AGENT},
        event_hooks=hooks,
    )  # fmt: skip


class LinkedPages:
    """Fetches the pages that feed entries link to: a ``fetch_page`` for
    :func:`graph.ingest.feeds.read_feed_bytes`, public hosts only unless ``allow_private``.

    Examples
    --------
    >>> with LinkedPages() as fetch:
    ...     fetch("http://10.0.0.1/news")
    Traceback (most recent call last):
    ...
    graph.ingest.decode.IngestError: http://10.0.0.1/news: refused: ...
    """

    def __init__(self, *, allow_private: bool = False, timeout: float = TIMEOUT) -> None:
        self.allow_private = allow_private
        self.timeout = timeout
        self._client: httpx.Client | None = None

    def __call__(self, url: str) -> Release:
        if not self.allow_private:
            check_public_url(url)  # before any connection; the client re-checks each redirect
        if self._client is None:
            self._client = make_client(self.timeout, public_only=not self.allow_private)
        return read_url(url, client=self._client, timeout=self.timeout)

    def close(self) -> None:
        """Close the HTTP client (if one was made)."""
        if self._client is not None:
            self._client.close()
            self._client = None

    def __enter__(self) -> LinkedPages:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


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
            deadline = time.monotonic() + 3 * timeout  # a server dripping bytes gets no longer
            for chunk in resp.iter_bytes():
                buf += chunk
                if len(buf) > MAX_BYTES:
                    raise IngestError(url, f"too large: over {MAX_BYTES} bytes")
                if time.monotonic() > deadline:
                    raise IngestError(url, f"too slow: not received within {3 * timeout:g} s")
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
    url: str,
    *,
    client: httpx.Client | None = None,
    timeout: float = TIMEOUT,
    on_error: OnError | None = None,
    fetch_linked: bool = False,
    allow_private: bool = False,
) -> list[Release]:
    """Fetch a URL and read what it holds: one release for a page, one per entry for a feed.

    A feed's teaser entries have their linked pages fetched only with ``fetch_linked`` (and then
    from public hosts only, unless ``allow_private``; see :class:`LinkedPages`).

    Raises
    ------
    IngestError
        Network failure, HTTP error status, over-size body or an unsupported content type.
    """
    data, mime, charset = _fetch(url, client, timeout)
    kind = _kind(mime, data)
    if kind == "feed":
        with LinkedPages(allow_private=allow_private, timeout=timeout) as pages:
            fetch = pages if fetch_linked else None
            return read_feed_bytes(data, source=url, fetch_page=fetch, on_error=on_error)
    return [_page_release(url, data, mime, charset, kind)]


def _page_release(url: str, data: bytes, mime: str, charset: str | None, kind: str) -> Release:
    if kind == "html":
        return read_html(data, url=url, id=canonical_url_id(url), encoding=charset)
    if kind == "text":
        text = decode_bytes(data, path=url, encoding=charset)
        markdown = mime == "text/markdown"
        return read_text(text, id=canonical_url_id(url), defaults={"url": url}, markdown=markdown)
    raise IngestError(url, f"unsupported content type {mime!r} (expected HTML, plain text or a feed)")


def read_url(url: str, *, client: httpx.Client | None = None, timeout: float = TIMEOUT) -> Release:
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


def read_feed_url(
    url: str,
    *,
    client: httpx.Client | None = None,
    on_error: OnError | None = None,
    fetch_linked: bool = False,
    allow_private: bool = False,
    timeout: float = TIMEOUT,
) -> list[Release]:
    """Fetch an RSS or Atom feed and read it into one release per entry (see
    :func:`graph.ingest.feeds.read_feed_bytes`); feedparser only parses the bytes fetched here.

    Raises
    ------
    IngestError
        The feed cannot be fetched, read or parsed.
    """
    data, _mime, _charset = _fetch(url, client, timeout)
    with LinkedPages(allow_private=allow_private, timeout=timeout) as pages:
        fetch = pages if fetch_linked else None
        return read_feed_bytes(data, source=url, fetch_page=fetch, on_error=on_error)
