"""The graph in RDF: triples in the vocabulary, provenance in PROV-O, files.

Modelling (see also ``kg/ontology/README.md``):

- an entity is typed with exactly one vocabulary class and carries
  ``rdfs:label`` (canonical name), ``skos:altLabel`` (other names),
  ``owl:sameAs`` (Wikidata), ``kg:mentionCount``, ``kg:documentCount``,
  ``kg:mentionedIn`` each document, and one ``kg:mention`` node per document
  with that document's mention count;
- a relation is a direct triple ``s p o`` *and* a reified ``kg:Statement``
  (``rdf:subject``/``rdf:predicate``/``rdf:object``) holding ``kg:role``,
  ``kg:predicateText``, ``kg:confidence`` and one ``kg:evidence`` node per
  sentence (``prov:wasDerivedFrom`` the document, ``kg:sentence``, offsets,
  ``kg:extractor``, ``kg:confidence``);
- a quantitative fact is a ``kg:Observation`` linked by ``kg:observation``;
- documents are ``kg:Document`` with ``dcterms:title``/``dcterms:date``; the
  run is a ``kg:BuildRun`` (a ``prov:Activity``) with the software version.

Oxigraph does the writing and parsing; rdflib is offered for its ecosystem.
"""

from __future__ import annotations

import heapq
import os
import re
import stat
import sys
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING

import pyoxigraph as ox

from kg.chars import xml_safe
from kg.errors import GraphFormatError, KGError
from kg.iri import document_iri, is_iri, node_iri
from kg.vocab import KG, VOCAB_IRI

if TYPE_CHECKING:
    import rdflib

    from kg.graph import Evidence, KnowledgeGraph
    from kg.model import DocInfo

__all__ = ["PREFIXES", "FORMATS", "format_for", "graph_quads", "stream_quads", "write_quads", "read_store", "to_rdflib"]

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
OWL = "http://www.w3.org/2002/07/owl#"
PROV = "http://www.w3.org/ns/prov#"
DCTERMS = "http://purl.org/dc/terms/"
SCHEMA = "https://schema.org/"

#: prefixes written into files and predeclared for queries
PREFIXES: dict[str, str] = {
    "kg": VOCAB_IRI,
    "id": "https://w3id.org/wild-goose/id/",
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
    "skos": SKOS,
    "owl": OWL,
    "prov": PROV,
    "dcterms": DCTERMS,
    "schema": SCHEMA,
    "wd": "http://www.wikidata.org/entity/",
}

#: file extension → Oxigraph format
FORMATS: dict[str, ox.RdfFormat] = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".trig": ox.RdfFormat.TRIG,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".json": ox.RdfFormat.JSON_LD,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
    ".xml": ox.RdfFormat.RDF_XML,
    ".n3": ox.RdfFormat.N3,
}


def format_for(path: str | Path, format: str | None = None) -> ox.RdfFormat:
    """The RDF format named by ``format`` (an extension or name) or by ``path``'s extension."""
    if str(path) == "-" and not format:
        raise GraphFormatError(f"standard output has no extension: give --format ({', '.join(sorted(k.lstrip('.') for k in FORMATS))})")
    key = (format or Path(path).suffix).lower()
    if key and not key.startswith("."):
        key = {"turtle": ".ttl", "ntriples": ".nt", "n-triples": ".nt", "nquads": ".nq", "n-quads": ".nq",
               "json-ld": ".jsonld", "rdfxml": ".rdf", "rdf/xml": ".rdf", "xml": ".rdf"}.get(key, "." + key)
    try:
        return FORMATS[key]
    except KeyError:
        raise GraphFormatError(
            f"{path}: unknown RDF format {key or '(no extension)'!r}; use one of {', '.join(sorted(FORMATS))}"
        ) from None


