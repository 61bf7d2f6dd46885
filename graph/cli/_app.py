"""The Typer application that every command module registers on."""

from __future__ import annotations

import typer

__all__ = ["app"]

app = typer.Typer(
    name="seckg",
    help="Build, query and explore a knowledge graph of security cooperation from press releases.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="markdown",
)


@app.callback()
def _root() -> None:
    """Build, query and explore a knowledge graph of security cooperation from press releases."""
