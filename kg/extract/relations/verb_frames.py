"""Verb frames: a verb joins two entities in a core relation.

"Lingang New Area signed an agreement with X" (partnerOf), "held the first …
Conference" (organized), "Shike Co., Ltd., founded by him" (founded, passive),
"After graduating from Loughborough University, he …" (alumniOf, subject of
the governing clause), "the Qingpu Innovation Park located in the Hongqiao
Business District" (locatedIn). Which verbs mean what is data
(``kg/ontology/relations.toml``, ``[[frames]]``); this module reads the clause:
voice, coordination, relative clauses, subjects shared with a governing clause.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace

from spacy.tokens import Token

from kg.extract.registry import SentenceContext, extractors
from kg.extract.relations.common import (
    PENALTY_INHERITED,
    Arg,
    SentenceIndex,
    fits,
    index,
    pobjs,
)
from kg.extract.relations.triggers import Frame
from kg.model import Relation

__all__ = ["frame_relations", "previous_topic_place", "verb_frames"]

NAME = "kg.verb_frames.v1"
#: confidence factor when the object is the place the previous sentence is about
PENALTY_CONTEXT = 0.7
#: classes of a place a text can be "about"
TOPIC_PLACES = frozenset({"EconomicZone", "Facility", "AdministrativeArea", "City"})


def _object_nouns(si: SentenceIndex, verb: Token) -> list[Token]:
    """The verb's direct objects and the noun after their "of" ("a memorandum of understanding")."""
    out = []
    for d in si.dobjs(verb):
        out.append(d)
        out.extend(p for c in d.children if c.dep_ == "prep" and c.lower_ == "of" for p in pobjs(c) if p.pos_ == "NOUN")
    return out


def _light_nouns(si: SentenceIndex, verb: Token, words: frozenset[str]) -> list[Token]:
    """Object nouns of a light verb, also through a preposition ("invested in a plant")."""
    cands = [*si.dobjs(verb), *(p for c in verb.children if c.dep_ == "prep" for p in pobjs(c) if si.arg_at(p) is None)]
    return [n for n in cands if n.pos_ == "NOUN" and (n.lower_ in words or n.lemma_.lower() in words)]


def _slot(si: SentenceIndex, verb: Token, slot: str, frame: Frame) -> tuple[list[Arg], bool]:
    if slot == "agent":
        return si.agents(verb)
    if slot == "patient":
        return si.patients(verb)
    preps = frozenset(slot.split(":", 1)[1].split("|"))
    heads = [verb, *_object_nouns(si, verb)]
    if frame.dobj:
        heads.extend(n for n in _light_nouns(si, verb, frame.dobj) if n not in heads)
    return [a for _, a in si.prep_objects(heads, preps)], False


def frame_relations(si: SentenceIndex, verb: Token, name: str = NAME) -> Iterator[Relation]:
    """Relations of every frame that fits ``verb`` (one property per argument pair)."""
    keys = si.verb_keys(verb)
    dobj_words = {w for d in _object_nouns(si, verb) for w in (d.lower_, d.lemma_.lower())}
    light_words = {w for c in verb.children if c.dep_ == "prep" for p in pobjs(c) for w in (p.lower_, p.lemma_.lower())}
    done: set[tuple[int, int]] = set()
    for frame in si.trig.frames:
        if not ("*" in frame.lemmas or keys & frame.lemmas):
            continue
        if frame.dobj and not (dobj_words | light_words) & frame.dobj:
            continue
        subjects, inherited = _slot(si, verb, frame.subject, frame)
        if not subjects:
            continue
        objects, _ = _slot(si, verb, frame.object, frame)
        base = frame.confidence * (PENALTY_INHERITED if inherited else 1.0)
        found = False
        for s in subjects:
            fs = fits(s, frame.subject_classes)
            if not fs:
                continue
            for o in objects:
                fo = fits(o, frame.object_classes)
                if not fo or o.index == s.index or (s.index, o.index) in done:
                    continue
                done.add((s.index, o.index))
                found = True
                yield si.relation(s, frame.property, o, name, base * fs * fo)
        if not found and not objects:
            yield from _symmetric(si, frame, subjects, base, done, name)
            yield from _context_place(si, verb, frame, subjects, base, done, name)


def _symmetric(
    si: SentenceIndex, frame: Frame, subjects: list[Arg], base: float, done: set[tuple[int, int]], name: str
) -> Iterator[Relation]:
    """ "A and B signed an agreement": the conjuncts are partners."""
    if not frame.symmetric or len(subjects) < 2:
        return
    for i, a in enumerate(subjects):
        for b in subjects[i + 1 :]:
            if (a.index, b.index) in done or not fits(a, frame.subject_classes) or not fits(b, frame.object_classes):
                continue
            done.add((a.index, b.index))
            yield si.relation(a, frame.property, b, name, base * 0.9)


def previous_topic_place(si: SentenceIndex) -> Arg | None:
    """The place the previous sentence of the paragraph is about: its subject, when a place."""
    prev = si.previous_sentence()
    if prev is None:
        return None
    for tok in prev:
        if tok.dep_ in ("nsubj", "nsubjpass") and tok.head.dep_ == "ROOT":
            found = si.mention_at_char(tok)
            if found is None:
                continue
            idx, m = found
            if m.kind == "name" and m.cls in TOPIC_PLACES:
                span = si.doc.char_span(m.start - si.ctx.offset, m.end - si.ctx.offset, alignment_mode="expand")
                if span is not None:
                    return Arg(idx, m, span)
    return None


def _context_place(
    si: SentenceIndex,
    verb: Token,
    frame: Frame,
    subjects: list[Arg],
    base: float,
    done: set[tuple[int, int]],
    name: str,
) -> Iterator[Relation]:
    """ "The X Zone held a groundbreaking ceremony. Seven projects, including A and B,
    began construction": an operation without a place happens in the place the
    text is about (the subject of the previous sentence)."""
    if frame.property != "operatesIn" or not frame.dobj:
        return
    if any(c.dep_ == "prep" and c.lower_ in frame.object_preps for c in verb.children):
        return  # a place is named, just not as an entity
    topic = previous_topic_place(si)
    if topic is None:
        return
    prev = si.previous_sentence()
    assert prev is not None
    start = si.ctx.offset + prev.start_char
    text = " ".join(si.doc.text[prev.start_char : si.sent.end_char].split())
    for s in subjects:
        if s.index == topic.index or (s.index, topic.index) in done or not fits(s, frame.subject_classes):
            continue
        done.add((s.index, topic.index))
        rel = si.relation(s, frame.property, topic, name, base * PENALTY_CONTEXT)
        yield replace(rel, sentence=text, sent_start=start)


@extractors.register(NAME)
def verb_frames(ctx: SentenceContext) -> Iterable[Relation]:
    """Core relations stated by a verb and its arguments (``[[frames]]`` of relations.toml)."""
    if len(ctx.mentions) < 1:
        return []
    si = index(ctx)
    out: list[Relation] = []
    for verb in si.verbs():
        out.extend(frame_relations(si, verb))
    return out

