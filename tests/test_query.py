"""SPARQL over a small hand-made graph: library API and ``kg query``."""

from __future__ import annotations

import csv
import io
import json

import pytest
from typer.testing import CliRunner

from kg.cli import app
from kg.errors import QueryError, QueryRefusedError
from kg.graph import Entity, Evidence, KnowledgeGraph, Statement
from kg.iri import document_iri, entity_iri
from kg.model import DocInfo

D1, D2 = document_iri("bay-1"), document_iri("bay-2")
ACME = entity_iri("Company", "Acme Robotics Co., Ltd.")
BAYPORT = entity_iri("City", "Bayport")
LENA = entity_iri("Person", "Lena Park")
QUOTED = entity_iri("Facility", 'Harbor "Blue" Pier')
ODD = entity_iri("Organization", "Harbor Club [citation needed] :ship:")
WD = "http://www.wikidata.org/entity/"


def tiny_graph() -> KnowledgeGraph:
    return KnowledgeGraph(
        documents=[
            DocInfo("bay-1", "bay.txt", "Ferry terminal opens", "2024-04-15"),
            DocInfo("bay-2", "bay.txt", "Robots at the port", None, "https://example.org/bay-2"),
        ],
        entities=[
            Entity(ACME, "Acme Robotics Co., Ltd.", "Company", ("Acme",), (), {D1: 3, D2: 1}),
            Entity(BAYPORT, "Bayport", "City", (), ("Q4242",), {D1: 2}),
            Entity(LENA, "Lena Park", "Person", (), (), {D2: 1}),
            Entity(QUOTED, 'Harbor "Blue" Pier', "Facility", (), (), {D1: 1}),
            Entity(ODD, "Harbor Club [citation needed] :ship:", "Organization", (), (), {D2: 1}),
        ],
        statements=[
            Statement(ACME, "locatedIn", BAYPORT, [
                Evidence(D1, "Acme Robotics Co., Ltd. is based in Bayport.", 0, 45, "test.v1", 0.8, 0, 23, 37, 44),
            ]),
        ],
    )


@pytest.fixture(scope="module")
def graph() -> KnowledgeGraph:
    return tiny_graph()


@pytest.fixture(scope="module")
def graph_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("query") / "tiny.ttl"
    tiny_graph().write(path)
    return path


def labels(result) -> list[str]:
    return sorted(row["label"] for row in result.values())


# --------------------------------------------------------------------------- library


def test_select_with_predeclared_prefixes(graph):
    result = graph.query("SELECT ?label WHERE { ?e a kg:Company ; rdfs:label ?label }")
    assert result.kind == "select"
    assert result.variables == ["label"]
    assert labels(result) == ["Acme Robotics Co., Ltd."]
    linked = graph.query("SELECT ?e WHERE { ?e owl:sameAs wd:Q4242 }")
    assert [r["e"] for r in linked.values()] == [BAYPORT]
    alt = graph.query('SELECT ?label WHERE { ?e skos:altLabel "Acme" ; rdfs:label ?label }')
    assert labels(alt) == ["Acme Robotics Co., Ltd."]


def test_query_may_declare_its_own_prefixes(graph):
    result = graph.query(
        "PREFIX place: <https://w3id.org/wild-goose/id/city/>\nSELECT ?label WHERE { place:bayport rdfs:label ?label }"
    )
    assert labels(result) == ["Bayport"]


def test_select_reads_statements_and_documents(graph):
    located = graph.query("SELECT ?where WHERE { ?e rdfs:label 'Acme Robotics Co., Ltd.' ; kg:locatedIn ?w . "
                          "?w rdfs:label ?where }")
    assert [r["where"] for r in located.values()] == ["Bayport"]
    docs = graph.query("SELECT ?title ?date WHERE { ?d a kg:Document ; dcterms:title ?title . "
                       "OPTIONAL { ?d dcterms:date ?date } } ORDER BY ?title")
    assert docs.values() == [
        {"title": "Ferry terminal opens", "date": "2024-04-15"},
        {"title": "Robots at the port", "date": None},
    ]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("ASK { ?e a kg:City }", True),
        ("ASK { ?e a kg:Country }", False),
        ("ASK { ?e rdfs:label 'Lena Park' ; a kg:Person }", True),
    ],
)
def test_ask(graph, query, expected):
    result = graph.query(query)
    assert result.kind == "ask"
    assert result.boolean is expected


def test_construct(graph):
    result = graph.query("CONSTRUCT { ?e rdfs:label ?l } WHERE { ?e a kg:City ; rdfs:label ?l }")
    assert result.kind == "construct"
    assert len(result) == 1
    (triple,) = result.triples
    assert (triple.subject.value, triple.object.value) == (BAYPORT, "Bayport")
    assert result.to_ntriples().strip() == f'<{BAYPORT}> <http://www.w3.org/2000/01/rdf-schema#label> "Bayport" .'


