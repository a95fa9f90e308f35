"""The open-relation fallback: a verb that joins two entities but maps to no core property.

"It has also issued … road test licenses … to 15 vehicles of four enterprises,
including Tucson Future and Saike Intelligence" → relatedTo, predicate text
"issued licenses to"; "the … Base passed the annual assessment of the Ministry
of Commerce" → relatedTo "passed the annual assessment of"; "Yang Quan, born on
the banks of the Lancang River" → relatedTo "born on the banks of".

The pipeline drops an open relation when a core extractor relates the same
two mentions in the same sentence. Reporting and light verbs never count
(``[open]`` of ``kg/ontology/relations.toml``), nor does a place as object (where
things are is :mod:`.location`'s job), so this stays a precise fallback and
never becomes co-occurrence.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from spacy.tokens import Token

from kg.extract.registry import SentenceContext, extractors
from kg.extract.relations.common import (
    PENALTY_INHERITED,
    Arg,
    SentenceIndex,
    index,
    pobjs,
)
from kg.model import Relation
from kg.vocab import top_class

__all__ = ["open_relation"]

NAME = "kg.open_relation.v1"
#: prepositions through which an object noun may lead to the entity ("assessment of X")
NOUN_PREPS = frozenset({"of", "to", "with", "for"})
#: at most this many tokens between verb and object are kept as predicate text
MAX_SURFACE = 6


def _predicate(si: SentenceIndex, verb: Token, obj: Arg, compact: str) -> str:
    """The words from the verb to the object when short ("born on the banks of"), else ``compact``."""
    words = list(si.doc[verb.i : obj.span.start])
    if not 0 < len(words) <= MAX_SURFACE or any(t.text in (",", ";", ":") for t in words):
        return compact
    words = [t for t in words if not t.is_quote]
    roles = {r.split()[-1] for r in si.lex.roles} | si.lex.role_words
    while words and (words[-1].pos_ == "DET" or words[-1].lower_ in roles and words[-1].dep_ == "compound"):
        words.pop()  # "met with (Premier) Li Qiang"
    return " ".join(t.text for t in words) or compact


def _noun_word(si: SentenceIndex, noun: Token) -> tuple[str, Token]:
    """ "the first batch of … licenses" reads as "licenses"."""
    if si.of_hop(noun):
        for c in noun.children:
            if c.dep_ == "prep" and c.lower_ == "of":
                for p in pobjs(c):
                    return p.text, p
    return noun.text, noun


def _objects(si: SentenceIndex, verb: Token, passive: bool) -> Iterator[tuple[Arg, str]]:
    """(object, compact predicate) pairs of ``verb``."""
    vt = verb.text
    if not passive:
        for d in si.dobjs(verb):
            for a in si.members(d):
                yield a, vt
            if si.arg_at(d) is None:
                word, node = _noun_word(si, d)
                for c in [*d.children, *(node.children if node is not d else [])]:
                    if c.dep_ == "prep" and c.lower_ in NOUN_PREPS and not (c.lower_ == "of" and node is not d and c.head is d):
                        for p in pobjs(c):
                            for a in si.members(p):
                                yield a, f"{vt} {word} {c.lower_}"
    dobj_word = None
    for d in si.dobjs(verb):
        if si.arg_at(d) is None:
            dobj_word = _noun_word(si, d)[0]
    for prep, a in si.prep_objects([verb], si.trig.open_preps):
        if passive and prep.lower_ == "by":
            continue
        middle = f" {dobj_word}" if dobj_word else ""
        yield a, f"{vt}{middle} {prep.lower_}"


@extractors.register(NAME)
def open_relation(ctx: SentenceContext) -> Iterable[Relation]:
    """relatedTo, with the predicate text, for a verb between two entities."""
    if len(ctx.mentions) < 2:
        return []
    si = index(ctx)
    out: list[Relation] = []
    stop = si.trig.open_stop
    for verb in si.verbs():
        lemma = verb.lemma_.lower()
        if verb.pos_ != "VERB" or lemma in stop:
            continue
        if lemma in si.trig.birth_lemmas:
            out.extend(_birth(si, verb))
            continue
        passive = si.is_passive(verb)
        subjects, inherited = si.agents(verb)
        if not subjects:
            continue
        conf = si.trig.open_confidence * (PENALTY_INHERITED if inherited else 1.0)
        seen: set[tuple[int, int]] = set()
        for obj, compact in _objects(si, verb, passive):
            if top_class(obj.cls) == "Place" or obj.mention.kind == "pronoun":
                continue
            for s in subjects:
                if s.index == obj.index or (s.index, obj.index) in seen:
                    continue
                seen.add((s.index, obj.index))
                out.append(si.relation(s, "relatedTo", obj, NAME, conf, predicate_text=_predicate(si, verb, obj, compact)))
    return out


def _birth(si: SentenceIndex, verb: Token) -> Iterator[Relation]:
    """ "Yang Quan, born on the banks of the Lancang River" → relatedTo "born on the banks of"."""
    people, inherited = si.patients(verb) if si.is_passive(verb) else si.surface_subjects(verb)
    conf = si.trig.open_confidence * 1.2 * (PENALTY_INHERITED if inherited else 1.0)
    for prep, place in si.prep_objects([verb], frozenset({"in", "on", "at"})):
        if top_class(place.cls) != "Place":
            continue
        for p in people:
            if top_class(p.cls) == "Person":
                yield si.relation(p, "relatedTo", place._replace(hops=0), NAME, conf,
                                  predicate_text=_predicate(si, verb, place, f"born {prep.lower_}"))
