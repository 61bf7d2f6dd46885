"""Plain, frozen values that flow through the pipeline.

A :class:`Release` comes out of ingestion; :func:`graph.extract.extract` turns it into a
:class:`Record`, whose :meth:`Record.to_dict` is exactly the extraction record fixed in the
project contract (``shared/contract/extraction.md``), plus a few added fields.

Examples
--------
>>> r = Release(id="x", text="Body.", title="T", date="2020-01-02")
>>> r.language
'en'
>>> Record.from_dict(Record(id="x").to_dict()).id
'x'
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "AGREEMENT_TYPES",
    "EVENTS",
    "REFERENCE_RELATIONS",
    "Agency",
    "Agreement",
    "Commitment",
    "Evidence",
    "Person",
    "Record",
    "Reference",
    "Release",
    "release_content_hash",
]

AGREEMENT_TYPES = (
    "letter-of-intent",
    "memorandum-of-understanding",
    "memorandum-of-cooperation",
    "agreement",
    "arrangement",
    "joint-statement",
    "declaration",
    "action-plan",
    "treaty",
    "protocol",
    "other",
)

EVENTS = ("signed", "in-force", "renewed", "extended", "amended", "announced")
"""What a release reports happening to an instrument (the contract's ``event``)."""

REFERENCE_RELATIONS = ("builds-on", "implements", "extends", "replaces", "amends")
"""How an instrument relates to an earlier one it names (the contract's ``references``)."""


@dataclass(frozen=True)
class Release:
    """One press release as read from a file, a page, a feed entry or a JSON record.

    ``text`` is the body (without the ``---`` metadata header); ``title``, ``date`` (ISO
    ``YYYY-MM-DD``), ``source`` and ``url`` are ``None`` when unknown.
    """

    id: str
    text: str
    title: str | None = None
    date: str | None = None
    source: str | None = None
    url: str | None = None
    language: str = "en"
    path: str | None = None


@dataclass(frozen=True)
class Evidence:
    """Where an item was found: the sentence and its character span.

    ``start``/``end`` are offsets into ``Release.text`` when ``part`` is ``"text"``, or into
    ``Release.title`` when ``part`` is ``"title"``. ``index`` is the item's position in its field,
    or the focus-area id for ``field == "focus_areas"``.
    """

    field: str
    index: int | str
    sentence: str
    start: int
    end: int
    part: str = "text"

    def to_dict(self) -> dict[str, Any]:
        return {
            "field": self.field,
            "index": self.index,
            "sentence": self.sentence,
            "start": self.start,
            "end": self.end,
            "part": self.part,
        }


@dataclass(frozen=True)
class Agency:
    """A government body; ``country`` is an ISO alpha-3 code or ``None`` (international)."""

    name: str
    aliases: tuple[str, ...] = ()
    country: str | None = None
    parent: str | None = None
    qid: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "aliases": list(self.aliases), "country": self.country}


@dataclass(frozen=True)
class Person:
    """A named person, with title, organization (canonical agency name) and country."""

    name: str
    aliases: tuple[str, ...] = ()
    title: str | None = None
    organization: str | None = None
    country: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "aliases": list(self.aliases),
            "title": self.title,
            "organization": self.organization,
            "country": self.country,
        }


@dataclass(frozen=True)
class Commitment:
    """One undertaking of an instrument: its words, focus areas and span in the release text."""

    text: str
    focus_areas: tuple[str, ...] = ()
    start: int = 0
    end: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "focus_areas": list(self.focus_areas),
            "start": self.start,
            "end": self.end,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Commitment:
        return cls(
            str(data["text"]),
            tuple(data.get("focus_areas") or ()),
            int(data.get("start") or 0),
            int(data.get("end") or 0),
        )


@dataclass(frozen=True)
class Reference:
    """An earlier instrument this one builds on, implements, extends, replaces or amends."""

    relation: str
    type: str | None = None
    title: str | None = None
    parties: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "relation": self.relation,
            "type": self.type,
            "title": self.title,
            "parties": list(self.parties),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Reference:
        return cls(
            str(data.get("relation") or "builds-on"),
            data.get("type"),
            data.get("title"),
            tuple(data.get("parties") or ()),
        )


