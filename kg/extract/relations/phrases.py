"""Prepositional phrases that relate two entities: "X under the jurisdiction of Y".

- "the Nangang Port under the jurisdiction of the base" → the base administers
  the port;
- "under the guidance of the X Commission, the … Exhibition was launched" →
  relatedTo, predicate "under the guidance of".

The phrases are data (``[[phrases]]`` of ``kg/ontology/relations.toml``). The phrase
relates the name right before it, or else the subject of the clause it modifies.
"""

from __future__ import annotations

from collections.abc import Iterable

from kg.extract.registry import SentenceContext, extractors
from kg.extract.relations.common import Arg, SentenceIndex, index, pobjs
from kg.model import Relation

__all__ = ["prep_phrase"]

NAME = "kg.prep_phrase.v1"
#: confidence factor when the phrase relates the subject of its clause
PENALTY_CLAUSE = 0.85


def _before(si: SentenceIndex, i: int) -> Arg | None:
    """The argument ending right before token ``i`` (a determiner or quote may intervene)."""
    k = i - 1
    while k >= si.sent.start and si.doc[k].is_punct and si.doc[k].text != ",":
        k -= 1
    return si.arg_at(si.doc[k]) if k >= si.sent.start else None


@extractors.register(NAME)
def prep_phrase(ctx: SentenceContext) -> Iterable[Relation]:
    """Relations stated by "under the jurisdiction / guidance of Y" and similar phrases."""
    if len(ctx.mentions) < 2:
        return []
    si = index(ctx)
    out: list[Relation] = []
    for prep in si.sent:
        if prep.dep_ != "prep":
            continue
        for phrase in si.trig.phrases:
            if prep.lower_ != phrase.preposition:
                continue
            for noun in pobjs(prep):
                if noun.lemma_.lower() not in phrase.nouns and noun.lower_ not in phrase.nouns:
                    continue
                ys = [a for c in noun.children if c.dep_ == "prep" and c.lower_ == "of" for p in pobjs(c) for a in si.members(p)]
                if not ys:
                    continue
                conf = phrase.confidence
                x = si.arg_at(prep.head) or _before(si, prep.i)
                xs = [x] if x is not None else []
                if not xs and prep.head.pos_ in ("VERB", "AUX"):
                    xs, _ = si.surface_subjects(prep.head)
                    conf *= PENALTY_CLAUSE
                pred = phrase.predicate.format(noun=noun.lower_) if phrase.predicate else None
                for x in xs:
                    for y in ys:
                        if x.index == y.index:
                            continue
                        if phrase.direction == "object-first":
                            out.append(si.relation(y, phrase.property, x, NAME, conf, predicate_text=pred))
                        else:
                            out.append(si.relation(x, phrase.property, y, NAME, conf, predicate_text=pred))
    return out
