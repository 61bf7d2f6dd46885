"""Instruments as tables: one row per report (the measurement interface) or one per instrument.

:func:`report_rows` gives, for every release's report of an agreement, the instrument it belongs
to and why it was merged; :func:`instrument_rows` gives one row per instrument, the dataset an
analyst loads in pandas. Both read the store with SPARQL (local or remote) and sort their rows.

Examples
--------
>>> import pyoxigraph as ox
>>> from graph.loading import load_records
>>> from graph.model import Agreement, Record
>>> store = ox.Store()
>>> _ = load_records(store, [Record(id="a", agreements=(Agreement("treaty", parties=("AUS", "IDN")),))])
>>> [(row["release"], row["index"], row["type"], row["parties"]) for row in report_rows(store)]
[('a', 0, 'treaty', 'AUS,IDN')]
>>> instrument_rows(store)[0]["reports"]
1
"""

from __future__ import annotations

import csv
import os
from collections import defaultdict
from pathlib import Path

from graph.analysis.facts import code_of
from graph.files import write_atomic
from graph.namespaces import RESOLUTION_GRAPH
from graph.store import StoreLike, execute

__all__ = ["INSTRUMENT_COLUMNS", "REPORT_COLUMNS", "instrument_rows", "report_rows", "write_rows"]

REPORT_COLUMNS = (
    "instrument", "release", "index", "type", "parties", "event", "date", "place", "place_country",
    "title", "rule", "instrument_label", "status", "release_date",
)  # fmt: skip
"""Columns of :func:`report_rows` (``rule``: why the report was merged, empty when alone)."""
INSTRUMENT_COLUMNS = (
    "instrument", "label", "type", "parties", "signed_on", "status", "place", "place_country", "reports",
    "releases", "first_reported", "last_reported", "events", "signatories", "focus_areas", "commitments",
    "possibly_same",
)  # fmt: skip
"""Columns of :func:`instrument_rows`."""

_RES = f"<{RESOLUTION_GRAPH}>"
_REPORTS = f"""
SELECT ?instrument ?report ?release ?index ?type ?event ?date ?place ?country ?title ?issued
       (GROUP_CONCAT(DISTINCT ?code; separator=",") AS ?parties)
WHERE {{
  GRAPH {_RES} {{ ?report seckg:reportOf ?instrument }}
  GRAPH ?g {{
    ?report seckg:position ?index ; seckg:reportedBy ?rel ; dcterms:type ?t ; seckg:event ?event .
    ?rel dcterms:identifier ?release .
    OPTIONAL {{ ?rel dcterms:issued ?issued }}
    OPTIONAL {{ ?report seckg:signedOn ?date }}
    OPTIONAL {{ ?report seckg:place ?place }}
    OPTIONAL {{ ?report seckg:placeCountry ?pc BIND(STRAFTER(STR(?pc), "/country/") AS ?country) }}
    OPTIONAL {{ ?report dcterms:title ?title }}
    OPTIONAL {{ ?report seckg:party ?p BIND(STRAFTER(STR(?p), "/country/") AS ?code) }}
    BIND(REPLACE(STR(?t), "^.*/", "") AS ?type)
  }}
}}
GROUP BY ?instrument ?report ?release ?index ?type ?event ?date ?place ?country ?title ?issued"""
_RULES = f"""
SELECT ?report ?rule WHERE {{
  GRAPH {_RES} {{ ?link seckg:decision "merged" ; seckg:linkedReport ?report ; seckg:rule ?rule }}
}}"""
_INSTRUMENTS = f"""
SELECT ?instrument ?p ?o WHERE {{
  VALUES ?p {{ rdfs:label dcterms:type seckg:party seckg:signedOn seckg:status seckg:place seckg:placeCountry
              seckg:signatory seckg:focusArea seckg:possiblySame }}
  GRAPH {_RES} {{ ?instrument a seckg:Agreement ; ?p ?o }}
}}"""
_COMMITMENTS = f"""
SELECT ?instrument (COUNT(DISTINCT ?c) AS ?n) WHERE {{
  GRAPH {_RES} {{ ?instrument seckg:report ?report }}
  GRAPH ?g {{ ?report seckg:commitment ?c }}
}} GROUP BY ?instrument"""
_NAMES = "SELECT ?s ?name WHERE { GRAPH ?g { ?s foaf:name ?name } }"


