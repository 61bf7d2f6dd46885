"""Resolution across releases: reports of one instrument gathered, people named in several forms joined.

Pure matching and clustering (:mod:`~graph.resolve.matching`, :mod:`~graph.resolve.instruments`,
:mod:`~graph.resolve.people`) in the middle; reading the release graphs and writing the
resolution graph at the edge (:mod:`~graph.resolve.store_io`).
"""

from graph.resolve.instruments import Instrument, Link, Resolution, resolve_reports
from graph.resolve.matching import Report, compare

__all__ = ["Instrument", "Link", "Report", "Resolution", "compare", "resolve_reports"]
