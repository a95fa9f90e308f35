"""``kg.build``: sources in, a graph out; the one entry point of every build mode.

read (:mod:`kg.ingest`) → map per document (:mod:`kg.pipeline`; on an executor
:mod:`kg.distribute`) → reduce over the corpus (:mod:`kg.assemble`) → the graph,
written as RDF (:mod:`kg.rdf`) or as N-Quads parts (:mod:`kg.parts`).

The modes, chosen by keyword: the plain build; ``store=DIR`` (an incremental
build into a store, :mod:`kg.incremental`); ``store=URL`` (built here, uploaded
to a Graph Store, :mod:`kg.push`); ``ontology=``/``model_dir=`` (a graph in the
user's ontology, :mod:`kg.text2kg.graph`). Each runs in one process, in
``jobs`` local processes, or on a Dask cluster (``dask=``). ``kg build`` only
parses its arguments and calls :func:`build`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.assemble import assemble
from kg.config import PipelineConfig
from kg.errors import NoInputError
from kg.graph import KnowledgeGraph
from kg.ingest import MAX_FILE_SIZE, ReadReport, read_sources
from kg.model import DocResult, Document

if TYPE_CHECKING:
    from kg.executors import Executor
    from kg.store import UpdateReport
    from kg.text2kg.graph import OntologyGraph

__all__ = ["BuildReport", "build", "assemble"]

log = logging.getLogger(__name__)

#: what a build found nothing to read in
NOTHING_TO_READ = "nothing to read: no readable text (.txt .md .html .htm .jsonl) found"


@dataclass
class BuildReport(ReadReport):
    """What a build read, skipped and produced."""

    tokens: int = 0
    entities: int = 0
    statements: int = 0
    seconds: float = 0.0
    skipped_statements: int = field(default=0)
    #: with ``store=DIR``: what the incremental build did (new, changed, unchanged, generation, ...)
    store: "UpdateReport | None" = None
    #: where the graph went: files and directories written, the Graph Store it was uploaded to
    written: list[str] = field(default_factory=list)
    #: with ``store=URL``: triples uploaded
    pushed_triples: int = 0


def build(
    paths: Iterable[str | Path] = (),
    *,
    documents: Iterable[Document] | None = None,
    output: str | Path | None = None,
    format: str | None = None,
    parts: int | None = None,
    store: str | Path | None = None,
    ontology: str | Path | None = None,
    examples: str | Path | None = None,
    model_dir: str | Path | None = None,
    base: str | None = None,
    evidence: str | Path | None = None,
    model: str | None = None,
    extractors: Sequence[str] | None = None,
    relation_model: str | None = None,
    lexicon: str | Path | None = None,
    gazetteer: str | Path | None = None,
    config: PipelineConfig | None = None,
    jobs: int = 1,
    dask: "str | Executor | None" = None,
    min_confidence: float | None = None,
    batch_size: int = 32,
    rebuild: bool = False,
    graph_iri: str | None = None,
    max_file_size: int = MAX_FILE_SIZE,
    report: BuildReport | None = None,
    progress: Callable[[Any], None] | None = None,
    on_chars: Callable[[int], None] | None = None,
    on_plan: Callable[[int | None, int | None], None] | None = None,
    on_message: Callable[[str], None] | None = None,
) -> "KnowledgeGraph | OntologyGraph":
    """Build a knowledge graph from the files and directories ``paths`` (and/or ``documents``).

    Returns the graph: a :class:`~kg.graph.KnowledgeGraph`; with ``store=DIR``
    the store's whole graph (every stored document, not only these); with
    ``ontology``/``model_dir`` a :class:`~kg.text2kg.graph.OntologyGraph`.
    Unreadable sources (and files over ``max_file_size`` bytes) are skipped and
    listed in ``report.problems``, as is a document whose extraction fails; the
    rest is built. :class:`~kg.errors.NoInputError` if nothing was readable
    (no empty graph is written). Settings are checked before any work.

    Input
        ``paths``: files or directories (.txt .md .html .htm .jsonl), read
        recursively. ``documents``: :class:`~kg.model.Document` objects, built
        before the documents of ``paths``. ``max_file_size``: larger files are
        skipped (bytes).

    Output
        ``output``: an RDF file (the format follows its extension, or
        ``format``; ``"-"`` is standard output), or a directory (a path ending
        in ``/`` or an existing directory) of N-Quads parts with a manifest,
        written by the workers when ``jobs``/``dask`` run (:mod:`kg.parts`);
        ``parts`` sets how many (default: from the graph's size and the
        workers). ``store``: a store directory (created if missing) to add the
        documents to incrementally, or the ``http(s)://`` URL of a SPARQL 1.1
        Graph Store to upload the graph to (``graph_iri``: the named graph to
        replace; default the default graph). ``batch_size``: with a store
        directory, documents per committed batch. ``rebuild``: with a store
        directory, extract documents stored with other settings again (else
        such a store is refused).

    Extraction (the Wild Goose vocabulary)
        ``model``: spaCy pipeline name. ``extractors``: relation extractors to
        run (default all). ``relation_model``: weights of the relation engine
        (a file from ``kg learn-relations``, ``"rules"``, default the bundled
        model). ``lexicon``, ``gazetteer``: files replacing the bundled ones.
        ``config``: a :class:`~kg.config.PipelineConfig` instead of these five.
        ``min_confidence``: drop relations below it (default 0; with a store
        directory, ``None`` keeps the store's setting).

    Your ontology
        ``ontology``: an OWL/RDFS file or Text2KGBench JSON; the graph uses its
        classes and properties only. ``examples``: JSONL of annotated sentences
        to learn from first. ``model_dir``: a model written by ``kg learn``
        (its ontology comes with it). ``base``: namespace of entity IRIs.
        ``evidence``: a file for the evidence graph (else it goes into
        ``output`` when that holds several graphs). ``model`` names the spaCy
        pipeline; the other extraction settings, ``store`` and ``rebuild`` do
        not apply.

    Where it runs
        ``jobs``: local worker processes. ``dask``: a Dask cluster,
        ``"local:N"``, a scheduler address ``tcp://HOST:PORT``, or an open
        :class:`~kg.executors.Executor`; the workers then read the files too
        (the paths must be visible to them). Not both. The graph is the same
        in every case.

    Telling the caller
        ``report``: filled in (:class:`BuildReport`). ``progress(record)``: per
        document done, its :class:`~kg.model.DocResult` (its
        :class:`~kg.model.Document` with an ontology). ``on_plan(documents,
        characters)``: once, before extraction, how much there is to do
        (``None`` where the driver does not know: on Dask it never sees the
        text). ``on_chars(n)``: ``n`` more characters done (not on Dask).
        ``on_message(text)``: a line worth showing (e.g. what is being learned).
    """
    t0 = time.perf_counter()
    report = report if report is not None else BuildReport()
    paths = list(paths)
    documents = list(documents) if documents is not None else None
    if jobs > 1 and dask is not None:
        raise ValueError("give jobs or dask, not both")
    _check_paths(paths, documents)
    if ontology is not None or examples is not None or model_dir is not None:
        if store is not None or rebuild or config is not None or any(
                x is not None for x in (extractors, relation_model, lexicon, gazetteer)):
            raise ValueError("with ontology/model_dir the graph is built by the text2kg extractor: store, rebuild, "
                             "config, extractors, relation_model, lexicon and gazetteer do not apply")
        graph = _build_in_ontology(
            paths, documents, ontology=ontology, examples=examples, model_dir=model_dir, base=base, evidence=evidence,
            output=output, spacy_model=model, min_confidence=min_confidence or 0.0, jobs=jobs, dask=dask,
            max_file_size=max_file_size, report=report, progress=progress, on_plan=on_plan, on_message=on_message)
        return _finished(report, graph, t0)
    if base is not None or evidence is not None:
        raise ValueError("base and evidence go with ontology or model_dir")
    config = _config(config, model=model, extractors=extractors, relation_model=relation_model, lexicon=lexicon,
                     gazetteer=gazetteer)
    _check_output(output, format)
    from kg.store import is_remote

    if store is not None and not is_remote(store):
        from kg.parts import is_parts_target

        # one cluster for extraction and parts; else none is started when nothing is new
        with _executor(dask if output is not None and is_parts_target(output) else None) as executor:
            where = executor if executor is not None else dask
            graph = _build_into_store(
                paths, documents, Path(store), config, jobs=jobs, dask=where, min_confidence=min_confidence,
                batch_size=batch_size, rebuild=rebuild, max_file_size=max_file_size, report=report,
                progress=progress, on_chars=on_chars, on_plan=on_plan)
            if output is not None:
                _write(graph, output, format=format, parts=parts, jobs=jobs, dask=where, report=report)
        return _finished(report, graph, t0)
    target = None
    if store is not None:
        from kg.push import push_target

        target = push_target(str(store), graph=graph_iri)  # a bad URL fails before any work
    with _executor(dask) as executor:
        graph = _build_here(paths, documents, config, jobs=jobs, executor=executor,
                            min_confidence=min_confidence or 0.0, max_file_size=max_file_size, report=report,
                            progress=progress, on_chars=on_chars, on_plan=on_plan)
        if output is not None:
            _write(graph, output, format=format, parts=parts, jobs=jobs, dask=executor, report=report)
    if target is not None:
        from kg.push import push_store

        pushed = push_store(graph.store(), target)
        report.pushed_triples = pushed.triples
        report.written.append(target.display)
    return _finished(report, graph, t0)


def _finished(report: BuildReport, graph: Any, t0: float) -> Any:
    """``graph``, with what every mode reports of it: its entities, statements and the time taken."""
    report.entities = len(graph.entities)
    report.statements = len(graph.statements)
    report.seconds = time.perf_counter() - t0
    return graph


# -- checks before any work --------------------------------------------------------------------
def _check_paths(paths: list[str | Path], documents: list[Document] | None) -> None:
    """:class:`~kg.errors.NoInputError` when no input path exists; a missing one among others is skipped."""
    missing = [str(p) for p in paths if not Path(p).exists()]
    if missing and len(missing) == len(paths) and not documents:
        raise NoInputError(", ".join(missing), "no such file or directory; nothing to read")


def _config(config: PipelineConfig | None, **settings: Any) -> PipelineConfig:
    """The map step's settings, checked (a broken model file, an unknown extractor fail here)."""
    from kg.extract.engine import DEFAULT_MODEL, load_relation_model

    given = {k: v for k, v in settings.items() if v is not None}
    if config is not None and given:
        raise ValueError(f"give config or {', '.join(sorted(given))}, not both")
    if config is None:
        extractors = given.get("extractors")
        config = PipelineConfig(
            model=given.get("model"),
            lexicon=str(given["lexicon"]) if "lexicon" in given else None,
            gazetteer=str(given["gazetteer"]) if "gazetteer" in given else None,
            extractors=tuple(extractors) if extractors is not None else None,
            relation_model=given.get("relation_model") or DEFAULT_MODEL,
        )
    load_relation_model(config.relation_model)
    if config.extractors is not None:
        from kg.extract.registry import get_extractors

        get_extractors(config.extractors)
    return config


def _check_output(output: str | Path | None, format: str | None) -> None:
    from kg.parts import check_target, is_parts_target
    from kg.rdf import format_for

    if output is not None and is_parts_target(output):
        check_target(output)  # a store or someone's folder is refused before any work
    elif output is not None:
        format_for(output, format)  # an unknown extension fails before any work


def _executor(dask: "str | Executor | None") -> Any:
    from kg.executors import executor_for

    return executor_for(dask)


def _read_here(paths: list[str | Path], documents: list[Document] | None, report: ReadReport, *,
               max_file_size: int) -> list[Document]:
    """The documents given, then those read from ``paths``; :class:`NoInputError` if there are none."""
    docs = list(documents or [])
    report.documents += len(docs)
    docs += read_sources(paths, report, max_file_size=max_file_size)
    if not docs:
        where = ", ".join(str(p) for p in paths) or "the documents given"
        raise NoInputError(where, NOTHING_TO_READ)
    return docs


# -- the modes ---------------------------------------------------------------------------------
def _build_here(
    paths: list[str | Path],
    documents: list[Document] | None,
    config: PipelineConfig,
    *,
    jobs: int,
    executor: "Executor | None",
    min_confidence: float,
    max_file_size: int,
    report: BuildReport,
    progress: Callable[[Any], None] | None,
    on_chars: Callable[[int], None] | None,
    on_plan: Callable[[int | None, int | None], None] | None,
) -> KnowledgeGraph:
    """Map and reduce in this process, in local processes or on ``executor``."""
    from kg.distribute import extract_sources
    from kg.pipeline import process_documents

    results: list[DocResult] = []
    if executor is not None and documents is None:  # the workers read the files too
        if on_plan is not None:
            on_plan(None, None)
        stream = extract_sources(paths, config, executor, report, max_file_size=max_file_size)
    else:
        docs = _read_here(paths, documents, report, max_file_size=max_file_size)
        if on_plan is not None:
            on_plan(len(docs), sum(d.n_chars for d in docs))
        stream = process_documents(docs, config, jobs=jobs, executor=executor, problems=report.problems,
                                   on_chars=on_chars)
    for res in stream:
        results.append(res)
        report.tokens += res.n_tokens
        if progress:
            progress(res)
    if not report.documents:  # the workers found nothing readable
        raise NoInputError(", ".join(str(p) for p in paths), NOTHING_TO_READ)
    graph = assemble(results, config=config, min_confidence=min_confidence)
    return graph


def _build_into_store(
    paths: list[str | Path],
    documents: list[Document] | None,
    root: Path,
    config: PipelineConfig,
    *,
    jobs: int,
    dask: "str | Executor | None",
    min_confidence: float | None,
    batch_size: int,
    rebuild: bool,
    max_file_size: int,
    report: BuildReport,
    progress: Callable[[Any], None] | None,
    on_chars: Callable[[int], None] | None,
    on_plan: Callable[[int | None, int | None], None] | None,
) -> KnowledgeGraph:
    """The incremental build: new and changed documents are extracted; the store's whole graph is returned."""
    from kg.incremental import update
    from kg.store import GraphStore

    with GraphStore.open(root) as gs:  # the write lock is taken before any work
        docs = _read_here(paths, documents, report, max_file_size=max_file_size)
        done = update(
            gs, docs, config=config, min_confidence=min_confidence, jobs=jobs, batch_size=batch_size,
            rebuild=rebuild, progress=progress, on_plan=(lambda n: on_plan(n, None)) if on_plan else None,
            on_chars=on_chars, problems=report.problems, dask=dask)
        report.store = done
        report.tokens += done.tokens
        graph = gs.graph()
    return graph


def _build_in_ontology(
    paths: list[str | Path],
    documents: list[Document] | None,
    *,
    ontology: str | Path | None,
    examples: str | Path | None,
    model_dir: str | Path | None,
    base: str | None,
    evidence: str | Path | None,
    output: str | Path | None,
    spacy_model: str | None,
    min_confidence: float,
    jobs: int,
    dask: "str | Executor | None",
    max_file_size: int,
    report: BuildReport,
    progress: Callable[[Any], None] | None,
    on_plan: Callable[[int | None, int | None], None] | None,
    on_message: Callable[[str], None] | None,
) -> "OntologyGraph":
    """Load or learn the model, then read the documents into a graph in the user's ontology."""
    from kg.errors import OntologyError
    from kg.rdf import format_for
    from kg.text2kg.graph import build_graph, check_base, describe_operating_point, learn_model, read_model
    from kg.text2kg.learn import read_examples
    from kg.text2kg.ontology import load_ontology

    if examples is not None and model_dir is not None:
        raise ValueError("give examples (learn now) or model_dir (a model kg learn wrote), not both")
    if ontology is None and model_dir is None:
        raise ValueError("examples need the ontology they are in")
    if output is not None:
        from kg.parts import check_target, is_parts_target

        if is_parts_target(output):
            check_target(output)
        else:
            format_for(output)
    if evidence is not None:
        format_for(evidence)
    if base is not None:
        base = check_base(base)
    onto = load_ontology(ontology) if ontology is not None else None
    if model_dir is not None:
        extraction = read_model(model_dir)
        if onto is not None and onto.schema_key() != extraction.ontology.schema_key():
            raise OntologyError(
                f"{ontology}: differs from the ontology of the model {model_dir} "
                f"({_difference(onto, extraction.ontology)}); leave out --ontology or learn the model again")
    else:
        assert onto is not None
        exs = read_examples(examples) if examples is not None else []
        _warn_unknown_relations(examples, exs, onto, on_message)
        if on_message:
            what = f"{len(exs)} examples" if examples is not None else "relation labels and domain/range only"
            on_message(f"learning from {what} for {len(onto.relations)} relations ...")
        extraction = learn_model(exs, onto, spacy_model=spacy_model, progress=on_message)
        if on_message:
            on_message(describe_operating_point(extraction))
    docs = _read_here(paths, documents, report, max_file_size=max_file_size)
    if on_plan is not None:
        on_plan(len(docs), None)
    graph = build_graph(docs, extraction, ontology=onto, base=base, min_confidence=min_confidence,
                        spacy_model=spacy_model, progress=(lambda doc, _n: progress(doc)) if progress else None,
                        jobs=jobs, dask=dask, problems=report.problems)
    if output is not None:
        from kg.parts import is_parts_target, write_quad_parts

        if is_parts_target(output):
            data = graph.quads() + (graph.evidence_quads() if evidence is None else [])
            write_quad_parts([data], Path(output), run=None)
            report.written.append(str(output))
            if evidence is not None:
                report.written += [str(p) for p in graph.write(evidence)]
        else:
            report.written += [str(p) for p in graph.write(output, evidence=evidence)]
    return graph


# -- writing -----------------------------------------------------------------------------------
def _write(graph: KnowledgeGraph, output: str | Path, *, format: str | None, parts: int | None, jobs: int,
           dask: "str | Executor | None", report: BuildReport) -> None:
    from kg.parts import is_parts_target, write_parts

    if is_parts_target(output):
        with _executor(dask) as executor:
            write_parts(graph, Path(output), parts=parts, executor=executor, jobs=jobs)
        report.written.append(str(output))
        return
    graph.write(output, format=format)
    report.written.append("standard output" if str(output) == "-" else str(output))


def _warn_unknown_relations(path: object, examples: list, onto: Any,
                            on_message: Callable[[str], None] | None) -> None:
    """Say which relations of the examples the ontology lacks (a typo loses them silently otherwise)."""
    from kg.text2kg.graph import unknown_relations

    unknown = unknown_relations(examples, onto)
    if unknown:
        text = f"warning {path}: relations not in the ontology, ignored: {', '.join(unknown)}"
        log.warning("%s", text)
        if on_message:
            on_message(text)


def _difference(a: Any, b: Any) -> str:
    """A short account of how two ontologies differ."""
    rel_a = {r.label: (r.domain, r.range, r.iri) for r in a.relations}
    rel_b = {r.label: (r.domain, r.range, r.iri) for r in b.relations}
    only_a, only_b = sorted(set(rel_a) - set(rel_b)), sorted(set(rel_b) - set(rel_a))
    if only_a or only_b:
        return f"relations only in the file: {', '.join(only_a) or '-'}; only in the model: {', '.join(only_b) or '-'}"
    changed = sorted(k for k in rel_a if rel_a[k] != rel_b[k])
    if changed:
        return f"domain, range or IRI of {', '.join(changed[:5])} differ"
    return "classes, class IRIs or disjointness differ"
