"""A graph in the user's ontology and nothing else (``kg build --ontology``).

Documents (read by :mod:`kg.ingest`) are parsed, split into sentences and each
sentence is read by the text2kg model (:func:`~kg.text2kg.extract.extract`).
Over the whole corpus:

* an entity is one node per canonical value the extractor gives (compared
  case- and spacing-insensitively, as :func:`~kg.text2kg.score.normalize`
  does), with an IRI under ``base`` (a slug of its label), ``rdfs:label`` and
  one ``rdf:type`` per domain/range class its statements give it;
* a subject written as a pronoun ("It has 2,300 employees.") stands for the
  subject of the document's latest statement; without one it is dropped;
* :func:`~kg.text2kg.extract.enforce_domain_range` runs again over the corpus,
  so no entity is given two classes the ontology declares incompatible;
* an object property links two entity IRIs; a datatype property gets a typed
  literal (:func:`literal_for`: ``xsd:date``/``gYearMonth``/``gYear``,
  ``xsd:integer``/``decimal``/``double``, plain strings); a value the range
  cannot take is dropped;
* class and property IRIs are the ontology's own (OWL/RDFS files have them);
  the Text2KGBench JSON format has only ids, which are minted under
  :func:`ontology_namespace` (``https://w3id.org/wild-goose/ontology/<id>#<id>``).

The data graph holds ``rdf:type``, ``rdfs:label`` and the ontology's
properties only. Evidence (the sentence, its document and offsets, the
confidence) is an RDF reification of each statement in the named graph
``<base>graph/evidence`` (:meth:`OntologyGraph.evidence_quads`), written into
the same file for formats that hold several graphs (.trig, .nq, .jsonld) or
into a file of its own.
"""

from __future__ import annotations

import logging
import re
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from kg.errors import InputError
from kg.graph import Evidence, noisy_or
from kg.ingest import slugify
from kg.iri import digest, document_iri, node_iri
from kg.model import DocInfo, Document, Problem
from kg.text2kg.ontology import Ontology, Relation, literal_kind
from kg.text2kg.values import month_year, parse_date, parse_number
from kg.vocab import ID_IRI

if TYPE_CHECKING:  # the extractor (numpy, nltk) is imported when a graph is built, not with the CLI
    from kg.text2kg.extract import ExtractedTriple
    from kg.text2kg.model import ExtractionModel

__all__ = [
    "EXTRACTOR",
    "MODEL_FILE",
    "OPERATING_POINT",
    "OntologyGraph",
    "GraphStatement",
    "build_graph",
    "check_base",
    "default_base",
    "evidence_graph_iri",
    "describe_operating_point",
    "learn_model",
    "literal_for",
    "names_an_entity",
    "model_file",
    "read_model",
    "ontology_namespace",
    "term_iris",
    "unknown_relations",
]

log = logging.getLogger(__name__)

#: the extractor name evidence records
EXTRACTOR = "text2kg"
#: the file ``kg learn -o DIR`` writes and ``kg build --model-dir DIR`` reads
MODEL_FILE = "model.json"
#: the model's own operating point (``kg learn`` and ``kg build --examples``)
OPERATING_POINT = {"threshold": 0.5, "threshold_multi": 0.6, "threshold_normalized": 0.5}

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"

_PRONOUN_TAGS = {"PRP", "WDT", "WP", "WP$", "PRP$"}


# ------------------------------------------------------------------ the model


