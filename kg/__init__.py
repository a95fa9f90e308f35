"""Wild Goose: build a knowledge graph from English text.

>>> import kg
>>> graph = kg.build(["examples/corpus"])              # doctest: +SKIP
>>> graph.query("SELECT (COUNT(*) AS ?n) WHERE { ?s a kg:Company }")  # doctest: +SKIP

Nothing heavy happens at import time: the spaCy pipeline loads on first use.
"""

from __future__ import annotations

__version__ = "0.1.0"

from typing import TYPE_CHECKING, Any

__all__ = ["__version__", "build", "load", "KnowledgeGraph", "errors"]

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph


def build(*args: Any, **kwargs: Any) -> "KnowledgeGraph":
    """Build a graph from files and directories; see :func:`kg.builder.build`."""
    from kg.builder import build as _build

    return _build(*args, **kwargs)


def load(path: str) -> Any:
    """Open an RDF file written by ``kg build`` for querying; see :func:`kg.query.open_graph`."""
    from kg.query import open_graph

    return open_graph(path)


def __getattr__(name: str) -> Any:
    if name == "KnowledgeGraph":
        from kg.graph import KnowledgeGraph

        return KnowledgeGraph
    if name == "errors":
        import kg.errors

        return kg.errors
    raise AttributeError(name)
