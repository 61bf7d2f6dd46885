"""Distinct press releases generated from a corpus, for benchmarks at scale.

:func:`generate` writes ``n`` release files (front matter and body, the corpus's format) into a
folder. Each release recombines the corpus's own pieces: a dateline opening, paragraphs of one to
four sentences drawn from releases of the same language, now and then a list (the line that opens
it and its bullets, kept together), quotations as paragraphs of their own; the states a release
names are swapped for others drawn from the project's gazetteer (``ontology/gazetteer``), so
that sentences meet in combinations no release had. The body's length is drawn from the corpus's
lengths, so the generated set has the corpus's length distribution; every text differs from every
other (checked), so no cache keyed on a text can help a reader of them. Everything is seeded.

The corpus is read in place and nothing is written into the repository: callers pass a temporary
folder.

Examples
--------
>>> import tempfile
>>> corpus = [Piece("en", "Kenya and Chad sign a memorandum", "NAIROBI - Kenya and Chad signed a "
...     "memorandum today. It covers border security.\\n\\nThe two states will meet again.")]
>>> folder = Path(tempfile.mkdtemp())
>>> paths = generate(corpus, folder, 3, seed=1)
>>> len(paths), len({p.read_text() for p in paths})
(3, 3)
"""

from __future__ import annotations

import hashlib
import random
import re
from dataclasses import dataclass
from pathlib import Path

from graph.extract.doc import split_sentences
from graph.ingest import read_paths

__all__ = ["CORPUS", "Piece", "corpus_pieces", "generate"]

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "releases"
"""The shared corpus's releases, read in place (beside the project), whose pieces are recombined."""
_BULLET = re.compile(r"\s*(?:[-*•·–—]|\d{1,2}[.)])\s+")
_DATELINE = re.compile(r"^[A-ZÁÉÍÓÚÑ .,]{3,40}(?:\s*[–—-]\s*|,\s)")


@dataclass(frozen=True)
class Piece:
    """One corpus release as the generator uses it: language, title and body."""

    language: str
    title: str
    body: str


@dataclass
class _Pool:
    """The pieces of one language's releases: openings, sentences, lists, titles, lengths."""

    openings: list[str]
    sentences: list[str]
    lists: list[str]
    titles: list[str]
    lengths: list[int]


def corpus_pieces(folder: Path) -> list[Piece]:
    """The releases of ``folder`` (read with :func:`graph.ingest.read_paths`) as pieces."""
    return [Piece(r.language or "en", r.title or "", r.text) for r in read_paths([folder])]


def _pools(pieces: list[Piece]) -> dict[str, _Pool]:
    pools: dict[str, _Pool] = {}
    for piece in pieces:
        pool = pools.setdefault(piece.language, _Pool([], [], [], [], []))
        pool.titles.append(piece.title)
        pool.lengths.append(len(piece.body))
        lines = [line.strip() for line in piece.body.splitlines() if line.strip()]
        i = 0
        while i < len(lines):
            line = lines[i]
            if line.endswith(":") and i + 1 < len(lines) and _BULLET.match(lines[i + 1]):
                j = i + 1
                while j < len(lines) and _BULLET.match(lines[j]):
                    j += 1
                pool.lists.append("\n".join(lines[i:j]))
                i = j
                continue
            sentences = [s.text for s in split_sentences(line)]
            if i == 0 and sentences and _DATELINE.match(sentences[0]):
                pool.openings.append(sentences.pop(0))
            pool.sentences.extend(sentences)
            i += 1
    return pools


def _country_names() -> list[str]:
    """The common name (first form) of every state in ``ontology/gazetteer/countries.tsv``."""
    names = []
    for line in (ROOT / "ontology" / "gazetteer" / "countries.tsv").read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or line.startswith("alpha3\t"):
            continue
        fields = line.split("\t")
        if len(fields) > 2 and fields[2]:
            names.append(fields[2].split("|")[0].lstrip("~"))
    return names


def _body(pool: _Pool, rng: random.Random, target: int) -> str:
    """Paragraphs drawn from ``pool`` until the body is about ``target`` characters long."""
    paragraphs: list[str] = []
    length = 0
    if pool.openings:
        paragraphs.append(rng.choice(pool.openings))
        length = len(paragraphs[0])
    while length < target:
        if pool.lists and rng.random() < 0.12:
            paragraph = rng.choice(pool.lists)
        else:
            size = 1 if rng.random() < 0.3 else rng.randint(2, 4)
            paragraph = " ".join(rng.choice(pool.sentences) for _ in range(size))
        if length + len(paragraph) - target > target - length and paragraphs:
            break  # overshooting by more than the gap that is left
        paragraphs.append(paragraph)
        length += len(paragraph) + 2
    return "\n\n".join(paragraphs)


def _swap_states(text: str, title: str, names: re.Pattern[str], pool: list[str], rng: random.Random):
    """``text`` and ``title`` with each state they name replaced by another, the same one in both."""
    mapping: dict[str, str] = {}

    def swap(match: re.Match[str]) -> str:
        return mapping.setdefault(match.group(0), rng.choice(pool))

    return names.sub(swap, text), names.sub(swap, title)


def generate(pieces: list[Piece], folder: Path, n: int, *, seed: int = 0) -> list[Path]:
    """Write ``n`` distinct releases recombined from ``pieces`` into ``folder``; their paths.

    The language of each is drawn with the corpus's proportions, the length of its body from the
    lengths of that language's releases.
    """
    rng = random.Random(seed)
    pools = _pools(pieces)
    languages = [p.language for p in pieces if pools[p.language].sentences]
    names = _country_names()
    pattern = re.compile(r"\b(?:" + "|".join(map(re.escape, sorted(names, key=len, reverse=True))) + r")\b")
    width = len(str(n))
    seen: set[bytes] = set()
    paths: list[Path] = []
    while len(paths) < n:
        language = rng.choice(languages)
        pool = pools[language]
        body = _body(pool, rng, rng.choice(pool.lengths))
        body, title = _swap_states(body, rng.choice(pool.titles), pattern, names, rng)
        digest = hashlib.sha1(body.encode()).digest()
        if digest in seen:
            continue
        seen.add(digest)
        date = f"{rng.randint(2015, 2024)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        path = folder / f"{len(paths):0{width}d}-generated-{language}.txt"
        heading = f"title: {title}\n" if title else ""  # a quarter of the corpus's releases have none
        front = f"---\n{heading}date: {date}\nsource: generated\nlanguage: {language}\n---\n\n"
        path.write_text(front + body + "\n", encoding="utf-8")
        paths.append(path)
    return paths
