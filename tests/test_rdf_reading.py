"""Reading RDF back: literals as written, the file's base IRI, an empty build."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
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


# -- kg query and kg serve over literals the store would rewrite ------------------------------
def _query_csv(path, sparql):
    result = CliRunner().invoke(app, ["query", str(path), sparql, "-f", "csv"])
    assert result.exit_code == 0, result.stderr
    return result.stdout.splitlines()[1:], result.stderr


def test_kg_query_answers_foreign_literals_as_written(tmp_path):
    path = tmp_path / "values.ttl"
    path.write_text(LITERALS)
    rows, note = _query_csv(path, "SELECT ?o (DATATYPE(?o) AS ?d) WHERE { ?s ?p ?o FILTER(isLiteral(?o)) } ORDER BY STR(?o)")
    assert rows == ["01," + XSD + "integer", "1," + XSD + "decimal", "1.," + XSD + "decimal",
                    "1.0," + XSD + "decimal", "5," + XSD + "byte"]
    assert "literals written in a form Oxigraph rewrites" in note and "values.ttl" in note
    # three distinct decimal terms stay three rows; comparisons still go by value
    assert _query_csv(path, "SELECT (COUNT(*) AS ?n) WHERE { ?s <http://example.org/d> ?o }")[0] == ["3"]
    assert _query_csv(path, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o FILTER(?o = 1) }")[0] == ["4"]
    ask = 'ASK { ?s ?p "01"^^xsd:integer }'
    assert CliRunner().invoke(app, ["query", str(path), ask]).stdout.strip() == "true"


def test_the_exact_answer_keeps_the_guard_and_the_syntax_messages(tmp_path):
    from kg.errors import QueryError, QueryRefusedError
    from kg.query import open_graph

    path = tmp_path / "values.ttl"
    path.write_text(LITERALS)
    opened = open_graph(path)
    assert opened.exact is not None
    with pytest.raises(QueryRefusedError):
        opened.query("SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")
    with pytest.raises(QueryError, match="unknown prefix ex:"):
        opened.query("SELECT ?o WHERE { ?s ex:v ?o }")
    rows = opened.query("SELECT ?o WHERE { ?s <http://example.org/n> ?o }", bindings={"s": ox.NamedNode("http://example.org/a")})
    assert [r["o"].value for r in rows] == ["01"]


@pytest.mark.model
def test_a_graph_kg_build_wrote_is_queried_by_the_store(example_ttl):
    """kg build writes its literals (counts, confidences, times) in canonical form, so its
    graphs take the store's fast path, without a note."""
    from kg.query import open_graph

    opened = open_graph(example_ttl)
    assert opened.exact is None and opened.notes == []
    assert opened.query("ASK { ?s kg:confidence ?c }").boolean


def test_kg_serve_says_that_it_serves_such_literals_by_value(tmp_path):
    from kg.serve import ServeOptions, SparqlServer

    path = tmp_path / "values.ttl"
    path.write_text(LITERALS)
    with SparqlServer.open(path, ServeOptions(port=0, workers=1)) as server:
        assert any("served by value" in n and "values.ttl" in n for n in server.notes)
    plain = tmp_path / "plain.ttl"
    plain.write_text('<http://example.org/a> <http://example.org/n> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .\n')
    with SparqlServer.open(plain, ServeOptions(port=0, workers=1)) as server:
        assert server.notes == []
