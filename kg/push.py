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

Basic auth comes from ``user``/``password``, from ``user:password@`` in the
URL, or from ``$KG_PUSH_USER`` / ``$KG_PUSH_PASSWORD``.
"""

from __future__ import annotations

import base64
import http.client
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

    @property
    def display(self) -> str:
        return f"{self.url} (graph <{self.graph}>)" if self.graph else self.url

    def __repr__(self) -> str:  # never show the password
        return f"PushTarget(url={self.url!r}, graph={self.graph!r}, user={self.user!r})"


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
) -> PushTarget:
    """Check ``url`` (``http(s)://``) and collect the credentials."""
    parts = urlsplit(url)
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
    return PushTarget(clean, graph, user, password, timeout)


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
    """One keep-alive connection to the server (reopened when it drops)."""

    def __init__(self, target: PushTarget) -> None:
        self.target = target
        self.parts = urlsplit(target.url)
        self.conn: http.client.HTTPConnection | None = None
        self.requests = 0

    def _connect(self) -> http.client.HTTPConnection:
        cls = http.client.HTTPSConnection if self.parts.scheme == "https" else http.client.HTTPConnection
        return cls(self.parts.hostname, self.parts.port, timeout=self.target.timeout)

    def put(self, graph: str | None, body: IO[bytes], length: int) -> None:
        query = urlencode({"graph": graph}) if graph else "default"
        path = self.parts.path + "?" + (f"{self.parts.query}&" if self.parts.query else "") + query
        headers = {"Content-Type": NTRIPLES, "Content-Length": str(length)}
        if self.target.user is not None:
            token = base64.b64encode(f"{self.target.user}:{self.target.password or ''}".encode()).decode()
            headers["Authorization"] = f"Basic {token}"
        for attempt in (1, 2):
            body.seek(0)
            if self.conn is None:
                self.conn = self._connect()
            try:
                self.conn.request("PUT", path, body=body, headers=headers)
                resp = self.conn.getresponse()
                detail = resp.read(2000).decode("utf-8", "replace").strip()
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError) as exc:
                self.close()
                if attempt == 2:
                    raise PushError(f"{self.target.url}: connection lost during upload ({exc})") from None
                continue  # a keep-alive connection the server had closed: retry once on a new one
            except OSError as exc:
                self.close()
                raise PushError(f"{self.target.url}: cannot reach the server ({exc})") from None
            self.requests += 1
            if resp.status in (200, 201, 204):
                if resp.getheader("Connection", "").lower() == "close":
                    self.close()
                return
            self.close()
            where = f"graph <{graph}>" if graph else "the default graph"
            if resp.status in (401, 403):
                raise PushError(
                    f"{self.target.url}: the server refused to write {where} (HTTP {resp.status}); "
                    "give --user NAME and the password in $KG_PUSH_PASSWORD"
                )
            raise PushError(f"{self.target.url}: writing {where} failed (HTTP {resp.status} {resp.reason}): {detail[:300]}")

    def put_bytes(self, graph: str | None, data: bytes) -> None:
        with tempfile.SpooledTemporaryFile(max_size=64 * 2**20) as fh:
            fh.write(data)
            self.put(graph, fh, len(data))  # type: ignore[arg-type]

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


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
                client.put_bytes(doc_iri, data)
                report.graphs += 1
                report.triples += data.count(b"\n")
            client.put_bytes(target.graph, rest)
            report.graphs += 1
            report.triples += rest.count(b"\n")
        else:
            with tempfile.TemporaryFile() as fh:
                store.dump(fh, ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
                length = fh.tell()
                fh.seek(0)
                report.triples = sum(chunk.count(b"\n") for chunk in iter(lambda: fh.read(1 << 20), b""))
                client.put(target.graph, fh, length)
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
) -> PushReport:
    """Upload ``source`` (an RDF file, a store directory or a graph) to the Graph Store at ``endpoint``."""
    target = push_target(endpoint, graph=graph, user=user, password=password, timeout=timeout)
    if isinstance(source, (str, os.PathLike)):
        from kg.store import open_graph_source

        store = open_graph_source(Path(source))
    else:
        store = source.store()
    return push_store(store, target, per_document=per_document)