@dataclass(frozen=True)
class Agreement:
    """One release's report of an instrument: signed, in force, renewed, extended, amended or announced.

    ``place`` is where the text says it was signed (as written), ``place_country`` that place's
    state; ``commitments`` the undertakings the text lists; ``references`` earlier instruments it
    names.
    """

    type: str
    title: str | None = None
    date: str | None = None
    parties: tuple[str, ...] = ()
    signatories: tuple[str, ...] = ()
    focus_areas: tuple[str, ...] = ()
    trigger: str | None = None
    event: str = "signed"
    place: str | None = None
    place_country: str | None = None
    commitments: tuple[Commitment, ...] = ()
    references: tuple[Reference, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "title": self.title,
            "date": self.date,
            "parties": list(self.parties),
            "signatories": list(self.signatories),
            "focus_areas": list(self.focus_areas),
            "event": self.event,
            "place": self.place,
            "place_country": self.place_country,
            "commitments": [c.to_dict() for c in self.commitments],
            "references": [r.to_dict() for r in self.references],
            "trigger": self.trigger,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Agreement:
        return cls(
            data["type"],
            data.get("title"),
            data.get("date"),
            tuple(data.get("parties") or ()),
            tuple(data.get("signatories") or ()),
            tuple(data.get("focus_areas") or ()),
            data.get("trigger"),
            data.get("event") or "signed",
            data.get("place"),
            data.get("place_country"),
            tuple(Commitment.from_dict(c) for c in data.get("commitments") or ()),
            tuple(Reference.from_dict(r) for r in data.get("references") or ()),
        )


@dataclass(frozen=True)
class Record:
    """The extraction record of one release (the contract's JSON shape)."""

    id: str
    title: str | None = None
    date: str | None = None
    source: str | None = None
    language: str = "en"
    url: str | None = None
    countries: tuple[str, ...] = ()
    agencies: tuple[Agency, ...] = ()
    people: tuple[Person, ...] = ()
    agreements: tuple[Agreement, ...] = ()
    focus_areas: tuple[str, ...] = ()
    evidence: tuple[Evidence, ...] = field(default=())
    content_hash: str | None = None
    """:func:`release_content_hash` of the release the record was extracted from (a field the
    project adds to the contract's): loading the record alone then stores the same graph as
    loading the release, so re-running either way after the other changes nothing."""

    def to_dict(self) -> dict[str, Any]:
        """Return the contract's JSON object (field order as in the contract, then ``content_hash``)."""
        extra = {"content_hash": self.content_hash} if self.content_hash else {}
        return {
            "id": self.id,
            "title": self.title,
            "date": self.date,
            "source": self.source,
            "language": self.language,
            "url": self.url,
            "countries": list(self.countries),
            "agencies": [a.to_dict() for a in self.agencies],
            "people": [p.to_dict() for p in self.people],
            "agreements": [a.to_dict() for a in self.agreements],
            "focus_areas": list(self.focus_areas),
            "evidence": [e.to_dict() for e in self.evidence],
            **extra,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Record:
        """Rebuild a record from its JSON object (as printed by ``seckg extract``).

        Raises ``ValueError`` naming the missing or malformed field.
        """
        if not isinstance(data, dict) or not data.get("id"):
            raise ValueError("record has no 'id'")
        try:
            return cls(
                id=str(data["id"]),
                title=data.get("title"),
                date=data.get("date"),
                source=data.get("source"),
                language=data.get("language") or "en",
                url=data.get("url"),
                countries=tuple(data.get("countries") or ()),
                agencies=tuple(
                    Agency(a["name"], tuple(a.get("aliases") or ()), a.get("country"))
                    for a in data.get("agencies") or ()
                ),
                people=tuple(
                    Person(
                        p["name"],
                        tuple(p.get("aliases") or ()),
                        p.get("title"),
                        p.get("organization"),
                        p.get("country"),
                    )
                    for p in data.get("people") or ()
                ),
                agreements=tuple(Agreement.from_dict(a) for a in data.get("agreements") or ()),
                focus_areas=tuple(data.get("focus_areas") or ()),
                evidence=tuple(
                    Evidence(
                        e["field"],
                        e["index"],
                        e["sentence"],
                        int(e["start"]),
                        int(e["end"]),
                        e.get("part", "text"),
                    )
                    for e in data.get("evidence") or ()
                ),
                content_hash=data.get("content_hash") or None,
            )
        except (KeyError, TypeError) as err:
            raise ValueError(f"record {data.get('id')!r} is malformed: {err}") from err


def release_content_hash(release: Release) -> str:
    """``sha256:<hex>`` of the release: its text plus the metadata that reaches the graph.

    >>> release_content_hash(Release(id="a", text="x")) == release_content_hash(Release(id="a", text="x"))
    True
    """
    fields = [release.id, release.title, release.date, release.source, release.url, release.language]
    blob = json.dumps(fields, ensure_ascii=False) + "\n" + release.text
    return "sha256:" + hashlib.sha256(blob.encode("utf-8")).hexdigest()
