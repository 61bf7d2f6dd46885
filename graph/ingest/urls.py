"""Canonical URLs and the release ids made from them (string functions: no network).

Examples
--------
>>> canonical_url_id("http://Example.gov/news/?utm_source=x#top") == canonical_url_id(
...     "https://example.gov/news")
True
"""

from __future__ import annotations

import re
from hashlib import sha256
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit

__all__ = [
    "canonical_url",
    "canonical_url_id",
    "is_web_url",
]

_TRACKING = re.compile(r"^(utm_\w*|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|yclid|_ga)$", re.I)


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


def is_web_url(value: object) -> bool:
    """True for an ``http://`` or ``https://`` URL (the only ones seckg ever fetches).

    Examples
    --------
    >>> is_web_url("HTTPS://example.gov/a"), is_web_url("file:///etc/hostname"), is_web_url(3)
    (True, False, False)
    """
    return isinstance(value, str) and value.strip().lower().startswith(("http://", "https://"))