# _n and _lit are the only doors into an RDF term for every writer (kg.rdf, kg.text2kg.graph):
# an IRI is checked, a literal's text is made XML-1.0-safe (kg.chars), so no syntax gets what
# another tool cannot read back.
def _n(iri: str) -> ox.NamedNode:
    try:
        return ox.NamedNode(iri)
    except (ValueError, TypeError) as exc:
        raise GraphFormatError(f"cannot write {str(iri)[:200]!r} as an IRI ({exc})") from None


def _lit(value: object, datatype: str | None = None) -> ox.Literal:
    text = xml_safe(str(value))
    if datatype == "dateTime" and text.endswith(("+00:00", "-00:00")):
        text = f"{text[:-6]}Z"  # the canonical form, which Oxigraph gives back when read
    if datatype:
        return ox.Literal(text, datatype=_n(datatype if ":" in datatype else XSD + datatype))
    return ox.Literal(text)


def _date_literal(value: str) -> ox.Literal:
    if "T" in value:
        return _lit(value, "dateTime")
    if len(value) == 4:
        return _lit(value, "gYear")
    if len(value) == 7:
        return _lit(value, "gYearMonth")
    return _lit(value, "date")


def _decimal(x: float) -> ox.Literal:
    return _lit(f"{x:.4f}".rstrip("0").rstrip(".") if "." in f"{x:.4f}" else f"{x}", "decimal")


#: bytes of N-Quads lines a graph's writer holds before it moves a sorted run of them to a
#: temporary file (in ``$TMPDIR``): the memory of writing stays bounded however big the graph
SORT_BUFFER_BYTES = 64 * 1024 * 1024
_LINE_OVERHEAD = 41  # bytes of a bytes object and its list slot beside its data (CPython, 64 bit)
_PARSE_BATCH = 8192  # lines parsed back into quads at a time


class _Triples:
    """Quads collected into one graph (the default graph unless ``graph`` names one), given
    back sorted and without duplicates by :meth:`sorted`.

    The order is that of the quads' N-Quads text (``str(quad)``), as before, so files are
    byte-identical; but a quad is kept as its UTF-8 line (whose byte order is the text's code
    point order), not as an object, and past ``buffer_bytes`` the lines so far are sorted
    into a temporary file, the runs merged on the way out (an external sort)."""

    def __init__(self, graph: ox.NamedNode | ox.DefaultGraph | None = None, *,
                 buffer_bytes: int | None = None) -> None:
        self.graph = graph if graph is not None else ox.DefaultGraph()
        self.buffer_bytes = SORT_BUFFER_BYTES if buffer_bytes is None else buffer_bytes
        self._lines: list[bytes] = []
        self._size = 0
        self._runs: list[IO[bytes]] = []

    def add(self, s: str, p: str, o: ox.NamedNode | ox.Literal) -> None:
        line = str(ox.Quad(_n(s), _n(p), o, self.graph)).encode("utf-8")
        self._lines.append(line)
        self._size += len(line) + _LINE_OVERHEAD
        if self._size > self.buffer_bytes:
            self._spill()

    def _spill(self) -> None:
        self._lines.sort()
        run = tempfile.TemporaryFile(prefix="kg-sort-")  # unlinked at once: gone when closed
        try:
            run.writelines(line + b"\n" for line in self._lines)  # a line holds no raw LF (N-Quads escapes it)
            run.seek(0)
        except BaseException:
            run.close()
            raise
        self._runs.append(run)
        self._lines, self._size = [], 0

    def sorted(self) -> Iterator[ox.Quad]:
        """The quads added, sorted by their N-Quads text, each once; read once."""
        self._lines.sort()
        lines, runs = self._lines, self._runs
        self._lines, self._size, self._runs = [], 0, []
        merged = heapq.merge(lines, *((line[:-1] for line in run) for run in runs)) if runs else iter(lines)
        try:
            batch: list[bytes] = []
            last = None
            for line in merged:
                if line == last:
                    continue
                last = line
                batch.append(line)
                if len(batch) >= _PARSE_BATCH:
                    yield from _parse_lines(batch)
                    batch = []
            if batch:
                yield from _parse_lines(batch)
        finally:
            for run in runs:
                run.close()


