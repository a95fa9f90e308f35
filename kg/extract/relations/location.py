"""Where things are: locatedIn from noun phrases and relative clauses.

- "the Xinzhuang Industrial Zone in Shanghai", "Loughborough University in the
  UK", "the … station in front of the Zhaofeng Square" (a name with a location
  preposition) → locatedIn; "Tesla in China" (a company) → operatesIn;
- "Lincang, Yunnan" (a place with a larger place in apposition) → locatedIn;
- "Shanghai-based Tesla" → locatedIn;
- "the Huayang Road Street in Changning District, where Zhaofeng Square is
  located" → locatedIn (the "where" clause describes the place it follows, or
  the place that one locates);
- "As a leading area … in Shanghai, the Lingang New Area …" → locatedIn (an
  "as" phrase describes the subject).

"located in", "based in", "held at" are verb frames (:mod:`.verb_frames`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from kg.extract.registry import SentenceContext, extractors
from kg.extract.relations.common import Arg, SentenceIndex, index, pobjs
from kg.model import Relation
from kg.vocab import top_class

__all__ = ["location"]

NAME = "kg.location.v1"

C_PREP = 0.75
C_COMPLEX = 0.6
C_APPOS = 0.8
C_BASED = 0.8
C_WHERE = 0.75
C_AS = 0.55
C_ADJACENT = 0.6
#: a company "in" a place operates there; where it sits is less sure
PENALTY_COMPANY = 0.85
#: classes that can contain a place written after a comma ("Lincang, Yunnan")
CONTAINERS = frozenset({"Country", "AdministrativeArea", "City"})
#: verbs of a "where" clause that say where something is
WHERE_LEMMAS = frozenset({"locate", "situate", "be", "lie", "sit", "stand", "base", "house"})


def _is_place(arg: Arg) -> bool:
    return top_class(arg.cls) == "Place"


def _locatable(arg: Arg) -> bool:
    """People move about; a person "in" a place is not located there."""
    return top_class(arg.cls) != "Person" and arg.mention.kind != "pronoun"


def _prep_places(si: SentenceIndex, x: Arg) -> Iterator[tuple[Arg, float]]:
    """Places a location preposition attaches to ``x`` ("X in Y", "X in front of Y")."""
    complex_ = si.trig.location_complex
    for node in si.node_of(x):
        for c in node.children:
            if c.dep_ != "prep":
                continue
            low = c.lower_
            for p in pobjs(c):
                # "in front of Y": preposition, noun, preposition
                inner = [
                    (p2, q)
                    for q in p.children
                    if q.dep_ == "prep"
                    for p2 in pobjs(q)
                    if (low, p.lower_, q.lower_) in complex_
                ]
                if inner:
                    for p2, _q in inner:
                        for y in si.members(p2):
                            yield y, C_COMPLEX
                    continue
                if low in si.trig.location_preps and si.arg_at(p) is not None:
                    for y in si.members(p):
                        yield y, C_PREP


@extractors.register(NAME)
def location(ctx: SentenceContext) -> Iterable[Relation]:
    """locatedIn from prepositions after names, appositions, "-based", "where", "as"."""
    if len(ctx.mentions) < 2:
        return []
    si = index(ctx)
    out: list[Relation] = []
    for x in si.args:
        if not _locatable(x):
            continue
        for y, conf in _prep_places(si, x):
            if _is_place(y) and y.index != x.index and y.hops == 0:
                if x.cls == "Company":  # "Tesla in China": where a company does business
                    out.append(si.relation(x, "operatesIn", y, NAME, conf * PENALTY_COMPANY))
                else:
                    out.append(si.relation(x, "locatedIn", y, NAME, conf))
        out.extend(_appos_place(si, x))
        out.extend(_adjacent_in(si, x))
    out.extend(_based(si))
    out.extend(_where(si))
    out.extend(_as_phrase(si))
    return out


def _appos_place(si: SentenceIndex, x: Arg) -> Iterator[Relation]:
    """ "Lincang, Yunnan": the second place contains the first."""
    if not _is_place(x) or x.cls == "Country":
        return
    root = x.span.root
    if any(c.dep_ == "conj" for c in root.children) or root.dep_ == "conj":
        return  # a list of places, not a place and its region
    for c in root.children:
        if c.dep_ != "appos":
            continue
        y = si.arg_at(c)
        if y is None or y.index == x.index or y.cls not in CONTAINERS or y.mention.kind != "name":
            continue
        if any(g.dep_ == "conj" for g in c.children):
            continue
        between = si.doc[x.span.end : y.span.start]
        if len(between) == 1 and between[0].text == ",":
            yield si.relation(x, "locatedIn", y, NAME, C_APPOS)


def _adjacent_in(si: SentenceIndex, x: Arg) -> Iterator[Relation]:
    """ "set his sights on Qingpu in Shanghai": the parser hung "in Shanghai" on the verb,
    but a place written right before "in <larger place>" is in it."""
    if not (_is_place(x) or x.cls == "EducationalInstitution") or x.cls == "Country" or x.span.end + 1 >= si.sent.end:
        return  # places and universities: "graduating from Loughborough University in the UK"
    prep = si.doc[x.span.end]
    if prep.lower_ not in si.trig.location_preps or prep.head.i in range(x.span.start, x.span.end):
        return  # not a location preposition, or already attached to x (see _prep_places)
    k = x.span.end + 1
    while k < si.sent.end and si.doc[k].pos_ == "DET":
        k += 1
    y = si.arg_at(si.doc[k]) if k < si.sent.end else None
    if y is None or y.index == x.index or y.span.start != k or y.cls not in CONTAINERS | {"EconomicZone"}:
        return
    if y.cls == x.cls == "EconomicZone":
        return
    yield si.relation(x, "locatedIn", y, NAME, C_ADJACENT)


def _based(si: SentenceIndex) -> Iterator[Relation]:
    """ "Shanghai-based Tesla": a place, a hyphen, "based", the located thing."""
    for tok in si.sent:
        if tok.lower_ not in ("based", "headquartered") or tok.i < si.sent.start + 2:
            continue
        if si.doc[tok.i - 1].text != "-":
            continue
        y = si.arg_at(si.doc[tok.i - 2])
        if y is None or not _is_place(y):
            continue
        head = tok.head if tok.head.i != tok.i else None
        if head is None:
            continue
        for x in si.members(head):
            if x.index != y.index and _locatable(x):
                yield si.relation(x, "locatedIn", y, NAME, C_BASED)


def _where(si: SentenceIndex) -> Iterator[Relation]:
    """ "Y, where X is located": X locatedIn Y (or in the place Y locates, for "Z in Y, where")."""
    for verb in si.sent:
        if verb.dep_ != "relcl" or verb.lemma_.lower() not in WHERE_LEMMAS:
            continue
        if not any(c.lower_ == "where" and c.dep_ == "advmod" for c in verb.children):
            continue
        y = si.arg_at(verb.head)
        if y is None or not _is_place(y):
            continue
        conf = C_WHERE
        # "Z in Y, where X is": the clause is about Z, which Y only locates
        root = y.span.root
        if root.dep_ == "pobj" and root.head.lower_ in si.trig.location_preps:
            z = si.arg_at(root.head.head)
            if z is not None and _is_place(z) and z.index != y.index:
                y, conf = z, C_WHERE * 0.85
        subjects, _ = si.surface_subjects(verb)
        for x in subjects:
            if x.index != y.index and _locatable(x):
                yield si.relation(x, "locatedIn", y, NAME, conf)


def _as_phrase(si: SentenceIndex) -> Iterator[Relation]:
    """ "As a leading area … in Shanghai, the Lingang New Area has …": the subject is in Shanghai."""
    for prep in si.sent:
        if prep.lower_ != "as" or prep.dep_ != "prep" or prep.head.pos_ not in ("VERB", "AUX"):
            continue
        nouns = [p for p in pobjs(prep) if p.pos_ == "NOUN"]
        if not nouns:
            continue
        subjects, inherited = si.surface_subjects(prep.head)
        if inherited:
            continue
        noun = nouns[0]
        kind = si.lex.head_class([noun.lower_])
        for x in subjects:
            if kind is None or top_class(kind) != top_class(x.cls) or not _locatable(x):
                continue
            for tok in noun.subtree:
                if tok.dep_ == "prep" and tok.lower_ == "in":
                    for p in pobjs(tok):
                        for y in si.members(p):
                            if _is_place(y) and y.index != x.index:
                                yield si.relation(x, "locatedIn", y, NAME, C_AS)
