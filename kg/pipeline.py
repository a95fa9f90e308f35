"""The map step: documents in, :class:`~kg.model.DocResult` records out.

Paragraphs of many documents are streamed through ``nlp.pipe`` in batches;
each document's mentions, resolved references and candidate relations are
collected into plain records. With ``jobs > 1`` documents are spread over
worker processes, each loading the pipeline once; only plain records come back.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from typing import TYPE_CHECKING

from spacy.tokens import Doc

from kg.extract.engine import DEFAULT_MODEL, decide, load_relation_model
from kg.extract.facts import extract_facts
from kg.extract.mentions import find_mentions
from kg.extract.pairs import candidates
from kg.extract.references import resolve_references
from kg.extract.variants import find_variants
from kg.extract.registry import SentenceContext, get_extractors
from kg.lexicon import Lexicon, gazetteer_index, load_lexicon
from kg.model import DocResult, Document, Mention, Problem, Relation

if TYPE_CHECKING:
    from kg.executors import Executor

__all__ = ["PipelineConfig", "process_documents"]

log = logging.getLogger(__name__)

#: dependency labels of a grammatical subject (a pronoun prefers one as antecedent)
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})


@dataclass(frozen=True)
class PipelineConfig:
    """Settings of the map step (hashable: it keys caches and worker state)."""

    model: str | None = None
    lexicon: str | None = None
    gazetteer: str | None = None
    extractors: tuple[str, ...] | None = None
    batch_size: int = 128
    #: the relation engine's weights: "default" (bundled), a file, or "rules" (hand-written extractors alone)
    relation_model: str | None = DEFAULT_MODEL
    #: keep every candidate pair and its features on the DocResult (training data)
    collect_candidates: bool = False


def _mention_spans(doc: Doc, offset: int, mentions: Sequence[tuple[int, Mention]]) -> list[tuple[int, Mention, object]]:
    out = []
    for idx, m in mentions:
        span = doc.char_span(m.start - offset, m.end - offset, alignment_mode="expand")
        if span is not None:
            out.append((idx, m, span))
    return out


def _finish(document: Document, parsed: list[Doc], lex: Lexicon, config: PipelineConfig) -> DocResult:
    gazetteer = gazetteer_index(config.gazetteer)
    raw: list[Mention] = []
    for para, doc in zip(document.paragraphs, parsed):
        raw.extend(find_mentions(doc, para.start, lex, gazetteer))
    raw = find_variants([(p.start, d) for p, d in zip(document.paragraphs, parsed)], raw)
    subjects = sorted(
        para.start + t.idx for para, doc in zip(document.paragraphs, parsed) for t in doc if t.dep_ in SUBJECT_DEPS
    )
    sentences = [para.start + sent.start_char for para, doc in zip(document.paragraphs, parsed) for sent in doc.sents]
    mentions = resolve_references(raw, lex, subjects=subjects, sentence_starts=sentences)
    result = DocResult(info=document.info, mentions=mentions, n_tokens=sum(len(d) for d in parsed))
    chosen = get_extractors(config.extractors)
    engine = load_relation_model(config.relation_model)
    by_para: dict[int, list[tuple[int, Mention]]] = {}
    starts = [p.start for p in document.paragraphs]
    for idx, m in enumerate(mentions):
        for k in range(len(starts) - 1, -1, -1):
            if m.start >= starts[k]:
                by_para.setdefault(k, []).append((idx, m))
                break
    for k, (para, doc) in enumerate(zip(document.paragraphs, parsed)):
        spans = _mention_spans(doc, para.start, by_para.get(k, []))
        for sent in doc.sents:
            inside = [(i, m, s) for i, m, s in spans if s.start >= sent.start and s.end <= sent.end]  # type: ignore[attr-defined]
            if not inside:
                continue  # every relation and fact needs a mention in its sentence
            ctx = SentenceContext(sent, para.start, inside, mentions, lex)
            found: list[Relation] = []
            for _name, extractor in chosen:
                found.extend(extractor(ctx))
            if engine is not None or config.collect_candidates:
                cands = candidates(inside, mentions, found)
                if config.collect_candidates:
                    result.candidates.extend(_with_start(c, ctx.start) for c in cands)
                if engine is not None:
                    found = decide(engine, cands, found, ctx.relation, mentions)
            result.relations.extend(_prefer_core(found))
            result.facts.extend(extract_facts(ctx, document.info.date))
    return result


def _with_start(c, start: int):
    from dataclasses import replace

    return replace(c, sent_start=start)


def _prefer_core(relations: list[Relation]) -> list[Relation]:
    """Drop a ``relatedTo`` between two mentions that a core relation already links in this sentence."""
    if len(relations) < 2:
        return relations
    core = {frozenset((r.subject, r.object)) for r in relations if r.property != "relatedTo"}
    return [r for r in relations if r.property != "relatedTo" or frozenset((r.subject, r.object)) not in core]


def _process_serial(documents: Iterable[Document], config: PipelineConfig) -> Iterator[DocResult]:
    from kg.nlp import load_pipeline

    nlp = load_pipeline(config.model, gazetteer=config.gazetteer)
    lex = load_lexicon(config.lexicon)
    pending: dict[int, tuple[Document, list[Doc]]] = {}
    docs_iter = iter(enumerate(documents))

    def paragraphs() -> Iterator[tuple[str, tuple[int, int]]]:
        for n, document in docs_iter:
            pending[n] = (document, [])
            if not document.paragraphs:
                continue
            for k, para in enumerate(document.paragraphs):
                yield para.text, (n, k)

    next_out = 0
    for doc, (n, k) in nlp.pipe(paragraphs(), as_tuples=True, batch_size=config.batch_size):
        document, parsed = pending[n]
        parsed.append(doc)
        # documents finish in order; emit every finished one
        while next_out in pending and len(pending[next_out][1]) == len(pending[next_out][0].paragraphs):
            document, parsed = pending.pop(next_out)
            yield _finish(document, parsed, lex, config)
            next_out += 1
    while next_out in pending:
        document, parsed = pending.pop(next_out)
        yield _finish(document, parsed, lex, config)
        next_out += 1


_WORKER_CONFIG: PipelineConfig | None = None


def _worker_init(config: PipelineConfig) -> None:
    global _WORKER_CONFIG
    _WORKER_CONFIG = config


def _worker_run(chunk: list[Document]) -> list[DocResult]:
    assert _WORKER_CONFIG is not None
    return list(_process_serial(chunk, _WORKER_CONFIG))


def extract_batch(config: PipelineConfig, documents: list[Document]) -> list[DocResult]:
    """One executor task (:mod:`kg.executors`): the results of ``documents``, in order, as plain data."""
    return list(_process_serial(documents, config))


def process_documents(
    documents: Iterable[Document], config: PipelineConfig | None = None, *, jobs: int = 1, chunk_size: int = 32,
    executor: "Executor | None" = None, problems: list[Problem] | None = None,
) -> Iterator[DocResult]:
    """Extract every document, in input order.

    With an ``executor`` (:mod:`kg.executors`, e.g. a Dask cluster) the
    documents are extracted there in batches of ``chunk_size``; a document
    whose task fails is appended to ``problems`` and left out.
    """
    config = config or PipelineConfig()
    if executor is not None:
        failed = problems if problems is not None else []
        for item in executor.map(extract_batch, documents, shared=config, batch_size=chunk_size,
                                 on_failure=lambda doc, exc: Problem(doc.info.source, f"document {doc.id}: "
                                                                     f"extraction failed ({type(exc).__name__}: {exc})")):
            if isinstance(item, Problem):
                failed.append(item)
            else:
                yield item
        return
    if jobs <= 1:
        yield from _process_serial(documents, config)
        return
    import multiprocessing as mp

    ctx = mp.get_context("spawn")
    it = iter(documents)
    chunks = iter(lambda: list(itertools.islice(it, chunk_size)), [])
    with ctx.Pool(jobs, initializer=_worker_init, initargs=(config,)) as pool:
        for results in pool.imap(_worker_run, chunks):
            yield from results
