"""The ``seckg`` console script's entry point: it imports the command line only when called.

Each worker process of ``seckg extract`` starts by running the script that started the tool once
more, as ``__mp_main__`` (the way :mod:`multiprocessing` prepares a child whose parent ran a
script). The installed ``seckg`` script imports this module, so that a worker pays for
:mod:`graph` only, which its fork server has already imported, not for the whole command line
(:mod:`graph.cli`: Typer, Rich, the store, every command).

Examples
--------
>>> import subprocess, sys
>>> code = "import sys, graph.console; print('graph.cli' in sys.modules)"
>>> subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout
'False\\n'
"""

from __future__ import annotations

__all__ = ["main"]


def main() -> None:
    """Run the ``seckg`` command line (:func:`graph.cli.main`)."""
    from graph.cli import main as run

    run()
