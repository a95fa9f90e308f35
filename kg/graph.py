"""The graph as one object: entities, statements with evidence, observations.

:class:`KnowledgeGraph` is what :func:`kg.build` returns. It converts to RDF
(:meth:`~KnowledgeGraph.quads`, :meth:`~KnowledgeGraph.to_rdflib`), writes
files (:meth:`~KnowledgeGraph.write`), answers SPARQL
(:meth:`~KnowledgeGraph.query`, through Oxigraph) and converts to networkx
(:meth:`~KnowledgeGraph.to_networkx`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.model import DocInfo

if TYPE_CHECKING:
    import networkx as nx
    import pyoxigraph
    import rdflib

    from kg.query import QueryResult

__all__ = ["Entity", "Evidence", "Statement", "Observation", "RunInfo", "KnowledgeGraph"]


@dataclass
class Entity:
    """One canonical entity. ``mentions`` maps document IRI → mention count."""

    iri: str
    label: str
    cls: str
    alt_labels: tuple[str, ...] = ()
    same_as: tuple[str, ...] = ()
    mentions: dict[str, int] = field(default_factory=dict)

    @property
    def mention_count(self) -> int:
        return sum(self.mentions.values())


@dataclass(frozen=True)
class Evidence:
    """Where a statement was read: document, sentence and offsets in the source."""

    document: str  # document IRI
    sentence: str
    sent_start: int
    sent_end: int
    extractor: str
    confidence: float
    subject_start: int | None = None
    subject_end: int | None = None
    object_start: int | None = None
    object_end: int | None = None


@dataclass
class Statement:
    """``subject property object`` between two entity IRIs, with its evidence."""

    subject: str
    property: str  # local name in the vocabulary
    object: str
    evidence: list[Evidence] = field(default_factory=list)
    role: str | None = None
    predicate_text: str | None = None

    @property
    def confidence(self) -> float:
        """Noisy-or of the evidence confidences: more sources, more confidence."""
        miss = 1.0
        for ev in self.evidence:
            miss *= 1.0 - ev.confidence
        return round(1.0 - miss, 4)


@dataclass
class Observation:
    """A quantitative fact about an entity (value with unit and date)."""

    subject: str
    measure: str
    value: str
    unit: str
    date: str | None
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class RunInfo:
    """The build run, for PROV-O provenance."""

    id: str
    started: str  # ISO 8601 dateTime
    software_version: str
    model: str


@dataclass
class KnowledgeGraph:
    """Entities, statements and observations extracted from documents."""

    documents: list[DocInfo] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    observations: list[Observation] = field(default_factory=list)
    run: RunInfo | None = None
    _store: Any = field(default=None, repr=False, compare=False)

    # -- lookups ---------------------------------------------------------
    def entity(self, name_or_iri: str) -> Entity | None:
        """The entity with this IRI, label or alternative label (case-insensitive)."""
        low = name_or_iri.casefold()
        for e in self.entities:
            if e.iri == name_or_iri or e.label.casefold() == low:
                return e
        for e in self.entities:
            if any(a.casefold() == low for a in e.alt_labels):
                return e
        return None

    # -- RDF -------------------------------------------------------------
    def quads(self) -> list["pyoxigraph.Quad"]:
        """Every triple of the graph as Oxigraph quads (default graph), sorted."""
        from kg.rdf import graph_quads

        return graph_quads(self)

    def store(self) -> "pyoxigraph.Store":
        """An in-memory Oxigraph store holding the graph (built once)."""
        if self._store is None:
            import pyoxigraph

            store = pyoxigraph.Store()
            store.bulk_extend(self.quads())
            self._store = store
        return self._store

    def to_rdflib(self) -> "rdflib.Graph":
        """The graph as an rdflib ``Graph`` (for pySHACL and the rdflib ecosystem)."""
        from kg.rdf import to_rdflib

        return to_rdflib(self)

    def write(self, path: str | Path, *, format: str | None = None) -> Path:
        """Write RDF to ``path`` atomically; the format follows the extension."""
        from kg.rdf import write_quads

        return write_quads(self.quads(), path, format=format)

    # -- SPARQL ----------------------------------------------------------
    def query(self, sparql: str, *, bindings: dict[str, Any] | None = None) -> "QueryResult":
        """Run a SPARQL query (prefixes of the vocabulary predeclared)."""
        from kg.query import run_query

        return run_query(self.store(), sparql, bindings=bindings)

    # -- networkx --------------------------------------------------------
    def to_networkx(self) -> "nx.MultiDiGraph":
        """Entities as nodes, statements as edges (with property, confidence, evidence)."""
        import networkx as nx

        g = nx.MultiDiGraph()
        for e in self.entities:
            g.add_node(
                e.iri,
                label=e.label,
                cls=e.cls,
                aliases=list(e.alt_labels),
                mentions=e.mention_count,
                documents=len(e.mentions),
            )
        for s in self.statements:
            g.add_edge(
                s.subject,
                s.object,
                key=f"{s.property}|{s.role or s.predicate_text or ''}",
                property=s.property,
                label=s.predicate_text or s.property,
                role=s.role,
                confidence=s.confidence,
                evidence=s.evidence[0].sentence if s.evidence else None,
            )
        return g
