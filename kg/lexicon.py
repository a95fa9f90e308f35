"""Lexical cues (``kg/ontology/lexicon.toml``) and the gazetteer (``kg/ontology/gazetteer.csv``)."""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass, field
from pathlib import Path

from kg.errors import OntologyError
from kg.resources import ontology_file, read_toml
from kg.vocab import ENTITY_CLASSES

__all__ = ["Lexicon", "GazetteerEntry", "load_lexicon", "load_gazetteer", "gazetteer_index"]


@dataclass(frozen=True)
class GazetteerEntry:
    name: str
    cls: str
    wikidata: str | None
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Lexicon:
    ner_labels: dict[str, str]
    head_phrases: dict[str, str]
    heads: dict[str, str]
    generic: frozenset[str]
    legal_forms: frozenset[str]
    connectors: frozenset[str]
    not_name_start: frozenset[str]
    roles: tuple[str, ...]
    descriptions: dict[str, tuple[str, ...]]
    pronouns: dict[str, tuple[str, ...]]
    categories: dict[str, str]
    role_words: frozenset[str] = field(default=frozenset())
    person_titles: frozenset[str] = field(default=frozenset())

    def head_class(self, words: list[str]) -> str | None:
        """Class cued by the last three, two or one words of a name (lower-cased)."""
        for n in (3, 2):
            if len(words) >= n:
                cls = self.head_phrases.get(" ".join(words[-n:]))
                if cls:
                    return cls
        return self.heads.get(words[-1]) if words else None


def _check_classes(path: Path, table: dict[str, object], what: str) -> None:
    for key, value in table.items():
        values = value if isinstance(value, list) else [value]
        for cls in values:
            if cls not in ENTITY_CLASSES:
                raise OntologyError(f"{path}: {what} {key!r} names unknown class {cls!r}")


@functools.lru_cache(maxsize=4)
def load_lexicon(path: str | None = None) -> Lexicon:
    """Read the lexicon (the default one under ``ontology/`` when ``path`` is None)."""
    p, data = read_toml(path, "lexicon.toml", "lexicon")
    for section in ("ner_labels", "head_phrases", "heads", "descriptions", "pronouns", "categories"):
        _check_classes(p, data.get(section, {}), section)
    words = data.get("words", {})
    roles = tuple(sorted({r.lower() for r in data.get("roles", {}).get("titles", [])}, key=lambda r: (-len(r), r)))
    return Lexicon(
        ner_labels=dict(data.get("ner_labels", {})),
        head_phrases={k.lower(): v for k, v in data.get("head_phrases", {}).items()},
        heads={k.lower(): v for k, v in data.get("heads", {}).items()},
        generic=frozenset(w.lower() for w in words.get("generic", [])),
        legal_forms=frozenset(w.lower() for w in words.get("legal_forms", [])),
        connectors=frozenset(w.lower() for w in words.get("connectors", [])),
        not_name_start=frozenset(w.lower() for w in words.get("not_name_start", [])),
        roles=roles,
        descriptions={k.lower(): tuple(v) for k, v in data.get("descriptions", {}).items()},
        pronouns={k.lower(): tuple(v) for k, v in data.get("pronouns", {}).items()},
        categories={k.lower(): v for k, v in data.get("categories", {}).items()},
        role_words=frozenset(w for r in roles for w in r.split()),
        person_titles=frozenset(w.lower().rstrip(".") for w in words.get("person_titles", [])),
    )


@functools.lru_cache(maxsize=4)
def gazetteer_index(path: str | None = None) -> dict[str, GazetteerEntry]:
    """Gazetteer entries by exact name and alias (case-sensitive)."""
    index: dict[str, GazetteerEntry] = {}
    for entry in load_gazetteer(path):
        for name in (entry.name, *entry.aliases):
            index.setdefault(name, entry)
    return index


@functools.lru_cache(maxsize=4)
def load_gazetteer(path: str | None = None) -> tuple[GazetteerEntry, ...]:
    """Read the gazetteer CSV (columns ``name,class,wikidata,aliases``)."""
    p = Path(path) if path else ontology_file("gazetteer.csv")
    entries = []
    try:
        with p.open(encoding="utf-8-sig", newline="") as fh:
            for lineno, row in enumerate(csv.DictReader(fh), start=2):
                name = (row.get("name") or "").strip()
                cls = (row.get("class") or "").strip()
                if not name or cls not in ENTITY_CLASSES:
                    raise OntologyError(f"{p}:{lineno}: needs a name and a known class, got {name!r}, {cls!r}")
                aliases = tuple(a.strip() for a in (row.get("aliases") or "").split("|") if a.strip())
                entries.append(GazetteerEntry(name, cls, (row.get("wikidata") or "").strip() or None, aliases))
    except OSError as exc:
        raise OntologyError(f"{p}: cannot read gazetteer ({exc})") from None
    return tuple(entries)
