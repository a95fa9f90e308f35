"""The registry of exporters: one name per format, one small function each.

An exporter writes a :class:`~kg.graph.KnowledgeGraph` to a path and returns
the files it wrote::

    @exporter("gexf", suffix=".gexf", description="Gephi")
    def write_gexf(graph: KnowledgeGraph, path: Path) -> list[Path]: ...

Single-file formats write ``path`` itself; formats made of several tables
(``directory=True``: csv, parquet, neo4j) write their files into the directory
``path``. Every file is written through :func:`kg.rdf.atomic_write`, so a
failed export never leaves a half-written file. An unknown name raises
:class:`~kg.errors.UnknownNameError` listing the known ones; a format whose
optional package or program is missing raises :class:`MissingDependencyError`
naming what to install.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import catalogue

from kg.errors import KGError, MissingDependencyError, UnknownNameError

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph

__all__ = [
    "Exporter",
    "MissingDependencyError",
    "exporter",
    "exporters",
    "export",
    "get_exporter",
    "known_formats",
    "require",
]

WriteFn = Callable[["KnowledgeGraph", Path], list[Path]]


@dataclass(frozen=True)
class Exporter:
    """A registered format: its writer and what a user needs to know about it."""

    name: str
    write: WriteFn
    suffix: str  # extension of the output file ("" for a directory)
    description: str
    directory: bool = False  # writes several files into a directory
    extra: str | None = None  # pip extra holding its optional packages
    binary: str | None = None  # external program it runs


exporters = catalogue.create("kg", "exporters", entry_points=False)


def exporter(
    name: str,
    *,
    suffix: str,
    description: str,
    directory: bool = False,
    extra: str | None = None,
    binary: str | None = None,
) -> Callable[[WriteFn], WriteFn]:
    """Register the decorated writer as format ``name``."""

    def register(write: WriteFn) -> WriteFn:
        exporters.register(
            name,
            func=Exporter(name, write, suffix, description, directory=directory, extra=extra, binary=binary),
        )
        return write

    return register


def _load_builtin() -> None:
    import kg.export as pkg

    for info in pkgutil.iter_modules(pkg.__path__):
        if not info.name.startswith("_"):
            importlib.import_module(f"{pkg.__name__}.{info.name}")


def known_formats() -> list[str]:
    """Names of every registered export format, sorted."""
    _load_builtin()
    return sorted(exporters.get_all())


def get_exporter(name: str) -> Exporter:
    """The exporter registered as ``name``."""
    _load_builtin()
    available = exporters.get_all()
    if name not in available:
        raise UnknownNameError("export format", name, list(available))
    return available[name]


def export(graph: "KnowledgeGraph", format: str, path: str | Path) -> list[Path]:
    """Write ``graph`` to ``path`` in ``format``; returns the files written.

    >>> from kg.graph import KnowledgeGraph
    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "g.graphml"
    >>> [p.name for p in export(KnowledgeGraph(), "graphml", out)]
    ['g.graphml']
    """
    spec = get_exporter(format)
    path = Path(path)
    if spec.directory:
        if path.exists() and not path.is_dir():
            raise KGError(f"{path}: the {format} export writes several files; give a directory, not a file")
        path.mkdir(parents=True, exist_ok=True)
    elif path.is_dir():
        raise KGError(f"{path} is a directory; give a file name such as {path / ('graph' + spec.suffix)}")
    written = spec.write(graph, path)
    _default_permissions(written)
    return written


def _default_permissions(paths: list[Path]) -> None:
    """Give files the mode a plain ``open()`` would (atomic_write's temporary file is private, 0600)."""
    umask = os.umask(0o022)
    os.umask(umask)
    for p in paths:
        os.chmod(p, 0o666 & ~umask)


def require(module: str, *, extra: str = "export", format: str) -> object:
    """Import an optional package or fail with the pip extra that provides it."""
    try:
        return importlib.import_module(module)
    except ImportError:
        raise MissingDependencyError(
            f"the {format} export needs the Python package {module.split('.')[0]!r}; "
            f"install it with: pip install 'wild-goose-kg[{extra}]'"
        ) from None
