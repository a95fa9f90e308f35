"""Where the bundled data files (``kg/ontology/``, package data) are found."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["ontology_dir", "ontology_file", "read_toml"]


def ontology_dir() -> Path:
    """The ontology data folder: ``$KG_ONTOLOGY_DIR``, or the one shipped inside the package.

    The files are package data (``kg/ontology/``), so a wheel or a plain ``pip install`` has
    them; :mod:`importlib.resources` finds them wherever the package is installed."""
    env = os.environ.get("KG_ONTOLOGY_DIR")
    if env:
        return Path(env)
    from importlib.resources import files

    return Path(str(files("kg") / "ontology"))


def ontology_file(name: str) -> Path:
    from kg.errors import OntologyError

    path = ontology_dir() / name
    if not path.is_file():
        raise OntologyError(f"{path}: ontology file missing (set KG_ONTOLOGY_DIR to the folder that holds {name})")
    return path


def read_toml(path: str | None, default_name: str, what: str) -> tuple[Path, dict]:
    """Parse ``path`` (or ``ontology/<default_name>``); a broken file is an :class:`OntologyError`."""
    import tomllib

    from kg.errors import OntologyError

    p = Path(path) if path else ontology_file(default_name)
    try:
        return p, tomllib.loads(p.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise OntologyError(f"{p}: cannot read {what} ({exc})") from None
