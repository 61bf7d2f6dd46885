"""Command-line interface: ``seckg`` (also ``python -m graph``).

The commands live in one module per concern and register themselves on :data:`app`.
"""

from __future__ import annotations

from graph.cli import explore_cmds as _explore_cmds  # noqa: F401  (registers commands)
from graph.cli import extract as _extract  # noqa: F401
from graph.cli import resolve_cmds as _resolve_cmds  # noqa: F401
from graph.cli import store_cmds as _store_cmds  # noqa: F401
from graph.cli._app import app

__all__ = ["app", "main"]


def main() -> None:
    """Run the ``seckg`` command line."""
    app()