def learn_model(examples: Sequence, ontology: Ontology, *, epochs: int = 10, calibrate: bool = True,
                spacy_model: str | None = None, progress: Callable[[str], None] | None = None,
                **operating_point: float) -> "ExtractionModel":
    """:func:`~kg.text2kg.learn.learn`, at an operating point chosen by
    cross-validation on the examples (:mod:`kg.text2kg.calibrate`) when there
    are enough of them, else at :data:`OPERATING_POINT`; thresholds given
    here win over both. The chosen point and the figures it gave on held-out
    examples are kept in ``model.info["operating_point"]``."""
    from kg.text2kg.calibrate import calibrate as cross_validated_point
    from kg.text2kg.learn import learn
    from kg.text2kg.nlp import DEFAULT_MODEL, parse

    examples = list(examples)
    docs = parse([ex.sent for ex in examples], model=spacy_model or DEFAULT_MODEL) if examples else []
    model = learn(examples, ontology, docs=docs, epochs=epochs)
    point = dict(OPERATING_POINT)
    found = None
    if calibrate and set(operating_point) != set(OPERATING_POINT):
        found = cross_validated_point(examples, ontology, docs=docs, epochs=epochs, progress=progress)
    if found is not None:
        point.update(found.thresholds())
        model.info["operating_point"] = {**found.to_dict(), "source": "cross-validation"}
    else:
        model.info["operating_point"] = {"source": "default"}
    point.update(operating_point)
    if operating_point:
        model.info["operating_point"]["given"] = dict(operating_point)
    for name, value in point.items():
        setattr(model, name, value)
    return model


def describe_operating_point(model: "ExtractionModel") -> str:
    """One line: the thresholds in use and where they come from."""
    info = model.info.get("operating_point", {})
    text = (f"operating point: threshold {model.threshold:g}, further objects {model.threshold_multi:g}, "
            f"normalised values {model.threshold_normalized:g}")
    if info.get("source") == "cross-validation":
        text += (f" (cross-validated on {info['sentences']} example sentences in {info['folds']} folds: "
                 f"P {info['precision']:.2f} R {info['recall']:.2f} F1 {info['f1']:.2f})")
    elif info.get("source") == "default":
        text += " (default: too few examples to cross-validate)"
    if info.get("given"):
        text += "; given: " + ", ".join(f"{k} {v:g}" for k, v in info["given"].items())
    return text


def unknown_relations(examples: Sequence, ontology: Ontology) -> list[str]:
    """Relations the examples use that the ontology lacks (learning ignores them)."""
    return sorted({rel for ex in examples for _, rel, _ in ex.triples} - set(ontology.relation_labels))


def model_file(path: str | Path, *, for_writing: bool = False) -> Path:
    """The model JSON file ``path`` names: the file itself, or ``DIR/model.json``
    for a directory (for writing also for a path without a suffix)."""
    path = Path(path)
    if path.is_dir() or (for_writing and not path.suffix and not path.exists()):
        return path / MODEL_FILE
    return path


def read_model(path: str | Path) -> "ExtractionModel":
    """Load a model saved by ``kg learn``: its JSON file, or a directory holding ``model.json``."""
    from kg.text2kg.model import load_model

    given = Path(path)
    target = model_file(given)
    if not given.exists():
        raise InputError(given, "no such model file or directory")
    if not target.is_file():
        raise InputError(given, f"the directory holds no {MODEL_FILE} (write one with kg learn -o {given})")
    try:
        return load_model(target)
    except InputError as exc:
        raise InputError(target, f"not a model written by kg learn: {exc.reason}") from None
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise InputError(target, f"not a model written by kg learn: {exc}") from None


# ------------------------------------------------------------------ IRIs


def ontology_namespace(ontology: Ontology) -> str:
    """Where the terms of an ontology without IRIs (Text2KGBench JSON) are minted."""
    return f"https://w3id.org/wild-goose/ontology/{slugify(ontology.id) or 'ontology'}#"


def default_base(ontology: Ontology) -> str:
    """Default namespace of entity IRIs: ``https://w3id.org/wild-goose/id/<ontology id>/``."""
    return f"{ID_IRI}{slugify(ontology.id) or 'ontology'}/"


def check_base(base: str) -> str:
    """``base`` as a namespace: an absolute IRI ending in ``/`` or ``#`` (a ``/`` is added)."""
    import pyoxigraph as ox

    if not base.endswith(("/", "#")):
        base += "/"
    try:
        ox.NamedNode(base + "x")
    except ValueError as exc:
        raise ValueError(f"--base {base!r} is not an absolute IRI ({exc})") from None
    if not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", base):
        raise ValueError(f"--base {base!r} is not an absolute IRI (no scheme such as https:)")
    return base


