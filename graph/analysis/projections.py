"""Projections of the RDF graph to networkx, each an explicit rule.

Every node carries ``iri``, ``label`` and ``type``; node ids are the IRIs. Agreement nodes are
*instruments* (:mod:`graph.resolve` gathers the reports of one instrument across releases), so an
instrument reported by two releases counts once; its reports travel with it (``reports``).

``typed``
    The typed graph (:func:`typed_graph`, a ``MultiDiGraph``, edge key = relation). Nodes: every
    instrument (from the resolution graph), agency and person stated in a release graph (a person
    under the fullest form of the name); every country (or the EU) that an agreement, agency or
    person points to; every focus area an agreement itself covers. Edges:
    agreement -party-> country, agreement -signatory-> person, agreement -focus area-> focus area,
    agency -country-> country, person -country-> country, person -member of-> agency (``org:memberOf``
    or a post in it), agency -sub-organization of-> agency (when both are nodes).
``countries``
    The cooperation graph (:func:`country_graph`, undirected): countries that are party to an
    agreement; one edge per pair of parties of an agreement (a multilateral agreement links all its
    parties pairwise), ``weight`` = number of agreements, with their ``years``, ``focus_areas`` and
    ``types`` on the edge.
``country-focus``
    The bipartite graph (:func:`country_focus_graph`): countries (``bipartite=0``) and focus areas
    (``bipartite=1``); an edge when the country is party to an agreement on that focus area,
    ``weight`` = number of such agreements.
``agencies``
    The agency graph (:func:`agency_graph`, undirected): the agencies of the typed graph plus their
    ancestors; a ``sub-organization of`` edge from each agency to its parent, and a ``co-signed``
    edge between two agencies whose people signed the same agreement (``weight`` = agreements).

An agreement's *focus areas* are its own (``seckg:focusArea``); one with none inherits those of
the releases that report it (``inherit=True``, the default; the node says which in
``focus_basis``). Its *year* is that of its signing date, else of its first release's date.

Examples
--------
>>> import pyoxigraph as ox
>>> g = typed_graph(ox.Store())
>>> g.number_of_nodes(), country_graph(g).number_of_nodes()
(0, 0)
"""

from __future__ import annotations

import itertools
import logging
from collections import defaultdict

import networkx as nx

from graph.analysis.facts import Facts, code_of, read_facts
from graph.namespaces import FOCUS as FOCUS_NS
from graph.store import StoreLike

__all__ = [
    "AGENCY",
    "AGREEMENT",
    "COUNTRY",
    "FOCUS",
    "NODE_TYPES",
    "PERSON",
    "PROJECTIONS",
    "agency_graph",
    "agreements",
    "country_focus_graph",
    "country_graph",
    "project",
    "typed_graph",
]

log = logging.getLogger(__name__)

AGREEMENT, COUNTRY, AGENCY, PERSON, FOCUS = "agreement", "country", "agency", "person", "focus area"
NODE_TYPES = (AGREEMENT, COUNTRY, AGENCY, PERSON, FOCUS)
"""The node types of the typed graph, in legend order."""
_FOCUS_BASE = str(FOCUS_NS)
PROJECTIONS = ("typed", "countries", "country-focus", "agencies")
"""Names of the projections :func:`project` knows."""


def _first(props: dict, key: str) -> str | None:
    values = props.get(key) or []
    return values[0] if values else None


def _year(date: str | None) -> int | None:
    return int(date[:4]) if date and date[:4].isdigit() else None


def _add_reported(graph: nx.MultiDiGraph, facts: Facts) -> None:
    """Dates on which releases mention each node (``first_reported``, ``last_reported``, ``releases``)."""
    seen: dict[str, set] = defaultdict(set)
    for release, props in facts.releases.items():
        issued = _first(props, "issued")
        for node in props.get("mentions", []) + props.get("subject", []):
            seen[node].add((issued or "", release))
    for node, data in graph.nodes(data=True):
        if data["type"] == AGREEMENT:
            continue
        found = seen.get(node, set())
        dates = sorted(d for d, _ in found if d)
        data["releases"] = len({r for _, r in found})
        data["first_reported"] = dates[0] if dates else None
        data["last_reported"] = dates[-1] if dates else None


