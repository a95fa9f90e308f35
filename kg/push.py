"""``kg push``: upload a graph to any SPARQL 1.1 Graph Store Protocol server.

>>> from kg.push import push
>>> push("lingang.kgstore", "http://127.0.0.1:7878/store")            # doctest: +SKIP
PushReport(graphs=1, triples=768, requests=1, seconds=0.1)

The graph goes into one graph (the default graph, or ``graph=IRI``), replaced
with an HTTP ``PUT``; or, with ``per_document=True``, each document's share
into a named graph called by the document's IRI and the rest (entities,
statements, aggregates, the build run) into the main graph. A document's share
is what only it supports: the document node, its mention nodes
(``kg:document``), its evidence nodes (``prov:wasDerivedFrom``) and the links
to them (``kg:mentionedIn``, ``kg:mention``, ``kg:evidence``). The union of all
graphs is the whole graph.

Credentials come from ``user``/``password``, from ``user:password@`` in the
URL, or from ``$KG_PUSH_USER`` / ``$KG_PUSH_PASSWORD``; they are sent with
HTTP Basic auth, or Digest auth with ``auth="digest"``. The upload goes
through :mod:`requests`: proxies from ``$HTTPS_PROXY`` / ``$HTTP_PROXY`` /
``$NO_PROXY``, redirects followed (a 307/308 repeats the PUT with its body;
credentials are not sent on to another host), TLS checked against the
system's authorities, or ``ca_bundle`` (``$REQUESTS_CA_BUNDLE``) for a
private one.
"""

from __future__ import annotations

import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING
from urllib.parse import unquote, urlencode, urlsplit, urlunsplit

import pyoxigraph as ox

from kg.errors import PushError

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph

__all__ = ["PushError", "PushTarget", "PushReport", "push_target", "push", "push_store", "document_graphs"]

NTRIPLES = "application/n-triples"
#: how credentials can be sent
AUTH_SCHEMES = ("basic", "digest")

#: nodes that belong to one document: the document, its mention and evidence nodes
_DOCUMENT_NODES = """
SELECT ?node ?doc WHERE {
  { ?doc a kg:Document . BIND(?doc AS ?node) }
  UNION { ?doc a kg:Document . ?node kg:document ?doc }
  UNION { ?doc a kg:Document . ?node prov:wasDerivedFrom ?doc }
}"""


@dataclass(frozen=True)
class PushTarget:
    """Where to upload: the Graph Store Protocol URL, the main graph, credentials."""

    url: str  # without user info
    graph: str | None = None  # None: the default graph
    user: str | None = None
    password: str | None = None
    timeout: float = 120.0
    auth: str = "basic"  # how credentials are sent: "basic" or "digest"
    ca_bundle: str | None = None  # PEM file of the authorities to trust for https (None: the system's)

    @property
    def display(self) -> str:
        return f"{self.url} (graph <{self.graph}>)" if self.graph else self.url

    def __repr__(self) -> str:  # never show the password
        return f"PushTarget(url={self.url!r}, graph={self.graph!r}, user={self.user!r}, auth={self.auth!r})"


@dataclass
class PushReport:
    """What :func:`push` uploaded."""

    graphs: int = 0
    triples: int = 0
    requests: int = 0
    seconds: float = 0.0


def push_target(
    url: str,
    *,
    graph: str | None = None,
    user: str | None = None,
    password: str | None = None,
    timeout: float = 120.0,
    auth: str = "basic",
    ca_bundle: str | os.PathLike[str] | None = None,
) -> PushTarget:
    """Check ``url`` (``http(s)://``) and collect the credentials."""
    parts = urlsplit(url)
    if auth not in AUTH_SCHEMES:
        raise PushError(f"--auth {auth!r}: use one of {', '.join(AUTH_SCHEMES)}")
    if ca_bundle is not None and not Path(ca_bundle).is_file():
        raise PushError(f"--ca-bundle {ca_bundle}: no such file (give a PEM file of certificate authorities)")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise PushError(f"{url}: not an http(s) URL of a Graph Store Protocol endpoint (e.g. http://127.0.0.1:7878/store)")
    if graph is not None and not urlsplit(graph).scheme:
        raise PushError(f"--graph {graph!r}: a graph name must be an absolute IRI (e.g. https://example.org/graphs/news)")
    if parts.username is not None:
        user = user or unquote(parts.username)
        password = password if password is not None else unquote(parts.password or "")
    user = user or os.environ.get("KG_PUSH_USER") or None
    if user is not None and password is None:
        password = os.environ.get("KG_PUSH_PASSWORD", "")
    netloc = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
    if parts.port:
        netloc += f":{parts.port}"
    clean = urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, ""))
    return PushTarget(clean, graph, user, password, timeout, auth, str(ca_bundle) if ca_bundle is not None else None)


