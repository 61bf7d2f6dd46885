"""Options shared by every command that reads or writes the graph (``--store``), and running a
command's work against the store.

``--store`` is a directory (an embedded Oxigraph store) or an ``http(s)://`` SPARQL server; its
default is ``.seckg/store`` in the working directory, and the ``SECKG_STORE`` environment
variable overrides the default. Later commands (``stats``, ``render``) declare it the same way::

    from graph.cli.options import DEFAULT_STORE, StoreOption, exit_with, with_store

    @app.command("stats")
    def stats_command(store: StoreOption = DEFAULT_STORE) -> None:
        exit_with(with_store(store, lambda handle: print_stats(handle), must_exist=True))
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable
from enum import Enum
from pathlib import Path
from typing import Annotated, cast

import typer

from graph.remote import RemoteError, RemoteStore
from graph.store import DEFAULT_STORE, StoreError, StoreLike, is_remote, missing_store, open_store
from graph.store_lock import StoreBusy, access

__all__ = [
    "DEFAULT_STORE",
    "AllowPrivateOption",
    "FetchLinkedOption",
    "JobsOption",
    "MemoryLimitOption",
    "StoreOption",
    "TextOrJson",
    "TimeLimitOption",
    "choices",
    "counted",
    "error",
    "exit_with",
    "fail",
    "open_cli_store",
    "prepare_out",
    "warning",
    "with_store",
]

StoreOption = Annotated[
    str,
    typer.Option(
        "--store",
        envvar="SECKG_STORE",
        help="Store: a directory (embedded Oxigraph) or an http(s):// SPARQL 1.1 server.",
        show_default=True,
    ),
]

FetchLinkedOption = Annotated[
    bool,
    typer.Option(
        "--fetch-linked-pages",
        help="Fetch the page a feed entry links to when the entry holds only a summary (network).",
    ),
]
AllowPrivateOption = Annotated[
    bool,
    typer.Option(
        "--allow-private-hosts",
        help="Let --fetch-linked-pages reach loopback, private and link-local addresses.",
    ),
]

TimeLimitOption = Annotated[
    float,
    typer.Option(
        "--time-limit",
        min=0,
        help="Seconds each file or URL may take to read and extract (0: no limit, no worker process).",
    ),
]
JobsOption = Annotated[
    int,
    typer.Option(
        "--jobs",
        "-j",
        min=0,
        help="Worker processes at once (0: one per core; 1: one at a time). Output order is kept.",
    ),
]
MemoryLimitOption = Annotated[
    int,
    typer.Option("--memory-limit", min=64, help="MiB of memory the worker reading each input may use."),
]

EXPECTED_ERRORS: tuple[type[Exception], ...] = (StoreError, RemoteError, OSError, ValueError, RuntimeError)
"""Failures a command reports as one line (``QueryError`` is a ``ValueError``)."""


def error(message: str) -> None:
    """Print ``error: message`` on stderr."""
    typer.echo(f"error: {message}", err=True)


def counted(n: int, noun: str) -> str:
    """``n`` and the noun, singular for one: ``counted(1, "release")`` is ``1 release``.

    >>> counted(1, "release"), counted(0, "triple"), counted(12, "graph")
    ('1 release', '0 triples', '12 graphs')
    """
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def warning(message: str) -> None:
    """Print ``warning: message`` on stderr (something to know; nothing failed)."""
    typer.echo(f"warning: {message}", err=True)


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print ``error: message`` and return the ``typer.Exit`` to raise (for bad usage, before any store)."""
    error(message)
    return typer.Exit(code)


def prepare_out(out: Path | None, *, folder: bool = False) -> None:
    """Create the folders ``--out`` needs (its parent, or ``out`` itself when ``folder``), or end the
    command with ``error: cannot write OUT: reason`` and status 1 (a file is in the way, no permission).
    """
    if out is None:
        return
    target = out if folder else out.parent
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        # mkdir says "File exists" when a file stands where a folder must be: name that file
        blocker = next((p for p in (target, *target.parents) if p.exists() and not p.is_dir()), None)
        reason = f"{blocker} is a file, not a folder" if blocker is not None else err.strerror or err
        raise fail(f"cannot write {out}: {reason}") from err


def exit_with(code: int) -> None:
    """End the command with status ``code`` (nothing to do for 0)."""
    if code:
        raise typer.Exit(code)


def open_cli_store(location: str, *, must_exist: bool = False) -> StoreLike:
    """Open ``--store`` or end the command with a one-line error and status 1.

    Prefer :func:`with_store`, which also releases the store before the command ends.
    """
    try:
        return open_store(location, create=not must_exist)
    except StoreError as err:
        raise fail(str(err)) from err


def with_store(
    location: str,
    action: Callable[[StoreLike], int | None],
    *,
    must_exist: bool = False,
    read_only: bool = False,
) -> int:
    """Open ``--store``, run ``action`` on it, and return an exit status.

    Expected failures become a one-line ``error:`` message and status 1, never a traceback. The
    store is released before this returns, so a directory store is unlocked even when the command
    runs inside another program (a notebook, a test). ``must_exist`` refuses to create a missing
    directory store (for commands that only read). ``read_only`` opens a directory store read-only
    under a shared lock (:mod:`graph.store_lock`), so readers run beside each other and beside a
    read-only ``serve``; otherwise the command holds the lock alone, as a writer.
    """
    local = not is_remote(location) and str(location) != ":memory:"
    if local and (must_exist or read_only) and not Path(location).exists():
        error(str(missing_store(location)))  # before the lock: a mistyped path leaves no lock file
        return 1
    guard = access(location, write=not read_only) if local else contextlib.nullcontext()
    try:
        with guard:
            try:
                store = open_store(location, create=not must_exist, read_only=read_only and local)
            except StoreError as err:
                error(str(err))
                return 1
            try:
                return action(store) or 0
            except EXPECTED_ERRORS as err:
                error(str(err))
                return 1
            finally:
                if isinstance(store, RemoteStore):
                    store.close()
                del store
    except StoreBusy as err:
        error(str(err))
        return 1


def choices(name: str, values: Iterable[str]) -> type[Enum]:
    """The type of an option that takes one of ``values``: a ``str`` enum whose members are the values.

    Help lists the values (``[text|json]``), and any other value is a usage error (status 2) that
    names them, before the command runs. Bind it to a module-level name and take ``.value``::

        Format = choices("Format", ("text", "json"))

        def command(fmt: Annotated[Format, typer.Option("--format")] = Format.text) -> None:
            print(fmt.value)

    >>> [member.value for member in choices("Format", ("text", "json"))]
    ['text', 'json']
    """
    # the functional API makes a class; mypy reads the call as making a member
    return cast("type[Enum]", Enum(name, {value: value for value in values}, type=str))


TextOrJson = choices("TextOrJson", ("text", "json"))
"""``--format`` of the commands that print either text or JSON."""
