"""Decoding stage: the bytes of a document -> its text, or one :class:`IngestError` naming it.

UTF-8 with or without BOM, UTF-16/32 with BOM, else Windows-1252 / Latin-1 when that reads as
Latin-script text, else a charset-normalizer guess. Empty, binary (known signatures, NUL bytes,
control characters) and undecodable input is refused, and so is text with hardly any letters
(random bytes that happen to decode). No I/O here.

Examples
--------
>>> decode_bytes("“Señal” — café".encode("cp1252"))
'“Señal” — café'
>>> str(IngestError("a/b.txt", "empty file"))
'a/b.txt: empty file'
"""

from __future__ import annotations

import logging
import os
import re
import unicodedata
from collections import Counter

__all__ = [
    "MAX_BYTES",
    "IngestError",
    "clean_text",
    "decode_bytes",
    "display_path",
    "prose_problem",
]

log = logging.getLogger(__name__)

#: Largest input accepted, in bytes (5 MiB), for a file, a fetched page or a feed. A press release
#: is a few kilobytes; anything this large is not one, and refusing it keeps memory bounded.
MAX_BYTES = 5 * 1024 * 1024
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
    r"""A release that could not be read; ``str()`` is ``"<path>: <reason>"`` on one line.

    Parameters
    ----------
    path : str or Path
        The file, URL or record that failed (``"<text>"`` for in-memory input).
    reason : str
        What went wrong, in a few words.

    Control characters, line separators and undecodable bytes in the path or reason are shown
    escaped (see :func:`display_path`), so the message stays one printable line.

    Examples
    --------
    >>> str(IngestError("a/b.txt", "empty file"))
    'a/b.txt: empty file'
    >>> str(IngestError("odd\nname.txt", "empty file"))
    'odd\\nname.txt: empty file'
    """

    def __init__(self, path: str | os.PathLike[str], reason: str) -> None:
        self.path = display_path(path)
        self.reason = display_path(" ".join(str(reason).split()))
        super().__init__(self.path, self.reason)

    def __reduce__(self) -> tuple:
        return (IngestError, (self.path, self.reason))

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
_SURROGATE = re.compile("[\ud800-\udfff]")
#: Control characters that no text holds: below a space except tab, newline, return, form feed
#: and vertical tab; and delete.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def display_path(path: str | os.PathLike[str]) -> str:
    r"""``path`` as one printable line: control characters, line separators and lone surrogates
    (undecodable bytes of a file name) are written as escapes.

    Examples
    --------
    >>> print(display_path("a\tb\nc\udcff.txt"))
    a\tb\nc\xff.txt
    """

    def escape(match: re.Match[str]) -> str:
        char = match.group()
        if "\udc80" <= char <= "\udcff":
            return f"\\x{ord(char) - 0xDC00:02x}"
        return char.encode("unicode_escape", "backslashreplace").decode("ascii")

    return _UNPRINTABLE.sub(escape, os.fspath(path) if not isinstance(path, str) else path)


def clean_text(text: str) -> str:
    r"""``text`` with lone surrogates (e.g. from a JSON ``\\ud800`` escape) made U+FFFD; a valid
    surrogate pair written as two escapes becomes its character.

    Examples
    --------
    >>> clean_text("a\ud800b"), clean_text("\ud83d\ude00")
    ('a�b', '😀')
    """
    if not _SURROGATE.search(text):
        return text
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


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
    controls = len(_CONTROL.findall(text))
    if "\x00" in text or controls > max(2, len(text) // 50):
        raise IngestError(path, "binary file (control characters), not text")
    if not text.strip():
        raise IngestError(path, "empty file (only whitespace)")
    return text


_EAST_ASIAN = frozenset({"CJK", "HIRAGANA", "KATAKANA", "HANGUL", "HALFWIDTH", "FULLWIDTH", "IDEOGRAPHIC"})
_COMMON_PUNCTUATION = set(".,;:!?¡¿'\"()[]-–—/%&«»“”‘’…#@*+=_<>{}|$€£§°·•")


def _odd_in_a_word(c: str) -> bool:
    return (
        not c.isalnum() and c not in "-.'’" and not ("\u3000" <= c <= "\u303f" or "\uff01" <= c <= "\uff0f")
    )


def prose_problem(text: str) -> str | None:
    """Why ``text`` cannot be a press release (random bytes that happened to decode, invisible
    characters only), or ``None``.

    Examples
    --------
    >>> prose_problem("Panama and Mexico signed a memorandum."), prose_problem("\u2003\u200b\u3000")
    (None, 'empty file (no letters: only whitespace, symbols or invisible characters)')
    >>> prose_problem("1234 5678 ---- !!!!")
    'no words (no letters: only digits, whitespace, symbols or invisible characters)'
    """
    if not any(c.isalpha() for c in text):  # a release says something in words
        if any(c.isalnum() for c in text):
            return "no words (no letters: only digits, whitespace, symbols or invisible characters)"
        return "empty file (no letters: only whitespace, symbols or invisible characters)"
    sample = text[:20_000]
    # every test below is per character: count each distinct character once, then weigh it
    counts = [(c, n) for c, n in Counter(sample).items() if not c.isspace()]
    visible = sum(n for _, n in counts)
    odd = sum(n for c, n in counts if not c.isalnum() and c not in _COMMON_PUNCTUATION)
    if visible >= 8 and odd > 0.2 * visible:
        return "binary or random bytes (too many symbols), not text"
    words = sample.split()
    if len(words) == 1 and visible >= 6 and any(_odd_in_a_word(c) for c, _ in counts):
        return "binary or random bytes (one run of mixed symbols), not text"
    if len(sample) >= 100 and visible / max(1, len(words)) > 40:
        return "binary or random bytes (no word breaks), not text"
    scripts: dict[str, int] = {}
    latin = 0
    for c, n in counts:
        if not c.isalpha():
            continue
        if c <= "\u024f":
            latin += n
            continue
        script = unicodedata.name(c, "UNKNOWN").split(" ")[0]
        script = "EAST-ASIAN" if script in _EAST_ASIAN else script
        scripts[script] = scripts.get(script, 0) + n
    counted = sorted([*scripts.values(), latin], reverse=True)
    letters = sum(counted)
    if letters >= 4 and len(counted) >= 3 and counted[1] + counted[2] > 0.3 * letters:
        return "binary or random bytes (letters of unrelated scripts), not text"
    return None


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