# -- splitting a graph ------------------------------------------------------------
def document_graphs(store: ox.Store) -> tuple[dict[str, bytes], bytes]:
    """Split the default graph of ``store`` into per-document shares and the rest.

    Returns ``({document IRI: N-Triples}, N-Triples of the rest)``. One pass over
    the N-Triples dump: a triple belongs to a document if its subject is one of
    the document's nodes, or it links to one (``kg:mentionedIn`` the document,
    ``kg:mention`` / ``kg:evidence`` one of its nodes).
    """
    from kg.rdf import PREFIXES
    from kg.vocab import VOCAB_IRI

    owner: dict[bytes, bytes] = {}
    for sol in store.query(_DOCUMENT_NODES, prefixes=PREFIXES):
        owner[str(sol["node"]).encode()] = str(sol["doc"]).encode()
    by_object = {f"<{VOCAB_IRI}{p}>".encode() for p in ("mention", "evidence", "mentionedIn")}
    shares: dict[bytes, list[bytes]] = {doc: [] for doc in set(owner.values())}
    rest: list[bytes] = []
    everything = store.dump(None, ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()) or b""
    for line in everything.splitlines(keepends=True):
        if not line.strip():
            continue
        s, p, o = line.split(b" ", 2)
        doc = owner.get(s)
        if doc is None and p in by_object:
            doc = owner.get(o.rstrip()[:-1].rstrip())  # drop the final " ."
        (shares[doc] if doc is not None else rest).append(line)
    return {doc[1:-1].decode(): b"".join(lines) for doc, lines in sorted(shares.items())}, b"".join(rest)


# -- HTTP ---------------------------------------------------------------------------
class _Client:
    """One :class:`requests.Session` to the server: keep-alive, proxies, redirects, auth, TLS."""

    def __init__(self, target: PushTarget) -> None:
        import requests
        from requests.adapters import HTTPAdapter
        from requests.auth import HTTPBasicAuth, HTTPDigestAuth
        from urllib3.util.retry import Retry

        from kg import __version__

        self.target = target
        self.requests = 0
        self.session = requests.Session()
        self.session.headers["User-Agent"] = f"wild-goose-kg/{__version__} (kg push)"
        if target.user is not None:
            scheme = HTTPDigestAuth if target.auth == "digest" else HTTPBasicAuth
            self.session.auth = scheme(target.user, target.password or "")
        if target.ca_bundle is not None:
            self.session.verify = target.ca_bundle
        # a keep-alive connection the server had closed: send the PUT again once on a new one
        retry = Retry(total=1, connect=1, read=1, status=0, other=0, allowed_methods={"PUT"}, raise_on_status=False)
        for prefix in ("http://", "https://"):
            self.session.mount(prefix, HTTPAdapter(max_retries=retry))

    def put(self, graph: str | None, body: "IO[bytes] | bytes") -> None:
        import requests

        query = urlencode({"graph": graph}) if graph else "default"
        url = self.target.url + ("&" if urlsplit(self.target.url).query else "?") + query
        where = f"graph <{graph}>" if graph else "the default graph"
        if not isinstance(body, bytes):
            body.seek(0)
        try:
            resp = self.session.put(url, data=body, headers={"Content-Type": NTRIPLES}, timeout=self.target.timeout)
        except requests.exceptions.SSLError as exc:
            raise PushError(
                f"{self.target.url}: the TLS connection failed ({_reason(exc)}); for a server whose certificate "
                "comes from a private authority give --ca-bundle FILE"
            ) from None
        except requests.exceptions.ProxyError as exc:
            raise PushError(f"{self.target.url}: cannot reach the server through the proxy ({_reason(exc)}); "
                            "check $HTTPS_PROXY / $HTTP_PROXY / $NO_PROXY") from None
        except requests.exceptions.Timeout:
            raise PushError(f"{self.target.url}: no answer within {self.target.timeout:g}s (raise --timeout)") from None
        except requests.exceptions.ConnectionError as exc:
            raise PushError(f"{self.target.url}: cannot reach the server ({_reason(exc)})") from None
        except requests.exceptions.TooManyRedirects:
            raise PushError(f"{self.target.url}: too many redirects") from None
        except requests.exceptions.RequestException as exc:
            raise PushError(f"{self.target.url}: the upload failed ({_reason(exc)})") from None
        self.requests += 1 + len(resp.history)
        if resp.request.method != "PUT":  # a 301/302/303 turned the upload into a GET and dropped the graph
            hop = resp.history[-1] if resp.history else resp
            raise PushError(
                f"{self.target.url}: the server redirected the upload (HTTP {hop.status_code}) to {resp.url} "
                "in a way that drops its body; give that URL as --endpoint"
            )
        if resp.status_code in (200, 201, 204):
            return
        detail = resp.text[:300].strip()
        if resp.status_code in (401, 403):
            hint = "give --user NAME and the password in $KG_PUSH_PASSWORD"
            if "digest" in resp.headers.get("WWW-Authenticate", "").lower() and self.target.auth != "digest":
                hint = "the server asks for Digest auth: add --auth digest"
            raise PushError(f"{self.target.url}: the server refused to write {where} (HTTP {resp.status_code}); {hint}")
        raise PushError(f"{self.target.url}: writing {where} failed (HTTP {resp.status_code} {resp.reason}): {detail}")

    def close(self) -> None:
        self.session.close()


