"""``--format cypher``: the script parses as Neo4j Cypher (graphglot), merges only, and keeps text as literals."""

from __future__ import annotations

import pytest

from kg.export import export
from kg.export.common import edge_records, node_records
from kg.export.cypher import cypher_script
from kg.export.tables import neo4j_labels, relationship_type
from kg.graph import Entity, Evidence, KnowledgeGraph, Statement
from kg.iri import document_iri, entity_iri
from tests.export.conftest import DOC_A, make_nasty_graph, make_small_graph

graphglot = pytest.importorskip("graphglot")
from graphglot.ast import cypher as cy  # noqa: E402
from graphglot.ast import expressions as ex  # noqa: E402
from graphglot.dialect.neo4j import Neo4j  # noqa: E402

#: what a loading script must never do: create duplicates, delete, or call procedures
FORBIDDEN = (cy.CreateClause, ex.DeleteStatement, ex.RemoveStatement, ex.CallProcedureStatement, ex.ProcedureCall)


def _parse(script: str) -> list:
    """The script's statements as graphglot ASTs (it raises on a syntax error); ~40 ms per row, so graphs stay small."""
    return Neo4j().parse(script)


@pytest.fixture(scope="module")
def parsed(tmp_path_factory):
    """``name -> (graph, parsed statements of its exported script)``, parsed once per module."""
    cache: dict = {}

    def get(make):
        if make not in cache:
            graph = make()
            cache[make] = graph, _parse(_written(graph, tmp_path_factory.mktemp("cypher")))
        return cache[make]

    return get


def _literals(programs) -> list[str]:
    return [lit.value for p in programs for lit in p.find_all(ex.CharacterStringLiteral)]


def _written(graph, tmp_path) -> str:
    (path,) = export(graph, "cypher", tmp_path / "graph.cypher")
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize("make", [make_small_graph, make_nasty_graph, KnowledgeGraph], ids=["small", "nasty", "empty"])
def test_the_script_parses_as_neo4j_cypher_and_only_merges(make, parsed):
    graph, programs = parsed(make)
    edges = edge_records(graph)
    by_label = len({tuple(neo4j_labels(n.cls)) for n in node_records(graph, edges)})
    assert len(programs) == 1 + by_label + len({e.property for e in edges})  # constraint, nodes by class, edges by type
    constraint, *loads = programs
    assert list(constraint.find_all(cy.CreateConstraint))[0].if_not_exists
    for program in loads:
        assert list(program.find_all(cy.MergeClause)), "every load statement MERGEs"
        assert not [node for node in program.dfs() if isinstance(node, FORBIDDEN)]


def test_every_text_survives_as_a_literal(parsed):
    graph, programs = parsed(make_nasty_graph)
    literals = set(_literals(programs))
    edges = edge_records(graph)
    for n in node_records(graph, edges):
        assert {n.iri, n.label, *n.aliases} <= literals
    for e in edges:
        assert {e.iri, e.label, e.role, e.sentence, e.source, e.target} <= literals


def test_a_label_written_as_cypher_stays_a_string(tmp_path):
    doc = document_iri(DOC_A.id)
    attack = '"}}] AS row MATCH (x) DETACH DELETE x // \\" \'; CALL db.clearQueryCaches() `'
    a = Entity(entity_iri("Company", "evil"), attack, "Company", alt_labels=(attack + "\n//",), mentions={doc: 1})
    b = Entity(entity_iri("City", "b"), "B", "City", mentions={doc: 1})
    ev = Evidence(doc, attack, 0, len(attack), "kg.test.v1", 0.5)
    graph = KnowledgeGraph(documents=[DOC_A], entities=[a, b],
                           statements=[Statement(a.iri, "locatedIn", b.iri, [ev], role=attack, predicate_text=attack)])
    programs = _parse(_written(graph, tmp_path))
    assert not [node for p in programs for node in p.dfs() if isinstance(node, FORBIDDEN)]
    literals = _literals(programs)
    assert literals.count(attack) == 4 and attack + "\n//" in literals  # name, evidence, label, role; the alias


def test_labels_and_types_come_from_the_vocabulary(parsed):
    graph, programs = parsed(make_small_graph)
    types = {label.identifier.name for p in programs for m in p.find_all(cy.MergeClause)
             for label in m.find_all(ex.LabelName)}
    labels = {item.label_name.identifier.name for p in programs for item in p.find_all(ex.SetLabelItem)}
    assert types - {"Entity"} == {relationship_type(s.property) for s in graph.statements}
    assert labels == {c for e in graph.entities for c in neo4j_labels(e.cls)} - {"Entity"}


def test_large_graphs_go_in_batches(tmp_path, monkeypatch):
    import kg.export.cypher as mod

    monkeypatch.setattr(mod, "BATCH", 3)
    doc = document_iri(DOC_A.id)
    people = [Entity(entity_iri("Person", f"p{i}"), f"P{i}", "Person", mentions={doc: 1}) for i in range(7)]
    graph = KnowledgeGraph(documents=[DOC_A], entities=people, statements=[
        Statement(a.iri, "relatedTo", b.iri, [Evidence(doc, f"{a.label} met {b.label}.", 0, 9, "kg.test.v1", 0.5)])
        for a, b in zip(people, people[1:])])
    programs = _parse(cypher_script(graph))
    rows = [len(list(p.find_all(ex.RecordConstructor))) // 2 for p in programs[1:]]  # a row: a record with a props record
    assert rows == [3, 3, 1, 3, 3]
    merged = {lit for lit in _literals(programs) if lit.startswith("https://w3id.org/wild-goose/id/statement/")}
    assert merged == {s.iri for s in graph.statements}
