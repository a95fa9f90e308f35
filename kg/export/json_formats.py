"""Cytoscape.js JSON and D3 node-link JSON.

Both keep lists as JSON arrays (aliases, Wikidata ids, document IRIs, every
evidence sentence), so they carry more than GraphML. The Cytoscape file is the
``elements`` layout that Cytoscape.js (``cytoscape({elements})``), Cytoscape
desktop (File › Import › Network from File, ``.cyjs``) and
``networkx.cytoscape_graph`` read. The D3 file is networkx's node-link layout
(``nodes`` and ``links``, links naming node ``id``s) that
``d3.forceLink(links).id(d => d.id)`` and ``networkx.node_link_graph(data,
edges="links")`` read.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.export.common import EdgeRecord, NodeRecord, edge_records, node_records, node_size
from kg.export.registry import exporter
from kg.rdf import atomic_write

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph

__all__ = ["cytoscape_data", "d3_data", "write_cytoscape", "write_d3", "write_json"]


def _node(n: NodeRecord) -> dict[str, Any]:
    return {
        "id": n.iri,
        "iri": n.iri,
        "label": n.label,
        "class": n.cls,
        "aliases": n.aliases,
        "wikidata": n.wikidata,
        "mentions": n.mentions,
        "documents": len(n.documents),
        "document_iris": n.documents,
        "degree": n.degree,
        "colour": n.colour,
        "size": node_size(n.degree),
    }


def _edge(e: EdgeRecord) -> dict[str, Any]:
    return {
        "id": e.iri,
        "source": e.source,
        "target": e.target,
        "key": e.iri,
        "iri": e.iri,
        "property": e.property,
        "label": e.label,
        "role": e.role,
        "confidence": e.confidence,
        "weight": e.confidence,
        "evidence": e.sentence,
        "evidence_count": len(e.evidence),
        "all_evidence": [
            {"document": ev.document, "sentence": ev.sentence, "confidence": ev.confidence, "extractor": ev.extractor}
            for ev in e.evidence
        ],
    }


def cytoscape_data(graph: "KnowledgeGraph", *, name: str = "Wild Goose graph") -> dict[str, Any]:
    """The graph as Cytoscape.js ``elements`` JSON (``name`` is the node label field Cytoscape shows)."""
    from kg import __version__

    edges = edge_records(graph)
    nodes = node_records(graph, edges)
    return {
        "format_version": "1.0",
        "generated_by": f"Wild Goose {__version__}",
        "target_cytoscapejs_version": "~3",
        "data": {"name": name},
        "directed": True,
        "multigraph": True,
        "elements": {
            "nodes": [{"data": {**_node(n), "name": n.label, "value": n.iri}, "classes": n.cls} for n in nodes],
            "edges": [{"data": {**_edge(e), "interaction": e.property}} for e in edges],
        },
    }


def d3_data(graph: "KnowledgeGraph") -> dict[str, Any]:
    """The graph as node-link JSON: ``{"nodes": [{"id": …}], "links": [{"source": id, "target": id}]}``."""
    edges = edge_records(graph)
    return {
        "directed": True,
        "multigraph": True,
        "graph": {},
        "nodes": [_node(n) for n in node_records(graph, edges)],
        "links": [_edge(e) for e in edges],
    }


def write_json(data: object, path: Path) -> Path:
    """Write ``data`` as UTF-8 JSON (non-ASCII kept, non-BMP included) atomically."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False) + "\n"
    return atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


@exporter("cytoscape", suffix=".cyjs", description="Cytoscape.js / Cytoscape desktop elements JSON")
def write_cytoscape(graph: "KnowledgeGraph", path: Path) -> list[Path]:
    return [write_json(cytoscape_data(graph, name=path.stem), path)]


@exporter("d3", suffix=".json", description="D3 node-link JSON (nodes, links)")
def write_d3(graph: "KnowledgeGraph", path: Path) -> list[Path]:
    return [write_json(d3_data(graph), path)]
