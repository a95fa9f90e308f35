"""The incremental build: map only new or changed documents into a store.

:func:`update` compares each document with the store's records (a hash of its
text, the settings it was extracted with), runs the map step
(:mod:`kg.pipeline`, locally or on an executor) over the new and changed ones
only, and commits the records batch by batch (:meth:`kg.store.GraphStore.commit`);
the store then writes the graph of the new generation from *all* its records.
The store itself (:mod:`kg.store`) only keeps records and generations and never
runs the pipeline.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from kg.errors import StoreError, StoreSettingsError
from kg.model import DocResult, Document, Problem
from kg.store import GraphStore, UpdateReport, document_hash, now

__all__ = ["update", "settings_fingerprint"]

log = logging.getLogger(__name__)


def _file_digest(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    except OSError as exc:
        raise StoreError(f"{path}: cannot read ({exc.strerror})") from None


def settings_fingerprint(config: Any) -> tuple[str, dict[str, Any]]:
    """What decides a document's extraction: ``(digest, description)``.

    The model name, the extractors that run, the content of the lexicon and
    gazetteer files and the software version. Records extracted with another
    fingerprint are stale (``kg build --rebuild`` extracts them again).
    """
    from kg import __version__
    from kg.extract.registry import get_extractors
    from kg.nlp import resolve_model_name
    from kg.resources import ontology_file

    lexicon = Path(config.lexicon) if config.lexicon else ontology_file("lexicon.toml")
    gazetteer = Path(config.gazetteer) if config.gazetteer else ontology_file("gazetteer.csv")
    from kg.extract.engine import relation_model_path

    relations_path = relation_model_path(config.relation_model)
    described = {
        "software": __version__,
        "relations": _file_digest(relations_path) if relations_path and relations_path.is_file() else "rules",
        "model": resolve_model_name(config.model),
        "extractors": [name for name, _ in get_extractors(config.extractors)],
        "lexicon": _file_digest(lexicon),
        "gazetteer": _file_digest(gazetteer),
    }
    digest = hashlib.sha256(json.dumps(described, sort_keys=True).encode()).hexdigest()[:16]
    return digest, described


def update(
    store: GraphStore,
    documents: Iterable[Document],
    *,
    config: Any = None,
    min_confidence: float | None = None,
    jobs: int = 1,
    batch_size: int = 32,
    rebuild: bool = False,
    progress: Callable[[DocResult], None] | None = None,
    on_plan: Callable[[int], None] | None = None,
    on_chars: Callable[[int], None] | None = None,
    problems: list[Problem] | None = None,
    dask: Any = None,
) -> UpdateReport:
    """Add new documents to ``store`` and replace changed ones, then write the graph.

    Documents whose id and text are already stored are skipped. Results
    are committed every ``batch_size`` documents (one transaction each), so
    a killed build keeps the batches that completed. ``min_confidence``
    ``None`` keeps the store's threshold. With ``rebuild``, documents
    extracted with other settings are extracted again (from their stored
    text); without it such a store is refused. ``on_plan(n)`` is told how
    many documents will be extracted, before the first one is, ``on_chars(n)``
    each time ``n`` more characters are done. A document whose extraction
    fails is not stored and is appended to ``problems`` (each run tries it
    again); the others are committed. ``dask`` (``"local:N"``, a scheduler
    address or a :class:`~kg.executors.Executor`) extracts them on a Dask cluster.
    """
    from kg.executors import executor_for
    from kg.pipeline import PipelineConfig, process_documents

    t0 = time.perf_counter()
    config = config or PipelineConfig()
    fingerprint, described = settings_fingerprint(config)
    report = UpdateReport()
    stored = store.record_state()
    stale = {doc_id for doc_id, (_h, s) in stored.items() if s != fingerprint}
    if stale and not rebuild:
        before = json.loads(store.settings().get("settings_described", "{}"))
        diff = ", ".join(f"{k} {before.get(k)!r} → {v!r}" for k, v in described.items() if before.get(k) != v)
        raise StoreSettingsError(
            f"{len(stale)} document(s) in {store.root} were extracted with other settings"
            f" ({diff or 'see the store'}); build with the same options, or pass --rebuild to extract"
            " them again with the new ones"
        )
    todo: dict[str, Document] = {}
    for doc in documents:
        h = document_hash(doc)
        old = stored.get(doc.id)
        if old is None:
            report.added += 1
        elif old[0] != h:
            report.changed += 1
            log.info("document %s changed; extracting it again", doc.id)
        elif doc.id in stale:
            report.reextracted += 1
        else:
            report.unchanged += 1
            continue
        todo[doc.id] = doc
    if rebuild:
        for doc_id in sorted(stale - todo.keys()):
            todo[doc_id] = store.stored_document(doc_id)
            report.reextracted += 1
    old_mc = float(store.settings().get("min_confidence", "0"))
    new_mc = old_mc if min_confidence is None else float(min_confidence)
    if on_plan is not None:
        on_plan(len(todo))
    started = now()
    hashes = {doc_id: document_hash(doc) for doc_id, doc in todo.items()}
    batch: list[DocResult] = []
    with executor_for(dask if todo else None) as executor:
        results = (process_documents(iter(todo.values()), config, jobs=jobs, executor=executor, problems=problems,
                                     on_chars=on_chars)
                   if todo else iter(()))
        for res in results:
            batch.append(res)
            report.tokens += res.n_tokens
            if progress is not None:
                progress(res)
            if len(batch) >= batch_size:
                store.commit(batch, todo, hashes, fingerprint, described, config, new_mc, started)
                report.batches += 1
                batch = []
        if batch or (new_mc != old_mc and not report.batches):
            store.commit(batch, todo, hashes, fingerprint, described, config, new_mc, started)
            report.batches += 1
        return store.finish_report(report, t0, executor=executor)  # a large graph's parts are written there
