"""Graphviz: DOT source (built with pydot) and SVG/PNG pictures drawn by Graphviz.

Nodes are filled with their class colour and labelled with their name; edges
are labelled with the property (or predicate text) and drawn thicker with more
confidence; a legend of the classes present sits under the drawing. Every
string is quoted and escaped here before pydot sees it (pydot would otherwise
cut an IRI at its ``:`` and pass backslashes through). Pictures run Graphviz's
``dot`` program (``apt-get install graphviz``) with the ``neato`` layout for
small graphs and ``sfdp`` for large ones.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

from kg.export.common import class_colour, edge_records, node_records, xml_text
from kg.export.registry import MissingDependencyError, exporter, require
from kg.errors import KGError
from kg.rdf import atomic_write

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph

__all__ = ["dot_quote", "dot_source", "graphviz", "render", "write_dot", "write_png", "write_svg"]

#: above this many nodes pictures use sfdp (multiscale) instead of neato
SFDP_THRESHOLD = 400
RENDER_TIMEOUT = 600  # seconds
FONT = "DejaVu Sans,Helvetica,Arial,sans-serif"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def dot_quote(text: str, *, limit: int | None = None) -> str:
    """``text`` as a DOT double-quoted string that Graphviz prints literally.

    >>> dot_quote('say "hi" \\\\ bye')
    '"say \\\\"hi\\\\" \\\\\\\\ bye"'
    """
    text = xml_text(text)  # Graphviz writes SVG: keep to what XML can hold
    if limit is not None and len(text) > limit:
        text = text[: limit - 1] + "\N{HORIZONTAL ELLIPSIS}"
    text = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{_CONTROL.sub(" ", text)}"'


def _text_colour(fill: str) -> str:
    r, g, b = (int(fill[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return "#000000" if 0.299 * r + 0.587 * g + 0.114 * b > 0.55 else "#ffffff"


def _legend(classes: Counter[str]) -> str:
    rows = "".join(
        f'<TR><TD BGCOLOR="{class_colour(c)}" WIDTH="14"> </TD><TD ALIGN="LEFT">{html.escape(c)} ({n})</TD></TR>'
        for c, n in sorted(classes.items())
    )
    return f'<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="2">{rows}</TABLE>>'


def dot_source(graph: "KnowledgeGraph", *, name: str = "kg", format: str = "dot") -> str:
    """The graph as DOT text (``format`` names the export in a missing-pydot error)."""
    pydot = require("pydot", format=format)
    edges = edge_records(graph)
    nodes = node_records(graph, edges)
    large = len(nodes) > SFDP_THRESHOLD
    g = pydot.Dot(
        dot_quote(name),
        graph_type="digraph",
        charset="UTF-8",
        overlap="false" if not large else "prism",
        splines="true" if not large else "false",
        outputorder="edgesfirst",
        pack="true",
        fontname=dot_quote(FONT),
        fontsize="10",
        labelloc="b",
        bgcolor="white",
    )
    if nodes:
        g.set("label", _legend(Counter(n.cls for n in nodes)))
    g.set_node_defaults(shape="ellipse", style="filled", fontname=dot_quote(FONT), fontsize="10", penwidth="0.5")
    g.set_edge_defaults(fontname=dot_quote(FONT), fontsize="8", color='"#00000080"', fontcolor='"#444444"', arrowsize="0.6")
    for n in nodes:
        fill = n.colour
        g.add_node(
            pydot.Node(
                dot_quote(n.iri),
                label=dot_quote(n.label, limit=60),
                fillcolor=dot_quote(fill),
                fontcolor=dot_quote(_text_colour(fill)),
                tooltip=dot_quote(n.iri),
                **{"class": dot_quote(n.cls)},
            )
        )
    for e in edges:
        g.add_edge(
            pydot.Edge(
                dot_quote(e.source),
                dot_quote(e.target),
                label=dot_quote(e.label, limit=40),
                tooltip=dot_quote(e.sentence or e.label, limit=300),
                penwidth=f"{0.5 + 2.0 * e.confidence:.2f}",
                **{"class": dot_quote(e.property)},
            )
        )
    return g.to_string()


@exporter("dot", suffix=".dot", extra="export", description="Graphviz DOT source (pydot)")
def write_dot(graph: "KnowledgeGraph", path: Path) -> list[Path]:
    text = dot_source(graph, name=path.stem)
    return [atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))]


def graphviz(fmt: str) -> str:
    """Path of Graphviz's ``dot`` program, or a clear error saying how to install it."""
    exe = shutil.which("dot")
    if exe is None:
        raise MissingDependencyError(
            f"the {fmt} export draws with Graphviz, whose `dot` program is not on PATH: "
            "install Graphviz (Debian/Ubuntu: apt-get install graphviz; Fedora: dnf install graphviz; "
            "macOS: brew install graphviz), or export --format dot and render it elsewhere"
        )
    return exe


def render(dot_text: str, path: Path, fmt: str, *, engine: str = "neato") -> Path:
    """Draw ``dot_text`` into ``path`` as ``fmt`` (svg, png) with Graphviz."""
    exe = graphviz(fmt)

    def write(tmp: Path) -> None:
        try:
            proc = subprocess.run(
                [exe, f"-K{engine}", f"-T{fmt}", "-o", str(tmp)],
                input=dot_text.encode("utf-8"),
                capture_output=True,
                timeout=RENDER_TIMEOUT,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise KGError(f"Graphviz took longer than {RENDER_TIMEOUT}s to draw {path}; export html instead") from None
        if proc.returncode != 0:
            raise KGError(f"Graphviz could not draw {path}: {proc.stderr.decode('utf-8', 'replace').strip()}")

    return atomic_write(path, write)


def _picture(graph: "KnowledgeGraph", path: Path, fmt: str) -> list[Path]:
    graphviz(fmt)  # fail before any work
    engine = "sfdp" if len(graph.entities) > SFDP_THRESHOLD else "neato"
    return [render(dot_source(graph, name=path.stem, format=fmt), path, fmt, engine=engine)]


@exporter("svg", suffix=".svg", extra="export", binary="dot", description="static SVG drawing (Graphviz)")
def write_svg(graph: "KnowledgeGraph", path: Path) -> list[Path]:
    return _picture(graph, path, "svg")


@exporter("png", suffix=".png", extra="export", binary="dot", description="static PNG drawing (Graphviz)")
def write_png(graph: "KnowledgeGraph", path: Path) -> list[Path]:
    return _picture(graph, path, "png")
