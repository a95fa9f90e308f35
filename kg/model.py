"""Plain records that cross process boundaries: what the map step returns.

Everything here is a frozen dataclass of strings, numbers and tuples, so it
pickles cheaply and round-trips through JSON (:func:`to_json` /
:func:`from_json`). No spaCy ``Doc`` ever leaves :mod:`kg.pipeline`.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "Paragraph",
    "Document",
    "DocInfo",
    "Mention",
    "Relation",
    "Fact",
    "Candidate",
    "DocResult",
    "Problem",
]


@dataclass(frozen=True, slots=True)
class Paragraph:
    """One unit given to spaCy; ``start`` is its offset in the source text."""

    text: str
    start: int


@dataclass(frozen=True, slots=True)
class DocInfo:
    """What the graph records about a document (no text)."""

    id: str
    source: str
    title: str | None = None
    date: str | None = None  # ISO 8601 date or dateTime
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Document:
    """A document read from a source: metadata plus paragraphs."""

    info: DocInfo
    paragraphs: tuple[Paragraph, ...]

    @property
    def id(self) -> str:
        return self.info.id

    @property
    def n_chars(self) -> int:
        return sum(len(p.text) for p in self.paragraphs)


@dataclass(frozen=True, slots=True)
class Mention:
    """A span of a document that names or refers to an entity.

    ``kind`` is ``"name"`` for a proper name, ``"acronym"`` for a short form
    defined in the text, ``"pronoun"`` or ``"description"`` for "it" / "the
    park". Non-name mentions carry ``antecedent``: the index (in
    :attr:`DocResult.mentions`) of the name mention they refer to.
    Offsets are characters in the source text.
    """

    text: str
    start: int
    end: int
    cls: str
    label: str
    sent_start: int
    sent_end: int
    kind: str = "name"
    antecedent: int | None = None
    same_as: str | None = None
    weight: float = 1.0  # strength of the class vote (gazetteer > head noun > NER label)
    full: str | None = None  # the longer written form this name was split from ("X of Y")


@dataclass(frozen=True, slots=True)
class Relation:
    """A candidate relation between two mentions of one sentence (or near)."""

    subject: int
    property: str
    object: int
    sentence: str
    sent_start: int
    sent_end: int
    extractor: str
    confidence: float
    role: str | None = None
    predicate_text: str | None = None


@dataclass(frozen=True, slots=True)
class Fact:
    """A quantitative statement about the entity of mention ``subject``."""

    subject: int
    measure: str
    value: str  # decimal as text, exact
    unit: str
    date: str | None
    sentence: str
    sent_start: int
    sent_end: int
    extractor: str
    confidence: float


@dataclass(frozen=True, slots=True)
class Candidate:
    """Two mentions of one sentence (``first`` before ``second`` in the text) and the
    features the relation engine scores them by (:mod:`kg.extract.pairs`); kept on a
    :class:`DocResult` only when the build collects training data."""

    first: int
    second: int
    features: tuple[str, ...]
    sent_start: int = 0


@dataclass(frozen=True, slots=True)
class Problem:
    """Something skipped while reading: which source and why."""

    source: str
    reason: str


@dataclass(slots=True)
class DocResult:
    """Everything the map step found in one document."""

    info: DocInfo
    mentions: list[Mention] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    n_tokens: int = 0
    candidates: list[Candidate] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "DocResult":
        return cls(
            info=DocInfo(**data["info"]),
            mentions=[Mention(**m) for m in data["mentions"]],
            relations=[Relation(**r) for r in data["relations"]],
            facts=[Fact(**f) for f in data["facts"]],
            n_tokens=data.get("n_tokens", 0),
            candidates=[Candidate(c["first"], c["second"], tuple(c["features"]), c.get("sent_start", 0))
                        for c in data.get("candidates", ())],
        )
