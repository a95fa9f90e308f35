"""The map step: documents in, :class:`~kg.model.DocResult` records out.

Paragraphs of many documents are parsed through ``nlp.pipe`` in chunks of at
most :data:`PART_CHARS` characters; each document's mentions, resolved
references and candidate relations are collected into plain records. A longer
document is extracted part by part (whole paragraphs) and its parts' records
joined, so no document holds more than one chunk of spaCy ``Doc`` objects and
its cost grows linearly with its size. A document whose parsing or extraction
fails is reported and left out; the others go on. With ``jobs > 1`` documents
are spread over worker processes, each loading the pipeline once; only plain
records come back.
"""

from __future__ import annotations

import bisect
import itertools
import logging
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace

from typing import TYPE_CHECKING

from spacy.tokens import Doc

from kg.extract.engine import decide, load_relation_model
from kg.extract.facts import extract_facts
from kg.extract.mentions import find_mentions
from kg.extract.pairs import candidates
from kg.extract.references import resolve_references
from kg.extract.variants import find_variants
from kg.extract.registry import SentenceContext, get_extractors
from kg.lexicon import Lexicon, gazetteer_index, load_lexicon
from kg.config import PipelineConfig  # the settings live apart, so the store reads them without spaCy
from kg.model import DocResult, Document, Mention, Problem, Relation

if TYPE_CHECKING:
    from kg.executors import Executor

__all__ = ["PipelineConfig", "process_documents", "document_problem"]

log = logging.getLogger(__name__)

#: dependency labels of a grammatical subject (a pronoun prefers one as antecedent)
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})


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
        k = bisect.bisect_right(starts, m.start) - 1  # the last paragraph starting at or before it
        if k >= 0:
            by_para.setdefault(k, []).append((idx, m))
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
                    found = decide(engine, cands, found, ctx.relation)
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


#: characters parsed together: a longer document is extracted in parts of at most this size
#: (cut between paragraphs), so memory per document is bounded and its cost linear in its size
PART_CHARS = 100_000


def _parts(document: Document) -> list[Document]:
    """``document`` as consecutive parts of at most :data:`PART_CHARS` characters (whole paragraphs;
    the cuts depend on the document alone, so a document gives the same result in any batch)."""
    limit = PART_CHARS
    if document.n_chars <= limit:
        return [document]
    parts: list[Document] = []
    run: list = []
    size = 0
    for para in document.paragraphs:
        if run and size + len(para.text) > limit:
            parts.append(Document(document.info, tuple(run)))
            run, size = [], 0
        run.append(para)
        size += len(para.text)
    parts.append(Document(document.info, tuple(run)))
    return parts


def _merge(done: DocResult, more: DocResult) -> DocResult:
    """The result of two consecutive parts of one document (mention indices of ``more`` shifted)."""
    k = len(done.mentions)
    done.mentions.extend(replace(m, antecedent=None if m.antecedent is None else m.antecedent + k) for m in more.mentions)
    done.relations.extend(replace(r, subject=r.subject + k, object=r.object + k) for r in more.relations)
    done.facts.extend(replace(f, subject=f.subject + k) for f in more.facts)
    done.n_tokens += more.n_tokens
    return done


def _chunks(documents: Iterable[Document]) -> Iterator[list[tuple[int, Document, bool]]]:
    """(document number, part, is last part) in groups of at most :data:`PART_CHARS` characters."""
    chunk: list[tuple[int, Document, bool]] = []
    size = 0
    for n, document in enumerate(documents):
        parts = _parts(document)
        for k, part in enumerate(parts):
            if chunk and size + part.n_chars > PART_CHARS:
                yield chunk
                chunk, size = [], 0
            chunk.append((n, part, k == len(parts) - 1))
            size += part.n_chars
    if chunk:
        yield chunk


