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
from kg.ingest import ReadReport, iter_files, read_file
from kg.model import DocInfo, DocResult, Problem
from kg.pipeline import PipelineConfig, extract_batch

__all__ = ["extract_sources"]

log = logging.getLogger(__name__)

#: files per task
FILES_PER_TASK = 16


@dataclass(slots=True)
class FileOutcome:
    """What one file gave on a worker: its records, or why it was skipped."""

    results: list[DocResult] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    readable: bool = True


def read_and_extract(config: PipelineConfig, files: list[tuple[str, str]]) -> list[FileOutcome]:
    """One executor task: read ``files`` (path, document id) and extract their documents."""
    out = []
    for path, ident in files:
        try:
            docs, problems = read_file(path, doc_id=ident)
        except InputError as exc:
            out.append(FileOutcome(problems=[Problem(exc.path, exc.reason)], readable=False))
            continue
        out.append(FileOutcome(extract_batch(config, docs), problems))
    return out


def extract_sources(paths: Iterable[str | Path], config: PipelineConfig, executor: Executor,
                    report: ReadReport) -> Iterator[DocResult]:
    """The records of every document under ``paths``, read and extracted by ``executor``, in input order."""
    files = [(str(path), ident) for path, ident in iter_files(paths, report.problems)]
    used: set[str] = set()

    def failed(item: tuple[str, str], exc: BaseException) -> FileOutcome:
        return FileOutcome(problems=[Problem(item[0], f"extraction failed ({type(exc).__name__}: {exc})")],
                           readable=False)

    for outcome in executor.map(read_and_extract, files, shared=config, batch_size=FILES_PER_TASK,
                                on_failure=failed):
        report.problems.extend(outcome.problems)
        if not outcome.readable:
            continue
        report.files += 1
        for res in outcome.results:
            if res.info.id in used:  # as read_sources: the first keeps its id, the next get -2, -3, ...
                base, k = res.info.id, 2
                while f"{base}-{k}" in used:
                    k += 1
                res = replace(res, info=DocInfo(f"{base}-{k}", res.info.source, res.info.title, res.info.date,
                                                res.info.url))
            used.add(res.info.id)
            report.documents += 1
            yield res