def _reports(facts: Facts, props: dict[str, list]) -> list[dict]:
    """An instrument's reports, oldest release first: release, id, date, event, type, title, place."""
    out = []
    for report in props.get("report", []):
        rp = facts.reports.get(report, {})
        release = _first(rp, "reportedBy")
        about = facts.releases.get(release or "", {})
        kind = _first(rp, "type")
        out.append({
            "report": report, "release": release, "release_id": _first(about, "identifier"),
            "release_title": _first(about, "title"), "release_date": _first(about, "issued"),
            "release_url": _first(about, "source"), "event": _first(rp, "event") or "signed",
            "type": code_of(kind) if kind else None, "title": _first(rp, "label"),
            "place": _first(rp, "place"),
        })  # fmt: skip
    return sorted(out, key=lambda r: (r["release_date"] or "9999", r["release_id"] or "", r["report"]))


def typed_graph(store: StoreLike | Facts, *, inherit: bool = True) -> nx.MultiDiGraph:
    """Project the store to the typed graph (the rule is in the module docstring).

    Parameters
    ----------
    store : pyoxigraph.Store, RemoteStore or Facts
        The store (or facts already read from it by :func:`graph.analysis.facts.read_facts`).
    inherit : bool
        Give agreements without focus areas of their own those of their release (``topics``).

    Returns
    -------
    networkx.MultiDiGraph
        The graph's ``releases`` is the number of releases, ``focus_scheme`` maps every
        focus-area id the store knows to its label. Agreement nodes carry ``agreement_type``,
        ``date``, ``year``, ``parties`` (codes),
        ``signatories`` (names), ``focus_areas`` (own ids), ``topics`` (own or inherited ids),
        ``focus_basis``, ``status``, ``release`` (the first to report it), ``release_title``,
        ``release_date``, ``release_url``, ``evidence`` (sentences of every report), ``reports``
        (one dict per release's report: release, date, event, type, title, place), ``commitments``
        and ``possibly_same``; the others ``releases``, ``first_reported``, ``last_reported``.

    Examples
    --------
    >>> from graph.analysis.facts import Facts
    >>> a = "https://w3id.org/seckg/id/agreement/x"
    >>> facts = Facts(agreements={a: {"party": ["https://w3id.org/seckg/id/country/PAN"]}})
    >>> g = typed_graph(facts)
    >>> sorted(data["type"] for _, data in g.nodes(data=True))
    ['agreement', 'country']
    """
    facts = store if isinstance(store, Facts) else read_facts(store)
    labels = facts.labels
    graph = nx.MultiDiGraph(name="typed")

    def node(iri: str, kind: str, **attrs) -> str:
        if iri not in graph:
            attrs.setdefault("label", labels.get(iri) or code_of(iri))
            graph.add_node(iri, iri=iri, type=kind, **attrs)
        return iri

    def country(iri: str) -> str:
        return node(iri, COUNTRY, code=code_of(iri), international=iri in facts.international)

    for iri in sorted(facts.agencies):
        props = facts.agencies[iri]
        home = _first(props, "country")
        node(iri, AGENCY, label=_first(props, "label") or labels.get(iri) or code_of(iri),
             country=code_of(home) if home else None)  # fmt: skip
        if home:
            graph.add_edge(iri, country(home), key="country", relation="country")
    for iri in sorted(facts.people):
        props = facts.people[iri]
        home = _first(props, "country")
        node(iri, PERSON, label=_first(props, "label") or code_of(iri), title=_first(props, "jobTitle"),
             country=code_of(home) if home else None)  # fmt: skip
        if home:
            graph.add_edge(iri, country(home), key="country", relation="country")
        for unit in props.get("memberOf", []):
            if unit not in graph:
                node(unit, AGENCY, country=code_of(facts.agency_country.get(unit, "")) or None)
            graph.add_edge(iri, unit, key="member of", relation="member of")
        units = [graph.nodes[u]["label"] for u in props.get("memberOf", [])]
        graph.nodes[iri]["organization"] = "; ".join(units) or None
    for child in sorted(n for n, d in graph.nodes(data=True) if d["type"] == AGENCY):
        for parent in facts.parents.get(child, []):
            if parent in graph and graph.nodes[parent]["type"] == AGENCY:
                graph.add_edge(child, parent, key="sub-organization of", relation="sub-organization of")

    for iri in sorted(facts.agreements):
        props = facts.agreements[iri]
        reports = _reports(facts, props)
        release = reports[0]["release"] if reports else _first(props, "reportedBy")
        rprops = facts.releases.get(release or "", {})
        kind = _first(props, "type")
        signed, issued = _first(props, "signedOn"), _first(props, "date") or _first(rprops, "issued")
        own = sorted(code_of(f) for f in props.get("focusArea", []))
        inherited = sorted({code_of(f) for r in props.get("reportedBy", []) for f in
                            facts.releases.get(r, {}).get("subject", [])})  # fmt: skip
        topics, basis = (own, "own") if own or not inherit else (inherited, "release" if inherited else None)
        commitments = [
            {"text": _first(facts.commitments.get(c, {}), "label") or "",
             "focus_areas": sorted(code_of(f) for f in facts.commitments.get(c, {}).get("focusArea", []))}
            for r in props.get("report", []) for c in facts.reports.get(r, {}).get("commitment", [])
        ]  # fmt: skip
        node(
            iri, AGREEMENT, label=_first(props, "label") or labels.get(iri) or code_of(iri),
            agreement_type=code_of(kind) if kind else "other",
            agreement_type_label=labels.get(kind or "") or (code_of(kind) if kind else "other"),
            date=signed, year=_year(signed) or _year(issued), date_basis="signed" if signed else
            ("reported" if issued else None), status=_first(props, "status") or "signed",
            parties=sorted(code_of(p) for p in props.get("party", [])),
            signatories=sorted(labels.get(p) or facts.people.get(p, {}).get("label", [code_of(p)])[0]
                               for p in props.get("signatory", [])),
            focus_areas=own, topics=topics, focus_basis=basis,
            release=release, release_id=_first(rprops, "identifier"), release_title=_first(rprops, "title"),
            release_date=_first(rprops, "issued"), release_url=_first(rprops, "source"),
            release_publisher=_first(rprops, "publisher"), evidence=facts.evidence.get(iri, []),
            reports=reports, commitments=commitments, possibly_same=props.get("possiblySame", []),
        )  # fmt: skip
        for party in props.get("party", []):
            graph.add_edge(iri, country(party), key="party", relation="party")
        for person in props.get("signatory", []):
            if person not in graph:
                node(person, PERSON, title=None, country=None, organization=None)
            graph.add_edge(iri, person, key="signatory", relation="signatory")
        for focus in props.get("focusArea", []):
            node(focus, FOCUS, code=code_of(focus))
            graph.add_edge(iri, focus, key="focus area", relation="focus area")
    _add_reported(graph, facts)
    graph.graph["releases"] = len(facts.releases)
    graph.graph["focus_scheme"] = {
        code_of(iri): label for iri, label in sorted(facts.labels.items()) if iri.startswith(_FOCUS_BASE)
    }
    log.info("typed graph: %d nodes, %d edges", graph.number_of_nodes(), graph.number_of_edges())
    return graph


