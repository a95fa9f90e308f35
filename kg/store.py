"""A graph that lives on disk: incremental builds, removal, crash safety.

>>> from kg.store import GraphStore, open_graph_source
>>> with GraphStore.open("lingang.kgstore") as store:      # doctest: +SKIP
...     store.update(read_sources(["corpus"]))               # map new/changed documents only
...     store.remove(["lingang-news/some-article"])
>>> open_graph_source("lingang.kgstore").query("ASK { ?s ?p ?o }")  # doctest: +SKIP

A store is a directory::

    DIR/
      docs.sqlite     the commit point: one record per document (the Document,
                      its DocResult, a hash of its text, the settings it was
                      extracted with), the build settings and a generation
                      counter; every batch of documents is one transaction
      write.lock      held (flock) by the one process writing; holds its pid
      CURRENT         names the graph directory of the newest complete generation
      graph-000007/   Oxigraph (RocksDB) store of the assembled graph; written
                      once, then only read (read-only opens, shared flock)

Why incremental equals from scratch: an update maps only new or changed
documents, then re-runs :func:`kg.builder.assemble` over *all* stored records
(in the order documents were first added) and writes the result as a new
graph generation. The reduce sees exactly what a from-scratch build of the
same documents sees, so entities, IRIs and statements are the same.

Why a killed build is harmless: the SQLite transaction of a batch is the only
commit point. The graph directory is derived from the records; ``CURRENT``
records which generation it holds. Whoever opens a store whose ``CURRENT`` is
behind the records (a build killed after a commit) writes the graph again.
Readers always open a complete generation, so a build running next to
``kg serve`` never shows them half a graph.
"""

from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import hashlib
import json
import logging
import os
import shutil
import sqlite3
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pyoxigraph as ox

from kg.errors import StoreError, StoreLockedError, StoreSettingsError, UnknownDocumentError
from kg.model import DocInfo, DocResult, Document, Paragraph, Problem

__all__ = [
    "StoreError",
    "StoreLockedError",
    "StoreSettingsError",
    "UnknownDocumentError",
    "GraphStore",
    "UpdateReport",
    "Snapshot",
    "is_store",
    "is_remote",
    "open_snapshot",
    "open_graph_source",
    "read_graph_source",
    "settings_fingerprint",
]

log = logging.getLogger(__name__)

FORMAT_VERSION = 1
DB_NAME = "docs.sqlite"
LOCK_NAME = "write.lock"
CURRENT_NAME = "CURRENT"
GRAPH_PREFIX = "graph-"


# -- errors ------------------------------------------------------------------
# -- small helpers -------------------------------------------------------------
def is_remote(target: str | os.PathLike[str]) -> bool:
    """True for an ``http(s)://`` URL (a remote store reached over HTTP)."""
    return urlsplit(str(target)).scheme in ("http", "https")


def is_store(path: str | os.PathLike[str]) -> bool:
    """True if ``path`` is a store directory written by :class:`GraphStore`."""
    return (Path(path) / DB_NAME).is_file()