def _value(term) -> str:
    return "" if term is None else term.value


def report_rows(store: StoreLike) -> list[dict]:
    """One row per report (:data:`REPORT_COLUMNS`), sorted by instrument, release date, release, index."""
    rules: dict[str, set[str]] = defaultdict(set)
    for row in execute(store, _RULES):
        rules[row["report"].value].add(row["rule"].value)
    labels, status = {}, {}
    for row in execute(store, _INSTRUMENTS):
        name = code_of(row["p"].value)
        if name == "label":
            labels[row["instrument"].value] = row["o"].value
        elif name == "status":
            status[row["instrument"].value] = row["o"].value
    out = []
    for row in execute(store, _REPORTS):
        instrument = row["instrument"].value
        parties = ",".join(sorted(filter(None, _value(row["parties"]).split(","))))
        out.append({
            "instrument": instrument, "release": row["release"].value, "index": int(row["index"].value),
            "type": row["type"].value, "parties": parties,
            "event": row["event"].value, "date": _value(row["date"]), "place": _value(row["place"]),
            "place_country": _value(row["country"]), "title": _value(row["title"]),
            "rule": ",".join(sorted(rules.get(row["report"].value, ()))),
            "instrument_label": labels.get(instrument, ""), "status": status.get(instrument, ""),
            "release_date": _value(row["issued"]),
        })  # fmt: skip
    return sorted(out, key=lambda r: (r["instrument"], r["release_date"] or "9999", r["release"], r["index"]))


def instrument_rows(store: StoreLike) -> list[dict]:
    """One row per instrument (:data:`INSTRUMENT_COLUMNS`), sorted by signing date, then IRI."""
    props: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for row in execute(store, _INSTRUMENTS):
        props[row["instrument"].value][code_of(row["p"].value)].add(row["o"].value)
    names = {row["s"].value: row["name"].value for row in execute(store, _NAMES)}
    commitments = {row["instrument"].value: int(row["n"].value) for row in execute(store, _COMMITMENTS)}
    reports: dict[str, list[dict]] = defaultdict(list)
    for row in report_rows(store):
        reports[row["instrument"]].append(row)
    out = []
    for iri, p in props.items():
        mine = reports.get(iri, [])
        dates = sorted(r["release_date"] for r in mine if r["release_date"])

        def one(key: str, p=p) -> str:
            return sorted(p.get(key, {""}))[0]

        out.append({
            "instrument": iri, "label": one("label"), "type": code_of(one("type")),
            "parties": ",".join(sorted(code_of(x) for x in p.get("party", ()))), "signed_on": one("signedOn"),
            "status": one("status"), "place": one("place"), "place_country": code_of(one("placeCountry")),
            "reports": len(mine), "releases": ",".join(r["release"] for r in mine),
            "first_reported": dates[0] if dates else "", "last_reported": dates[-1] if dates else "",
            "events": ",".join(r["event"] for r in mine),
            "signatories": "; ".join(sorted(names.get(x, code_of(x)) for x in p.get("signatory", ()))),
            "focus_areas": ",".join(sorted(code_of(x) for x in p.get("focusArea", ()))),
            "commitments": commitments.get(iri, 0),
            "possibly_same": ",".join(sorted(p.get("possiblySame", ()))),
        })  # fmt: skip
    return sorted(out, key=lambda r: (r["signed_on"] or r["first_reported"] or "9999", r["instrument"]))


def write_rows(rows: list[dict], columns: tuple[str, ...], out: str | os.PathLike[str]) -> Path:
    """Write ``rows`` as CSV with ``columns`` (UTF-8, a header line), atomically; return the path.

    >>> import tempfile, pathlib
    >>> path = write_rows([{"a": 1, "b": "x,y"}], ("a", "b"), pathlib.Path(tempfile.mkdtemp()) / "t.csv")
    >>> path.read_text().splitlines()
    ['a,b', '1,"x,y"']
    """
    import io

    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path = Path(out)
    write_atomic(path, buffer.getvalue().encode("utf-8"))
    return path