def _reason(exc: BaseException) -> str:
    """The innermost cause of a requests error, in one line (``[Errno 111] Connection refused``)."""
    while True:
        inner = getattr(exc, "reason", None)
        if not isinstance(inner, BaseException):
            inner = next((a for a in reversed(exc.args) if isinstance(a, BaseException)), None)
        if inner is None:
            break
        exc = inner
    text = " ".join(str(exc).split())
    return text.rsplit("Failed to establish a new connection: ", 1)[-1][:200]


# -- pushing ------------------------------------------------------------------------
def push_store(store: ox.Store, target: PushTarget, *, per_document: bool = False) -> PushReport:
    """Upload the default graph of ``store`` to ``target`` (see the module docstring)."""
    t0 = time.perf_counter()
    report = PushReport()
    client = _Client(target)
    try:
        if per_document:
            shares, rest = document_graphs(store)
            for doc_iri, data in shares.items():
                client.put(doc_iri, data)
                report.graphs += 1
                report.triples += data.count(b"\n")
            client.put(target.graph, rest)
            report.graphs += 1
            report.triples += rest.count(b"\n")
        else:
            with tempfile.TemporaryFile() as fh:
                store.dump(fh, ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
                fh.seek(0)
                report.triples = sum(chunk.count(b"\n") for chunk in iter(lambda: fh.read(1 << 20), b""))
                client.put(target.graph, fh)
            report.graphs = 1
    finally:
        client.close()
    report.requests = client.requests
    report.seconds = time.perf_counter() - t0
    return report


def push(
    source: "str | os.PathLike[str] | KnowledgeGraph",
    endpoint: str,
    *,
    graph: str | None = None,
    per_document: bool = False,
    user: str | None = None,
    password: str | None = None,
    timeout: float = 120.0,
    auth: str = "basic",
    ca_bundle: str | os.PathLike[str] | None = None,
) -> PushReport:
    """Upload ``source`` (an RDF file, a store directory or a graph) to the Graph Store at ``endpoint``."""
    target = push_target(endpoint, graph=graph, user=user, password=password, timeout=timeout, auth=auth,
                         ca_bundle=ca_bundle)
    if isinstance(source, (str, os.PathLike)):
        from kg.store import open_graph_source

        store = open_graph_source(Path(source))
    else:
        store = source.store()
    return push_store(store, target, per_document=per_document)

