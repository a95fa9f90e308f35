"""Exports of a :class:`~kg.graph.KnowledgeGraph` for visual and research tools.

>>> from kg.export import export, known_formats
>>> "gexf" in known_formats()
True

``export(graph, "gexf", "out.gexf")`` writes one format; each format is a
registered :class:`Exporter` (see :mod:`kg.export.registry`). What each
format keeps and drops is listed in ``docs/export.md``. Nothing heavy is
imported here: optional packages (pydot, pyarrow) load when their format runs.
"""

from __future__ import annotations

from kg.export.registry import (
    Exporter,
    MissingDependencyError,
    export,
    exporter,
    exporters,
    get_exporter,
    known_formats,
)

__all__ = [
    "Exporter",
    "MissingDependencyError",
    "export",
    "exporter",
    "exporters",
    "get_exporter",
    "known_formats",
]
