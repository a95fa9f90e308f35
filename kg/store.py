"""A graph that lives on disk: records, the write lock, generations, snapshots.

>>> from kg.store import GraphStore, open_graph_source
>>> with GraphStore.open("lingang.kgstore") as store:      # doctest: +SKIP
...     store.update(read_sources(["corpus"]))               # map new/changed documents only
...     store.remove(["lingang-news/some-article"])
>>> open_graph_source("lingang.kgstore").query("ASK { ?s ?p ?o }")  # doctest: +SKIP

This module keeps what is stored and never runs the pipeline: the
incremental build (which documents to extract, extracting them) is
:mod:`kg.incremental`, and :meth:`GraphStore.update` calls it. Readers (``kg
query``, ``kg serve``) use :func:`open_snapshot`, or :func:`current_generation`
and :func:`hold_generation` when another process opens the graph.

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
documents, then re-runs :func:`kg.assemble.assemble` over *all* stored records
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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pyoxigraph as ox

from kg.errors import StoreError, StoreLockedError, StoreSettingsError, UnknownDocumentError
from kg.model import DocInfo, DocResult, Document, Paragraph

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
    "current_generation",
    "Generation",
    "hold_generation",
]

log = logging.getLogger(__name__)

FORMAT_VERSION = 1
DB_NAME = "docs.sqlite"
LOCK_NAME = "write.lock"
CURRENT_NAME = "CURRENT"
GRAPH_PREFIX = "graph-"
#: N-Quads parts of a large generation on their way into its graph directory
STAGING_PREFIX = ".load-"
#: a generation of more entities and statements than this is bulk-loaded from N-Quads parts
BULK_LOAD_UNITS = 50_000


# -- errors ------------------------------------------------------------------
# -- small helpers -------------------------------------------------------------
def is_remote(target: str | os.PathLike[str]) -> bool:
    """True for an ``http(s)://`` URL (a remote store reached over HTTP)."""
    return urlsplit(str(target)).scheme in ("http", "https")


def is_store(path: str | os.PathLike[str]) -> bool:
    """True if ``path`` is a store directory written by :class:`GraphStore`."""
    return (Path(path) / DB_NAME).is_file()


