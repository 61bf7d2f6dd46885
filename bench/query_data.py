"""A seeded store for timing the saved queries: bench_resolve's synthetic releases, made richer.

:func:`bench_resolve.generate` gives releases whose instruments several releases report, with
signatories; :func:`enrich` gives them what the saved queries read besides: real states of the
gazetteer (so that country parameters and the reference graph's labels apply), the bodies of the
agency gazetteer with their people's posts or memberships (so that ``org:subOrganizationOf``
paths have work to do), focus areas, commitments, references to earlier instruments and sentence
evidence. :func:`build_store` loads them with :func:`graph.loading.load_records`, which resolves
them, so the store has the resolution graph and its instruments, as a real store does.
:func:`parameter_values` draws values of each parameter kind from the store.

:func:`build_generated_store` builds the other kind of store: releases written by
:mod:`generated_releases` from the shared corpus's own pieces, extracted and loaded by
``seckg ingest`` as a user's would be. There the same ministers and agencies recur in hundreds of
releases, as they do in real ones, which the synthetic records above do not show.

Run as ``python bench/bench_queries.py``; this module is its data half.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import pyoxigraph as ox
from bench_resolve import STATES, generate
from generated_releases import CORPUS, corpus_pieces
from generated_releases import generate as generate_texts

from graph.loading import load_records
from graph.model import Agency, Commitment, Evidence, Person, Record, Reference
from graph.resources import concept_ids, country_codes, gazetteer_rows
from graph.store import execute, open_store, triple_count
from graph.triples import agency_iri

__all__ = [
    "FIXED_TIME",
    "build_generated_store",
    "build_store",
    "enrich",
    "parameter_values",
    "state_bodies",
]

FIXED_TIME = "2024-01-01T00:00:00Z"
_DONE = "complete"


def state_bodies(seed: int) -> dict[str, list[str]]:
    """``{state code: names of its bodies}`` for 60 states: every state of the agency gazetteer
    (the USA among them), then others of the country gazetteer, drawn with ``seed``; the others
    have no body (their people are named without one)."""
    bodies: dict[str, list[str]] = {}
    for row in gazetteer_rows("agencies"):
        code = (row.get("country") or "").strip()
        if code:
            bodies.setdefault(code, []).append(row["name"].strip())
    codes = sorted(bodies)[: len(STATES)]
    rest = sorted(set(country_codes()) - set(codes) - {"EU"})
    codes += random.Random(seed).sample(rest, len(STATES) - len(codes))
    return {code: sorted(bodies.get(code, [])) for code in codes}


def enrich(records: list[Record], seed: int) -> list[Record]:
    """The releases of :func:`bench_resolve.generate` with real states, bodies, posts, focus areas,
    commitments, references and evidence, drawn with ``seed``.

    >>> from bench_resolve import generate
    >>> [r.countries for r in enrich(generate(2, 1)[0], 1)][0] != generate(2, 1)[0][0].countries
    True
    """
    rng = random.Random(seed)
    bodies = state_bodies(seed)
    code_of = dict(zip(STATES, bodies, strict=True))
    focus_ids = concept_ids("focus-areas.ttl")
    home_body = {code: rng.choice(names) for code, names in bodies.items() if names}
    out = []
    for record in records:
        countries = tuple(code_of[c] for c in record.countries)
        agencies = {}
        for code in countries:
            names = bodies[code]
            if names:  # the state's usual body, or now and then another of its bodies
                agencies[code] = home_body[code] if rng.random() < 0.7 else rng.choice(names)
        people = []
        for person in record.people:
            code = code_of[person.country]
            body = agencies.get(code)
            member = body is not None and rng.random() < 0.2  # named as a member, without a post
            people.append(Person(person.name, (), None if member else person.title, body, code))
        text_at, evidence, agreements, focus_all = 0, [], [], set()

        def sentence(words: str) -> tuple[str, int, int]:
            nonlocal text_at
            start, text_at = text_at, text_at + len(words) + 1
            return words, start, start + len(words)

        for position, agreement in enumerate(record.agreements):
            focus = tuple(sorted(rng.sample(focus_ids, rng.randint(1, 3))))
            focus_all.update(focus)
            parties = tuple(code_of[c] for c in agreement.parties)
            said, start, end = sentence(f"{' and '.join(parties)} {agreement.event} the {agreement.type}.")
            evidence.append(Evidence("agreements", position, said, start, end))
            commitments = []
            for area in focus[: rng.randint(0, 2)]:
                said, start, end = sentence(f"The parties will cooperate on {area.replace('-', ' ')}.")
                commitments.append(Commitment(said, (area,), start, end))
            references = ()
            if rng.random() < 0.1:
                references = (Reference("builds-on", agreement.type, agreement.title, parties),)
            agreements.append(
                replace(
                    agreement,
                    parties=parties,
                    place_country=code_of.get(agreement.place_country or ""),
                    focus_areas=focus,
                    commitments=tuple(commitments),
                    references=references,
                )
            )
        for index, person in enumerate(people):
            said, start, end = sentence(f"{person.title or 'Member'} {person.name} spoke.")
            evidence.append(Evidence("people", index, said, start, end))
        extra = rng.choice(focus_ids)
        focus_all.add(extra)
        said, start, end = sentence(f"They discussed {extra.replace('-', ' ')}.")
        evidence.append(Evidence("focus_areas", extra, said, start, end))
        out.append(
            replace(
                record,
                title=f"Release {record.id}",
                countries=countries,
                agencies=tuple(Agency(name, (), code) for code, name in agencies.items()),
                people=tuple(people),
                agreements=tuple(agreements),
                focus_areas=tuple(sorted(focus_all)),
                evidence=tuple(evidence),
            )
        )
    return out


def build_store(releases: int, seed: int, folder: Path) -> tuple[ox.Store, float]:
    """The store of ``releases`` enriched synthetic releases in ``folder``, loaded and resolved,
    and the seconds that took; a store a previous run completed there is reused (0 seconds)."""
    path = folder / f"store-{releases}-{seed}"
    if (path / _DONE).exists():
        return open_store(path), 0.0
    records = enrich(generate(releases, seed)[0], seed)
    store = open_store(path)
    started = time.perf_counter()
    load_records(store, records, generated_at=FIXED_TIME)
    seconds = time.perf_counter() - started
    (path / _DONE).write_text(f"{triple_count(store)}\n", encoding="utf-8")
    return store, seconds


def build_generated_store(
    releases: int, seed: int, folder: Path, corpus: Path = CORPUS
) -> tuple[ox.Store, float]:
    """The store of ``releases`` releases generated from ``corpus`` (seeded), extracted and loaded
    by ``seckg ingest --jobs 2`` in a process of its own, and the seconds that took; a store a
    previous run completed in ``folder`` is reused (0 seconds)."""
    path = folder / f"generated-{releases}-{seed}"
    if (path / _DONE).exists():
        return open_store(path), 0.0
    with tempfile.TemporaryDirectory(prefix="seckg-bench-texts-") as tmp:
        texts = Path(tmp) / "releases"
        texts.mkdir()
        generate_texts(corpus_pieces(corpus), texts, releases, seed=seed)
        command = [sys.executable, "-m", "graph", "ingest", str(texts), "--store", str(path)]
        started = time.perf_counter()
        subprocess.run(
            [*command, "--jobs", "2", "--no-progress"],
            check=True,
            stdout=subprocess.DEVNULL,
            env={**os.environ, "SECKG_CACHE_DIR": str(Path(tmp) / "cache")},
        )
        seconds = time.perf_counter() - started
    store = open_store(path)
    (path / _DONE).write_text(f"{triple_count(store)}\n", encoding="utf-8")
    return store, seconds


_RESOLUTION = "GRAPH <https://w3id.org/seckg/graph/resolution>"
_POOLS = {
    "country": f"SELECT DISTINCT ?v WHERE {{ {_RESOLUTION} {{ ?a seckg:party ?v }} }}",
    "agency": "SELECT DISTINCT ?v WHERE { GRAPH ?g { ?p org:holds/org:postIn ?v } }",
    "agreement": f"SELECT ?v WHERE {{ {_RESOLUTION} {{ ?v a seckg:Agreement }} }}",
    "person": "SELECT DISTINCT ?v WHERE { GRAPH ?g { ?v schema:jobTitle ?t } }",
}
"""Where the values of a parameter kind come from in the store."""


def parameter_values(store: ox.Store, kind: str, count: int, seed: int) -> list[str]:
    """``count`` values of parameter kind ``kind`` present in ``store`` (drawn with ``seed``), as
    ``seckg query --param`` takes them; the DHS comes first among agencies (the queries' default).
    """
    rng = random.Random(seed)
    if kind == "focus":
        pool = list(concept_ids("focus-areas.ttl"))
    elif kind == "integer":
        pool = [str(year) for year in range(2000, 2025)]
    elif kind in _POOLS:
        pool = sorted(row["v"].value for row in execute(store, _POOLS[kind]))
        if kind == "country":
            pool = [iri.rsplit("/", 1)[1] for iri in pool]
    else:
        raise ValueError(f"no values for parameter kind {kind!r}")
    if kind == "agency":
        first = str(agency_iri("Department of Homeland Security", "USA"))
        rest = [iri for iri in pool if iri != first]
        return [first, *rng.sample(rest, min(count - 1, len(rest)))]
    return rng.sample(pool, min(count, len(pool)))