def _parse_lines(lines: list[bytes]) -> Iterator[ox.Quad]:
    """The quads of N-Quads lines written by :class:`_Triples` (``str(quad)``, no final dot)."""
    return iter(ox.parse(b" .\n".join(lines) + b" .\n", ox.RdfFormat.N_QUADS))


def graph_quads(graph: "KnowledgeGraph", *, run_node: bool = True) -> list[ox.Quad]:
    """All triples of ``graph`` (in the default graph), sorted for stable output.

    ``run_node=False`` leaves out the triples about the run itself (its type,
    time, agent) but keeps every link to it: a part of a partitioned graph
    (:mod:`kg.parts`) that another part describes the run in."""
    return list(stream_quads(graph, run_node=run_node))


def stream_quads(graph: "KnowledgeGraph", *, run_node: bool = True) -> Iterator[ox.Quad]:
    """The quads of :func:`graph_quads`, in the same order, made as they are read: the
    memory this takes is bounded (:data:`SORT_BUFFER_BYTES`), not that of the whole list."""
    t = _Triples()
    run_iri = None
    if graph.run is not None:
        run_iri = f"{PREFIXES['id']}run/{graph.run.id}"
    if graph.run is not None and run_node:
        agent = node_iri("agent", "wild-goose", graph.run.software_version)
        t.add(run_iri, RDF + "type", _n(KG.BuildRun))
        t.add(run_iri, RDF + "type", _n(PROV + "Activity"))
        t.add(run_iri, PROV + "startedAtTime", _lit(graph.run.started, "dateTime"))
        t.add(run_iri, KG.softwareVersion, _lit(graph.run.software_version))
        t.add(run_iri, RDFS + "comment", _lit(f"kg build with spaCy pipeline {graph.run.model}"))
        t.add(run_iri, PROV + "wasAssociatedWith", _n(agent))
        t.add(agent, RDF + "type", _n(PROV + "SoftwareAgent"))
        t.add(agent, RDFS + "label", _lit(f"Wild Goose {graph.run.software_version}"))
    _documents(t, graph.documents)
    for e in graph.entities:
        t.add(e.iri, RDF + "type", _n(VOCAB_IRI + e.cls))
        t.add(e.iri, RDFS + "label", _lit(e.label))
        for alt in e.alt_labels:
            t.add(e.iri, SKOS + "altLabel", _lit(alt))
        for q in e.same_as:
            t.add(e.iri, OWL + "sameAs", _n(q if q.startswith("https://") else f"http://www.wikidata.org/entity/{q}"))
        t.add(e.iri, KG.mentionCount, _lit(e.mention_count, "integer"))
        t.add(e.iri, KG.documentCount, _lit(len(e.mentions), "integer"))
        if run_iri:
            t.add(e.iri, PROV + "wasGeneratedBy", _n(run_iri))
        for doc_iri, n in e.mentions.items():
            m = node_iri("mention", e.iri, doc_iri)
            t.add(e.iri, KG.mentionedIn, _n(doc_iri))
            t.add(e.iri, KG.mention, _n(m))
            t.add(m, RDF + "type", _n(KG.Mention))
            t.add(m, KG.document, _n(doc_iri))
            t.add(m, KG.mentionCount, _lit(n, "integer"))
    for s in graph.statements:
        prop = VOCAB_IRI + s.property
        t.add(s.subject, prop, _n(s.object))
        st = node_iri("statement", s.subject, s.property, s.object, s.role or "", s.predicate_text or "")
        t.add(st, RDF + "type", _n(KG.Statement))
        t.add(st, RDF + "type", _n(RDF + "Statement"))
        t.add(st, RDF + "subject", _n(s.subject))
        t.add(st, RDF + "predicate", _n(prop))
        t.add(st, RDF + "object", _n(s.object))
        t.add(st, KG.confidence, _decimal(s.confidence))
        if s.role:
            t.add(st, KG.role, _lit(s.role))
        if s.predicate_text:
            t.add(st, KG.predicateText, _lit(s.predicate_text))
        if run_iri:
            t.add(st, PROV + "wasGeneratedBy", _n(run_iri))
        for ev in s.evidence:
            _evidence(t, st, ev)
    for o in graph.observations:
        ob = node_iri("observation", o.subject, o.measure, o.value, o.unit, o.date or "")
        t.add(o.subject, KG.observation, _n(ob))
        t.add(ob, RDF + "type", _n(KG.Observation))
        t.add(ob, KG.measure, _lit(o.measure))
        t.add(ob, KG.value, _lit(o.value, "decimal"))
        t.add(ob, KG.unit, _lit(o.unit))
        if o.date:
            t.add(ob, KG.date, _date_literal(o.date))
        for ev in o.evidence:
            _evidence(t, ob, ev)
    yield from t.sorted()


