"""Tables: Gephi CSV, PyKEEN TSV, Parquet, and CSV for ``neo4j-admin database import``.

- ``csv`` writes ``nodes.csv`` (``Id``, ``Label``, attributes) and
  ``edges.csv`` (``Source``, ``Target``, ``Type``, ``Id``, ``Label``,
  ``Weight``, attributes): Gephi's Data Laboratory › Import Spreadsheet
  conventions. ``Weight`` is the confidence. Lists are joined with ``|``.
- ``tsv`` writes ``head<TAB>relation<TAB>tail`` lines with no header, PyKEEN's
  ``TriplesFactory.from_path`` format: entity IRIs and the property's local
  name; a statement repeated with other roles is one triple.
- ``parquet`` writes ``nodes.parquet`` and ``edges.parquet`` with real list
  columns (aliases, documents) and the full evidence as a list of structs
  (needs pyarrow: the ``export`` extra).
- ``neo4j`` writes ``nodes.csv`` and ``relationships.csv`` with typed headers
  (``iri:ID``, ``:LABEL``, ``:START_ID``, ``:TYPE``, ``confidence:float`` …)
  and ``README.txt`` with the import command. Nodes get the labels of their
  class and its super-classes (``Entity;Organization;Company``); relationship
  types are the property in UPPER_SNAKE_CASE (``LOCATED_IN``).
"""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.export.common import EdgeRecord, NodeRecord, class_lineage, edge_records, node_records
from kg.export.registry import exporter, require
from kg.graph import ALIAS_SEPARATOR
from kg.rdf import atomic_write

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph

__all__ = ["write_csv", "write_tsv", "write_parquet", "write_neo4j", "relationship_type", "neo4j_labels"]

_LINE_BREAKS = re.compile(r"[\r\n\u2028\u2029\x85]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_WHITESPACE_CONTROL = re.compile(r"[\t\r\n\u2028\u2029\x85\x0b\x0c]+")


def _write_rows(path: Path, header: list[str], rows: list[list[Any]], **fmt: Any) -> Path:
    def write(tmp: Path) -> None:
        with tmp.open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh, lineterminator="\n", **fmt)
            w.writerow(header)
            w.writerows(rows)

    return atomic_write(path, write)


def _join(values: list[str]) -> str:
    return ALIAS_SEPARATOR.join(v.replace(ALIAS_SEPARATOR, "\N{BROKEN BAR}") for v in values)


# -- Gephi -----------------------------------------------------------------------------------------

NODE_COLUMNS = ["Id", "Label", "class", "aliases", "wikidata", "mentions", "documents", "degree", "colour"]
EDGE_COLUMNS = ["Source", "Target", "Type", "Id", "Label", "Weight", "property", "role", "confidence", "evidence", "evidence_count"]


def _gephi_node(n: NodeRecord) -> list[Any]:
    return [n.iri, n.label, n.cls, _join(n.aliases), _join(n.wikidata), n.mentions, len(n.documents), n.degree, n.colour]


def _gephi_edge(e: EdgeRecord) -> list[Any]:
    return [e.source, e.target, "Directed", e.iri, e.label, e.confidence, e.property, e.role, e.confidence, e.sentence, len(e.evidence)]


@exporter("csv", suffix="", directory=True, description="nodes.csv + edges.csv in Gephi's spreadsheet conventions")
def write_csv(graph: "KnowledgeGraph", path: Path) -> list[Path]:
    edges = edge_records(graph)
    nodes = node_records(graph, edges)
    return [
        _write_rows(path / "nodes.csv", NODE_COLUMNS, [_gephi_node(n) for n in nodes]),
        _write_rows(path / "edges.csv", EDGE_COLUMNS, [_gephi_edge(e) for e in edges]),
    ]


# -- PyKEEN ----------------------------------------------------------------------------------------


def _tsv_field(value: str) -> str:
    # a TSV field cannot hold tabs or line breaks; a leading quote would start a quoted field in pandas
    value = _WHITESPACE_CONTROL.sub(" ", value)
    return value.replace('"', "%22")


@exporter("tsv", suffix=".tsv", description="head, relation, tail triples (PyKEEN), no header")
def write_tsv(graph: "KnowledgeGraph", path: Path) -> list[Path]:
    seen: set[tuple[str, str, str]] = set()
    lines = []
    for e in edge_records(graph):
        triple = (_tsv_field(e.source), _tsv_field(e.property), _tsv_field(e.target))
        if triple not in seen:
            seen.add(triple)
            lines.append("\t".join(triple) + "\n")
    return [atomic_write(path, lambda tmp: tmp.write_text("".join(lines), encoding="utf-8"))]


# -- Parquet ---------------------------------------------------------------------------------------


