"""A Cypher script that loads the graph into a *running* Neo4j: ``UNWIND … MERGE``, idempotent.

``kg export graph.ttl -f cypher -o graph.cypher`` then
``cypher-shell -u neo4j -f graph.cypher`` (or paste it into Neo4j Browser).
Unlike ``neo4j-admin database import`` (the ``neo4j`` format) it needs no
stopped, empty database, and running it again changes nothing: nodes are
merged on their ``iri`` (a uniqueness constraint is created first, which also
makes the merges fast), relationships on their statement ``iri``.

Nodes get the label ``Entity`` plus their class and its super-classes
(``:Entity:Organization:Company``); relationship types are the property in
UPPER_SNAKE_CASE (``LOCATED_IN``); the properties are those of the ``neo4j``
format (lists stay lists, line breaks stay line breaks). Every value is a
Cypher literal written by :func:`cypher_literal` (strings quoted and
escaped), every label and type a backtick-quoted name from
:func:`cypher_name`: no text from the graph is ever spliced into the script
as code. Rows go in batches of :data:`BATCH` per statement.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.export.common import EdgeRecord, NodeRecord, edge_records, node_records
from kg.export.registry import exporter
from kg.export.tables import neo4j_labels, relationship_type
from kg.rdf import atomic_write

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph

__all__ = ["cypher_literal", "cypher_name", "cypher_script", "write_cypher", "BATCH"]

#: rows per UNWIND statement (a few hundred kB of Cypher at most)
BATCH = 500

_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
_NEEDS_ESCAPE = re.compile('[\\\\"\x00-\x1f\x7f\x85\u2028\u2029]')
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")

HEADER = """\
// Wild Goose graph for a running Neo4j (5.x; 4.4 too). Run it with
//   cypher-shell -u neo4j -f graph.cypher
// or paste it into Neo4j Browser. Idempotent: nodes are merged on iri, relationships on
// their statement iri, so running it again (or after a new export) adds and updates, never duplicates.
CREATE CONSTRAINT wild_goose_entity_iri IF NOT EXISTS FOR (n:Entity) REQUIRE n.iri IS UNIQUE;
"""


def cypher_name(name: str) -> str:
    """A label, relationship type or key as a backtick-quoted Cypher name.

    >>> cypher_name("LOCATED_IN"), cypher_name("odd`name")
    ('`LOCATED_IN`', '`odd``name`')
    """
    return "`" + name.replace("`", "``") + "`"


def cypher_literal(value: Any) -> str:
    """``value`` (None, bool, int, float, str, list, dict) as a Cypher literal.

    >>> cypher_literal({"name": 'Say "hi"\\n', "n": [1, 2.5, None]})
    '{name: "Say \\\\"hi\\\\"\\\\n", n: [1, 2.5, null]}'
    """
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"Cypher has no literal for {value}")
        return repr(value)
    if isinstance(value, str):
        return '"' + _NEEDS_ESCAPE.sub(lambda m: _ESCAPES.get(m.group()) or f"\\u{ord(m.group()):04x}", value) + '"'
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(cypher_literal(v) for v in value) + "]"
    if isinstance(value, dict):
        items = (f"{k if _IDENTIFIER.fullmatch(k) else cypher_name(k)}: {cypher_literal(v)}" for k, v in value.items())
        return "{" + ", ".join(items) + "}"
    raise TypeError(f"no Cypher literal for {type(value).__name__}")


def _node_props(n: NodeRecord) -> dict[str, Any]:
    return {"name": n.label, "class": n.cls, "aliases": n.aliases, "wikidata": n.wikidata, "mentions": n.mentions,
            "documents": len(n.documents), "degree": n.degree}


def _edge_props(e: EdgeRecord) -> dict[str, Any]:
    return {"property": e.property, "label": e.label, "role": e.role, "confidence": e.confidence,
            "evidence": e.sentence, "evidence_count": len(e.evidence)}


def _batches(rows: list[str]) -> list[list[str]]:
    return [rows[i : i + BATCH] for i in range(0, len(rows), BATCH)]


def _unwind(rows: list[str], body: str) -> str:
    return "UNWIND [\n  " + ",\n  ".join(rows) + "\n] AS row\n" + body + ";\n"


def cypher_script(graph: "KnowledgeGraph") -> str:
    """The whole script (see the module docstring)."""
    edges = edge_records(graph)
    nodes = node_records(graph, edges)
    parts = [HEADER]
    by_labels: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for n in nodes:
        labels = tuple(label for label in neo4j_labels(n.cls) if label != "Entity")
        by_labels[labels].append(cypher_literal({"iri": n.iri, "props": _node_props(n)}))
    for labels, rows in by_labels.items():
        set_labels = "n" + "".join(":" + cypher_name(label) for label in labels) + ", " if labels else ""
        body = f"MERGE (n:Entity {{iri: row.iri}})\nSET {set_labels}n += row.props"
        parts += [_unwind(batch, body) for batch in _batches(rows)]
    by_type: dict[str, list[str]] = defaultdict(list)
    for e in edges:
        by_type[relationship_type(e.property)].append(
            cypher_literal({"source": e.source, "target": e.target, "iri": e.iri, "props": _edge_props(e)})
        )
    for rel_type, rows in by_type.items():
        body = ("MATCH (a:Entity {iri: row.source})\nMATCH (b:Entity {iri: row.target})\n"
                f"MERGE (a)-[r:{cypher_name(rel_type)} {{iri: row.iri}}]->(b)\nSET r += row.props")
        parts += [_unwind(batch, body) for batch in _batches(rows)]
    return "\n".join(parts)


@exporter("cypher", suffix=".cypher", description="Cypher script (UNWIND … MERGE, idempotent) for a running Neo4j: cypher-shell -f")
def write_cypher(graph: "KnowledgeGraph", path: Path) -> list[Path]:
    script = cypher_script(graph)
    return [atomic_write(path, lambda tmp: tmp.write_text(script, encoding="utf-8"))]