def agreements(typed: nx.MultiDiGraph) -> list[tuple[str, dict]]:
    """The agreement nodes of a typed graph with their data, sorted by IRI.

    >>> agreements(nx.MultiDiGraph())
    []
    """
    return sorted((n, d) for n, d in typed.nodes(data=True) if d.get("type") == AGREEMENT)


def _copy_node(target: nx.Graph, typed: nx.Graph, iri: str, **extra) -> None:
    data = typed.nodes[iri]
    keep = {k: data.get(k) for k in ("iri", "label", "type", "code", "international", "country")}
    target.add_node(iri, **{k: v for k, v in keep.items() if v is not None}, **extra)


def country_graph(typed: nx.MultiDiGraph) -> nx.Graph:
    """The country-to-country cooperation graph of a typed graph (rule in the module docstring).

    Nodes carry ``agreements`` (instruments the country is party to); edges ``weight``,
    ``agreements`` (IRIs), ``years``, ``focus_areas`` (the agreements' topics) and ``types``.

    >>> country_graph(nx.MultiDiGraph()).number_of_edges()
    0
    """
    graph = nx.Graph(name="countries")
    for iri, data in agreements(typed):
        parties = sorted(v for _, v, k in typed.out_edges(iri, keys=True) if k == "party")
        for party in parties:
            if party not in graph:
                _copy_node(graph, typed, party, agreements=0)
            graph.nodes[party]["agreements"] += 1
        for a, b in itertools.combinations(parties, 2):
            if not graph.has_edge(a, b):
                graph.add_edge(a, b, weight=0, agreements=[], years=[], focus_areas=[], types=[])
            edge = graph.edges[a, b]
            edge["weight"] += 1
            edge["agreements"] = sorted({*edge["agreements"], iri})
            edge["years"] = sorted({*edge["years"], *([data["year"]] if data.get("year") else [])})
            edge["focus_areas"] = sorted({*edge["focus_areas"], *data.get("topics", [])})
            edge["types"] = sorted({*edge["types"], data["agreement_type"]})
    return graph


