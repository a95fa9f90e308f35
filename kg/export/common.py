"""What every exporter shares: safe text, class colours, node and edge records.

:func:`node_records` and :func:`edge_records` are the one place that decides
what a node and an edge carry outside RDF; each format then keeps what it can
hold (see ``docs/export.md``). Text is cleaned once here: a lone surrogate
cannot be encoded as UTF-8 and becomes U+FFFD in every format, and
:func:`xml_text` also replaces the control characters that XML 1.0 cannot
hold at all, not even escaped, and reads line ends the way an XML parser does.
"""

from __future__ import annotations

import colorsys
import hashlib
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kg.chars import XML_FORBIDDEN
from kg.vocab import ENTITY_CLASSES, SUPERCLASS

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph

__all__ = [
    "CLASS_COLOURS",
    "NodeRecord",
    "EdgeRecord",
    "EvidenceRecord",
    "class_colour",
    "class_lineage",
    "edge_records",
    "node_records",
    "node_size",
    "safe_text",
    "sanitized",
    "xml_text",
]

_SURROGATE = re.compile("[\ud800-\udfff]")
# characters XML 1.0 forbids (everything below U+0020 but tab, LF, CR; U+FFFE, U+FFFF) and surrogates
_XML_FORBIDDEN = XML_FORBIDDEN  # the one policy of every writer (kg.chars)

#: colour of each vocabulary class (hex RGB); families share a hue range
CLASS_COLOURS: dict[str, str] = {
    "Entity": "#7f7f7f",
    "Person": "#d62728",
    "Organization": "#1f77b4",
    "Company": "#17becf",
    "GovernmentBody": "#393b79",
    "EducationalInstitution": "#9467bd",
    "Place": "#2ca02c",
    "Country": "#006d2c",
    "City": "#98c000",
    "AdministrativeArea": "#8c6d31",
    "EconomicZone": "#ff7f0e",
    "Facility": "#8c564b",
    "Event": "#e377c2",
    "Program": "#ad494a",
    "Product": "#f2b701",
}
assert set(CLASS_COLOURS) == set(ENTITY_CLASSES)


def safe_text(value: str) -> str:
    """``value`` with lone surrogates replaced by U+FFFD (they cannot be encoded)."""
    return _SURROGATE.sub("\ufffd", value)


def sanitized(graph: "KnowledgeGraph") -> "KnowledgeGraph":
    """A copy of ``graph`` whose every string is :func:`safe_text` (the graph itself if already clean).

    RDF writers (Oxigraph) and IRI digests need encodable text; a lone
    surrogate, which a JSON source can smuggle in with a ``\\ud83d`` escape,
    becomes U+FFFD.
    """
    from dataclasses import fields, is_dataclass, replace

    def clean(value: Any) -> Any:
        if isinstance(value, str):
            return safe_text(value)
        if isinstance(value, list):
            return [clean(v) for v in value]
        if isinstance(value, tuple):
            return tuple(clean(v) for v in value)
        if isinstance(value, dict):
            return {clean(k): clean(v) for k, v in value.items()}
        if is_dataclass(value) and not isinstance(value, type):
            return replace(value, **{f.name: clean(getattr(value, f.name)) for f in fields(value) if f.init and not f.name.startswith("_")})
        return value

    def dirty(value: Any) -> bool:
        if isinstance(value, str):
            return _SURROGATE.search(value) is not None
        if isinstance(value, (list, tuple)):
            return any(dirty(v) for v in value)
        if isinstance(value, dict):
            return any(dirty(k) or dirty(v) for k, v in value.items())
        if is_dataclass(value) and not isinstance(value, type):
            return any(dirty(getattr(value, f.name)) for f in fields(value) if not f.name.startswith("_"))
        return False

    return clean(graph) if dirty(graph) else graph