def evidence_graph_iri(base: str) -> str:
    """The named graph holding the evidence (no entity slug contains a slash)."""
    return f"{base}graph/evidence"


def term_iris(ontology: Ontology) -> tuple[dict[str, str], dict[str, str]]:
    """IRIs of the classes (by name) and properties (by label): the ontology's own, else minted."""
    ns = ontology_namespace(ontology)

    def mint(name: str) -> str:
        return ns + quote(name.replace(" ", "_"), safe="_-.~")

    classes = {c.name: c.iri or mint(c.name) for c in ontology.concepts}
    for rel in ontology.relations:
        for cls in (rel.domain, rel.range):
            if cls and literal_kind(cls) is None and cls not in classes:
                classes[cls] = mint(cls)  # named by a relation, not listed among the concepts
    properties = {r.label: r.iri or mint(r.name) for r in ontology.relations}
    return classes, properties


# ------------------------------------------------------------------ literals

_INTEGER_TYPES = {"integer", "int", "long", "short", "byte", "nonnegativeinteger", "positiveinteger",
                  "negativeinteger", "nonpositiveinteger", "unsignedint", "unsignedlong",
                  "unsignedshort", "unsignedbyte"}


def _xsd_local(range_name: str | None) -> str | None:
    if range_name and range_name.lower().startswith("xsd:"):
        return range_name[4:]
    return None


def display(value: str) -> str:
    """A value as a label: outer quotes gone, underscores as spaces (``United_States``)."""
    value = value.strip()
    if len(value) > 1 and value[0] == value[-1] == '"':
        value = value[1:-1]
    return " ".join(value.replace("_", " ").split())


def _date_value(text: str, day_first: bool) -> tuple[str, str] | None:
    if re.fullmatch(r"\d{4}-\d\d-\d\d", text):
        return text, "date"
    if re.fullmatch(r"\d{4}-\d\d", text):
        return text, "gYearMonth"
    if re.fullmatch(r"\d{4}", text):
        return text, "gYear"
    iso = parse_date(text, day_first=day_first)
    if iso:
        return iso, "date"
    ym = month_year(text)
    if ym:
        return f"{ym[0]:04d}-{ym[1]:02d}", "gYearMonth"
    return None


def literal_for(value: str, relation: Relation, *, day_first: bool = True) -> tuple[str, str | None] | None:
    """``(lexical form, XSD datatype local name or None for a plain string)`` for a
    datatype property's value, or None when the range cannot take it.

    A declared ``xsd:date`` needs a full date, ``xsd:gYearMonth`` a month,
    ``xsd:gYear`` takes the year; a generic date range ("Date") takes the
    precision the text gives. A declared integer type needs a whole number
    (non-negative/positive checked), ``xsd:double``/``float``/``decimal`` any
    number; a generic number range gives ``xsd:integer`` or ``xsd:decimal``.

    >>> from kg.text2kg.ontology import Relation
    >>> literal_for("8,500", Relation("n", "n", "Company", "number"))
    ('8500', 'integer')
    >>> literal_for("1999", Relation("d", "d", "Company", "xsd:date"))
    """
    kind = relation.range_kind
    declared = (_xsd_local(relation.range) or "").lower()
    text = display(value)
    if kind == "date":
        found = _date_value(text, day_first)
        if found is None:
            return None
        iso, dtype = found
        if declared == "date":
            return (iso, "date") if dtype == "date" else None
        if declared == "gyearmonth":
            return (iso[:7], "gYearMonth") if dtype in ("date", "gYearMonth") else None
        if declared == "gyear":
            return iso[:4], "gYear"
        return iso, dtype
    if kind == "number":
        number = parse_number(text)
        if number is None:
            return None
        whole = re.fullmatch(r"-?\d+(\.0+)?", number) is not None
        if declared in _INTEGER_TYPES or (not declared and whole):
            if not whole:
                return None
            integer = int(float(number)) if "." in number else int(number)
            if (declared in ("nonnegativeinteger", "unsignedint", "unsignedlong", "unsignedshort",
                             "unsignedbyte") and integer < 0) or (declared == "positiveinteger" and integer <= 0):
                return None
            if (declared == "negativeinteger" and integer >= 0) or (declared == "nonpositiveinteger" and integer > 0):
                return None
            return str(integer), declared_name(relation) if declared in _INTEGER_TYPES else "integer"
        if declared in ("double", "float"):
            return number, declared
        return number, "decimal"
    if not text:
        return None
    return text, None


