"""``kg serve``: SPARQL 1.1 Protocol from SPARQLWrapper and plain HTTP, refusals, timeouts."""

from __future__ import annotations

import csv
import dataclasses
import http.client
import io
import json
import threading
import time
import xml.etree.ElementTree as ET
from urllib.parse import urlencode

import pytest

from kg.serve import ServeOptions, SparqlServer, negotiate, parse_accept
from tests.conftest import EXAMPLES

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
TIMEOUT = 2.0


def _start(graph, **options) -> SparqlServer:
    server = SparqlServer.open(graph, ServeOptions(port=0, workers=2, **options))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture(scope="module")
def server(example_ttl):
    srv = _start(example_ttl, timeout=TIMEOUT)
    yield srv
    srv.shutdown()
    srv.close()


def request(server, method, path="/sparql", *, params=None, body=None, headers=None):
    """``(status, headers, body)`` of one request to the endpoint."""
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    target = path + ("?" + urlencode(params, doseq=True) if params else "")
    data = body.encode() if isinstance(body, str) else body
    conn.request(method, target, body=data, headers=headers or {})
    resp = conn.getresponse()
    out = resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
    conn.close()
    return out


def get(server, query, accept=None, **params):
    return request(server, "GET", params={"query": query, **params}, headers={"Accept": accept} if accept else {})


COMPANIES = "SELECT ?name WHERE { ?e a kg:Company ; rdfs:label ?name } ORDER BY ?name"


