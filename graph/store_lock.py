"""Who may open a store directory at the same time: many readers, or one writer.

Oxigraph locks a directory store against a second writer but lets read-only opens happen beside
a writing process, which pyoxigraph calls undefined behaviour. So seckg keeps its own advisory
lock beside the store (``<store>.lock``, ``fcntl.flock``): commands that only read (``query``,
``stats``, ``render``, ``export``, ``validate``, ``links``, a read-only ``serve``, notebooks) take
it shared and open the store read-only, so they run together; commands that write (``ingest``,
``resolve``, ``remove``, ``serve --writable``) take it exclusive. A server also writes its URL to
``<store>.endpoint`` while it runs, so that a command refused by the lock can say where to go.

Examples
--------
>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp()) / "store"
>>> with access(folder, write=False), access(folder, write=False):
...     "two readers at once"
'two readers at once'
>>> with access(folder, write=True), announce(folder, "http://127.0.0.1:7878"):
...     try:
...         with access(folder, write=False):
...             pass
...     except StoreBusy as err:
...         print("http://127.0.0.1:7878" in str(err))
True
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path

__all__ = ["StoreBusy", "access", "announce", "endpoint_of"]


class StoreBusy(RuntimeError):
    """Another process holds the store in a way that excludes this use (the message says how)."""


def _beside(location: str | os.PathLike[str], suffix: str) -> Path:
    path = Path(location).resolve()
    return path.with_name(path.name + suffix)


def endpoint_of(location: str | os.PathLike[str]) -> str | None:
    """The URL a running ``seckg serve`` wrote for this store, if any."""
    try:
        text = _beside(location, ".endpoint").read_text(encoding="utf-8").strip()
    except OSError:
        return None
    return text if text.startswith(("http://", "https://")) else None


@contextlib.contextmanager
def access(location: str | os.PathLike[str], *, write: bool) -> Iterator[None]:
    """Hold the store's lock, shared (``write=False``) or exclusive, for the ``with`` block.

    Raises :class:`StoreBusy` at once, naming a server's URL when one is known, if it is taken.
    """
    lock = _beside(location, ".lock")
    lock.parent.mkdir(parents=True, exist_ok=True)
    handle = open(lock, "a+")  # noqa: SIM115  (held for the whole block)
    try:
        try:
            fcntl.flock(handle.fileno(), (fcntl.LOCK_EX if write else fcntl.LOCK_SH) | fcntl.LOCK_NB)
        except BlockingIOError:
            raise StoreBusy(_busy_message(location, write)) from None
        yield
    finally:
        handle.close()


@contextlib.contextmanager
def announce(location: str | os.PathLike[str], url: str) -> Iterator[None]:
    """Write a server's ``url`` beside the store for the ``with`` block (for others' messages)."""
    marker = _beside(location, ".endpoint")
    marker.write_text(url + "\n", encoding="utf-8")
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            marker.unlink()


def _busy_message(location: str | os.PathLike[str], write: bool) -> str:
    url = endpoint_of(location)
    if write:
        where = f"`seckg serve` at {url}" if url else "another command that reads it"
        return (
            f"store {location} is in use by {where}: stop it before writing, or serve the store "
            f"with --writable and send updates to its endpoint"
        )
    where = f"a process serving {url}" if url else "another command (seckg ingest?)"
    hint = f"; query it through {url}/query meanwhile" if url else "; try again when it is done"
    return f"store {location} is being written by {where}{hint}"