def now() -> str:
    """The time now (UTC, whole seconds) as the store records it."""
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def document_hash(doc: Document) -> str:
    """Digest of a document's metadata and text: equal hash, nothing to redo."""
    data = json.dumps(dataclasses.asdict(doc), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def _document_from_json(data: dict[str, Any]) -> Document:
    return Document(DocInfo(**data["info"]), tuple(Paragraph(**p) for p in data["paragraphs"]))


def _config_to_json(config: Any) -> str:
    return json.dumps(dataclasses.asdict(config), sort_keys=True)


def _config_from_json(text: str) -> Any:
    from kg.config import PipelineConfig

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
        self._assembled: tuple[int, Any] | None = None  # (generation, its graph)
        self._parts_executor: Any = None  # where a large generation's parts are written, while refresh() runs

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
        """The assembled :class:`~kg.graph.KnowledgeGraph` of the current generation.

        The graph a generation was just written from is kept (one per open store), so
        asking for it right after an update costs nothing more."""
        from kg.assemble import assemble

        gen = self.generation
        if self._assembled is not None and self._assembled[0] == gen:
            return self._assembled[1]
        meta = _meta(self._conn)
        config = _config_from_json(meta["config"]) if "config" in meta else None
        graph = assemble(self.results(), config=config, min_confidence=float(meta.get("min_confidence", "0")))
        if graph.run is not None and "started" in meta:
            graph.run.started = meta["started"]  # the run of this generation, not of this call
        self._assembled = (gen, graph)
        return graph

    # -- changing ----------------------------------------------------------
    def update(self, documents: Iterable[Document], **options: Any) -> UpdateReport:
        """Add new documents and replace changed ones, then write the graph.

        The incremental build runs the pipeline, so it lives with the builder:
        see :func:`kg.incremental.update` for the options (this method calls it).
        """
        from kg.incremental import update

        return update(self, documents, **options)

    # -- the records an incremental build reads and commits ------------------
    def record_state(self) -> dict[str, tuple[str, str]]:
        """Per stored document id: ``(hash of its text, settings digest it was extracted with)``."""
        return {doc_id: (h, s) for doc_id, h, s in self._conn.execute("SELECT id, hash, settings FROM documents")}

    def stored_document(self, doc_id: str) -> Document:
        """The stored :class:`~kg.model.Document` of ``doc_id`` (to extract it again)."""
        row = self._conn.execute("SELECT document FROM documents WHERE id = ?", (doc_id,)).fetchone()
        if row is None:
            raise UnknownDocumentError(f"not in {self.root}: {doc_id}")
        return _document_from_json(json.loads(row[0]))

    def settings(self) -> dict[str, str]:
        """The build settings recorded with the last commit (``min_confidence``, ``settings_described``, ...)."""
        return _meta(self._conn)

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
                self._bump(started=now())
                self._conn.execute("COMMIT")
            except BaseException:
                self._rollback()
                raise
            report.removed = len(set(ids))
            report.batches = 1
        return self.finish_report(report, t0)

    def finish_report(self, report: UpdateReport, t0: float, *, executor: Any = None) -> UpdateReport:
        """Write the new generation (a large one's parts on ``executor``) and fill in the report's totals."""
        self.refresh(executor=executor)
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

    def commit(
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
        """One batch, one transaction: the commit point of the store.

        Stores each record of ``batch`` with its document (from ``docs``), the hash of
        its text and the settings it was extracted with, and bumps the generation."""
        stamp = now()
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
                        stamp,
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
    def refresh(self, *, executor: Any = None) -> bool:
        """Write the graph of the current generation if ``CURRENT`` is behind; True if written.

        A graph of more than :data:`BULK_LOAD_UNITS` entities and statements is written
        as N-Quads parts (on ``executor``'s workers when given, :mod:`kg.parts`) and
        loaded with Oxigraph's bulk loader, so the whole graph is never one list of quads."""
        gen = self.generation
        current = _read_current(self.root)
        if current is not None and current.get("generation") == gen and (self.root / current["graph"]).is_dir():
            return False
        if gen == 0 and current is None:
            return False  # nothing committed yet: readers see an empty graph
        self._parts_executor = executor
        try:
            self._write_graph(gen)
        finally:
            self._parts_executor = None
        return True

    def _write_graph(self, gen: int) -> None:
        from kg.rdf import graph_quads

        t0 = time.perf_counter()
        graph = self.graph()
        name = f"{GRAPH_PREFIX}{gen:06d}"
        path = self.root / name
        if path.exists():  # left by a writer killed while writing it (CURRENT never named it)
            _remove_graph_dir(path)
        staging = self.root / f"{STAGING_PREFIX}{gen:06d}"
        try:
            oxs = ox.Store(str(path))
            if len(graph.entities) + len(graph.statements) > BULK_LOAD_UNITS:
                from kg.parts import bulk_load_parts, write_parts

                shutil.rmtree(staging, ignore_errors=True)
                write_parts(graph, staging, executor=self._parts_executor)
                triples = bulk_load_parts(staging, oxs)
                shutil.rmtree(staging, ignore_errors=True)
            else:
                quads = graph_quads(graph)
                oxs.bulk_extend(quads)
                triples = len(quads)
            oxs.flush()
            del oxs  # closes RocksDB before readers may open it
        except OSError as exc:
            raise StoreError(f"{path}: cannot write the graph ({exc})") from None
        _fsync_dir(self.root)
        _write_durably(
            self.root / CURRENT_NAME,
            json.dumps({"graph": name, "generation": gen, "triples": triples, "written": now()}).encode(),
        )
        log.info("wrote graph generation %d (%d triples) in %.1fs", gen, triples, time.perf_counter() - t0)
        self._collect_garbage(keep=name)

    def _collect_garbage(self, *, keep: str) -> None:
        """Delete graph generations no reader holds any more (and parts a killed writer left)."""
        for path in sorted(self.root.glob(f"{GRAPH_PREFIX}*")):
            if path.name != keep and path.is_dir():
                _remove_graph_dir(path)
        for path in self.root.glob(f"{STAGING_PREFIX}*"):
            shutil.rmtree(path, ignore_errors=True)


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


@dataclass(frozen=True)
class Generation:
    """The newest complete graph of a store, as ``CURRENT`` names it."""

    path: Path  # its Oxigraph directory (open it read-only, after :func:`hold_generation`)
    number: int
    triples: int
    #: ``(mtime_ns, inode)`` of ``CURRENT``: another stamp means another generation was published
    stamp: tuple[int, int]


def generation_stamp(root: str | os.PathLike[str]) -> tuple[int, int] | None:
    """A cheap check for a new generation: the stamp of ``CURRENT`` (None: nothing published yet)."""
    try:
        st = os.stat(Path(root) / CURRENT_NAME)
    except FileNotFoundError:
        return None
    return st.st_mtime_ns, st.st_ino


def current_generation(root: str | os.PathLike[str]) -> Generation | None:
    """The newest complete generation of the store at ``root``; None while it holds none."""
    root = Path(root)
    stamp = generation_stamp(root)
    current = _read_current(root)
    if current is None or stamp is None:
        return None
    return Generation(root / current["graph"], int(current["generation"]), int(current.get("triples", 0)), stamp)


def hold_generation(generation: Generation) -> int | None:
    """Hold ``generation`` against deletion (a shared lock; close the returned descriptor to let go).

    None if a writer already replaced and deleted it: read :func:`current_generation` again."""
    return lock_graph_dir(generation.path)


def current_graph(root: str | os.PathLike[str]) -> tuple[Path | None, int]:
    """The directory of the newest complete graph of a store and its generation."""
    generation = current_generation(root)
    return (None, 0) if generation is None else (generation.path, generation.number)


def open_snapshot(root: str | os.PathLike[str], *, repair_stale: bool = True) -> Snapshot:
    """Open the newest complete graph of the store at ``root`` read-only."""
    root = Path(root)
    if not is_store(root):
        raise StoreError(f"{root}: not a Wild Goose store (no {DB_NAME}) and not a directory of N-Quads parts "
                         f"(no manifest.json); create a store with `kg build ... --store {root}`")
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
    """An Oxigraph store with the graph at ``path``: an RDF file, a store directory or a
    directory of N-Quads parts (``kg build -o DIR/``, :mod:`kg.parts`).

    A file or a parts directory is loaded into memory; a store directory is
    opened read-only on disk (its newest complete generation, kept from
    deletion until the process ends). Raises :class:`~kg.errors.GraphFormatError`
    for an unreadable file or part and :class:`StoreError` for a directory that is
    neither a store nor a parts directory.
    """
    from kg.parts import is_parts_dir, read_parts

    p = Path(path)
    if p.is_dir() and is_parts_dir(p) and not is_store(p):
        return read_parts(p)
    if p.is_dir():
        snap = open_snapshot(p)
        _HELD.append(snap)
        return snap.store
    from kg.rdf import read_store

    return read_store(p)


def read_graph_source(path: str | os.PathLike[str]) -> Any:
    """The :class:`~kg.graph.KnowledgeGraph` of an RDF file, a store directory or a parts directory."""
    from kg.rdf_read import graph_from_store, read_graph

    if not Path(path).is_dir():
        return read_graph(path)  # a file's literals as written
    return graph_from_store(open_graph_source(path))