@exporter("parquet", suffix="", directory=True, extra="export", description="nodes.parquet + edges.parquet (pyarrow)")
def write_parquet(graph: "KnowledgeGraph", path: Path) -> list[Path]:
    pa = require("pyarrow", format="parquet")
    pq = require("pyarrow.parquet", format="parquet")
    edges = edge_records(graph)
    nodes = node_records(graph, edges)
    strings = pa.list_(pa.string())
    node_table = pa.table(
        {
            "iri": pa.array([n.iri for n in nodes], pa.string()),
            "label": pa.array([n.label for n in nodes], pa.string()),
            "class": pa.array([n.cls for n in nodes], pa.string()),
            "aliases": pa.array([n.aliases for n in nodes], strings),
            "wikidata": pa.array([n.wikidata for n in nodes], strings),
            "mentions": pa.array([n.mentions for n in nodes], pa.int64()),
            "documents": pa.array([len(n.documents) for n in nodes], pa.int64()),
            "document_iris": pa.array([n.documents for n in nodes], strings),
            "degree": pa.array([n.degree for n in nodes], pa.int64()),
        }
    )
    evidence_type = pa.list_(
        pa.struct([("document", pa.string()), ("sentence", pa.string()), ("confidence", pa.float64()), ("extractor", pa.string())])
    )
    edge_table = pa.table(
        {
            "iri": pa.array([e.iri for e in edges], pa.string()),
            "source": pa.array([e.source for e in edges], pa.string()),
            "target": pa.array([e.target for e in edges], pa.string()),
            "property": pa.array([e.property for e in edges], pa.string()),
            "label": pa.array([e.label for e in edges], pa.string()),
            "role": pa.array([e.role or None for e in edges], pa.string()),
            "predicate_text": pa.array([e.predicate_text or None for e in edges], pa.string()),
            "confidence": pa.array([e.confidence for e in edges], pa.float64()),
            "evidence": pa.array([e.sentence or None for e in edges], pa.string()),
            "all_evidence": pa.array(
                [[{"document": ev.document, "sentence": ev.sentence, "confidence": ev.confidence, "extractor": ev.extractor} for ev in e.evidence] for e in edges],
                evidence_type,
            ),
        }
    )
    return [
        atomic_write(path / "nodes.parquet", lambda tmp: pq.write_table(node_table, tmp)),
        atomic_write(path / "edges.parquet", lambda tmp: pq.write_table(edge_table, tmp)),
    ]


# -- Neo4j -----------------------------------------------------------------------------------------

NEO4J_ARRAY_DELIMITER = ";"
NEO4J_README = """\
Wild Goose graph for neo4j-admin (Neo4j 5).

Copy nodes.csv and relationships.csv to the server's import directory, stop the
database, and run:

  neo4j-admin database import full neo4j \\
      --nodes=import/nodes.csv --relationships=import/relationships.csv \\
      --overwrite-destination=true

(Neo4j 4: neo4j-admin import --database=neo4j --nodes=... --relationships=...)

Nodes: label :Entity plus their class and its super-classes (:Organization:Company);
properties iri (the node ID), name, class, aliases[], wikidata[], mentions, documents, degree.
Relationships: type from the vocabulary property (locatedIn -> LOCATED_IN); properties
iri, property, label, role, confidence, evidence (first sentence), evidence_count.
Arrays use the default delimiter ';' (a ';' inside an alias became ','); line breaks
inside text became spaces, so --multiline-fields is not needed.
"""


def relationship_type(prop: str) -> str:
    """Neo4j's UPPER_SNAKE_CASE type for a vocabulary property.

    >>> relationship_type("subOrganizationOf")
    'SUB_ORGANIZATION_OF'
    """
    snake = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", prop)
    return re.sub(r"[^A-Za-z0-9_]", "_", snake).upper() or "RELATED_TO"


def neo4j_labels(cls: str) -> list[str]:
    """Neo4j labels of a node of class ``cls``: ``Entity``, its super-classes, the class.

    >>> neo4j_labels("Company")
    ['Entity', 'Organization', 'Company']
    """
    return [re.sub(r"\W", "_", c) for c in class_lineage(cls)]


def _neo_text(value: str) -> str:
    return _CONTROL.sub(" ", _LINE_BREAKS.sub(" ", value))


def _neo_array(values: list[str]) -> str:
    return NEO4J_ARRAY_DELIMITER.join(_neo_text(v).replace(NEO4J_ARRAY_DELIMITER, ",") for v in values)


@exporter("neo4j", suffix="", directory=True, description="nodes.csv + relationships.csv for neo4j-admin database import")
def write_neo4j(graph: "KnowledgeGraph", path: Path) -> list[Path]:
    edges = edge_records(graph)
    nodes = node_records(graph, edges)
    node_rows = [
        [n.iri, _neo_text(n.label), n.cls, _neo_array(n.aliases), _neo_array(n.wikidata), n.mentions, len(n.documents), n.degree,
         NEO4J_ARRAY_DELIMITER.join(neo4j_labels(n.cls))]
        for n in nodes
    ]
    edge_rows = [
        [e.source, e.target, relationship_type(e.property), e.iri, e.property, _neo_text(e.label), _neo_text(e.role), e.confidence,
         _neo_text(e.sentence), len(e.evidence)]
        for e in edges
    ]
    return [
        _write_rows(
            path / "nodes.csv",
            ["iri:ID", "name", "class", "aliases:string[]", "wikidata:string[]", "mentions:int", "documents:int", "degree:int", ":LABEL"],
            node_rows,
        ),
        _write_rows(
            path / "relationships.csv",
            [":START_ID", ":END_ID", ":TYPE", "iri", "property", "label", "role", "confidence:float", "evidence", "evidence_count:int"],
            edge_rows,
        ),
        atomic_write(path / "README.txt", lambda tmp: tmp.write_text(NEO4J_README, encoding="utf-8")),
    ]
