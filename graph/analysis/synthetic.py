"""Synthetic typed graphs of any size, for benchmarks and scale tests (seeded, no store needed).

The graph has the shape of :func:`~graph.analysis.projections.typed_graph`: about 40 % agreements
(two parties, one in ten multilateral; one to three focus areas; up to two signatories), 35 %
people (each in an agency), the rest agencies, plus countries and the focus areas.

Examples
--------
>>> g = synthetic_typed(200, seed=3)
>>> g.number_of_nodes() >= 200, g == g
(True, True)
>>> sorted({d["type"] for _, d in g.nodes(data=True)})
['agency', 'agreement', 'country', 'focus area', 'person']
"""

from __future__ import annotations

import random

import networkx as nx

from graph.analysis.projections import AGENCY, AGREEMENT, COUNTRY, FOCUS, PERSON

__all__ = ["synthetic_typed"]

_TYPES = (
    "letter-of-intent", "memorandum-of-understanding", "memorandum-of-cooperation", "agreement",
    "arrangement", "joint-statement", "declaration", "action-plan", "treaty", "protocol", "other",
)  # fmt: skip
_FOCUS = (
    "cybersecurity", "customs-trade", "border-security", "law-enforcement", "transnational-crime",
    "counter-terrorism", "irregular-migration", "migration-management", "information-sharing",
    "aviation-security", "maritime-security", "capacity-building", "emergency-management",
    "economic-development", "identity-documents",
)  # fmt: skip
_ID = "https://w3id.org/seckg/id/"


def synthetic_typed(nodes: int, *, seed: int = 1) -> nx.MultiDiGraph:
    """A typed graph of about ``nodes`` nodes (a few more: countries and focus areas come first).

    Parameters
    ----------
    nodes : int
        Wanted size.
    seed : int
        Seed of the random choices: the same arguments give the same graph.
    """
    rng = random.Random(seed)
    graph = nx.MultiDiGraph(name="typed", releases=max(1, nodes // 4))
    graph.graph["focus_scheme"] = {f: f.replace("-", " ").capitalize() for f in _FOCUS}
    n_countries = max(5, min(190, nodes // 50))
    countries = [f"C{i:03d}" for i in range(n_countries)]
    for code in countries:
        graph.add_node(_ID + f"country/{code}", iri=_ID + f"country/{code}", label=f"Country {code}",
                       type=COUNTRY, code=code, international=False)  # fmt: skip
    for focus in _FOCUS:
        iri = f"https://w3id.org/seckg/focus/{focus}"
        graph.add_node(iri, iri=iri, label=graph.graph["focus_scheme"][focus], type=FOCUS, code=focus)
    n_agencies = max(1, nodes // 4)
    agencies = []
    for i in range(n_agencies):
        code = countries[int(rng.paretovariate(1.2)) % n_countries]
        iri = _ID + f"agency/{code}/agency-{i}"
        graph.add_node(iri, iri=iri, label=f"Agency {i}", type=AGENCY, country=code)
        graph.add_edge(iri, _ID + f"country/{code}", key="country", relation="country")
        agencies.append((iri, code))
    people = []
    for i in range(max(1, nodes * 35 // 100)):
        unit, code = agencies[rng.randrange(n_agencies)]
        iri = _ID + f"person/person-{i}"
        graph.add_node(iri, iri=iri, label=f"Person {i}", type=PERSON, title="Minister", country=code,
                       organization=graph.nodes[unit]["label"])  # fmt: skip
        graph.add_edge(iri, _ID + f"country/{code}", key="country", relation="country")
        graph.add_edge(iri, unit, key="member of", relation="member of")
        people.append(iri)
    for i in range(max(1, nodes * 40 // 100)):
        k = rng.randint(3, 6) if rng.random() < 0.1 else 2
        parties = sorted({countries[int(rng.paretovariate(1.0)) % n_countries] for _ in range(k)})
        topics = sorted(rng.sample(_FOCUS, rng.randint(1, 3)))
        kind = rng.choice(_TYPES)
        year = rng.randint(2000, 2024)
        signers = rng.sample(people, min(len(people), rng.randint(0, 2)))
        iri = _ID + f"agreement/{kind}-{i:06d}"
        graph.add_node(
            iri, iri=iri, label=f"Agreement {i}", type=AGREEMENT, agreement_type=kind,
            agreement_type_label=kind.replace("-", " ").capitalize(), date=f"{year}-06-01", year=year,
            date_basis="signed", parties=parties,
            signatories=sorted(graph.nodes[p]["label"] for p in signers),
            focus_areas=topics, topics=topics, focus_basis="own", release=_ID + f"release/r{i}",
            release_id=f"r{i}", release_title=f"Release {i}", release_date=f"{year}-06-02",
            release_url=f"https://example.org/r{i}", release_publisher="Example ministry",
            evidence=[f"Sentence {i} reports agreement {i}."],
        )  # fmt: skip
        for code in parties:
            graph.add_edge(iri, _ID + f"country/{code}", key="party", relation="party")
        for person in signers:
            graph.add_edge(iri, person, key="signatory", relation="signatory")
        for topic in topics:
            graph.add_edge(
                iri, f"https://w3id.org/seckg/focus/{topic}", key="focus area", relation="focus area"
            )
    return graph
