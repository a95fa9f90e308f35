"""One self-contained, offline HTML page to explore the graph.

The page inlines the vendored vis-network build (``assets/vis-network.min.js``,
see ``assets/UPDATING.md``), the viewer's script and style, and the graph as
JSON. It loads nothing from anywhere: a Content-Security-Policy with
``default-src 'none'`` forbids every fetch, and only the two inline scripts,
named by their SHA-256, may run.

Safety: the graph is embedded as ``<script type="application/json">`` with
``<``, ``>``, ``&``, U+2028 and U+2029 written as ``\\uXXXX`` escapes, so no
label can close the tag; the viewer reads it with ``JSON.parse`` and shows
every string with ``textContent`` or on the canvas, never as HTML.

Features: colour by class with a legend that filters; search by name or alias;
a minimum-confidence slider; click an entity for its aliases, IRI, documents
and relations, or a relation for its evidence sentences. Positions are
computed in Python (:mod:`kg.export.layout`), so the browser runs no physics
and a 5,000-node graph stays responsive.
"""

from __future__ import annotations

import base64
import hashlib
import html as html_lib
import json
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.export.common import class_colour, edge_records, node_records, safe_text
from kg.export.layout import layout
from kg.export.registry import exporter
from kg.rdf import atomic_write
from kg.vocab import ENTITY_CLASSES

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph

__all__ = ["VIS_NETWORK_VERSION", "html_page", "script_json", "viewer_data", "write_html"]

#: version of the vendored vis-network standalone build (see assets/UPDATING.md)
VIS_NETWORK_VERSION = "10.1.5"

_PLACEHOLDER = re.compile(r"%%(CSP|GENERATOR|TITLE|CSS|DATA|VIS|APP)%%")
_SCRIPT_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


@lru_cache(maxsize=None)
def _asset(name: str) -> str:
    return resources.files("kg.export").joinpath("assets", name).read_text(encoding="utf-8")


def script_json(data: Any) -> str:
    """``data`` as JSON that is safe inside a ``<script>`` element.

    >>> script_json({"label": "</script><b>&"})
    '{"label":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026"}'
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    # these characters only ever occur inside JSON strings, where the escape means the same
    return re.sub("[<>&\u2028\u2029]", lambda m: _SCRIPT_JSON_ESCAPES[m.group()], text)


def _csp_hash(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii") + "'"


def viewer_data(graph: "KnowledgeGraph", *, title: str = "Wild Goose graph") -> dict[str, Any]:
    """What the viewer draws: compact nodes, edges, classes, documents and positions."""
    from kg import __version__

    edges = edge_records(graph)
    nodes = node_records(graph, edges)
    node_index = {n.iri: i for i, n in enumerate(nodes)}

    present = {n.cls for n in nodes}
    order = [c for c in ENTITY_CLASSES if c in present] + sorted(present - set(ENTITY_CLASSES))
    class_index = {c: i for i, c in enumerate(order)}
    counts = {c: 0 for c in order}
    for n in nodes:
        counts[n.cls] += 1

    documents: list[dict[str, Any]] = []
    doc_index: dict[str, int] = {}

    def doc(iri: str) -> int:
        if iri not in doc_index:
            doc_index[iri] = len(documents)
            documents.append({"iri": iri, "title": None, "date": None, "source": None})
        return doc_index[iri]

    from kg.iri import document_iri

    for d in graph.documents:
        i = doc(document_iri(d.id))
        documents[i].update(title=safe_text(d.title) if d.title else None, date=d.date, source=safe_text(d.source))

    lay = layout(
        [n.iri for n in nodes],
        [(e.source, e.target) for e in edges],
        order={n.iri: (class_index[n.cls], -n.mentions, n.label.casefold(), n.iri) for n in nodes},
    )
    out_nodes = []
    for i, n in enumerate(nodes):
        item: dict[str, Any] = {
            "id": i,
            "iri": n.iri,
            "label": n.label,
            "cls": class_index[n.cls],
            "aliases": n.aliases,
            "wikidata": n.wikidata,
            "mentions": n.mentions,
            "docs": [doc(d) for d in n.documents],
            "degree": n.degree,
        }
        item["x"], item["y"] = lay.positions[n.iri]
        out_nodes.append(item)

    parallel: dict[tuple[int, int], int] = {}
    out_edges = []
    for j, e in enumerate(edges):
        a, b = node_index[e.source], node_index[e.target]
        pair = (min(a, b), max(a, b))
        curve = parallel.get(pair, 0)
        parallel[pair] = curve + 1
        out_edges.append(
            {
                "id": j,
                "from": a,
                "to": b,
                "iri": e.iri,
                "property": e.property,
                "label": e.label,
                "role": e.role,
                "confidence": e.confidence,
                "curve": curve,
                "evidence": [
                    {"doc": doc(ev.document), "sentence": ev.sentence, "confidence": ev.confidence, "extractor": ev.extractor}
                    for ev in e.evidence
                ],
            }
        )
    return {
        "meta": {
            "title": title,
            "generator": f"Wild Goose {__version__}",
            "nodes": len(out_nodes),
            "edges": len(out_edges),
        },
        "classes": [{"name": c, "colour": class_colour(c), "count": counts[c]} for c in order],
        "documents": documents,
        "nodes": out_nodes,
        "edges": out_edges,
    }


def html_page(graph: "KnowledgeGraph", *, title: str = "Wild Goose graph") -> str:
    """The complete HTML page for ``graph``."""
    from kg import __version__

    vis = _asset("vis-network.min.js")
    app = _asset("viewer.js")
    for name, script in (("vis-network.min.js", vis), ("viewer.js", app)):
        if re.search(r"</script|<!--", script, re.IGNORECASE):  # would end or confuse the inline <script>
            raise ValueError(f"assets/{name} contains '</script' or '<!--' and cannot be inlined")
    csp = "; ".join(
        [
            "default-src 'none'",
            f"script-src {_csp_hash(vis)} {_csp_hash(app)}",
            "style-src 'unsafe-inline'",
            "img-src data: blob:",
            "font-src data:",
            "connect-src 'none'",
            "form-action 'none'",
            "base-uri 'none'",
        ]
    )
    values = {
        "CSP": csp,
        "GENERATOR": f"Wild Goose {__version__} with vis-network {VIS_NETWORK_VERSION}",
        "TITLE": html_lib.escape(safe_text(title)),
        "CSS": _asset("viewer.css"),
        "DATA": script_json(viewer_data(graph, title=safe_text(title))),
        "VIS": vis,
        "APP": app,
    }
    # one pass: text put in is never scanned for placeholders again
    return _PLACEHOLDER.sub(lambda m: values[m.group(1)], _asset("viewer.html"))


@exporter("html", suffix=".html", description="self-contained offline interactive viewer (vis-network)")
def write_html(graph: "KnowledgeGraph", path: Path) -> list[Path]:
    text = html_page(graph, title=f"{path.stem} · Wild Goose")
    return [atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))]