def xml_text(value: str) -> str:
    """``value`` with the characters XML 1.0 cannot hold replaced by U+FFFD.

    Line ends become ``\\n``, as an XML parser would read them anyway.

    >>> xml_text("a\\x00b\\r\\nc")
    'a\ufffdb\\nc'
    """
    return _XML_FORBIDDEN.sub("\ufffd", value.replace("\r\n", "\n").replace("\r", "\n"))


def class_colour(cls: str) -> str:
    """Hex colour of class ``cls``; a class outside the vocabulary gets a stable hashed hue."""
    if cls in CLASS_COLOURS:
        return CLASS_COLOURS[cls]
    hue = int(hashlib.sha1(cls.encode("utf-8", "surrogatepass")).hexdigest()[:4], 16) / 0xFFFF
    r, g, b = colorsys.hls_to_rgb(hue, 0.45, 0.55)
    return f"#{round(r * 255):02x}{round(g * 255):02x}{round(b * 255):02x}"


def class_lineage(cls: str) -> list[str]:
    """``cls`` and its super-classes, most general first (``Company`` → Entity, Organization, Company)."""
    chain: list[str] = []
    c: str | None = cls
    while c is not None and c not in chain:
        chain.append(c)
        c = SUPERCLASS.get(c)
    if chain[-1] != "Entity":
        chain.append("Entity")
    return chain[::-1]


def node_size(degree: int) -> float:
    """Drawing size of a node with ``degree`` edges (grows with the square root)."""
    return round(10.0 + 6.0 * math.sqrt(degree), 2)


@dataclass
class EvidenceRecord:
    document: str
    sentence: str
    confidence: float
    extractor: str


@dataclass
class NodeRecord:
    iri: str
    label: str
    cls: str
    aliases: list[str]
    wikidata: list[str]
    mentions: int
    documents: list[str]  # document IRIs
    degree: int = 0
    in_degree: int = 0
    out_degree: int = 0

    @property
    def colour(self) -> str:
        return class_colour(self.cls)


@dataclass
class EdgeRecord:
    iri: str  # IRI of the reified statement
    source: str
    target: str
    property: str
    label: str
    role: str
    predicate_text: str
    confidence: float
    evidence: list[EvidenceRecord] = field(default_factory=list)

    @property
    def sentence(self) -> str:
        return self.evidence[0].sentence if self.evidence else ""

    @property
    def documents(self) -> list[str]:
        return sorted({ev.document for ev in self.evidence})


def edge_records(graph: "KnowledgeGraph") -> list[EdgeRecord]:
    """One record per statement whose two ends are entities of ``graph``, in statement order."""
    known = {e.iri for e in graph.entities}
    out = []
    for s in graph.statements:
        if s.subject not in known or s.object not in known:
            continue
        out.append(
            EdgeRecord(
                iri=s.iri,
                source=s.subject,
                target=s.object,
                property=s.property,
                label=safe_text(s.predicate_text or s.property),
                role=safe_text(s.role or ""),
                predicate_text=safe_text(s.predicate_text or ""),
                confidence=s.confidence,
                evidence=[
                    EvidenceRecord(ev.document, safe_text(ev.sentence), ev.confidence, ev.extractor)
                    for ev in s.evidence
                ],
            )
        )
    return out


def node_records(graph: "KnowledgeGraph", edges: list[EdgeRecord] | None = None) -> list[NodeRecord]:
    """One record per entity, in entity order, with degrees counted over ``edges``."""
    edges = edge_records(graph) if edges is None else edges
    out_deg = Counter(e.source for e in edges)
    in_deg = Counter(e.target for e in edges)
    return [
        NodeRecord(
            iri=e.iri,
            label=safe_text(e.label),
            cls=e.cls,
            aliases=[safe_text(a) for a in e.alt_labels],
            wikidata=list(e.same_as),
            mentions=e.mention_count,
            documents=list(e.mentions),
            degree=in_deg[e.iri] + out_deg[e.iri],
            in_degree=in_deg[e.iri],
            out_degree=out_deg[e.iri],
        )
        for e in graph.entities
    ]
