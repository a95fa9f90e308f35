"""The map step on an executor, from files: the workers read and extract them.

The driver only lists the files (:func:`kg.ingest.iter_files`); each task reads
a batch of files (:func:`kg.ingest.read_file`) and extracts their documents
(:func:`kg.pipeline.extract_batch`) on a worker, and only plain records come
back: per file, the documents' :class:`~kg.model.DocResult` records and what was
skipped. The driver then gives document ids their uniqueness suffix exactly as
:func:`kg.ingest.read_sources` does, so the records — and the graph — are those
of the one-process build, in input order. With a remote cluster the paths must
be visible to the workers at the same place (a shared file system).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from kg.errors import InputError
from kg.executors import Executor
from kg.ingest import MAX_FILE_SIZE, ReadReport, iter_files, read_file
from kg.model import DocInfo, DocResult, Problem
from kg.pipeline import PipelineConfig, extract_batch

__all__ = ["extract_sources"]

log = logging.getLogger(__name__)

#: files per task
FILES_PER_TASK = 16


@dataclass(slots=True)
class FileOutcome:
    """What one file gave on a worker: per document its record (or the :class:`Problem` of a
    document whose extraction failed), what was skipped while reading, or why the file was."""

    results: list[DocResult | Problem] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    readable: bool = True
    ids: list[str] = field(default_factory=list)  # the document ids as read, one per result


def read_and_extract(config: PipelineConfig, files: list[tuple[str, str]],
                     max_file_size: int = MAX_FILE_SIZE) -> list[FileOutcome]:
    """One executor task: read ``files`` (path, document id) and extract their documents."""
    out = []
    for path, ident in files:
        try:
            docs, problems = read_file(path, doc_id=ident, max_file_size=max_file_size)
        except InputError as exc:
            out.append(FileOutcome(problems=[Problem(exc.path, exc.reason)], readable=False))
            continue
        out.append(FileOutcome(extract_batch(config, docs), problems, ids=[d.id for d in docs]))
    return out


@dataclass(frozen=True, slots=True)
class _Shared:
    """What every task of :func:`extract_sources` shares."""

    config: PipelineConfig
    max_file_size: int


def _read_and_extract(shared: _Shared, files: list[tuple[str, str]]) -> list[FileOutcome]:
    return read_and_extract(shared.config, files, shared.max_file_size)


def extract_sources(paths: Iterable[str | Path], config: PipelineConfig, executor: Executor,
                    report: ReadReport, *, max_file_size: int = MAX_FILE_SIZE) -> Iterator[DocResult]:
    """The records of every document under ``paths``, read and extracted by ``executor``, in input order.

    A document whose extraction failed comes back as a :class:`Problem` and is added
    to ``report.problems`` (counted as read, as :func:`kg.ingest.read_sources` counts it),
    never yielded as a result."""
    files = [(str(path), ident) for path, ident in iter_files(paths, report.problems)]
    used: set[str] = set()

    def failed(item: tuple[str, str], exc: BaseException) -> FileOutcome:
        return FileOutcome(problems=[Problem(item[0], f"extraction failed ({type(exc).__name__}: {exc})")],
                           readable=False)

    for outcome in executor.map(_read_and_extract, files, shared=_Shared(config, max_file_size),
                                batch_size=FILES_PER_TASK, on_failure=failed):
        report.problems.extend(outcome.problems)
        if not outcome.readable:
            continue
        report.files += 1
        ids = outcome.ids or [r.info.id for r in outcome.results if isinstance(r, DocResult)]
        for read_id, res in zip(ids, outcome.results):
            unique = read_id
            if unique in used:  # as read_sources: the first keeps its id, the next get -2, -3, ...
                k = 2
                while f"{read_id}-{k}" in used:
                    k += 1
                unique = f"{read_id}-{k}"
            used.add(unique)
            report.documents += 1
            if isinstance(res, Problem):  # its extraction failed on the worker (per-document isolation)
                if unique != read_id and res.reason.startswith(f"document {read_id}: "):
                    res = Problem(res.source, f"document {unique}: " + res.reason[len(f"document {read_id}: "):])
                report.problems.append(res)
                continue
            if unique != res.info.id:
                res = replace(res, info=DocInfo(unique, res.info.source, res.info.title, res.info.date,
                                                res.info.url))
            yield res
