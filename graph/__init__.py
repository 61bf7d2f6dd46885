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

from graph.extract import extract
from graph.ingest import IngestError, read_path, read_paths, read_text
from graph.model import Agency, Agreement, Evidence, Person, Record, Release

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
