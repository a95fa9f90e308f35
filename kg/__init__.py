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
    """Build a graph from files and directories, in every mode; see :func:`kg.builder.build`.

    ``kg.build(paths, *, output=None, store=None, ontology=None, model_dir=None,
    model=None, jobs=1, dask=None, min_confidence=None, ...)``: a plain build, an
    incremental one into a store directory (``store=DIR``), an upload
    (``store=URL``), a graph in your ontology (``ontology=``/``model_dir=``), on
    one process, ``jobs`` processes or a Dask cluster; ``output`` a file or a
    directory of N-Quads parts (``"graph/"``).
    """
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
