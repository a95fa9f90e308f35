"""A user ontology: classes and relations with domain and range.

Two formats are read, through one registry of loaders (:data:`ONTOLOGY_FORMATS`):

* ``json`` -- the format of Text2KGBench (``{"id", "title", "concepts": [{"qid",
  "label"}], "relations": [{"pid", "label", "domain", "range"}]}``);
* ``rdf`` -- OWL/RDFS in Turtle (or any syntax rdflib reads): ``owl:Class`` /
  ``rdfs:Class``, ``owl:ObjectProperty`` / ``owl:DatatypeProperty`` /
  ``rdf:Property`` with ``rdfs:domain``, ``rdfs:range``, ``rdfs:label``,
  ``rdfs:subClassOf`` and ``owl:disjointWith``.

Both give the same :class:`Ontology`; relations and classes are named by their
label (the benchmark compares relation labels), with their IRI kept beside.
"""

from __future__ import annotations

import functools
import json
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable

from kg.errors import OntologyError, UnknownNameError

if TYPE_CHECKING:
    from rdflib import Graph

__all__ = [
    "Concept",
    "Relation",
    "Ontology",
    "ONTOLOGY_FORMATS",
    "register_ontology_format",
    "load_ontology",
    "ontology_from_dict",
    "literal_kind",
    "split_label",
]

log = logging.getLogger(__name__)

#: kinds of literal value a range can ask for
LITERAL_KINDS = ("date", "number", "string")

# datatype names (XSD and the plain words used by simple schemas) -> literal kind
_DATATYPE_KIND: dict[str, str] = {
    **{name: "date" for name in ("date", "datetime", "gyear", "gyearmonth", "year", "time")},
    **{
        name: "number"
        for name in (
            "number", "integer", "int", "long", "short", "decimal", "double", "float",
            "nonnegativeinteger", "positiveinteger", "negativeinteger", "nonpositiveinteger",
            "unsignedint", "unsignedlong",
        )
    },
    **{name: "string" for name in ("string", "literal", "langstring", "text", "normalizedstring")},
}


def literal_kind(class_name: str | None) -> str | None:
    """``"date"``, ``"number"`` or ``"string"`` when a range names a datatype, else None.

    >>> literal_kind("xsd:gYear"), literal_kind("Person")
    ('date', None)
    """
    if not class_name:
        return None
    local = re.split(r"[#/:]", class_name)[-1].lower()
    return _DATATYPE_KIND.get(local)


def split_label(label: str) -> list[str]:
    """The words of a camelCase / snake_case / spaced label, lower-cased.

    >>> split_label("elevationAboveTheSeaLevel")
    ['elevation', 'above', 'the', 'sea', 'level']
    """
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", label)
    spaced = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1 \2", spaced)
    return [w.lower() for w in re.split(r"[^A-Za-z0-9]+", spaced) if w]


@dataclass(frozen=True)
class Concept:
    """A class of the ontology."""

    name: str
    label: str
    iri: str | None = None
    parents: tuple[str, ...] = ()


@dataclass(frozen=True)
class Relation:
    """A relation (property) with its domain and range class names."""

    name: str
    label: str
    domain: str | None = None
    range: str | None = None
    iri: str | None = None
    datatype: bool = False

    @property
    def range_kind(self) -> str | None:
        """The literal kind the range asks for (``date``/``number``/``string``) or None."""
        kind = literal_kind(self.range)
        if kind is None and self.datatype:
            return "string"
        return kind

    @property
    def words(self) -> list[str]:
        return split_label(self.label)


@dataclass(frozen=True)
class Ontology:
    """Classes and relations; relations are looked up by label."""

    id: str
    title: str
    concepts: tuple[Concept, ...]
    relations: tuple[Relation, ...]
    disjoint: frozenset[frozenset[str]] = field(default_factory=frozenset)

    def __hash__(self) -> int:  # cheap: equal ontologies agree on these
        return hash((self.id, self.title, len(self.concepts), len(self.relations)))

    @property
    def relation_labels(self) -> list[str]:
        return [r.label for r in self.relations]

    @property
    def concept_labels(self) -> list[str]:
        return [c.label for c in self.concepts]

    def relation(self, label: str) -> Relation:
        for rel in self.relations:
            if rel.label == label or rel.name == label:
                return rel
        raise UnknownNameError("relation", label, self.relation_labels)

    def has_relation(self, label: str) -> bool:
        return any(rel.label == label for rel in self.relations)

    def ancestors(self, name: str) -> set[str]:
        """``name`` and every class above it (``rdfs:subClassOf``, transitively)."""
        return set(_ancestors(self, name))

    def compatible(self, class_a: str | None, class_b: str | None) -> bool:
        """False only when the ontology forbids one thing to be both classes.

        Two classes clash when one is a datatype and the other is not, when they
        are different datatypes, or when ``owl:disjointWith`` (inherited through
        ``rdfs:subClassOf``) separates them.
        """
        return _compatible(self, class_a, class_b)

    def to_dict(self) -> dict:
        """The Text2KGBench JSON form (round-trips through :func:`ontology_from_dict`).

        What that format lacks is kept in optional keys, so that a model saved
        from an OWL ontology still knows its IRIs: ``iri`` and ``parents`` of a
        concept, ``iri`` and ``datatype`` of a relation, ``disjoint`` pairs.
        """
        concepts = []
        for c in self.concepts:
            item: dict = {"qid": c.name, "label": c.label}
            if c.iri:
                item["iri"] = c.iri
            if c.parents:
                item["parents"] = list(c.parents)
            concepts.append(item)
        relations = []
        for r in self.relations:
            item = {"pid": r.name, "label": r.label, "domain": r.domain, "range": r.range}
            if r.iri:
                item["iri"] = r.iri
            if r.datatype and literal_kind(r.range) is None:
                item["datatype"] = True
            relations.append(item)
        out = {"id": self.id, "title": self.title, "concepts": concepts, "relations": relations}
        if self.disjoint:
            out["disjoint"] = sorted(sorted(pair) for pair in self.disjoint)
        return out

    def schema_key(self) -> tuple:
        """What extraction and the graph depend on (not the id or title): equal
        keys mean the same classes, relations, IRIs and disjointness."""
        data = self.to_dict()
        return (json.dumps(data["concepts"], sort_keys=True), json.dumps(data["relations"], sort_keys=True),
                json.dumps(data.get("disjoint", [])))


