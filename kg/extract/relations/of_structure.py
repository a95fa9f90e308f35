""" "X of Y", "Y's X", "X is the N of Y", and names that contain the name of what they govern.

- "the Shipping Department of the Lingang New Area Management Committee" →
  subOrganizationOf (organisation of organisation);
- "the Lingang New Area of China's Pilot Free Trade Zone" → partOf (a zone of
  a zone); "Zhongshan Park of Changning District" → locatedIn (a place of a
  place of another kind);
- "the second exhibition of the … Series Exhibition" → partOf (event of event);
  "the annual meeting of the X Association" → X organized the meeting;
- "This exhibition is the second exhibition of Y" (copula) → as above;
  "X is the chairman of Y" → worksFor;
- "the Lingang New Area Management Committee" → administers the Lingang New
  Area (a body named after the place it governs).
"""

from __future__ import annotations

from collections.abc import Iterable

from spacy.tokens import Token

from kg.extract.registry import SentenceContext, extractors
from kg.extract.relations.common import Arg, SentenceIndex, index, pobjs
from kg.model import Relation
from kg.vocab import top_class

__all__ = ["embedded_name", "of_property", "of_structure"]

OF = "kg.of_structure.v1"
EMBEDDED = "kg.embedded_name.v1"

C_OF = 0.8
C_POSSESSIVE = 0.7
C_COPULA = 0.7
C_EMBEDDED = 0.8
#: place classes that are areas of the same kind: a zone of a zone is a part
_AREAS = frozenset({"EconomicZone"})


def of_property(x: str, y: str) -> tuple[str, bool] | None:
    """The relation "X of Y" states for classes ``x`` and ``y``: (property, reversed)."""
    tx, ty = top_class(x), top_class(y)
    if tx == "Organization" and ty == "Organization":
        return "subOrganizationOf", False
    if tx == "Place" and ty == "Place":
        if x == y or (x in _AREAS and y in _AREAS) or (x == "Facility" and y in _AREAS):
            return "partOf", False
        if x == "Country":
            return None
        return "locatedIn", False
    if tx in ("Event", "Program") and tx == ty:
        return "partOf", False
    if tx == "Event" and ty == "Organization":
        return "organized", True
    if tx == "Program" and ty == "Organization":
        return "issued", True
    if tx == "Product" and ty == "Organization":
        return "produces", True
    if tx == "Organization" and ty == "Place":
        return "locatedIn", False
    return None


def _emit(si: SentenceIndex, x: Arg, y: Arg, conf: float, out: list[Relation]) -> None:
    if x.index == y.index or x.mention.kind == "pronoun":
        return
    found = of_property(x.cls, y.cls)
    if found is None:
        return
    prop, rev = found
    out.append(si.relation(y, prop, x, OF, conf) if rev else si.relation(x, prop, y, OF, conf))


def _of_objects(si: SentenceIndex, node: Token, own: Arg | None = None) -> list[Arg]:
    """Entities after "of" attached to ``node`` (not a word inside ``own``, "Chamber of Shipping")."""
    out = []
    for c in node.children:
        if c.dep_ != "prep" or c.lower_ != "of":
            continue
        for p in pobjs(c):
            if own is not None and own.span.start <= p.i < own.span.end:
                continue
            out.extend(si.members(p))
    return out


@extractors.register(OF)
def of_structure(ctx: SentenceContext) -> Iterable[Relation]:
    """Relations stated by "X of Y", "Y's X" and "X is the N of Y"."""
    if len(ctx.mentions) < 2:
        return []
    si = index(ctx)
    out: list[Relation] = []
    for x in si.args:
        for node in si.node_of(x):
            # X of Y
            for y in _of_objects(si, node, x):
                if y.hops == 0:
                    _emit(si, x, y, C_OF, out)
            # Y's X
            for c in node.children:
                y = si.arg_at(c) if c.dep_ == "poss" else None
                if y is not None and y.index != x.index and y.mention.kind != "pronoun":
                    _emit(si, x, y, C_POSSESSIVE, out)
    out.extend(_copula(si))
    return out


def _copula(si: SentenceIndex) -> list[Relation]:
    """ "X is the second exhibition of Y", "X, a subsidiary of Y", "X, the parent company of Y"."""
    out: list[Relation] = []
    for verb in si.sent:
        if verb.lemma_ != "be":
            continue
        subj = [c for c in verb.children if c.dep_ == "nsubj"]
        attr = [c for c in verb.children if c.dep_ == "attr" and c.pos_ == "NOUN" and si.arg_at(c) is None]
        if subj and attr:
            _described(si, si.members(subj[0]), attr[0], C_COPULA, out)
    for x in si.args:
        if x.mention.kind != "name":
            continue
        for c in x.span.root.children:
            if c.dep_ == "appos" and c.pos_ == "NOUN" and si.arg_at(c) is None:
                _described(si, [x], c, C_COPULA, out)
    return out


def _described(si: SentenceIndex, xs: list[Arg], noun: Token, conf: float, out: list[Relation]) -> None:
    """X is described by ``noun`` ("the second exhibition", "a subsidiary") "of Y"."""
    ys = _of_objects(si, noun)
    if not ys:
        return
    parent = any(w.lower_ in si.trig.parent_nouns for w in [noun, *noun.children] if w.i <= noun.i)
    same_kind = _noun_class(si, noun)
    for x in xs:
        if top_class(x.cls) == "Person":
            continue  # "X is the chairman of Y": kg.apposition.v1
        for y in ys:
            if x.index == y.index or y.hops:
                continue
            if parent:
                if top_class(x.cls) == top_class(y.cls) == "Organization":
                    out.append(si.relation(y, "subOrganizationOf", x, OF, conf))
            elif same_kind and top_class(same_kind) == top_class(x.cls) and _weak(y) and top_class(x.cls) in ("Event", "Program"):
                # "the second exhibition of Y": Y is a series of exhibitions, whatever the NER guessed
                out.append(si.relation(x, "partOf", y, OF, conf * 0.9))
            elif noun.lower_ in si.trig.part_nouns or (same_kind and top_class(same_kind) == top_class(x.cls)):
                _emit(si, x, y, conf, out)


def _weak(arg: Arg) -> bool:
    return arg.mention.kind == "name" and arg.mention.weight <= 1.0


def _noun_class(si: SentenceIndex, noun: Token) -> str | None:
    return si.lex.head_class([noun.lower_])


@extractors.register(EMBEDDED)
def embedded_name(ctx: SentenceContext) -> Iterable[Relation]:
    """ "the Lingang New Area Management Committee" administers the Lingang New Area."""
    si = index(ctx)
    out: list[Relation] = []
    for emb in si.embedded:
        for host in si.args:
            if host.span.start <= emb.span.start and emb.span.end <= host.span.end and host.index != emb.index:
                if top_class(host.cls) == "Organization" and host.mention.kind in ("name", "acronym"):
                    out.append(si.relation(host, "administers", emb, EMBEDDED, C_EMBEDDED))
                break
    return out