def country_focus_graph(typed: nx.MultiDiGraph) -> nx.Graph:
    """The bipartite country x focus-area graph of a typed graph (agreements' ``topics``).

    Focus areas inherited from a release get their labels from the typed graph when it has them.

    >>> country_focus_graph(nx.MultiDiGraph()).number_of_nodes()
    0
    """
    graph = nx.Graph(name="country-focus")
    focus_labels = dict(typed.graph.get("focus_scheme", {}))
    focus_labels.update({d["code"]: d["label"] for _, d in typed.nodes(data=True) if d.get("type") == FOCUS})
    focus_iris = {d["code"]: n for n, d in typed.nodes(data=True) if d.get("type") == FOCUS}
    for iri, data in agreements(typed):
        parties = sorted(v for _, v, k in typed.out_edges(iri, keys=True) if k == "party")
        for party, topic in itertools.product(parties, data.get("topics", [])):
            if party not in graph:
                _copy_node(graph, typed, party, bipartite=0)
            focus = focus_iris.get(topic, _FOCUS_BASE + topic)
            if focus not in graph:
                graph.add_node(focus, iri=focus, label=focus_labels.get(topic, topic), type=FOCUS,
                               code=topic, bipartite=1)  # fmt: skip
            if not graph.has_edge(party, focus):
                graph.add_edge(party, focus, weight=0, agreements=[], years=[])
            edge = graph.edges[party, focus]
            edge["weight"] += 1
            edge["agreements"] = sorted({*edge["agreements"], iri})
            edge["years"] = sorted({*edge["years"], *([data["year"]] if data.get("year") else [])})
    return graph


def agency_graph(typed: nx.MultiDiGraph, facts: Facts | None = None) -> nx.Graph:
    """The agency graph: agencies, their ancestors, ``sub-organization of`` and ``co-signed`` edges.

    Parameters
    ----------
    typed : networkx.MultiDiGraph
        A typed graph (:func:`typed_graph`).
    facts : Facts, optional
        Facts read from the store: their hierarchy adds ancestors that no release names
        (without it, only the typed graph's own ``sub-organization of`` edges count).

    Examples
    --------
    >>> agency_graph(nx.MultiDiGraph()).number_of_nodes()
    0
    """
    graph = nx.Graph(name="agencies")
    for iri, data in sorted(typed.nodes(data=True)):
        if data.get("type") == AGENCY:
            _copy_node(graph, typed, iri, named=True)
    parents = {c: list(p) for c, p in (facts.parents if facts else {}).items()}
    for child, parent, key in typed.edges(keys=True):
        if key == "sub-organization of":
            parents.setdefault(child, []).append(parent)
    queue = sorted(graph.nodes)
    while queue:
        child = queue.pop(0)
        for parent in sorted(set(parents.get(child, []))):
            if parent == child:
                continue
            if parent not in graph:
                label = (facts.labels.get(parent) if facts else None) or code_of(parent)
                home = facts.agency_country.get(parent) if facts else None
                graph.add_node(parent, iri=parent, label=label, type=AGENCY, named=False,
                               **({"country": code_of(home)} if home else {}))  # fmt: skip
                queue.append(parent)
            graph.add_edge(child, parent, relation="sub-organization of", child=child, parent=parent,
                           weight=1, agreements=[])  # fmt: skip
    for iri, _ in agreements(typed):
        units = set()
        for _, person, key in typed.out_edges(iri, keys=True):
            if key == "signatory":
                units |= {u for _, u, k in typed.out_edges(person, keys=True) if k == "member of"}
        for a, b in itertools.combinations(sorted(units), 2):
            if not graph.has_edge(a, b):
                graph.add_edge(a, b, relation="co-signed", weight=0, agreements=[])
            edge = graph.edges[a, b]
            if edge["relation"] == "sub-organization of" and not edge["agreements"]:
                edge["relation"], edge["weight"] = "sub-organization of; co-signed", 0
            edge["weight"] += 1
            edge["agreements"] = sorted({*edge["agreements"], iri})
    return graph


def project(store: StoreLike, name: str, *, inherit: bool = True) -> nx.Graph:
    """Read ``store`` and return the projection ``name`` (one of :data:`PROJECTIONS`).

    >>> import pyoxigraph as ox
    >>> project(ox.Store(), "countries").name
    'countries'
    >>> project(ox.Store(), "nope")
    Traceback (most recent call last):
    ...
    ValueError: unknown projection 'nope' (typed, countries, country-focus, agencies)
    """
    if name not in PROJECTIONS:
        raise ValueError(f"unknown projection {name!r} ({', '.join(PROJECTIONS)})")
    facts = read_facts(store)
    typed = typed_graph(facts, inherit=inherit)
    if name == "typed":
        return typed
    if name == "countries":
        return country_graph(typed)
    if name == "country-focus":
        return country_focus_graph(typed)
    return agency_graph(typed, facts)