@functools.lru_cache(maxsize=4096)
def _ancestors(ontology: Ontology, name: str) -> frozenset[str]:
    parents = {c.name: c.parents for c in ontology.concepts}
    seen: set[str] = set()
    todo = [name]
    while todo:
        cur = todo.pop()
        if cur in seen:
            continue
        seen.add(cur)
        todo.extend(parents.get(cur, ()))
    return frozenset(seen)


@functools.lru_cache(maxsize=16384)
def _compatible(ontology: Ontology, class_a: str | None, class_b: str | None) -> bool:
    if not class_a or not class_b or class_a == class_b:
        return True
    kind_a, kind_b = literal_kind(class_a), literal_kind(class_b)
    if kind_a or kind_b:
        return kind_a == kind_b
    up_a, up_b = _ancestors(ontology, class_a), _ancestors(ontology, class_b)
    return not any(frozenset((x, y)) in ontology.disjoint for x in up_a for y in up_b)


# --------------------------------------------------------------------- registry

Loader = Callable[[Path], Ontology]

#: format name -> (loader, file suffixes it claims)
ONTOLOGY_FORMATS: dict[str, tuple[Loader, tuple[str, ...]]] = {}


def register_ontology_format(name: str, suffixes: Iterable[str]) -> Callable[[Loader], Loader]:
    """Register a loader under ``name`` for files ending in ``suffixes``."""

    def deco(func: Loader) -> Loader:
        ONTOLOGY_FORMATS[name] = (func, tuple(s.lower() for s in suffixes))
        return func

    return deco


def load_ontology(path: str | Path, *, format: str | None = None) -> Ontology:
    """Read an ontology file; the format comes from ``format`` or the suffix."""
    path = Path(path)
    if not path.is_file():
        raise OntologyError(f"{path}: no such ontology file")
    if format is None:
        suffix = path.suffix.lower().lstrip(".")
        for name, (_, suffixes) in ONTOLOGY_FORMATS.items():
            if suffix in suffixes:
                format = name
                break
        else:
            raise OntologyError(
                f"{path}: cannot tell the ontology format from the suffix {path.suffix!r}; "
                f"pass format= one of {', '.join(sorted(ONTOLOGY_FORMATS))}"
            )
    if format not in ONTOLOGY_FORMATS:
        raise UnknownNameError("ontology format", format, list(ONTOLOGY_FORMATS))
    ontology = ONTOLOGY_FORMATS[format][0](path)
    if not ontology.relations:
        raise OntologyError(f"{path}: the ontology declares no relations")
    log.info("ontology %s: %d classes, %d relations", ontology.id, len(ontology.concepts),
             len(ontology.relations))
    return ontology


def ontology_from_dict(data: dict, *, default_id: str = "ontology") -> Ontology:
    """Build an :class:`Ontology` from the Text2KGBench JSON structure."""
    try:
        concepts = tuple(
            Concept(name=str(c.get("qid") or c["label"]), label=str(c.get("label") or c["qid"]),
                    iri=c.get("iri") or None, parents=tuple(str(p) for p in c.get("parents", ())))
            for c in data.get("concepts", [])
        )
        relations = tuple(
            Relation(
                name=str(r.get("pid") or r["label"]),
                label=str(r.get("label") or r["pid"]),
                domain=r.get("domain") or None,
                range=r.get("range") or None,
                iri=r.get("iri") or None,
                datatype=bool(r.get("datatype")) or literal_kind(r.get("range")) is not None,
            )
            for r in data["relations"]
        )
        disjoint = frozenset(frozenset(str(x) for x in pair) for pair in data.get("disjoint", ()))
    except (KeyError, TypeError, AttributeError) as exc:
        raise OntologyError(f"ontology JSON lacks a field: {exc}") from None
    return Ontology(
        id=str(data.get("id") or default_id),
        title=str(data.get("title") or data.get("id") or default_id),
        concepts=concepts,
        relations=relations,
        disjoint=disjoint,
    )


