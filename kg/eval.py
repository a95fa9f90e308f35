"""Score a graph against hand-made gold files, as ``shared/eval/README.md`` says.

:func:`evaluate` takes a graph (an rdflib graph or dataset, or the path of any
RDF file) and one or more gold files (paths or already-loaded dicts) and
returns an :class:`EvalReport`. Vocabulary terms are found by *local name*
(the text after the last ``#`` or ``/``), so any namespace scores the same.

Readings of the README that the code had to choose:

* **Normalization** applies the README's steps in its order: NFKC, lower case,
  curly quotes made straight, leading ``"the "`` removed, trailing ``"'s"``
  removed, characters other than letters, digits and spaces dropped, spaces
  collapsed. Quotes are straightened *before* ``'s`` is stripped, so
  ``"Area’s"`` loses its possessive too. Surrounding whitespace is trimmed
  first, and any whitespace character counts as a space. Because punctuation
  is dropped only after the ``the``/``'s`` steps, a name wrapped in quotes
  (``"“The Lingang”"``) keeps its ``the``. A name that normalizes to the
  empty string never matches.
* **Predicted entities** are IRIs (not blank nodes) typed with a vocabulary
  class. With several vocabulary types the deepest class in
  :data:`~kg.vocab.SUPERCLASS` is the entity's class; ties go to the class
  that comes first in :data:`~kg.vocab.ENTITY_CLASSES`. Local-name matching is
  literal: a node typed ``prov:Entity`` counts as a predicted entity.
* **Matching**: predicted entities are visited in IRI string order, so the
  "first" to match a gold entity is the one with the smallest IRI. Among
  several candidate gold entities, those listing one of the entity's
  ``rdfs:label`` values win; a remaining tie goes to the one listed first in
  the gold file. A predicted entity matches one gold entity per gold file.
* **Links and typed relations** are counted in gold terms: a predicted link
  is the pair of gold entities its ends match, so two IRIs of one gold entity
  yield one item. A link or relation with an end that matches nothing is one
  wrong item per distinct IRI pair (or IRI triple). Typed relations are every
  triple whose property's local name is a core relation, whatever its ends.
  Direction is ignored when the *predicted* property is symmetric
  (``partnerOf``, ``relatedTo``).
* **Several gold files** (micro-average): gold items are kept apart by
  prefixing their ids with the gold file's id (``"lingang-news:saike"``), so
  gold counts add up. The graph holds the whole corpus, so each of its items
  is counted once: a predicted entity, link or relation is right when it is
  right for at least one gold file; otherwise it counts as wrong (once per
  gold pair it maps to, or once if it maps to none). As in
  ``shared/eval/reference_score.py``, only the first predicted entity to match
  a gold entity stands for it in links and relations: a duplicate's links are
  those of an unmatched entity. With one gold file this
  is exactly the README's scoring. The duplicate rate divides duplicates by
  the predicted entities that matched first (equal to the matched gold
  entities with one file); type accuracy divides by matched gold entities.
* **Facts** are not scored: a predicted observation node is outside this
  evaluation for now, so the report only gives the number of gold facts.

A ratio whose denominator is zero is reported as 0.0.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Union

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS
from rdflib.term import Node

from kg.errors import GoldFormatError, GraphFormatError
from kg.vocab import CORE_RELATIONS, ENTITY_CLASSES, SUPERCLASS, SYMMETRIC_RELATIONS

__all__ = [
    "EvalReport",
    "GoldFile",
    "Score",
    "evaluate",
    "load_gold",
    "load_graph",
    "local_name",
    "normalize_name",
]

#: the RDF file extensions `kg eval` reads (with their rdflib names)
RDF_FORMATS: dict[str, str] = {
    ".ttl": "turtle",
    ".nt": "nt",
    ".nq": "nquads",
    ".trig": "trig",
    ".jsonld": "json-ld",
    ".rdf": "xml",
    ".xml": "xml",
    ".owl": "xml",
    ".n3": "n3",
}

GraphSource = Union[Graph, str, Path]
GoldSource = Union[str, Path, Mapping[str, Any]]

_NOT_LINKS = frozenset({RDF.type, RDFS.label, SKOS.altLabel, SKOS.prefLabel, OWL.sameAs})
_QUOTES = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    }
)


# ---------------------------------------------------------------- small helpers


def normalize_name(name: str) -> str:
    """A name as the scorer compares it (``"The Lingang New Area’s"`` → ``"lingang new area"``)."""
    text = unicodedata.normalize("NFKC", name).lower().translate(_QUOTES).strip()
    if text.startswith("the "):
        text = text[4:]
    if text.endswith("'s"):
        text = text[:-2]
    kept = "".join(" " if ch.isspace() else ch for ch in text if ch.isalnum() or ch.isspace())
    return " ".join(kept.split())


def local_name(term: Node | str) -> str:
    """The text after the last ``#`` or ``/`` of an IRI."""
    return re.split(r"[#/]", str(term))[-1]


