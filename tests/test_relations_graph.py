"""Relations and facts in the example graph: evidence on every statement, queried with SPARQL."""

from __future__ import annotations

import pytest

from kg.builder import assemble
from kg.vocab import CORE_RELATIONS

pytestmark = pytest.mark.model

#: statements that lack any piece of the evidence the issue asks for
STATEMENTS_WITHOUT_EVIDENCE = """
SELECT (COUNT(DISTINCT ?st) AS ?n) WHERE {
  ?st a kg:Statement .
  FILTER NOT EXISTS {
    ?st kg:evidence ?ev .
    ?ev prov:wasDerivedFrom ?doc ; kg:sentence ?sentence ;
        kg:sentenceStart ?s0 ; kg:sentenceEnd ?s1 ;
        kg:subjectStart ?a0 ; kg:subjectEnd ?a1 ; kg:objectStart ?b0 ; kg:objectEnd ?b1 ;
        kg:extractor ?extractor ; kg:confidence ?c .
    ?doc kg:sourceFile ?source .
    FILTER(?c >= 0 && ?c <= 1 && ?s0 <= ?a0 && ?a1 <= ?s1 && ?s0 <= ?b0 && ?b1 <= ?s1)
  }
}
"""

#: direct relation triples between entities without a reified statement behind them
TRIPLES_WITHOUT_STATEMENT = (
    "SELECT (COUNT(*) AS ?n) WHERE {\n"
    "  VALUES ?p { " + " ".join(f"kg:{p}" for p in CORE_RELATIONS) + " }\n"
    "  ?s ?p ?o .\n"
    "  FILTER NOT EXISTS { ?st a kg:Statement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o }\n"
    "}"
)

COUNT_STATEMENTS = "SELECT (COUNT(?st) AS ?n) WHERE { ?st a kg:Statement }"


def _count(graph, query: str) -> int:
    rows = graph.query(query).to_delimited(",").splitlines()
    return int(rows[1])


def test_the_example_graph_has_relations(example_graph):
    assert _count(example_graph, COUNT_STATEMENTS) >= 30


def test_every_statement_carries_its_evidence(example_graph):
    assert _count(example_graph, STATEMENTS_WITHOUT_EVIDENCE) == 0


def test_every_relation_triple_is_a_statement(example_graph):
    assert _count(example_graph, TRIPLES_WITHOUT_STATEMENT) == 0


def test_the_same_statement_from_several_sentences_keeps_all_evidence(example_graph):
    several = [s for s in example_graph.statements if len(s.evidence) > 1]
    assert several, "the committee is named twice as administering the area"
    for s in several:
        assert s.confidence >= max(e.confidence for e in s.evidence)
        assert 0.0 <= s.confidence <= 1.0


def test_min_confidence_drops_weaker_relations(example_graph):
    from kg.ingest import read_sources
    from kg.pipeline import process_documents
    from tests.conftest import EXAMPLES

    results = list(process_documents(read_sources([EXAMPLES / "corpus"])))
    strict = assemble(results, min_confidence=0.7)
    assert 0 < len(strict.statements) < len(example_graph.statements)
    assert all(ev.confidence >= 0.7 for s in strict.statements for ev in s.evidence)


def test_two_observations_of_foreign_investment(example_graph):
    lingang = example_graph.entity("Lingang New Area")
    facts = {(o.value, o.unit, o.date) for o in example_graph.observations if o.subject == lingang.iri and o.measure == "actual foreign investment"}
    assert facts == {("520000000", "USD", "2020"), ("2040000000", "USD", "2022")}
