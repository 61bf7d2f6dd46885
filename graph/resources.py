"""Read the ontology's files shipped inside the package (``ontology/`` installed as ``graph.ontology``).

Loaders are cached: the Turtle files are parsed once per process and the returned rdflib
graphs are shared, so treat them as read-only (copy before changing). Names are checked
against a strict pattern, so no caller-supplied text can reach a path outside the package.

Examples
--------
>>> g = ontology_graph("seckg.ttl")
>>> from graph.namespaces import SECKG, OWL, RDF
>>> (SECKG.Agreement, RDF.type, OWL.Class) in g
True
>>> "countries-by-year" in saved_query_names() or True
True
"""

from __future__ import annotations

import csv
import hashlib
import io
import logging
import re
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable

from rdflib import Graph

__all__ = [
    "REFERENCE_FILES",
    "concept_ids",
    "country_codes",
    "gazetteer_rows",
    "ontology_file",
    "ontology_graph",
    "ontology_text",
    "reference_sources_hash",
    "rule_rows",
    "saved_query_names",
    "saved_query_path",
    "saved_query_text",
    "shapes_graph",
    "split_multi",
]

log = logging.getLogger(__name__)

REFERENCE_FILES = ("seckg.ttl", "focus-areas.ttl", "agreement-types.ttl")
"""Turtle files whose triples go into the reference graph (shapes are not data)."""
GAZETTEER_FILES = ("gazetteer/countries.tsv", "gazetteer/agencies.tsv")

_NAME = re.compile(r"^(?:[a-z0-9][a-z0-9_-]*/)?[a-z0-9][a-z0-9_.-]*$")
_QUERY_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


def ontology_file(name: str) -> Traversable:
    """Return the packaged file ``ontology/<name>`` (it may not exist).

    Raises ``ValueError`` for a name that is not a plain relative file name.
    """
    if not _NAME.match(name) or ".." in name:
        raise ValueError(f"not an ontology file name: {name!r}")
    node = resources.files("graph.ontology")
    for part in name.split("/"):
        node = node.joinpath(part)
    return node


def ontology_text(name: str) -> str:
    """Return the UTF-8 text of ``ontology/<name>``; ``FileNotFoundError`` when it is missing."""
    node = ontology_file(name)
    if not node.is_file():
        raise FileNotFoundError(f"ontology/{name} is not in the package")
    return node.read_text(encoding="utf-8")


@cache
def ontology_graph(name: str) -> Graph:
    """Parse ``ontology/<name>`` (Turtle) once and return the shared graph (read-only)."""
    graph = Graph()
    graph.parse(data=ontology_text(name), format="turtle")
    log.debug("parsed ontology/%s: %d triples", name, len(graph))
    return graph


@cache
def concept_ids(name: str) -> tuple[str, ...]:
    """The ids (``skos:notation``) of the concepts of the SKOS scheme in ``ontology/<name>``, sorted.

    >>> "border-security" in concept_ids("focus-areas.ttl")
    True
    >>> "memorandum-of-understanding" in concept_ids("agreement-types.ttl")
    True
    """
    from rdflib.namespace import SKOS

    return tuple(sorted({str(notation) for notation in ontology_graph(name).objects(None, SKOS.notation)}))


@cache
def country_codes() -> tuple[str, ...]:
    """The codes of the states of the country gazetteer (ISO alpha-3), and ``EU``, sorted.

    >>> {"PAN", "USA", "EU"} <= set(country_codes())
    True
    """
    codes = {row["alpha3"].strip().upper() for row in _tsv("gazetteer/countries.tsv") if row.get("alpha3")}
    return tuple(sorted(codes | {"EU"}))


def shapes_graph() -> Graph:
    """Return the SHACL shapes of ``ontology/shapes.ttl`` (cached, read-only)."""
    return ontology_graph("shapes.ttl")


def split_multi(value: str | None) -> list[str]:
    """Split a pipe-separated gazetteer cell into its non-empty parts.

    >>> split_multi(" Panama | ~Panamanian|")
    ['Panama', '~Panamanian']
    """
    return [part.strip() for part in (value or "").split("|") if part.strip()]


@cache
def _tsv(name: str) -> tuple[dict[str, str], ...]:
    try:
        text = ontology_text(name)
    except FileNotFoundError:
        log.warning("ontology/%s is missing: its reference facts are left out", name)
        return ()
    lines = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    reader = csv.DictReader(io.StringIO("\n".join(lines)), delimiter="\t", quoting=csv.QUOTE_NONE)
    rows = []
    for row in reader:
        rows.append({key.strip(): (value or "").strip() for key, value in row.items() if key})
    return tuple(rows)


def gazetteer_rows(name: str) -> list[dict[str, str]]:
    """Rows of ``ontology/gazetteer/<name>.tsv`` as dicts (``#`` lines skipped; ``[]`` if missing).

    >>> isinstance(gazetteer_rows("countries"), list)
    True
    """
    return [dict(row) for row in _tsv(f"gazetteer/{name}.tsv")]


def rule_rows(name: str) -> list[dict[str, str]]:
    """Rows of ``ontology/rules/<name>.tsv`` as dicts (``#`` lines skipped; ``[]`` if missing).

    >>> any(row["kind"] == "compatible" for row in rule_rows("resolution"))
    True
    """
    return [dict(row) for row in _tsv(f"rules/{name}.tsv")]


def reference_sources_hash() -> str:
    """Return ``sha256:<hex>`` over the files the reference graph is built from.

    A change to any of them (or to the set present) changes the hash, which is what makes
    ``ingest`` replace the reference graph.
    """
    digest = hashlib.sha256()
    for name in (*REFERENCE_FILES, *GAZETTEER_FILES):
        try:
            text = ontology_text(name)
        except FileNotFoundError:
            text = ""
        digest.update(name.encode() + b"\0" + text.encode("utf-8") + b"\0")
    return "sha256:" + digest.hexdigest()


def saved_query_names() -> list[str]:
    """Names of the saved queries (``ontology/queries/<name>.rq``), sorted."""
    folder = resources.files("graph.ontology").joinpath("queries")
    if not folder.is_dir():
        return []
    return sorted(item.name[:-3] for item in folder.iterdir() if item.name.endswith(".rq"))


def saved_query_path(name: str) -> Traversable:
    """Return the packaged file of saved query ``name``.

    Raises ``KeyError`` naming the known queries when there is no such query, ``ValueError`` when
    ``name`` is not a plain query name.
    """
    if not _QUERY_NAME.match(name):
        raise ValueError(f"not a saved query name: {name!r}")
    node = ontology_file(f"queries/{name}.rq")
    if not node.is_file():
        known = ", ".join(saved_query_names()) or "none"
        raise KeyError(f"no saved query {name!r} (known: {known})")
    return node


def saved_query_text(name: str) -> str:
    """Return the SPARQL text of saved query ``name`` (see :func:`saved_query_path`)."""
    return saved_query_path(name).read_text(encoding="utf-8")
