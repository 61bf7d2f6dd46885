"""The ``seckg`` entry point (the console script and ``python -m graph``).

It imports the command line only when called, for two reasons:

- each worker process of ``seckg extract`` starts by running the script that started the tool
  once more, as ``__mp_main__`` (the way :mod:`multiprocessing` prepares a child whose parent ran
  a script): a worker then pays for :mod:`graph` only, which its fork server has already
  imported, not for the whole command line (:mod:`graph.cli`: Typer, Rich, the store, every
  command);
- for the commands that extract in worker processes (``extract``, ``ingest``), the workers' fork
  server is started first (:func:`~graph.extraction_worker.start_fork_server`): it imports the
  extractor and builds its tables, most of a second, while this process imports and parses the
  command line, instead of after. When the command then needs no worker (``--help``,
  ``--time-limit 0``, ``--engine dask``), the server is left unused and ends with the tool.

Examples
--------
>>> import subprocess, sys
>>> code = "import sys, graph.console; print('graph.cli' in sys.modules)"
>>> subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout
'False\\n'
"""

from __future__ import annotations

import logging
import sys

__all__ = ["main", "warnings_to_stderr"]

#: The commands that read and extract releases in worker processes.
EXTRACTING_COMMANDS = frozenset({"extract", "ingest"})


class _Stderr(logging.Handler):
    """A record as ``warning: message`` (``error: ...``) on standard error as it is at the time:
    the form of the tool's own error lines, where Python's last-resort handler prints the bare
    message."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            sys.stderr.write(f"{record.levelname.lower()}: {record.getMessage()}\n")
        except Exception:  # a closed stream: as any handler, report and go on
            self.handleError(record)


def warnings_to_stderr() -> None:
    """Print the library's warnings and errors (the ``graph`` loggers) as ``warning: ...`` lines,
    once per process: for the processes of the tool (the command line, its workers), never on
    import (a program that uses :mod:`graph` as a library configures its own logging)."""
    logger = logging.getLogger("graph")
    if not any(isinstance(handler, _Stderr) for handler in logger.handlers):
        logger.addHandler(_Stderr(logging.WARNING))


def main() -> None:
    """Run the ``seckg`` command line (:func:`graph.cli.main`)."""
    if sys.argv[1:2] and sys.argv[1] in EXTRACTING_COMMANDS:
        from graph.extraction_worker import start_fork_server

        start_fork_server()
    from graph.cli import main as run

    run()
