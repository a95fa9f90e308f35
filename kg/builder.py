"""``kg.build``: sources in, :class:`~kg.graph.KnowledgeGraph` out.

read (:mod:`kg.ingest`) → map per document (:mod:`kg.pipeline`) → reduce over
the corpus (:mod:`kg.resolve`) → statements with evidence → graph.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from kg import __version__
from kg.graph import Evidence, KnowledgeGraph, Observation, RunInfo, Statement
from kg.ingest import MAX_FILE_SIZE, ReadReport, read_sources
from kg.iri import digest, document_iri
from kg.lexicon import load_lexicon
from kg.model import DocResult, Document
from kg.pipeline import PipelineConfig, process_documents
from kg.executors import Executor, executor_for
from kg.distribute import extract_sources
from kg.resolve import resolve

__all__ = ["BuildReport", "build", "assemble"]

log = logging.getLogger(__name__)


@dataclass
class BuildReport(ReadReport):
    """What a build read, skipped and produced."""

    tokens: int = 0
    entities: int = 0
    statements: int = 0
    seconds: float = 0.0
    skipped_statements: int = field(default=0)


def build(
    paths: Iterable[str | Path] = (),
    *,
    documents: Iterable[Document] | None = None,
    config: PipelineConfig | None = None,
    jobs: int = 1,
    min_confidence: float = 0.0,
    report: BuildReport | None = None,
    progress: Callable[[DocResult], None] | None = None,
    on_chars: Callable[[int], None] | None = None,
    max_file_size: int = MAX_FILE_SIZE,
    dask: "str | Executor | None" = None,
) -> KnowledgeGraph:
    """Build a knowledge graph from files/directories ``paths`` (or ``documents``).

    Unreadable sources (and files over ``max_file_size`` bytes) are skipped and
    listed in ``report.problems``, as is a document whose extraction fails; the
    rest is built. ``progress`` is called per document, ``on_chars(n)`` as each
    ``n`` characters are done. ``dask`` runs the map step on a Dask cluster
    (``"local:N"``, a scheduler address, or an open :class:`~kg.executors.Executor`);
    the workers then read the files as well (``on_chars`` is then not called: the
    driver never sees the text). The graph is the same as in one process.
    """
    import time

    t0 = time.perf_counter()
    report = report if report is not None else BuildReport()
    config = config or PipelineConfig()
    results = []
    with executor_for(dask) as executor:
        if executor is not None and documents is None:  # the workers read the files too
            stream = extract_sources(paths, config, executor, report, max_file_size=max_file_size)
        else:
            docs = documents if documents is not None else read_sources(paths, report, max_file_size=max_file_size)
            stream = process_documents(docs, config, jobs=jobs, executor=executor, problems=report.problems,
                                       on_chars=on_chars)
        for res in stream:
            results.append(res)
            report.tokens += res.n_tokens
            if documents is not None:
                report.documents += 1
            if progress:
                progress(res)
    graph = assemble(results, config=config, min_confidence=min_confidence)
    report.entities = len(graph.entities)
    report.statements = len(graph.statements)
    report.seconds = time.perf_counter() - t0
    return graph


def _run_info(results: list[DocResult], config: PipelineConfig) -> RunInfo:
    from kg.nlp import resolve_model_name

    model = resolve_model_name(config.model)
    ident = digest(__version__, model, repr(config), *sorted(r.info.id for r in results))
    started = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
    return RunInfo(id=ident, started=started, software_version=__version__, model=model)


def assemble(
    results: list[DocResult], *, config: PipelineConfig | None = None, min_confidence: float = 0.0
) -> KnowledgeGraph:
    """The reduce: resolve entities across ``results`` and attach statements."""
    config = config or PipelineConfig()
    lex = load_lexicon(config.lexicon)
    resolution = resolve(results, lex)
    me = resolution.mention_entity
    statements: dict[tuple[str, str, str, str | None, str | None], Statement] = {}
    observations: dict[tuple[str, str, str, str, str | None], Observation] = {}
    for res in results:
        doc_iri = document_iri(res.info.id)
        for rel in res.relations:
            s, o = me.get((res.info.id, rel.subject)), me.get((res.info.id, rel.object))
            if s is None or o is None or s == o or rel.confidence < min_confidence:
                continue
            if rel.property in ("partnerOf", "relatedTo") and o < s and not rel.predicate_text:
                s, o = o, s  # symmetric: one direction only
            sm, om = res.mentions[rel.subject], res.mentions[rel.object]
            key = (s, rel.property, o, rel.role, rel.predicate_text)
            st = statements.setdefault(key, Statement(s, rel.property, o, role=rel.role, predicate_text=rel.predicate_text))
            st.evidence.append(
                Evidence(doc_iri, rel.sentence, rel.sent_start, rel.sent_end, rel.extractor, rel.confidence,
                         sm.start, sm.end, om.start, om.end)
            )
        for fact in res.facts:
            s = me.get((res.info.id, fact.subject))
            if s is None or fact.confidence < min_confidence:
                continue
            sm = res.mentions[fact.subject]
            okey = (s, fact.measure, fact.value, fact.unit, fact.date)
            ob = observations.setdefault(okey, Observation(s, fact.measure, fact.value, fact.unit, fact.date))
            ob.evidence.append(
                Evidence(doc_iri, fact.sentence, fact.sent_start, fact.sent_end, fact.extractor, fact.confidence,
                         sm.start, sm.end)
            )
    for st in statements.values():
        st.evidence = sorted(set(st.evidence), key=lambda e: (e.document, e.sent_start, e.extractor, e.subject_start or 0))
    return KnowledgeGraph(
        documents=[r.info for r in results],
        entities=resolution.entities,
        statements=sorted(statements.values(), key=lambda s: (s.subject, s.property, s.object, s.role or "")),
        observations=sorted(observations.values(), key=lambda o: (o.subject, o.measure, o.value)),
        run=_run_info(results, config),
    )
