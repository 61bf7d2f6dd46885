"""What every extraction worker needs, loaded once in the fork server the workers start from.

Importing this module imports the extractor and the readers, reads the lexicon (the gazetteers
compiled into one automaton) and builds the city table (:func:`graph.extract.cities.city_states`).
:mod:`graph.extraction_worker` names it as the fork server's preload, so each worker forked from
that server starts with all of it in memory, shared with the others page by page, instead of
importing and building it again: a worker starts in milliseconds, and its first release takes no
longer than the others. Nothing of the command line (:mod:`graph.cli`: Typer, Rich, the store) is
imported here.

It then extracts two short releases of its own (English and Spanish), so that what the extractor
loads on its first use (month names from CLDR, rule patterns compiled on demand) is loaded here
once, not in every worker on its first release (some 60 ms each).

Then the garbage collector is told that everything loaded so far is permanent
(:func:`gc.freeze`): the workers' collections skip the tables, and do not write to their shared
pages.

Examples
--------
>>> from graph import extraction_preload
>>> extraction_preload.LEXICON.matcher is not None, extraction_preload.CITIES["lima"][0][0]
(True, 'PER')
"""

from __future__ import annotations

import gc

import graph.extraction_worker  # the worker's own code, for the fork server to hold
import graph.ingest  # noqa: F401  (the readers)
from graph.extract import extract, lexicon
from graph.extract.cities import city_states
from graph.extract.lexicon import Lexicon
from graph.model import Release

__all__ = ["CITIES", "LEXICON"]

#: The lexicon, read once when the fork server starts.
LEXICON: Lexicon = lexicon.load()
#: The city table, built once when the fork server starts (the workers' ``city_states()``).
CITIES: dict[str, tuple[tuple[str, int], ...]] = city_states()

#: Two releases written for the warm-up: a signing with a date, a place and a commitment.
_WARM_UP = (
    Release(id="warm-up-en", language="en", date="2024-03-12", title="Canada and Mexico Sign Memorandum",
            text="OTTAWA, March 12, 2024 - The Minister of Public Safety of Canada and the Secretary of "
                 "Security of Mexico signed a memorandum of understanding on customs cooperation in Ottawa. "
                 "Both countries commit to strengthen cybersecurity cooperation."),
    Release(id="warm-up-es", language="es", date="2024-03-12", title="México y Perú firman un memorando",
            text="LIMA, 12 de marzo de 2024 - El Ministro del Interior del Perú y el Secretario de Seguridad "
                 "de México firmaron un memorando de entendimiento sobre cooperación aduanera en Lima."),
)  # fmt: skip
for _release in _WARM_UP:
    extract(_release)

gc.freeze()