# -- plain HTTP ----------------------------------------------------------------------
@pytest.mark.model
@pytest.mark.parametrize(
    "accept, ctype",
    [
        (None, "application/sparql-results+json"),
        ("application/sparql-results+json", "application/sparql-results+json"),
        ("application/json", "application/sparql-results+json"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv"),
        ("text/tab-separated-values", "text/tab-separated-values"),
        ("text/html, */*;q=0.1", "application/sparql-results+json"),
    ],
)
def test_select_in_every_results_format(server, example_graph, accept, ctype):
    status, headers, body = get(server, COMPANIES, accept)
    assert status == 200
    assert headers["content-type"].split(";")[0] == ctype
    expected = [r["name"] for r in example_graph.query(COMPANIES).values()]
    text = body.decode("utf-8")
    if ctype.endswith("json"):
        got = [b["name"]["value"] for b in json.loads(text)["results"]["bindings"]]
    elif ctype.endswith("xml"):
        ns = {"s": "http://www.w3.org/2005/sparql-results#"}
        got = [lit.text for lit in ET.fromstring(text).findall(".//s:binding/s:literal", ns)]
    elif ctype == "text/csv":
        got = [row[0] for row in csv.reader(io.StringIO(text))][1:]
    else:
        got = [line.strip('"') for line in text.splitlines()[1:]]
    assert got == expected and expected


@pytest.mark.model
def test_post_form_and_post_direct(server):
    form = request(server, "POST", body=urlencode({"query": "ASK { ?e a kg:Company }"}),
                   headers={"Content-Type": "application/x-www-form-urlencoded"})
    direct = request(server, "POST", body="ASK { ?e a kg:Company }",
                     headers={"Content-Type": "application/sparql-query; charset=utf-8"})
    for status, _headers, body in (form, direct):
        assert status == 200 and json.loads(body) == {"head": {}, "boolean": True}


@pytest.mark.model
@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # rdflib's JSON-LD parser
@pytest.mark.parametrize(
    "accept, ctype, rdflib_format",
    [
        (None, "text/turtle", "turtle"),
        ("text/turtle", "text/turtle", "turtle"),
        ("application/n-triples", "application/n-triples", "nt"),
        ("application/rdf+xml", "application/rdf+xml", "xml"),
        ("application/ld+json", "application/ld+json", "json-ld"),
        ("application/n-quads", "application/n-quads", "nquads"),
        ("application/trig", "application/trig", "trig"),
        ("application/trig;q=0.9, application/n-quads;q=0.5", "application/trig", "trig"),
    ],
)
def test_construct_in_every_graph_format(server, accept, ctype, rdflib_format):
    import rdflib

    query = "CONSTRUCT { ?e rdfs:label ?name } WHERE { ?e a kg:Company ; rdfs:label ?name }"
    status, headers, body = get(server, query, accept)
    assert status == 200 and headers["content-type"].split(";")[0] == ctype
    ds = rdflib.Dataset()
    ds.parse(data=body, format=rdflib_format)
    quads = list(ds.quads((None, None, None, None)))
    assert len(quads) > 0 and all(str(q[1]) == "http://www.w3.org/2000/01/rdf-schema#label" for q in quads)
    assert {q[3] for q in quads} <= {None, rdflib.graph.DATASET_DEFAULT_GRAPH_ID}  # all in the default graph


@pytest.mark.model
@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # rdflib's N-Quads parser
def test_describe_as_n_quads(server, example_graph):
    import rdflib

    company = next(e for e in example_graph.entities if e.cls == "Company")
    status, headers, body = get(server, f"DESCRIBE <{company.iri}>", "application/n-quads")
    assert status == 200 and headers["content-type"] == "application/n-quads"
    ds = rdflib.Dataset()
    ds.parse(data=body, format="nquads")
    assert (rdflib.URIRef(company.iri), rdflib.RDFS.label, rdflib.Literal(company.label)) in ds


# -- the service description ------------------------------------------------------------------
SD = "http://www.w3.org/ns/sparql-service-description#"


@pytest.mark.model
@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # rdflib's JSON-LD parser
@pytest.mark.parametrize("accept, rdflib_format", [(None, "turtle"), ("text/turtle", "turtle"),
                                                   ("application/ld+json", "json-ld"), ("application/rdf+xml", "xml")])
def test_get_without_a_query_describes_the_service(server, example_ttl, accept, rdflib_format):
    import rdflib

    status, headers, body = request(server, "GET", headers={"Accept": accept} if accept else {})
    assert status == 200
    g = rdflib.Graph().parse(data=body, format=rdflib_format)
    sd = rdflib.Namespace(SD)
    (service,) = g.subjects(rdflib.RDF.type, sd.Service)
    assert g.value(service, sd.endpoint) == rdflib.URIRef(server.url)
    assert g.value(service, sd.supportedLanguage) == sd.SPARQL11Query
    formats = {str(f).rsplit("/", 1)[1] for f in g.objects(service, sd.resultFormat)}
    assert {"SPARQL_Results_JSON", "SPARQL_Results_CSV", "Turtle", "N-Quads", "TriG", "JSON-LD"} <= formats
    graph = g.value(g.value(service, sd.defaultDataset), sd.defaultGraph)
    triples = g.value(graph, rdflib.URIRef("http://rdfs.org/ns/void#triples")).toPython()
    assert triples == len(rdflib.Graph().parse(example_ttl))


@pytest.mark.model
def test_the_service_description_follows_accept_and_leaves_browsers_and_posts_alone(server):
    assert request(server, "GET", headers={"Accept": "image/png"})[0] == 406
    assert request(server, "GET", params={"format": "nt"})[1]["content-type"] == "application/n-triples"
    assert request(server, "GET", headers={"Accept": "text/html"})[0] == 303  # a browser gets the query page
    assert request(server, "POST", body="", headers={"Content-Type": "application/sparql-query"})[0] == 400


@pytest.mark.model
@pytest.mark.parametrize("query_file", sorted((EXAMPLES / "queries").glob("*.rq")), ids=lambda p: p.stem)
def test_example_queries_answer_as_expected_over_http(server, query_file):
    status, _headers, body = get(server, query_file.read_text(encoding="utf-8"), "text/csv")
    assert status == 200
    expected = list(csv.reader(io.StringIO(query_file.with_suffix(".csv").read_text(encoding="utf-8"))))
    assert list(csv.reader(io.StringIO(body.decode("utf-8")))) == expected


# -- SPARQLWrapper ------------------------------------------------------------------------
@pytest.mark.model
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_sparqlwrapper(server, example_graph, method):
    sw_mod = pytest.importorskip("SPARQLWrapper")
    from SPARQLWrapper import CSV, JSON, TURTLE, XML, SPARQLWrapper

    sw = SPARQLWrapper(server.url)
    sw.setMethod(sw_mod.GET if method == "GET" else sw_mod.POST)
    sw.setQuery("PREFIX kg: <https://w3id.org/wild-goose/vocab#>\n" + COMPANIES)
    expected = [r["name"] for r in example_graph.query(COMPANIES).values()]

    sw.setReturnFormat(JSON)
    assert [b["name"]["value"] for b in sw.query().convert()["results"]["bindings"]] == expected
    sw.setReturnFormat(XML)
    doc = sw.query().convert()
    assert [n.firstChild.data for n in doc.getElementsByTagName("literal")] == expected
    sw.setReturnFormat(CSV)
    assert [row[0] for row in csv.reader(io.StringIO(sw.query().convert().decode()))][1:] == expected

    sw.setQuery("ASK { ?e a <https://w3id.org/wild-goose/vocab#Company> }")
    sw.setReturnFormat(JSON)
    assert sw.query().convert()["boolean"] is True

    sw.setQuery("CONSTRUCT WHERE { ?e a <https://w3id.org/wild-goose/vocab#Company> }")
    sw.setReturnFormat(TURTLE)
    import rdflib

    g = rdflib.Graph().parse(data=sw.query().convert(), format="turtle")
    assert len(g) == len(expected)


# -- refusals -----------------------------------------------------------------------------------
@pytest.mark.model
@pytest.mark.parametrize(
    "query, status",
    [
        ("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", 403),
        ("SELECT * FROM <http://example.org/graph> WHERE { ?s ?p ?o }", 403),
        ("LOAD <http://example.org/data.ttl>", 403),
        ("INSERT DATA { <http://example.org/a> <http://example.org/b> 1 }", 403),
        ("DROP ALL", 403),
        ("SELECT WHERE {", 400),
    ],
)
def test_refused_queries(server, query, status):
    got, _headers, body = get(server, query)
    assert got == status, body


@pytest.mark.model
def test_updates_and_outside_graphs_are_refused(server):
    update = "INSERT DATA { <http://example.org/a> <http://example.org/b> 1 }"
    assert request(server, "POST", body=urlencode({"update": update}),
                   headers={"Content-Type": "application/x-www-form-urlencoded"})[0] == 403
    assert request(server, "POST", body=update, headers={"Content-Type": "application/sparql-update"})[0] == 403
    assert request(server, "PUT", body="", headers={"Content-Length": "0"})[0] == 405
    assert request(server, "DELETE")[0] == 405
    assert get(server, "ASK {}", **{"default-graph-uri": "http://example.org/g"})[0] == 403
    assert get(server, "ASK {}", **{"named-graph-uri": "http://example.org/g"})[0] == 403
    # the graph is untouched
    assert json.loads(get(server, "ASK { <http://example.org/a> ?p ?o }")[2])["boolean"] is False


@pytest.mark.model
def test_request_limits_and_bad_requests(server):
    big = "ASK {} #" + "x" * (server.options.max_request_bytes + 10)
    assert request(server, "POST", body=big, headers={"Content-Type": "application/sparql-query"})[0] == 413
    assert request(server, "POST", body="query=ASK%7B%7D", headers={"Content-Type": "text/plain"})[0] == 415
    assert request(server, "GET", params={"query": ["ASK {}", "ASK {}"]})[0] == 400  # two queries
    assert get(server, COMPANIES, "image/png")[0] == 406
    assert request(server, "GET", headers={"Host": "attacker.example:80"}, params={"query": "ASK {}"})[0] == 403
    assert request(server, "GET", "/nowhere")[0] == 404


@pytest.mark.model
def test_result_size_limit(server):
    saved = server.options
    server.options = dataclasses.replace(saved, max_result_bytes=2000)
    try:
        status, _headers, body = get(server, "SELECT * WHERE { ?s ?p ?o }")
    finally:
        server.options = saved
    assert status == 413 and b"LIMIT" in body


# -- timeouts --------------------------------------------------------------------------------------
@pytest.mark.model
def test_a_runaway_query_is_stopped_while_others_keep_answering(server):
    answers: list[tuple[int, float]] = []
    done = threading.Event()

    def other_client() -> None:
        while not done.is_set():
            t0 = time.perf_counter()
            status = get(server, "SELECT ?e WHERE { ?e a kg:Person } LIMIT 5")[0]
            answers.append((status, time.perf_counter() - t0))
            time.sleep(0.05)

    thread = threading.Thread(target=other_client)
    t0 = time.perf_counter()
    thread.start()
    try:
        status, _headers, body = get(server, RUNAWAY)
    finally:
        elapsed = time.perf_counter() - t0
        done.set()
        thread.join()
    assert status == 503 and b"timeout" in body
    assert TIMEOUT <= elapsed < TIMEOUT + 2.5
    assert len(answers) >= 5 and all(s == 200 for s, _ in answers)
    assert max(t for _, t in answers) < 1.0  # not slowed down by the runaway
    # the killed worker is replaced: two queries at once still both answer
    time.sleep(1.0)
    results = []
    threads = [threading.Thread(target=lambda: results.append(get(server, "ASK { ?s ?p ?o }")[0])) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [200] * 4


# -- the page -------------------------------------------------------------------------------------
@pytest.mark.model
def test_query_page_and_examples(server):
    status, headers, body = request(server, "GET", "/")
    assert status == 200 and headers["content-type"].startswith("text/html")
    assert "default-src 'self'" in headers["content-security-policy"]
    assert b"/assets/app.js" in body and b"http" not in body.replace(b"http-equiv", b"")
    status, headers, js = request(server, "GET", "/assets/app.js")
    assert status == 200 and headers["content-type"].startswith("text/javascript")
    assert b"innerHTML" not in js and b"outerHTML" not in js and b"eval(" not in js
    assert request(server, "GET", "/assets/../store.py")[0] == 404
    status, _headers, data = request(server, "GET", "/api/examples")
    info = json.loads(data)
    names = {e["name"] for e in info["examples"]}
    assert names == {p.stem for p in (EXAMPLES / "queries").glob("*.rq")}
    assert info["prefixes"]["kg"] == "https://w3id.org/wild-goose/vocab#"
    # a browser opening /sparql without a query is sent to the page
    status, headers, _ = request(server, "GET", "/sparql", headers={"Accept": "text/html"})
    assert status == 303 and headers["location"] == "/"


def test_content_negotiation_rules():
    assert parse_accept("text/csv;q=0.5, application/sparql-results+json") == ["application/sparql-results+json", "text/csv"]
    assert parse_accept("*/*, text/turtle;q=0") == ["*/*"]
    assert negotiate("results", ["text/*"])[0].startswith("text/csv")
    assert negotiate("graph", parse_accept("application/sparql-results+json, */*;q=0.1"))[0].startswith("text/turtle")
    assert negotiate("results", ["application/sparql-results+json"], "csv")[0].startswith("text/csv")
    assert negotiate("graph", [], "json")[0] == "application/ld+json"
    assert negotiate("results", ["image/png"]) is None


# -- a store, followed live ------------------------------------------------------------------------
@pytest.mark.model
def test_serving_a_store_follows_new_generations(store_copy, corpus_documents):
    from kg.store import GraphStore

    srv = _start(store_copy, timeout=5)
    try:
        count = "SELECT (COUNT(?d) AS ?n) WHERE { ?d a kg:Document }"
        n = lambda: int(json.loads(get(srv, count)[2])["results"]["bindings"][0]["n"]["value"])  # noqa: E731
        assert n() == len(corpus_documents)
        with GraphStore.open(store_copy) as store:  # a writer next to the server
            store.remove([corpus_documents[0].id])
        deadline = time.monotonic() + 5
        while n() != len(corpus_documents) - 1 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert n() == len(corpus_documents) - 1
    finally:
        srv.shutdown()
        srv.close()