def _depth(cls: str) -> int:
    depth = 0
    while (parent := SUPERCLASS.get(cls)) is not None:
        cls, depth = parent, depth + 1
    return depth


def _most_specific(classes: Iterable[str]) -> str:
    return min(classes, key=lambda c: (-_depth(c), ENTITY_CLASSES.index(c)))


def _ratio(num: int, den: int) -> float:
    return num / den if den else 0.0


# ------------------------------------------------------------------------ inputs


def load_graph(source: GraphSource) -> Graph:
    """The triples of ``source``: a graph, or an RDF file read by its extension.

    Every file is read as a dataset, so the named graphs of ``.nq``, ``.trig``
    and ``.jsonld`` files count; a dataset becomes the union of its graphs.
    """
    if isinstance(source, Graph):
        return _union(source) if hasattr(source, "quads") else source
    path = Path(source)
    fmt = RDF_FORMATS.get(path.suffix.lower())
    if fmt is None:
        known = " ".join(sorted(RDF_FORMATS))
        raise GraphFormatError(f"{path}: unknown RDF file extension {path.suffix!r} (known: {known})")
    if not path.is_file():
        raise GraphFormatError(f"{path}: no such file")
    from kg.rdf import FORMATS
    from kg.rdf_parse import parse_rdf_graph

    return parse_rdf_graph(path, FORMATS[path.suffix.lower()])  # the guarded parser: no network, bounded


def _union(dataset: Graph) -> Graph:
    union = Graph()
    for s, p, o, _ in dataset.quads((None, None, None, None)):  # type: ignore[attr-defined]
        union.add((s, p, o))
    return union


@dataclass(frozen=True)
class GoldEntity:
    """One gold entity; ``key`` is its id prefixed with the gold file's id."""

    key: str
    types: frozenset[str]
    type: str
    names: frozenset[str]
    display: str


@dataclass(frozen=True)
class GoldRelation:
    """One gold relation between two gold entity keys."""

    key: str
    s: str
    p: frozenset[str]
    o: str

    def accepts(self, s: str, prop: str, o: str) -> bool:
        """Whether the predicted triple ``s prop o`` (in gold keys) is right for it."""
        if prop not in self.p and "relatedTo" not in self.p:
            return False
        return (s, o) == (self.s, self.o) or (prop in SYMMETRIC_RELATIONS and (o, s) == (self.s, self.o))

    def __str__(self) -> str:
        return f"{self.s} -[{'|'.join(sorted(self.p))}]-> {self.o}"


@dataclass
class GoldFile:
    """A parsed gold file; entity and relation keys carry its ``id``."""

    id: str
    entities: dict[str, GoldEntity]
    relations: list[GoldRelation]
    facts: int
    by_name: dict[str, list[str]] = field(default_factory=dict)

    def candidates(self, names: Iterable[str]) -> list[str]:
        """Keys of gold entities that list one of ``names``, in gold-file order."""
        keys = {key for name in names for key in self.by_name.get(name, ())}
        return [key for key in self.entities if key in keys]


