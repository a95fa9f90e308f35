"""GEXF (Gephi) and GraphML (yEd, Cytoscape), written by networkx.

Both hold exactly :meth:`KnowledgeGraph.to_networkx` — every node and edge
attribute is a string, integer or float — so ``networkx.read_gexf`` /
``read_graphml`` give back an isomorphic graph with the same attributes. An
edge's ``weight`` is its confidence (Gephi, igraph and Cytoscape weight by
it); its statement IRI is the edge's XML ``id`` and its ``iri`` attribute,
never an attribute named ``id`` (igraph's GraphML reader refuses one). GEXF adds Gephi's ``viz`` data: the class colour and a size that
grows with the degree. Characters XML 1.0 cannot hold (control characters other than tab and
newlines) become U+FFFD.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from kg.export.common import class_colour, node_size, xml_text
from kg.export.registry import exporter
from kg.rdf import atomic_write

if TYPE_CHECKING:
    import networkx as nx

    from kg.graph import KnowledgeGraph

__all__ = ["write_gexf", "write_graphml", "xml_safe_networkx"]


def _clean(data: dict[str, object]) -> dict[str, object]:
    return {xml_text(k): xml_text(v) if isinstance(v, str) else v for k, v in data.items()}


def xml_safe_networkx(graph: "KnowledgeGraph") -> "nx.MultiDiGraph":
    """:meth:`~KnowledgeGraph.to_networkx` with every string made valid for XML 1.0."""
    import networkx as nx

    source = graph.to_networkx()
    g = nx.MultiDiGraph()
    g.add_nodes_from((xml_text(n), _clean(d)) for n, d in source.nodes(data=True))
    g.add_edges_from((xml_text(u), xml_text(v), xml_text(k), _clean(d)) for u, v, k, d in source.edges(keys=True, data=True))
    return g


@exporter("gexf", suffix=".gexf", description="GEXF 1.2 for Gephi: attributes, class colour, size by degree")
def write_gexf(graph: "KnowledgeGraph", path: Path) -> list[Path]:
    import networkx as nx

    g = xml_safe_networkx(graph)
    for _u, _v, key, data in g.edges(keys=True, data=True):
        data["id"] = key  # networkx writes it as <edge id="…">, not as an attribute
    for node, data in g.nodes(data=True):
        colour = class_colour(str(data["class"]))
        data["viz"] = {
            "color": {"r": int(colour[1:3], 16), "g": int(colour[3:5], 16), "b": int(colour[5:7], 16), "a": 1.0},
            "size": node_size(g.degree(node)),
        }
    return [atomic_write(path, lambda tmp: _write_gexf_undated(g, tmp))]


def _write_gexf_undated(g: "nx.MultiDiGraph", path: Path) -> None:
    """``networkx.write_gexf`` without the day's date in ``<meta>`` (an optional
    attribute), so that the same graph always gives the same file."""
    from networkx.readwrite.gexf import GEXFWriter

    writer = GEXFWriter(encoding="utf-8", prettyprint=True)
    writer.add_graph(g)
    for meta in writer.xml.iter("meta"):
        meta.attrib.pop("lastmodifieddate", None)
    writer.write(path)


@exporter("graphml", suffix=".graphml", description="GraphML for yEd and Cytoscape: every attribute typed")
def write_graphml(graph: "KnowledgeGraph", path: Path) -> list[Path]:
    import networkx as nx

    g = xml_safe_networkx(graph)  # networkx writes each edge's key as <edge id="…">
    return [atomic_write(path, lambda tmp: nx.write_graphml(g, tmp, encoding="utf-8"))]