def _documents(t: _Triples, documents: Iterable["DocInfo"]) -> None:
    for doc in documents:
        d = document_iri(doc.id)
        t.add(d, RDF + "type", _n(KG.Document))
        t.add(d, KG.sourceFile, _lit(doc.source))
        if doc.title:
            t.add(d, DCTERMS + "title", _lit(doc.title))
        if doc.date:
            t.add(d, DCTERMS + "date", _date_literal(doc.date))
        if doc.url:
            t.add(d, SCHEMA + "url", _n(doc.url) if is_iri(doc.url) else _lit(doc.url))


def _evidence(t: _Triples, owner: str, ev: "Evidence") -> None:
    e = node_iri("evidence", owner, ev.document, str(ev.sent_start), str(ev.subject_start), str(ev.object_start), ev.extractor)
    t.add(owner, KG.evidence, _n(e))
    t.add(e, RDF + "type", _n(KG.Evidence))
    t.add(e, PROV + "wasDerivedFrom", _n(ev.document))
    t.add(e, KG.sentence, _lit(ev.sentence))
    t.add(e, KG.sentenceStart, _lit(ev.sent_start, "integer"))
    t.add(e, KG.sentenceEnd, _lit(ev.sent_end, "integer"))
    for prop, value in (
        (KG.subjectStart, ev.subject_start),
        (KG.subjectEnd, ev.subject_end),
        (KG.objectStart, ev.object_start),
        (KG.objectEnd, ev.object_end),
    ):
        if value is not None:
            t.add(e, prop, _lit(value, "integer"))
    t.add(e, KG.extractor, _lit(ev.extractor))
    t.add(e, KG.confidence, _decimal(ev.confidence))


def _mode_for(path: Path) -> int:
    """The mode of the file being replaced, else the default for new files (0666 minus umask)."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        umask = os.umask(0o022)
        os.umask(umask)
        return 0o666 & ~umask


def atomic_write(path: str | Path, write: "callable[[Path], None]") -> Path:  # type: ignore[valid-type]
    """Call ``write(tmp)`` then rename ``tmp`` over ``path``: never a half-written file."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        os.close(fd)
    except OSError as exc:
        raise KGError(f"cannot write {path}: {exc.strerror or exc}") from None
    try:
        write(Path(tmp))
        os.chmod(tmp, _mode_for(path))  # mkstemp makes 0600; give the file the mode open() would
        os.replace(tmp, path)
    except OSError as exc:  # a full disk, a quota: the previous file is left as it was
        Path(tmp).unlink(missing_ok=True)
        raise KGError(f"cannot write {path}: {exc.strerror or exc}; the previous file is unchanged") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


_NCNAME = re.compile(r"[^\W\d][\w.-]*")


