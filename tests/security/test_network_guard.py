"""The network guard of ``kg query``, the Python API and ``kg serve``.

Each hostile query points at a canary listener on 127.0.0.1: the guard must
refuse it (a clear error, never a traceback) and the canary must see no
connection. The guard decides on the parsed query, so spellings a regular
expression misses (``SERVICE:pname``, a comment ended by a lone CR, code point
escapes) are refused like the plain ones.
"""

from __future__ import annotations

import http.client
import threading
from urllib.parse import urlencode

import pytest
from typer.testing import CliRunner

import kg
from kg.cli import app
from kg.errors import QueryError, QueryRefusedError
from kg.serve import ServeOptions, SparqlServer
from tests.test_query import tiny_graph


def hostile_queries(url: str) -> list[str]:
    return [
        # the two bypasses of issue 15
        f"PREFIX : <{url}> SELECT * WHERE {{ SERVICE:sparql {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ # x\rSERVICE <{url}x> {{?s ?p ?o}} }}",
        # a lone CR hiding the SERVICE from a parser that ends comments at LF only
        f"SELECT * WHERE {{ ?s ?p ?o # x\rSERVICE <{url}x> {{?s ?p ?o}}\n}}",
        f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"select * where {{ service silent <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE<{url}>{{?s ?p ?o}} }}",
        f"PREFIX ex: <{url}> SELECT * WHERE {{ SERVICE ex:x {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ ?a ?b ?c OPTIONAL {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
        f"ASK {{ {{ SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }} }}",
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ FILTER EXISTS {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
        # code point escapes: \u0053 is S, \u000A ends the comment
        f"SELECT * WHERE {{ \\u0053ERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ ?s ?p ?o # x\\u000ASERVICE <{url}x> {{?s ?p ?o}}\n}}",
        f"SELECT * WHERE {{ ?s ?p ?o # x\\u000DSERVICE <{url}x> {{?s ?p ?o}}\n}}",
        f"SELECT * WHERE {{ \\u005Cu0053ERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * FROM <{url}g> WHERE {{ ?s ?p ?o }}",
        f"SELECT * FROM NAMED <{url}g> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
        f"LOAD <{url}data.ttl>",
        f"LOAD SILENT <{url}data.ttl> INTO GRAPH <http://example.org/g>",
    ]


QUERY_IDS = [f"q{i}" for i in range(len(hostile_queries("http://x/")))]


@pytest.fixture(scope="module")
def graph_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("guard") / "tiny.ttl"
    tiny_graph().write(path)
    return path


@pytest.mark.parametrize("index", range(len(QUERY_IDS)), ids=QUERY_IDS)
def test_python_api_refuses_and_nothing_connects(graph_file, canary, index):
    query = hostile_queries(canary.url)[index]
    before = canary.count(0)
    with pytest.raises(QueryRefusedError, match="query refused"):
        kg.load(str(graph_file)).query(query)
    assert canary.count() == before


@pytest.mark.parametrize("index", range(len(QUERY_IDS)), ids=QUERY_IDS)
def test_kg_query_refuses_and_nothing_connects(graph_file, canary, index):
    query = hostile_queries(canary.url)[index]
    before = canary.count(0)
    result = CliRunner().invoke(app, ["query", str(graph_file), query])
    assert result.exit_code != 0
    assert "query refused" in result.stderr
    assert "Traceback" not in result.output
    assert canary.count() == before


@pytest.fixture(scope="module")
def server(graph_file):
    srv = SparqlServer.open(graph_file, ServeOptions(port=0, workers=1))
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield srv
    srv.shutdown()
    srv.close()


def _post_form(server, query: str) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    conn.request("POST", "/sparql", body=urlencode({"query": query}),
                 headers={"Content-Type": "application/x-www-form-urlencoded"})
    resp = conn.getresponse()
    out = resp.status, resp.read()
    conn.close()
    return out


@pytest.mark.parametrize("index", range(len(QUERY_IDS)), ids=QUERY_IDS)
def test_endpoint_refuses_a_cross_site_form_post_and_nothing_connects(server, canary, index):
    query = hostile_queries(canary.url)[index]
    before = canary.count(0)
    status, body = _post_form(server, query)
    assert status == 403, body
    assert b"refused" in body
    assert canary.count() == before


def test_endpoint_answers_an_unparseable_query_with_400(server):
    status, body = _post_form(server, "SELECT WHERE {")
    assert status == 400 and b"invalid SPARQL" in body


@pytest.mark.parametrize(
    "query",
    [
        "SELECT ?label WHERE { ?e a kg:Person ; rdfs:label ?label }",  # predeclared prefixes
        "SELECT ?label WHERE { ?e a kg:Person ;\r rdfs:label ?label } # a comment\r",
        "SELECT ?label WHERE { ?e a kg:Person ; rdfs:label ?label FILTER(?label = \"Lena \\u0050ark\") }",
        "PREFIX service: <http://www.w3.org/2000/01/rdf-schema#>\nSELECT ?label WHERE { ?e a kg:Person ; service:label ?label }",
    ],
)
def test_reading_queries_still_run(graph_file, query):
    assert [r["label"] for r in kg.load(str(graph_file)).query(query).values()] == ["Lena Park"]


def test_a_query_the_guard_cannot_parse_is_not_run(graph_file):
    with pytest.raises(QueryError, match="invalid SPARQL"):
        kg.load(str(graph_file)).query("SELECT * WHERE { " * 2000 + "}" * 2000)


def test_the_canary_counts_a_connection(canary):
    import socket

    before = canary.count(0)
    socket.create_connection(("127.0.0.1", canary.port)).close()
    assert canary.count(0.2) == before + 1