# Oxigraph substitutes only variables of the SELECT clause, so ?name is projected
BY_NAME = "SELECT ?e ?name WHERE { ?e rdfs:label ?name }"


def test_bindings_are_values_not_query_text(graph):
    query = BY_NAME
    assert [r["e"] for r in graph.query(query, bindings={"name": "Lena Park"}).values()] == [LENA]
    # quotes in a value are part of the value: it matches the label that has them
    assert [r["e"] for r in graph.query(query, bindings={"name": 'Harbor "Blue" Pier'}).values()] == [QUOTED]


def test_injection_through_bindings_matches_nothing_and_does_no_harm(graph):
    before = len(graph.store())
    evil = '" } ; DROP ALL ; INSERT DATA { <http://x> <http://y> "z" } #'
    result = graph.query(BY_NAME, bindings={"name": evil})
    assert result.rows == []
    assert len(graph.store()) == before
    assert graph.query("ASK { ?e a kg:Company }").boolean is True


def test_binding_an_iri(graph):
    from rdflib import URIRef

    result = graph.query("SELECT ?e ?label WHERE { ?e rdfs:label ?label }", bindings={"?e": URIRef(BAYPORT)})
    assert labels(result) == ["Bayport"]


def test_bindings_work_in_ask(graph):
    query = "ASK { ?e rdfs:label ?name ; a kg:Person }"
    assert graph.query(query, bindings={"name": "Lena Park"}).boolean is True
    assert graph.query(query, bindings={"name": "Bayport"}).boolean is False


def test_binding_a_variable_outside_the_select_clause(graph):
    query = "SELECT ?e WHERE { ?e rdfs:label ?name }"
    assert [r["e"] for r in graph.query(query, bindings={"name": "Lena Park"}).values()] == [LENA]
    evil = '" } ; DROP ALL ; INSERT DATA { <http://x> <http://y> "z" } #'
    before = len(graph.store())
    assert graph.query(query, bindings={"name": evil}).rows == []
    assert len(graph.store()) == before


def test_binding_next_to_the_query_s_own_values_clause_is_a_clear_error(graph):
    with pytest.raises(QueryError):
        graph.query("SELECT ?e WHERE { ?e rdfs:label ?name } VALUES ?e { <http://x> }", bindings={"name": "Lena Park"})


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { SERVICE <http://dbpedia.org/sparql> { ?s ?p ?o } }",
        "select * where { service <http://example.org/sparql> { ?s ?p ?o } }",
        "LOAD <http://example.org/data.ttl>",
        "SELECT * FROM <http://example.org/graph> WHERE { ?s ?p ?o }",
        "SELECT * FROM NAMED <file:///etc/passwd> WHERE { GRAPH ?g { ?s ?p ?o } }",
        "INSERT DATA { <http://x> <http://y> <http://z> }",
        "DELETE WHERE { ?s ?p ?o }",
        "DELETE { ?s ?p ?o } INSERT { ?s ?p 'x' } WHERE { ?s ?p ?o }",
        "DROP ALL",
        "CLEAR DEFAULT",
    ],
)
def test_refused_queries(graph, query):
    before = len(graph.store())
    with pytest.raises(QueryRefusedError, match="query refused"):
        graph.query(query)
    assert len(graph.store()) == before


@pytest.mark.parametrize(
    "query",
    [
        'SELECT ?e WHERE { ?e rdfs:label "Ferry service from the port" }',
        "SELECT ?e WHERE { ?e rdfs:label 'load and insert' }",
        "SELECT ?e WHERE { ?e rdfs:label '''Delete from\nservice''' }",
        "SELECT ?e WHERE { ?e <http://example.org/service/from/load> ?x }",
        "SELECT ?e WHERE { ?e a kg:Company } # load from a service later",
        "SELECT ?from ?to WHERE { ?from kg:locatedIn ?to }",
        "SELECT ?service WHERE { ?service a kg:City }",
        "PREFIX from: <http://example.org/from#>\nSELECT ?e WHERE { ?e from:service ?x }",
    ],
)
def test_words_inside_literals_iris_comments_variables_and_names_are_allowed(graph, query):
    graph.query(query)  # no QueryRefusedError


def test_keyword_is_refused_even_next_to_a_variable(graph):
    with pytest.raises(QueryRefusedError):
        graph.query("SELECT ?s WHERE { SERVICE ?endpoint { ?s ?p ?o } }")


def test_invalid_query_raises_query_error(graph):
    with pytest.raises(QueryError, match="invalid SPARQL"):
        graph.query("SELECT WHERE {")


def test_kg_load_opens_a_file_for_querying(graph_file):
    import kg

    g = kg.load(str(graph_file))
    assert labels(g.query("SELECT ?label WHERE { ?e a kg:Person ; rdfs:label ?label }")) == ["Lena Park"]
    assert len(g) == len(tiny_graph().quads())