def declared_name(relation: Relation) -> str:
    """The XSD local name of a relation's range as written (``nonNegativeInteger``)."""
    return _xsd_local(relation.range) or "integer"


# ------------------------------------------------------------------ the graph


@dataclass
class GraphStatement:
    """One statement of the data graph with the sentences it was read in."""

    subject: str  # entity IRI
    property: str  # property IRI
    object: str  # entity IRI, or the lexical form of a literal
    datatype: str | None = None  # XSD local name; None: an IRI (or a plain string when literal)
    literal: bool = False
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def confidence(self) -> float:
        return noisy_or(self.evidence)

    @property
    def iri(self) -> str:
        """The reification node in the evidence graph."""
        return node_iri("statement", self.subject, self.property, self.object, self.datatype or "",
                        "literal" if self.literal else "")


@dataclass
class GraphEntity:
    iri: str
    label: str
    classes: list[str]  # class IRIs


@dataclass
class OntologyGraph:
    """What :func:`build_graph` returns: a graph in one ontology, with evidence."""

    ontology: Ontology
    base: str
    entities: list[GraphEntity] = field(default_factory=list)
    statements: list[GraphStatement] = field(default_factory=list)
    documents: list[DocInfo] = field(default_factory=list)
    sentences: int = 0
    dropped: int = 0  # statements the ontology's domain and range (or min confidence) refused
    seconds: float = 0.0

    @property
    def evidence_graph(self) -> str:
        return evidence_graph_iri(self.base)

    def quads(self) -> list:
        """The data graph (default graph): types, labels and the ontology's properties, sorted."""
        from kg.rdf import _Triples, _lit, _n

        t = _Triples()
        for e in self.entities:
            for cls in e.classes:
                t.add(e.iri, RDF + "type", _n(cls))
            t.add(e.iri, RDFS + "label", _lit(e.label))
        for s in self.statements:
            t.add(s.subject, s.property, _object(s))
        return list(t.sorted())

    def evidence_quads(self) -> list:
        """The evidence graph: each statement reified (``rdf:Statement``) with its
        ``kg:confidence`` and one ``kg:evidence`` node per sentence, and the documents."""
        import pyoxigraph as ox

        from kg.rdf import _decimal, _documents, _evidence, _n, _Triples
        from kg.vocab import KG

        t = _Triples(ox.NamedNode(self.evidence_graph))
        _documents(t, self.documents)
        for s in self.statements:
            st = s.iri
            t.add(st, RDF + "type", _n(RDF + "Statement"))
            t.add(st, RDF + "subject", _n(s.subject))
            t.add(st, RDF + "predicate", _n(s.property))
            t.add(st, RDF + "object", _object(s))
            t.add(st, KG.confidence, _decimal(s.confidence))
            for ev in s.evidence:
                _evidence(t, st, ev)
        return list(t.sorted())

    def prefixes(self) -> dict[str, str]:
        from kg.rdf import PREFIXES

        _, props = term_iris(self.ontology)
        namespaces = Counter(re.sub(r"[^#/]*$", "", iri) for iri in props.values())
        out = {k: PREFIXES[k] for k in ("rdf", "rdfs", "xsd", "kg", "prov", "dcterms")}
        if namespaces:
            out["onto"] = namespaces.most_common(1)[0][0]
        out["data"] = self.base
        return out

    def write(self, path: str | Path, *, evidence: str | Path | None = None) -> list[Path]:
        """Write the data graph to ``path`` (atomically; the format follows the
        extension). The evidence goes to ``evidence`` when given, else into
        ``path`` itself as a named graph when its format holds several graphs;
        with a triple format and no ``evidence`` file it is left out."""
        from kg.rdf import format_for, write_quads

        data = self.quads()
        written = []
        if evidence is not None:
            written.append(write_quads(self.evidence_quads(), evidence, prefixes=self.prefixes()))
        elif format_for(path).supports_datasets:
            data = data + self.evidence_quads()
        written.insert(0, write_quads(data, path, prefixes=self.prefixes()))
        return written