def load_gold(source: GoldSource, *, default_id: str = "gold") -> GoldFile:
    """Read and check one gold file (a path, or the dict its JSON holds)."""
    if isinstance(source, Mapping):
        where, data = f"gold object {source.get('id', default_id)!r}", source
    else:
        path = Path(source)
        where, default_id = str(path), path.name.split(".")[0] or default_id
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise GoldFormatError(f"{where}: cannot be read: {exc.strerror or exc}") from exc
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise GoldFormatError(f"{where}: not valid JSON: {exc}") from exc
    if not isinstance(data, Mapping) or not isinstance(data.get("entities"), list):
        raise GoldFormatError(f"{where}: no 'entities' list")
    gold_id = str(data.get("id") or default_id)

    def fail(what: str) -> GoldFormatError:
        return GoldFormatError(f"{where}: {what}")

    entities: dict[str, GoldEntity] = {}
    by_name: dict[str, list[str]] = defaultdict(list)
    for n, ent in enumerate(data["entities"]):
        names = ent.get("names") if isinstance(ent, Mapping) else None
        if not (isinstance(names, list) and names and all(isinstance(x, str) for x in names)):
            raise fail(f"entity #{n} needs a non-empty 'names' list of strings")
        if not isinstance(ent.get("id"), str) or not isinstance(ent.get("type"), str):
            raise fail(f"entity #{n} needs string 'id' and 'type'")
        alt = ent.get("alt_types", [])
        if not (isinstance(alt, list) and all(isinstance(x, str) for x in alt)):
            raise fail(f"entity {ent['id']!r}: 'alt_types' must be a list of strings")
        key = f"{gold_id}:{ent['id']}"
        if key in entities:
            raise fail(f"entity id {ent['id']!r} appears twice")
        normalized = frozenset(filter(None, map(normalize_name, names)))
        entities[key] = GoldEntity(key, frozenset([ent["type"], *alt]), ent["type"], normalized, names[0])
        for name in normalized:
            by_name[name].append(key)

    _check_vocabulary(data, fail)
    relations: list[GoldRelation] = []
    for n, rel in enumerate(data.get("relations") or []):
        if not isinstance(rel, Mapping):
            raise fail(f"relation #{n} is not an object")
        s, o, props = f"{gold_id}:{rel.get('s')}", f"{gold_id}:{rel.get('o')}", rel.get("p")
        if s not in entities or o not in entities:
            raise fail(f"relation #{n} joins unknown entity ids {rel.get('s')!r}, {rel.get('o')!r}")
        props = [props] if isinstance(props, str) else props
        if not (isinstance(props, list) and props and all(isinstance(x, str) for x in props)):
            raise fail(f"relation #{n} needs a non-empty 'p' list")
        relations.append(GoldRelation(f"{gold_id}:#{n}", s, frozenset(props), o))
    facts = data.get("facts") or []
    return GoldFile(gold_id, entities, relations, len(facts) if isinstance(facts, list) else 0, dict(by_name))


def _check_vocabulary(data: Mapping[str, Any], fail: Any) -> None:
    """Every class and property the gold file names is in the vocabulary; else all unknown ones are named."""
    unknown_classes: dict[str, list[str]] = defaultdict(list)
    for ent in data["entities"]:
        for cls in [ent["type"], *ent.get("alt_types", [])]:
            if cls not in ENTITY_CLASSES:
                unknown_classes[cls].append(repr(ent["id"]))
    unknown_props: dict[str, list[str]] = defaultdict(list)
    for n, rel in enumerate(data.get("relations") or []):
        props = rel.get("p") if isinstance(rel, Mapping) else None
        for prop in [props] if isinstance(props, str) else props if isinstance(props, list) else []:
            if isinstance(prop, str) and prop not in CORE_RELATIONS:
                unknown_props[prop].append(f"#{n}")
    problems = [_unknown("class", name, ENTITY_CLASSES, f"entity {', '.join(where)}")
                for name, where in unknown_classes.items()]
    problems += [_unknown("property", name, CORE_RELATIONS, f"relation {', '.join(where)}")
                 for name, where in unknown_props.items()]
    if problems:
        raise fail("; ".join(problems))


def _unknown(kind: str, name: str, known: Iterable[str], where: str) -> str:
    import difflib

    close = difflib.get_close_matches(name, list(known), n=1)
    hint = f", did you mean {close[0]}?" if close else f"; known: {', '.join(known)}"
    return f"unknown {kind} {name!r} ({where}{hint})"


# ------------------------------------------------------------------------ report


@dataclass(frozen=True)
class Score:
    """Precision and recall of one kind of item.

    ``correct`` predicted items are right out of ``predicted``; ``found`` gold
    items were found out of ``gold``.
    """

    predicted: int
    gold: int
    correct: int
    found: int

    @property
    def precision(self) -> float:
        return _ratio(self.correct, self.predicted)

    @property
    def recall(self) -> float:
        return _ratio(self.found, self.gold)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_dict(self) -> dict[str, float | int]:
        return {
            "precision": self.precision, "recall": self.recall, "f1": self.f1,
            "predicted": self.predicted, "gold": self.gold, "correct": self.correct, "found": self.found,
        }


