"""SHACL validation of the graph with pySHACL and ``ontology/shapes.ttl``, reported readably.

The data graph is the union of the store's graphs (every release graph plus the reference graph,
so concept schemes and class hierarchy are there); each problem is traced back to the release
graph(s) where its focus node is described. Violations fail; warnings (a release without a date)
are only reported.

Examples
--------
>>> from graph.model import Agreement, Record
>>> from graph.loading import ingest_record
>>> from graph.store import open_store
>>> store = open_store(":memory:")
>>> _ = ingest_record(store, Record(id="r1", agreements=(Agreement("pact", parties=("PAN",)),)))
>>> report = validate_store(store)
>>> report.conforms, [i.message for i in report.violations]
(False, ['an agreement has exactly one type from the agreement-type scheme'])
>>> [i.message for i in report.warnings]
['the release has no date']
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field

import pyoxigraph as ox
from pyshacl import validate as shacl_validate
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SH

from graph import resources
from graph.loading import ensure_reference_graph
from graph.namespaces import REFERENCE_GRAPH
from graph.results import compact_iri
from graph.store import StoreLike, read_dataset

__all__ = ["Issue", "ValidationReport", "validate_graph", "validate_store"]

log = logging.getLogger(__name__)

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_RDF_TYPE = str(RDF.type)
_SEVERITY = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}


@dataclass(frozen=True)
class Issue:
    """One SHACL result: severity, the node and property at fault, the offending value, a message,
    and the graphs that describe the node."""

    severity: str
    focus: str
    path: str | None
    value: str | None
    message: str
    shape: str
    graphs: tuple[str, ...] = ()

    def line(self) -> str:
        """One readable line: ``VIOLATION  where: node path = value: message``."""
        where = ", ".join(_where(g) for g in self.graphs) or "(no graph)"
        subject = compact_iri(self.focus)
        path = f" {compact_iri(self.path)}" if self.path else ""
        value = f" = {compact_iri(self.value)}" if self.value and self.value != self.focus else ""
        return f"{self.severity.upper():<9}  {where}: {subject}{path}{value}: {self.message}"


def _where(graph: str) -> str:
    if graph == str(REFERENCE_GRAPH):
        return "reference graph"
    marker = "/graph/release/"
    return f"release {graph.split(marker, 1)[1]}" if marker in graph else graph


@dataclass
class ValidationReport:
    """All issues found; ``conforms`` is true when none is a violation.

    ``triples`` counts the triples of the validated graphs graph by graph (a triple in two graphs
    counts twice), as :func:`graph.store.triple_count` and ``seckg ingest`` do; ``distinct`` is how
    many are left once the graphs are merged for validation.
    """

    issues: list[Issue] = field(default_factory=list)
    triples: int = 0
    graphs: int = 0
    distinct: int = 0

    @property
    def violations(self) -> list[Issue]:
        """Issues of severity Violation."""
        return [i for i in self.issues if i.severity == "Violation"]

    @property
    def warnings(self) -> list[Issue]:
        """Issues of severity Warning or Info."""
        return [i for i in self.issues if i.severity != "Violation"]

    @property
    def conforms(self) -> bool:
        """True when there is no violation (warnings allowed)."""
        return not self.violations

    def text(self) -> str:
        """A readable report: a summary line, then one line per issue, violations first."""
        head = (
            f"{len(self.violations)} violation(s), {len(self.warnings)} warning(s) "
            f"in {self.graphs} graph(s) holding {self.triples} triples ({self.distinct} distinct): "
            + ("conforms" if self.conforms else "does NOT conform")
        )
        ordered = sorted(self.issues, key=lambda i: (i.severity != "Violation", i.graphs, i.focus, i.message))
        return "\n".join([head, *(i.line() for i in ordered)])


def _text(node) -> str | None:
    return None if node is None else str(node)


def validate_graph(data: Graph, shapes: Graph | None = None) -> list[Issue]:
    """Validate an rdflib graph; return its issues (graphs left empty)."""
    shapes = resources.shapes_graph() if shapes is None else shapes
    _, results, _ = shacl_validate(data, shacl_graph=shapes, inference="none", allow_warnings=True)
    issues = []
    top = [
        r
        for report in results.subjects(RDF.type, SH.ValidationReport)
        for r in results.objects(report, SH.result)
    ]
    for result in top:
        message = results.value(result, SH.resultMessage)
        issues.append(
            Issue(
                severity=_SEVERITY.get(results.value(result, SH.resultSeverity), "Violation"),
                focus=_text(results.value(result, SH.focusNode)) or "",
                path=_text(results.value(result, SH.resultPath))
                if isinstance(results.value(result, SH.resultPath), URIRef)
                else None,
                value=_text(results.value(result, SH.value)),
                message=str(message) if isinstance(message, Literal) else "constraint not met",
                shape=_text(results.value(result, SH.sourceShape)) or "",
            )
        )
    return sorted(issues, key=lambda i: (i.severity, i.focus, i.path or "", i.message, i.value or ""))


def _to_rdflib(term):
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == _XSD_STRING:  # rdflib tells "x" from "x"^^xsd:string; RDF 1.1 does not
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    from rdflib import BNode

    return BNode(term.value)


def validate_store(
    store: StoreLike, *, graph: str | None = None, refresh_reference: bool = True
) -> ValidationReport:
    """Validate the store (or one release ``graph`` together with the reference graph).

    With ``refresh_reference`` the reference graph is first rewritten if it is missing or stale,
    so validation sees the current ontology and schemes (turn it off for a read-only store).
    """
    if refresh_reference:
        try:
            ensure_reference_graph(store)
        except (OSError, RuntimeError) as err:  # a read-only store: validate what is there
            log.warning("could not refresh the reference graph: %s", err)
    dataset = read_dataset(store, None)
    selected = {graph, str(REFERENCE_GRAPH)} if graph else None
    data = Graph()
    where: dict[str, set[str]] = defaultdict(set)  # the graphs each subject has statements in
    typed: dict[str, set[str]] = defaultdict(set)  # ... and those that give its type (describe it)
    names = set()
    quads = 0
    for quad in dataset:
        name = quad.graph_name.value if isinstance(quad.graph_name, ox.NamedNode) else ""
        if selected is not None and name not in selected:
            continue
        names.add(name)
        quads += 1
        data.add((_to_rdflib(quad.subject), _to_rdflib(quad.predicate), _to_rdflib(quad.object)))
        if name != str(REFERENCE_GRAPH) or not where.get(quad.subject.value):
            where[quad.subject.value].add(name)
            if quad.predicate.value == _RDF_TYPE:
                typed[quad.subject.value].add(name)
    if graph and graph not in names:
        raise ValueError(f"no graph {graph} in the store")
    issues = []
    for issue in validate_graph(data):
        # the graph that describes the node (a report is typed in its release's graph; the
        # resolution graph only links it to its instrument), else every graph that mentions it
        graphs = typed.get(issue.focus) or where.get(issue.focus, set())
        if len(graphs) > 1:
            graphs = graphs - {str(REFERENCE_GRAPH)}
        issues.append(Issue(**{**issue.__dict__, "graphs": tuple(sorted(graphs))}))
    log.info("validated %d triples (%d distinct): %d issue(s)", quads, len(data), len(issues))
    return ValidationReport(issues, quads, len(names), len(data))
