"""Relation triggers (``kg/ontology/relations.toml``): verb frames, phrases, word lists, units.

The ontology is data: which verbs, prepositions and nouns signal which
relation lives in the TOML file; this module only reads and checks it.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from kg.errors import OntologyError
from kg.resources import read_toml
from kg.vocab import CORE_RELATIONS, ENTITY_CLASSES

__all__ = ["Frame", "Phrase", "Triggers", "load_triggers"]

_SLOTS = ("agent", "patient")


@dataclass(frozen=True)
class Frame:
    """One verb frame: ``lemmas`` relate the ``subject`` slot to the ``object`` slot."""

    property: str
    lemmas: frozenset[str]
    subject: str
    object: str
    dobj: frozenset[str] = frozenset()
    subject_classes: tuple[str, ...] = ()
    object_classes: tuple[str, ...] = ()
    confidence: float = 0.8
    symmetric: bool = False

    @property
    def object_preps(self) -> frozenset[str]:
        """The prepositions of a ``prep:a|b`` object slot (empty for agent/patient)."""
        return frozenset(self.object.split(":", 1)[1].split("|")) if self.object.startswith("prep:") else frozenset()

    @property
    def subject_preps(self) -> frozenset[str]:
        return frozenset(self.subject.split(":", 1)[1].split("|")) if self.subject.startswith("prep:") else frozenset()

    def matches_lemma(self, lemma: str) -> bool:
        return "*" in self.lemmas or lemma in self.lemmas


@dataclass(frozen=True)
class Phrase:
    """``<preposition> the <noun> of Y``: relates the argument before it to Y."""

    preposition: str
    nouns: frozenset[str]
    property: str
    direction: str = "object-first"
    predicate: str | None = None
    confidence: float = 0.7


@dataclass(frozen=True)
class Triggers:
    frames: tuple[Frame, ...]
    phrases: tuple[Phrase, ...]
    of_hop: frozenset[str]
    inclusion: frozenset[str]
    part_nouns: frozenset[str]
    administrative_heads: tuple[tuple[str, ...], ...]
    administrative_modifiers: frozenset[str]
    origin_prepositions: frozenset[str]
    founder_titles: frozenset[str]
    parent_nouns: frozenset[str]
    role_verbs: frozenset[str]
    birth_lemmas: frozenset[str]
    location_preps: frozenset[str]
    location_complex: tuple[tuple[str, ...], ...]
    open_stop: frozenset[str]
    open_preps: frozenset[str]
    open_confidence: float
    frame_lemmas: frozenset[str]
    units: dict[tuple[str, ...], str]
    scales: dict[tuple[str, ...], int]
    measure_verbs: frozenset[str]
    measure_nouns: frozenset[str]
    count_verbs: frozenset[str]
    growth_verbs: frozenset[str]
    decline_verbs: frozenset[str]


def _low(items: object) -> list[str]:
    return [str(x).lower() for x in (items or [])]  # type: ignore[union-attr]


def _check(path: Path, where: str, prop: str, classes: list[str]) -> None:
    if prop not in CORE_RELATIONS:
        raise OntologyError(f"{path}: {where}: unknown property {prop!r}; use one of {', '.join(CORE_RELATIONS)}")
    for cls in classes:
        if cls not in ENTITY_CLASSES:
            raise OntologyError(f"{path}: {where}: unknown class {cls!r}")


def _slot(path: Path, where: str, value: str) -> str:
    if value in _SLOTS or (value.startswith("prep:") and len(value) > 5):
        return value
    raise OntologyError(f"{path}: {where}: slot {value!r} is not agent, patient or prep:a|b")


@functools.lru_cache(maxsize=4)
def load_triggers(path: str | None = None) -> Triggers:
    """Read ``relations.toml`` (the one under ``ontology/`` when ``path`` is None)."""
    p, data = read_toml(path, "relations.toml", "relation triggers")
    frames = []
    for n, f in enumerate(data.get("frames", []), start=1):
        where = f"frame {n}"
        prop = f.get("property", "")
        _check(p, where, prop, [*f.get("subject_classes", []), *f.get("object_classes", [])])
        frames.append(
            Frame(
                property=prop,
                lemmas=frozenset(_low(f.get("lemmas"))),
                subject=_slot(p, where, f.get("subject", "agent")),
                object=_slot(p, where, f.get("object", "patient")),
                dobj=frozenset(_low(f.get("dobj"))),
                subject_classes=tuple(f.get("subject_classes", [])),
                object_classes=tuple(f.get("object_classes", [])),
                confidence=float(f.get("confidence", 0.8)),
                symmetric=bool(f.get("symmetric", False)),
            )
        )
    phrases = []
    for n, ph in enumerate(data.get("phrases", []), start=1):
        _check(p, f"phrase {n}", ph.get("property", ""), [])
        phrases.append(
            Phrase(
                preposition=str(ph.get("preposition", "")).lower(),
                nouns=frozenset(_low(ph.get("nouns"))),
                property=ph["property"],
                direction=ph.get("direction", "object-first"),
                predicate=ph.get("predicate"),
                confidence=float(ph.get("confidence", 0.7)),
            )
        )
    nouns = data.get("nouns", {})
    preps = data.get("prepositions", {})
    open_ = data.get("open", {})
    facts = data.get("facts", {})
    for f in frames:
        if not 0.0 <= f.confidence <= 1.0:
            raise OntologyError(f"{p}: confidence of a {f.property} frame is not in [0, 1]")
    return Triggers(
        frames=tuple(frames),
        phrases=tuple(phrases),
        of_hop=frozenset(_low(nouns.get("of_hop"))),
        inclusion=frozenset(_low(nouns.get("inclusion"))),
        part_nouns=frozenset(_low(nouns.get("part"))),
        administrative_heads=tuple(
            sorted((tuple(h.split()) for h in _low(nouns.get("administrative_heads"))), key=lambda h: -len(h))
        ),
        administrative_modifiers=frozenset(_low(nouns.get("administrative_modifiers"))),
        origin_prepositions=frozenset(_low(nouns.get("origin_prepositions"))),
        founder_titles=frozenset(_low(nouns.get("founder_titles"))),
        parent_nouns=frozenset(_low(nouns.get("parent_nouns"))),
        role_verbs=frozenset(_low(nouns.get("role_verbs"))),
        birth_lemmas=frozenset(_low(nouns.get("birth_lemmas"))),
        location_preps=frozenset(_low(preps.get("location"))),
        location_complex=tuple(tuple(c.split()) for c in _low(preps.get("location_complex"))),
        open_stop=frozenset(_low(open_.get("stop_lemmas"))),
        open_preps=frozenset(_low(open_.get("prepositions"))),
        open_confidence=float(open_.get("confidence", 0.5)),
        frame_lemmas=frozenset(lemma for f in frames for lemma in f.lemmas if lemma != "*"),
        units={tuple(k.lower().split()): str(v) for k, v in facts.get("units", {}).items()},
        scales={tuple(k.lower().split()): int(v) for k, v in facts.get("scales", {}).items()},
        measure_verbs=frozenset(_low(facts.get("measure_verbs"))),
        measure_nouns=frozenset(_low(facts.get("measure_nouns"))),
        count_verbs=frozenset(_low(facts.get("count_verbs"))),
        growth_verbs=frozenset(_low(facts.get("growth_verbs"))),
        decline_verbs=frozenset(_low(facts.get("decline_verbs"))),
    )
