"""A graph as a directory of N-Quads parts: written in parallel, loaded in bulk.

``kg build PATH... -o DIR/`` (a path ending in ``/``, or an existing
directory) writes::

    DIR/
      part-00000.nq     N-Quads, sorted; part 0 also describes the build run
      part-00001.nq
      ...
      manifest.json     the commit point, written last: every part's file name,
                        quad count, size, SHA-256 and writer (host:pid), the
                        format, the run

The graph is cut by subject: documents, entities (with their mention nodes)
and observations in contiguous slices, statements (with their reified node and
evidence) by a hash of ``subject property object``, so no quad is in two parts
and the parts together are exactly the quads of the one-file build. Each part
is serialised where it is made: by the workers when the build runs on
``--jobs N`` or ``--dask``, so the driver never holds the serialised graph. Any
N-Quads loader reads the parts directly (``pyoxigraph.Store.bulk_load``,
``oxigraph load --file DIR/*.nq``); ``kg query``, ``kg export``, ``kg stats``
and ``kg serve`` read the directory (:func:`read_parts`, through
:func:`kg.store.open_graph_source`).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import math
import os
import socket
import zlib
from collections.abc import Iterable, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from kg.errors import GraphFormatError, KGError

if TYPE_CHECKING:
    from kg.executors import Executor
    from kg.graph import KnowledgeGraph, RunInfo

__all__ = ["MANIFEST", "is_parts_dir", "is_parts_target", "write_parts", "write_quad_parts", "read_manifest",
           "read_parts", "part_paths"]

log = logging.getLogger(__name__)

MANIFEST = "manifest.json"
KIND = "wild-goose-kg/nquads-parts"
VERSION = 1
MEDIA_TYPE = "application/n-quads"
#: documents + entities + statements + observations per part, at most (the default cut)
UNITS_PER_PART = 20_000


def is_parts_dir(path: str | os.PathLike[str]) -> bool:
    """True for a directory written by :func:`write_parts` (it holds a manifest)."""
    return (Path(path) / MANIFEST).is_file()


def is_parts_target(output: str | os.PathLike[str]) -> bool:
    """True if ``-o output`` asks for parts: a path ending in ``/`` or an existing directory."""
    text = str(output)
    return text != "-" and (text.endswith(("/", os.sep)) or Path(text).is_dir())


def part_name(n: int) -> str:
    return f"part-{n:05d}.nq"


# -- writing -----------------------------------------------------------------------------------
def check_target(root: str | os.PathLike[str]) -> None:
    """Fail (:class:`~kg.errors.KGError`) unless ``root`` can take parts: new, empty or a parts directory."""
    from kg.store import is_store

    root = Path(root)
    if root.exists() and not root.is_dir():
        raise KGError(f"{root}: not a directory; give a new path ending in / for N-Quads parts")
    if is_store(root):
        raise KGError(f"{root}: is a store directory; write the store's graph with `kg build ... --store {root} "
                      "-o OTHER/` or choose another directory")
    if root.is_dir() and not is_parts_dir(root) and any(root.iterdir()):
        raise KGError(f"{root}: directory exists, is not empty and holds no {MANIFEST}; "
                      "choose a new or empty directory for N-Quads parts")


def _prepare(root: Path) -> dict[str, Any] | None:
    """Make ``root`` ready for parts; the manifest it held (its parts are replaced), if any."""
    check_target(root)
    old = read_manifest(root) if is_parts_dir(root) else None
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise KGError(f"cannot create {root}: {exc.strerror or exc}") from None
    return old


def _write_part(root: Path, n: int, quads: Sequence[ox.Quad]) -> dict[str, Any]:
    """Serialise one part to ``root/part-NNNNN.nq`` (via a temporary file); its manifest entry."""
    data = ox.serialize(quads, None, ox.RdfFormat.N_QUADS)
    name = part_name(n)
    tmp = root / f".{name}.{os.getpid()}.tmp"
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, root / name)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise KGError(f"cannot write {root / name}: {exc.strerror or exc}") from None
    return {"file": name, "quads": len(quads), "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest(),
            "written_by": f"{socket.gethostname()}:{os.getpid()}"}


def _part_task(root: str, batch: list[tuple[int, "KnowledgeGraph", bool]]) -> list[dict[str, Any]]:
    """An executor task: serialise and write the parts of ``batch`` (number, slice, run node or not)."""
    from kg.rdf import graph_quads

    return [_write_part(Path(root), n, graph_quads(piece, run_node=run_node)) for n, piece, run_node in batch]


def split_graph(graph: "KnowledgeGraph", parts: int) -> list["KnowledgeGraph"]:
    """``graph`` cut into ``parts`` slices whose quads, together, are the graph's (none in two slices)."""
    parts = max(1, parts)

    def slices(items: list) -> list[list]:
        size = math.ceil(len(items) / parts) if items else 0
        return [items[i * size:(i + 1) * size] if size else [] for i in range(parts)]

    statements: list[list] = [[] for _ in range(parts)]
    for st in graph.statements:  # the direct triple s p o of two statements lands in one part
        key = f"{st.subject}\t{st.property}\t{st.object}".encode()
        statements[zlib.crc32(key) % parts].append(st)
    docs, ents, obs = slices(graph.documents), slices(graph.entities), slices(graph.observations)
    return [dataclasses.replace(graph, documents=docs[i], entities=ents[i], statements=statements[i],
                                observations=obs[i], _store=None) for i in range(parts)]


def default_parts(graph: "KnowledgeGraph", workers: int = 1) -> int:
    """At least one part per worker, and parts of at most :data:`UNITS_PER_PART` units."""
    units = len(graph.documents) + len(graph.entities) + len(graph.statements) + len(graph.observations)
    return max(1, workers, math.ceil(units / UNITS_PER_PART))