# --------------------------------------------------------------------------- CLI

runner = CliRunner()
SELECT = "SELECT ?e ?label WHERE { ?e rdfs:label ?label } ORDER BY ?label"
EXPECTED_ROWS = sorted(
    [
        [ACME, "Acme Robotics Co., Ltd."],
        [BAYPORT, "Bayport"],
        [ODD, "Harbor Club [citation needed] :ship:"],
        [QUOTED, 'Harbor "Blue" Pier'],
        [LENA, "Lena Park"],
    ],
    key=lambda r: r[1],
)


def invoke(*args: str):
    return runner.invoke(app, list(args))


def test_cli_table(graph_file):
    result = invoke("query", str(graph_file), SELECT)
    assert result.exit_code == 0, result.output
    out = result.stdout
    lines = out.splitlines()
    assert lines[0].split() == ["e", "label"]
    for _, label in EXPECTED_ROWS:
        assert label in out  # printed as is, brackets and colons included
    assert "(5 rows)" in out


def test_cli_csv(graph_file):
    result = invoke("query", str(graph_file), SELECT, "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows == [["e", "label"], *EXPECTED_ROWS]


def test_cli_tsv(graph_file):
    result = invoke("query", str(graph_file), SELECT, "-f", "tsv")
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout), delimiter="\t"))
    assert rows == [["e", "label"], *EXPECTED_ROWS]


def test_cli_json_is_sparql_results_json(graph_file):
    result = invoke("query", str(graph_file), SELECT, "-f", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["head"] == {"vars": ["e", "label"]}
    bindings = data["results"]["bindings"]
    assert [[b["e"]["value"], b["label"]["value"]] for b in bindings] == EXPECTED_ROWS
    assert all(b["e"]["type"] == "uri" and b["label"]["type"] == "literal" for b in bindings)


def test_cli_json_keeps_datatypes(graph_file):
    result = invoke("query", str(graph_file),
                    "SELECT ?n WHERE { ?e rdfs:label 'Bayport' ; kg:mentionCount ?n }", "-f", "json")
    (binding,) = json.loads(result.stdout)["results"]["bindings"]
    assert binding["n"] == {"type": "literal", "value": "2",
                            "datatype": "http://www.w3.org/2001/XMLSchema#integer"}


def test_cli_ask(graph_file):
    assert invoke("query", str(graph_file), "ASK { ?e a kg:City }").stdout.strip() == "true"
    result = invoke("query", str(graph_file), "ASK { ?e a kg:Country }", "-f", "json")
    assert json.loads(result.stdout) == {"head": {}, "boolean": False}


def test_cli_construct_prints_ntriples(graph_file):
    import rdflib

    result = invoke("query", str(graph_file), "CONSTRUCT { ?e rdfs:label ?l } WHERE { ?e rdfs:label ?l }")
    assert result.exit_code == 0, result.output
    g = rdflib.Graph().parse(data=result.stdout, format="nt")
    assert sorted(str(o) for o in g.objects()) == sorted(label for _, label in EXPECTED_ROWS)


def test_cli_query_from_rq_file(graph_file, tmp_path):
    rq = tmp_path / "people.rq"
    rq.write_text("# people in the graph\nSELECT ?label\nWHERE {\n  ?e a kg:Person ;\n     rdfs:label ?label .\n}\n",
                  encoding="utf-8")
    result = invoke("query", str(graph_file), str(rq), "-f", "csv")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["label", "Lena Park"]


def test_cli_long_one_line_query(graph_file):
    query = "SELECT ?label WHERE { ?e a kg:Company ; rdfs:label ?label . " + "OPTIONAL { ?e skos:altLabel ?alt } " * 8 + "}"
    assert len(query) > 255 and "/" not in query
    result = invoke("query", str(graph_file), query, "-f", "csv")
    assert result.exit_code == 0, result.output
    assert list(csv.reader(io.StringIO(result.stdout))) == [["label"], ["Acme Robotics Co., Ltd."]]


def test_cli_bad_query_is_a_clear_error(graph_file):
    result = invoke("query", str(graph_file), "SELECT ?e WHERE { ?e rdfs:label }")
    assert result.exit_code != 0
    assert result.stdout == ""
    assert "invalid SPARQL" in result.stderr
    assert "at line 1, column" in result.stderr  # the position is in the user's query, not after the prefixes
    assert "Traceback" not in result.output


def test_cli_refused_query_is_a_clear_error(graph_file):
    result = invoke("query", str(graph_file), "LOAD <http://example.org/x.ttl>")
    assert result.exit_code != 0
    assert "query refused" in result.stderr and "LOAD" in result.stderr


def test_cli_missing_graph_file(tmp_path):
    missing = tmp_path / "nope.ttl"
    result = invoke("query", str(missing), "ASK { ?s ?p ?o }")
    assert result.exit_code != 0
    assert str(missing) in result.stderr.replace("\n", "")
