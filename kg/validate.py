"""Check a graph against the SHACL shapes in ``kg/ontology/shapes.ttl`` (pySHACL)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kg.errors import OntologyError
from kg.resources import ontology_file

if TYPE_CHECKING:
    import rdflib

    from kg.graph import KnowledgeGraph

__all__ = ["ValidationReport", "validate"]


@dataclass
class ValidationReport:
    conforms: bool
    violations: int
    text: str


def _load(source: "KnowledgeGraph | rdflib.Graph | str | Path") -> "rdflib.Graph":
    import rdflib

    from kg.graph import KnowledgeGraph

    if isinstance(source, KnowledgeGraph):
        return source.to_rdflib()
    if isinstance(source, rdflib.Graph):
        return source
    from kg.rdf import format_for, read_store

    import pyoxigraph as ox

    store = read_store(source)
    data = ox.serialize((ox.Triple(q.subject, q.predicate, q.object) for q in store), None, ox.RdfFormat.N_TRIPLES)
    g = rdflib.Graph()
    g.parse(data=data.decode("utf-8"), format="nt")
    format_for(source)
    return g


def validate(source: "KnowledgeGraph | rdflib.Graph | str | Path", *, shapes: str | Path | None = None) -> ValidationReport:
    """Validate ``source`` (a graph, an rdflib graph or an RDF file) against the shapes."""
    import rdflib
    from pyshacl import validate as shacl_validate

    shapes_path = Path(shapes) if shapes else ontology_file("shapes.ttl")
    shapes_graph = rdflib.Graph()
    try:
        shapes_graph.parse(shapes_path, format="turtle")
    except Exception as exc:  # rdflib raises many parser exception types
        raise OntologyError(f"{shapes_path}: cannot read SHACL shapes ({exc})") from None
    data = _load(source)
    conforms, results_graph, text = shacl_validate(
        data, shacl_graph=shapes_graph, inference="none", advanced=True, allow_warnings=True
    )
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    violations = len(set(results_graph.subjects(rdflib.RDF.type, sh.ValidationResult)))
    return ValidationReport(bool(conforms), violations, str(text))
