"""GraphRAG's "bring your own graph" tables: entities, relationships, text units, documents.

``kg export graph.ttl -f graphrag -o output/`` writes the four Parquet tables
that GraphRAG (3.x) reads from its ``output`` folder, with the columns and
types of its output schema (``graphrag.data_model.schemas``), so that
``graphrag index`` with ``workflows: [create_communities,
create_community_reports]`` summarises a graph built here, and its local and
global search can query it:

- ``entities.parquet``: ``id`` (the entity IRI), ``human_readable_id``,
  ``title`` (the label; made unique with the class, since relationships name
  their ends by title), ``type`` (the class), ``description`` (class, other
  names, Wikidata ids, how often it is mentioned), ``text_unit_ids``,
  ``frequency`` (number of those text units), ``degree``.
- ``relationships.parquet``: one row per related pair (source, target), as
  GraphRAG's own extraction writes them: ``id``, ``human_readable_id``,
  ``source`` and ``target`` (entity titles), ``description`` (each
  statement with its first evidence sentence), ``weight`` (the sum of the
  statements' confidences: GraphRAG's Leiden clustering keeps one weight per
  pair), ``combined_degree``, ``text_unit_ids``.
- ``text_units.parquet``: the evidence sentences (a graph keeps no other
  text): ``id``, ``human_readable_id``, ``text``, ``n_tokens`` (words and
  punctuation, an approximation of a tokenizer's count), ``document_id``,
  ``entity_ids``, ``relationship_ids``, ``covariate_ids`` (empty).
- ``documents.parquet``: ``id`` (the document IRI), ``human_readable_id``,
  ``title``, ``text`` (its text units, one per line), ``text_unit_ids``,
  ``creation_date`` (the document's date, or ``""``), ``raw_data``
  (``source`` file, ``url``, ``date``).

Needs pyarrow (the ``export`` extra).
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.export.common import EdgeRecord, NodeRecord, edge_records, node_records, safe_text
from kg.export.registry import exporter, require
from kg.rdf import atomic_write

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph

__all__ = ["graphrag_tables", "write_graphrag", "GRAPHRAG_COLUMNS"]

#: the columns of each table, in GraphRAG's order, with their Arrow type names
GRAPHRAG_COLUMNS: dict[str, dict[str, str]] = {
    "entities": {"id": "string", "human_readable_id": "int64", "title": "string", "type": "string",
                 "description": "string", "text_unit_ids": "list<string>", "frequency": "int64", "degree": "int64"},
    "relationships": {"id": "string", "human_readable_id": "int64", "source": "string", "target": "string",
                      "description": "string", "weight": "double", "combined_degree": "int64",
                      "text_unit_ids": "list<string>"},
    "text_units": {"id": "string", "human_readable_id": "int64", "text": "string", "n_tokens": "int64",
                   "document_id": "string", "entity_ids": "list<string>", "relationship_ids": "list<string>",
                   "covariate_ids": "list<string>"},
    "documents": {"id": "string", "human_readable_id": "int64", "title": "string", "text": "string",
                  "text_unit_ids": "list<string>", "creation_date": "string", "raw_data": "source"},
}

_TOKEN = re.compile(r"\w+|[^\w\s]")


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()[:32]


@dataclass
class _Unit:
    id: str
    text: str
    document: str
    entities: list[str] = field(default_factory=list)
    relationships: list[str] = field(default_factory=list)


def _titles(nodes: list[NodeRecord]) -> dict[str, str]:
    """A unique title per entity: its label, with the class (and a number) where labels collide."""
    counts = Counter(n.label for n in nodes)
    titles: dict[str, str] = {}
    used: set[str] = set()
    for n in nodes:
        title = n.label if counts[n.label] == 1 else f"{n.label} ({n.cls})"
        base, k = title, 2
        while title in used:
            title, k = f"{base} #{k}", k + 1
        used.add(title)
        titles[n.iri] = title
    return titles


def _entity_description(n: NodeRecord) -> str:
    parts = [f"{n.label}: {n.cls}."]
    if n.aliases:
        parts.append("Also called " + ", ".join(n.aliases) + ".")
    if n.wikidata:
        parts.append("Wikidata " + ", ".join(n.wikidata) + ".")
    docs = len(n.documents)
    parts.append(f"Mentioned {n.mentions} time{'s' * (n.mentions != 1)} in {docs} document{'s' * (docs != 1)}.")
    return " ".join(parts)


def _statement_description(e: EdgeRecord, titles: dict[str, str]) -> str:
    text = f"{titles[e.source]} {e.label} {titles[e.target]}"
    if e.role:
        text += f" (as {e.role})"
    return text + (f": {e.sentence}" if e.sentence else ".")


def graphrag_tables(graph: "KnowledgeGraph") -> dict[str, dict[str, list[Any]]]:
    """The four tables as columns of plain values (see the module docstring)."""
    edges = edge_records(graph)
    nodes = node_records(graph, edges)
    titles = _titles(nodes)
    degree = {n.iri: n.degree for n in nodes}

    units: dict[tuple[str, str], _Unit] = {}
    pairs: dict[tuple[str, str], list[EdgeRecord]] = defaultdict(list)
    for e in edges:
        pairs[(e.source, e.target)].append(e)
    entity_units: dict[str, list[str]] = defaultdict(list)
    rel_units: dict[str, list[str]] = {}
    rel_ids = {pair: _digest("relationship", *pair) for pair in pairs}
    for pair, statements in pairs.items():
        rel_units[rel_ids[pair]] = []
        for e in statements:
            for ev in e.evidence:
                key = (ev.document, ev.sentence)
                unit = units.get(key)
                if unit is None:
                    unit = units[key] = _Unit(_digest("text_unit", *key), ev.sentence, ev.document)
                for owner, bucket in ((e.source, unit.entities), (e.target, unit.entities), (rel_ids[pair], unit.relationships)):
                    if owner not in bucket:
                        bucket.append(owner)
                for entity in (e.source, e.target):
                    if unit.id not in entity_units[entity]:
                        entity_units[entity].append(unit.id)
                if unit.id not in rel_units[rel_ids[pair]]:
                    rel_units[rel_ids[pair]].append(unit.id)

    doc_units: dict[str, list[_Unit]] = defaultdict(list)
    for unit in units.values():
        doc_units[unit.document].append(unit)
    from kg.iri import document_iri

    documents = [(document_iri(d.id), d) for d in graph.documents]
    known = {iri for iri, _d in documents}
    documents += [(iri, None) for iri in sorted(doc_units) if iri not in known]  # evidence from a document not listed

    rel_rows = list(pairs.items())
    return {
        "entities": {
            "id": [n.iri for n in nodes],
            "human_readable_id": list(range(len(nodes))),
            "title": [titles[n.iri] for n in nodes],
            "type": [n.cls for n in nodes],
            "description": [_entity_description(n) for n in nodes],
            "text_unit_ids": [entity_units.get(n.iri, []) for n in nodes],
            "frequency": [len(entity_units.get(n.iri, [])) for n in nodes],
            "degree": [n.degree for n in nodes],
        },
        "relationships": {
            "id": [rel_ids[pair] for pair, _s in rel_rows],
            "human_readable_id": list(range(len(rel_rows))),
            "source": [titles[s] for (s, _t), _s in rel_rows],
            "target": [titles[t] for (_s, t), _s in rel_rows],
            "description": ["\n".join(_statement_description(e, titles) for e in st) for _p, st in rel_rows],
            "weight": [round(sum(e.confidence for e in st), 6) for _p, st in rel_rows],
            "combined_degree": [degree[s] + degree[t] for (s, t), _st in rel_rows],
            "text_unit_ids": [rel_units[rel_ids[pair]] for pair, _s in rel_rows],
        },
        "text_units": {
            "id": [u.id for u in units.values()],
            "human_readable_id": list(range(len(units))),
            "text": [u.text for u in units.values()],
            "n_tokens": [len(_TOKEN.findall(u.text)) for u in units.values()],
            "document_id": [u.document for u in units.values()],
            "entity_ids": [u.entities for u in units.values()],
            "relationship_ids": [u.relationships for u in units.values()],
            "covariate_ids": [[] for _u in units.values()],
        },
        "documents": {
            "id": [iri for iri, _d in documents],
            "human_readable_id": list(range(len(documents))),
            "title": [safe_text((d.title if d else None) or iri.rsplit("/", 1)[-1]) for iri, d in documents],
            "text": ["\n".join(u.text for u in doc_units.get(iri, [])) for iri, _d in documents],
            "text_unit_ids": [[u.id for u in doc_units.get(iri, [])] for iri, _d in documents],
            "creation_date": [(d.date or "") if d else "" for _iri, d in documents],
            "raw_data": [{"source": safe_text(d.source), "url": d.url, "date": d.date} if d else None for _iri, d in documents],
        },
    }


@exporter("graphrag", suffix="", directory=True, extra="export",
          description="GraphRAG's bring-your-own-graph tables: entities, relationships, text_units, documents (.parquet)")
def write_graphrag(graph: "KnowledgeGraph", path: Path) -> list[Path]:
    pa = require("pyarrow", format="graphrag")
    pq = require("pyarrow.parquet", format="graphrag")
    types = {"string": pa.string(), "int64": pa.int64(), "double": pa.float64(), "list<string>": pa.list_(pa.string()),
             "source": pa.struct([("source", pa.string()), ("url", pa.string()), ("date", pa.string())])}
    written = []
    for name, columns in graphrag_tables(graph).items():
        schema = GRAPHRAG_COLUMNS[name]
        table = pa.table({col: pa.array(columns[col], types[kind]) for col, kind in schema.items()})
        written.append(atomic_write(path / f"{name}.parquet", lambda tmp, t=table: pq.write_table(t, tmp)))
    return written