def _failure(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"extraction failed ({type(exc).__name__}: {text[0][:200] if text else 'no message'})"


def document_problem(document: Document, exc: BaseException) -> Problem:
    """What a document whose extraction raised ``exc`` becomes: a :class:`~kg.model.Problem`,
    reported (``skipped SOURCE: document ID: extraction failed (...)``) and left out while
    the others go on; the one per-document isolation of ``kg build``, ``kg build --ontology``
    and every executor."""
    return Problem(document.info.source, f"document {document.id}: {_failure(exc)}")


def _parse(nlp: "object", chunk: list[tuple[int, Document, bool]], batch_size: int) -> list[list[Doc] | str]:
    """Each part of ``chunk`` parsed by spaCy, or why it could not be (only that part is lost)."""
    texts = [p.text for _n, part, _last in chunk for p in part.paragraphs]
    try:
        parsed = list(nlp.pipe(texts, batch_size=batch_size))  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001 - one part failed: find it by parsing the parts one by one
        out: list[list[Doc] | str] = []
        for _n, part, _last in chunk:
            try:
                out.append(list(nlp.pipe([p.text for p in part.paragraphs], batch_size=batch_size)))  # type: ignore[attr-defined]
            except Exception as exc:  # noqa: BLE001 - per-document isolation: reported, never fatal
                log.info("document %s: %s", part.info.id, _failure(exc), exc_info=True)  # reported as a problem
                out.append(_failure(exc))
        return out
    out, i = [], 0
    for _n, part, _last in chunk:
        out.append(parsed[i : i + len(part.paragraphs)])
        i += len(part.paragraphs)
    return out


def _process_serial(documents: Iterable[Document], config: PipelineConfig,
                    on_chars: Callable[[int], None] | None = None) -> Iterator[DocResult | Problem]:
    """Results of ``documents`` in order; a document that fails is a :class:`Problem` instead."""
    from kg.nlp import load_pipeline

    nlp = load_pipeline(config.model, gazetteer=config.gazetteer)
    lex = load_lexicon(config.lexicon)
    current: DocResult | str | None = None  # the parts of the document being extracted so far
    for chunk in _chunks(documents):
        for (_n, part, last), parsed in zip(chunk, _parse(nlp, chunk, config.batch_size)):
            if not isinstance(current, str):  # once a part failed, the document is lost
                if isinstance(parsed, str):
                    current = parsed
                else:
                    try:
                        result = _finish(part, parsed, lex, config)
                    except Exception as exc:  # noqa: BLE001 - per-document isolation: reported, never fatal
                        log.info("document %s: %s", part.info.id, _failure(exc), exc_info=True)  # reported as a problem
                        current = _failure(exc)
                    else:
                        current = result if current is None else _merge(current, result)
            if last:
                yield Problem(part.info.source, f"document {part.info.id}: {current}") if isinstance(current, str) else current  # type: ignore[misc]
                current = None
        if on_chars is not None:
            on_chars(sum(part.n_chars for _n, part, _last in chunk))


_WORKER_CONFIG: PipelineConfig | None = None


def _worker_init(config: PipelineConfig) -> None:
    global _WORKER_CONFIG
    _WORKER_CONFIG = config


def _worker_run(chunk: list[Document]) -> tuple[list[DocResult | Problem], int]:
    assert _WORKER_CONFIG is not None
    return list(_process_serial(chunk, _WORKER_CONFIG)), sum(d.n_chars for d in chunk)


def extract_batch(config: PipelineConfig, documents: list[Document]) -> list[DocResult | Problem]:
    """One executor task (:mod:`kg.executors`): the results of ``documents``, in order, as plain data;
    a document whose extraction fails is a :class:`~kg.model.Problem` instead (per-document isolation)."""
    return list(_process_serial(documents, config))


def process_documents(
    documents: Iterable[Document],
    config: PipelineConfig | None = None,
    *,
    jobs: int = 1,
    chunk_size: int = 32,
    executor: "Executor | None" = None,
    problems: list[Problem] | None = None,
    on_chars: Callable[[int], None] | None = None,
) -> Iterator[DocResult]:
    """Extract every document, in input order.

    A document whose extraction fails is left out and appended to ``problems``
    (the others go on); ``on_chars(n)`` is told each time ``n`` more characters
    are done, also within one long document (with ``jobs > 1``: per worker task;
    with an ``executor``: per document). With an ``executor`` (:mod:`kg.executors`,
    e.g. a Dask cluster) the documents are extracted there in batches of
    ``chunk_size``; a document whose task fails is a problem too.
    """
    config = config or PipelineConfig()
    failed = problems if problems is not None else []

    def results(items: Iterable[DocResult | Problem]) -> Iterator[DocResult]:
        for item in items:
            if isinstance(item, Problem):
                failed.append(item)
            else:
                yield item

    if executor is not None:
        sizes: deque[int] = deque()  # n_chars of each document sent, in order (one item back per document)

        def sent() -> Iterator[Document]:
            for doc in documents:
                sizes.append(doc.n_chars)
                yield doc

        items = executor.map(extract_batch, sent(), shared=config, batch_size=chunk_size,
                             on_failure=document_problem)
        for item in items:
            chars = sizes.popleft() if sizes else 0
            yield from results([item])
            if on_chars is not None:
                on_chars(chars)
        return
    if jobs <= 1:
        yield from results(_process_serial(documents, config, on_chars))
        return
    import multiprocessing as mp

    ctx = mp.get_context("spawn")
    it = iter(documents)
    chunks = iter(lambda: list(itertools.islice(it, chunk_size)), [])
    with ctx.Pool(jobs, initializer=_worker_init, initargs=(config,)) as pool:
        for items, chars in pool.imap(_worker_run, chunks):
            yield from results(items)
            if on_chars is not None:
                on_chars(chars)