def write_parts(graph: "KnowledgeGraph", root: str | os.PathLike[str], *, parts: int | None = None,
                executor: "Executor | None" = None, jobs: int = 1) -> dict[str, Any]:
    """Write ``graph`` as N-Quads parts plus a manifest into the directory ``root``; the manifest.

    The parts are serialised on ``executor`` (its workers must see ``root``: a
    shared file system on a cluster), else in ``jobs`` local processes, else
    here one by one. ``root`` must be new, empty or a parts directory (whose
    parts are replaced; the manifest, written last, says which are current).
    """
    from kg.executors import LocalProcesses

    root = Path(root)
    old = _prepare(root)
    workers = executor.workers if executor is not None else jobs
    count = parts or default_parts(graph, workers)
    pieces = [(n, piece, n == 0) for n, piece in enumerate(split_graph(graph, count))]
    if executor is None and jobs > 1 and count > 1:
        with LocalProcesses(min(jobs, count)) as local:
            entries = list(local.map(_part_task, pieces, shared=str(root), batch_size=1))
    elif executor is not None:  # even one part: the driver never serialises the graph
        entries = list(executor.map(_part_task, pieces, shared=str(root), batch_size=1))
    else:
        entries = _part_task(str(root), pieces)
    return _commit(root, entries, graph.run, old, counts={
        "documents": len(graph.documents), "entities": len(graph.entities),
        "statements": len(graph.statements), "observations": len(graph.observations)})


def write_quad_parts(chunks: Iterable[Sequence[ox.Quad]], root: str | os.PathLike[str], *,
                     run: "RunInfo | None" = None) -> dict[str, Any]:
    """Write quads already made (one part per chunk) as N-Quads parts plus a manifest; the manifest."""
    root = Path(root)
    old = _prepare(root)
    entries = [_write_part(root, n, sorted(set(chunk), key=str)) for n, chunk in enumerate(chunks)]
    return _commit(root, entries, run, old, counts=None)


def _commit(root: Path, entries: list[dict[str, Any]], run: "RunInfo | None", old: dict[str, Any] | None,
            *, counts: dict[str, int] | None) -> dict[str, Any]:
    from kg import __version__
    from kg.rdf import atomic_write

    manifest = {
        "kind": KIND,
        "version": VERSION,
        "format": MEDIA_TYPE,
        "quads": sum(e["quads"] for e in entries),
        "parts": entries,
        "run": dataclasses.asdict(run) if run is not None else None,
        "counts": counts,
        "software_version": __version__,
        "written": datetime.now(timezone.utc).replace(microsecond=0).isoformat(),
    }
    data = json.dumps(manifest, indent=2, ensure_ascii=False).encode("utf-8") + b"\n"
    atomic_write(root / MANIFEST, lambda tmp: tmp.write_bytes(data))
    current = {e["file"] for e in entries}
    for entry in (old or {}).get("parts", []):
        name = str(entry.get("file", ""))
        if name not in current and name == Path(name).name and name.startswith("part-"):
            (root / name).unlink(missing_ok=True)  # a part of the previous, larger build
    log.info("wrote %d quads in %d part(s) to %s", manifest["quads"], len(entries), root)
    return manifest


# -- reading -----------------------------------------------------------------------------------
def read_manifest(root: str | os.PathLike[str]) -> dict[str, Any]:
    """The manifest of a parts directory, checked; :class:`GraphFormatError` naming the problem."""
    path = Path(root) / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise GraphFormatError(f"{path}: no such file; {root} is not a directory of N-Quads parts") from None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise GraphFormatError(f"{path}: unreadable ({exc})") from None
    if not isinstance(manifest, dict) or manifest.get("kind") != KIND or not isinstance(manifest.get("parts"), list):
        raise GraphFormatError(f"{path}: not a manifest of N-Quads parts written by kg build")
    if manifest.get("version") != VERSION:
        raise GraphFormatError(f"{path}: manifest version {manifest.get('version')!r}, "
                               f"this version reads version {VERSION}")
    for entry in manifest["parts"]:
        name = entry.get("file") if isinstance(entry, dict) else None
        if not isinstance(name, str) or name != Path(name).name or not name.endswith(".nq"):
            raise GraphFormatError(f"{path}: a part is not named as a file of the directory: {name!r}")
    return manifest


def part_paths(root: str | os.PathLike[str]) -> list[Path]:
    """The part files a manifest lists, each checked to exist with the size it records."""
    root = Path(root)
    paths = []
    for entry in read_manifest(root)["parts"]:
        path = root / entry["file"]
        try:
            size = path.stat().st_size
        except FileNotFoundError:
            raise GraphFormatError(f"{path}: listed in {root / MANIFEST} but missing") from None
        if "bytes" in entry and size != entry["bytes"]:
            raise GraphFormatError(f"{path}: {size} bytes, the manifest says {entry['bytes']}; the directory is "
                                   "being rewritten or was damaged (build it again)")
        paths.append(path)
    return paths


def read_parts(root: str | os.PathLike[str], *, store: ox.Store | None = None) -> ox.Store:
    """Load every part of a parts directory into ``store`` (default: a new in-memory one).

    Each part goes through the guarded parser (:func:`kg.rdf.read_store`), as any
    RDF file the user brings does."""
    from kg.rdf import read_store

    store = store if store is not None else ox.Store()
    for path in part_paths(root):
        read_store(path, store=store)
    return store


def bulk_load_parts(root: str | os.PathLike[str], store: ox.Store) -> int:
    """Load parts this process just wrote into ``store`` with Oxigraph's bulk loader; the quads loaded."""
    total = 0
    for path, entry in zip(part_paths(root), read_manifest(root)["parts"]):
        store.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)
        total += int(entry["quads"])
    return total