def _object(s: GraphStatement):
    from kg.rdf import _lit, _n

    if not s.literal:
        return _n(s.object)
    return _lit(s.object, s.datatype)


# ------------------------------------------------------------------ building


@dataclass
class _Read:
    """One extracted triple with where it was read."""

    triple: "ExtractedTriple"
    doc: DocInfo
    sentence: str
    sent_start: int  # offset of the sentence in the source text


def _is_pronoun(sent_doc, span: tuple[int, int]) -> bool:
    part = sent_doc.char_span(span[0], span[1], alignment_mode="expand")
    return part is not None and len(part) > 0 and all(
        t.tag_ in _PRONOUN_TAGS or t.pos_ == "PRON" for t in part)


#: recogniser labels of values, not of things a node can stand for
_VALUE_ENTITY_TYPES = {"DATE", "TIME", "CARDINAL", "ORDINAL", "QUANTITY", "MONEY", "PERCENT"}


def names_an_entity(sent_doc, span: tuple[int, int], *, subject: bool) -> bool:
    """Whether the text at ``span`` can be a node of the graph.

    Not a value the recogniser saw as a date, number or amount ("September",
    "more than a year"); a subject must hold a proper name or a named entity
    ("Globex", not "day"), an object at least a noun ("manufacturing"). Text
    the examples were written in (one fact per sentence) rarely needs this;
    news does.
    """
    part = sent_doc.char_span(span[0], span[1], alignment_mode="expand")
    if part is None or not len(part):
        return True
    if any(t.ent_type_ in _VALUE_ENTITY_TYPES for t in part):
        return False
    if subject:  # "Globex", "Tesla Inc.", not "Chinese" or "day"
        return part.root.pos_ in ("PROPN", "NOUN") and any(t.pos_ == "PROPN" or t.ent_type_ for t in part)
    return part.root.pos_ in ("PROPN", "NOUN") or any(t.ent_type_ for t in part)


def _read_document(document: Document, nlp, model: "ExtractionModel") -> tuple[list[_Read], int]:
    """Extract every sentence of one document; pronoun subjects stand for the latest subject."""
    from kg.text2kg.extract import ExtractedTriple, extract

    sentences = []  # (sentence doc, text, offset in the source)
    for para, parsed in zip(document.paragraphs, nlp.pipe([p.text for p in document.paragraphs])):
        for sent in parsed.sents:
            if sent.text.strip():
                sentences.append((sent.as_doc(), sent.text, para.start + sent.start_char))
    out: list[_Read] = []
    topic: str | None = None
    per_sentence = extract([], model, docs=[s[0] for s in sentences]) if sentences else []
    for (sent_doc, text, start), triples in zip(sentences, per_sentence):
        named = None
        for tr in sorted(triples, key=lambda t: -t.confidence):
            if _is_pronoun(sent_doc, tr.obj_span):
                continue
            if model.range_kind(model.ontology.relation(tr.rel)) is None and \
                    not names_an_entity(sent_doc, tr.obj_span, subject=False):
                continue  # the object becomes a node: it must name something
            if _is_pronoun(sent_doc, tr.sub_span):
                if topic is None:
                    continue
                tr = ExtractedTriple(topic, tr.rel, tr.obj, tr.confidence, tr.sub_span, tr.obj_span)
            elif not names_an_entity(sent_doc, tr.sub_span, subject=True):
                continue
            elif named is None:
                named = tr.sub
            out.append(_Read(tr, document.info, text, start))
        topic = named or topic
    return out, len(sentences)


_WORKER: dict[str, tuple] = {}  # model digest → (nlp, model), per worker process


