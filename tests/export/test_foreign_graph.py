"""Graphs in another vocabulary (``kg build --ontology``, any RDF) can be
exported and summed up: entities, links, values and the evidence beside them."""

from __future__ import annotations

import json

import networkx as nx
from typer.testing import CliRunner

from kg.cli import app
from kg.rdf_read import read_graph

runner = CliRunner()

TRIG = """
@prefix o: <http://example.org/onto#> .
@prefix d: <http://example.org/id/> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix kg: <https://w3id.org/wild-goose/vocab#> .
@prefix prov: <http://www.w3.org/ns/prov#> .

d:initech a o:Company ; rdfs:label "Initech" ;
    o:foundationPlace d:austin ; o:keyPerson d:bill ;
    o:numberOfEmployees "2300"^^xsd:integer .
d:austin a o:City ; rdfs:label "Austin" .
d:bill rdfs:label "Bill <b>Lumbergh</b>" .

d:graph\\/evidence {
  d:doc1 a kg:Document ; kg:sourceFile "news.txt" .
  d:st1 a rdf:Statement ; rdf:subject d:initech ; rdf:predicate o:foundationPlace ; rdf:object d:austin ;
      kg:evidence d:ev1 .
  d:ev1 a kg:Evidence ; prov:wasDerivedFrom d:doc1 ; kg:sentence "Initech was founded in Austin." ;
      kg:sentenceStart 0 ; kg:sentenceEnd 30 ; kg:extractor "text2kg" ; kg:confidence 0.9 .
}
"""


def _write(tmp_path):
    path = tmp_path / "foreign.trig"
    path.write_text(TRIG, encoding="utf-8")
    return path


def test_entities_links_and_values_of_a_foreign_vocabulary(tmp_path):
    graph = read_graph(_write(tmp_path))
    by_label = {e.label: e for e in graph.entities}
    assert set(by_label) == {"Initech", "Austin", "Bill <b>Lumbergh</b>"}
    assert by_label["Initech"].cls == "Company" and by_label["Austin"].cls == "City"
    assert by_label["Bill <b>Lumbergh</b>"].cls == "Thing"  # linked, but untyped
    links = {(s.property, s.object.rsplit("/", 1)[-1]): s for s in graph.statements}
    assert set(links) == {("foundationPlace", "austin"), ("keyPerson", "bill")}
    evidence = links[("foundationPlace", "austin")].evidence
    assert [ev.sentence for ev in evidence] == ["Initech was founded in Austin."]
    assert links[("keyPerson", "bill")].evidence == []
    assert [(o.measure, o.value, o.unit) for o in graph.observations] == [("numberOfEmployees", "2300", "integer")]
    assert [d.source for d in graph.documents] == ["news.txt"]


def test_export_and_stats_work_on_a_foreign_graph(tmp_path):
    source = _write(tmp_path)
    result = runner.invoke(app, ["stats", str(source), "--json"])
    assert result.exit_code == 0, result.output
    stats = json.loads(result.output)
    assert stats["entities"] == 3 and stats["relations"] == 2
    for fmt, name in (("gexf", "g.gexf"), ("html", "g.html")):
        result = runner.invoke(app, ["export", str(source), "--format", fmt, "-o", str(tmp_path / name)])
        assert result.exit_code == 0, result.output
    g = nx.read_gexf(tmp_path / "g.gexf", node_type=str)
    assert g.number_of_nodes() == 3 and g.number_of_edges() == 2
    html = (tmp_path / "g.html").read_text(encoding="utf-8")
    assert "<b>Lumbergh</b>" not in html  # labels are escaped
