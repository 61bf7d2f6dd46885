"""Metadata found in a release's text: dates, language, headline and a content id.

Pure functions shared by :mod:`graph.ingest` and :mod:`graph.web`: :func:`parse_date` reads
English, Spanish, ISO 8601 and RFC 822 dates; :func:`find_release_date` finds the release date in
a body (a ``Release Date:`` line or a dateline); :func:`detect_language` tells English from Spanish
offline by stop-word counts; :func:`guess_title` picks a headline-like first line;
:func:`text_id` hashes normalized text into a stable id.

Examples
--------
>>> parse_date("WASHINGTON, Dec. 3, 2019 –"), detect_language("La firma del memorando de hoy")
('2019-12-03', 'es')
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import date as _date
from functools import lru_cache

__all__ = [
    "NULL_VALUES",
    "detect_language",
    "find_release_date",
    "guess_title",
    "month_numbers",
    "normalize_language",
    "normalize_text",
    "parse_date",
    "text_id",
]

#: Header or metadata values that mean "not known".
NULL_VALUES = frozenset({"", "unknown", "null", "none", "~", "n/a"})

#: The locales whose month names dates are read in: English, Spanish, and the Spanish of Peru and
#: Uruguay ("setiembre", "set.").
_DATE_LOCALES = ("en", "es", "es_PE")


@lru_cache(maxsize=1)
def month_numbers() -> dict[str, int]:
    """Month names and abbreviations, English and Spanish (CLDR through babel), to month numbers.

    Examples
    --------
    >>> month_numbers()["setiembre"], month_numbers()["dec"]
    (9, 12)
    """
    from babel.dates import get_month_names

    out: dict[str, int] = {}
    for locale in _DATE_LOCALES:
        for width in ("wide", "abbreviated"):
            for context in ("format", "stand-alone"):
                for number, name in get_month_names(width, context, locale).items():
                    out.setdefault(name.lower().rstrip("."), number)
    out.setdefault("sept", 9)  # the US government's abbreviation, as in Spanish
    return out


@lru_cache(maxsize=1)
def _date_patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    month = "|".join(sorted(month_numbers(), key=len, reverse=True))
    return (
        # 2019-12-17, 2019/12/17 (ISO date, possibly the start of a date-time)
        (re.compile(r"(?<!\d)(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)"), "ymd"),
        # December 17, 2019 / Dec. 3, 2019 / JUNE 7 2019
        (re.compile(rf"\b({month})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", re.I), "mdy"),
        # 17 December 2019 / 27 de junio de 2025 / 17 de octubre 2023 / Tue, 17 Dec 2019 10:00 GMT
        (
            re.compile(
                rf"\b(\d{{1,2}})(?:st|nd|rd|th|º|°)?\s+(?:de\s+)?({month})\.?,?\s+(?:de\s+|del\s+)?(\d{{4}})\b",
                re.I,
            ),
            "dmy",
        ),
    )


_RELEASE_DATE = re.compile(
    r"^[ \t]*(?:release date|date released|published|fecha(?: de publicaci[óo]n)?)[ \t]*:[ \t]*(.*)$",
    re.I | re.M,
)
_DATELINE_CHARS = 300
# A page's revision line ("Updated 13 May 2024", "Última actualización: ...") is not its date.
_REVISION = re.compile(
    r"^[ \t]*(?:last\s+)?(?:updated|modified|revised|actualizad[oa]|última actualización)\b.*$",
    re.IGNORECASE | re.MULTILINE,
)

_EN_WORDS = (
    "the and of to in is was for on that with by as at from this be are has have will its it an "
    "which their said were or not our been who they would"
)
_ES_WORDS = (
    "el la los las de del y en que por con para una un es se al su sus como más fue ha han este "
    "esta entre sobre lo también hoy ministro gobierno"
)
_STOP_EN = frozenset(_EN_WORDS.split())
_STOP_ES = frozenset(_ES_WORDS.split())
_LANG_NAMES = {
    "english": "en",
    "inglés": "en",
    "ingles": "en",
    "spanish": "es",
    "español": "es",
    "espanol": "es",
}
_LABELS = frozenset(
    {
        "press release",
        "media release",
        "news release",
        "for immediate release",
        "comunicado de prensa",
        "nota de prensa",
        "comunicado",
        "statement",
        "readout",
        "archived",
    }
)


def _to_iso(y: int, m: int, d: int) -> str | None:
    if not 1900 <= y <= 2100:
        return None
    try:
        return _date(y, m, d).isoformat()
    except ValueError:
        return None


def _match_iso(match: re.Match[str], order: str) -> str | None:
    a, b, c = match.groups()
    if order == "ymd":
        return _to_iso(int(a), int(b), int(c))
    if order == "mdy":
        return _to_iso(int(c), month_numbers()[a.lower()], int(b))
    return _to_iso(int(c), month_numbers()[b.lower()], int(a))


def _first_date(text: str) -> str | None:
    """The earliest valid date expression in ``text``, as ISO."""
    found = []
    for pattern, order in _date_patterns():
        for match in pattern.finditer(text):
            iso = _match_iso(match, order)
            if iso:
                found.append((match.start(), iso))
                break
    return min(found)[1] if found else None


def parse_date(value: str | None) -> str | None:
    """Parse a date written in English, Spanish, ISO 8601 or RFC 822 into ``YYYY-MM-DD``.

    A date-time keeps the date as written (no time-zone shift). Returns ``None`` when no
    complete, valid date (day, month and year) is found.

    Examples
    --------
    >>> [parse_date(s) for s in ("Dec. 3, 2019", "27 de junio de 2025", "2019-12-17T23:00:00-05:00",
    ...                          "Tue, 17 Dec 2019 10:00:00 GMT", "Quito, August 16.")]
    ['2019-12-03', '2025-06-27', '2019-12-17', '2019-12-17', None]
    """
    if not value or not isinstance(value, str):
        return None
    return _first_date(value)


def find_release_date(text: str) -> str | None:
    """Find a release date in a body: a ``Release Date:`` line, else a dateline near the top.

    The value of ``Release Date:`` (or ``Fecha:``) may sit on the same or the next line; a
    dateline ("Mexico City, February 27, 2012 --", "WASHINGTON, Dec. 3, 2019 –",
    "Ciudad de Guatemala, 27 de junio de 2025.-") counts only within the first 300 characters.

    Examples
    --------
    >>> find_release_date("Title\\n\\nRelease Date:\\nSeptember 27, 2019\\n\\nWASHINGTON - ...")
    '2019-09-27'
    >>> find_release_date("SAN JOSÉ, 4 de marzo de 2024.- El Ministerio de Seguridad Pública ...")
    '2024-03-04'
    """
    for match in _RELEASE_DATE.finditer(text):
        rest = match.group(1).strip() or text[match.end() :].lstrip().split("\n", 1)[0]
        iso = parse_date(rest)
        if iso:
            return iso
    head = _REVISION.sub("", text.lstrip()[:_DATELINE_CHARS])
    return _first_date(head)


def normalize_language(value: str | None) -> str | None:
    """Reduce a language tag or name to its primary subtag (``"es-MX"`` -> ``"es"``).

    Examples
    --------
    >>> normalize_language("es_MX"), normalize_language("English"), normalize_language("unknown")
    ('es', 'en', None)
    """
    if not value or not isinstance(value, str):
        return None
    tag = value.strip().lower()
    if tag in NULL_VALUES:
        return None
    tag = _LANG_NAMES.get(tag, tag)
    return re.split(r"[-_\s]", tag, maxsplit=1)[0] or None


def detect_language(text: str) -> str:
    """Guess the language of a release offline: ``"en"`` or ``"es"`` by counting their function
    words; when a long text has few of either, another language's code from langdetect's profiles
    (shipped in the package, seeded), else ``"und"``.

    Examples
    --------
    >>> detect_language("El Ministerio de Seguridad firmó hoy un memorando con Canadá.")
    'es'
    >>> detect_language("The Ministry signed a memorandum with Canada today.")
    'en'
    >>> detect_language("Le ministre de l'Intérieur a signé aujourd'hui à Rabat un accord de coopération "
    ...                 "avec le Maroc pour renforcer la lutte contre le terrorisme et la criminalité.")
    'fr'
    """
    words = re.findall(r"[^\W\d_]+", text[:20000].lower())
    en = sum(1 for w in words if w in _STOP_EN)
    es = sum(1 for w in words if w in _STOP_ES)
    if len(words) >= _OTHER_MIN_WORDS and max(en, es) < _OTHER_RATIO * len(words):
        return _other_language(text) or "und"
    if es == en:
        es += sum(text.count(c) for c in "ñ¿¡")
    return "es" if es > en else "en"


_OTHER_MIN_WORDS = 20
_OTHER_RATIO = 0.18  # English and Spanish releases of the corpus: at least 0.23 of their words


def _other_language(text: str) -> str | None:
    """The language langdetect is sure of (probability 0.9 or more), unless English or Spanish."""
    from langdetect import DetectorFactory, detect_langs
    from langdetect.lang_detect_exception import LangDetectException

    DetectorFactory.seed = 0  # deterministic answers
    try:
        best = detect_langs(text[:5000])[0]
    except LangDetectException:
        return None
    code = best.lang.split("-")[0]
    return code if best.prob >= 0.9 and code not in ("en", "es") else None


def normalize_text(text: str) -> str:
    """NFC-normalize, unify line ends and drop trailing space.

    Leading blank lines stay: evidence offsets index the text as it follows the metadata header
    (the contract's "Offsets"), so nothing before the first word may be removed.

    Examples
    --------
    >>> normalize_text("\\r\\n\\n  Body line.\\r\\nNext.  \\n\\n")
    '\\n\\n  Body line.\\nNext.'
    """
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    return text.rstrip()


def text_id(text: str) -> str:
    """Id of a release known only by its text: ``"sha-"`` + 16 hex digits of SHA-256.

    The text is NFC-normalized and its whitespace collapsed first, so layout changes keep the id.

    Examples
    --------
    >>> text_id("A  text.\\n") == text_id("A text.")
    True
    """
    norm = " ".join(unicodedata.normalize("NFC", text).split())
    return "sha-" + hashlib.sha256(norm.encode("utf-8")).hexdigest()[:16]


def guess_title(text: str) -> str | None:
    """A headline-like first line (<= 200 characters, no final period), else ``None``.

    Generic labels ("Press Release", "For Immediate Release") and date-only lines are skipped
    (up to three leading lines).

    Examples
    --------
    >>> guess_title("Press Release\\n\\nCosta Rica and Canada Sign Security Memorandum\\n\\nSAN JOSÉ ...")
    'Costa Rica and Canada Sign Security Memorandum'
    >>> guess_title("The ministry signed a memorandum today.") is None
    True
    """
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    for line in lines[:3]:
        bare = line.strip(" -–—:|").lower()
        generic = bare in _LABELS or bare.endswith(("press office", "press secretary")) or "contact:" in bare
        if generic or (parse_date(line) and len(re.findall(r"[^\W\d_]{4,}", line)) <= 3):
            continue
        if len(line) <= 200 and not line.endswith((".", ",", ";", ":")) and len(line.split()) >= 2:
            return line
        return None
    return None