def read_batch(shared: tuple[str, dict, str], chunk: list[Document]) -> list[tuple[list[_Read], int]]:
    """One executor task (:mod:`kg.executors`): ``(reads, sentences)`` per document of ``chunk``.

    ``shared`` is (digest, the model as its JSON data, spaCy pipeline name): the
    pipeline and the model are built once per worker process, never a parsed
    ``Doc`` travels."""
    from kg.text2kg.model import ExtractionModel
    from kg.text2kg.nlp import load_pipeline

    key, model_data, spacy_model = shared
    if key not in _WORKER:
        _WORKER.clear()
        _WORKER[key] = (load_pipeline(spacy_model), ExtractionModel.from_dict(model_data))
    nlp, model = _WORKER[key]
    return [_read_document(document, nlp, model) for document in chunk]


def _read_here(documents: Iterable[Document], nlp, model: "ExtractionModel",
               problems: list[Problem]) -> Iterator[tuple[Document, list[_Read], int]]:
    """``(document, reads, sentences)`` per document read in this process; a document
    that fails is a problem instead (per-document isolation)."""
    from kg.pipeline import document_problem

    for document in documents:
        try:
            found, n = _read_document(document, nlp, model)
        except Exception as exc:  # noqa: BLE001 - per-document isolation: reported, never fatal
            problem = document_problem(document, exc)
            log.info("%s", problem.reason, exc_info=True)  # the traceback with -v; the user gets the problem
            problems.append(problem)
            continue
        yield document, found, n


def _read_on(executor, documents: Iterable[Document], model: "ExtractionModel", spacy_model: str,
             problems: list[Problem], chunk_size: int = 8):
    """``(document, reads, sentences)`` per document, in input order, read by ``executor``
    (worker processes or a Dask cluster); only plain records travel. A document whose
    task fails is a problem instead."""
    from kg.pipeline import document_problem

    import hashlib
    import json
    from collections import deque

    data = model.to_dict()
    key = hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()
    sent: deque[Document] = deque()  # handed out and not yet back: each result meets its document

    def feed() -> Iterator[Document]:
        for document in documents:
            sent.append(document)
            yield document

    for item in executor.map(read_batch, feed(), shared=(key, data, spacy_model), batch_size=chunk_size,
                             on_failure=document_problem):
        document = sent.popleft()
        if isinstance(item, Problem):
            problems.append(item)
            continue
        found, n = item
        yield document, found, n


def build_graph(
    documents: Iterable[Document],
    model: "ExtractionModel",
    *,
    ontology: Ontology | None = None,
    base: str | None = None,
    min_confidence: float = 0.0,
    spacy_model: str | None = None,
    progress: Callable[[Document, int], None] | None = None,
    jobs: int = 1,
    dask: Any = None,
    problems: list[Problem] | None = None,
) -> OntologyGraph:
    """Read ``documents`` with ``model`` into a graph in the model's ontology.

    ``ontology`` (the same schema as the model's, e.g. read from the OWL file
    the model was learned from) gives the class and property IRIs; by default
    the model's own. ``progress(document, sentences)`` is called per document.
    ``jobs`` > 1 reads the documents in that many worker processes (each
    loads the pipeline and the model once); the graph is the same. ``dask``
    (``"local:N"``, a scheduler address or a :class:`~kg.executors.Executor`)
    reads them on a Dask cluster instead. A document whose reading fails is left out
    and appended to ``problems`` (:func:`kg.pipeline.document_problem`, as in ``kg.build``);
    the others go on.
    """
    from kg.executors import LocalProcesses, executor_for
    from kg.text2kg.extract import enforce_domain_range
    from kg.text2kg.nlp import DEFAULT_MODEL, load_pipeline

    t0 = time.perf_counter()
    ontology = ontology or model.ontology
    base = check_base(base) if base else default_base(ontology)
    graph = OntologyGraph(ontology=ontology, base=base)
    name = spacy_model or DEFAULT_MODEL
    reads: list[_Read] = []
    failed = problems if problems is not None else []
    with executor_for(dask if dask is not None or jobs <= 1 else LocalProcesses(jobs)) as executor:
        if executor is None:
            results = _read_here(documents, load_pipeline(name), model, failed)
        else:
            results = _read_on(executor, documents, model, name, failed)
        for document, found, n in results:
            reads.extend(found)
            graph.documents.append(document.info)
            graph.sentences += n
            if progress:
                progress(document, n)
    confident = [r for r in reads if r.triple.confidence >= min_confidence]
    graph.dropped = len(reads) - len(confident)
    kept_ids = {id(t) for t in enforce_domain_range([r.triple for r in confident], model.ontology,
                                                    value_kinds=model.allowed_kinds)}
    _assemble(graph, [r for r in confident if id(r.triple) in kept_ids], model, len(confident))
    graph.seconds = time.perf_counter() - t0
    return graph