@register_ontology_format("json", ["json"])
def load_json_ontology(path: Path) -> Ontology:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise OntologyError(f"{path}: not a readable JSON ontology ({exc})") from None
    if not isinstance(data, dict):
        raise OntologyError(f"{path}: the JSON ontology must be an object")
    return ontology_from_dict(data, default_id=path.stem)


def _local_name(iri: str) -> str:
    return re.split(r"[#]", iri)[-1] if "#" in iri else iri.rstrip("/").rsplit("/", 1)[-1]


def _guarded_graph(path: Path) -> "Graph":
    """The triples of ``path``, read by the guarded parser (no network, bounded
    memory and time: :mod:`kg.rdf_parse`)."""
    import pyoxigraph as ox

    from kg.errors import GraphFormatError
    from kg.rdf import FORMATS
    from kg.rdf_parse import parse_rdf_graph

    try:
        return parse_rdf_graph(path, FORMATS.get(path.suffix.lower(), ox.RdfFormat.TURTLE))
    except GraphFormatError as exc:
        reason = str(exc).removeprefix(f"{path}: ")
        raise OntologyError(f"{path}: cannot parse as RDF ({reason})") from None


@register_ontology_format("rdf", ["ttl", "owl", "rdf", "xml", "nt", "n3", "jsonld"])
def load_rdf_ontology(path: Path) -> Ontology:
    from rdflib import URIRef
    from rdflib.namespace import OWL, RDF, RDFS, XSD

    graph = _guarded_graph(path)

    def label(node) -> str:
        lab = graph.value(node, RDFS.label)
        return str(lab) if lab is not None else _local_name(str(node))

    def class_name(node) -> str | None:
        if node is None:
            return None
        if isinstance(node, URIRef) and str(node).startswith(str(XSD)):
            return "xsd:" + str(node)[len(str(XSD)):]
        if node == RDFS.Literal:
            return "xsd:string"
        return label(node)

    class_nodes = set(graph.subjects(RDF.type, OWL.Class)) | set(graph.subjects(RDF.type, RDFS.Class))
    prop_types = (OWL.ObjectProperty, OWL.DatatypeProperty, RDF.Property)
    prop_nodes: dict = {}
    for ptype in prop_types:
        for node in graph.subjects(RDF.type, ptype):
            prop_nodes.setdefault(node, ptype)
    for node in list(prop_nodes):
        for obj in (graph.value(node, RDFS.domain), graph.value(node, RDFS.range)):
            if (obj is not None and not str(obj).startswith(str(XSD)) and obj != RDFS.Literal
                    and literal_kind(label(obj)) is None):
                class_nodes.add(obj)

    concepts = tuple(
        sorted(
            (
                Concept(
                    name=label(node),
                    label=label(node),
                    iri=str(node),
                    parents=tuple(sorted(label(p) for p in graph.objects(node, RDFS.subClassOf))),
                )
                for node in class_nodes
                if isinstance(node, URIRef)
            ),
            key=lambda c: c.name,
        )
    )
    relations = tuple(
        sorted(
            (
                Relation(
                    name=label(node),
                    label=label(node),
                    domain=class_name(graph.value(node, RDFS.domain)),
                    range=class_name(graph.value(node, RDFS.range)),
                    iri=str(node),
                    datatype=ptype == OWL.DatatypeProperty,
                )
                for node, ptype in prop_nodes.items()
                if isinstance(node, URIRef)
            ),
            key=lambda r: r.name,
        )
    )
    disjoint = frozenset(
        frozenset((label(a), label(b))) for a, b in graph.subject_objects(OWL.disjointWith)
    )
    onto_node = next(iter(graph.subjects(RDF.type, OWL.Ontology)), None)
    title = label(onto_node) if onto_node is not None else path.stem
    return Ontology(id=ontology_id(onto_node, path), title=title, concepts=concepts,
                    relations=relations, disjoint=disjoint)


def ontology_id(node, path: Path) -> str:
    """An RDF ontology's id: the last segment of its ``owl:Ontology`` IRI
    (``http://example.org/tiny-company`` -> ``tiny-company``), so the entity
    IRIs minted from it do not change when the file is renamed; the file name
    when the ontology has no IRI.

    >>> from pathlib import Path
    >>> from rdflib import URIRef
    >>> ontology_id(URIRef("http://example.org/onto/films.owl#"), Path("x.ttl"))
    'films'
    >>> ontology_id(None, Path("company_ontology.ttl"))
    'company_ontology'
    """
    from rdflib import URIRef

    if isinstance(node, URIRef):
        tail = re.split(r"[/#]", str(node).rstrip("/#"))[-1]
        tail = re.sub(r"\.(owl|ttl|rdf|n3|nt|jsonld)$", "", tail, flags=re.IGNORECASE)
        slug = re.sub(r"[^A-Za-z0-9_.-]+", "-", tail).strip("-.")
        if slug:
            return slug
    return path.stem
