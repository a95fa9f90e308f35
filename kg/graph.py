"""The graph as one object: entities, statements with evidence, observations.

:class:`KnowledgeGraph` is what :func:`kg.build` returns. It converts to RDF
(:meth:`~KnowledgeGraph.quads`, :meth:`~KnowledgeGraph.to_rdflib`), writes
files (:meth:`~KnowledgeGraph.write`), answers SPARQL
(:meth:`~KnowledgeGraph.query`, through Oxigraph), converts to networkx
(:meth:`~KnowledgeGraph.to_networkx`) and exports to visual and research
formats (:meth:`~KnowledgeGraph.export`, see :mod:`kg.export`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.model import DocInfo

if TYPE_CHECKING:
    from collections.abc import Iterable

    import networkx as nx
    import pyoxigraph
    import rdflib

    from kg.query import QueryResult

__all__ = ["Entity", "Evidence", "Statement", "Observation", "RunInfo", "KnowledgeGraph", "ALIAS_SEPARATOR"]


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
    def iri(self) -> str:
        """IRI of the reified statement: the same one :func:`kg.rdf.graph_quads` writes."""
        from kg.iri import node_iri

        return node_iri("statement", self.subject, self.property, self.object, self.role or "", self.predicate_text or "")

    @property
    def confidence(self) -> float:
        """Noisy-or of the evidence confidences: more sources, more confidence."""
        return noisy_or(self.evidence)


def noisy_or(evidence: "Iterable[Evidence]") -> float:
    """The confidence of a statement read in several places: ``1 - prod(1 - c)``."""
    miss = 1.0
    for ev in evidence:
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

            from kg.rdf import stream_quads

            store = pyoxigraph.Store()
            store.bulk_extend(stream_quads(self))
            self._store = store
        return self._store

    def to_rdflib(self) -> "rdflib.Graph":
        """The graph as an rdflib ``Graph`` (for pySHACL and the rdflib ecosystem)."""
        from kg.rdf import to_rdflib

        return to_rdflib(self)

    def write(self, path: str | Path, *, format: str | None = None) -> Path:
        """Write RDF to ``path`` atomically; the format follows the extension."""
        from kg.rdf import stream_quads, write_quads

        return write_quads(stream_quads(self), path, format=format)  # streamed: bounded memory

    # -- SPARQL ----------------------------------------------------------
    def query(self, sparql: str, *, bindings: dict[str, Any] | None = None) -> "QueryResult":
        """Run a SPARQL query (prefixes of the vocabulary predeclared)."""
        from kg.query import run_query

        return run_query(self.store(), sparql, bindings=bindings)

    # -- exports ---------------------------------------------------------
    def export(self, format: str, path: str | Path) -> list[Path]:
        """Write the graph as ``format`` (``"gexf"``, ``"html"``, … see :func:`kg.export.known_formats`)."""
        from kg.export import export

        return export(self, format, path)

    # -- networkx --------------------------------------------------------
    def to_networkx(self) -> "nx.MultiDiGraph":
        """Entities as nodes, statements as edges; every attribute a plain scalar.

        Nodes are keyed by entity IRI and carry ``iri``, ``label``, ``class``,
        ``aliases`` (joined with :data:`ALIAS_SEPARATOR`), ``wikidata`` (QIDs,
        joined the same way), ``mentions`` and ``documents`` (counts). Edges
        are keyed by the IRI of the reified statement (the same IRI as in the
        RDF) and carry ``iri`` (that IRI), ``property`` (local name in the
        vocabulary), ``label`` (the predicate text, else the property),
        ``role``, ``confidence`` (noisy-or of the evidence), ``weight`` (the
        confidence again, under the name graph tools weight edges by),
        ``evidence`` (the first evidence sentence) and ``evidence_count``. Missing values are
        ``""``, never ``None``, so GraphML and GEXF hold every attribute and
        read back equal. Order follows :attr:`entities` and :attr:`statements`,
        so the result is deterministic. A statement whose subject or object is
        not among :attr:`entities` is left out.
        """
        import networkx as nx

        g = nx.MultiDiGraph()
        for e in self.entities:
            g.add_node(
                e.iri,
                iri=e.iri,
                label=e.label,
                **{"class": e.cls},
                aliases=ALIAS_SEPARATOR.join(a.replace(ALIAS_SEPARATOR, "\N{BROKEN BAR}") for a in e.alt_labels),
                wikidata=ALIAS_SEPARATOR.join(e.same_as),
                mentions=e.mention_count,
                documents=len(e.mentions),
            )
        for s in self.statements:
            if s.subject not in g or s.object not in g:
                continue  # an edge needs two entities; never invent attribute-less nodes
            key = s.iri
            g.add_edge(
                s.subject,
                s.object,
                key=key,
                iri=key,
                property=s.property,
                label=s.predicate_text or s.property,
                role=s.role or "",
                confidence=s.confidence,
                weight=s.confidence,
                evidence=s.evidence[0].sentence if s.evidence else "",
                evidence_count=len(s.evidence),
            )
        return g


#: joins a node's aliases (and Wikidata ids) into one attribute in :meth:`KnowledgeGraph.to_networkx`;
#: a ``|`` inside an alias becomes ``¦``
ALIAS_SEPARATOR = "|"