@dataclass
class EvalReport:
    """Every figure of one evaluation, plus what was missed and wrong (for debugging)."""

    gold_ids: list[str]
    entities: Score
    links: Score
    typed: Score
    duplicates: int
    type_correct: int
    facts_gold: int
    unmatched_gold: list[str] = field(default_factory=list)
    unmatched_predicted: list[str] = field(default_factory=list)
    duplicate_entities: list[str] = field(default_factory=list)
    wrong_types: list[str] = field(default_factory=list)
    wrong_links: list[str] = field(default_factory=list)
    missed_links: list[str] = field(default_factory=list)
    wrong_typed: list[str] = field(default_factory=list)
    missed_typed: list[str] = field(default_factory=list)

    @property
    def matched(self) -> int:
        """Gold entities matched by a (first) predicted entity."""
        return self.entities.found

    @property
    def type_accuracy(self) -> float:
        return _ratio(self.type_correct, self.matched)

    @property
    def duplicate_rate(self) -> float:
        return _ratio(self.duplicates, self.entities.correct)

    def details(self) -> dict[str, list[str]]:
        """The debugging lists, by name."""
        names = ("unmatched_gold", "unmatched_predicted", "duplicate_entities", "wrong_types",
                 "wrong_links", "missed_links", "wrong_typed", "missed_typed")
        return {name: getattr(self, name) for name in names}

    def to_dict(self, details: bool = True) -> dict[str, Any]:
        """A JSON-ready dict; ``details=False`` leaves out the debugging lists."""
        result: dict[str, Any] = {
            "gold": self.gold_ids,
            "entities": self.entities.to_dict(),
            "links": self.links.to_dict(),
            "typed_relations": self.typed.to_dict(),
            "matched": self.matched,
            "duplicates": self.duplicates,
            "type_correct": self.type_correct,
            "type_accuracy": self.type_accuracy,
            "duplicate_rate": self.duplicate_rate,
            "facts_gold": self.facts_gold,
        }
        if details:
            result["details"] = self.details()
        return result


# ---------------------------------------------------------------------- scoring


@dataclass(frozen=True)
class _Predicted:
    iri: URIRef
    cls: str
    labels: frozenset[str]
    names: frozenset[str]
    display: str


def _predicted_entities(graph: Graph) -> list[_Predicted]:
    classes: dict[URIRef, set[str]] = defaultdict(set)
    for subject, cls in graph.subject_objects(RDF.type):
        if isinstance(subject, URIRef) and local_name(cls) in ENTITY_CLASSES:
            classes[subject].add(local_name(cls))
    result = []
    for iri in sorted(classes, key=str):
        labels = sorted(str(x) for x in graph.objects(iri, RDFS.label))
        alts = sorted(str(x) for x in graph.objects(iri, SKOS.altLabel))
        norm_labels = frozenset(filter(None, map(normalize_name, labels)))
        names = norm_labels | frozenset(filter(None, map(normalize_name, alts)))
        display = (labels or alts or [""])[0]
        result.append(_Predicted(iri, _most_specific(classes[iri]), norm_labels, names, display))
    return result


def _match(predicted: list[_Predicted], gold: GoldFile) -> tuple[dict[URIRef, str], dict[str, URIRef]]:
    """``(IRI → gold key it matches, gold key → first IRI to match it)``."""
    matches: dict[URIRef, str] = {}
    first: dict[str, URIRef] = {}
    for ent in predicted:
        candidates = gold.candidates(ent.names)
        if len(candidates) > 1:
            candidates = [k for k in candidates if gold.entities[k].names & ent.labels] or candidates
        if candidates:
            matches[ent.iri] = candidates[0]
            first.setdefault(candidates[0], ent.iri)
    return matches, first


def _as_list(gold: GoldSource | Iterable[GoldSource]) -> list[GoldSource]:
    if isinstance(gold, (str, Path, Mapping)):
        return [gold]
    return list(gold)