def _xml_node_id(label: str) -> str:
    """An ``rdf:nodeID`` for a blank node label (which must be an XML name): ``b`` and
    the label when that is one, else ``h`` and the label's UTF-8 in hex. One label
    always gets one name and two labels never share one, so the graph is renamed
    one triple at a time (the writer streams; nothing is held)."""
    name = "b" + label
    return name if _NCNAME.fullmatch(name) else "h" + label.encode("utf-8").hex()


def _xml_blank_nodes(items: Iterable) -> Iterator:
    """The triples with every blank node renamed by :func:`_xml_node_id`."""
    def rename(t):
        return ox.BlankNode(_xml_node_id(t.value)) if isinstance(t, ox.BlankNode) else t

    for x in items:
        if isinstance(x.subject, ox.BlankNode) or isinstance(x.object, ox.BlankNode):
            x = ox.Triple(rename(x.subject), x.predicate, rename(x.object))
        yield x


def write_quads(quads: Iterable[ox.Quad], path: str | Path, *, format: str | None = None,
                prefixes: dict[str, str] | None = None) -> Path:
    """Write ``quads`` to ``path`` atomically, in the format of its extension.

    A triple format keeps the triples of every graph; ``prefixes`` replace
    :data:`PREFIXES` in the formats that declare prefixes."""
    fmt = format_for(path, format)
    items: Iterable[ox.Quad] | Iterable[ox.Triple] = quads  # streamed to the serializer, never all held
    if not fmt.supports_datasets:
        items = (ox.Triple(q.subject, q.predicate, q.object) for q in quads)
    if fmt is ox.RdfFormat.RDF_XML:
        items = _xml_blank_nodes(items)  # labels that are no XML names are renamed
    prefixes = (prefixes or PREFIXES) if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG, ox.RdfFormat.RDF_XML, ox.RdfFormat.N3) else None

    def write(tmp: Path) -> None:
        with tmp.open("wb") as fh:
            ox.serialize(items, _CarriageReturns(fh) if fmt is ox.RdfFormat.RDF_XML else fh, fmt, prefixes=prefixes)

    if str(path) == "-":  # standard output (``-o -``)
        ox.serialize(items, sys.stdout.buffer, fmt, prefixes=prefixes)
        sys.stdout.buffer.flush()
        return Path(path)
    return atomic_write(path, write)


class _CarriageReturns:
    """Writes RDF/XML with every CR as ``&#13;``: an XML parser reads a raw CR as LF, so
    a literal holding one would not read back as written (Oxigraph writes it raw)."""

    def __init__(self, fh: "object") -> None:
        self.fh = fh

    def write(self, data: bytes) -> int:
        self.fh.write(bytes(data).replace(b"\r", b"&#13;"))  # type: ignore[attr-defined]
        return len(data)

    def flush(self) -> None:
        self.fh.flush()  # type: ignore[attr-defined]


def read_store(path: str | Path, *, store: ox.Store | None = None, quads: list[ox.Quad] | None = None) -> ox.Store:
    """Load an RDF file into an (in-memory) Oxigraph store, through the guarded parser
    (:func:`kg.rdf_parse.parse_rdf`: no network, the file's base IRI, bounded memory);
    ``quads``: the file's quads, already parsed."""
    from kg.rdf_parse import parse_rdf

    if quads is None:
        quads = parse_rdf(path, format_for(path))
    store = store if store is not None else ox.Store()
    try:
        store.bulk_extend(quads)
    except (ValueError, OSError) as exc:
        raise GraphFormatError(f"{path}: cannot load: {exc}") from None
    return store


def to_rdflib(graph: "KnowledgeGraph") -> "rdflib.Graph":
    """Convert through N-Triples (fast and lossless for a single graph)."""
    import rdflib

    data = ox.serialize([ox.Triple(q.subject, q.predicate, q.object) for q in graph.quads()], None, ox.RdfFormat.N_TRIPLES)
    g = rdflib.Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns)
    g.parse(data=data.decode("utf-8"), format="nt")
    return g