def _assemble(graph: OntologyGraph, reads: list[_Read], model: "ExtractionModel", considered: int) -> None:
    """Entities, typed literals and statements with their evidence."""
    from kg.text2kg.score import normalize

    classes, props = term_iris(graph.ontology)
    names: dict[str, Counter] = {}  # entity key -> label -> count
    types: dict[str, set[str]] = {}
    rows = []  # (read, relation, subject key, object key or literal)
    for r in reads:
        rel = model.ontology.relation(r.triple.rel)
        skey = normalize(r.triple.sub)
        kind = model.range_kind(rel)
        if kind is None:
            obj: tuple = ("entity", normalize(r.triple.obj))
        else:
            # a class range the examples fill with numbers or dates: typed literals
            as_literal = rel if rel.range_kind is not None else replace(rel, range=kind)
            lit = literal_for(r.triple.obj, as_literal, day_first=model.day_first)
            if lit is None:
                continue  # the range cannot take this value
            obj = ("literal", *lit)
        rows.append((r, rel, skey, obj))
        names.setdefault(skey, Counter())[display(r.triple.sub)] += 1
        if rel.domain and rel.domain in classes:
            types.setdefault(skey, set()).add(classes[rel.domain])
        if obj[0] == "entity":
            names.setdefault(obj[1], Counter())[display(r.triple.obj)] += 1
            if rel.range and rel.range in classes:
                types.setdefault(obj[1], set()).add(classes[rel.range])
    iris = _entity_iris(graph.base, names)
    graph.entities = [
        GraphEntity(iris[key], _label(names[key]), sorted(types.get(key, ())))
        for key in sorted(names, key=lambda k: iris[k])
    ]
    statements: dict[tuple, GraphStatement] = {}
    for r, rel, skey, obj in rows:
        if obj[0] == "entity":
            key = (iris[skey], props[rel.label], iris[obj[1]], None, False)
        else:
            key = (iris[skey], props[rel.label], obj[1], obj[2], True)
        st = statements.setdefault(key, GraphStatement(*key))
        t = r.triple
        st.evidence.append(Evidence(
            document_iri(r.doc.id), r.sentence, r.sent_start, r.sent_start + len(r.sentence), EXTRACTOR,
            t.confidence, r.sent_start + t.sub_span[0], r.sent_start + t.sub_span[1],
            r.sent_start + t.obj_span[0], r.sent_start + t.obj_span[1]))
    for st in statements.values():
        st.evidence = sorted(set(st.evidence), key=lambda e: (e.document, e.sent_start, e.subject_start or 0))
    graph.statements = sorted(statements.values(), key=lambda s: (s.subject, s.property, s.object))
    graph.dropped += considered - len(rows)


def _label(counts: Counter) -> str:
    """The most frequent way the entity is written (ties: the first seen)."""
    return max(counts.items(), key=lambda kv: kv[1])[0]


def _entity_iris(base: str, names: dict[str, Counter]) -> dict[str, str]:
    """``base`` + slug of the label; keys whose slugs collide (sorted after the
    first) get a short digest of the key appended."""
    out: dict[str, str] = {}
    taken: set[str] = set()
    for key in sorted(names):
        slug = slugify(_label(names[key])) or digest(key, length=12)
        if slug in taken:
            slug = f"{slug}-{digest(key, length=6)}"
        taken.add(slug)
        out[key] = base + slug
    return out
