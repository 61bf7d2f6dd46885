"""Does a record keep the extraction contract? Checks for records that come from outside.

``seckg ingest --records`` loads records that another tool (or a person) may have written. Their
JSON shape is checked when they are read (:meth:`graph.model.Record.from_dict`); this module checks
their values against the contract (``../shared/contract/extraction.md``) and the ontology: codes of
the country gazetteer (or ``EU``), agreement types and focus areas of the SKOS schemes, the
contract's events and reference relations, ISO dates, offsets that make a span. A record the
extractor printed always passes.

Examples
--------
>>> from graph.model import Agreement, Record
>>> bad = Agreement("nonsense", parties=("QQQ",))
>>> for problem in record_problems(Record(id="r1", date="2020-13-45", agreements=(bad,))):
...     print(problem)
date '2020-13-45' is not a date (YYYY-MM-DD)
agreements[0].type 'nonsense' is not an agreement type
agreements[0].parties 'QQQ' is not a country code of the gazetteer (or EU)
>>> record_problems(Record(id="r2", countries=("PAN", "USA"), agreements=(Agreement("treaty"),)))
[]
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Collection, Iterable, Iterator

from graph import resources
from graph.model import EVENTS, REFERENCE_RELATIONS, Record

__all__ = ["record_problems"]

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_LANGUAGE = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{1,8})*")
_EVIDENCE_FIELDS = (
    "countries",
    "agencies",
    "people",
    "agreements",
    "focus_areas",
    "agreements.place",  # the richer agreement fields' evidence (graph.extract._richer_evidence)
    "agreements.commitments",
    "agreements.references",
)
_PARTS = ("text", "title")


def record_problems(record: Record) -> list[str]:
    """What in ``record`` breaks the contract, one phrase each (empty when nothing does).

    Parameters
    ----------
    record : Record
        A record read from JSON (:meth:`graph.model.Record.from_dict`).

    Returns
    -------
    list of str
        Each problem as ``field 'value' is not ...``, fields named as in the JSON
        (``agreements[0].parties``), in the record's order.
    """
    return list(_problems(record))


def _problems(record: Record) -> Iterator[str]:
    countries, types = set(resources.country_codes()), set(resources.concept_ids("agreement-types.ttl"))
    focus = set(resources.concept_ids("focus-areas.ttl"))

    def codes(where: str, values: Iterable[str | None]) -> Iterator[str]:
        for value in values:
            if value is not None and not _known(value, countries):
                yield f"{where} {value!r} is not a country code of the gazetteer (or EU)"

    def focus_ids(where: str, values: Iterable[str]) -> Iterator[str]:
        for value in values:
            if not _known(value, focus):
                yield f"{where} {value!r} is not a focus area of ontology/focus-areas.ttl"

    yield from _date("date", record.date)
    if not isinstance(record.language, str) or not _LANGUAGE.fullmatch(record.language):
        yield f"language {record.language!r} is not a language tag (en, es)"
    yield from codes("countries", record.countries)
    for i, agency in enumerate(record.agencies):
        yield from codes(f"agencies[{i}].country", [agency.country])
    for i, person in enumerate(record.people):
        yield from codes(f"people[{i}].country", [person.country])
    for i, agreement in enumerate(record.agreements):
        at = f"agreements[{i}]"
        if not _known(agreement.type, types):
            yield f"{at}.type {agreement.type!r} is not an agreement type"
        yield from _date(f"{at}.date", agreement.date)
        yield from codes(f"{at}.parties", agreement.parties)
        yield from codes(f"{at}.place_country", [agreement.place_country])
        if not _known(agreement.event, EVENTS):
            yield f"{at}.event {agreement.event!r} is not one of {', '.join(EVENTS)}"
        yield from focus_ids(f"{at}.focus_areas", agreement.focus_areas)
        for k, commitment in enumerate(agreement.commitments):
            yield from focus_ids(f"{at}.commitments[{k}].focus_areas", commitment.focus_areas)
            yield from _span(f"{at}.commitments[{k}]", commitment.start, commitment.end)
        for k, ref in enumerate(agreement.references):
            if not _known(ref.relation, REFERENCE_RELATIONS):
                relations = ", ".join(REFERENCE_RELATIONS)
                yield f"{at}.references[{k}].relation {ref.relation!r} is not one of {relations}"
            if ref.type is not None and not _known(ref.type, types):
                yield f"{at}.references[{k}].type {ref.type!r} is not an agreement type"
            yield from codes(f"{at}.references[{k}].parties", ref.parties)
    yield from focus_ids("focus_areas", record.focus_areas)
    for i, ev in enumerate(record.evidence):
        if not _known(ev.field, _EVIDENCE_FIELDS):
            yield f"evidence[{i}].field {ev.field!r} is not one of {', '.join(_EVIDENCE_FIELDS)}"
        if not _known(ev.part, _PARTS):
            yield f"evidence[{i}].part {ev.part!r} is not one of {', '.join(_PARTS)}"
        yield from _span(f"evidence[{i}]", ev.start, ev.end)


def _known(value: object, known: Collection[str]) -> bool:
    """``value`` is one of the strings ``known`` (JSON may give any type where a code belongs)."""
    return isinstance(value, str) and value in known


def _date(where: str, value: str | None) -> Iterator[str]:
    if value is None:
        return
    try:
        if isinstance(value, str) and _DATE.fullmatch(value):
            datetime.date.fromisoformat(value)
            return
    except ValueError:
        pass
    yield f"{where} {value!r} is not a date (YYYY-MM-DD)"


def _span(where: str, start: int, end: int) -> Iterator[str]:
    if not (isinstance(start, int) and isinstance(end, int) and 0 <= start <= end):
        yield f"{where} offsets {start}..{end} are not a span of the text"
