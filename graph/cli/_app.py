"""The Typer application that every command module registers on.

Conventions every command follows: ``-h`` is ``--help``, ``seckg --version`` prints the version
(and whether the extractor runs compiled, ``make compiled``), and an option that takes one of a
few values lists them in its help and refuses any other value as a usage error (status 2) naming
them (see :func:`graph.cli.options.choices`).
"""

from __future__ import annotations

from importlib.machinery import EXTENSION_SUFFIXES
from importlib.metadata import PackageNotFoundError, version
from importlib.util import find_spec
from typing import Annotated

import typer

from graph.console import warnings_to_stderr

__all__ = ["app", "extractor_compiled", "package_version"]

app = typer.Typer(
    name="seckg",
    help="Build, query and explore a knowledge graph of security cooperation from press releases.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="markdown",
    context_settings={"help_option_names": ["-h", "--help"]},
)


def package_version() -> str:
    """The installed version of the ``seckg`` distribution (``unknown`` when it is not installed).

    >>> package_version().count(".") >= 1 or package_version() == "unknown"
    True
    """
    try:
        return version("seckg")
    except PackageNotFoundError:
        return "unknown"


def extractor_compiled() -> bool:
    """Whether the extractor's modules run as compiled extensions (the build ``make compiled``
    makes) rather than as Python source.

    >>> extractor_compiled() in (True, False)
    True
    """
    spec = find_spec("graph.extract.doc")
    origin = spec.origin if spec is not None else None
    return origin is not None and origin.endswith(tuple(EXTENSION_SUFFIXES))


def _print_version(given: bool) -> None:
    if given:
        compiled = "yes" if extractor_compiled() else "no"
        typer.echo(f"seckg {package_version()} (extractor compiled: {compiled})")
        raise typer.Exit()


@app.callback()
def _root(
    show_version: Annotated[
        bool,
        typer.Option("--version", callback=_print_version, is_eager=True, help="Print the version and exit."),
    ] = False,
) -> None:
    """Build, query and explore a knowledge graph of security cooperation from press releases."""
    warnings_to_stderr()
