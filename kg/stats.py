"""Graph statistics: what is in a graph, how it hangs together, who is central.

>>> from kg.graph import KnowledgeGraph
>>> graph_stats(KnowledgeGraph()).entities
0

:func:`graph_stats` counts entities per class, relations per property,
documents, weakly connected components, and ranks entities by degree and by
PageRank over :meth:`KnowledgeGraph.to_networkx` (relations weighted by their
confidence). PageRank is the usual power iteration (damping 0.85, a dangling
node's rank spread over all nodes), written out here so that ``kg stats``
needs no SciPy; it agrees with ``networkx.pagerank``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import networkx as nx

    from kg.graph import KnowledgeGraph

__all__ = ["GraphStats", "RankedEntity", "graph_stats", "pagerank"]


@dataclass(frozen=True)
class RankedEntity:
    iri: str
    label: str
    cls: str
    score: float


@dataclass
class GraphStats:
    entities: int
    relations: int
    documents: int
    observations: int
    classes: dict[str, int]  # class → entities, most frequent first
    properties: dict[str, int]  # property → relations, most frequent first
    components: int  # weakly connected components (an isolated entity is one)
    largest_component: int
    isolated: int  # entities without any relation
    density: float
    top_degree: list[RankedEntity] = field(default_factory=list)
    top_pagerank: list[RankedEntity] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """Plain data for ``json.dumps``."""
        return asdict(self)


def pagerank(
    g: "nx.MultiDiGraph", *, alpha: float = 0.85, weight: str | None = "confidence", max_iter: int = 200, tol: float = 1.0e-10
) -> dict[str, float]:
    """PageRank of every node of ``g`` (parallel edges add their weights), summing to 1."""
    nodes = list(g.nodes)
    n = len(nodes)
    if n == 0:
        return {}
    out_weight: dict[str, float] = {v: 0.0 for v in nodes}
    links: list[tuple[str, str, float]] = []
    for u, v, data in g.edges(data=True):
        w = float(data.get(weight, 1.0)) if weight else 1.0
        if w <= 0:
            continue
        links.append((u, v, w))
        out_weight[u] += w
    dangling = [v for v in nodes if out_weight[v] == 0.0]
    rank = {v: 1.0 / n for v in nodes}
    for _ in range(max_iter):
        previous = rank
        leak = alpha * sum(previous[v] for v in dangling) / n
        rank = {v: (1.0 - alpha) / n + leak for v in nodes}
        for u, v, w in links:
            rank[v] += alpha * previous[u] * w / out_weight[u]
        if sum(abs(rank[v] - previous[v]) for v in nodes) < n * tol:
            break
    return rank


def _top(graph: "KnowledgeGraph", scores: dict[str, float], k: int) -> list[RankedEntity]:
    """The ``k`` best; ties go to the entity mentioned more often, then by name."""
    by_iri = {e.iri: e for e in graph.entities}
    best = sorted(
        scores.items(), key=lambda kv: (-round(kv[1], 12), -by_iri[kv[0]].mention_count, by_iri[kv[0]].label.casefold(), kv[0])
    )[:k]
    return [RankedEntity(iri, by_iri[iri].label, by_iri[iri].cls, round(score, 6)) for iri, score in best]


def graph_stats(graph: "KnowledgeGraph", *, top: int = 10) -> GraphStats:
    """Counts, components and the ``top`` entities by degree and by PageRank."""
    import networkx as nx

    g = graph.to_networkx()
    classes = Counter(e.cls for e in graph.entities)
    properties = Counter(data["property"] for _, _, data in g.edges(data=True))
    components = [len(c) for c in nx.weakly_connected_components(g)] if len(g) else []
    n = g.number_of_nodes()
    degree = {v: float(d) for v, d in g.degree()}
    return GraphStats(
        entities=n,
        relations=g.number_of_edges(),
        documents=len(graph.documents),
        observations=len(graph.observations),
        classes=dict(sorted(classes.items(), key=lambda kv: (-kv[1], kv[0]))),
        properties=dict(sorted(properties.items(), key=lambda kv: (-kv[1], kv[0]))),
        components=len(components),
        largest_component=max(components, default=0),
        isolated=sum(1 for d in degree.values() if d == 0),
        density=round(nx.density(nx.DiGraph(g)), 6) if n > 1 else 0.0,
        top_degree=_top(graph, degree, top),
        top_pagerank=_top(graph, pagerank(g), top),
    )
