"""seckg: a knowledge graph of regional security cooperation built from press releases.

Importing :mod:`graph` has no side effects; the entry points below load their data lazily.

Examples
--------
>>> from graph import Release, extract
>>> text = "Canada and Mexico signed a memorandum of understanding on customs."
>>> rec = extract(Release(id="demo", text=text))
>>> rec.countries, rec.agreements[0].type
(('CAN', 'MEX'), 'memorandum-of-understanding')
"""

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from graph.extract import extract
    from graph.ingest import IngestError, read_path, read_paths, read_text
    from graph.model import Agency, Agreement, Evidence, Person, Record, Release

#: Where each name of :data:`__all__` lives: imported on first use, so that ``import graph``, and
#: every ``import graph.<module>``, costs only what that module needs.
_HOMES = {
    "extract": "graph.extract",
    **dict.fromkeys(("IngestError", "read_path", "read_paths", "read_text"), "graph.ingest"),
    **dict.fromkeys(("Agency", "Agreement", "Evidence", "Person", "Record", "Release"), "graph.model"),
}

__all__ = [
    "Agency",
    "Agreement",
    "Evidence",
    "IngestError",
    "Person",
    "Record",
    "Release",
    "extract",
    "read_path",
    "read_paths",
    "read_text",
]

__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'graph' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