def _now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def document_hash(doc: Document) -> str:
    """Digest of a document's metadata and text: equal hash, nothing to redo."""
    data = json.dumps(dataclasses.asdict(doc), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def _document_from_json(data: dict[str, Any]) -> Document:
    return Document(DocInfo(**data["info"]), tuple(Paragraph(**p) for p in data["paragraphs"]))


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


def _config_to_json(config: Any) -> str:
    return json.dumps(dataclasses.asdict(config), sort_keys=True)


def _config_from_json(text: str) -> Any:
    from kg.pipeline import PipelineConfig

    data = json.loads(text)
    if data.get("extractors") is not None:
        data["extractors"] = tuple(data["extractors"])
    return PipelineConfig(**data)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_durably(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    _fsync_dir(path.parent)


def _read_current(root: Path) -> dict[str, Any] | None:
    try:
        return json.loads((root / CURRENT_NAME).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise StoreError(f"{root / CURRENT_NAME}: unreadable ({exc})") from None


def _connect(root: Path) -> sqlite3.Connection:
    try:
        conn = sqlite3.connect(root / DB_NAME, timeout=30, isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
    except sqlite3.Error as exc:
        raise StoreError(f"{root / DB_NAME}: cannot open ({exc})") from None
    return conn


_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS doc_order (id TEXT PRIMARY KEY, seq INTEGER NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS documents (
  id TEXT PRIMARY KEY,
  hash TEXT NOT NULL,
  settings TEXT NOT NULL,
  document TEXT NOT NULL,
  result TEXT NOT NULL,
  updated TEXT NOT NULL
);
"""


def _meta(conn: sqlite3.Connection) -> dict[str, str]:
    return dict(conn.execute("SELECT key, value FROM meta").fetchall())


def _connect_read_only(root: Path) -> sqlite3.Connection:
    """A connection that only reads: no journal-mode change, and on a disk too full for
    SQLite's shared-memory file, an ``immutable`` open (nobody can commit on a full disk)."""
    uri = (root / DB_NAME).resolve().as_uri()
    try:
        conn = sqlite3.connect(f"{uri}?mode=ro", uri=True, timeout=30, check_same_thread=False)
        conn.execute("SELECT 1 FROM sqlite_master").fetchall()
        return conn
    except sqlite3.Error:
        log.info("%s: cannot open for reading as usual; reading it as immutable", root / DB_NAME)
    try:
        return sqlite3.connect(f"{uri}?immutable=1", uri=True, check_same_thread=False)
    except sqlite3.Error as exc:
        raise StoreError(f"{root / DB_NAME}: cannot open ({exc})") from None


def _generation(root: Path) -> int:
    conn = _connect_read_only(root)
    try:
        if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'meta'").fetchone():
            return 0  # created by a writer killed before its first commit
        row = conn.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
    except sqlite3.Error as exc:
        raise StoreError(f"{root / DB_NAME}: cannot read ({exc})") from None
    finally:
        conn.close()
    return int(row[0]) if row else 0


# -- the write lock ------------------------------------------------------------
class _WriteLock:
    """``flock`` on ``DIR/write.lock``: one writer at a time, refused at once."""

    def __init__(self, root: Path) -> None:
        self.path = root / LOCK_NAME
        self.fd: int | None = None

    def acquire(self) -> None:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            try:
                pid = int(os.pread(fd, 32, 0).decode().strip() or 0) or None
            except (OSError, ValueError):
                pid = None
            os.close(fd)
            raise StoreLockedError(self.path.parent, pid) from None
        try:
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        except OSError as exc:
            os.close(fd)
            raise StoreError(f"{self.path}: cannot write ({exc.strerror})") from None
        self.fd = fd

    def release(self) -> None:
        if self.fd is not None:
            with contextlib.suppress(OSError):
                os.ftruncate(self.fd, 0)
            os.close(self.fd)  # closing drops the flock
            self.fd = None


# -- writing -------------------------------------------------------------------
@dataclass
class UpdateReport:
    """What one :meth:`GraphStore.update` or :meth:`GraphStore.remove` did."""

    added: int = 0
    changed: int = 0
    unchanged: int = 0
    reextracted: int = 0
    removed: int = 0
    batches: int = 0
    tokens: int = 0
    documents: int = 0  # documents in the store afterwards
    generation: int = 0
    triples: int = 0
    seconds: float = 0.0

    @property
    def changed_anything(self) -> bool:
        return bool(self.added or self.changed or self.reextracted or self.removed or self.batches)


class GraphStore:
    """A store directory opened for writing (holds the write lock until :meth:`close`).

    Use :meth:`open`; the store is created when the directory is missing or empty.
    """

    def __init__(self, root: Path, lock: _WriteLock, conn: sqlite3.Connection) -> None:
        self.root = root
        self._lock = lock
        self._conn = conn

    # -- opening ---------------------------------------------------------
    @classmethod
    def open(cls, path: str | os.PathLike[str], *, create: bool = True) -> "GraphStore":
        """Open (or create) the store at ``path`` for writing.

        Raises :class:`StoreLockedError` at once if another process writes it.
        A graph left behind by a killed build is brought up to date here.
        """
        root = Path(path)
        if is_remote(root):
            raise StoreError(f"{path}: a remote store is written with `kg push` or `kg build --store URL`")
        if root.exists() and not root.is_dir():
            raise StoreError(f"{root}: not a directory; a store is a directory (it is created if missing)")
        if not is_store(root):
            if not create:
                raise StoreError(f"{root}: not a Wild Goose store (no {DB_NAME}); create one with `kg build ... --store {root}`")
            if root.exists() and any(root.iterdir()):
                raise StoreError(f"{root}: directory exists, is not empty and is not a store; choose a new directory")
            try:
                root.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"{root}: cannot create the store directory ({exc.strerror})") from None
        lock = _WriteLock(root)
        lock.acquire()
        try:
            conn = _connect(root)
            conn.executescript(_SCHEMA)
            conn.execute("INSERT OR IGNORE INTO meta VALUES ('format', ?)", (str(FORMAT_VERSION),))
            conn.execute("INSERT OR IGNORE INTO meta VALUES ('generation', '0')")
            fmt = int(_meta(conn)["format"])
            if fmt != FORMAT_VERSION:
                raise StoreError(f"{root}: store format {fmt}, this version reads format {FORMAT_VERSION}")
        except sqlite3.Error as exc:
            lock.release()
            raise StoreError(f"{root / DB_NAME}: cannot open ({exc})") from None
        except BaseException:
            lock.release()
            raise
        store = cls(root, lock, conn)
        try:
            store.refresh()
        except BaseException:
            store.close()
            raise
        return store

    def close(self) -> None:
        """Close the database and release the write lock."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None  # type: ignore[assignment]
        self._lock.release()

    def __enter__(self) -> "GraphStore":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- reading the records ----------------------------------------------
    @property
    def generation(self) -> int:
        return int(_meta(self._conn)["generation"])

    def documents(self) -> list[DocInfo]:
        """The documents held, in the order they were first added."""
        rows = self._conn.execute(
            "SELECT d.document FROM documents d JOIN doc_order o USING (id) ORDER BY o.seq"
        ).fetchall()
        return [DocInfo(**json.loads(text)["info"]) for (text,) in rows]

    def results(self) -> list[DocResult]:
        """Every stored :class:`DocResult`, in the order documents were first added."""
        rows = self._conn.execute(
            "SELECT d.result FROM documents d JOIN doc_order o USING (id) ORDER BY o.seq"
        ).fetchall()
        return [DocResult.from_json(json.loads(text)) for (text,) in rows]

    def graph(self) -> Any:
        """The assembled :class:`~kg.graph.KnowledgeGraph` of the current generation."""
        from kg.builder import assemble

        meta = _meta(self._conn)
        config = _config_from_json(meta["config"]) if "config" in meta else None
        graph = assemble(self.results(), config=config, min_confidence=float(meta.get("min_confidence", "0")))
        if graph.run is not None and "started" in meta:
            graph.run.started = meta["started"]  # the run of this generation, not of this call
        return graph

    # -- changing ----------------------------------------------------------
    def update(
        self,
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
        """Add new documents and replace changed ones, then write the graph.

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
        stored = {
            doc_id: (h, s)
            for doc_id, h, s in self._conn.execute("SELECT id, hash, settings FROM documents").fetchall()
        }
        stale = {doc_id for doc_id, (_h, s) in stored.items() if s != fingerprint}
        if stale and not rebuild:
            meta = _meta(self._conn)
            before = json.loads(meta.get("settings_described", "{}"))
            diff = ", ".join(f"{k} {before.get(k)!r} → {v!r}" for k, v in described.items() if before.get(k) != v)
            raise StoreSettingsError(
                f"{len(stale)} document(s) in {self.root} were extracted with other settings"
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
                row = self._conn.execute("SELECT document FROM documents WHERE id = ?", (doc_id,)).fetchone()
                todo[doc_id] = _document_from_json(json.loads(row[0]))
                report.reextracted += 1
        meta = _meta(self._conn)
        old_mc = float(meta.get("min_confidence", "0"))
        new_mc = old_mc if min_confidence is None else float(min_confidence)
        if on_plan is not None:
            on_plan(len(todo))
        started = _now()
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
                    self._commit(batch, todo, hashes, fingerprint, described, config, new_mc, started)
                    report.batches += 1
                    batch = []
        if batch or (new_mc != old_mc and not report.batches):
            self._commit(batch, todo, hashes, fingerprint, described, config, new_mc, started)
            report.batches += 1
        return self._finish_report(report, t0)

    def remove(self, doc_ids: Sequence[str]) -> UpdateReport:
        """Retract documents (ids or document IRIs); statements other documents support stay.

        Raises :class:`UnknownDocumentError` (and changes nothing) if any id is unknown.
        """
        t0 = time.perf_counter()
        ids = [_doc_id(x) for x in doc_ids]
        known = {r[0] for r in self._conn.execute("SELECT id FROM documents").fetchall()}
        missing = [x for x in ids if x not in known]
        if missing:
            raise UnknownDocumentError(
                f"not in {self.root}: {', '.join(missing)}; list the documents with "
                f"`kg query {self.root} 'SELECT ?doc ?title WHERE {{ ?doc a kg:Document ; dcterms:title ?title }}'`"
            )
        report = UpdateReport()
        if ids:
            try:
                self._conn.execute("BEGIN IMMEDIATE")
                self._conn.executemany("DELETE FROM documents WHERE id = ?", [(x,) for x in ids])
                self._bump(started=_now())
                self._conn.execute("COMMIT")
            except BaseException:
                self._rollback()
                raise
            report.removed = len(set(ids))
            report.batches = 1
        return self._finish_report(report, t0)

    def _finish_report(self, report: UpdateReport, t0: float) -> UpdateReport:
        """Pick up the new generation and fill in the report's totals."""
        self.refresh()
        report.generation = self.generation
        report.documents = self._count()
        report.triples = int((_read_current(self.root) or {}).get("triples", 0))
        report.seconds = time.perf_counter() - t0
        return report

    def _count(self) -> int:
        return int(self._conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0])

    def _rollback(self) -> None:
        if self._conn is not None and self._conn.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                self._conn.execute("ROLLBACK")

    def _bump(self, *, started: str, extra: dict[str, str] | None = None) -> None:
        rows = {"started": started, **(extra or {})}
        self._conn.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'generation'")
        self._conn.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", list(rows.items()))

    def _commit(
        self,
        batch: list[DocResult],
        docs: dict[str, Document],
        hashes: dict[str, str],
        fingerprint: str,
        described: dict[str, Any],
        config: Any,
        min_confidence: float,
        started: str,
    ) -> None:
        """One batch, one transaction: the commit point of the store."""
        now = _now()
        try:
            self._conn.execute("BEGIN IMMEDIATE")
            for res in batch:
                doc = docs[res.info.id]
                self._conn.execute(
                    "INSERT OR IGNORE INTO doc_order (id, seq) "
                    "VALUES (?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM doc_order))",
                    (doc.id,),
                )
                self._conn.execute(
                    "INSERT OR REPLACE INTO documents (id, hash, settings, document, result, updated) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    (
                        doc.id,
                        hashes[doc.id],
                        fingerprint,
                        json.dumps(dataclasses.asdict(doc), ensure_ascii=False),
                        json.dumps(res.to_json(), ensure_ascii=False),
                        now,
                    ),
                )
            self._bump(
                started=started,
                extra={
                    "config": _config_to_json(config),
                    "settings": fingerprint,
                    "settings_described": json.dumps(described, sort_keys=True),
                    "min_confidence": repr(float(min_confidence)),
                },
            )
            self._conn.execute("COMMIT")
        except sqlite3.Error as exc:  # a full disk: the batch is not committed, the store stays as it was
            self._rollback()
            raise StoreError(f"{self.root / DB_NAME}: cannot commit ({exc})") from None
        except BaseException:
            self._rollback()
            raise

    # -- the graph ---------------------------------------------------------
    def refresh(self) -> bool:
        """Write the graph of the current generation if ``CURRENT`` is behind; True if written."""
        gen = self.generation
        current = _read_current(self.root)
        if current is not None and current.get("generation") == gen and (self.root / current["graph"]).is_dir():
            return False
        if gen == 0 and current is None:
            return False  # nothing committed yet: readers see an empty graph
        self._write_graph(gen)
        return True

    def _write_graph(self, gen: int) -> None:
        from kg.rdf import graph_quads

        t0 = time.perf_counter()
        quads = graph_quads(self.graph())
        name = f"{GRAPH_PREFIX}{gen:06d}"
        path = self.root / name
        if path.exists():  # left by a writer killed while writing it (CURRENT never named it)
            _remove_graph_dir(path)
        try:
            oxs = ox.Store(str(path))
            oxs.bulk_extend(quads)
            oxs.flush()
            del oxs  # closes RocksDB before readers may open it
        except OSError as exc:
            raise StoreError(f"{path}: cannot write the graph ({exc})") from None
        _fsync_dir(self.root)
        _write_durably(
            self.root / CURRENT_NAME,
            json.dumps({"graph": name, "generation": gen, "triples": len(quads), "written": _now()}).encode(),
        )
        log.info("wrote graph generation %d (%d triples) in %.1fs", gen, len(quads), time.perf_counter() - t0)
        self._collect_garbage(keep=name)

    def _collect_garbage(self, *, keep: str) -> None:
        """Delete graph generations no reader holds any more."""
        for path in sorted(self.root.glob(f"{GRAPH_PREFIX}*")):
            if path.name != keep and path.is_dir():
                _remove_graph_dir(path)


def _remove_graph_dir(path: Path) -> bool:
    """Delete a graph directory unless a reader holds it (shared flock); True if deleted."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    except FileNotFoundError:
        return True
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            log.info("graph %s is still read by another process; kept for now", path.name)
            return False
        shutil.rmtree(path, ignore_errors=True)
        return True
    finally:
        os.close(fd)


def _doc_id(value: str) -> str:
    from kg.iri import document_iri

    prefix = document_iri("")
    return unquote(value[len(prefix):]) if value.startswith(prefix) else value


# -- reading -------------------------------------------------------------------
@dataclass
class Snapshot:
    """One complete graph generation of a store, open read-only.

    Holds a shared lock on the generation so no writer deletes it while it is
    read; :meth:`close` releases it.
    """

    root: Path
    path: Path | None  # None: the store is empty
    generation: int
    store: ox.Store
    _fd: int | None = None

    def close(self) -> None:
        self.store = ox.Store()  # drop the RocksDB handle before unlocking
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> "Snapshot":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def repair(root: str | os.PathLike[str]) -> bool:
    """Bring a store's graph up to the committed records if it is behind and nobody writes.

    True if the graph was written. A running writer will write it itself.
    """
    root = Path(root)
    current = _read_current(root)
    gen = _generation(root)
    if current is not None and current.get("generation") == gen:
        return False
    if current is None and gen == 0:
        return False
    try:
        with GraphStore.open(root, create=False) as store:  # open() refreshes
            return store.generation == gen
    except StoreLockedError:
        log.info("%s is being written; reading its last complete graph", root)
        return False


def lock_graph_dir(path: Path) -> int | None:
    """Open ``path`` with a shared flock; None if it vanished or is being deleted."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    except FileNotFoundError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        if os.stat(path).st_ino != os.fstat(fd).st_ino:
            raise FileNotFoundError(path)
    except (BlockingIOError, FileNotFoundError):
        os.close(fd)
        return None
    return fd


def current_graph(root: str | os.PathLike[str]) -> tuple[Path | None, int]:
    """The directory of the newest complete graph of a store and its generation."""
    root = Path(root)
    current = _read_current(root)
    if current is None:
        return None, 0
    return root / current["graph"], int(current["generation"])


def open_snapshot(root: str | os.PathLike[str], *, repair_stale: bool = True) -> Snapshot:
    """Open the newest complete graph of the store at ``root`` read-only."""
    root = Path(root)
    if not is_store(root):
        raise StoreError(f"{root}: not a Wild Goose store (no {DB_NAME}); create one with `kg build ... --store {root}`")
    if repair_stale:
        repair(root)
    for _attempt in range(50):
        path, gen = current_graph(root)
        if path is None:
            return Snapshot(root, None, 0, ox.Store())
        fd = lock_graph_dir(path)
        if fd is None:  # a writer just replaced it; read CURRENT again
            time.sleep(0.02)
            continue
        try:
            store = ox.Store.read_only(str(path))
        except OSError as exc:
            os.close(fd)
            raise StoreError(f"{path}: cannot open the graph ({exc})") from None
        return Snapshot(root, path, gen, store, fd)
    raise StoreError(f"{root}: the graph kept changing while being opened; try again")


#: snapshots handed out by open_graph_source, kept open for the process's life
_HELD: list[Snapshot] = []


def open_graph_source(path: str | os.PathLike[str]) -> ox.Store:
    """An Oxigraph store with the graph at ``path``: an RDF file or a store directory.

    A file is loaded into memory; a store directory is opened read-only on
    disk (its newest complete generation, kept from deletion until the
    process ends). Raises :class:`~kg.errors.GraphFormatError` for an unreadable
    file and :class:`StoreError` for a directory that is not a store.
    """
    p = Path(path)
    if p.is_dir():
        snap = open_snapshot(p)
        _HELD.append(snap)
        return snap.store
    from kg.rdf import read_store

    return read_store(p)


def read_graph_source(path: str | os.PathLike[str]) -> Any:
    """The :class:`~kg.graph.KnowledgeGraph` of an RDF file or a store directory."""
    from kg.rdf_read import graph_from_store, read_graph

    if not Path(path).is_dir():
        return read_graph(path)  # a file's literals as written
    return graph_from_store(open_graph_source(path))

