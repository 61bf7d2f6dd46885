"""What every extraction worker needs, loaded once in the fork server the workers start from.

Importing this module imports the extractor and the readers and reads the lexicon (the gazetteers
compiled into one automaton). :mod:`graph.cli._worker` names it as the fork server's preload, so
each worker forked from that server starts with all of it in memory, shared with the others
page by page, instead of importing and compiling it again: a worker starts in milliseconds.

Examples
--------
>>> from graph.cli import _preload
>>> _preload.LEXICON.matcher is not None
True
"""

from __future__ import annotations

import graph.cli._worker  # the worker's own code, for the fork server to hold
import graph.ingest  # noqa: F401  (the readers)
from graph.extract import lexicon
from graph.extract.lexicon import Lexicon

__all__ = ["LEXICON"]

#: The lexicon, read once when the fork server starts.
LEXICON: Lexicon = lexicon.load()
