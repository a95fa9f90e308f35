"""``kg push`` and ``kg build --store URL`` against a real Oxigraph server."""

from __future__ import annotations

import base64
import hashlib
import os
import secrets
import shutil
import ssl
import subprocess
import sysconfig
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

# the `oxigraph` package installs its server next to the interpreter (.venv/bin), which is not on
# $PATH when the tests run as `.venv/bin/python -m pytest` without activating the venv
OXIGRAPH = shutil.which("oxigraph", path=os.pathsep.join([sysconfig.get_path("scripts"), os.environ.get("PATH", "")]))
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
    """Records every PUT; ``/old…`` answers 307 and ``/moved…`` 302 to the same path under ``/store``."""

    protocol_version = "HTTP/1.1"
    seen: list[tuple[str, str, str | None, str | None]] = []
    status = 204

    def do_PUT(self) -> None:  # noqa: N802
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        type(self).seen.append((self.path, body.decode(), self.headers.get("Authorization"), self.headers.get("Content-Type")))
        for old, code in (("/old", 307), ("/moved", 302)):
            if self.path.startswith(old):
                self.send_response(code)
                self.send_header("Location", "/store" + self.path[len(old):])
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
        self.send_response(type(self).status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_GET = do_PUT  # noqa: N815 - a PUT turned into a GET by a redirect lands here

    def log_message(self, *args: object) -> None:
        pass


def _serve(handler, tls: ssl.SSLContext | None = None):
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    if tls is not None:
        httpd.socket = tls.wrap_socket(httpd.socket, server_side=True)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd


@pytest.fixture()
def recorder():
    _Recorder.seen = []
    _Recorder.status = 204
    httpd = _serve(_Recorder)
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


def test_a_307_redirect_repeats_the_put_with_body_and_credentials(recorder, tmp_path):
    report = push(_tiny_graph(tmp_path), recorder.replace("http://", "http://ann:pw@") + "/old")
    (first_path, _, _, _), (path, body, auth, _) = _Recorder.seen
    assert (first_path, path) == ("/old?default", "/store?default")
    assert body.endswith(' "x" .\n') and auth == "Basic " + base64.b64encode(b"ann:pw").decode()
    assert report.requests == 2


def test_a_redirect_that_drops_the_body_is_an_error(recorder, tmp_path):
    with pytest.raises(PushError, match=r"redirected the upload \(HTTP 302\) to .*/store\?default.*--endpoint"):
        push(_tiny_graph(tmp_path), f"{recorder}/moved")


def test_proxies_come_from_the_environment(recorder, tmp_path, monkeypatch):
    for name in ("NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTP_PROXY", recorder)  # the recorder plays the proxy: it sees the absolute URL
    monkeypatch.setenv("http_proxy", recorder)
    push(_tiny_graph(tmp_path), "http://graph-store.invalid:8080/store", graph=MAIN)
    path, body, _auth, _ = _Recorder.seen[0]
    assert path == "http://graph-store.invalid:8080/store?" + urlencode({"graph": MAIN})
    assert body.endswith(' "x" .\n')


# -- Digest auth: a server that checks the response hash (RFC 7616, MD5, qop=auth) -------------------
class _DigestStore(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    realm, user, password = "graphs", "ann", "s3cret"
    nonce = secrets.token_hex(16)
    accepted: list[str] = []
    challenged = 0

    def _ok(self) -> bool:
        header = self.headers.get("Authorization", "")
        if not header.startswith("Digest "):
            return False
        fields = dict(part.strip().split("=", 1) for part in header[7:].split(","))
        f = {k: v.strip('"') for k, v in fields.items()}
        md5 = lambda text: hashlib.md5(text.encode()).hexdigest()  # noqa: E731
        ha1 = md5(f"{self.user}:{self.realm}:{self.password}")
        ha2 = md5(f"{self.command}:{f.get('uri')}")
        expected = md5(f"{ha1}:{self.nonce}:{f.get('nc')}:{f.get('cnonce')}:auth:{ha2}")
        return f.get("username") == self.user and f.get("nonce") == self.nonce and f.get("uri") == self.path \
            and f.get("response") == expected

    def do_PUT(self) -> None:  # noqa: N802
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if self._ok():
            type(self).accepted.append(body.decode())
            self.send_response(204)
        else:
            type(self).challenged += 1
            self.send_response(401)
            self.send_header("WWW-Authenticate", f'Digest realm="{self.realm}", nonce="{self.nonce}", qop="auth", algorithm=MD5')
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture()
def digest_store():
    _DigestStore.accepted, _DigestStore.challenged = [], 0
    httpd = _serve(_DigestStore)
    yield f"http://127.0.0.1:{httpd.server_address[1]}/store"
    httpd.shutdown()
    httpd.server_close()


def test_digest_auth(digest_store, tmp_path):
    push(_tiny_graph(tmp_path), digest_store, user="ann", password="s3cret", auth="digest")
    assert len(_DigestStore.accepted) == 1 and _DigestStore.accepted[0].endswith(' "x" .\n')


def test_digest_auth_from_the_cli(digest_store, tmp_path, monkeypatch):
    monkeypatch.setenv("KG_PUSH_PASSWORD", "s3cret")
    result = CliRunner().invoke(app, ["push", str(_tiny_graph(tmp_path)), "-e", digest_store, "-u", "ann", "--auth", "digest"])
    assert result.exit_code == 0, result.output
    assert len(_DigestStore.accepted) == 1


def test_a_digest_server_refusing_basic_auth_says_what_to_do(digest_store, tmp_path):
    with pytest.raises(PushError, match="HTTP 401.*--auth digest"):
        push(_tiny_graph(tmp_path), digest_store, user="ann", password="s3cret")
    with pytest.raises(PushError, match="HTTP 401"):
        push(_tiny_graph(tmp_path), digest_store, user="ann", password="wrong", auth="digest")
    assert _DigestStore.accepted == []


# -- TLS with a private certificate authority ----------------------------------------------------------
@pytest.fixture()
def tls_recorder(tmp_path):
    trustme = pytest.importorskip("trustme")
    ca = trustme.CA()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(context)
    bundle = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(bundle))
    _Recorder.seen = []
    _Recorder.status = 204
    httpd = _serve(_Recorder, context)
    yield f"https://127.0.0.1:{httpd.server_address[1]}/store", bundle
    httpd.shutdown()
    httpd.server_close()


def test_https_with_a_ca_bundle(tls_recorder, tmp_path, monkeypatch):
    monkeypatch.delenv("REQUESTS_CA_BUNDLE", raising=False)
    monkeypatch.delenv("CURL_CA_BUNDLE", raising=False)
    url, bundle = tls_recorder
    with pytest.raises(PushError, match="TLS connection failed.*certificate.*--ca-bundle"):
        push(_tiny_graph(tmp_path), url)
    assert _Recorder.seen == []
    result = CliRunner().invoke(app, ["push", str(_tiny_graph(tmp_path)), "-e", url, "--ca-bundle", str(bundle)])
    assert result.exit_code == 0, result.output
    assert _Recorder.seen[0][0] == "/store?default"


def test_unknown_auth_scheme_and_missing_ca_bundle(tmp_path):
    with pytest.raises(PushError, match="--auth 'ntlm': use one of basic, digest"):
        push(_tiny_graph(tmp_path), "http://127.0.0.1:1/store", auth="ntlm")
    with pytest.raises(PushError, match="--ca-bundle .*no such file"):
        push(_tiny_graph(tmp_path), "https://127.0.0.1:1/store", ca_bundle=tmp_path / "missing.pem")
