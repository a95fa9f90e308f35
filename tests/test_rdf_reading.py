"""Reading RDF back: literals as written, the file's base IRI, an empty build."""

from __future__ import annotations

from typer.testing import CliRunner

import kg
from kg.cli import app
from kg.graph import KnowledgeGraph, RunInfo
from kg.rdf_read import read_graph

XSD = "http://www.w3.org/2001/XMLSchema#"
LITERALS = """@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<http://example.org/a> a <http://example.org/Thing> ;
  <http://example.org/n> "01"^^xsd:integer ;
  <http://example.org/b> "5"^^xsd:byte ;
  <http://example.org/d> "1"^^xsd:decimal , "1.0"^^xsd:decimal , "1."^^xsd:decimal .
"""


def test_foreign_literals_are_read_as_written(tmp_path):
    path = tmp_path / "values.ttl"
    path.write_text(LITERALS)
    graph = read_graph(path)
    values = sorted((o.measure, o.value, o.unit) for o in graph.observations)
    assert values == [("b", "5", "byte"), ("d", "1", "decimal"), ("d", "1.", "decimal"), ("d", "1.0", "decimal"),
                      ("n", "01", "integer")]


def test_relative_iris_resolve_against_the_file(tmp_path):
    path = tmp_path / "relative.ttl"
    path.write_text('<#a> <p> <../b> .\n')
    g = kg.load(str(path))
    row = g.query("SELECT ?s ?p ?o WHERE { ?s ?p ?o }").values()[0]
    base = path.resolve().as_uri()
    assert row == {"s": base + "#a", "p": tmp_path.resolve().as_uri() + "/p",
                   "o": tmp_path.resolve().parent.as_uri() + "/b"}


def _empty_build(path):
    KnowledgeGraph(documents=[], entities=[], statements=[],
                   run=RunInfo("r1", "2024-01-01T00:00:00Z", "0.1.0", "none")).write(path)


def test_an_empty_build_reads_back_empty(tmp_path):
    path = tmp_path / "empty.ttl"
    _empty_build(path)
    graph = read_graph(path)
    assert graph.entities == [] and graph.statements == [] and graph.observations == []


def test_kg_stats_on_an_empty_build_counts_no_entity(tmp_path):
    path = tmp_path / "empty.ttl"
    _empty_build(path)
    result = CliRunner().invoke(app, ["stats", str(path)])
    assert result.exit_code == 0, result.output
    line = next(line for line in result.stdout.splitlines() if line.startswith("entities"))
    assert line.split()[-1] == "0"


def test_kg_export_of_an_empty_build_draws_no_node(tmp_path):
    import json

    path = tmp_path / "empty.ttl"
    _empty_build(path)
    out = tmp_path / "empty.json"
    result = CliRunner().invoke(app, ["export", str(path), "-f", "d3", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text())["nodes"] == []
