"""Options shared by every command that reads or writes the graph (``--store``), and opening it.

``--store`` is a directory (an embedded Oxigraph store) or an ``http(s)://`` SPARQL server; its
default is ``.seckg/store`` in the working directory, and the ``SECKG_STORE`` environment
variable overrides the default. Later commands (``stats``, ``render``) declare it the same way::

    from graph.cli.options import StoreOption, open_cli_store

    @app.command("stats")
    def stats_command(store: StoreOption = DEFAULT_STORE) -> None:
        handle = open_cli_store(store, must_exist=True)
"""

from __future__ import annotations

import logging
from typing import Annotated

import typer
from rich.console import Console

from graph.store import DEFAULT_STORE, StoreError, StoreLike, is_remote, open_store

__all__ = ["DEFAULT_STORE", "StoreOption", "fail", "open_cli_store"]

log = logging.getLogger(__name__)

StoreOption = Annotated[
    str,
    typer.Option(
        "--store",
        envvar="SECKG_STORE",
        help="Store: a directory (embedded Oxigraph) or an http(s):// SPARQL 1.1 server.",
        show_default=True,
    ),
]

_err = Console(stderr=True, highlight=False)


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print ``error: message`` on stderr and return the ``typer.Exit`` to raise."""
    _err.print(f"error: {message}", markup=False, soft_wrap=True)
    return typer.Exit(code)


def open_cli_store(location: str, *, must_exist: bool = False, read_only_fallback: bool = False) -> StoreLike:
    """Open ``--store`` for a command, turning failures into a one-line error and exit status 1.

    ``must_exist`` refuses to create a missing directory store; ``read_only_fallback`` opens a
    directory read-only when another process (a running ``seckg serve``) holds it.
    """
    try:
        return open_store(location, create=not must_exist)
    except StoreError as err:
        if read_only_fallback and not is_remote(location) and "in use" in str(err):
            log.info("store %s is in use: opened read-only", location)
            try:
                return open_store(location, read_only=True)
            except StoreError as again:
                raise fail(str(again)) from again
        raise fail(str(err)) from err
