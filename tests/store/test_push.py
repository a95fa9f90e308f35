"""``kg push`` and ``kg build --store URL`` against a real Oxigraph server."""

from __future__ import annotations

import base64
import shutil
import subprocess
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlencode

import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from kg.cli import app
from kg.push import PushError, document_graphs, push
from kg.rdf import read_store
from kg.store import open_graph_source
from tests.conftest import EXAMPLES
from tests.store.conftest import comparable, free_port

OXIGRAPH = shutil.which("oxigraph")
MAIN = "https://example.org/graphs/main"


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory):
    """``oxigraph serve`` on a free loopback port; yields its base URL."""
    if OXIGRAPH is None:
        pytest.skip("the oxigraph server binary is not installed (pip install oxigraph)")
    port = free_port()
    location = tmp_path_factory.mktemp("oxigraph")
    proc = subprocess.Popen(
        [OXIGRAPH, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(f"{base}/query?{urlencode({'query': 'ASK {}'})}", timeout=2):
                break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail(f"oxigraph serve did not start: {proc.stderr.read().decode()}")
            time.sleep(0.1)
    yield base
    proc.terminate()
    proc.wait(10)


def _drop_all(base: str) -> None:
    req = urllib.request.Request(f"{base}/update", data=urlencode({"update": "DROP ALL"}).encode(), method="POST")
    urllib.request.urlopen(req, timeout=10).close()


def _remote(base: str, query: str) -> ox.Store:
    """The server's answer to a CONSTRUCT, as an in-memory store."""
    req = urllib.request.Request(f"{base}/query?{urlencode({'query': query})}", headers={"Accept": "application/n-triples"})
    with urllib.request.urlopen(req, timeout=30) as resp:
        data = resp.read()
    store = ox.Store()
    store.load(data, ox.RdfFormat.N_TRIPLES)
    return store


def _local(path) -> set[str]:
    return comparable(read_store(path).quads_for_pattern(None, None, None, ox.DefaultGraph()))


@pytest.mark.model
def test_push_a_file_to_the_default_graph_and_read_it_back(oxigraph, example_ttl):
    _drop_all(oxigraph)
    report = push(example_ttl, f"{oxigraph}/store")
    assert report.graphs == 1 and report.triples == len(read_store(example_ttl))
    back = _remote(oxigraph, "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
    assert comparable(back) == _local(example_ttl)
    push(example_ttl, f"{oxigraph}/store")  # PUT replaces: pushing twice changes nothing
    assert len(_remote(oxigraph, "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")) == report.triples


@pytest.mark.model
def test_push_a_store_one_graph_per_document(oxigraph, example_store, example_graph):
    _drop_all(oxigraph)
    report = push(example_store, f"{oxigraph}/store", graph=MAIN, per_document=True)
    assert report.graphs == len(example_graph.documents) + 1
    union = _remote(oxigraph, "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert comparable(union) == comparable(example_graph.quads())
    from kg.iri import document_iri

    for doc in example_graph.documents:
        iri = document_iri(doc.id)
        share = _remote(oxigraph, f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}")
        assert ox.Quad(ox.NamedNode(iri), ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                       ox.NamedNode("https://w3id.org/wild-goose/vocab#Document")) in share
    main = _remote(oxigraph, f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{MAIN}> {{ ?s ?p ?o }} }}")
    assert any(q.predicate.value.endswith("#mentionCount") for q in main)


@pytest.mark.model
def test_document_shares_and_rest_partition_the_graph(example_store):
    store = open_graph_source(example_store)
    shares, rest = document_graphs(store)
    lines = [line for data in [*shares.values(), rest] for line in data.splitlines()]
    assert len(lines) == len(set(lines)) == len(store)


@pytest.mark.model
def test_cli_push_and_sparqlwrapper_reads_it_back(oxigraph, example_ttl):
    pytest.importorskip("SPARQLWrapper")
    from SPARQLWrapper import JSON, SPARQLWrapper

    _drop_all(oxigraph)
    result = CliRunner().invoke(app, ["push", str(example_ttl), "--endpoint", f"{oxigraph}/store", "--graph", MAIN])
    assert result.exit_code == 0, result.output
    sw = SPARQLWrapper(f"{oxigraph}/query")
    sw.setQuery(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{MAIN}> {{ ?s ?p ?o }} }}")
    sw.setReturnFormat(JSON)
    n = int(sw.query().convert()["results"]["bindings"][0]["n"]["value"])
    assert n == len(read_store(example_ttl))


@pytest.mark.model
def test_build_into_a_remote_store(oxigraph, example_graph):
    _drop_all(oxigraph)
    result = CliRunner().invoke(app, ["build", str(EXAMPLES / "corpus"), "--store", f"{oxigraph}/store", "--graph", MAIN])
    assert result.exit_code == 0, result.output
    back = _remote(oxigraph, f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{MAIN}> {{ ?s ?p ?o }} }}")
    assert comparable(back) == comparable(example_graph.quads())


# -- without a real server: auth and errors ------------------------------------------------
class _Recorder(BaseHTTPRequestHandler):
    seen: list[tuple[str, str, str | None, str | None]] = []
    status = 204

    def do_PUT(self) -> None:  # noqa: N802
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).seen.append((self.path, body.decode(), self.headers.get("Authorization"), self.headers.get("Content-Type")))
        self.send_response(type(self).status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture()
def recorder():
    _Recorder.seen = []
    _Recorder.status = 204
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def _tiny_graph(tmp_path):
    path = tmp_path / "tiny.nt"
    path.write_text('<http://example.org/a> <http://example.org/p> "x" .\n', encoding="utf-8")
    return path


def test_basic_auth_from_the_url_and_named_graph(recorder, tmp_path):
    push(_tiny_graph(tmp_path), recorder.replace("http://", "http://ann:s%40cret@") + "/store", graph=MAIN)
    path, body, auth, ctype = _Recorder.seen[0]
    assert path == "/store?" + urlencode({"graph": MAIN})
    assert auth == "Basic " + base64.b64encode(b"ann:s@cret").decode()
    assert ctype == "application/n-triples" and body.endswith(" .\n")


def test_basic_auth_from_the_cli_and_environment(recorder, tmp_path, monkeypatch):
    monkeypatch.setenv("KG_PUSH_PASSWORD", "pw")
    result = CliRunner().invoke(app, ["push", str(_tiny_graph(tmp_path)), "-e", f"{recorder}/store", "--user", "bob"])
    assert result.exit_code == 0, result.output
    path, _body, auth, _ = _Recorder.seen[0]
    assert path == "/store?default"
    assert auth == "Basic " + base64.b64encode(b"bob:pw").decode()


def test_a_refusal_is_a_clear_error(recorder, tmp_path):
    _Recorder.status = 401
    with pytest.raises(PushError, match="refused to write the default graph .HTTP 401.*--user"):
        push(_tiny_graph(tmp_path), f"{recorder}/store")


def test_an_unreachable_server_is_a_clear_error(tmp_path):
    with pytest.raises(PushError, match="cannot reach the server"):
        push(_tiny_graph(tmp_path), f"http://127.0.0.1:{free_port()}/store", timeout=5)


def test_only_http_urls_and_absolute_graph_names(tmp_path):
    with pytest.raises(PushError, match="not an http"):
        push(_tiny_graph(tmp_path), "ftp://127.0.0.1/store")
    with pytest.raises(PushError, match="absolute IRI"):
        push(_tiny_graph(tmp_path), "http://127.0.0.1:1/store", graph="main")
