"""``kg serve``: a read-only SPARQL 1.1 Protocol endpoint over a graph file or a store.

::

    kg serve lingang.kgstore            # http://127.0.0.1:7878/sparql, query page at /

Requests (``GET /sparql?query=…``, ``POST`` form-encoded or
``application/sparql-query``) are accepted by a threaded HTTP server and run in
a pool of worker processes, each holding the graph open read-only. A query that
runs past the timeout is stopped by killing its worker (an Oxigraph query
cannot be interrupted from another thread); a fresh worker takes its place and
the other workers keep answering. Results are negotiated from ``Accept`` (or a
``format`` parameter): SPARQL JSON, XML, CSV or TSV for SELECT/ASK, Turtle,
N-Triples, N-Quads, TriG, RDF/XML or JSON-LD for CONSTRUCT/DESCRIBE. ``GET
/sparql`` without a query answers with the endpoint's SPARQL 1.1 Service
Description (Turtle unless ``Accept`` asks for another RDF format).

Refused: updates (``update=``, ``application/sparql-update``, PUT/DELETE/PATCH),
``SERVICE``, ``LOAD``, ``FROM`` and the ``default-graph-uri`` /
``named-graph-uri`` parameters, bodies over the request-size limit, results
over the result-size limit. The server binds 127.0.0.1 unless told otherwise
and, when bound to loopback, answers only requests addressed to a loopback
host name (a guard against DNS rebinding).

A store directory is followed live: when a build writes a new graph
generation, the next queries see it.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import multiprocessing as mp
import os
import queue
import shutil
import socket
import tempfile
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pyoxigraph as ox

from kg.errors import GraphFormatError, ServeError

__all__ = ["ServeOptions", "SparqlServer", "serve", "negotiate", "service_description", "ServeError"]

log = logging.getLogger(__name__)
access_log = logging.getLogger("kg.serve.access")

ASSETS = Path(__file__).with_name("serve_assets")
_ASSET_TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}

#: media type → results format (the first of each format is what the response says)
RESULT_TYPES: dict[str, ox.QueryResultsFormat] = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "application/xml": ox.QueryResultsFormat.XML,
    "text/xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
#: media type → RDF format for CONSTRUCT / DESCRIBE
GRAPH_TYPES: dict[str, ox.RdfFormat] = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/x-turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,
    "application/n-quads": ox.RdfFormat.N_QUADS,
    "text/x-nquads": ox.RdfFormat.N_QUADS,
    "application/trig": ox.RdfFormat.TRIG,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/ld+json": ox.RdfFormat.JSON_LD,
}
#: ``format=`` / ``output=`` names → (results media type, graph media type)
FORMAT_NAMES: dict[str, tuple[str | None, str | None]] = {
    "json": ("application/sparql-results+json", "application/ld+json"),
    "srj": ("application/sparql-results+json", None),
    "xml": ("application/sparql-results+xml", "application/rdf+xml"),
    "srx": ("application/sparql-results+xml", None),
    "csv": ("text/csv", None),
    "tsv": ("text/tab-separated-values", None),
    "turtle": (None, "text/turtle"),
    "ttl": (None, "text/turtle"),
    "nt": (None, "application/n-triples"),
    "ntriples": (None, "application/n-triples"),
    "n-triples": (None, "application/n-triples"),
    "nq": (None, "application/n-quads"),
    "nquads": (None, "application/n-quads"),
    "n-quads": (None, "application/n-quads"),
    "trig": (None, "application/trig"),
    "json-ld": (None, "application/ld+json"),
    "jsonld": (None, "application/ld+json"),
    "rdf": (None, "application/rdf+xml"),
    "rdfxml": (None, "application/rdf+xml"),
    "rdf+xml": (None, "application/rdf+xml"),
    "n3": (None, "text/turtle"),  # Turtle is N3 without the extensions
}
_CANONICAL = {
    ox.QueryResultsFormat.JSON: "application/sparql-results+json",
    ox.QueryResultsFormat.XML: "application/sparql-results+xml",
    ox.QueryResultsFormat.CSV: "text/csv; charset=utf-8",
    ox.QueryResultsFormat.TSV: "text/tab-separated-values; charset=utf-8",
    ox.RdfFormat.TURTLE: "text/turtle; charset=utf-8",
    ox.RdfFormat.N_TRIPLES: "application/n-triples",
    ox.RdfFormat.N_QUADS: "application/n-quads",
    ox.RdfFormat.TRIG: "application/trig; charset=utf-8",
    ox.RdfFormat.RDF_XML: "application/rdf+xml",
    ox.RdfFormat.JSON_LD: "application/ld+json",
}

_SD = "http://www.w3.org/ns/sparql-service-description#"
_FORMATS = "http://www.w3.org/ns/formats/"
#: the W3C format IRIs (``http://www.w3.org/ns/formats/…``) of what the endpoint answers in
_FORMAT_IRIS = {
    ox.QueryResultsFormat.JSON: "SPARQL_Results_JSON",
    ox.QueryResultsFormat.XML: "SPARQL_Results_XML",
    ox.QueryResultsFormat.CSV: "SPARQL_Results_CSV",
    ox.QueryResultsFormat.TSV: "SPARQL_Results_TSV",
    ox.RdfFormat.TURTLE: "Turtle",
    ox.RdfFormat.N_TRIPLES: "N-Triples",
    ox.RdfFormat.N_QUADS: "N-Quads",
    ox.RdfFormat.TRIG: "TriG",
    ox.RdfFormat.RDF_XML: "RDF_XML",
    ox.RdfFormat.JSON_LD: "JSON-LD",
}


def service_description(endpoint: str, triples: int) -> list[ox.Triple]:
    """The SPARQL 1.1 Service Description of the endpoint at ``endpoint`` (an IRI) holding ``triples``."""
    a = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    sd = {name: ox.NamedNode(_SD + name) for name in (
        "Service", "endpoint", "supportedLanguage", "SPARQL11Query", "resultFormat",
        "defaultEntailmentRegime", "defaultDataset", "Dataset", "defaultGraph", "Graph")}
    service, dataset, graph = ox.BlankNode("service"), ox.BlankNode("dataset"), ox.BlankNode("defaultGraph")
    return [
        ox.Triple(service, a, sd["Service"]),
        ox.Triple(service, sd["endpoint"], ox.NamedNode(endpoint)),
        ox.Triple(service, sd["supportedLanguage"], sd["SPARQL11Query"]),
        ox.Triple(service, sd["defaultEntailmentRegime"], ox.NamedNode("http://www.w3.org/ns/entailment/Simple")),
        ox.Triple(service, ox.NamedNode("http://purl.org/dc/terms/description"),
                  ox.Literal("Wild Goose knowledge graph (kg serve): read-only SPARQL 1.1 Query")),
        *(ox.Triple(service, sd["resultFormat"], ox.NamedNode(_FORMATS + name)) for name in _FORMAT_IRIS.values()),
        ox.Triple(service, sd["defaultDataset"], dataset),
        ox.Triple(dataset, a, sd["Dataset"]),
        ox.Triple(dataset, sd["defaultGraph"], graph),
        ox.Triple(graph, a, sd["Graph"]),
        ox.Triple(graph, ox.NamedNode("http://rdfs.org/ns/void#triples"),
                  ox.Literal(str(triples), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))),
    ]


@dataclass(frozen=True)
class ServeOptions:
    """Limits and addresses of the endpoint (the CLI's options)."""

    host: str = "127.0.0.1"
    port: int = 7878
    timeout: float = 10.0  # seconds per query
    workers: int = 0  # 0: max(2, CPUs)
    max_result_bytes: int = 64 * 2**20
    max_request_bytes: int = 2**20
    max_connections: int = 64
    queue_timeout: float = 30.0  # seconds a request may wait for a free worker
    cors: bool = False
    examples: Path | None = None  # folder of .rq files for the query page

    @property
    def n_workers(self) -> int:
        return self.workers if self.workers > 0 else max(2, os.cpu_count() or 2)


# -- content negotiation ---------------------------------------------------------
def parse_accept(header: str | None) -> list[str]:
    """Media ranges of an ``Accept`` header, best first (q=0 dropped)."""
    if not header:
        return []
    ranked = []
    for n, part in enumerate(header.split(",")):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media:
            continue
        q = 1.0
        for f in fields[1:]:
            if f.lower().startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        if q > 0:
            specificity = 0 if media == "*/*" else 1 if media.endswith("/*") else 2
            ranked.append((-q, -specificity, n, media))
    return [m for *_k, m in sorted(ranked)]


def negotiate(kind: str, accept: list[str], format_name: str | None = None) -> tuple[str, Any] | None:
    """``(content type, Oxigraph format)`` for a ``"results"`` or ``"graph"`` answer; None: not acceptable."""
    table: dict[str, Any] = RESULT_TYPES if kind == "results" else GRAPH_TYPES
    default = "application/sparql-results+json" if kind == "results" else "text/turtle"
    if format_name:
        name = format_name.strip().lower()
        media = name if name in table else FORMAT_NAMES.get(name, (None, None))[0 if kind == "results" else 1]
        if media in table:
            return _CANONICAL[table[media]], table[media]
    if not accept:
        return _CANONICAL[table[default]], table[default]
    for media in accept:
        if media in table:
            return _CANONICAL[table[media]], table[media]
        if media == "*/*":
            return _CANONICAL[table[default]], table[default]
        if media.endswith("/*"):  # the formats' own types first, then aliases (text/* → CSV, not text/xml)
            own = [m.split(";")[0] for f, m in _CANONICAL.items() if f in table.values()]
            for candidate in own + list(table):
                if candidate.startswith(media[:-1]) and candidate in table:
                    return _CANONICAL[table[candidate]], table[candidate]
    return None


# -- the worker process ------------------------------------------------------------
class _TooLarge(Exception):
    pass


class _BoundedBuffer:
    """A binary sink that refuses to grow past ``limit`` bytes."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.parts: list[bytes] = []
        self.size = 0

    def write(self, data: bytes) -> int:
        self.size += len(data)
        if self.size > self.limit:
            raise _TooLarge()
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def getvalue(self) -> bytes:
        return b"".join(self.parts)


def _answer(store: ox.Store, query: str, accept: list[str], format_name: str | None, max_bytes: int) -> tuple:
    from kg.errors import QueryError, QueryRefusedError
    from kg.query import check_query
    from kg.rdf import PREFIXES

    try:
        query = check_query(query)  # the checked text is the one run
    except QueryRefusedError as exc:
        return ("error", 403, str(exc).replace("`kg query`", "this endpoint"))
    except QueryError as exc:
        return ("error", 400, str(exc))
    try:
        result = store.query(query, prefixes=PREFIXES)
    except SyntaxError as exc:
        return ("error", 400, f"invalid SPARQL: {exc}")
    except (OSError, ValueError, RuntimeError) as exc:
        return ("error", 500, f"query failed: {exc}")
    kind = "graph" if isinstance(result, ox.QueryTriples) else "results"
    chosen = negotiate(kind, accept, format_name)
    if chosen is None:
        offered = ", ".join(RESULT_TYPES if kind == "results" else GRAPH_TYPES)
        what = "SELECT/ASK" if kind == "results" else "CONSTRUCT/DESCRIBE"
        return ("error", 406, f"cannot answer {what} in any type the request accepts; offered: {offered}")
    media, fmt = chosen
    out = _BoundedBuffer(max_bytes)
    try:
        if kind == "graph":
            # id: would give escaped local names (id:person\/x); full IRIs read better
            prefixes = {p: ns for p, ns in PREFIXES.items() if p != "id"} if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG) else None
            ox.serialize(result, out, fmt, prefixes=prefixes)
        else:
            result.serialize(out, fmt)
    except _TooLarge:
        return ("error", 413, f"the result is larger than this endpoint's limit of {max_bytes // 2**20} MB; "
                              "add LIMIT or narrow the query")
    except (OSError, ValueError, RuntimeError) as exc:
        return ("error", 500, f"query failed: {exc}")
    return ("ok", media, out.getvalue())


def _worker_main(conn: Any) -> None:
    """Loop of a query worker: ``(graph dir, query, accept, format, max bytes)`` in, a reply out."""
    from kg.store import lock_graph_dir

    from kg.query import check_query

    check_query("ASK {}")  # load the guard's parser before the first query's timeout runs
    path: str | None = None
    store = ox.Store()
    fd: int | None = None
    conn.send(("ready", os.getpid()))
    while True:
        try:
            msg = conn.recv()
        except (EOFError, OSError):
            return
        if msg is None:
            return
        want, query, accept, format_name, max_bytes = msg
        if want != path:
            store = ox.Store()
            if fd is not None:
                os.close(fd)
                fd = None
            path = None
            if want is not None:
                fd = lock_graph_dir(Path(want))
                if fd is None:
                    conn.send(("error", 503, "the graph was replaced while opening it; try again"))
                    continue
                try:
                    store = ox.Store.read_only(want)
                except OSError as exc:
                    os.close(fd)
                    fd = None
                    conn.send(("error", 500, f"cannot open the graph: {exc}"))
                    continue
            path = want
        try:
            reply = _answer(store, query, accept, format_name, max_bytes)
        except Exception as exc:  # noqa: BLE001 - reported to the client, the worker lives on
            log.exception("query worker failed")
            reply = ("error", 500, f"internal error: {type(exc).__name__}: {exc}")
        conn.send(reply)


@dataclass(eq=False)
class _Worker:
    process: Any
    conn: Any


class WorkerPool:
    """Query workers; a worker that overruns the timeout is killed and replaced."""

    def __init__(self, size: int, *, start_timeout: float = 120.0) -> None:
        self._ctx = mp.get_context("spawn")
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._closed = threading.Event()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self.size = size
        self.start_timeout = start_timeout
        self.killed = 0
        starting = [self._spawn() for _ in range(size)]
        for w in starting:
            self._await_ready(w)
            self._idle.put(w)

    def _spawn(self) -> _Worker:
        parent, child = self._ctx.Pipe(duplex=True)
        proc = self._ctx.Process(target=_worker_main, args=(child,), name="kg-serve-worker", daemon=True)
        proc.start()
        child.close()
        w = _Worker(proc, parent)
        with self._lock:
            self._all.add(w)
        return w

    def _await_ready(self, w: _Worker) -> None:
        if not w.conn.poll(self.start_timeout):
            self._kill(w)
            raise ServeError(f"a query worker did not start within {self.start_timeout:.0f}s")
        try:
            msg = w.conn.recv()
        except (EOFError, OSError):
            self._kill(w)
            raise ServeError("a query worker exited while starting; run with -v to see why") from None
        if not (isinstance(msg, tuple) and msg[0] == "ready"):
            self._kill(w)
            raise ServeError(f"a query worker sent {msg!r} instead of ready")

    def _kill(self, w: _Worker) -> None:
        with self._lock:
            self._all.discard(w)
        if w.process.is_alive():
            w.process.kill()
        w.process.join(5)
        w.conn.close()

    def _replace(self, w: _Worker) -> None:
        self._kill(w)
        self.killed += 1

        def respawn() -> None:
            delay = 0.5
            while not self._closed.is_set():
                try:
                    fresh = self._spawn()
                    self._await_ready(fresh)
                except (ServeError, OSError) as exc:
                    log.error("cannot start a query worker (%s); retrying in %.0fs", exc, delay)
                    time.sleep(delay)
                    delay = min(delay * 2, 30)
                    continue
                if self._closed.is_set():
                    self._kill(fresh)
                else:
                    self._idle.put(fresh)
                return

        threading.Thread(target=respawn, name="kg-serve-respawn", daemon=True).start()

    def run(self, request: tuple, *, timeout: float, queue_timeout: float) -> tuple:
        """Send ``request`` to a free worker; ``("ok", type, body)`` or ``("error", status, message)``."""
        try:
            w = self._idle.get(timeout=queue_timeout)
        except queue.Empty:
            return ("error", 503, f"all {self.size} query workers stayed busy for {queue_timeout:g}s; try again later")
        try:
            w.conn.send(request)
            if w.conn.poll(timeout):
                reply = w.conn.recv()
                self._idle.put(w)
                return reply
        except (EOFError, OSError):
            self._replace(w)
            return ("error", 500, "the query worker died; the query may be too large for memory")
        self._replace(w)
        return ("error", 503, f"query stopped after {timeout:g}s (the endpoint's timeout); add LIMIT or narrow the query")

    def close(self) -> None:
        self._closed.set()
        with self._lock:
            workers = list(self._all)
        for w in workers:
            try:
                w.conn.send(None)
            except OSError:
                pass
        deadline = time.monotonic() + 3
        for w in workers:
            w.process.join(max(0.0, deadline - time.monotonic()))
            self._kill(w)


# -- graph sources -------------------------------------------------------------------
def _source_for(path: Path) -> Any:
    """A store directory is followed live; an RDF file or a directory of N-Quads parts is loaded once."""
    from kg.parts import is_parts_dir
    from kg.store import is_store

    if path.is_dir() and (is_store(path) or not is_parts_dir(path)):
        return _StoreSource(path)
    return _FileSource(path)


class _FileSource:
    """An RDF file or a directory of N-Quads parts (:mod:`kg.parts`), loaded once into a
    temporary on-disk store the workers open read-only."""

    def __init__(self, path: Path) -> None:
        from kg.parts import read_parts
        from kg.rdf import format_for, read_store

        fmt = format_for(path) if not path.is_dir() else ox.RdfFormat.N_QUADS
        self.description = str(path)
        #: what a user should know about how the graph is served (literals matched by value)
        self.notes: list[str] = []
        self._tmp = Path(tempfile.mkdtemp(prefix="kg-serve-"))
        self.path = self._tmp / "graph"
        try:
            target = ox.Store(str(self.path))
            # the guarded parser, file by file
            if path.is_dir():
                store = read_parts(path, store=target)
            else:
                from kg.query_exact import rewritten_literals
                from kg.rdf_parse import parse_rdf

                quads = parse_rdf(path, fmt)
                store = read_store(path, store=target, quads=quads)
                rewritten = rewritten_literals(quads)
                del quads
                if rewritten:
                    self.notes.append(
                        f"{path}: {len(rewritten)} literal(s) written in a form the store rewrites (such as "
                        f"{rewritten[0]}) are served by value; `kg query` answers them as written")
            store.flush()
            self.triples = len(store)
            del store, target  # closes RocksDB before the workers open it
        except GraphFormatError:
            self.close()
            raise
        except (ValueError, OSError) as exc:
            self.close()
            raise GraphFormatError(f"{path}: cannot load as {fmt.name}: {exc}") from None

    def current(self) -> tuple[str | None, int]:
        return str(self.path), 0

    def close(self) -> None:
        shutil.rmtree(self._tmp, ignore_errors=True)


class _StoreSource:
    """A store directory: always its newest complete generation (held with a shared lock)."""

    def __init__(self, root: Path) -> None:
        from kg.store import StoreError, is_store, repair

        if not is_store(root):
            raise StoreError(f"{root}: not a Wild Goose store (no docs.sqlite) and not an RDF file")
        repair(root)
        self.root = root
        self.description = str(root)
        self._mutex = threading.Lock()
        self._stamp: tuple[int, int] | None = None
        self._checked = 0.0
        self._path: str | None = None
        self._gen = 0
        self._fd: int | None = None
        self.triples = 0
        self._refresh()

    def _refresh(self) -> None:
        from kg.store import current_generation, generation_stamp, hold_generation

        for _attempt in range(50):
            stamp = generation_stamp(self.root)
            if stamp == self._stamp and (self._fd is not None or stamp is None):
                return
            generation = current_generation(self.root)
            if generation is None:
                self._stamp, self._path, self._gen = None, None, 0
                return
            fd = hold_generation(generation)
            if fd is None:
                time.sleep(0.02)
                continue
            if self._fd is not None:
                os.close(self._fd)
            self._fd, self._path, self._gen, self._stamp = fd, str(generation.path), generation.number, generation.stamp
            self.triples = generation.triples
            log.info("serving generation %d of %s (%d triples)", self._gen, self.root, self.triples)
            return

    def current(self) -> tuple[str | None, int]:
        now = time.monotonic()
        with self._mutex:
            if now - self._checked > 0.5:
                self._checked = now
                self._refresh()
            return self._path, self._gen

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


# -- HTTP ---------------------------------------------------------------------------
_LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1", "[::1]"}


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self, address: tuple[str, int], app: "SparqlServer") -> None:
        self.app = app
        self._slots = threading.BoundedSemaphore(app.options.max_connections)
        self._idle: dict[Any, float] = {}  # connections waiting for their next request -> since when
        self._idle_lock = threading.Lock()
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, _Handler)

    def set_idle(self, conn: Any, idle: bool) -> None:
        with self._idle_lock:
            if idle:
                self._idle[conn] = time.monotonic()
            else:
                self._idle.pop(conn, None)

    def _evict_idle(self) -> bool:
        """Close the connection idle the longest, so that a new one gets its slot
        (idle sockets cannot lock clients out). False when none is idle."""
        with self._idle_lock:
            if not self._idle:
                return False
            conn = min(self._idle, key=self._idle.__getitem__)
            del self._idle[conn]
        try:
            conn.shutdown(socket.SHUT_RDWR)  # its handler reads EOF, ends and frees the slot
        except OSError:
            pass
        return True

    def process_request(self, request: Any, client_address: Any) -> None:
        if not self._slots.acquire(blocking=False) and not (self._evict_idle() and self._slots.acquire(timeout=2.0)):
            body = b"too many connections; try again\n"
            try:
                request.sendall(
                    b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\nConnection: close\r\n"
                    b"Retry-After: 1\r\nContent-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body
                )
            except OSError:
                pass
            self.shutdown_request(request)
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self._slots.release()
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "WildGoose"
    timeout = 30  # seconds a connection may sit idle or stall mid-request
    wbufsize = 1 << 16  # headers and body leave in one write (flushed after each request)
    server: _HTTPServer

    def setup(self) -> None:
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # no Nagle delay on small answers

    def handle_one_request(self) -> None:
        """Wait for a request as an idle connection (one the server may close to
        make room), then serve it."""
        self.server.set_idle(self.connection, True)
        try:
            self.rfile.peek(1)
        except (OSError, ValueError):  # timed out or closed while idle
            self.close_connection = True
            return
        finally:
            self.server.set_idle(self.connection, False)
        super().handle_one_request()

    # -- plumbing ---------------------------------------------------------
    def version_string(self) -> str:
        return self.server_version

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        access_log.info("%s %s", self.address_string(), format % args)

    def _send(self, status: int, body: bytes, content_type: str, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        if self.server.app.options.cors:
            self.send_header("Access-Control-Allow-Origin", "*")
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _error(self, status: int, message: str, *, close: bool = False) -> None:
        if close:
            self.close_connection = True
        self._send(status, (message + "\n").encode("utf-8"), "text/plain; charset=utf-8")

    def _host_ok(self) -> bool:
        if not self.server.app.loopback_only:
            return True
        host = self.headers.get("Host")
        if host is None:
            return True
        name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
        if name.lower() in _LOOPBACK_NAMES or _is_loopback(name.strip("[]")):
            return True
        self._error(403, f"Host {host!r} is not served here; this endpoint answers on loopback only")
        return False

    # -- methods ------------------------------------------------------------
    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        if not self._host_ok():
            return
        url = urlsplit(self.path)
        route = url.path
        if route in ("/", "/index.html"):
            self._asset("index.html")
        elif route.startswith("/assets/"):
            self._asset(route[len("/assets/"):])
        elif route == "/api/examples":
            self._send(200, self.server.app.examples_json(), "application/json")
        elif route in ("/sparql", "/query"):
            params = parse_qs(url.query, keep_blank_values=True)
            if "query" not in params and "update" not in params and "text/html" in (self.headers.get("Accept") or ""):
                self._send(303, b"", "text/plain", {"Location": "/"})
                return
            self._sparql(params)
        else:
            self._error(404, f"no such page: {route}; SPARQL is at /sparql, the query page at /")

    do_HEAD = do_GET

    def do_POST(self) -> None:  # noqa: N802
        if not self._host_ok():
            return
        url = urlsplit(self.path)
        if url.path not in ("/sparql", "/query"):
            self._error(404 if url.path != "/update" else 403, "this endpoint is read-only; POST queries to /sparql")
            return
        if self.headers.get("Transfer-Encoding"):
            self._error(411, "send the body with a Content-Length (chunked bodies are not accepted)", close=True)
            return
        try:
            length = int(self.headers.get("Content-Length", ""))
        except ValueError:
            self._error(411, "a POST needs a Content-Length", close=True)
            return
        limit = self.server.app.options.max_request_bytes
        if length < 0 or length > limit:
            self._error(413, f"request body over the limit of {limit} bytes", close=True)
            self.wfile.flush()  # the answer leaves now, not after the body
            self._discard(length)
            return
        body = self.rfile.read(length)
        params = parse_qs(url.query, keep_blank_values=True)
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if ctype == "application/x-www-form-urlencoded":
            try:
                form = parse_qs(body.decode("utf-8"), keep_blank_values=True, strict_parsing=False)
            except UnicodeDecodeError:
                self._error(400, "the form is not UTF-8")
                return
            for k, v in form.items():
                params.setdefault(k, []).extend(v)
        elif ctype == "application/sparql-query":
            try:
                params.setdefault("query", []).append(body.decode("utf-8"))
            except UnicodeDecodeError:
                self._error(400, "the query is not UTF-8")
                return
        elif ctype == "application/sparql-update":
            self._error(403, "updates are refused: this endpoint is read-only")
            return
        else:
            self._error(415, "POST a query as application/x-www-form-urlencoded (query=…) or application/sparql-query")
            return
        self._sparql(params)

    def _discard(self, length: int, cap: int = 8 * 2**20) -> None:
        """Read (and drop) a refused body, up to ``cap``, so the client can finish sending and read the answer."""
        left = min(max(length, 0), cap)
        try:
            self.connection.settimeout(1.0)  # a client that sends nothing more is not waited for
            while left > 0:
                chunk = self.rfile.read(min(left, 1 << 16))
                if not chunk:
                    break
                left -= len(chunk)
        except OSError:
            pass

    def _read_only(self) -> None:
        self._error(405, "this endpoint is read-only", close=False)

    do_PUT = do_DELETE = do_PATCH = _read_only  # noqa: N815

    def do_OPTIONS(self) -> None:  # noqa: N802
        headers = {"Allow": "GET, HEAD, POST, OPTIONS"}
        if self.server.app.options.cors:
            headers |= {
                "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
                "Access-Control-Allow-Headers": "Content-Type, Accept",
                "Access-Control-Max-Age": "600",
            }
        self._send(204, b"", "text/plain", headers)

    # -- pages ----------------------------------------------------------------
    def _asset(self, name: str) -> None:
        path = ASSETS / name
        if "/" in name or name.startswith(".") or path.suffix not in _ASSET_TYPES or not path.is_file():
            self._error(404, f"no such page: {name}")
            return
        self._send(
            200,
            path.read_bytes(),
            _ASSET_TYPES[path.suffix],
            {
                "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'",
                "Cache-Control": "no-cache",
            },
        )

    # -- SPARQL -----------------------------------------------------------------
    def _sparql(self, params: dict[str, list[str]]) -> None:
        app = self.server.app
        if "update" in params:
            self._error(403, "updates are refused: this endpoint is read-only")
            return
        for name in ("default-graph-uri", "named-graph-uri"):
            if name in params:
                self._error(403, f"{name} refused: this endpoint only queries its own graph")
                return
        queries = params.get("query", [])
        if not queries and self.command in ("GET", "HEAD"):
            self._service_description(params)
            return
        if len(queries) != 1:
            self._error(400, "give exactly one query parameter (SPARQL 1.1 Protocol)")
            return
        query = queries[0]
        if len(query.encode("utf-8")) > app.options.max_request_bytes:
            self._error(413, f"query over the limit of {app.options.max_request_bytes} bytes")
            return
        fmt = (params.get("format") or params.get("output") or [None])[0]
        accept = parse_accept(self.headers.get("Accept"))
        path, _gen = app.source.current()
        t0 = time.perf_counter()
        reply = app.pool.run(
            (path, query, accept, fmt, app.options.max_result_bytes),
            timeout=app.options.timeout,
            queue_timeout=app.options.queue_timeout,
        )
        elapsed = time.perf_counter() - t0
        if reply[0] == "ok":
            self._send(200, reply[2], reply[1])
        else:
            status, message = reply[1], reply[2]
            headers = {"Retry-After": "1"} if status == 503 else None
            self.close_connection = self.close_connection or status >= 500
            self._send(status, (message + "\n").encode("utf-8"), "text/plain; charset=utf-8", headers)
        if elapsed > 1.0:
            log.info("query took %.1fs (%s)", elapsed, reply[0] if reply[0] == "ok" else reply[1])


    def _service_description(self, params: dict[str, list[str]]) -> None:
        app = self.server.app
        chosen = negotiate("graph", parse_accept(self.headers.get("Accept")), (params.get("format") or params.get("output") or [None])[0])
        if chosen is None:
            self._error(406, f"the service description is RDF; accept one of: {', '.join(GRAPH_TYPES)}")
            return
        media, fmt = chosen
        endpoint = app.url
        host = self.headers.get("Host")
        if host:  # the address the client used (checked against loopback names above when bound there)
            try:
                endpoint = ox.NamedNode(f"http://{host}{urlsplit(self.path).path}").value
            except ValueError:
                pass
        out = _BoundedBuffer(app.options.max_result_bytes)
        ox.serialize(service_description(endpoint, app.triples), out, fmt,
                     prefixes={"sd": _SD, "formats": _FORMATS} if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG) else None)
        self._send(200, out.getvalue(), media)


# -- the endpoint -------------------------------------------------------------------
@dataclass
class SparqlServer:
    """The endpoint: a graph source, a worker pool and an HTTP server.

    >>> server = SparqlServer.open("graph.ttl", ServeOptions(port=0))   # doctest: +SKIP
    >>> server.url                                                      # doctest: +SKIP
    'http://127.0.0.1:41234/sparql'
    >>> threading.Thread(target=server.serve_forever).start(); server.close()  # doctest: +SKIP
    """

    source: Any
    options: ServeOptions
    pool: WorkerPool
    httpd: _HTTPServer | None = None
    _examples: bytes = field(default=b"{}", repr=False)

    @classmethod
    def open(cls, graph: str | os.PathLike[str], options: ServeOptions | None = None) -> "SparqlServer":
        options = options or ServeOptions()
        path = Path(graph)
        source: Any = _source_for(path)
        try:
            pool = WorkerPool(options.n_workers)
        except BaseException:
            source.close()
            raise
        server = cls(source, options, pool)
        from kg.rdf import PREFIXES

        page_data = {"examples": _load_examples(options.examples), "prefixes": PREFIXES}
        server._examples = json.dumps(page_data, ensure_ascii=False).encode("utf-8")
        try:
            server.httpd = _HTTPServer((options.host, options.port), server)
        except OSError as exc:
            server.close()
            raise ServeError(f"cannot listen on {options.host}:{options.port} ({exc.strerror or exc})") from None
        return server

    @property
    def loopback_only(self) -> bool:
        return _is_loopback(self.options.host)

    @property
    def port(self) -> int:
        assert self.httpd is not None
        return int(self.httpd.server_address[1])

    @property
    def url(self) -> str:
        host = self.options.host
        host = f"[{host}]" if ":" in host else host
        return f"http://{host}:{self.port}/sparql"

    @property
    def triples(self) -> int:
        return int(getattr(self.source, "triples", 0))

    @property
    def notes(self) -> list[str]:
        """What the user should know about how the graph is served."""
        return list(getattr(self.source, "notes", []))

    def examples_json(self) -> bytes:
        return self._examples

    def serve_forever(self) -> None:
        assert self.httpd is not None
        self.httpd.serve_forever(poll_interval=0.2)

    def shutdown(self) -> None:
        """Stop :meth:`serve_forever` (from another thread)."""
        if self.httpd is not None:
            self.httpd.shutdown()

    def close(self) -> None:
        if self.httpd is not None:
            self.httpd.server_close()
            self.httpd = None
        self.pool.close()
        self.source.close()

    def __enter__(self) -> "SparqlServer":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _default_examples() -> Path | None:
    here = Path(__file__).resolve().parent.parent / "examples" / "queries"
    return here if here.is_dir() else None


def _load_examples(folder: Path | None) -> list[dict[str, str]]:
    folder = folder or _default_examples()
    if folder is None or not folder.is_dir():
        return []
    out = []
    for path in sorted(folder.glob("*.rq")):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            log.warning("example %s skipped (%s)", path, exc)
            continue
        first = text.lstrip().splitlines()[0] if text.strip() else ""
        title = first.lstrip("#").strip() if first.startswith("#") else path.stem.replace("-", " ")
        out.append({"name": path.stem, "title": title, "query": text})
    return out


def serve(graph: str | os.PathLike[str], options: ServeOptions | None = None, *, ready: Any = None) -> None:
    """Serve ``graph`` until interrupted; ``ready(server)`` is called once it listens."""
    import signal

    def stop(_signum: int, _frame: object) -> None:
        raise KeyboardInterrupt  # SIGTERM ends the server like Ctrl-C: workers stopped, temp files removed

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, stop)
    with SparqlServer.open(graph, options) as server:
        if ready is not None:
            ready(server)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass

