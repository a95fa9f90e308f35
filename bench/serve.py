"""Load test of ``kg serve``: concurrent clients against a graph of a million triples.

    python bench/serve.py                                   # 16 clients, 20 s, >= 1,000,000 triples
    python bench/serve.py --from-graph g.ttl --triples 5000 --seconds 2 --clients 4   # smoke run

The graph is the example corpus's graph (built with ``kg.build``, or read from
``--from-graph``) replicated with varied IRIs until it holds ``--triples``
triples; each copy goes through the normal writer (:func:`kg.rdf.graph_quads`,
N-Triples). ``kg serve`` is started on it (127.0.0.1, a free port) and
``--clients`` threads send a mix of typical lookups (an entity's card, a label
lookup, the documents of an entity, an ASK, the top entities of a document;
GET and POST, JSON and CSV) over keep-alive connections for ``--seconds``.
Printed: requests/s, p50/p99 latency and the number of errors (any answer but
200, or a failed connection). Exit status 1 if there were errors.
"""

from __future__ import annotations

import argparse
import dataclasses
import http.client
import math
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def base_graph(from_graph: Path | None):  # -> KnowledgeGraph
    if from_graph is not None:
        from kg.rdf_read import read_graph

        return read_graph(from_graph)
    import kg

    return kg.build([ROOT / "examples" / "corpus"])


def replicate(graph, k: int):  # -> KnowledgeGraph
    """Copy ``k`` of ``graph``: every entity and document IRI gets a ``-k`` suffix."""
    from kg.graph import Entity, Evidence, KnowledgeGraph, Observation, Statement
    from kg.iri import document_iri
    from kg.model import DocInfo

    docs = {document_iri(d.id): dataclasses.replace(d, id=f"{d.id}-{k}") for d in graph.documents}
    doc_map = {old: document_iri(d.id) for old, d in docs.items()}
    ent = {e.iri: f"{e.iri}-{k}" for e in graph.entities}

    def ev(e: Evidence) -> Evidence:
        return dataclasses.replace(e, document=doc_map.get(e.document, e.document))

    return KnowledgeGraph(
        documents=[DocInfo(**dataclasses.asdict(d)) for d in docs.values()],
        entities=[
            Entity(ent[e.iri], e.label, e.cls, e.alt_labels, e.same_as,
                   {doc_map.get(d, d): n for d, n in e.mentions.items()})
            for e in graph.entities
        ],
        statements=[
            Statement(ent.get(s.subject, s.subject), s.property, ent.get(s.object, s.object),
                      [ev(x) for x in s.evidence], s.role, s.predicate_text)
            for s in graph.statements
        ],
        observations=[
            Observation(ent.get(o.subject, o.subject), o.measure, o.value, o.unit, o.date, [ev(x) for x in o.evidence])
            for o in graph.observations
        ],
        run=graph.run,
    )


def write_big_graph(graph, triples: int, path: Path) -> tuple[int, list[str], list[str], list[str]]:
    """Write copies of ``graph`` to ``path`` (N-Triples) until ``triples`` are reached."""
    import pyoxigraph as ox

    from kg.rdf import graph_quads

    per_copy = len(graph_quads(replicate(graph, 0))) - 10  # the run's triples repeat in every copy
    copies = max(1, math.ceil(triples / max(per_copy, 1)))
    written = 0
    with open(path, "wb") as fh:
        for k in range(copies):
            quads = graph_quads(replicate(graph, k))
            ox.serialize([ox.Triple(q.subject, q.predicate, q.object) for q in quads], fh, ox.RdfFormat.N_TRIPLES)
            written += len(quads)
    entities = [e.iri for e in graph.entities]
    labels = [e.label for e in graph.entities]
    from kg.iri import document_iri

    docs = [document_iri(d.id) for d in graph.documents]
    return copies, entities, labels, docs


def sparql_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r") + '"'


def sparql_iri(iri: str) -> str:
    if re.search(r'[<>"{}|^`\\\s]', iri):
        raise ValueError(f"not an IRI: {iri!r}")
    return f"<{iri}>"


def make_queries(copies: int, entities: list[str], labels: list[str], docs: list[str]):
    rng = random.Random(7)

    def pick_entity() -> str:
        return sparql_iri(f"{rng.choice(entities)}-{rng.randrange(copies)}")

    def pick_doc() -> str:
        base = rng.choice(docs)
        return sparql_iri(f"{base}-{rng.randrange(copies)}")

    templates = [
        lambda: f"SELECT ?p ?o WHERE {{ {pick_entity()} ?p ?o }}",
        lambda: f"SELECT ?e ?class WHERE {{ ?e rdfs:label {sparql_string(rng.choice(labels))} ; a ?class }} LIMIT 20",
        lambda: f"SELECT ?doc ?title WHERE {{ {pick_entity()} kg:mentionedIn ?doc . OPTIONAL {{ ?doc dcterms:title ?title }} }}",
        lambda: f"ASK {{ {pick_entity()} a ?class }}",
        lambda: (f"SELECT ?e ?n WHERE {{ ?e kg:mention ?m . ?m kg:document {pick_doc()} ; kg:mentionCount ?n }} "
                 "ORDER BY DESC(?n) LIMIT 10"),
    ]
    return lambda: rng.choice(templates)()


@dataclasses.dataclass
class Tally:
    latencies: list[float] = dataclasses.field(default_factory=list)
    errors: int = 0
    samples: list[str] = dataclasses.field(default_factory=list)


def client(url: str, deadline: float, next_query, lock: threading.Lock, tally: Tally, seed: int) -> None:
    parts = urlsplit(url)
    assert parts.hostname in ("127.0.0.1", "localhost", "::1"), "the benchmark only talks to loopback"
    rng = random.Random(seed)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    local: list[float] = []
    errors = 0
    samples: list[str] = []
    while time.monotonic() < deadline:
        with lock:
            query = next_query()
        accept = "text/csv" if rng.random() < 0.2 else "application/sparql-results+json"
        t0 = time.perf_counter()
        try:
            if rng.random() < 0.5:
                conn.request("GET", parts.path + "?" + urlencode({"query": query}), headers={"Accept": accept})
            else:
                conn.request("POST", parts.path, body=urlencode({"query": query}),
                             headers={"Accept": accept, "Content-Type": "application/x-www-form-urlencoded"})
            resp = conn.getresponse()
            body = resp.read()
            ok = resp.status == 200
            if not ok and len(samples) < 3:
                samples.append(f"HTTP {resp.status}: {body[:200]!r}")
            if resp.getheader("Connection", "").lower() == "close":
                conn.close()
        except (OSError, http.client.HTTPException) as exc:
            ok = False
            if len(samples) < 3:
                samples.append(f"{type(exc).__name__}: {exc}")
            conn.close()
        local.append(time.perf_counter() - t0)
        if not ok:
            errors += 1
    conn.close()
    with lock:
        tally.latencies.extend(local)
        tally.errors += errors
        tally.samples.extend(samples)


def start_server(graph: Path, workers: int, startup_timeout: float) -> tuple[subprocess.Popen, str, int]:
    cmd = [sys.executable, "-m", "kg", "serve", str(graph), "--port", "0", "--timeout", "10"]
    if workers:
        cmd += ["--workers", str(workers)]
    proc = subprocess.Popen(cmd, cwd=ROOT, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    assert proc.stderr is not None
    deadline = time.monotonic() + startup_timeout
    lines = []
    while time.monotonic() < deadline:
        line = proc.stderr.readline()
        if not line:
            break
        lines.append(line)
        m = re.search(r"serving .* \((\d+) triples\) at (http://\S+/sparql)", line)
        if m:
            threading.Thread(target=proc.stderr.read, daemon=True).start()  # keep draining
            return proc, m.group(2), int(m.group(1))
    proc.kill()
    raise SystemExit("kg serve did not start:\n" + "".join(lines))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--triples", type=int, default=1_000_000, help="size of the generated graph (default 1,000,000)")
    ap.add_argument("--clients", type=int, default=16)
    ap.add_argument("--seconds", type=float, default=20.0)
    ap.add_argument("--workers", type=int, default=0, help="kg serve --workers (default: its own)")
    ap.add_argument("--from-graph", type=Path, help="replicate this graph instead of building examples/corpus")
    ap.add_argument("--keep", type=Path, help="write the generated graph here (kept) instead of a temporary file")
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    graph = base_graph(args.from_graph)
    tmp = tempfile.TemporaryDirectory(prefix="kg-bench-")
    path = args.keep or Path(tmp.name) / "bench.nt"
    copies, entities, labels, docs = write_big_graph(graph, args.triples, path)
    print(f"generated {copies} copies of the example graph into {path} in {time.perf_counter() - t0:.0f}s", flush=True)

    t1 = time.perf_counter()
    proc, url, triples = start_server(path, args.workers, startup_timeout=900)
    print(f"kg serve ready at {url} with {triples:,} triples after {time.perf_counter() - t1:.0f}s", flush=True)
    try:
        next_query = make_queries(copies, entities, labels, docs)
        lock = threading.Lock()
        tally = Tally()
        deadline = time.monotonic() + args.seconds
        threads = [
            threading.Thread(target=client, args=(url, deadline, next_query, lock, tally, n)) for n in range(args.clients)
        ]
        start = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.monotonic() - start
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        tmp.cleanup()

    lat = sorted(tally.latencies)
    n = len(lat)
    p50 = statistics.median(lat) * 1000 if lat else float("nan")
    p99 = lat[min(n - 1, math.ceil(0.99 * n) - 1)] * 1000 if lat else float("nan")
    print(f"graph: {triples:,} triples; clients: {args.clients}; duration: {elapsed:.1f}s; cpus: {os.cpu_count()}")
    print(f"requests: {n}  requests/s: {n / elapsed:.1f}  p50: {p50:.1f} ms  p99: {p99:.1f} ms  errors: {tally.errors}")
    for sample in tally.samples[:3]:
        print(f"  error sample: {sample}")
    if triples < args.triples:
        print(f"warning: the graph has fewer triples ({triples:,}) than asked ({args.triples:,})")
    return 1 if tally.errors else 0


if __name__ == "__main__":
    sys.exit(main())