def evaluate(graph: GraphSource, gold: GoldSource | Iterable[GoldSource]) -> EvalReport:
    """Score ``graph`` against one or several gold files (micro-averaged).

    Raises :class:`~kg.errors.GraphFormatError` when the graph cannot be read
    and :class:`~kg.errors.GoldFormatError` when a gold file is malformed.
    """
    rdf = load_graph(graph)
    golds = [load_gold(g, default_id=f"gold{n}") for n, g in enumerate(_as_list(gold), 1)]
    seen: set[str] = set()
    for g in golds:
        if g.id in seen:
            raise GoldFormatError(f"two gold files share the id {g.id!r}")
        seen.add(g.id)
    predicted = _predicted_entities(rdf)
    report = EvalReport([g.id for g in golds], Score(0, 0, 0, 0), Score(0, 0, 0, 0), Score(0, 0, 0, 0),
                        0, 0, sum(g.facts for g in golds))
    matchings = [_match(predicted, g) for g in golds]
    gold_entities = {k: e for g in golds for k, e in g.entities.items()}
    report.entities = _score_entities(report, predicted, matchings, gold_entities)
    # as shared/eval/reference_score.py: only the first entity to match a gold entity stands for it in
    # links and relations; a duplicate's links count as links of an unmatched entity
    maps = [{iri: key for iri, key in m.items() if first.get(key) == iri} for m, first in matchings]
    report.links = _score_links(report, rdf, {e.iri for e in predicted}, maps, golds)
    report.typed = _score_typed(report, rdf, maps, golds)
    return report


def _score_entities(
    report: EvalReport,
    predicted: list[_Predicted],
    matchings: list[tuple[dict[URIRef, str], dict[str, URIRef]]],
    gold: dict[str, GoldEntity],
) -> Score:
    firsts = {iri for _, first in matchings for iri in first.values()}
    cls = {e.iri: e.cls for e in predicted}
    for ent in predicted:
        keys = sorted({m[ent.iri] for m, _ in matchings if ent.iri in m})
        if not keys:
            report.unmatched_predicted.append(f"{ent.iri} {ent.display!r} ({ent.cls})")
        elif ent.iri not in firsts:
            report.duplicates += 1
            report.duplicate_entities.append(f"{ent.iri} {ent.display!r} duplicates {', '.join(keys)}")
    found = 0
    for key, ent in gold.items():
        iri = next((first[key] for _, first in matchings if key in first), None)
        if iri is None:
            report.unmatched_gold.append(f"{key} {ent.display!r} ({ent.type})")
            continue
        found += 1
        if cls[iri] in ent.types:
            report.type_correct += 1
        else:
            report.wrong_types.append(f"{key} {ent.display!r}: {cls[iri]} for {' | '.join(sorted(ent.types))}")
    return Score(len(predicted), len(gold), len(firsts), found)


def _pair(a: str, b: str) -> str:
    return " -- ".join(sorted((a, b)))


def _score_links(
    report: EvalReport, rdf: Graph, entities: set[URIRef], maps: list[dict[URIRef, str]], golds: list[GoldFile]
) -> Score:
    gold_pairs = {_pair(r.s, r.o) for g in golds for r in g.relations}
    pairs = {(s, o) for s, p, o in rdf if p not in _NOT_LINKS and s in entities and o in entities}
    items: set[str] = set()
    for a, b in pairs:
        images = {_pair(m[a], m[b]) for m in maps if a in m and b in m}  # type: ignore[index]
        items |= (images & gold_pairs) or images or {_pair(a.n3(), b.n3())}
    right = items & gold_pairs
    report.wrong_links = sorted(items - right)
    report.missed_links = sorted(gold_pairs - right)
    return Score(len(items), len(gold_pairs), len(right), len(right))


def _score_typed(report: EvalReport, rdf: Graph, maps: list[dict[URIRef, str]], golds: list[GoldFile]) -> Score:
    by_pair: dict[str, list[GoldRelation]] = defaultdict(list)
    for rel in (r for g in golds for r in g.relations):
        by_pair[_pair(rel.s, rel.o)].append(rel)
    triples = {(s, local_name(p), o) for s, p, o in rdf if local_name(p) in CORE_RELATIONS}
    items: set[str] = set()
    right: set[str] = set()
    found: set[str] = set()
    for s, prop, o in triples:
        images = {(m[s], m[o]) for m in maps if s in m and o in m}  # type: ignore[index]
        hits = {(gs, go): [r for r in by_pair.get(_pair(gs, go), []) if r.accepts(gs, prop, go)] for gs, go in images}
        found.update(r.key for rels in hits.values() for r in rels)
        good = {f"{gs} -[{prop}]-> {go}" for (gs, go), rels in hits.items() if rels}
        right |= good
        items |= good or {f"{gs} -[{prop}]-> {go}" for gs, go in images} or {f"{s.n3()} -[{prop}]-> {o.n3()}"}
    report.wrong_typed = sorted(items - right)
    report.missed_typed = sorted(str(r) for g in golds for r in g.relations if r.key not in found)
    return Score(len(items), sum(len(g.relations) for g in golds), len(right), len(found))
